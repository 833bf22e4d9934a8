package intents

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// maxCachedAnswers bounds the answer cache; past it the cache starts over.
const maxCachedAnswers = 512

// answerCache keeps answers for the data generation they were computed on:
// BenchmarkAsk against BenchmarkAskUncached on the demo database, the
// questions of a morning asked over and over, is 38-41 µs a question
// against 286-291 µs (p99 0.39-0.40 ms against 1.32-1.41 ms). An answer
// being computed is waited for rather than computed again (singleflight):
// a burst of people asking the same question costs one computation. The
// flight is the leader's: when it fails (its caller gave up, say), those
// who waited for it compute again rather than share the error.
type answerCache struct {
	off     bool // for measuring the uncached path
	flights singleflight.Group
	// waiting, if set, is called when a caller starts waiting for an
	// answer another caller is computing.
	waiting func(key string)
	mu      sync.Mutex
	gen     int64
	answers map[string]model.Answer
	running map[string]bool // flights being computed, for waiting
}

// answer returns the answer for key on data generation gen: from the cache,
// from a computation of it already running, or from compute.
func (c *answerCache) answer(ctx context.Context, key string, gen int64, compute func() (model.Answer, error)) (model.Answer, error) {
	if c.off {
		return compute()
	}
	flight := strconv.FormatInt(gen, 10) + ":" + key
	for {
		if a, ok := c.get(key, gen); ok {
			return a, nil
		}
		if a, err, again := c.fly(ctx, flight, key, gen, compute); !again {
			return a, err
		}
	}
}

// fly computes the answer, or waits for the computation another caller
// started; again is true when that other computation failed, so the
// caller should look again rather than share its error.
func (c *answerCache) fly(ctx context.Context, flight, key string, gen int64, compute func() (model.Answer, error)) (a model.Answer, err error, again bool) {
	led := false
	joined := c.start(flight)
	if !joined {
		defer c.finish(flight)
	}
	ch := c.flights.DoChan(flight, func() (any, error) {
		led = true
		a, err := compute()
		if err == nil {
			c.put(key, gen, a)
		}
		return a, err
	})
	if joined && c.waiting != nil {
		c.waiting(key)
	}
	select {
	case r := <-ch:
		if r.Err != nil && !led {
			return model.Answer{}, nil, true
		}
		a, _ := r.Val.(model.Answer)
		if r.Shared {
			a = a.Clone()
		}
		return a, r.Err, false
	case <-ctx.Done():
		return model.Answer{}, ctx.Err(), false
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

// start notes that a caller is about to ask for flight, and reports
// whether another caller asked for it first and has not had its answer
// yet; the first caller clears the note when it has.
func (c *answerCache) start(flight string) (joined bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running[flight] {
		return true
	}
	if c.running == nil {
		c.running = map[string]bool{}
	}
	c.running[flight] = true
	return false
}

func (c *answerCache) finish(flight string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.running, flight)
}

func (c *answerCache) put(key string, gen int64, a model.Answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answers == nil || c.gen != gen || len(c.answers) >= maxCachedAnswers {
		c.gen, c.answers = gen, map[string]model.Answer{}
	}
	c.answers[key] = a.Clone()
}

// WithoutCache computes every answer afresh: for measuring what an answer
// costs (sowhat bench), not for serving.
func WithoutCache() Option { return func(e *Engine) { e.cache.off, e.uncached = true, true } }

// WithoutAnswerCache computes every answer afresh, keeping none: for a
// process that answers one question and exits (sowhat ask), where keeping
// the answer would only cost its key (the request as JSON, the first
// encoding of which reflects over the whole request type) and the flight's
// goroutine. The engine's other caches stay.
func WithoutAnswerCache() Option { return func(e *Engine) { e.cache.off = true } }
