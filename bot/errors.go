package bot

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Apologize tells the asker when answering failed and nothing was said yet,
// so a failure is never silence. The error still goes to the log.
func Apologize() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, t *Turn) error {
			err := next(ctx, t)
			if err == nil || t.replies > 0 {
				return err
			}
			t.Outcome = "failed"
			// The answer's context may be what ran out.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if rerr := t.Reply(rctx, Reply{Notice: apology(err), Private: true}); rerr != nil {
				return errors.Join(err, rerr)
			}
			return err
		}
	}
}

// apology says what went wrong in words for the asker: the one place errors
// are mapped to what people see.
func apology(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "That took longer than it should, so I stopped. Try a narrower question — a shorter period or one platform."
	case errors.Is(err, context.Canceled):
		return "I was restarting and couldn't finish that one. Please ask again."
	}
	return "Sorry — something went wrong on my side answering that, and I've logged it. Try again in a minute."
}

// Health answers GET /healthz: 200 when the bot takes messages and ping
// (the database) answers, 503 otherwise.
func (b *Bot) Health(ping func(ctx context.Context) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if !b.Ready() {
			http.Error(w, "not ready: starting or shutting down", http.StatusServiceUnavailable)
			return
		}
		if err := ping(ctx); err != nil {
			b.log.Warn("health check", slog.Any("error", err))
			http.Error(w, "not ready: database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
}
