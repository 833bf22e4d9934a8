package teams

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// cardText is every text of a posted card, run together.
func cardText(p posted) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["text"].(string); ok {
				b.WriteString(s + "\n")
			}
			for k, y := range x {
				if k != "text" {
					walk(y)
				}
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(p.Body["attachments"])
	return b.String()
}

func TestChannelMentionAnsweredInItsReplyChain(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	want := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, nil))

	mustStatus(t, h.ask(act{ID: "1790000000001", Kind: convChannel, Mention: true, Text: "What was total spend last week?"}), 200)
	h.drain()

	posts := f.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want exactly 1: %+v", len(posts), posts)
	}
	p := posts[0]
	if p.Conversation != testChannel+";messageid=1790000000001" || p.ReplyTo != "1790000000001" {
		t.Errorf("posted to %q replying to %q, want the question's reply chain", p.Conversation, p.ReplyTo)
	}
	if !strings.Contains(cardText(p), want) {
		t.Errorf("card says\n%s\nwant last week's spend %s", cardText(p), want)
	}
	if p.Auth != "Bearer outbound-token-"+testTenant {
		t.Errorf("posted with %q, want the single-tenant app's token", p.Auth)
	}
	atts, _ := p.Body["attachments"].([]any)
	if len(atts) != 1 || atts[0].(map[string]any)["contentType"] != cardContentType {
		t.Errorf("attachments %v, want one Adaptive Card", atts)
	}
	if s, _ := p.Body["summary"].(string); s == "" {
		t.Error("no text fallback (summary)")
	}
	// The reference the first message gave is kept for proactive posts.
	ref, err := h.state.TeamsRef(t.Context(), testChannel)
	if err != nil || ref.ServiceURL != f.serviceURL() || ref.Team != testTeam || ref.Tenant != testTenant || ref.Kind != convChannel {
		t.Errorf("stored reference %+v (%v)", ref, err)
	}
}

func TestFollowUpInReplyChainKeepsContext(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	wantGoogle := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, map[string][]string{model.DimPlatform: {"google_ads"}}))

	mustStatus(t, h.ask(act{ID: "1790000000001", Kind: convChannel, Mention: true, Text: "What was Meta spend last week?"}), 200)
	f.waitPosts(t, 1, 10*time.Second)
	mustStatus(t, h.ask(act{ID: "1790000000009", Root: "1790000000001", Kind: convChannel, Mention: true, Text: "and for Google?"}), 200)
	posts := f.waitPosts(t, 2, 10*time.Second)
	if p := posts[1]; p.Conversation != testChannel+";messageid=1790000000001" || !strings.Contains(cardText(p), wantGoogle) {
		t.Errorf("follow-up answered in %q:\n%s\nwant Google spend %s in the first question's chain", p.Conversation, cardText(p), wantGoogle)
	}
}

func TestPersonalChatQuestion(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	want := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, map[string][]string{model.DimPlatform: {"meta"}}))
	conv := "a:1Xq7Zpersonal-chat-id"

	mustStatus(t, h.ask(act{ID: "1790000000002", Kind: convPersonal, Conversation: conv, Text: "What was Meta spend last week?"}), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 1 || posts[0].Conversation != conv || !strings.Contains(cardText(posts[0]), want) {
		t.Fatalf("posts %+v, want one in %s with Meta spend %s", posts, conv, want)
	}
}

func TestGroupChatNeedsMention(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	conv := "19:group-chat-id@thread.v2"
	mustStatus(t, h.ask(act{ID: "1", Kind: convGroup, Conversation: conv, Text: "What was total spend last week?"}), 200)
	mustStatus(t, h.ask(act{ID: "2", Kind: convGroup, Conversation: conv, Mention: true, Text: "What was total spend last week?"}), 200)
	h.drain()
	if posts := f.Posts(); len(posts) != 1 || posts[0].Conversation != conv {
		t.Fatalf("posts %+v, want one answer, to the mention", posts)
	}
}

