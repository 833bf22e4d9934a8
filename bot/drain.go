package bot

import (
	"context"
	"sync"
)

// Drain waits for the work wg counts to finish, or for ctx to end; either
// way it then calls cancel (the context the work runs under), and when ctx
// ended first it waits for the cancelled work to stop. It returns ctx's
// error when the work did not finish in time. The bot's queue and the
// platforms' outboxes shut down through it.
func Drain(ctx context.Context, wg *sync.WaitGroup, cancel context.CancelFunc) error {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		cancel()
		return nil
	case <-ctx.Done():
		cancel()
		<-done
		return ctx.Err()
	}
}
