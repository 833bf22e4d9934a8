package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
)

// TestAnswersCarryTheirEventAndAreFoundAgain: every answer is posted with
// metadata naming its event, and AlreadyPosted finds it again — in the
// question's thread for a mention, among the channel's messages for a
// slash command — and finds nothing for an event that was never answered.
func TestAnswersCarryTheirEventAndAreFoundAgain(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	mustStatus(t, h.mention("Ev0MENTION", "C0MARKETING", "U0CMO", "ROAS last week", "1790000000.000100", "", nil), http.StatusOK)
	mustStatus(t, h.command("C0EXEC", "U0CEO", "revenue last month"), http.StatusOK)
	posts := f.waitPosts(t, 2, 10*time.Second)
	events := map[string]bool{}
	for _, p := range posts {
		var md struct {
			EventType    string         `json:"event_type"`
			EventPayload map[string]any `json:"event_payload"`
		}
		if err := json.Unmarshal([]byte(p.Metadata), &md); err != nil || md.EventType != answerEventType {
			t.Fatalf("post %+v: metadata %q (%v), want a %s", p, p.Metadata, err, answerEventType)
		}
		id, _ := md.EventPayload["event_id"].(string)
		events[id] = true
	}
	if !events["Ev0MENTION"] || len(events) != 2 {
		t.Fatalf("answers carry events %v, want the mention's and the command's", events)
	}
	var command string
	for id := range events {
		if id != "Ev0MENTION" {
			command = id
		}
	}
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		m    bot.Message
		want bool
	}{
		{"mention, in its thread", bot.Message{EventID: "Ev0MENTION", Channel: "C0MARKETING", Thread: "1790000000.000100"}, true},
		{"another event in that thread", bot.Message{EventID: "Ev0OTHER", Channel: "C0MARKETING", Thread: "1790000000.000100"}, false},
		{"slash command, in its channel", bot.Message{EventID: command, Channel: "C0EXEC", Received: time.Now()}, true},
		{"slash command, another channel", bot.Message{EventID: command, Channel: "C0MARKETING", Received: time.Now()}, false},
	} {
		got, err := h.adapter.AlreadyPosted(ctx, tt.m)
		if err != nil || got != tt.want {
			t.Errorf("%s: AlreadyPosted = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}
