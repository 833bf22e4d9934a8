package slack

import (
	"context"
	"sync"
	"time"
)

// fakeClock is a clock for the outbox that only moves when it sleeps: a
// sleep returns at once, the clock set to when it would have woken (or
// later, when another sleeper woke later). With hold set, sleeps wait for
// it to be closed first, so a test can see what goes on while a lane
// waits its turn.
type fakeClock struct {
	mu       sync.Mutex
	now      time.Time
	hold     chan struct{}
	sleeping int
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	wake := c.now.Add(d)
	hold := c.hold
	c.sleeping++
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.sleeping--
		c.mu.Unlock()
	}()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	if wake.After(c.now) {
		c.now = wake
	}
	c.mu.Unlock()
	return nil
}

// asleep is how many sleeps are waiting.
func (c *fakeClock) asleep() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sleeping
}

// withClock paces the outbox by c.
func withClock(c clock) Option { return func(a *Adapter) { a.clock = c } }