func TestRetriedDeliveryAnsweredOnce(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	a := act{ID: "1790000000003", Kind: convChannel, Mention: true, Text: "What was total spend last week?"}
	for range 3 {
		mustStatus(t, h.ask(a), 200)
	}
	h.drain()
	if posts := f.Posts(); len(posts) != 1 {
		t.Fatalf("%d posts for one activity delivered three times, want 1", len(posts))
	}
	if n := h.eng.asked.Load(); n != 1 {
		t.Errorf("engine asked %d times, want 1", n)
	}
}

func TestRefusedRequests(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	now := time.Now()
	cases := []struct {
		name  string
		spec  func(s *tokenSpec)
		body  func(a *act)
		noTok bool
	}{
		{name: "wrong audience", spec: func(s *tokenSpec) { s.aud = "another-bot" }},
		{name: "wrong issuer", spec: func(s *tokenSpec) { s.iss = "https://sts.windows.net/" + testTenant + "/" }},
		{name: "expired", spec: func(s *tokenSpec) { s.exp, s.nbf = now.Add(-6*time.Minute), now.Add(-time.Hour) }},
		{name: "not yet valid", spec: func(s *tokenSpec) { s.nbf = now.Add(6 * time.Minute) }},
		{name: "unknown key", spec: func(s *tokenSpec) { s.key, s.kid = k3, "k3" }},
		{name: "key of another id", spec: func(s *tokenSpec) { s.key = k3 }},
		{name: "key not endorsed for msteams", spec: func(s *tokenSpec) { s.key, s.kid = k2, "k2" }},
		{name: "HS256", spec: func(s *tokenSpec) { s.method = jwt.SigningMethodHS256 }},
		{name: "mismatched serviceUrl", body: func(a *act) { a.ServiceURL = "https://evil.example.com/amer/" }},
		{name: "another channel's activity", spec: func(s *tokenSpec) { s.key, s.kid = k2, "k2" }, body: func(a *act) { a.Channel = "webchat" }},
		{name: "no serviceurl claim", spec: func(s *tokenSpec) { s.serviceURL = "" }},
		{name: "no token", noTok: true},
	}
	var tokens []string
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := f.validToken()
			if c.spec != nil {
				c.spec(&spec)
			}
			a := act{ID: "17900000001" + string(rune('0'+i)), Kind: convChannel, Mention: true, Text: "What was total spend last week?"}
			if c.body != nil {
				c.body(&a)
			}
			tok := ""
			if !c.noTok {
				if spec.method == jwt.SigningMethodHS256 {
					raw, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": Issuer, "aud": testAppID, "exp": now.Add(time.Hour).Unix(),
						"serviceurl": f.serviceURL()}).SignedString([]byte("k1"))
					if err != nil {
						t.Fatal(err)
					}
					tok = raw
				} else {
					tok = spec.sign(t)
				}
				tokens = append(tokens, tok)
			}
			mustStatus(t, h.deliver(f.payload(a), tok), 401)
		})
	}
	h.drain()
	if posts := f.Posts(); len(posts) != 0 {
		t.Errorf("%d posts for refused requests, want none", len(posts))
	}
	if n := h.eng.asked.Load(); n != 0 {
		t.Errorf("engine asked %d times, want 0", n)
	}
	if _, err := h.state.TeamsRef(t.Context(), testChannel); err == nil {
		t.Error("a refused request's conversation reference was stored")
	}
	logs := h.logs.String()
	for _, tok := range tokens {
		if strings.Contains(logs, tok) || strings.Contains(logs, tok[strings.LastIndexByte(tok, '.')+1:]) {
			t.Fatalf("a token is in the log:\n%s", logs)
		}
	}
	if !strings.Contains(logs, "teams request refused") {
		t.Errorf("refusals not logged:\n%s", logs)
	}
}

