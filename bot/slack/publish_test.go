package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/reports"
)

// newPublisher is a posting-only adapter pointed at the fake Slack.
func newPublisher(t *testing.T, f *fakeSlack, opts ...Option) *Adapter {
	t.Helper()
	a := NewPublisher("xoxb-test-token", append([]Option{WithAPIURL(f.URL()), WithLogger(testLogger()), WithChannelPace(0)}, opts...)...)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	return a
}

// goldenMessage reads a message from a golden file: its text and blocks
// as JSON values, to compare with what Slack received.
func goldenMessage(t *testing.T, name string) (text string, blocks any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var m struct {
		Text   string `json:"text"`
		Blocks any    `json:"blocks"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Text, m.Blocks
}

func postedBlocks(t *testing.T, p post) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(p.Blocks), &v); err != nil {
		t.Fatalf("posted blocks are not JSON: %v\n%s", err, p.Blocks)
	}
	return v
}

func TestPublishDigest(t *testing.T) {
	f := newFakeSlack(t)
	a := newPublisher(t, f)
	d := fixtureDigest(t)
	if err := a.Publish(context.Background(), "C0MKT", reports.DigestMessage(d)); err != nil {
		t.Fatal(err)
	}
	posts := f.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1: %+v", len(posts), posts)
	}
	p := posts[0]
	if p.Method != "chat.postMessage" || p.Channel != "C0MKT" || p.Thread != "" {
		t.Errorf("posted %s to %s thread %q, want chat.postMessage to C0MKT, no thread", p.Method, p.Channel, p.Thread)
	}
	text, blocks := goldenMessage(t, "digest.golden.json")
	if p.Text != text {
		t.Errorf("fallback text (-want +got):\n%s", cmp.Diff(text, p.Text))
	}
	if diff := cmp.Diff(blocks, postedBlocks(t, p)); diff != "" {
		t.Errorf("blocks differ from testdata/digest.golden.json (-want +got):\n%s", diff)
	}

	// Each chart went up the external way, into the digest's thread.
	files := f.Files()
	if len(files) != len(d.Charts) || f.Calls("files.getUploadURLExternal") != len(d.Charts) {
		t.Fatalf("%d files shared, %d upload URLs asked, want %d each", len(files), f.Calls("files.getUploadURLExternal"), len(d.Charts))
	}
	for i, fs := range files {
		if fs.Channel != "C0MKT" || fs.Thread != p.TS {
			t.Errorf("chart %d shared to %s thread %q, want C0MKT thread %s", i+1, fs.Channel, fs.Thread, p.TS)
		}
		var meta []struct{ ID, Title string }
		if err := json.Unmarshal([]byte(fs.Files), &meta); err != nil || len(meta) != 1 || meta[0].Title == "" {
			t.Errorf("chart %d files %s", i+1, fs.Files)
		}
	}
	if !strings.Contains(files[0].Files, "Spend by platform") {
		t.Errorf("the chart is not titled after its section: %s", files[0].Files)
	}
}

func TestPublishAlert(t *testing.T) {
	for name, al := range fixtureAlerts() {
		t.Run(name, func(t *testing.T) {
			f := newFakeSlack(t)
			a := newPublisher(t, f)
			if err := a.Publish(context.Background(), "C0ALERTS", reports.AlertMessage(al)); err != nil {
				t.Fatal(err)
			}
			posts := f.Posts()
			if len(posts) != 1 || posts[0].Channel != "C0ALERTS" || posts[0].Thread != "" {
				t.Fatalf("posts %+v, want one alert in C0ALERTS", posts)
			}
			text, blocks := goldenMessage(t, name+".golden.json")
			if posts[0].Text != text {
				t.Errorf("fallback text %q, want %q", posts[0].Text, text)
			}
			if diff := cmp.Diff(blocks, postedBlocks(t, posts[0])); diff != "" {
				t.Errorf("blocks (-want +got):\n%s", diff)
			}
			if len(f.Files()) != 0 {
				t.Errorf("an alert uploaded files")
			}
		})
	}
}

func TestPublishLongDigestInItsThread(t *testing.T) {
	f := newFakeSlack(t)
	a := newPublisher(t, f)
	d := longDigest(t, 14)
	want := len(RenderDigest(d))
	if err := a.Publish(context.Background(), "C0MKT", reports.DigestMessage(d)); err != nil {
		t.Fatal(err)
	}
	posts := f.Posts()
	if len(posts) != want || want < 3 {
		t.Fatalf("%d posts, want the %d messages the digest renders to", len(posts), want)
	}
	parent := posts[0]
	if parent.Thread != "" {
		t.Errorf("the digest starts in thread %q", parent.Thread)
	}
	var all strings.Builder
	for i, p := range posts {
		if i > 0 && p.Thread != parent.TS {
			t.Errorf("part %d posted to thread %q, want the digest's %s", i+1, p.Thread, parent.TS)
		}
		all.WriteString(p.Blocks)
	}
	for i, s := range d.Sections {
		if n := strings.Count(all.String(), fmt.Sprintf("*%d. %s*", i+1, s.Title)); n != 1 {
			t.Errorf("section %q posted %d times, want once", s.Title, n)
		}
	}
	for _, fs := range f.Files() {
		if fs.Thread != parent.TS {
			t.Errorf("chart in thread %q, want %s", fs.Thread, parent.TS)
		}
	}
}

func TestPublishWaitsOutRateLimits(t *testing.T) {
	f := newFakeSlack(t)
	f.rateLimit("chat.postMessage", time.Second)
	f.rateLimit("files.completeUploadExternal", time.Second)
	clk := newFakeClock()
	a := newPublisher(t, f, withClock(clk))
	start := clk.Now()
	if err := a.Publish(context.Background(), "C0MKT", reports.DigestMessage(fixtureDigest(t))); err != nil {
		t.Fatal(err)
	}
	if took := clk.Now().Sub(start); took < 2*time.Second {
		t.Errorf("took %s, want the two Retry-Afters waited out", took)
	}
	if n := len(f.Posts()); n != 1 || f.Calls("chat.postMessage") != 2 {
		t.Errorf("%d posts in %d calls, want 1 post after one 429", n, f.Calls("chat.postMessage"))
	}
	if n := len(f.Files()); n != 2 {
		t.Errorf("%d charts shared, want 2", n)
	}
}

func TestPublishIsPacedWithReplies(t *testing.T) {
	f := newFakeSlack(t)
	const pace = 150 * time.Millisecond
	clk := newFakeClock()
	f.now = clk.Now
	a := newPublisher(t, f, WithChannelPace(pace), withClock(clk))
	d := longDigest(t, 8)
	if err := a.Publish(context.Background(), "C0MKT", reports.DigestMessage(d)); err != nil {
		t.Fatal(err)
	}
	posts := f.Posts()
	if len(posts) < 2 {
		t.Fatalf("%d posts, want the digest split", len(posts))
	}
	for i := 1; i < len(posts); i++ {
		if gap := posts[i].At.Sub(posts[i-1].At); gap < pace {
			t.Errorf("posts %d and %d %s apart, want at least the channel's pace %s", i, i+1, gap, pace)
		}
	}
}

func TestPublishRefusedChannel(t *testing.T) {
	f := newFakeSlack(t)
	f.closed["C0PRIVATE"] = true
	a := newPublisher(t, f)
	err := a.Publish(context.Background(), "C0PRIVATE", reports.DigestMessage(fixtureDigest(t)))
	if err == nil || !strings.Contains(err.Error(), "not_in_channel") || !strings.Contains(err.Error(), "/invite") {
		t.Errorf("error %v, want not_in_channel with how to invite the bot", err)
	}
	if len(f.Files()) != 0 || f.Calls("files.getUploadURLExternal") != 0 {
		t.Error("charts were uploaded for a digest that was not posted")
	}
}

func TestPublishAfterCloseOrCancel(t *testing.T) {
	f := newFakeSlack(t)
	a := NewPublisher("xoxb-test-token", WithAPIURL(f.URL()), WithLogger(testLogger()), WithChannelPace(0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Publish(ctx, "C0MKT", reports.Message{Title: "x", Text: "y"}); !errors.Is(err, context.Canceled) {
		t.Errorf("publish with a cancelled context: %v", err)
	}
	if err := a.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(context.Background(), "C0MKT", reports.Message{Title: "x", Text: "y"}); !errors.Is(err, errOutboxClosed) {
		t.Errorf("publish after close: %v", err)
	}
	if n := len(f.Posts()); n != 0 {
		t.Errorf("%d posts", n)
	}
}

func TestPublishPlainMessage(t *testing.T) {
	f := newFakeSlack(t)
	a := newPublisher(t, f)
	long := strings.Repeat("A line about spend & <pacing>.\n", 300)
	if err := a.Publish(context.Background(), "C0MKT", reports.Message{Title: "Note", Text: long}); err != nil {
		t.Fatal(err)
	}
	posts := f.Posts()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want the text in two messages (over 12,000 characters escaped)", len(posts))
	}
	got := 0
	for i, p := range posts {
		if i > 0 && p.Thread != posts[0].TS {
			t.Errorf("part %d in thread %q, want %s", i+1, p.Thread, posts[0].TS)
		}
		var blocks []struct {
			Type string
			Text struct{ Text string }
		}
		if err := json.Unmarshal([]byte(p.Blocks), &blocks); err != nil {
			t.Fatal(err)
		}
		for _, b := range blocks {
			if b.Type != "section" {
				continue
			}
			got += strings.Count(b.Text.Text, "A line about spend &amp; &lt;pacing&gt;.")
			if n := len([]rune(b.Text.Text)); n > maxSectionText {
				t.Errorf("section of %d characters", n)
			}
		}
	}
	if got != 300 {
		t.Errorf("%d of 300 lines posted", got)
	}
}

// TestSchedulerPostsThroughTheAdapter runs the reports scheduler with the
// adapter as its Slack publisher: two schedulers on one database post the
// due digest once, its charts in its thread.
func TestSchedulerPostsThroughTheAdapter(t *testing.T) {
	f := newFakeSlack(t)
	db := testDB(t)
	cfg, err := reports.ParseConfig("reports.yaml", []byte(`
digests:
  - name: cfo-weekly
    audience: cfo
    channels: [slack:C0FIN]
    schedule: "0 8 * * WED"
    period: last_week
`), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	due := asOf.Add(8*time.Hour + 30*time.Second)
	var scheds []*reports.Scheduler
	for _, owner := range []string{"one", "two"} {
		st := openStore(t, db)
		pub := reports.Router{"slack": newPublisher(t, f)}
		scheds = append(scheds, reports.NewScheduler(openState(t, db, owner), intents.New(st, intents.WithLogger(testLogger())), pub, cfg,
			reports.WithLogger(testLogger()), reports.WithCharts(fakeChartPNG),
			reports.WithClock(reports.ClockFunc(func() time.Time { return due }))))
	}
	errs := make(chan error, len(scheds))
	for _, s := range scheds {
		go func() { errs <- s.Tick(context.Background(), due) }()
	}
	for range scheds {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var parents []post
	for _, p := range f.Posts() {
		if p.Thread == "" {
			parents = append(parents, p)
		}
	}
	if len(parents) != 1 || parents[0].Channel != "C0FIN" || !strings.Contains(parents[0].Blocks, "CFO digest") {
		t.Fatalf("%d digests posted, want one CFO digest in C0FIN: %+v", len(parents), parents)
	}
	files := f.Files()
	if len(files) == 0 {
		t.Fatal("no chart shared")
	}
	for _, fs := range files {
		if fs.Thread != parents[0].TS {
			t.Errorf("chart in thread %q, want %s", fs.Thread, parents[0].TS)
		}
	}
}

// fakeChartPNG charts any answer with rows as a tiny PNG.
func fakeChartPNG(a model.Answer) ([]byte, bool, error) {
	if len(a.Rows) == 0 {
		return nil, false, nil
	}
	return tinyPNGBytes, true, nil
}

// TestDigestRunFinishedOnlyWhereItDidNotGo: a replica claims a digest run
// for two channels, posts it to the first and dies. The replica that
// takes the run over finds it in the first channel by its metadata
// (conversations.history) and posts it to the second only: each channel
// has it once.
func TestDigestRunFinishedOnlyWhereItDidNotGo(t *testing.T) {
	ctx := context.Background()
	f := newFakeSlack(t)
	db := testDB(t)
	cfg, err := reports.ParseConfig("reports.yaml", []byte(`
digests:
  - name: cfo-weekly
    audience: cfo
    channels: [slack:C0FIN, slack:C0EXEC]
    schedule: "0 8 * * WED"
    period: last_week
`), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	due := asOf.Add(8 * time.Hour)
	now := due.Add(30 * time.Second)
	clock := func() time.Time { return now }
	state := func(owner string) *data.State {
		s, err := data.OpenState(ctx, data.StatePath(db), data.WithOwner(owner), data.WithStateClock(clock), data.WithLease(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	key := reports.ClaimKey("cfo-weekly", due)
	dead := state("dead")
	if err := dead.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	if won, err := dead.Claim(ctx, key); err != nil || !won {
		t.Fatalf("claim = %v, %v", won, err)
	}
	// What the dead replica got out before it died: the run in C0FIN.
	st := openStore(t, db)
	eng := intents.New(st, intents.WithLogger(testLogger()))
	d, _ := cfg.Digest("cfo-weekly")
	dg, err := reports.NewBuilder(eng, nil, testLogger()).Build(ctx, d, asOf)
	if err != nil {
		t.Fatal(err)
	}
	m := reports.DigestMessage(dg)
	m.Key = key
	if err := newPublisher(t, f).Publish(ctx, "C0FIN", m); err != nil {
		t.Fatal(err)
	}
	// Its lease runs out; a live replica finishes the run.
	now = now.Add(3 * time.Minute)
	live := state("live")
	s := reports.NewScheduler(live, eng, reports.Router{"slack": newPublisher(t, f)}, cfg,
		reports.WithLogger(testLogger()), reports.WithCharts(fakeChartPNG), reports.WithClock(reports.ClockFunc(clock)))
	for range 2 {
		if err := live.Heartbeat(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Tick(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	per := map[string]int{}
	for _, p := range f.Posts() {
		if p.Method == "chat.postMessage" && p.Thread == "" {
			per[p.Channel]++
			if !strings.Contains(p.Metadata, key) {
				t.Errorf("digest in %s posted without its run's key in its metadata: %q", p.Channel, p.Metadata)
			}
		}
	}
	if per["C0FIN"] != 1 || per["C0EXEC"] != 1 || len(per) != 2 {
		t.Errorf("digests posted per channel %v, want the run once in each of C0FIN and C0EXEC", per)
	}
}
