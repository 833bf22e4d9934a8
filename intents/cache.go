package intents

import (
	"encoding/json"
	"sync"

	"github.com/sowhat-ai/sowhat/data"
)

// maxCachedAnswers bounds the answer cache; past it the cache starts over.
const maxCachedAnswers = 512

// answerCache keeps answers for the data generation they were computed on.
type answerCache struct {
	off     bool // for measuring the uncached path
	mu      sync.Mutex
	gen     int64
	answers map[string]data.Answer
}

// cacheKey is the request as answered: everything but its wording.
func cacheKey(req Request) string {
	req.Question = ""
	b, _ := json.Marshal(req)
	return string(b)
}

func (c *answerCache) get(key string, gen int64) (data.Answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off || c.gen != gen {
		return data.Answer{}, false
	}
	a, ok := c.answers[key]
	if !ok {
		return data.Answer{}, false
	}
	return a.Clone(), true
}

func (c *answerCache) put(key string, gen int64, a data.Answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || len(c.answers) >= maxCachedAnswers {
		c.gen, c.answers = gen, map[string]data.Answer{}
	}
	c.answers[key] = a.Clone()
}
