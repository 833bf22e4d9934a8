package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// fakeNow is a clock tests move by hand.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeNow) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeNow) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newState opens a state database as the replica named owner, on the file
// or URL at path ("" for a new file), on clock c.
func newState(t *testing.T, path, owner string, c *fakeNow) (*State, string) {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "sowhat-state.db")
	}
	opts := []StateOption{WithOwner(owner), WithLease(30 * time.Second)}
	if c != nil {
		opts = append(opts, WithStateClock(c.now))
	}
	s, err := OpenState(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("OpenState: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestStatePath(t *testing.T) {
	for in, want := range map[string]string{
		"/d/sowhat.db": "/d/sowhat-state.db",
		"data/x":       "data/x-state",
		"a.b/c.sqlite": "a.b/c-state.sqlite",
	} {
		if got := StatePath(in); got != want {
			t.Errorf("StatePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAcceptEventOnceAcrossReopen(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, path := newState(t, dsn, "a", nil)
		got, _, err := st.AcceptEvent(ctx, "slack", "Ev1", []byte(`{"text":"roas"}`))
		if err != nil || got != EventNew {
			t.Fatalf("first accept = %v, %v", got, err)
		}
		if err := st.FinishEvent(ctx, "slack", "Ev1"); err != nil {
			t.Fatal(err)
		}
		st.Close()
		st2, _ := newState(t, path, "b", nil)
		again, _, err := st2.AcceptEvent(ctx, "slack", "Ev1", nil)
		if err != nil || again != EventSeen {
			t.Fatalf("accept after restart = %v, %v; want seen", again, err)
		}
	})
}

// TestEventLease: an event its owner never finished is left alone while the
// owner's heartbeat is good, then taken over by exactly one other replica,
// with its message and whether its reply was on its way.
func TestEventLease(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clock := &fakeNow{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
		a, path := newState(t, dsn, "a", clock)
		b, _ := newState(t, path, "b", clock)
		c, _ := newState(t, path, "c", clock)
		for _, s := range []*State{a, b, c} {
			if err := s.Heartbeat(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			if got, _, err := a.AcceptEvent(ctx, "slack", fmt.Sprint("Ev", i), []byte(fmt.Sprintf(`{"n":%d}`, i))); err != nil || got != EventNew {
				t.Fatalf("accept = %v, %v", got, err)
			}
		}
		if err := a.EventPosting(ctx, "slack", "Ev1"); err != nil {
			t.Fatal(err)
		}
		if err := a.FinishEvent(ctx, "slack", "Ev2"); err != nil {
			t.Fatal(err)
		}
		// a is alive: a redelivery is seen, and nothing is an orphan.
		if got, _, _ := b.AcceptEvent(ctx, "slack", "Ev0", nil); got != EventSeen {
			t.Fatalf("redelivery while the owner lives = %v, want seen", got)
		}
		if o, err := b.TakeOrphans(ctx, "slack", 10); err != nil || len(o) != 0 {
			t.Fatalf("orphans while the owner lives = %v, %v", o, err)
		}
		// a goes silent; b and c keep their heartbeats.
		clock.add(31 * time.Second)
		b.Heartbeat(ctx)
		c.Heartbeat(ctx)
		got, posting, err := b.AcceptEvent(ctx, "slack", "Ev1", nil)
		if err != nil || got != EventResumed || !posting {
			t.Fatalf("redelivery of a dead owner's posting event = %v posting=%v, %v; want resumed, posting", got, posting, err)
		}
		var wg sync.WaitGroup
		taken := make([][]PendingEvent, 2)
		for i, s := range []*State{b, c} {
			wg.Go(func() {
				o, err := s.TakeOrphans(ctx, "slack", 10)
				if err != nil {
					t.Error(err)
				}
				taken[i] = o
			})
		}
		wg.Wait()
		all := append(taken[0], taken[1]...)
		if len(all) != 1 || all[0].EventID != "Ev0" || string(all[0].Message) != `{"n":0}` || all[0].Posting {
			t.Fatalf("orphans taken = %+v; want Ev0 once, with its message, not posting", all)
		}
		if n, _ := a.Unfinished(ctx); n != 2 {
			t.Fatalf("unfinished = %d, want 2", n)
		}
		// A retired replica's work is free at once.
		if _, _, err := c.AcceptEvent(ctx, "slack", "Ev9", nil); err != nil {
			t.Fatal(err)
		}
		c.Retire(ctx)
		// (c may hold Ev0 too, taken above: it is free again as well.)
		want := map[string]bool{"Ev9": true}
		if len(taken[1]) == 1 {
			want["Ev0"] = true
		}
		o, _ := b.TakeOrphans(ctx, "slack", 10)
		if len(o) != len(want) {
			t.Fatalf("after retire, orphans = %+v; want %v", o, want)
		}
		for _, e := range o {
			if !want[e.EventID] {
				t.Fatalf("after retire, orphans = %+v; want %v", o, want)
			}
		}
	})
}

func TestAbandonEvent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, _ := newState(t, dsn, "a", nil)
		st.AcceptEvent(ctx, "slack", "Ev1", nil)
		if err := st.AbandonEvent(ctx, "slack", "Ev1"); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := st.AcceptEvent(ctx, "slack", "Ev1", nil); got != EventNew {
			t.Fatalf("after abandon, accept = %v; want new", got)
		}
	})
}

