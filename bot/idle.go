package bot

import (
	"context"
	"sync"
	"time"
)

// Backlog counts work waiting to be done (questions to answer, messages to
// post), so work that can wait (drawing and uploading charts) lets it go
// first. The zero value is ready to use.
type Backlog struct {
	mu    sync.Mutex
	n     int
	clear chan struct{} // closed while n is zero; nil stands for closed
}

// Add counts one more piece of work.
func (b *Backlog) Add() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		b.clear = make(chan struct{})
	}
	b.n++
}

// Done counts one piece of work done.
func (b *Backlog) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		panic("bot: Backlog.Done without Add")
	}
	b.n--
	if b.n == 0 {
		close(b.clear)
	}
}

// Wait waits until there is no work waiting, or at most max, or until ctx
// is done: what waits behind the backlog is late, never starved.
func (b *Backlog) Wait(ctx context.Context, max time.Duration) {
	b.mu.Lock()
	clear := b.clear
	n := b.n
	b.mu.Unlock()
	if n == 0 || clear == nil {
		return
	}
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-clear:
	case <-t.C:
	case <-ctx.Done():
	}
}
