package intents

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// TestAnswerComputedOnce asks for one answer from many goroutines at once:
// it is computed once and every caller gets it; an answer for another data
// generation is computed anew.
func TestAnswerComputedOnce(t *testing.T) {
	var c answerCache
	var computed atomic.Int64
	compute := func() (model.Answer, error) {
		computed.Add(1)
		time.Sleep(20 * time.Millisecond)
		return model.Answer{Summary: "spend was $1"}, nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			a, err := c.answer(context.Background(), "k", 1, compute)
			if err != nil || a.Summary != "spend was $1" {
				t.Errorf("answer %q, %v", a.Summary, err)
			}
		})
	}
	wg.Wait()
	if n := computed.Load(); n != 1 {
		t.Errorf("computed %d times, want 1", n)
	}
	if _, err := c.answer(context.Background(), "k", 2, compute); err != nil || computed.Load() != 2 {
		t.Errorf("a new generation was not computed anew (%d computations, %v)", computed.Load(), err)
	}
}

// TestAnswerFailureNotShared fails the first computation: the callers that
// waited for it compute again rather than sharing the error.
func TestAnswerFailureNotShared(t *testing.T) {
	var c answerCache
	var calls atomic.Int64
	started := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_, err := c.answer(context.Background(), "k", 1, func() (model.Answer, error) {
			calls.Add(1)
			close(started)
			<-release
			return model.Answer{}, errors.New("database busy")
		})
		if err == nil {
			t.Error("the failed computation returned no error")
		}
	}()
	<-started
	done := make(chan model.Answer)
	go func() {
		a, err := c.answer(context.Background(), "k", 1, func() (model.Answer, error) {
			calls.Add(1)
			return model.Answer{Summary: "ok"}, nil
		})
		if err != nil {
			t.Error(err)
		}
		done <- a
	}()
	time.Sleep(10 * time.Millisecond) // the second caller is waiting on the first
	close(release)
	if a := <-done; a.Summary != "ok" || calls.Load() != 2 {
		t.Errorf("after a failure: %q from %d computations, want ok from 2", a.Summary, calls.Load())
	}
}
