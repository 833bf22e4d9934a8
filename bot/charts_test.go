package bot

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

func chartable(summary string) model.Answer {
	return model.Answer{Intent: "breakdown", Metrics: []model.MetricID{model.Spend}, GroupBy: []string{"platform"}, Summary: summary,
		Rows: []model.Row{{Key: map[string]string{"platform": "meta"}}, {Key: map[string]string{"platform": "google_ads"}}}}
}

// TestChartDrawnOnce asks for one answer's chart many times at once: it is
// drawn once, and another answer's chart is drawn for it.
func TestChartDrawnOnce(t *testing.T) {
	var drawn atomic.Int64
	b := New(nil, nil, WithLogger(quiet), WithCharter(func(a model.Answer) ([]byte, bool, error) {
		drawn.Add(1)
		time.Sleep(10 * time.Millisecond)
		return []byte("png of " + a.Summary), true, nil
	}))
	draw := b.chartFor(chartable("spend by platform"))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if png := draw(context.Background()); string(png) != "png of spend by platform" {
				t.Errorf("chart %q", png)
			}
		})
	}
	wg.Wait()
	if n := drawn.Load(); n != 1 {
		t.Errorf("drawn %d times, want 1", n)
	}
	if png := b.chartFor(chartable("spend by region"))(context.Background()); string(png) != "png of spend by region" || drawn.Load() != 2 {
		t.Errorf("another answer's chart: %q after %d drawings", png, drawn.Load())
	}
	if b.chartFor(model.Answer{Summary: "one number"}) != nil {
		t.Error("an answer without groups got a chart")
	}
}

// waitUntil polls cond, failing the test after a while.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// waitingNow is how many charts wait for a worker.
func (p *chartPool) waitingNow() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiting)
}

// TestChartQueueBounded draws charts on one worker while more are asked
// for than the queue holds: one at a time is drawn, the oldest waiting is
// dropped, and the rest are drawn in the order they were asked for.
func TestChartQueueBounded(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var order []string
	drawing, most := 0, 0
	b := New(nil, nil, WithLogger(quiet), WithChartWorkers(1), WithCharter(func(a model.Answer) ([]byte, bool, error) {
		mu.Lock()
		drawing++
		most = max(most, drawing)
		order = append(order, a.Summary)
		mu.Unlock()
		<-release
		mu.Lock()
		drawing--
		mu.Unlock()
		return []byte("png of " + a.Summary), true, nil
	}))
	ctx := context.Background()
	got := make([][]byte, chartQueueSize+2)
	done := make([]chan struct{}, len(got))
	for i := range got {
		done[i] = make(chan struct{})
		go func() {
			defer close(done[i])
			got[i] = b.chartFor(chartable(fmt.Sprint("chart ", i)))(ctx)
		}()
		if i == len(got)-1 {
			<-done[1] // the last one pushes out the oldest waiting
			break
		}
		// Asked one after another: the first draws, the others queue.
		waitUntil(t, fmt.Sprint("chart ", i, " is drawing or queued"), func() bool {
			mu.Lock()
			started := len(order)
			mu.Unlock()
			return started+b.charts.waitingNow() == i+1
		})
	}
	close(release)
	for _, d := range done {
		<-d
	}
	if most != 1 {
		t.Errorf("%d charts drawn at once, want 1", most)
	}
	if got[1] != nil {
		t.Errorf("the oldest chart waiting was drawn (%q), want it dropped", got[1])
	}
	for i, png := range got {
		if i != 1 && string(png) != fmt.Sprint("png of chart ", i) {
			t.Errorf("chart %d: %q", i, png)
		}
	}
	if len(order) != len(got)-1 || order[0] != "chart 0" || order[1] != "chart 2" || order[len(order)-1] != fmt.Sprint("chart ", len(got)-1) {
		t.Errorf("drawn in order %q", order)
	}
}

// TestChartGivesUp stops waiting for a worker when its context ends, and
// the worker goes on to the next chart.
func TestChartGivesUp(t *testing.T) {
	release := make(chan struct{})
	b := New(nil, nil, WithLogger(quiet), WithChartWorkers(1), WithCharter(func(a model.Answer) ([]byte, bool, error) {
		if a.Summary == "slow" {
			<-release
		}
		return []byte("png of " + a.Summary), true, nil
	}))
	slow := make(chan []byte)
	go func() { slow <- b.chartFor(chartable("slow"))(context.Background()) }()
	waitUntil(t, "the slow chart is drawing", func() bool {
		b.charts.mu.Lock()
		defer b.charts.mu.Unlock()
		return b.charts.running == 1
	})
	ctx, cancel := context.WithCancel(context.Background())
	given := make(chan []byte)
	go func() { given <- b.chartFor(chartable("given up"))(ctx) }()
	waitUntil(t, "a chart waits", func() bool { return b.charts.waitingNow() == 1 })
	cancel()
	if png := <-given; png != nil {
		t.Errorf("a chart given up on returned %q", png)
	}
	close(release)
	if png := <-slow; string(png) != "png of slow" {
		t.Errorf("slow chart %q", png)
	}
	if png := b.chartFor(chartable("next"))(context.Background()); string(png) != "png of next" {
		t.Errorf("next chart %q", png)
	}
}
