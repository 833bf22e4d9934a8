package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/jmoiron/sqlx"
)

// maxBatch bounds how many small writes share one transaction.
const maxBatch = 256

// errStoreClosed is returned for a small write the store was closed before.
var errStoreClosed = errors.New("store is closed")

// smallWrite is one statement of a small write (an event claim, a
// thread's context) waiting for the batcher.
type smallWrite struct {
	ctx   context.Context
	query string
	args  []any
	done  chan smallResult
}

type smallResult struct {
	rows int64 // rows affected
	err  error
}

// execer runs a statement outside a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// batcher commits this process's small writes together: whatever is waiting
// when the previous commit ends goes into one transaction. A burst of
// messages then costs a few commits rather than two each, and the writes
// never meet one another in SQLite's busy handler, which sleeps. Alone, a
// write commits at once, as it would without the batcher.
type batcher struct {
	db interface {
		beginner
		execer
	}
	in      chan *smallWrite
	closed  chan struct{} // closed by close
	stopped chan struct{} // closed when run has returned
	once    sync.Once
}

func newBatcher(db *sqlx.DB) *batcher {
	b := &batcher{db: db, in: make(chan *smallWrite, maxBatch), closed: make(chan struct{}), stopped: make(chan struct{})}
	go b.run()
	return b
}

// exec runs query in the next batch and returns the rows it affected, once
// the batch has committed.
func (b *batcher) exec(ctx context.Context, query string, args ...any) (int64, error) {
	w := &smallWrite{ctx: ctx, query: query, args: args, done: make(chan smallResult, 1)}
	select {
	case b.in <- w:
	case <-b.closed:
		return 0, errStoreClosed
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	select {
	case r := <-w.done:
		return r.rows, r.err
	case <-b.stopped:
		select {
		case r := <-w.done:
			return r.rows, r.err
		default:
			return 0, errStoreClosed
		}
	case <-ctx.Done():
		// The write may still commit: callers that give up must treat
		// its outcome as unknown.
		return 0, ctx.Err()
	}
}

func (b *batcher) run() {
	defer close(b.stopped)
	for {
		var batch []*smallWrite
		select {
		case w := <-b.in:
			batch = append(batch, w)
		case <-b.closed:
			b.refuse()
			return
		}
		// Let whatever else is ready run first: in a burst, those are
		// the goroutines about to add their writes to this batch. When
		// nothing else is, this returns at once.
		runtime.Gosched()
	fill:
		for len(batch) < maxBatch {
			select {
			case w := <-b.in:
				batch = append(batch, w)
			default:
				break fill
			}
		}
		b.commit(batch)
	}
}

// refuse answers the writes still queued at close.
func (b *batcher) refuse() {
	for {
		select {
		case w := <-b.in:
			w.done <- smallResult{err: errStoreClosed}
		default:
			return
		}
	}
}

// commit runs a batch in one transaction. Writes whose callers gave up
// before it began are left out. When the transaction fails, each write is
// tried again on its own, so one bad write fails alone.
func (b *batcher) commit(batch []*smallWrite) {
	live := batch[:0]
	for _, w := range batch {
		if err := w.ctx.Err(); err != nil {
			w.done <- smallResult{err: err}
			continue
		}
		live = append(live, w)
	}
	if len(live) == 0 {
		return
	}
	rows := make([]int64, len(live))
	err := b.run1(live, rows)
	if err == nil {
		for i, w := range live {
			w.done <- smallResult{rows: rows[i]}
		}
		return
	}
	if len(live) == 1 {
		live[0].done <- smallResult{err: err}
		return
	}
	for _, w := range live {
		n := make([]int64, 1)
		err := b.run1([]*smallWrite{w}, n)
		w.done <- smallResult{rows: n[0], err: err}
	}
}

// run1 runs writes in one transaction (a single write commits by itself),
// recording the rows each affected.
func (b *batcher) run1(writes []*smallWrite, rows []int64) error {
	// The batch is not any one caller's: it runs to the end.
	ctx := context.Background()
	run := func(db execer) error {
		for i, w := range writes {
			res, err := db.ExecContext(ctx, w.query, w.args...)
			if err != nil {
				return err
			}
			if rows[i], err = res.RowsAffected(); err != nil {
				return fmt.Errorf("rows affected: %w", err)
			}
		}
		return nil
	}
	if len(writes) == 1 {
		return run(b.db)
	}
	return transactOn(ctx, b.db, func(tx *sqlx.Tx) error { return run(tx) })
}

// close refuses further writes and waits for the batch in progress.
func (b *batcher) close() {
	b.once.Do(func() { close(b.closed) })
	<-b.stopped
}
