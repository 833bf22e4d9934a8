package bot

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// maxChartDefer bounds how long drawing a chart waits for the questions
// queued before it to be answered.
const maxChartDefer = 2 * time.Second

// chartCacheSize is how many drawn charts are kept.
const chartCacheSize = 64

// chartFor returns the function that draws a's chart, or nil when a has
// nothing worth charting. The drawing waits until the questions waiting
// for an answer have one (charts follow their answer into the thread, so
// they can be late, and a burst of questions is answered first), and the
// same answer is drawn once: many people asking the same question share
// one chart.
func (b *Bot) chartFor(a model.Answer) func() []byte {
	if b.charter == nil || a.Clarify != "" || len(a.GroupBy) == 0 || len(a.Rows) < 2 {
		return nil
	}
	return func() []byte {
		b.waitQuiet(maxChartDefer)
		return b.charts.draw(a, b.charter, b.log)
	}
}

// waitQuiet waits, at most max, until no question is waiting for an answer
// and no adapter is acknowledging requests.
func (b *Bot) waitQuiet(max time.Duration) {
	ctx := b.base // cancelled when a shutdown runs out of time
	if ctx == nil {
		ctx = context.Background() // not started
	}
	deadline := time.Now().Add(max)
	for {
		b.backlog.Wait(ctx, time.Until(deadline))
		if !b.busyNow() || time.Now().After(deadline) || ctx.Err() != nil {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// chartCache keeps recently drawn charts by the answer they draw; a chart
// being drawn is waited for rather than drawn twice.
type chartCache struct {
	mu      sync.Mutex
	entries map[[32]byte]*chartEntry
	order   [][32]byte // oldest first
}

type chartEntry struct {
	drawn chan struct{} // closed once png is set
	png   []byte        // nil when there is no chart, or drawing failed
}

// draw returns the chart of a, drawing it with c unless it was drawn
// already.
func (cc *chartCache) draw(a model.Answer, c Charter, log *slog.Logger) []byte {
	doc, err := json.Marshal(a)
	if err != nil {
		log.Warn("key chart", slog.Any("error", err))
		return drawChart(a, c, log)
	}
	key := sha256.Sum256(doc)
	cc.mu.Lock()
	if cc.entries == nil {
		cc.entries = map[[32]byte]*chartEntry{}
	}
	if e, ok := cc.entries[key]; ok {
		cc.mu.Unlock()
		<-e.drawn
		return e.png
	}
	e := &chartEntry{drawn: make(chan struct{})}
	cc.entries[key] = e
	cc.order = append(cc.order, key)
	if len(cc.order) > chartCacheSize {
		delete(cc.entries, cc.order[0])
		cc.order = cc.order[1:]
	}
	cc.mu.Unlock()
	e.png = drawChart(a, c, log)
	close(e.drawn)
	return e.png
}

// drawChart draws a; a failure costs the chart, not the answer.
func drawChart(a model.Answer, c Charter, log *slog.Logger) []byte {
	png, ok, err := c(a)
	if err != nil {
		log.Warn("draw chart", slog.String("intent", a.Intent), slog.Any("error", err))
		return nil
	}
	if !ok {
		return nil
	}
	return png
}
