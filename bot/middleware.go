package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/sowhat-ai/sowhat/metrics"
)

// Turn is one message being handled, and the way to answer it.
type Turn struct {
	Message Message
	// Audience is the reader's role (cfo, cmo, ...) when the policy knows it.
	Audience string
	// Outcome is what became of the message, for the log: answered,
	// refused, limited, ignored, failed.
	Outcome string
	// Intent is what the question asked for, once it is understood
	// (value, compare, breakdown, ...), for the log and the metrics.
	Intent string

	to      Sender
	replies int
	// progress, when set, hears of each reply's way out: the bot records
	// it, so an event is done only once its reply is posted.
	progress *progress
}

// Reply sends r to the conversation the message came from.
func (t *Turn) Reply(ctx context.Context, r Reply) error {
	t.replies++
	if t.progress != nil {
		t.progress.track(&r)
	}
	return t.to.Send(ctx, t.Message, r)
}

// Handler handles one message.
type Handler func(ctx context.Context, t *Turn) error

// Middleware wraps a handler: dedup, access, rate limits, logging.
type Middleware func(Handler) Handler

// Chain wraps h in mw, the first outermost.
func Chain(h Handler, mw ...Middleware) Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Logging logs every message handled: who, where, what became of it and how
// long it took, and the error that stopped it: at info level a refusal, at
// warn one Explain words, at error any other. The text is logged only at debug level; secrets never.
func Logging(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, t *Turn) error {
			start := time.Now()
			err := next(ctx, t)
			m := t.Message
			attrs := []slog.Attr{
				slog.String("platform", m.Platform), slog.String("event_id", m.EventID),
				slog.String("team", m.Team), slog.String("channel", m.Channel), slog.String("user", m.User),
				slog.String("kind", string(m.Kind)), slog.String("outcome", t.Outcome),
				slog.String("intent", t.Intent),
				slog.Int64("handle_ms", time.Since(start).Milliseconds()),
			}
			if !m.Received.IsZero() {
				attrs = append(attrs, slog.Int64("since_ack_ms", time.Since(m.Received).Milliseconds()))
			}
			if err != nil {
				// A refusal is an outcome, an error the asker was told about
				// in words a warning, any other a fault.
				level := slog.LevelError
				if _, known := Explain(err); known {
					level = slog.LevelWarn
					if t.Outcome == "refused" || t.Outcome == "limited" {
						level = slog.LevelInfo
					}
				}
				attrs = append(attrs, slog.Any("error", err))
				log.LogAttrs(ctx, level, "handle message", attrs...)
				return err
			}
			log.LogAttrs(ctx, slog.LevelInfo, "handle message", attrs...)
			log.LogAttrs(ctx, slog.LevelDebug, "message text", slog.String("event_id", m.EventID), slog.String("text", m.Text))
			return nil
		}
	}
}

// Measure counts every message handled by intent and outcome, and how
// long after its acknowledgement its reply was handed to the platform. It
// sits outside Apologize, which decides a failure's outcome.
func Measure(m *metrics.Metrics) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, t *Turn) error {
			start := time.Now()
			err := next(ctx, t)
			if !t.Message.Received.IsZero() {
				start = t.Message.Received
			}
			intent, outcome := t.Intent, t.Outcome
			if intent == "" {
				intent = "none"
			}
			if outcome == "" {
				outcome = "ignored"
			}
			m.Question(intent, outcome, time.Since(start))
			if outcome == "failed" {
				m.Error(t.Message.Platform, "answer")
			}
			return err
		}
	}
}

// Access refuses, politely, messages from users or channels the policy
// does not allow, and sets the turn's audience.
func Access(p *Policy) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, t *Turn) error {
			if reason := p.Allow(t.Message); reason != "" {
				return refuse(t, reason)
			}
			t.Audience = p.Audience(t.Message)
			return next(ctx, t)
		}
	}
}

// RateLimit holds each user to their rate. Over it, the user is told once
// to slow down (ErrRateLimited); further messages until the rate allows
// again are dropped.
func RateLimit(l *UserLimiter) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, t *Turn) error {
			switch l.Take(t.Message.Platform + ":" + t.Message.User) {
			case Allowed:
				return next(ctx, t)
			case Warn:
				t.Outcome = "limited"
				return ErrRateLimited
			default:
				t.Outcome = "limited"
				return nil
			}
		}
	}
}

// Recover turns a panic in a handler into an error, so one bad message
// can't take a worker down.
func Recover() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, t *Turn) (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("handler panic: %v", r)
				}
			}()
			return next(ctx, t)
		}
	}
}
