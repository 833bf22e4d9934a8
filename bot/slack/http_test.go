package slack

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// TestMentionAnsweredOnceInThread: a mention is acknowledged before its
// answer is ready (Slack wants the ack within 3s) and answered once, in
// its thread.
func TestMentionAnsweredOnceInThread(t *testing.T) {
	f := newFakeSlack(t)
	answers := newAnswerHold()
	h := newHarness(t, f, harnessConfig{hold: answers.ch})
	want := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, nil))

	res := h.mention("Ev0MENTION1", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.000100", "", nil)
	mustStatus(t, res, 200)
	if !answers.release() {
		t.Error("the mention was acknowledged only once its answer was let through, want the ack first")
	}
	h.drain()

	posts := f.Posts()
	if len(posts) != 1 {
		t.Fatalf("got %d posts, want 1: %+v", len(posts), posts)
	}
	p := posts[0]
	if p.Method != "chat.postMessage" || p.Channel != "C0MARKETING" || p.Thread != "1790000000.000100" {
		t.Errorf("posted %s to %s thread %q, want chat.postMessage to C0MARKETING in thread 1790000000.000100", p.Method, p.Channel, p.Thread)
	}
	if !strings.Contains(p.Text, want) || !strings.Contains(p.Blocks, want) {
		t.Errorf("answer lacks spend %s:\ntext: %s\nblocks: %s", want, p.Text, p.Blocks)
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(p.Blocks), &blocks); err != nil || len(blocks) == 0 {
		t.Errorf("blocks are not Block Kit JSON: %v: %s", err, p.Blocks)
	}
}