func TestUnknownKeyRefetchesAtMostOnceAMinute(t *testing.T) {
	f := newFakeTeams(t)
	now := time.Now()
	clock := func() time.Time { return now }
	v := newVerifier(testAppID, f.metadataURL(), f.srv.Client(), clock)
	good := f.validToken().sign(t)
	if _, err := v.verify(t.Context(), "Bearer "+good); err != nil {
		t.Fatal(err)
	}
	now = now.Add(61 * time.Second)
	bad := f.validToken()
	bad.key, bad.kid = k3, "rolled-over"
	for range 5 {
		if _, err := v.verify(t.Context(), "Bearer "+bad.sign(t)); err == nil {
			t.Fatal("a token of an unpublished key was accepted")
		}
	}
	calls := func() int { f.mu.Lock(); defer f.mu.Unlock(); return f.metadataCalls }
	if n := calls(); n != 2 {
		t.Errorf("%d metadata fetches for a first token then five of an unknown key, want 2 (first use, one refetch a minute later)", n)
	}
	now = now.Add(25 * time.Hour)
	later := f.validToken()
	later.exp, later.nbf = now.Add(time.Hour), now
	if _, err := v.verify(t.Context(), "Bearer "+later.sign(t)); err != nil {
		t.Fatal(err)
	}
	if n := calls(); n != 3 {
		t.Errorf("%d metadata fetches after a day, want the keys fetched again (3)", n)
	}
}

func TestRateLimitThenSuccess(t *testing.T) {
	f := newFakeTeams(t)
	f.limits = []time.Duration{time.Second}
	f.fail5xx = 1
	h := newHarness(t, f, harnessConfig{})
	start := time.Now()
	mustStatus(t, h.ask(act{ID: "1790000000004", Kind: convChannel, Mention: true, Text: "What was total spend last week?"}), 200)
	posts := f.waitPosts(t, 1, 20*time.Second)
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	if d := posts[0].At.Sub(start); d < time.Second {
		t.Errorf("posted %v after a 429 asking for a second, want the Retry-After honoured", d)
	}
	if !strings.Contains(h.logs.String(), "teams rate limit") {
		t.Error("the 429 was not logged")
	}
}

func TestPolicyByTeamsAndEntraIDs(t *testing.T) {
	f := newFakeTeams(t)
	pol, err := bot.NewPolicy(bot.PolicyConfig{AllowedUsers: []string{"6f1a9c3e-0000-4000-8000-00000000c0c0"}, SensitiveMetrics: []string{"cac"}})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithPolicy(pol)}})
	mustStatus(t, h.ask(act{ID: "1", Kind: convChannel, Mention: true, Text: "What was total spend last week?"}), 200)
	mustStatus(t, h.ask(act{ID: "2", Kind: convChannel, Mention: true, User: "29:1other", AAD: "0badc0de-0000-4000-8000-000000000000", Text: "What was total spend last week?"}), 200)
	mustStatus(t, h.ask(act{ID: "3", Kind: convChannel, Mention: true, Text: "What was CAC last week?"}), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 3 {
		t.Fatalf("%d posts, want 3", len(posts))
	}
	byReply := map[string]string{}
	for _, p := range posts {
		byReply[p.ReplyTo] = cardText(p)
	}
	if strings.Contains(byReply["1"], "not on the list") || !strings.Contains(byReply["2"], "not on the list") {
		t.Errorf("allowed user (by Entra id) got %q; other user got %q", byReply["1"], byReply["2"])
	}
	if !strings.Contains(byReply["3"], "shared only in the channels cleared") {
		t.Errorf("CAC in an uncleared channel answered %q, want a refusal", byReply["3"])
	}
}

func TestMentionRemovedFromText(t *testing.T) {
	a := activity{Type: typeMessage, ID: "1", Text: "<at>sowhat</at>&nbsp;What was spend for <at>Casey</at> last week?",
		From: account{ID: "29:1"}, Recipient: account{ID: "28:bot"}, Conversation: conversation{ID: testChannel + ";messageid=1", ConversationType: convChannel},
		Entities:    []entity{{Type: "mention", Text: "<at>sowhat</at>", Mentioned: &account{ID: "28:bot"}}, {Type: "mention", Text: "<at>Casey</at>", Mentioned: &account{ID: "29:2"}}},
		ChannelData: channelData{Channel: &idOnly{ID: testChannel}}}
	m, ok := a.message()
	if !ok || m.Text != "What was spend for Casey last week?" || m.Channel != testChannel || m.Thread != "1" || m.InThread {
		b, _ := json.Marshal(m)
		t.Errorf("message %s (%v)", b, ok)
	}
}
