package bot

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/llm"
	"github.com/sowhat-ai/sowhat/model"
)

// Errors the bot's middleware stops a message with. Each is answered with
// a sentence (see Explain), not with the generic apology.
var (
	// ErrNotAllowed: the policy refused the asker, the channel or a
	// metric. The refusal says which, as a *model.UserError.
	ErrNotAllowed = errors.New("not allowed")
	// ErrRateLimited: the asker is over their rate.
	ErrRateLimited = errors.New("rate limited")
	// ErrBusy: Enqueue found no room for the message in time.
	ErrBusy = errors.New("queue full")
)

// Apology is what the asker reads when an error is none Explain knows.
const Apology = "Sorry — something went wrong on my side, and I've logged it. Try again in a minute."

// sentences word the errors that say the same thing wherever they come
// from, in the order they are tried.
var sentences = []struct {
	err  error
	text string
}{
	{ErrRateLimited, "You're asking faster than I can answer well, so I'll skip questions for a moment. Try again in a minute."},
	{ErrBusy, "I'm swamped right now and couldn't take that — please ask again in a minute."},
	{ErrClosed, "I'm restarting, so I couldn't take that one. Please ask again in a minute."},
	{context.DeadlineExceeded, "That took longer than it should, so I stopped. Try a narrower question — a shorter period or one platform."},
	{context.Canceled, "I stopped before I could finish that one. Please ask again."},
	{data.ErrSchemaTooNew, "My database was upgraded by a newer version of sowhat, so I can't read it. Whoever runs sowhat here needs to upgrade it."},
	{data.ErrNotFound, "I couldn't find what that refers to. Please ask the question in full."},
	{llm.ErrNotMarketing, "That doesn't look like a question about marketing performance. Ask me about spend, ROAS, CPA, revenue or another metric."},
}

// Explain says what went wrong in words for the person who asked: the one
// place errors turn into what people read, in chat and on the command
// line. An error carrying a *model.UserError says its own sentence; the
// sentinels of the store, the language model and the bot have theirs. For any other
// error known is false and text is the generic Apology: the cause belongs
// in the log (ExplainLog logs it), never in the reply.
func Explain(err error) (text string, known bool) {
	if ue, ok := errors.AsType[*model.UserError](err); ok && ue.Msg != "" {
		return ue.Msg, true
	}
	for _, s := range sentences {
		if errors.Is(err, s.err) {
			return s.text, true
		}
	}
	return Apology, false
}

// ExplainLog is Explain, and logs the cause of an error it does not know,
// at error level.
func ExplainLog(ctx context.Context, log *slog.Logger, err error) string {
	text, known := Explain(err)
	if !known {
		log.LogAttrs(ctx, slog.LevelError, "unexplained error", slog.Any("error", err))
	}
	return text
}

// Apologize tells the asker, in the words Explain finds, why a message was
// not answered when handling it failed and nothing was said yet, so a
// failure is never silence. The error is still returned, for the log.
func Apologize() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, t *Turn) error {
			err := next(ctx, t)
			if err == nil || t.replies > 0 {
				return err
			}
			if t.Outcome == "" {
				t.Outcome = "failed"
			}
			text, _ := Explain(err)
			// The answer's context may be what ran out.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if rerr := t.Reply(rctx, Reply{Notice: text, Private: true}); rerr != nil {
				return errors.Join(err, rerr)
			}
			return err
		}
	}
}

// refuse stops a message the policy does not allow, with its reason.
func refuse(t *Turn, reason string) error {
	t.Outcome = "refused"
	return model.Tell(reason, ErrNotAllowed)
}

// Health answers GET /healthz: 200 when the bot takes messages and ping
// (the database) answers, 503 otherwise. A nil ping checks the bot alone:
// liveness, with the database left to a readiness check.
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
		if ping == nil {
			_, _ = w.Write([]byte("ok\n"))
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
