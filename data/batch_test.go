package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestBatchedClaims races many claims, each event claimed twice and from two
// stores on one file: every event is first exactly once, and each claim is
// on disk once it returns.
func TestBatchedClaims(t *testing.T) {
	ctx := context.Background()
	st, path := newStore(t)
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
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

// TestBatchFailsAlone puts a failing write in a batch with good ones: only
// it fails, and the others commit.
func TestBatchFailsAlone(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	b := st.small
	var (
		writes []*smallWrite
		want   []bool // whether each write should fail
	)
	for i := range 9 {
		w := &smallWrite{ctx: ctx, done: make(chan smallResult, 1)}
		if i == 4 {
			w.query = `INSERT INTO no_such_table VALUES (1)`
		} else {
			w.query = `INSERT INTO bot_threads (thread_key, request, updated_at) VALUES (?, '{}', '2026-11-23T00:00:00Z')`
			w.args = []any{fmt.Sprintf("slack:C1:%d", i)}
		}
		writes = append(writes, w)
		want = append(want, i == 4)
	}
	b.commit(writes)
	for i, w := range writes {
		r := <-w.done
		if failed := r.err != nil; failed != want[i] {
			t.Errorf("write %d: err %v, want failure %v", i, r.err, want[i])
		}
		if want[i] && !strings.Contains(r.err.Error(), "no_such_table") {
			t.Errorf("write %d: err %v does not say what failed", i, r.err)
		}
		if !want[i] && r.rows != 1 {
			t.Errorf("write %d: %d rows, want 1", i, r.rows)
		}
	}
	var stored int
	if err := st.db.GetContext(ctx, &stored, `SELECT COUNT(*) FROM bot_threads`); err != nil || stored != 8 {
		t.Fatalf("%d threads stored (%v), want 8", stored, err)
	}
}

// TestBatchAfterClose refuses writes once the store is closed, without
// hanging.
func TestBatchAfterClose(t *testing.T) {
	st, _ := newStore(t)
	st.Close()
	if _, err := st.ClaimEvent(context.Background(), "slack", "Ev1"); !errors.Is(err, errStoreClosed) {
		t.Fatalf("claim after close: %v, want %v", err, errStoreClosed)
	}
}