func TestClaimRace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, path := newState(t, dsn, "a", nil)
		other, _ := newState(t, path, "b", nil)
		var wg sync.WaitGroup
		wins := make(chan bool, 20)
		for i := 0; i < 20; i++ {
			s := st
			if i%2 == 1 {
				s = other
			}
			wg.Go(func() {
				ok, err := s.Claim(ctx, "digest:cfo:2026-11-23T08:00")
				if err != nil {
					t.Error(err)
				}
				wins <- ok
			})
		}
		wg.Wait()
		close(wins)
		n := 0
		for w := range wins {
			if w {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d winners, want 1", n)
		}
	})
}

// TestClaimLease: a claim never marked posted is taken over by one live
// replica once its owner's heartbeat is older than the lease; a posted one
// never is.
func TestClaimLease(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clock := &fakeNow{t: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)}
		a, path := newState(t, dsn, "a", clock)
		b, _ := newState(t, path, "b", clock)
		a.Heartbeat(ctx)
		b.Heartbeat(ctx)
		a.Claim(ctx, "digest:cfo:1")
		a.Claim(ctx, "digest:cmo:1")
		a.MarkPosted(ctx, "digest:cmo:1")
		if keys, _ := b.TakeOrphanClaims(ctx, "digest:"); len(keys) != 0 {
			t.Fatalf("taken while a lives: %v", keys)
		}
		clock.add(time.Minute)
		b.Heartbeat(ctx)
		keys, err := b.TakeOrphanClaims(ctx, "digest:")
		if err != nil || len(keys) != 1 || keys[0] != "digest:cfo:1" {
			t.Fatalf("taken = %v, %v; want digest:cfo:1", keys, err)
		}
		if keys, _ := b.TakeOrphanClaims(ctx, "digest:"); len(keys) != 0 {
			t.Fatalf("taken twice: %v", keys)
		}
		// b owns it now: a, back from the dead, can't release it.
		a.Release(ctx, "digest:cfo:1")
		if won, _ := b.Claim(ctx, "digest:cfo:1"); won {
			t.Fatal("a released b's claim")
		}
	})
}

func TestIncidentsOpenOnceAndClear(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, _ := newState(t, dsn, "a", nil)
		now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
		opened, _ := st.OpenIncident(ctx, "overspend", "meta", "", now)
		again, _ := st.OpenIncident(ctx, "overspend", "meta", "", now.Add(time.Hour))
		if !opened || again {
			t.Fatalf("open = %v, again = %v; want true, false", opened, again)
		}
		open, err := st.OpenIncidents(ctx, "overspend")
		if err != nil || len(open) != 1 {
			t.Fatalf("open incidents = %v, %v", open, err)
		}
		cleared, _ := st.ClearIncident(ctx, open[0].ID, now.Add(2*time.Hour))
		twice, _ := st.ClearIncident(ctx, open[0].ID, now.Add(3*time.Hour))
		if !cleared || twice {
			t.Fatalf("clear = %v, twice = %v", cleared, twice)
		}
		reopened, _ := st.OpenIncident(ctx, "overspend", "meta", "", now.Add(4*time.Hour))
		if !reopened {
			t.Fatal("a new incident after clearing should open")
		}
	})
}

func TestThreads(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, _ := newState(t, dsn, "a", nil)
		if _, err := st.Thread(ctx, "C1/1.2"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing thread err = %v", err)
		}
		st.SaveThread(ctx, "C1/1.2", []byte(`{"a":1}`))
		st.SaveThread(ctx, "C1/1.2", []byte(`{"a":2}`))
		got, err := st.Thread(ctx, "C1/1.2")
		if err != nil || string(got) != `{"a":2}` {
			t.Fatalf("thread = %s, %v", got, err)
		}
	})
}

// TestAcceptEventRace accepts many events at once, each twice from one
// replica and once from another on the same file: every event is new
// exactly once, and each is on disk once accepted.
func TestAcceptEventRace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, path := newState(t, dsn, "a", nil)
		other, _ := newState(t, path, "b", nil)
		st.Heartbeat(ctx)
		other.Heartbeat(ctx)
		const events = 300
		firsts := make([]int, events)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range events {
			for _, s := range []*State{st, st, other} {
				wg.Go(func() {
					got, _, err := s.AcceptEvent(ctx, "slack", fmt.Sprintf("Ev%04d", i), nil)
					if err != nil {
						t.Error(err)
						return
					}
					if got != EventSeen {
						mu.Lock()
						firsts[i]++
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
		for i, n := range firsts {
			if n != 1 {
				t.Errorf("event %d taken %d times", i, n)
			}
		}
		var stored int
		if err := other.db.GetContext(ctx, &stored, `SELECT COUNT(*) FROM bot_events`); err != nil || stored != events {
			t.Fatalf("%d events on disk (%v), want %d", stored, err, events)
		}
	})
}
