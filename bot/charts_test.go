package bot

import (
	"context"
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
			if png := draw(); string(png) != "png of spend by platform" {
				t.Errorf("chart %q", png)
			}
		})
	}
	wg.Wait()
	if n := drawn.Load(); n != 1 {
		t.Errorf("drawn %d times, want 1", n)
	}
	if png := b.chartFor(chartable("spend by region"))(); string(png) != "png of spend by region" || drawn.Load() != 2 {
		t.Errorf("another answer's chart: %q after %d drawings", png, drawn.Load())
	}
	if b.chartFor(model.Answer{Summary: "one number"}) != nil {
		t.Error("an answer without groups got a chart")
	}
}

// TestChartWaitsForAnswers draws a chart while a question waits for its
// answer: the drawing waits until the answer is done.
func TestChartWaitsForAnswers(t *testing.T) {
	var drawnAt atomic.Int64
	b := New(nil, nil, WithLogger(quiet), WithCharter(func(a model.Answer) ([]byte, bool, error) {
		drawnAt.Store(time.Now().UnixNano())
		return []byte("png"), true, nil
	}))
	b.backlog.Add() // a question being answered
	done := make(chan struct{})
	go func() {
		b.chartFor(chartable("spend by platform"))()
		close(done)
	}()
	time.Sleep(30 * time.Millisecond)
	answered := time.Now().UnixNano()
	b.backlog.Done()
	<-done
	if drawnAt.Load() < answered {
		t.Error("the chart was drawn before the waiting question was answered")
	}
}

// TestBacklogWaitBounded waits on a backlog that never clears: the wait
// ends at its bound.
func TestBacklogWaitBounded(t *testing.T) {
	var bl Backlog
	bl.Add()
	start := time.Now()
	bl.Wait(context.Background(), 20*time.Millisecond)
	if d := time.Since(start); d < 20*time.Millisecond || d > 2*time.Second {
		t.Errorf("waited %s, want about 20ms", d)
	}
	bl.Done()
	start = time.Now()
	bl.Wait(context.Background(), time.Minute)
	if d := time.Since(start); d > time.Second {
		t.Errorf("waited %s on a clear backlog", d)
	}
}
