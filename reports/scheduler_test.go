package reports

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

var london, _ = time.LoadLocation("Europe/London")

// mondayEight is when the weekly digest of the tests is due: Monday May 4
// 2026, 08:00 in London (07:00 UTC).
var mondayEight = time.Date(2026, 5, 4, 8, 0, 0, 0, london)

// weeklyConfig is one CFO digest every Monday at 08:00 London time.
func weeklyConfig(t *testing.T, catchUp string) Config {
	t.Helper()
	yaml := `
tz: Europe/London
catch_up: ` + catchUp + `
digests:
  - name: cfo-weekly
    audience: cfo
    channels: [slack:C0123FIN, slack:C0123EXEC]
    schedule: "0 8 * * MON"
    period: last_week
`
	c, err := ParseConfig("test.yaml", []byte(yaml), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newScheduler(st *data.Store, pub Publisher, cfg Config, clock Clock, owner string) *Scheduler {
	return NewScheduler(openState(st, owner, clock), engine(st), pub, cfg, WithClock(clock), WithLogger(quietLog()), WithCharts(fakeChart))
}

func tick(t *testing.T, s *Scheduler, at time.Time) {
	t.Helper()
	if err := s.Tick(context.Background(), at); err != nil {
		t.Fatalf("Tick(%s): %v", at, err)
	}
}

func TestSchedulerPostsEachRunOnceAcrossRestarts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, path := demo(t)
		cfg := weeklyConfig(t, "6h")
		pub := &fakePublisher{}
		clock := &fakeClock{now: mondayEight.Add(-time.Minute)}
		s := newScheduler(st, pub, cfg, clock, "first")

		tick(t, s, mondayEight.Add(-time.Minute))
		if n := len(pub.all()); n != 0 {
			t.Fatalf("%d posts before the scheduled time", n)
		}
		tick(t, s, mondayEight.Add(20*time.Second))
		tick(t, s, mondayEight.Add(time.Minute))
		posts := pub.all()
		if len(posts) != 2 {
			t.Fatalf("%d posts, want one per channel (2)", len(posts))
		}
		if posts[0].Channel != "slack:C0123FIN" || posts[1].Channel != "slack:C0123EXEC" {
			t.Errorf("channels %s, %s", posts[0].Channel, posts[1].Channel)
		}
		m := posts[0].Msg
		if m.Digest == nil || m.Digest.Audience != model.AudienceCFO || len(m.Charts) == 0 || !strings.Contains(m.Text, "What matters this period") {
			t.Errorf("message %q lacks its digest, charts or text", m.Title)
		}
		if got := m.Digest.Period.Start.Format(period.DateLayout); got != "2026-04-27" {
			t.Errorf("digest period starts %s, want last week's Monday 2026-04-27", got)
		}

		// Restart in the middle of the schedule: a new process on the same
		// database does not post the run again.
		st.Close()
		st2 := openStore(t, path)
		s2 := newScheduler(st2, pub, cfg, clock, "second")
		tick(t, s2, mondayEight.Add(2*time.Minute))
		tick(t, s2, mondayEight.Add(3*time.Hour))
		if n := len(pub.all()); n != 2 {
			t.Fatalf("%d posts after the restart, want still 2", n)
		}
		// The next week's run is posted once.
		next := mondayEight.AddDate(0, 0, 7)
		tick(t, s2, next.Add(time.Minute))
		tick(t, s2, next.Add(2*time.Minute))
		if n := len(pub.all()); n != 4 {
			t.Fatalf("%d posts after the next week's run, want 4", n)
		}
	})
}

func TestSchedulerCatchesUpMissedRunOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		tests := []struct {
			name     string
			catchUp  string
			start    time.Time
			wantPost bool
		}{
			{"within the window", "6h", mondayEight.Add(3 * time.Hour), true},
			{"at the window's end", "6h", mondayEight.Add(6 * time.Hour), true},
			{"older than the window", "6h", mondayEight.Add(6*time.Hour + time.Minute), false},
			{"no catch-up, restarted at once", "0", mondayEight.Add(3 * time.Minute), true},
			{"no catch-up, an hour late", "0", mondayEight.Add(time.Hour), false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st, _ := demo(t)
				pub := &fakePublisher{}
				s := newScheduler(st, pub, weeklyConfig(t, tt.catchUp), &fakeClock{now: tt.start}, "late")
				tick(t, s, tt.start)
				tick(t, s, tt.start.Add(time.Minute))
				want := 0
				if tt.wantPost {
					want = 2
				}
				posts := pub.all()
				if len(posts) != want {
					t.Fatalf("%d posts, want %d", len(posts), want)
				}
				if want > 0 && posts[0].Msg.Digest.AsOf.Format(period.DateLayout) != "2026-05-04" {
					t.Errorf("caught-up digest is as of %s, want its scheduled day", posts[0].Msg.Digest.AsOf.Format(period.DateLayout))
				}
			})
		}
	})
}

func TestSchedulersRacingOnOneDatabasePostOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		_, path := demo(t)
		cfg := weeklyConfig(t, "6h")
		pub := &fakePublisher{}
		const procs = 4
		var wg sync.WaitGroup
		errs := make(chan error, procs*3)
		for i := range procs {
			st := openStore(t, path) // a separate connection pool, as a second process has
			s := newScheduler(st, pub, cfg, &fakeClock{now: mondayEight}, "proc-"+string(rune('a'+i)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range 3 {
					errs <- s.Tick(context.Background(), mondayEight.Add(time.Duration(k)*time.Second))
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if n := len(pub.all()); n != 2 {
			t.Fatalf("%d posts from %d racing schedulers, want 2 (one run, two channels)", n, procs)
		}
	})
}

func TestSchedulerRetriesARunThatFailedToPost(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, _ := demo(t)
		pub := &fakePublisher{fail: errors.New("slack is down")}
		s := newScheduler(st, pub, weeklyConfig(t, "6h"), &fakeClock{now: mondayEight}, "p")
		if err := s.Tick(context.Background(), mondayEight.Add(time.Minute)); err == nil || !strings.Contains(err.Error(), "slack is down") {
			t.Fatalf("Tick error = %v, want the post failure", err)
		}
		// The claim was released: another process may take it.
		probe := openState(st, "probe", nil)
		won, err := probe.Claim(context.Background(), ClaimKey("cfo-weekly", mondayEight))
		if err != nil || !won {
			t.Fatalf("claim after a failed post = %v, %v; want it free", won, err)
		}
		if err := probe.Release(context.Background(), ClaimKey("cfo-weekly", mondayEight)); err != nil {
			t.Fatal(err)
		}
		pub.fail = nil
		tick(t, s, mondayEight.Add(10*time.Minute))
		tick(t, s, mondayEight.Add(11*time.Minute))
		if n := len(pub.all()); n != 2 {
			t.Fatalf("%d posts after the retry, want 2", n)
		}
	})
}

// TestSchedulerFinishesARunWhoseClaimantDied: a replica claims the run and
// dies before posting. While its lease holds, no one posts; once it runs
// out, exactly one of two live replicas posts the run, once, and a run
// found after the catch-up window is dropped instead.
func TestSchedulerFinishesARunWhoseClaimantDied(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		for _, tt := range []struct {
			name      string
			late      time.Duration // when the live replicas look, after the claim
			wantPosts int
		}{
			{"within the window", 2 * time.Minute, 2},
			{"past the window", 7 * time.Hour, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ctx := context.Background()
				st, path := demo(t)
				cfg := weeklyConfig(t, "6h")
				clock := &fakeClock{now: mondayEight.Add(time.Minute)}
				dead := openState(st, "dead", clock)
				dead.Heartbeat(ctx)
				if won, err := dead.Claim(ctx, ClaimKey("cfo-weekly", mondayEight)); err != nil || !won {
					t.Fatalf("claim = %v, %v", won, err)
				}
				pub := &fakePublisher{}
				var live []*Scheduler
				for _, owner := range []string{"b", "c"} {
					s := newScheduler(openStore(t, path), pub, cfg, clock, owner)
					s.st.Heartbeat(ctx)
					live = append(live, s)
				}
				for _, s := range live {
					tick(t, s, clock.Now())
				}
				if n := len(pub.all()); n != 0 {
					t.Fatalf("%d posts while the claimant's lease holds, want 0", n)
				}
				clock.now = clock.now.Add(tt.late)
				for range 2 {
					for _, s := range live {
						s.st.Heartbeat(ctx)
						tick(t, s, clock.Now())
					}
				}
				if n := len(pub.all()); n != tt.wantPosts {
					t.Fatalf("%d posts after the lease ran out, want %d (one run, two channels)", n, tt.wantPosts)
				}
			})
		}
	})
}