func TestReplyInExistingThread(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	mustStatus(t, h.mention("Ev0THREAD1", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.000300", "1790000000.000200", nil), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 1 || posts[0].Thread != "1790000000.000200" {
		t.Fatalf("want one reply in thread 1790000000.000200, got %+v", posts)
	}
}

func TestRetriesAndDuplicatesAnsweredOnce(t *testing.T) {
	f := newFakeSlack(t)
	db := testDB(t)
	h := newHarness(t, f, harnessConfig{db: db})
	mustStatus(t, h.mention("Ev0DUP", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.000400", "", nil), 200)
	retry := map[string]string{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
	mustStatus(t, h.mention("Ev0DUP", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.000400", "", retry), 200)
	h.drain()
	if n := len(f.Posts()); n != 1 {
		t.Fatalf("retry produced %d posts, want 1", n)
	}

	// A restart: new bot, adapter and server on the same database.
	h.st.Close()
	h2 := newHarness(t, f, harnessConfig{db: db})
	retry["X-Slack-Retry-Num"] = "2"
	mustStatus(t, h2.mention("Ev0DUP", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.000400", "", retry), 200)
	h2.drain()
	if n := len(f.Posts()); n != 1 {
		t.Fatalf("duplicate after restart produced %d posts in all, want 1", n)
	}
	if n := h2.eng.asked.Load(); n != 0 {
		t.Errorf("the engine was asked %d times after the restart, want 0", n)
	}
}

func TestUnsignedRequestsRefused(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	body := event{ID: "Ev0BAD", Type: "app_mention", Channel: "C0MARKETING", User: "U0CMO", Text: "<@U0SOWHAT> spend last week", TS: "1790000000.000500"}.payload()
	cases := []struct {
		name   string
		mutate func(ts *time.Time, sig *string, body *[]byte)
	}{
		{"bad signature", func(_ *time.Time, sig *string, _ *[]byte) { *sig = "v0=" + strings.Repeat("ab", 32) }},
		{"tampered body", func(_ *time.Time, _ *string, b *[]byte) {
			*b = []byte(strings.Replace(string(*b), "C0MARKETING", "C0FINANCE", 1))
		}},
		{"stale timestamp", func(ts *time.Time, sig *string, b *[]byte) {
			*ts = time.Now().Add(-6 * time.Minute)
			*sig = Sign(testSecret, *ts, *b)
		}},
		{"future timestamp", func(ts *time.Time, sig *string, b *[]byte) {
			*ts = time.Now().Add(6 * time.Minute)
			*sig = Sign(testSecret, *ts, *b)
		}},
		{"no signature", func(_ *time.Time, sig *string, _ *[]byte) { *sig = "" }},
		{"other secret", func(ts *time.Time, sig *string, b *[]byte) { *sig = Sign("0123456789abcdef0123456789abcdef", *ts, *b) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts, b := time.Now(), append([]byte(nil), body...)
			sig := Sign(testSecret, ts, b)
			tc.mutate(&ts, &sig, &b)
			for _, path := range []string{PathEvents, PathCommands, PathInteractions} {
				res := h.signedPost(path, "application/json", b, ts, map[string]string{"X-Slack-Signature": sig})
				mustStatus(t, res, 401)
			}
		})
	}
	h.drain()
	if n := len(f.Posts()); n != 0 {
		t.Errorf("unsigned requests produced %d posts", n)
	}
	if n := h.eng.asked.Load(); n != 0 {
		t.Errorf("unsigned requests reached the engine %d times", n)
	}
}

func TestURLVerification(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	body := []byte(`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	res := h.signedPost(PathEvents, "application/json", body, time.Now(), nil)
	mustStatus(t, res, 200)
	var got map[string]string
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got["challenge"] != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge answered %q", got["challenge"])
	}
}

// TestSlashCommand: a slash command is acknowledged, privately, before its
// answer is ready; the answer starts a thread whose follow-ups keep its
// context.
func TestSlashCommand(t *testing.T) {
	f := newFakeSlack(t)
	answers := newAnswerHold()
	h := newHarness(t, f, harnessConfig{hold: answers.ch})
	want := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, map[string][]string{model.DimPlatform: {"meta"}}))

	res := h.command("C0MARKETING", "U0CEO", "What was Meta spend last week?")
	mustStatus(t, res, 200)
	var body map[string]string
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if !answers.release() {
		t.Error("the slash command was acknowledged only once its answer was let through, want the ack first")
	}
	if body["response_type"] != "ephemeral" || body["text"] != ackText {
		t.Errorf("ack = %v, want an ephemeral %q", body, ackText)
	}
	posts := f.waitPosts(t, 1, 10*time.Second)
	p := posts[0]
	if p.Method != "chat.postMessage" || p.Channel != "C0MARKETING" || p.Thread != "" || !strings.Contains(p.Text, want) {
		t.Errorf("got %+v, want a top-level chat.postMessage in C0MARKETING saying %s", p, want)
	}

	// A follow-up in the thread the answer started keeps its context (saved
	// once the answer is posted and its ts known).
	waitThread(t, h.state, bot.ThreadKey(Platform, "C0MARKETING", p.TS))
	wantGoogle := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, map[string][]string{model.DimPlatform: {"google_ads"}}))
	mustStatus(t, h.mention("Ev0FOLLOW", "C0MARKETING", "U0CEO", "and for Google?", "1800000001.000100", p.TS, nil), 200)
	posts = f.waitPosts(t, 2, 10*time.Second)
	if posts[1].Thread != p.TS || !strings.Contains(posts[1].Text, wantGoogle) {
		t.Errorf("follow-up answered %q in thread %q, want Google spend %s in thread %s", posts[1].Text, posts[1].Thread, wantGoogle, p.TS)
	}
}

func TestSlashCommandWhereTheBotIsNot(t *testing.T) {
	f := newFakeSlack(t)
	f.closed["G0PRIVATE"] = true
	h := newHarness(t, f, harnessConfig{})
	want := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, nil))
	v := url.Values{"team_id": {"T0ACME"}, "channel_id": {"G0PRIVATE"}, "user_id": {"U0CMO"}, "command": {"/sowhat"},
		"text": {"What was total spend last week?"}, "trigger_id": {"1.2.private"}, "response_url": {f.srv.URL + "/response/T0ACME/1/abc"}}
	mustStatus(t, h.signedPost(PathCommands, "application/x-www-form-urlencoded", []byte(v.Encode()), time.Now(), nil), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 1 || posts[0].Method != "response_url:in_channel" || !strings.Contains(posts[0].Text, want) {
		t.Errorf("got %+v, want the answer (%s) through the response_url, in channel", posts, want)
	}
}

func TestFollowUpInMentionThread(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	wantMeta := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, map[string][]string{model.DimPlatform: {"meta"}}))
	mustStatus(t, h.mention("Ev0Q1", "C0MARKETING", "U0CMO", "What was total spend last week?", "1790000000.000700", "", nil), 200)
	f.waitPosts(t, 1, 10*time.Second)
	mustStatus(t, h.mention("Ev0Q2", "C0MARKETING", "U0CMO", "and for Meta?", "1790000000.000800", "1790000000.000700", nil), 200)
	posts := f.waitPosts(t, 2, 10*time.Second)
	if !strings.Contains(posts[1].Text, wantMeta) || posts[1].Thread != "1790000000.000700" {
		t.Errorf("follow-up answered %q in %q, want Meta's spend last week %s in the first question's thread", posts[1].Text, posts[1].Thread, wantMeta)
	}
}

func TestDirectMessages(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	send := func(id, text string, extra map[string]any) {
		e := event{ID: id, Type: "message", Channel: "D0CMO", User: "U0CMO", Text: text, TS: "1790000001." + id[len(id)-6:], Extra: extra}
		if u, ok := extra["user"].(string); ok {
			e.User = u
		}
		mustStatus(t, h.signedPost(PathEvents, "application/json", e.payload(), time.Now(), nil), 200)
	}
	send("Ev0DM0000001", "What was total spend last week?", nil)
	send("Ev0DM0000002", "ignored: from a bot", map[string]any{"bot_id": "B0OTHER", "subtype": "bot_message"})
	send("Ev0DM0000003", "ignored: my own message", map[string]any{"user": "U0SOWHAT"})
	send("Ev0DM0000004", "ignored: an edit", map[string]any{"subtype": "message_changed"})
	h.drain()
	posts := f.Posts()
	if len(posts) != 1 || posts[0].Channel != "D0CMO" || posts[0].Thread != "1790000001.000001" {
		t.Fatalf("want one answer in the DM's thread, got %+v", posts)
	}
}

func TestSensitiveMetricRefusedBeforeQuerying(t *testing.T) {
	f := newFakeSlack(t)
	pol, err := bot.NewPolicy(bot.PolicyConfig{SensitiveMetrics: bot.DefaultSensitiveMetrics, SensitiveChannels: []string{"C0FINANCE"}})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithPolicy(pol)}})
	cac := wording.Metric(model.CAC, total(t, h.st, model.CAC, lastMonth, nil))

	mustStatus(t, h.mention("Ev0CAC1", "C0MARKETING", "U0CMO", "What was our blended CAC last month?", "1790000000.000900", "", nil), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 1 {
		t.Fatalf("got %d posts, want 1 refusal", len(posts))
	}
	p := posts[0]
	if p.Method != "chat.postEphemeral" || p.User != "U0CMO" || !strings.Contains(p.Text, "CAC is shared only") {
		t.Errorf("want a polite ephemeral refusal to U0CMO, got %+v", p)
	}
	if strings.Contains(p.Text, cac) || strings.Contains(p.Blocks, cac) || strings.Contains(p.Blocks, "$") {
		t.Errorf("the refusal leaks a number: %s", p.Blocks)
	}
	if n := h.eng.asked.Load(); n != 0 {
		t.Errorf("the engine was asked %d times for a refused question, want 0", n)
	}

	// The finance channel gets the number.
	h2 := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithPolicy(pol)}})
	mustStatus(t, h2.mention("Ev0CAC2", "C0FINANCE", "U0CFO", "What was our blended CAC last month?", "1790000000.001000", "", nil), 200)
	h2.drain()
	posts = f.Posts()
	if len(posts) != 2 || !strings.Contains(posts[1].Text, cac) {
		t.Errorf("finance channel answer %+v, want CAC %s", posts[len(posts)-1], cac)
	}
}

func TestSensitiveSlashCommandInAPeopleDM(t *testing.T) {
	f := newFakeSlack(t)
	f.closed["D0TWOPEOPLE"] = true // a DM between the CFO and a colleague: the bot isn't in it
	pol, err := bot.NewPolicy(bot.PolicyConfig{SensitiveMetrics: bot.DefaultSensitiveMetrics, SensitiveUsers: []string{"U0CFO"}})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithPolicy(pol)}})
	v := url.Values{"team_id": {"T0ACME"}, "channel_id": {"D0TWOPEOPLE"}, "channel_name": {"directmessage"}, "user_id": {"U0CFO"}, "command": {"/sowhat"},
		"text": {"What was our blended CAC last month?"}, "trigger_id": {"1.2.dm"}, "response_url": {f.srv.URL + "/response/T0ACME/2/abc"}}
	mustStatus(t, h.signedPost(PathCommands, "application/x-www-form-urlencoded", []byte(v.Encode()), time.Now(), nil), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 1 || posts[0].Method != "response_url:ephemeral" || !strings.Contains(posts[0].Text, "CAC is shared only") {
		t.Errorf("got %+v, want a refusal only the CFO sees", posts)
	}
	if n := h.eng.asked.Load(); n != 0 {
		t.Errorf("the engine was asked %d times", n)
	}
}

func TestAllowlists(t *testing.T) {
	f := newFakeSlack(t)
	pol, err := bot.NewPolicy(bot.PolicyConfig{AllowedChannels: []string{"C0MARKETING"}, AllowedUsers: []string{"U0CMO"}})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithPolicy(pol)}})
	mustStatus(t, h.mention("Ev0AL1", "C0RANDOM", "U0CMO", "spend last week", "1790000000.001100", "", nil), 200)
	mustStatus(t, h.mention("Ev0AL2", "C0MARKETING", "U0STRANGER", "spend last week", "1790000000.001200", "", nil), 200)
	h.drain()
	posts := f.Posts()
	if len(posts) != 2 {
		t.Fatalf("got %d posts, want 2 refusals", len(posts))
	}
	for _, p := range posts {
		if p.Method != "chat.postEphemeral" || strings.Contains(p.Text, "$") {
			t.Errorf("want an ephemeral refusal without numbers, got %+v", p)
		}
	}
	if n := h.eng.asked.Load(); n != 0 {
		t.Errorf("refused questions reached the engine %d times", n)
	}
}

func TestUserRateLimit(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithUserRate(bot.Rate{N: 2, Per: time.Hour}), bot.WithWorkers(1)}})
	for _, ts := range []string{"1790000000.002001", "1790000000.002002", "1790000000.002003", "1790000000.002004"} {
		mustStatus(t, h.mention("Ev0RATE"+ts[len(ts)-1:], "C0MARKETING", "U0LOOPY", "spend last week", ts, "", nil), 200)
	}
	mustStatus(t, h.mention("Ev0OTHER", "C0MARKETING", "U0CALM", "spend last week", "1790000000.002010", "", nil), 200)
	h.drain()
	var answers, warnings int
	for _, p := range f.Posts() {
		switch {
		case p.Method == "chat.postEphemeral" && p.User == "U0LOOPY" && strings.Contains(p.Text, "faster than I can"):
			warnings++
		case p.Method == "chat.postMessage":
			answers++
		}
	}
	if answers != 3 || warnings != 1 {
		t.Errorf("got %d answers and %d slow-down notes, want 3 (two for the loop, one for the calm user) and 1", answers, warnings)
	}
}

func TestSuggestionButtonAsksInThread(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	payload := map[string]any{
		"type": "block_actions", "trigger_id": "13345224609.738474920.8088930838d88f008e0", "api_app_id": "A0SOWHAT",
		"team":      map[string]any{"id": "T0ACME", "domain": "acme"},
		"user":      map[string]any{"id": "U0CMO", "username": "cmo", "team_id": "T0ACME"},
		"container": map[string]any{"type": "message", "message_ts": "1800000000.000009", "channel_id": "C0MARKETING", "is_ephemeral": false, "thread_ts": "1790000000.003000"},
		"channel":   map[string]any{"id": "C0MARKETING", "name": "marketing"},
		"message":   map[string]any{"type": "message", "ts": "1800000000.000009", "thread_ts": "1790000000.003000", "text": "Which metric?"},
		"actions": []any{map[string]any{"action_id": ActionAsk + "_0", "block_id": "suggestions", "type": "button", "value": "Spend last week",
			"text": map[string]any{"type": "plain_text", "text": "Spend last week"}, "action_ts": "1800000010.000000"}},
	}
	b, _ := json.Marshal(payload)
	form := "payload=" + url.QueryEscape(string(b))
	mustStatus(t, h.signedPost(PathInteractions, "application/x-www-form-urlencoded", []byte(form), time.Now(), nil), 200)
	h.drain()
	want := wording.Metric(model.Spend, total(t, h.st, model.Spend, lastWeek, nil))
	posts := f.Posts()
	if len(posts) != 1 || posts[0].Thread != "1790000000.003000" || !strings.Contains(posts[0].Text, want) {
		t.Errorf("button press answered %+v, want spend %s in thread 1790000000.003000", posts, want)
	}
}

func TestHealth(t *testing.T) {
	f := newFakeSlack(t)
	h := newHarness(t, f, harnessConfig{})
	srv := h.bot.Health(h.st.Ping)
	get := func() int {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		return rec.Code
	}
	if code := get(); code != 200 {
		t.Errorf("healthy bot: %d", code)
	}
	h.st.Close()
	if code := get(); code != 503 {
		t.Errorf("closed database: %d, want 503", code)
	}
}

func waitThread(t *testing.T, st *data.State, key string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, err := st.Thread(context.Background(), key); err == nil {
			return
		}
	}
	t.Fatalf("thread %s was never saved", key)
}

// heldEngine answers only once hold is closed, saying on started that an
// answer began.
type heldEngine struct {
	*intents.Engine
	started chan struct{}
	hold    chan struct{}
}

func (e *heldEngine) Answer(ctx context.Context, req question.Request) (model.Answer, error) {
	select {
	case e.started <- struct{}{}:
	default:
	}
	<-e.hold
	return e.Engine.Answer(ctx, req)
}

// TestSlashCommandAnsweredAfterARestart: a slash command in a channel the
// bot is not in is acknowledged, and the process dies while answering it.
// The replica that takes the event over still has its response_url (kept
// with the event) and answers through it.
func TestSlashCommandAnsweredAfterARestart(t *testing.T) {
	f := newFakeSlack(t)
	f.closed["G0PRIVATE"] = true
	db := testDB(t)
	st := openStore(t, db)
	// The first process: it acknowledges, starts answering, and is gone.
	dying := &heldEngine{Engine: intents.New(st), started: make(chan struct{}, 1), hold: make(chan struct{})}
	h := newHarness(t, f, harnessConfig{db: db})
	b0 := bot.New(dying, openState(t, db, "dying"), bot.WithLogger(testLogger()), bot.WithToday(func() time.Time { return asOf }))
	a0 := New(b0, "xoxb-test-token", WithAPIURL(f.URL()), WithSigningSecret(testSecret), WithLogger(testLogger()), WithChannelPace(0))
	if err := a0.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	b0.Start()
	srv := httptest.NewServer(a0.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() { // let the first process's goroutines end with the test
		close(dying.hold)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = b0.Shutdown(ctx)
		_ = a0.Close(ctx)
	})
	h.srv = srv
	want := wording.Metric(model.Spend, total(t, st, model.Spend, lastWeek, nil))
	v := url.Values{"team_id": {"T0ACME"}, "channel_id": {"G0PRIVATE"}, "user_id": {"U0CMO"}, "command": {"/sowhat"},
		"text": {"What was total spend last week?"}, "trigger_id": {"1.2.restart"}, "response_url": {f.srv.URL + "/response/T0ACME/3/abc"}}
	mustStatus(t, h.signedPost(PathCommands, "application/x-www-form-urlencoded", []byte(v.Encode()), time.Now(), nil), 200)
	select {
	case <-dying.started:
	case <-time.After(30 * time.Second):
		t.Fatal("the slash command was never answered")
	}
	// The next process, once the first one's lease has run out.
	later := time.Now().Add(5 * time.Minute)
	state, err := data.OpenState(context.Background(), data.StatePath(db), data.WithOwner("next"), data.WithStateClock(func() time.Time { return later }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { state.Close() })
	b := bot.New(intents.New(st), state, bot.WithLogger(testLogger()), bot.WithToday(func() time.Time { return asOf }))
	a := New(b, "xoxb-test-token", WithAPIURL(f.URL()), WithSigningSecret(testSecret), WithLogger(testLogger()), WithChannelPace(0))
	if err := a.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.Start()
	if n, err := b.ResumeOnce(context.Background(), Platform, a); err != nil || n != 1 {
		t.Fatalf("resumed %d events, %v; want the slash command", n, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	posts := f.Posts()
	if len(posts) != 1 || posts[0].Method != "response_url:in_channel" || !strings.Contains(posts[0].Text, want) {
		t.Errorf("got %+v, want the answer (%s) through the response_url, in channel", posts, want)
	}
}
