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

// waitUntil fails the test unless done is closed within a generous bound;
// the bound only keeps a broken cache from hanging the run.
func waitUntil(t *testing.T, done <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("gave up waiting: %s", what)
	}
}

// waiters returns a hook for answerCache.waiting that closes the channel
// once n callers wait for a computation.
func waiters(n int) (func(string), <-chan struct{}) {
	var count atomic.Int64
	all := make(chan struct{})
	return func(string) {
		if count.Add(1) == int64(n) {
			close(all)
		}
	}, all
}

// TestAnswerComputedOnce asks for one answer from many goroutines at once:
// it is computed once, while the others wait for it, and every caller gets
// it; an answer for another data generation is computed anew.
func TestAnswerComputedOnce(t *testing.T) {
	const callers = 20
	var c answerCache
	hook, allWaiting := waiters(callers - 1)
	c.waiting = hook
	var computed atomic.Int64
	release := make(chan struct{})
	compute := func() (model.Answer, error) {
		computed.Add(1)
		<-release
		return model.Answer{Summary: "spend was $1"}, nil
	}
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			a, err := c.answer(context.Background(), "k", 1, compute)
			if err != nil || a.Summary != "spend was $1" {
				t.Errorf("answer %q, %v", a.Summary, err)
			}
		})
	}
	waitUntil(t, allWaiting, "every other caller waiting on the first computation")
	close(release)
	wg.Wait()
	if n := computed.Load(); n != 1 {
		t.Errorf("computed %d times, want 1", n)
	}
	if _, err := c.answer(context.Background(), "k", 2, compute); err != nil || computed.Load() != 2 {
		t.Errorf("a new generation was not computed anew (%d computations, %v)", computed.Load(), err)
	}
}

// TestAnswerFailureNotShared fails the first computation: the caller that
// waited for it computes again rather than sharing the error.
func TestAnswerFailureNotShared(t *testing.T) {
	var c answerCache
	hook, waiting := waiters(1)
	c.waiting = hook
	var calls atomic.Int64
	started := make(chan struct{})
	release := make(chan struct{})
	failed := make(chan error, 1)
	go func() {
		_, err := c.answer(context.Background(), "k", 1, func() (model.Answer, error) {
			calls.Add(1)
			close(started)
			<-release
			return model.Answer{}, errors.New("database busy")
		})
		failed <- err
	}()
	waitUntil(t, started, "the first computation")
	done := make(chan model.Answer, 1)
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
	waitUntil(t, waiting, "the second caller waiting on the first")
	close(release)
	if err := <-failed; err == nil {
		t.Error("the failed computation returned no error")
	}
	if a := <-done; a.Summary != "ok" || calls.Load() != 2 {
		t.Errorf("after a failure: %q from %d computations, want ok from 2", a.Summary, calls.Load())
	}
}

// TestAnswerWaitEndsWithItsContext: a caller waiting for someone else's
// computation gives up when its own context ends, and the computation goes
// on for the others.
func TestAnswerWaitEndsWithItsContext(t *testing.T) {
	var c answerCache
	hook, waiting := waiters(1)
	c.waiting = hook
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan model.Answer, 1)
	go func() {
		a, _ := c.answer(context.Background(), "k", 1, func() (model.Answer, error) {
			close(started)
			<-release
			return model.Answer{Summary: "spend was $1"}, nil
		})
		first <- a
	}()
	waitUntil(t, started, "the first computation")
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() {
		_, err := c.answer(ctx, "k", 1, func() (model.Answer, error) {
			t.Error("a waiting caller computed the answer itself")
			return model.Answer{}, nil
		})
		gaveUp <- err
	}()
	waitUntil(t, waiting, "the second caller waiting on the first")
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("waiting caller returned %v, want context.Canceled", err)
	}
	close(release)
	if a := <-first; a.Summary != "spend was $1" {
		t.Errorf("first caller got %q", a.Summary)
	}
}
