package intents

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// maxCachedAnswers bounds the answer cache; past it the cache starts over.
const maxCachedAnswers = 512

// answerCache keeps answers for the data generation they were computed on.
// An answer being computed is waited for rather than computed again: a
// burst of people asking the same question costs one computation.
type answerCache struct {
	off bool // for measuring the uncached path
	// waiting, if set, is called when a caller starts waiting for an
	// answer being computed.
	waiting func(key string)
	mu      sync.Mutex
	gen     int64
	answers map[string]model.Answer
	flights map[string]*flight
}

// flight is an answer being computed.
type flight struct {
	gen  int64
	done chan struct{}
}

// answer returns the answer for key on data generation gen: from the cache,
// from a computation of it already running, or from compute.
func (c *answerCache) answer(ctx context.Context, key string, gen int64, compute func() (model.Answer, error)) (model.Answer, error) {
	if c.off {
		return compute()
	}
	for {
		if a, ok := c.get(key, gen); ok {
			return a, nil
		}
		c.mu.Lock()
		f := c.flights[key]
		if f != nil && f.gen == gen {
			c.mu.Unlock()
			if c.waiting != nil {
				c.waiting(key)
			}
			select {
			case <-f.done: // computed, or failed: look again
				continue
			case <-ctx.Done():
				return model.Answer{}, ctx.Err()
			}
		}
		if c.flights == nil {
			c.flights = map[string]*flight{}
		}
		f = &flight{gen: gen, done: make(chan struct{})}
		c.flights[key] = f
		c.mu.Unlock()
		a, err := compute()
		if err == nil {
			c.put(key, gen, a)
		}
		c.mu.Lock()
		if c.flights[key] == f {
			delete(c.flights, key)
		}
		c.mu.Unlock()
		close(f.done)
		return a, err
	}
}

// cacheKey is the request as answered: everything but its wording.
func cacheKey(req question.Request) string {
	req.Question = ""
	b, _ := json.Marshal(req)
	return string(b)
}

func (c *answerCache) get(key string, gen int64) (model.Answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off || c.gen != gen {
		return model.Answer{}, false
	}
	a, ok := c.answers[key]
	if !ok {
		return model.Answer{}, false
	}
	return a.Clone(), true
}

func (c *answerCache) put(key string, gen int64, a model.Answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || len(c.answers) >= maxCachedAnswers {
		c.gen, c.answers = gen, map[string]model.Answer{}
	}
	c.answers[key] = a.Clone()
}