func TestClaimKeyIsTheScheduledTimeInUTC(t *testing.T) {
	s := NewScheduler(nil, nil, nil, weeklyConfig(t, "0"), WithLogger(quietLog()))
	d := s.cfg.Digests[0]
	at, ok := s.due(d.sched, d.Location, mondayEight.Add(time.Minute))
	if !ok {
		t.Fatal("not due a minute after its time")
	}
	if got, want := ClaimKey(d.Name, at), "digest:cfo-weekly:2026-05-04T07:00:00Z"; got != want {
		t.Errorf("claim key %s, want %s (08:00 BST)", got, want)
	}
	if _, ok := s.due(d.sched, d.Location, mondayEight.Add(-time.Minute)); ok {
		t.Error("due a minute before its time")
	}
}

func TestSendPostsNow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, _ := demo(t)
		pub := &fakePublisher{}
		s := newScheduler(st, pub, weeklyConfig(t, "0"), &fakeClock{now: time.Date(2026, 5, 4, 15, 0, 0, 0, time.UTC)}, "cli")
		if err := s.Send(context.Background(), "cfo-weekly", time.Time{}); err != nil {
			t.Fatal(err)
		}
		if err := s.Send(context.Background(), "nope", time.Time{}); err == nil {
			t.Error("sent an unknown digest")
		}
		if n := len(pub.all()); n != 2 {
			t.Fatalf("%d posts, want 2", n)
		}
	})
}

func TestRouter(t *testing.T) {
	slack := &fakePublisher{}
	r := Router{"slack": slack}
	if err := r.Publish(context.Background(), "slack:C1", Message{Title: "x"}); err != nil {
		t.Fatal(err)
	}
	if got := slack.all(); len(got) != 1 || got[0].Channel != "C1" {
		t.Errorf("slack got %+v", got)
	}
	if err := r.Publish(context.Background(), "teams:abc", Message{}); err == nil || !strings.Contains(err.Error(), "no teams adapter") {
		t.Errorf("teams without adapter: %v", err)
	}
}

// TestRunCatchesUpAtStartAndStops: Run posts the run it missed on its first
// check, posts nothing more on the checks after it, and stops when told.
func TestRunCatchesUpAtStartAndStops(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, _ := demo(t)
		pub := &fakePublisher{}
		clock := &fakeClock{now: mondayEight.Add(2 * time.Hour), reads: make(chan struct{})}
		s := NewScheduler(openState(st, "p", clock), engine(st), pub, weeklyConfig(t, "6h"), WithClock(clock), WithLogger(quietLog()), WithCharts(fakeChart), WithInterval(5*time.Millisecond))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		// Run reads the clock once per check, before it: the fourth read
		// means the first check (the catch-up) and two more are done.
		deadline := time.After(30 * time.Second)
		for read := 1; read <= 4; read++ {
			select {
			case <-clock.reads:
			case err := <-done:
				t.Fatalf("Run returned %v before it was stopped", err)
			case <-deadline:
				t.Fatalf("Run read the clock %d times, want 4 checks", read-1)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run returned %v", err)
		}
		if n := len(pub.all()); n != 2 {
			t.Errorf("%d posts, want 2", n)
		}
	})
}
