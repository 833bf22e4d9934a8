package teams

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/chart"
)

// loadEvents is how many activities a burst sends.
const loadEvents = 200

var loadQuestions = []string{
	"What was total spend last week?", "How did Meta CPA change last week?", "spend by platform last month",
	"weekly spend trend for the last 8 weeks", "top 5 campaigns by spend yesterday", "ROAS by category last month",
	"compare google and meta roas last month", "Why did CPA go up last week?",
}

// burst delivers loadEvents signed activities at once, each from its own
// person in their own chat, and returns the acknowledgement latencies.
// It fails unless every one is acknowledged and answered exactly once.
func burst(tb testing.TB, h *harness, round int) []time.Duration {
	tb.Helper()
	before := len(h.teams.Posts())
	acks := burstAcks(tb, h, round)
	posts := h.teams.waitPosts(tb, before+loadEvents, 120*time.Second)[before:]
	seen := map[string]int{}
	for _, p := range posts {
		seen[p.Conversation+"|"+p.ReplyTo]++
	}
	for conv, n := range seen {
		if n != 1 {
			tb.Errorf("%s answered %d times", conv, n)
		}
	}
	if len(seen) != loadEvents {
		tb.Errorf("%d chats answered, want %d", len(seen), loadEvents)
	}
	return acks
}

// burstAcks delivers the burst and returns the acknowledgement latencies,
// without waiting for the answers.
func burstAcks(tb testing.TB, h *harness, round int) []time.Duration {
	tb.Helper()
	tok := h.teams.validToken().sign(tb)
	bodies := make([][]byte, loadEvents)
	for i := range bodies {
		bodies[i] = h.teams.payload(act{ID: fmt.Sprint(1790000000000 + round*loadEvents + i), Kind: convPersonal, Conversation: fmt.Sprintf("a:chat-%d", i),
			User: fmt.Sprintf("29:user-%d", i), Text: loadQuestions[i%len(loadQuestions)]})
	}
	acks := make([]time.Duration, loadEvents)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, body := range bodies {
		wg.Go(func() {
			<-start
			t0 := time.Now()
			if code := h.deliver(body, tok); code != 200 {
				tb.Errorf("activity %d: %d", i, code)
			}
			acks[i] = time.Since(t0)
		})
	}
	close(start)
	wg.Wait()
	return acks
}

func p(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*q))]
}

// BenchmarkLoadBurst: 200 signed activities at once over loopback, each
// verified, recorded and acknowledged, then answered (with charts) and
// posted to the fake connector; each from its own person in their own
// chat, the chats known from a first burst (whose references are stored
// as they come, one write more a request). Reports the acknowledgements'
// p50 and p99 over the bursts after the first, and the first's p99.
func BenchmarkLoadBurst(b *testing.B) {
	f := newFakeTeams(b)
	h := newHarness(b, f, harnessConfig{botOpts: []bot.Option{bot.WithCharter(chart.Render), bot.WithUserRate(bot.Rate{})}})
	first := burst(b, h, 0)
	h.waitIdle(b)
	var p50s, p99s []time.Duration
	b.ResetTimer()
	for i := range b.N {
		acks := burst(b, h, i+1)
		p50s, p99s = append(p50s, p(acks, 0.50)), append(p99s, p(acks, 0.99))
		b.StopTimer()
		h.waitIdle(b)
		b.StartTimer()
	}
	b.StopTimer()
	// The median over the bursts, as bot/slack's BenchmarkLoadBurst reports.
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(p(first, 0.99)), "first-ack-p99-ms")
	b.ReportMetric(ms(p(p50s, 0.5)), "ack-p50-ms")
	b.ReportMetric(ms(p(p99s, 0.5)), "ack-p99-ms")
	b.ReportMetric(ms(p(p99s, 1)), "worst-ack-p99-ms")
}

// waitIdle waits for every event to be done, so one burst's answers do
// not slow the next one's acknowledgements.
func (h *harness) waitIdle(tb testing.TB) {
	tb.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		n, err := h.state.Unfinished(tb.Context())
		if err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d events unfinished after a minute", n)
		}
	}
}

// TestLoadBurst is one burst, checked for exactly-once answers.
func TestLoadBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("a burst of 200 answers")
	}
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithUserRate(bot.Rate{})}})
	acks := burst(t, h, 0)
	t.Logf("acknowledged: p50 %v, p99 %v", p(acks, 0.5), p(acks, 0.99))
}

// BenchmarkVerify is one request's token check with the keys cached.
func BenchmarkVerify(b *testing.B) {
	f := newFakeTeams(b)
	v := newVerifier(testAppID, f.metadataURL(), f.srv.Client(), time.Now)
	header := "Bearer " + f.validToken().sign(b)
	if _, err := v.verify(b.Context(), header); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tok, err := v.verify(b.Context(), header)
		if err != nil {
			b.Fatal(err)
		}
		if err := tok.check("msteams", f.serviceURL()); err != nil {
			b.Fatal(err)
		}
	}
}
