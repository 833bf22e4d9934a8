package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
)

// readyTimeout bounds one /readyz request's checks together.
const readyTimeout = 3 * time.Second

// readyCheck is one thing /readyz checks: nil when it is fine, else why not.
// A reason never carries a secret: the database's own error, the schema
// versions, Slack's error code.
type readyCheck struct {
	name  string
	check func(ctx context.Context) error
}

// readyChecks are serve's: the bot takes messages, the analytics database
// is read and written at the schema this binary knows (an import writing
// is no problem), the bot's state database too, and the chat is
// connected.
func (s *server) readyChecks() []readyCheck {
	return []readyCheck{
		{"bot", func(context.Context) error {
			if !s.bot.Ready() {
				return errors.New("starting or shutting down")
			}
			return nil
		}},
		{"database", s.st.Check},
		{"state", s.state.Check},
		{"chat", s.chatsConnected},
	}
}

// readiness answers GET /readyz: one line per check, "ok NAME" or
// "problem NAME: REASON", with 200 when every check is ok and 503
// otherwise. Unlike /healthz (the process is up and answers HTTP), it says
// whether a question asked now could be answered.
func readiness(checks []readyCheck) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		var body strings.Builder
		code := http.StatusOK
		for _, c := range checks {
			if err := c.check(ctx); err != nil {
				code = http.StatusServiceUnavailable
				body.WriteString("problem " + c.name + ": " + oneLine(err.Error()) + "\n")
				continue
			}
			body.WriteString("ok " + c.name + "\n")
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body.String()))
	})
}

// oneLine keeps a reason on its check's line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
