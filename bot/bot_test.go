package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// recorder is a Sender that keeps what it was given.
type recorder struct {
	mu      sync.Mutex
	replies []sent
}

type sent struct {
	to Message
	r  Reply
}

// Send records the reply as posted at once.
func (r *recorder) Send(_ context.Context, to Message, rep Reply) error {
	r.mu.Lock()
	r.replies = append(r.replies, sent{to, rep})
	r.mu.Unlock()
	if rep.Posting != nil {
		rep.Posting()
	}
	if rep.Done != nil {
		rep.Done()
	}
	return nil
}

func (r *recorder) all() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.replies...)
}

func testStore(t *testing.T) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testState opens the bot's state database beside st's.
func testState(t *testing.T, st *data.Store) *data.State {
	t.Helper()
	s, err := data.OpenState(context.Background(), data.StatePath(st.Path()), data.WithOwner("test"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// stub answers in place of the engine, through WithMiddleware: it ends the
// chain before the answer handler.
func stub(fn func(ctx context.Context, t *Turn) error) Option {
	return func(b *Bot) {
		WithLogger(quiet)(b)
		WithMiddleware(func(Handler) Handler { return fn })(b)
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestDedupPersists(t *testing.T) {
	st := testStore(t)
	var mu sync.Mutex
	handled := 0
	run := func() {
		b := New(intents.New(st), testState(t, st), stub(func(ctx context.Context, t *Turn) error {
			mu.Lock()
			handled++
			mu.Unlock()
			return t.Reply(ctx, Reply{Notice: "ok"})
		}))
		b.Start()
		out := &recorder{}
		for range 3 {
			if err := b.Enqueue(context.Background(), Message{Platform: "slack", EventID: "Ev1", User: "U1", Channel: "C1"}, out); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	run()
	run() // a restart on the same database
	if handled != 1 {
		t.Errorf("handled %d times, want 1", handled)
	}
}

func TestEnqueueBlocksWhenFullAndShutdownDrains(t *testing.T) {
	st := testStore(t)
	release := make(chan struct{})
	var mu sync.Mutex
	var done []string
	state := testState(t, st)
	b := New(intents.New(st), state, WithWorkers(1), WithQueueSize(2), WithUserRate(Rate{}), stub(func(ctx context.Context, t *Turn) error {
		<-release
		mu.Lock()
		done = append(done, t.Message.EventID)
		mu.Unlock()
		return nil
	}))
	out := &recorder{}
	if err := b.Enqueue(context.Background(), Message{EventID: "early"}, out); !errors.Is(err, ErrClosed) {
		t.Errorf("Enqueue before Start: %v, want ErrClosed", err)
	}
	b.Start()
	ids := []string{"E1", "E2", "E3"}
	enqueue := func(id string) {
		t.Helper()
		if err := b.Enqueue(context.Background(), Message{Platform: "slack", EventID: id}, out); err != nil {
			t.Fatal(err)
		}
	}
	enqueue("E1")
	for len(b.queue) > 0 { // the worker takes E1 and holds it
		time.Sleep(time.Millisecond)
	}
	enqueue("E2")
	enqueue("E3") // the queue is full now
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := b.Enqueue(ctx, Message{Platform: "slack", EventID: "E4"}, out); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Enqueue on a full queue: %v, want a deadline error", err)
	}
	close(release)
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(done) != 3 {
		t.Errorf("drained %v, want all of %v", done, ids)
	}
	if err := b.Enqueue(context.Background(), Message{EventID: "late"}, out); !errors.Is(err, ErrClosed) {
		t.Errorf("Enqueue after Shutdown: %v, want ErrClosed", err)
	}
	// E4 never got into the queue: the platform delivers it again, and it
	// must not look like a duplicate then.
	if got, _, err := state.AcceptEvent(context.Background(), "slack", "E4", nil); err != nil || got != data.EventNew {
		t.Errorf("E4 was kept though it was never queued (%v, err %v)", got, err)
	}
}

// TestFollowUpKeepsContext asks a follow-up in a thread as soon as the
// first question is answered: it reads the first one's context, and the
// follow-up's context is on disk once it is answered.
func TestFollowUpKeepsContext(t *testing.T) {
	st := testStore(t)
	if _, err := demo.Generate(context.Background(), st, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	state := testState(t, st)
	b := New(intents.New(st), state, WithLogger(quiet), WithWorkers(1), WithToday(func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) }))
	b.Start()
	out := &recorder{}
	ask := func(id, text string, inThread bool) model.Answer {
		t.Helper()
		n := len(out.all())
		m := Message{Platform: "slack", EventID: id, User: "U1", Channel: "C1", Thread: "1790000000.000100", InThread: inThread, Kind: KindMention, Text: text}
		if err := b.Enqueue(context.Background(), m, out); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); len(out.all()) == n; {
			if time.Now().After(deadline) {
				t.Fatalf("no answer to %q", text)
			}
			time.Sleep(time.Millisecond)
		}
		r := out.all()[n].r
		if r.Answer == nil {
			t.Fatalf("%q: reply %+v, want an answer", text, r)
		}
		return *r.Answer
	}
	first := ask("E1", "ROAS last week", false)
	follow := ask("E2", "and for Google?", true)
	if !slices.Equal(follow.Metrics, first.Metrics) || follow.Period != first.Period || !slices.Equal(follow.Filters["platform"], []string{"google_ads"}) {
		t.Errorf("follow-up answered %v over %v for %v; want %v over %v for google", follow.Metrics, follow.Period, follow.Filters, first.Metrics, first.Period)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	doc, err := state.Thread(context.Background(), ThreadKey("slack", "C1", "1790000000.000100"))
	if err != nil {
		t.Fatalf("thread context not saved: %v", err)
	}
	var saved question.Request
	if err := json.Unmarshal(doc, &saved); err != nil || !slices.Equal(saved.Filters["platform"], []string{"google_ads"}) {
		t.Errorf("saved context %s (%v), want the follow-up's", doc, err)
	}
}

func TestFailureIsNeverSilence(t *testing.T) {
	st := testStore(t)
	b := New(intents.New(st), testState(t, st), stub(func(ctx context.Context, t *Turn) error {
		return errors.New("database on fire")
	}))
	b.Start()
	out := &recorder{}
	if err := b.Enqueue(context.Background(), Message{Platform: "slack", EventID: "E1", User: "U1", Channel: "C1"}, out); err != nil {
		t.Fatal(err)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.all()
	if len(got) != 1 || !strings.Contains(got[0].r.Notice, "something went wrong") || strings.Contains(got[0].r.Notice, "fire") {
		t.Errorf("replies %+v, want one apology that doesn't leak the error", got)
	}
}

func TestPanicRecovered(t *testing.T) {
	st := testStore(t)
	b := New(intents.New(st), testState(t, st), WithWorkers(1), stub(func(ctx context.Context, t *Turn) error {
		if t.Message.EventID == "boom" {
			panic("bad message")
		}
		return t.Reply(ctx, Reply{Notice: "fine"})
	}))
	b.Start()
	out := &recorder{}
	for _, id := range []string{"boom", "next"} {
		if err := b.Enqueue(context.Background(), Message{Platform: "slack", EventID: id}, out); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := out.all(); len(got) != 2 || !strings.Contains(got[0].r.Notice, "something went wrong") || got[1].r.Notice != "fine" {
		t.Errorf("after a panic the worker answered %+v", got)
	}
}

func TestHealth(t *testing.T) {
	st := testStore(t)
	b := New(intents.New(st), testState(t, st), WithLogger(quiet))
	if b.Ready() {
		t.Error("ready before Start")
	}
	b.Start()
	if !b.Ready() {
		t.Error("not ready after Start")
	}
	_ = b.Shutdown(context.Background())
	if b.Ready() {
		t.Error("ready after Shutdown")
	}
}

// deadSender is a replica that dies with its replies unposted: it takes
// them, marks the ones in posting as on their way, and never finishes any.
type deadSender struct {
	mu      sync.Mutex
	posting map[string]bool // event ids whose post started
	got     []string
}

func (d *deadSender) Send(_ context.Context, to Message, r Reply) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.got = append(d.got, to.EventID)
	if d.posting[to.EventID] && r.Posting != nil {
		r.Posting()
	}
	return nil
}

// checkingRecorder is a recorder that can tell which events' replies the
// platform already holds.
type checkingRecorder struct {
	recorder
	posted map[string]bool
	asked  []string
}

func (c *checkingRecorder) AlreadyPosted(_ context.Context, to Message) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked = append(c.asked, to.EventID)
	return c.posted[to.EventID], nil
}

// TestUnfinishedEventsAreAnsweredOnceAfterTheirReplicaDies: replica a
// acknowledges three events and dies before posting any reply (one of them
// mid-post, and that one reached the platform). Replica b, once a's lease
// has run out, answers the two that never went out, checks the one in
// doubt with the platform instead of answering it again, and treats
// redeliveries of all three as duplicates.
func TestUnfinishedEventsAreAnsweredOnceAfterTheirReplicaDies(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	var mu sync.Mutex
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	open := func(owner string) *data.State {
		s, err := data.OpenState(ctx, data.StatePath(st.Path()), data.WithOwner(owner), data.WithLease(time.Minute), data.WithStateClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	answer := func(ctx context.Context, t *Turn) error {
		return t.Reply(ctx, Reply{Notice: "answer to " + t.Message.EventID})
	}
	msg := func(id string) Message {
		return Message{Platform: "slack", EventID: id, User: "U1", Channel: "C1", Thread: "1.2", Text: "roas"}
	}

	stA := open("a")
	stA.Heartbeat(ctx)
	a := New(intents.New(st), stA, stub(answer))
	a.Start()
	dead := &deadSender{posting: map[string]bool{"E2": true}}
	for _, id := range []string{"E1", "E2", "E3"} {
		if err := a.Enqueue(ctx, msg(id), dead); err != nil {
			t.Fatal(err)
		}
	}
	a.Shutdown(ctx)

	stB := open("b")
	out := &checkingRecorder{posted: map[string]bool{"E2": true}}
	b := New(intents.New(st), stB, stub(answer))
	b.Start()
	if n, err := b.ResumeOnce(ctx, "slack", out); err != nil || n != 0 {
		t.Fatalf("resumed %d (%v) while a's lease holds; want 0", n, err)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	stB.Heartbeat(ctx)
	if n, err := b.ResumeOnce(ctx, "slack", out); err != nil || n != 3 {
		t.Fatalf("resumed %d (%v), want 3", n, err)
	}
	for _, id := range []string{"E1", "E2", "E3"} { // Slack delivers them all again
		if err := b.Enqueue(ctx, msg(id), out); err != nil {
			t.Fatal(err)
		}
	}
	b.Shutdown(ctx)
	var answered []string
	for _, s := range out.all() {
		answered = append(answered, s.to.EventID)
	}
	slices.Sort(answered)
	if !slices.Equal(answered, []string{"E1", "E3"}) {
		t.Errorf("b answered %v, want E1 and E3 once each", answered)
	}
	if !slices.Equal(out.asked, []string{"E2"}) {
		t.Errorf("b asked the platform about %v, want only E2 (the one in doubt)", out.asked)
	}
	if n, err := stB.Unfinished(ctx); err != nil || n != 0 {
		t.Errorf("%d events left unfinished (%v), want 0", n, err)
	}
}
