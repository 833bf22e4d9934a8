package slack

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
)

// TestLoad fires 200 signed app_mentions at once (plus a retry of every
// fourth) at a bot on the demo database over loopback, then 200 more at 200
// a second: every event must be answered exactly once. With -v it reports
// the acknowledgement latency and how long after its acknowledgement each
// answer was posted:
//
//	go test ./bot/slack -run TestLoad -v -count=1
func TestLoad(t *testing.T) {
	const events = 200
	questions := []string{
		"What was total spend last week?", "How did Meta CPA change last week?", "spend by platform last month",
		"weekly spend trend for the last 8 weeks", "top 5 campaigns by spend yesterday", "ROAS by category last month",
		"compare google and meta roas last month", "Why did CPA go up last week?",
	}
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{adapterOpts: []Option{WithChannelPace(DefaultChannelPace)}, botOpts: []bot.Option{bot.WithUserRate(bot.Rate{})}})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 0}}

	type sent struct {
		ack   time.Duration
		acked time.Time
	}
	var mu sync.Mutex
	byThread := map[string]sent{}
	send := func(i int, retry bool) {
		ts := fmt.Sprintf("1790000000.%06d", i)
		e := event{ID: fmt.Sprintf("Ev0LOAD%04d", i), Type: "app_mention", Channel: fmt.Sprintf("C0LOAD%03d", i), User: fmt.Sprintf("U0LOAD%03d", i),
			Text: "<@U0SOWHAT> " + questions[i%len(questions)], TS: ts}
		body := e.payload()
		now := time.Now()
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+PathEvents, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(now.Unix()))
		req.Header.Set("X-Slack-Signature", Sign(testSecret, now, body))
		if retry {
			req.Header.Set("X-Slack-Retry-Num", "1")
		}
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("event %d: status %d", i, res.StatusCode)
		}
		if !retry {
			mu.Lock()
			byThread[ts] = sent{ack: time.Since(start), acked: time.Now()}
			mu.Unlock()
		}
	}
	// Slack delivers over connections it keeps open: open as many as there
	// will be requests in flight first, so the burst measures the
	// acknowledgements rather than TCP handshakes.
	var warm sync.WaitGroup
	for range events + events/4 {
		warm.Go(func() {
			body := []byte(`{"type":"url_verification","challenge":"warm"}`)
			now := time.Now()
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+PathEvents, bytes.NewReader(body))
			req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(now.Unix()))
			req.Header.Set("X-Slack-Signature", Sign(testSecret, now, body))
			if res, err := client.Do(req); err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
	warm.Wait()
	// burst sends events from offset, all at once when interval is zero
	// (every fourth also retried), and returns each answered event's
	// acknowledgement time and how long after it its answer was posted.
	burst := func(offset int, interval time.Duration) (acks, answers []time.Duration, elapsed time.Duration) {
		before := len(f.Posts())
		begin := time.Now()
		var wg sync.WaitGroup
		for i := offset; i < offset+events; i++ {
			wg.Go(func() { send(i, false) })
			if i%4 == 0 {
				wg.Go(func() { send(i, true) })
			}
			time.Sleep(interval)
		}
		wg.Wait()
		f.waitPosts(t, before+events, 2*time.Minute)
		elapsed = time.Since(begin)
		posts := f.Posts()
		if len(posts) != before+events {
			t.Fatalf("%d posts for %d events", len(posts)-before, events)
		}
		seen := map[string]bool{}
		for _, p := range posts[before:] {
			mu.Lock()
			s, ok := byThread[p.Thread]
			mu.Unlock()
			if !ok || seen[p.Thread] {
				t.Fatalf("post in thread %q: unknown or answered twice", p.Thread)
			}
			seen[p.Thread] = true
			acks = append(acks, s.ack)
			answers = append(answers, p.At.Sub(s.acked))
		}
		return acks, answers, elapsed
	}
	acks, answers, elapsed := burst(0, 0)
	t.Logf("%d events (+%d retries) at once, in %s: ack p50 %s p99 %s max %s; answer posted after ack p50 %s p99 %s max %s",
		events, (events+3)/4, elapsed.Round(time.Millisecond),
		pct(acks, 50), pct(acks, 99), pct(acks, 100), pct(answers, 50), pct(answers, 99), pct(answers, 100))
	if p99 := pct(acks, 99); p99 > 3*time.Second {
		t.Errorf("ack p99 %s breaks Slack's three seconds", p99)
	}
	acks, answers, elapsed = burst(events, 5*time.Millisecond)
	t.Logf("%d events (+%d retries) at 200/s, in %s: ack p50 %s p99 %s max %s; answer posted after ack p50 %s p99 %s max %s",
		events, (events+3)/4, elapsed.Round(time.Millisecond),
		pct(acks, 50), pct(acks, 99), pct(acks, 100), pct(answers, 50), pct(answers, 99), pct(answers, 100))
	h.drain()
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p+99)/100 - 1
	return s[max(0, min(i, len(s)-1))].Round(100 * time.Microsecond)
}
