package slack

import (
	"encoding/json"
	"log/slog"
	"net/http"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/sowhat-ai/sowhat/bot"
)

// The endpoints Slack calls in HTTP mode.
const (
	PathEvents       = "/slack/events"
	PathCommands     = "/slack/commands"
	PathInteractions = "/slack/interactions"
)

// ackText is what a slash command is answered with at once, seen only by
// the asker; the answer follows in the channel.
const ackText = "Looking that up…"

// Handler serves Slack's HTTP endpoints. Every request must carry a valid
// signature; each is answered within Slack's three seconds and the work
// queued.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+PathEvents, a.verified(a.serveEvents))
	mux.Handle("POST "+PathCommands, a.verified(a.serveCommands))
	mux.Handle("POST "+PathInteractions, a.verified(a.serveInteractions))
	return mux
}

// serveEvents answers url_verification and queues event callbacks. A
// callback that can't be queued gets a 503, so Slack delivers it again;
// retries of one already queued are dropped by the bot's dedup.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	// One decode reads everything the acknowledgement needs.
	var outer struct {
		Type          string     `json:"type"`
		Challenge     string     `json:"challenge"`
		MinuteLimited int64      `json:"minute_rate_limited"`
		TeamID        string     `json:"team_id"`
		EventID       string     `json:"event_id"`
		Event         innerEvent `json:"event"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "bad event payload", http.StatusBadRequest)
		return
	}
	switch outer.Type {
	case slackevents.URLVerification:
		writeJSON(w, map[string]string{"challenge": outer.Challenge})
		return
	case slackevents.AppRateLimited:
		// The payload carries the legacy verification token: log none of it.
		a.log.Warn("slack is rate limiting this app's events", slog.Int64("minute_rate_limited", outer.MinuteLimited))
	case slackevents.CallbackEvent:
		if retry := r.Header.Get("X-Slack-Retry-Num"); retry != "" {
			a.log.Info("slack retried an event", slog.String("retry_num", retry), slog.String("retry_reason", r.Header.Get("X-Slack-Retry-Reason")))
		}
		if m, ok := a.fromInner(outer.TeamID, eventKey(outer.EventID, body), outer.Event); ok {
			if err := a.enqueue(r.Context(), m); err != nil {
				http.Error(w, "busy, deliver again", http.StatusServiceUnavailable)
				return
			}
		}
	}
	w.WriteHeader(http.StatusOK)
}

// serveCommands acknowledges /sowhat at once; the answer follows in the
// channel. Slack posts commands as a form naming the channel and the user;
// anything else (JSON, say) names no one to answer and is a 400: Slack
// never retries a command, so the refusal only tells the sender.
func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request, body []byte) {
	c, err := slackapi.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad slash command", http.StatusBadRequest)
		return
	}
	m, ok := a.fromCommand(c, commandKey(c.TriggerID, r.Header.Get(headerTimestamp), body))
	if !ok {
		http.Error(w, "bad slash command: no channel or user", http.StatusBadRequest)
		return
	}
	text := ackText
	if err := a.enqueue(r.Context(), m); err != nil {
		text, _ = bot.Explain(err)
	}
	writeJSON(w, map[string]string{"response_type": "ephemeral", "text": text})
}

// serveInteractions queues presses of suggestion buttons.
func (a *Adapter) serveInteractions(w http.ResponseWriter, r *http.Request, _ []byte) {
	var cb slackapi.InteractionCallback
	if err := json.Unmarshal([]byte(r.PostFormValue("payload")), &cb); err != nil {
		http.Error(w, "bad interaction payload", http.StatusBadRequest)
		return
	}
	if m, ok := a.fromAction(cb); ok {
		if err := a.enqueue(r.Context(), m); err != nil {
			http.Error(w, "busy, try again", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
