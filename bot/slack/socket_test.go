package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/socketmode"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

func TestSocketMode(t *testing.T) {
	f := newFakeSlack(t)
	db := testDB(t)
	st := openStore(t, db)
	eng := &countingEngine{Engine: intents.New(st)}
	b := bot.New(eng, openState(t, db, "test"), bot.WithLogger(testLogger()), bot.WithToday(func() time.Time { return asOf }))
	a := New(b, "xoxb-test-token", WithAPIURL(f.URL()), WithAppToken("xapp-1-A0SOWHAT-1-0123456789"), WithLogger(testLogger()), WithChannelPace(0))
	if err := a.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.Start()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunSocketMode(ctx) }()

	var conn *websocket.Conn
	select {
	case conn = <-f.socket:
	case <-time.After(10 * time.Second):
		t.Fatal("socket mode never connected")
	}
	defer conn.Close()

	// An app_mention, delivered as Slack does over Socket Mode.
	payload := json.RawMessage(event{ID: "Ev0SOCKET", Type: "app_mention", Channel: "C0MARKETING", User: "U0CMO",
		Text: "<@U0SOWHAT> What was total spend last week?", TS: "1790000000.007000"}.payload())
	env := map[string]any{"envelope_id": "57d6a792-4d35-4d0b-b6aa-3361493e1caf", "payload": payload, "type": "events_api",
		"accepts_response_payload": false, "retry_attempt": 0, "retry_reason": ""}
	if err := conn.WriteJSON(env); err != nil {
		t.Fatal(err)
	}
	ack := readAck(t, conn)
	if ack["envelope_id"] != "57d6a792-4d35-4d0b-b6aa-3361493e1caf" {
		t.Errorf("ack %v, want the envelope id", ack)
	}
	if ok, why := a.Connected(); !ok {
		t.Errorf("Connected() = false, %q while the socket is up", why)
	}

	// A slash command: acknowledged with the ephemeral note as payload.
	cmd := map[string]any{"token": "legacy", "team_id": "T0ACME", "team_domain": "acme", "channel_id": "C0MARKETING", "channel_name": "marketing",
		"user_id": "U0CMO", "user_name": "cmo", "command": "/sowhat", "text": "What was total spend last week?", "api_app_id": "A0SOWHAT",
		"is_enterprise_install": "false", "response_url": "https://hooks.slack.com/commands/1/2/3", "trigger_id": "1.2.3"}
	if err := conn.WriteJSON(map[string]any{"envelope_id": "env-2", "payload": cmd, "type": "slash_commands", "accepts_response_payload": true}); err != nil {
		t.Fatal(err)
	}
	ack = readAck(t, conn)
	if ack["envelope_id"] != "env-2" || !strings.Contains(string(mustJSON(ack["payload"])), ackText) {
		t.Errorf("slash command ack %v, want envelope env-2 with %q", ack, ackText)
	}

	want := wording.Metric(model.Spend, total(t, st, model.Spend, lastWeek, nil))
	posts := f.waitPosts(t, 2, 10*time.Second)
	if posts[0].Thread == posts[1].Thread {
		t.Errorf("mention and command answered in the same thread %q", posts[0].Thread)
	}
	for _, p := range posts {
		if p.Channel != "C0MARKETING" || !strings.Contains(p.Text, want) {
			t.Errorf("socket mode answer %+v, want spend %s in C0MARKETING", p, want)
		}
	}

	// Edges: an event without an id delivered twice (a retry comes in a
	// new envelope) is answered once; one naming no channel is acknowledged
	// and not answered; two commands without a trigger id are both answered.
	send := func(envelope, typ string, payload any) map[string]any {
		t.Helper()
		if err := conn.WriteJSON(map[string]any{"envelope_id": envelope, "payload": payload, "type": typ, "accepts_response_payload": typ == "slash_commands"}); err != nil {
			t.Fatal(err)
		}
		ack := readAck(t, conn)
		if ack["envelope_id"] != envelope {
			t.Errorf("ack %v, want envelope %s", ack, envelope)
		}
		return ack
	}
	noID := json.RawMessage(event{Type: "app_mention", Channel: "C0MARKETING", User: "U0CMO", Text: "<@U0SOWHAT> What was total spend last week?", TS: "1790000000.007100"}.payload())
	send("env-3", "events_api", noID)
	send("env-4", "events_api", noID)
	send("env-5", "events_api", json.RawMessage(event{ID: "Ev0NOWHERE", Type: "app_mention", User: "U0CMO", Text: "<@U0SOWHAT> What was total spend last week?", TS: "1790000000.007200"}.payload()))
	delete(cmd, "trigger_id")
	send("env-6", "slash_commands", cmd)
	send("env-7", "slash_commands", cmd)
	for _, p := range f.waitPosts(t, 5, 10*time.Second) {
		if p.Channel != "C0MARKETING" {
			t.Errorf("socket mode answer into %q, want C0MARKETING", p.Channel)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunSocketMode after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("RunSocketMode did not stop")
	}
	if ok, why := a.Connected(); ok || !strings.Contains(why, "socket mode") {
		t.Errorf("Connected() after the socket stopped = %v, %q; want false naming socket mode", ok, why)
	}
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	if err := b.Shutdown(sctx); err != nil {
		t.Error(err)
	}
	if err := a.Close(sctx); err != nil {
		t.Error(err)
	}
	if n := len(f.Posts()); n != 5 {
		t.Errorf("got %d posts, want 5", n)
	}
}

