package teams

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/reports"
)

// installation is the conversationUpdate Teams sends when the app is added
// to a team: it names the team's General channel.
func (f *fakeTeams) installation() []byte {
	b, _ := json.Marshal(map[string]any{
		"type": "conversationUpdate", "id": "f:4b3a1c", "channelId": "msteams", "serviceUrl": f.serviceURL(),
		"timestamp":    "2026-11-25T09:00:00.000Z",
		"from":         map[string]any{"id": "29:1admin", "aadObjectId": "a0a0a0a0-0000-4000-8000-000000000000"},
		"recipient":    map[string]any{"id": "28:" + testAppID, "name": "sowhat"},
		"conversation": map[string]any{"isGroup": true, "conversationType": "channel", "tenantId": testTenant, "id": testChannel},
		"membersAdded": []any{map[string]any{"id": "28:" + testAppID}},
		"channelData": map[string]any{"team": map[string]any{"id": testTeam, "name": "Marketing"}, "eventType": "teamMemberAdded",
			"tenant": map[string]any{"id": testTenant}, "settings": map[string]any{"selectedChannel": map[string]any{"id": testChannel}}},
	})
	return b
}

func TestPublishStartsThreadInChannel(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	mustStatus(t, h.deliver(f.installation(), f.validToken().sign(t)), 200)
	ref, err := h.state.TeamsRef(t.Context(), testChannel)
	if err != nil || ref.Team != testTeam || ref.Kind != convChannel {
		t.Fatalf("installation stored %+v (%v)", ref, err)
	}

	// A publisher in another process finds the reference in the database.
	pub := NewPublisher(testAppID, testSecret, WithTenant(testTenant), WithTokenURL(f.tokenURL()), WithRefs(h.state), WithLogger(testLogger(h.logs)))
	d := &reports.Digest{Title: "CMO digest", Audience: model.AudienceCMO, Period: lastWeek,
		Sections: []reports.Section{{Title: "Spend", Answer: model.Answer{Summary: "Spend was $1."}, Chart: "spend.png"}},
		Charts:   []reports.Chart{{Name: "spend.png", PNG: tinyPNG}}}
	if err := pub.Publish(t.Context(), testChannel, reports.DigestMessage(d)); err != nil {
		t.Fatal(err)
	}
	posts := f.Posts()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want the digest and its chart", len(posts))
	}
	first := posts[0]
	cd, _ := first.Body["channelData"].(map[string]any)
	if first.Path != "v3/conversations" || first.Body["isGroup"] != true || cd["channel"].(map[string]any)["id"] != testChannel {
		t.Errorf("digest posted to %s with %v, want a new conversation in the channel", first.Path, first.Body)
	}
	if !strings.Contains(first.Raw, "CMO digest") {
		t.Errorf("first post is not the digest: %.300s", first.Raw)
	}
	if c := posts[1]; c.Conversation != testChannel+messageIDMark+first.ID || c.ReplyTo != first.ID || !strings.Contains(c.Raw, "data:image/png;base64,") {
		t.Errorf("chart posted to %q replying to %q, want the digest's thread %s", c.Conversation, c.ReplyTo, first.ID)
	}
}

func TestPublishToRemovedAppReportedOnce(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	mustStatus(t, h.deliver(f.installation(), f.validToken().sign(t)), 200)
	f.blocked[testChannel] = true
	m := reports.AlertMessage(reports.Alert{Title: "Alert", What: "Spend is up."})
	err := h.adapter.Publish(t.Context(), testChannel, m)
	if !errors.Is(err, ErrAppRemoved) {
		t.Fatalf("publish to a channel the app was removed from: %v, want ErrAppRemoved", err)
	}
	for range 3 {
		if err := h.adapter.Publish(t.Context(), testChannel, m); err != nil {
			t.Errorf("publish again: %v, want it passed over", err)
		}
	}
	if n := strings.Count(h.logs.String(), "sowhat was removed from the team"); n != 1 {
		t.Errorf("removal reported %d times, want once", n)
	}
	f.mu.Lock()
	seq := f.seq
	f.mu.Unlock()
	if seq != 1 {
		t.Errorf("%d connector posts, want the one that was refused", seq)
	}
	ref, _ := h.state.TeamsRef(t.Context(), testChannel)
	if !ref.Unreachable {
		t.Error("channel not marked unreachable")
	}
	// Added back: the next installation makes it reachable again.
	f.blocked[testChannel] = false
	mustStatus(t, h.deliver(f.installation(), f.validToken().sign(t)), 200)
	if err := h.adapter.Publish(t.Context(), testChannel, m); err != nil || len(f.Posts()) != 1 {
		t.Errorf("publish after the app was added back: %v, %d posts", err, len(f.Posts()))
	}
}

func TestPublishToAnotherChannelOfAKnownTeam(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	mustStatus(t, h.deliver(f.installation(), f.validToken().sign(t)), 200)
	other := "19:finance@thread.tacv2"
	if err := h.adapter.Publish(t.Context(), other, reports.AlertMessage(reports.Alert{Title: "A", What: "B"})); err != nil {
		t.Fatal(err)
	}
	posts := f.Posts()
	cd, _ := posts[0].Body["channelData"].(map[string]any)
	if len(posts) != 1 || cd["channel"].(map[string]any)["id"] != other || posts[0].Body["tenantId"] != testTenant {
		t.Errorf("posts %+v, want a new thread in %s through the team's service URL", posts, other)
	}
}

func TestPublishUnknownChannel(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	err := h.adapter.Publish(t.Context(), "19:never-seen@thread.tacv2", reports.AlertMessage(reports.Alert{Title: "A", What: "B"}))
	if err == nil || !strings.Contains(err.Error(), "install sowhat") {
		t.Errorf("publish to an unknown channel: %v, want advice to install the app", err)
	}
}
