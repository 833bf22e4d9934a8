package teams

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
)

// Handler serves the Bot Connector's endpoint, POST /api/messages. Each
// request's bearer token is verified before its body is acted on; a
// message is acknowledged once the bot has recorded it.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathMessages, a.serveMessages)
	return mux
}

// serveMessages verifies, decodes and queues one activity. A request whose
// token (or activity) fails a check is a 401, logged with the reason only;
// one the bot can't take now is a 503, so the connector delivers it again;
// retries of one already taken are dropped by the bot's dedup.
func (a *Adapter) serveMessages(w http.ResponseWriter, r *http.Request) {
	tok, err := a.verify.verify(r.Context(), r.Header.Get("Authorization"))
	if errors.Is(err, ErrKeysUnavailable) {
		a.log.Error("teams request not checked: the signing keys could not be fetched", slog.Any("error", err))
		http.Error(w, "cannot verify requests now", http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		a.refuse(w, err)
		return
	}
	var act activity
	if err := json.NewDecoder(io.LimitReader(http.MaxBytesReader(w, r.Body, maxBody), maxBody)).Decode(&act); err != nil {
		http.Error(w, "bad activity", http.StatusBadRequest)
		return
	}
	if err := tok.check(act.ChannelID, act.ServiceURL); err != nil {
		a.refuse(w, err)
		return
	}
	if err := a.take(r.Context(), act); err != nil {
		http.Error(w, "busy, deliver again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// refuse answers a request that failed verification. The log says why,
// never what the token or the activity held.
func (a *Adapter) refuse(w http.ResponseWriter, why error) {
	a.log.Warn("teams request refused", slog.String("reason", why.Error()))
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// take acts on a verified activity: its conversation reference is kept
// (installations, the first message), a message is queued, the app's
// removal noted. Others are acknowledged and left alone.
func (a *Adapter) take(ctx context.Context, act activity) error {
	ref := act.ref()
	if act.Type == typeInstallationUpdate && (act.Action == "remove" || act.Action == "remove-upgrade") {
		if a.removed(ctx, ref.Channel) {
			a.log.Info("sowhat was removed from a teams conversation", slog.String("channel", ref.Channel))
		}
		return nil
	}
	if err := a.remember(ctx, ref); err != nil {
		a.log.Error("keep teams conversation", slog.String("channel", ref.Channel), slog.Any("error", err))
		return err
	}
	if act.Type != typeMessage || a.bot == nil {
		return nil
	}
	m, ok := act.message()
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, a.ackBudget)
	defer cancel()
	m.Received = a.now()
	if err := a.bot.Enqueue(ctx, m, a); err != nil {
		a.log.Warn("queue message", slog.String("event_id", m.EventID), slog.Any("error", err))
		return err
	}
	return nil
}

// removed marks a conversation the app was removed from, and reports
// whether that is news: no replica had marked it yet.
func (a *Adapter) removed(ctx context.Context, channel string) bool {
	a.mu.Lock()
	delete(a.known, channel)
	a.mu.Unlock()
	if a.refs == nil || channel == "" {
		return true
	}
	first, err := a.refs.MarkTeamsUnreachable(ctx, channel)
	if err != nil {
		a.log.Warn("mark teams conversation unreachable", slog.String("channel", channel), slog.Any("error", err))
		return true
	}
	return first
}
