package llm

import (
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/clock"
)

// Clock is the time the client's breaker and backoff read: the real one,
// or a fake in tests.
type Clock = clock.Clock

// breaker stops calling a model that keeps failing: after limit failures
// in a row it opens for cooldown, then lets one call through (half open);
// that call's success closes it, its failure opens it again.
type breaker struct {
	clock    Clock
	limit    int
	cooldown time.Duration

	mu       sync.Mutex
	failures int
	openedAt time.Time
	trial    bool // a half-open call is under way
}

// allow reports whether a call may be made now.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.limit <= 0 || b.failures < b.limit {
		return true
	}
	if b.trial || b.clock.Now().Sub(b.openedAt) < b.cooldown {
		return false
	}
	b.trial = true
	return true
}

// record notes a call's outcome.
func (b *breaker) record(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
	if ok {
		b.failures = 0
		return
	}
	b.failures++
	if b.failures >= b.limit {
		b.openedAt = b.clock.Now()
	}
}

// Open reports whether the circuit is open: the model is not being called.
func (c *Client) Open() bool {
	b := c.breaker
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit > 0 && b.failures >= b.limit && b.clock.Now().Sub(b.openedAt) < b.cooldown
}
