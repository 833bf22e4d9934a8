package slack

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
)

// TestProtocolEdges: deliveries Slack's documentation allows or a sender
// gets wrong, through the real handler, signed. Each is answered as often
// as it was asked, never twice for one delivery and never into no channel.
func TestProtocolEdges(t *testing.T) {
	now := time.Now()
	retry := map[string]string{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
	mention := func(id, channel, ts string) []byte {
		return event{ID: id, Type: "app_mention", Channel: channel, User: "U0CMO", Text: "<@U0SOWHAT> What was total spend last week?", TS: ts}.payload()
	}
	dm := func(id, channel, ts string) []byte {
		return event{ID: id, Type: "message", Channel: channel, User: "U0CMO", Text: "What was total spend last week?", TS: ts}.payload()
	}
	command := func(channel, trigger, text string) []byte {
		v := url.Values{"team_id": {"T0ACME"}, "channel_id": {channel}, "user_id": {"U0CMO"}, "command": {"/sowhat"},
			"text": {text}, "response_url": {"https://hooks.slack.com/commands/T0ACME/1/xyz"}}
		if trigger != "" {
			v.Set("trigger_id", trigger)
		}
		return []byte(v.Encode())
	}
	commandJSON, _ := json.Marshal(map[string]string{"team_id": "T0ACME", "channel_id": "C0MARKETING", "user_id": "U0CMO",
		"command": "/sowhat", "text": "What was total spend last week?", "trigger_id": "1.2.json"})
	const form, js = "application/x-www-form-urlencoded", "application/json"

	type delivery struct {
		path, contentType string
		body              []byte
		at                time.Time
		header            map[string]string
		status            int
	}
	cases := []struct {
		name       string
		deliveries []delivery
		answers    int // posts in all, each into a channel
	}{
		{"event without an id, retried", []delivery{
			{PathEvents, js, mention("", "C0MARKETING", "1790000000.010001"), now.Add(-30 * time.Second), nil, 200},
			{PathEvents, js, mention("", "C0MARKETING", "1790000000.010001"), now, retry, 200},
		}, 1},
		{"two events without an id", []delivery{
			{PathEvents, js, mention("", "C0MARKETING", "1790000000.010002"), now, nil, 200},
			{PathEvents, js, mention("", "C0MARKETING", "1790000000.010003"), now, nil, 200},
		}, 2},
		{"direct message without an id, delivered twice", []delivery{
			{PathEvents, js, dm("", "D0CMO", "1790000000.010004"), now, nil, 200},
			{PathEvents, js, dm("", "D0CMO", "1790000000.010004"), now, nil, 200},
		}, 1},
		{"commands without a trigger id", []delivery{
			{PathCommands, form, command("C0MARKETING", "", "What was total spend last week?"), now.Add(-20 * time.Second), nil, 200},
			{PathCommands, form, command("C0MARKETING", "", "What was Meta spend last week?"), now.Add(-10 * time.Second), nil, 200},
			{PathCommands, form, command("C0MARKETING", "", "What was total spend last week?"), now, nil, 200},
		}, 3},
		{"one command without a trigger id, delivered twice", []delivery{
			{PathCommands, form, command("C0MARKETING", "", "What was total spend last week?"), now, nil, 200},
			{PathCommands, form, command("C0MARKETING", "", "What was total spend last week?"), now, nil, 200},
		}, 1},
		{"commands with one trigger id", []delivery{
			{PathCommands, form, command("C0MARKETING", "1.2.same", "What was total spend last week?"), now, nil, 200},
			{PathCommands, form, command("C0MARKETING", "1.2.same", "What was total spend last week?"), now.Add(-time.Second), nil, 200},
		}, 1},
		{"mention without a channel", []delivery{
			{PathEvents, js, mention("Ev0NOWHERE1", "", "1790000000.010005"), now, nil, 200},
		}, 0},
		{"mention without a channel or an id", []delivery{
			{PathEvents, js, mention("", "", "1790000000.010006"), now, nil, 200},
		}, 0},
		{"direct message without a channel", []delivery{
			{PathEvents, js, dm("Ev0NOWHERE2", "", "1790000000.010007"), now, nil, 200},
		}, 0},
		{"command without a channel", []delivery{
			{PathCommands, form, command("", "1.2.nowhere", "What was total spend last week?"), now, nil, 400},
		}, 0},
		{"command sent as JSON", []delivery{
			{PathCommands, js, commandJSON, now, nil, 400},
		}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeSlack(t)
			h := newHarness(t, f, harnessConfig{})
			for i, d := range tc.deliveries {
				res := h.signedPost(d.path, d.contentType, d.body, d.at, d.header)
				if res.StatusCode != d.status {
					t.Errorf("delivery %d: status %d, want %d", i, res.StatusCode, d.status)
				}
			}
			h.drain()
			posts := f.Posts()
			if len(posts) != tc.answers {
				t.Errorf("got %d posts, want %d: %+v", len(posts), tc.answers, posts)
			}
			for _, p := range posts {
				if p.Channel == "" || p.Method != "chat.postMessage" {
					t.Errorf("posted %s into channel %q, want an answer in the asker's channel", p.Method, p.Channel)
				}
			}
			if n := h.eng.asked.Load(); tc.answers == 0 && n != 0 {
				t.Errorf("the engine was asked %d times, want 0", n)
			}
		})
	}
}
