package slack

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/model"
)

func TestRateLimitedPostRetriedOnce(t *testing.T) {
	f := newFakeSlack(t)
	f.rateLimit("chat.postMessage", time.Second)
	clk := newFakeClock()
	f.now = clk.Now
	h := newHarness(t, f, harnessConfig{adapterOpts: []Option{withClock(clk)}})
	start := clk.Now()
	mustStatus(t, h.mention("Ev0LIMIT", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.004000", "", nil), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 1 {
		t.Fatalf("got %d posts, want exactly 1 after the 429", len(posts))
	}
	if n := f.Calls("chat.postMessage"); n != 2 {
		t.Errorf("chat.postMessage called %d times, want 2 (429, then success)", n)
	}
	if waited := posts[0].At.Sub(start); waited < time.Second {
		t.Errorf("posted %s after the question: Retry-After: 1 not honoured", waited)
	}
}

func TestRepeated429BacksOff(t *testing.T) {
	o := newOutbox(nil, testLogger(), 0, wallClock{})
	if w := o.limited(time.Second); w != time.Second {
		t.Errorf("first 429 waits %s, want Retry-After (1s)", w)
	}
	if w := o.limited(time.Second); w != 2*time.Second {
		t.Errorf("second 429 in a row waits %s, want 2s", w)
	}
	if w := o.limited(40 * time.Second); w != maxRateLimitGap {
		t.Errorf("third 429 waits %s, want the cap %s", w, maxRateLimitGap)
	}
	o.cleared()
	if w := o.limited(0); w != time.Second {
		t.Errorf("after a success a 429 without Retry-After waits %s, want 1s", w)
	}
}

// TestChannelPacing posts three answers into one channel and one into
// another, by a fake clock: the busy channel's posts are a pace apart, and
// the quiet channel is answered while the busy one waits its turn.
func TestChannelPacing(t *testing.T) {
	if DefaultChannelPace != time.Second {
		t.Errorf("default pace %s, want Slack's one message a second", DefaultChannelPace)
	}
	const pace = 300 * time.Millisecond
	f := newFakeSlack(t)
	clk := newFakeClock()
	clk.hold = make(chan struct{})
	f.now = clk.Now
	h := newHarness(t, f, harnessConfig{adapterOpts: []Option{WithChannelPace(pace), withClock(clk)}, botOpts: []bot.Option{bot.WithUserRate(bot.Rate{}), bot.WithWorkers(1)}})
	for i := range 3 {
		ts := fmt.Sprintf("1790000000.00500%d", i)
		mustStatus(t, h.mention("Ev0BURST"+ts[len(ts)-1:], "C0BUSY", "U0CMO", "spend last week", ts, "", nil), 200)
	}
	mustStatus(t, h.mention("Ev0QUIET", "C0QUIET", "U0CMO", "spend last week", "1790000000.005100", "", nil), 200)
	// The busy channel's second post waits for its turn (held), while the
	// quiet channel's is posted.
	f.waitPosts(t, 2, 10*time.Second)
	for clk.asleep() == 0 {
		time.Sleep(time.Millisecond)
	}
	var busy []post
	var quiet post
	split := func() {
		busy, quiet = nil, post{}
		for _, p := range f.Posts() {
			if p.Channel == "C0BUSY" {
				busy = append(busy, p)
			} else {
				quiet = p
			}
		}
	}
	split()
	if len(busy) != 1 || quiet.Channel != "C0QUIET" {
		t.Errorf("while the busy channel waits its turn: %d posts there and %+v in the quiet one, want 1 and the quiet one's answer", len(busy), quiet)
	}
	close(clk.hold)
	h.drain()
	split()
	if len(busy) != 3 {
		t.Fatalf("got %d posts in the busy channel, want 3", len(busy))
	}
	for i := 1; i < len(busy); i++ {
		if gap := busy[i].At.Sub(busy[i-1].At); gap < pace {
			t.Errorf("posts %d and %d in one channel %s apart, want at least %s", i-1, i, gap, pace)
		}
	}
}

func TestChartUploadedIntoThread(t *testing.T) {
	f := newFakeSlack(t)
	png := []byte("\x89PNG\r\n\x1a\n fake chart")
	var charted []model.Answer
	// The chart is drawn only once the channel's next answer is posted:
	// were that answer waiting behind the chart, it would never be.
	charter := func(a model.Answer) ([]byte, bool, error) {
		charted = append(charted, a)
		f.waitPosts(t, 2, 10*time.Second)
		return png, true, nil
	}
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithCharter(charter), bot.WithWorkers(1)}})
	mustStatus(t, h.mention("Ev0TREND", "C0MARKETING", "U0CMO", "weekly spend trend for the last 8 weeks", "1790000000.006000", "", nil), 200)
	mustStatus(t, h.mention("Ev0VALUE", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.006100", "", nil), 200)
	h.drain()
	files := f.Files()
	if len(files) != 1 {
		t.Fatalf("got %d files shared, want 1 (the trend's chart only)", len(files))
	}
	if files[0].Channel != "C0MARKETING" || files[0].Thread != "1790000000.006000" || !strings.Contains(files[0].Files, "Spend") {
		t.Errorf("chart shared as %+v, want into C0MARKETING thread 1790000000.006000 titled with the headline", files[0])
	}
	if f.Calls("files.getUploadURLExternal") != 1 {
		t.Errorf("files.getUploadURLExternal called %d times", f.Calls("files.getUploadURLExternal"))
	}
	if len(charted) != 1 || charted[0].Intent != "trend" {
		t.Errorf("charter asked for %d answers, want the trend only", len(charted))
	}
	// Answers first: the next question in the channel is answered while
	// the chart is being drawn.
	for _, p := range f.Posts() {
		if p.Thread == "1790000000.006100" && p.Seq > files[0].Seq {
			t.Errorf("the second answer (seq %d) waited for the first one's chart (seq %d)", p.Seq, files[0].Seq)
		}
	}
}
