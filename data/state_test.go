package data

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestClaimEventOnceAcrossReopen(t *testing.T) {
	ctx := context.Background()
	st, path := newStore(t)
	first, err := st.ClaimEvent(ctx, "slack", "Ev1")
	if err != nil || !first {
		t.Fatalf("first claim = %v, %v", first, err)
	}
	st.Close()
	st2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	again, err := st2.ClaimEvent(ctx, "slack", "Ev1")
	if err != nil || again {
		t.Fatalf("claim after restart = %v, %v; want false", again, err)
	}
}

func TestClaimRace(t *testing.T) {
	ctx := context.Background()
	st, other := twoStores(t)
	var wg sync.WaitGroup
	wins := make(chan bool, 20)
	for i := 0; i < 20; i++ {
		s := st
		if i%2 == 1 {
			s = other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.Claim(ctx, "digest:cfo:2026-11-23T08:00", "p")
			if err != nil {
				t.Error(err)
			}
			wins <- ok
		}()
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
}

func TestIncidentsOpenOnceAndClear(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
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
}

func TestThreads(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	if _, err := st.Thread(ctx, "C1/1.2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing thread err = %v", err)
	}
	st.SaveThread(ctx, "C1/1.2", []byte(`{"a":1}`))
	st.SaveThread(ctx, "C1/1.2", []byte(`{"a":2}`))
	got, err := st.Thread(ctx, "C1/1.2")
	if err != nil || string(got) != `{"a":2}` {
		t.Fatalf("thread = %s, %v", got, err)
	}
}

// TestClaimEventRace claims many events at once, each twice from one store
// and once from another on the same file: every event is first exactly
// once, and each claim is on disk once it returns.
func TestClaimEventRace(t *testing.T) {
	ctx := context.Background()
	st, other := twoStores(t)
	const events = 300
	firsts := make([]int, events)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range events {
		for _, s := range []*Store{st, st, other} {
			wg.Go(func() {
				first, err := s.ClaimEvent(ctx, "slack", fmt.Sprintf("Ev%04d", i))
				if err != nil {
					t.Error(err)
					return
				}
				if first {
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
			t.Errorf("event %d claimed first %d times", i, n)
		}
	}
	var stored int
	if err := other.db.GetContext(ctx, &stored, `SELECT COUNT(*) FROM bot_events`); err != nil || stored != events {
		t.Fatalf("%d claims on disk (%v), want %d", stored, err, events)
	}
}

// twoStores opens a store and a second one on the same file, as two
// processes would.
func twoStores(t *testing.T) (*Store, *Store) {
	t.Helper()
	st, path := newStore(t)
	other, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return st, other
}