func readAck(t *testing.T, conn *websocket.Conn) map[string]any {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var ack map[string]any
	if err := conn.ReadJSON(&ack); err != nil {
		t.Fatalf("read ack: %v", err)
	}
	return ack
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestConnectedOverHTTP: without Socket Mode the chat is up once auth.test
// has succeeded; a refused token says Slack's reason and never the token.
func TestConnectedOverHTTP(t *testing.T) {
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
	}))
	defer refuse.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	f := newFakeSlack(t)
	tests := []struct {
		name, url string
		ok        bool
		why       string
	}{
		{"accepted", f.URL(), true, ""},
		{"refused", refuse.URL + "/", false, "auth.test failed: invalid_auth"},
		{"unreachable", "http://user:hunter2@" + strings.TrimPrefix(down.URL, "http://") + "/", false, "auth.test failed: slack could not be reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewPublisher("xoxb-test-token", WithAPIURL(tt.url), WithLogger(testLogger()))
			if ok, why := a.Connected(); ok || why == "" {
				t.Errorf("Connected() before auth.test = %v, %q; want false with a reason", ok, why)
			}
			_ = a.Connect(context.Background())
			if ok, why := a.Connected(); ok != tt.ok || why != tt.why {
				t.Errorf("Connected() = %v, %q; want %v, %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}

// TestConnectedFollowsTheSocket: in Socket Mode the chat is up only while
// the websocket is connected, whatever auth.test said.
func TestConnectedFollowsTheSocket(t *testing.T) {
	f := newFakeSlack(t)
	a := NewPublisher("xoxb-test-token", WithAPIURL(f.URL()), WithLogger(testLogger()))
	if err := a.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.setSocket(false, "socket mode is connecting") // as RunSocketMode starts
	steps := []struct {
		event socketmode.EventType
		ok    bool
		why   string
	}{
		{socketmode.EventTypeConnecting, false, "socket mode is connecting"},
		{socketmode.EventTypeConnected, true, ""},
		{socketmode.EventTypeDisconnect, false, "socket mode disconnected"},
		{socketmode.EventTypeConnected, true, ""},
		{socketmode.EventTypeConnectionError, false, "socket mode connection failed"},
		{socketmode.EventTypeInvalidAuth, false, "socket mode: the app token was refused"},
	}
	for _, s := range steps {
		a.socketEvent(context.Background(), nil, socketmode.Event{Type: s.event})
		if ok, why := a.Connected(); ok != s.ok || why != s.why {
			t.Errorf("after %s: Connected() = %v, %q; want %v, %q", s.event, ok, why, s.ok, s.why)
		}
	}
}
