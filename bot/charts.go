package bot

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/sowhat-ai/sowhat/model"
)

// defaultChartWorkers draws charts on half the cores, at least one, so that
// answers and acknowledgements always have the rest. BenchmarkChartBurst
// (50 distinct charts asked for at once, beside a probe doing an
// acknowledgement's work every millisecond) on 2 shared cores: one worker
// draws 96-146 charts/s at a peak of 45-47 MiB of live heap (71-72 MiB
// RSS) with the probe's p99 at 8-38 ms; two draw 59-113/s, 59-71 MiB
// (84-88 MiB RSS), p99 88-212 ms; every chart at once draws 37-51/s,
// 397-616 MiB (398-613 MiB RSS), p99 548-1656 ms.
func defaultChartWorkers() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// Chart limits.
const (
	// chartQueueSize bounds the charts waiting to be drawn: past it the
	// oldest is dropped (its answer is long posted) with a log line, so a
	// burst costs charts, not memory. Memory is then the workers' drawing
	// plus this many answers. One worker drawing 96-146 charts/s
	// (BenchmarkChartBurst) gets through a full queue in under a second,
	// and drops none of a burst of 50.
	chartQueueSize = 64
	// chartCacheSize is how many drawn charts are kept: many people
	// asking the same question share one chart. BenchmarkLoadBurst in
	// bot/slack shares 150 charts a burst drawn from 6 answers, in the
	// first burst only; a chart takes about 7 ms (BenchmarkChartBurst, one
	// worker), so about 1 s of CPU a burst without the cache.
	chartCacheSize = 64
)

// WithChartWorkers sets how many charts are drawn at once.
func WithChartWorkers(n int) Option { return func(b *Bot) { b.charts.workers = max(1, n) } }

// chartFor returns the function that draws a's chart, or nil when a has
// nothing worth charting. Charts follow their answer into the thread, so
// they can wait: the function waits its turn among a few chart workers
// and returns nil when the chart was dropped (too many waiting) or ctx
// ended first.
func (b *Bot) chartFor(a model.Answer) func(ctx context.Context) []byte {
	if b.charter == nil || a.Clarify != "" || len(a.GroupBy) == 0 || len(a.Rows) < 2 {
		return nil
	}
	return func(ctx context.Context) []byte { return b.charts.draw(ctx, a, b.charter, b.log) }
}

// chartPool draws charts on a bounded number of workers from a bounded
// queue, and keeps the recent ones: one answer asked for at once by many
// is drawn once (singleflight), and again later not at all (the cache).
// The workers are the callers' own goroutines taking turns, so there is
// nothing to stop.
type chartPool struct {
	workers int // charts drawn at once; set by New
	flights singleflight.Group

	mu      sync.Mutex
	running int
	waiting []*chartTurn // oldest first
	drawn   map[[32]byte][]byte
	order   [][32]byte // oldest first
}

// chartTurn is a chart waiting for a worker: ready says true when its turn
// comes, false when it was dropped.
type chartTurn struct {
	ready  chan bool
	intent string
	since  time.Time
}

// draw returns the chart of a: kept, being drawn for someone else, or
// drawn with c in its turn.
func (p *chartPool) draw(ctx context.Context, a model.Answer, c Charter, log *slog.Logger) []byte {
	doc, err := json.Marshal(a)
	if err != nil {
		log.Warn("key chart", slog.Any("error", err))
		return nil
	}
	key := sha256.Sum256(doc)
	if png, ok := p.kept(key); ok {
		return png
	}
	ch := p.flights.DoChan(string(key[:]), func() (any, error) {
		if png, ok := p.kept(key); ok {
			return png, nil
		}
		if !p.acquire(ctx, a.Intent, log) {
			return []byte(nil), nil
		}
		defer p.release()
		png := drawChart(a, c, log)
		p.keep(key, png)
		return png, nil
	})
	select {
	case r := <-ch:
		png, _ := r.Val.([]byte)
		return png
	case <-ctx.Done():
		return nil
	}
}

// acquire waits for a worker, and reports false when the chart was dropped
// from the queue or ctx ended first.
func (p *chartPool) acquire(ctx context.Context, intent string, log *slog.Logger) bool {
	p.mu.Lock()
	if p.running < max(1, p.workers) && len(p.waiting) == 0 {
		p.running++
		p.mu.Unlock()
		return true
	}
	var dropped *chartTurn
	if len(p.waiting) >= chartQueueSize {
		dropped = p.waiting[0]
		p.waiting = slices.Delete(p.waiting, 0, 1)
		dropped.ready <- false
	}
	t := &chartTurn{ready: make(chan bool, 1), intent: intent, since: time.Now()}
	p.waiting = append(p.waiting, t)
	p.mu.Unlock()
	if dropped != nil {
		log.Warn("drop chart: too many waiting to be drawn", slog.String("intent", dropped.intent),
			slog.Int("queue_size", chartQueueSize), slog.Int64("waited_ms", time.Since(dropped.since).Milliseconds()))
	}
	select {
	case ok := <-t.ready:
		return ok
	case <-ctx.Done():
	}
	p.mu.Lock()
	if i := slices.Index(p.waiting, t); i >= 0 {
		p.waiting = slices.Delete(p.waiting, i, i+1)
		p.mu.Unlock()
		return false
	}
	p.mu.Unlock()
	if <-t.ready { // its turn came as ctx ended: pass it on
		p.release()
	}
	return false
}

// release hands the worker to the oldest chart waiting, if any.
func (p *chartPool) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiting) > 0 {
		t := p.waiting[0]
		p.waiting = slices.Delete(p.waiting, 0, 1)
		t.ready <- true
		return
	}
	p.running--
}

// kept returns a chart drawn before: nil when there was nothing to draw,
// or drawing failed.
func (p *chartPool) kept(key [32]byte) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	png, ok := p.drawn[key]
	return png, ok
}

func (p *chartPool) keep(key [32]byte, png []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn == nil {
		p.drawn = map[[32]byte][]byte{}
	}
	if _, ok := p.drawn[key]; ok {
		return
	}
	p.drawn[key] = png
	p.order = append(p.order, key)
	if len(p.order) > chartCacheSize {
		delete(p.drawn, p.order[0])
		p.order = slices.Delete(p.order, 0, 1)
	}
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
