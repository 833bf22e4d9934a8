package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
)

// asOf is "today" in every test: a Wednesday, so last week is Mon Nov 16 –
// Sun Nov 22, 2026.
var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

const testSecret = "8f742231b10e8888abcd99ab7ecf85a5"

// The demo database is built once, on first use; each test works on a copy.
var (
	templateDir  string
	templateOnce sync.Once
	templateErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.Exit(code)
}

func templateDB() (string, error) {
	templateOnce.Do(func() {
		if templateDir, templateErr = os.MkdirTemp("", "sowhat-slack-test"); templateErr != nil {
			return
		}
		if err := buildDemo(filepath.Join(templateDir, "demo.db")); err != nil {
			templateErr = fmt.Errorf("build demo database: %w", err)
		}
	})
	return filepath.Join(templateDir, "demo.db"), templateErr
}

func buildDemo(path string) error {
	ctx := context.Background()
	st, err := data.Open(ctx, path)
	if err != nil {
		return err
	}
	if _, err := demo.Generate(ctx, st, asOf); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}

// testDB copies the demo database into the test's temp dir.
func testDB(t testing.TB) string {
	t.Helper()
	tmpl, err := templateDB()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openState opens the bot's state database beside the store at path, as
// the replica named owner.
func openState(t testing.TB, path, owner string) *data.State {
	t.Helper()
	s, err := data.OpenState(context.Background(), data.StatePath(path), data.WithOwner(owner))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openStore(t testing.TB, path string) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// debugLog shows the tests' logs: go test ./bot/slack -debuglog.
var debugLog = flag.Bool("debuglog", false, "log to stderr at debug level")

func testLogger() *slog.Logger {
	if *debugLog {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// countingEngine counts the questions that reached the engine, to prove a
// refused question was never queried. With hold set, every question waits
// for hold to be closed before it is answered.
type countingEngine struct {
	*intents.Engine
	asked atomic.Int64
	hold  <-chan struct{}
}

func (c *countingEngine) AskFollowUp(ctx context.Context, q string, asOf time.Time, audience string, prev *question.Request) (model.Answer, question.Request, error) {
	c.asked.Add(1)
	if c.hold != nil {
		<-c.hold
	}
	return c.Engine.AskFollowUp(ctx, q, asOf, audience, prev)
}

// harness is one sowhat serving Slack over HTTP: a real store, engine, bot
// and adapter, with slack-go pointed at the fake Slack.
type harness struct {
	t       testing.TB
	slack   *fakeSlack
	st      *data.Store
	state   *data.State
	eng     *countingEngine
	bot     *bot.Bot
	adapter *Adapter
	srv     *httptest.Server
	seq     int
	drained bool
}

type harnessConfig struct {
	db          string
	botOpts     []bot.Option
	adapterOpts []Option
	hold        <-chan struct{} // see countingEngine
}

// answerHold holds the harness's answers until it is released, so a test
// can see what Slack gets before any answer is ready. A hold lasting past
// a generous bound lets the answers go by itself, so a handler that waits
// for its answer fails the test rather than hanging it.
type answerHold struct {
	ch    chan struct{}
	timer *time.Timer
	mu    sync.Mutex
	done  bool
	late  bool
}

func newAnswerHold() *answerHold {
	h := &answerHold{ch: make(chan struct{})}
	h.timer = time.AfterFunc(10*time.Second, func() { h.open(true) })
	return h
}

func (h *answerHold) open(late bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.done {
		h.done, h.late = true, late
		close(h.ch)
	}
}

// release lets the answers go and reports whether they were still held,
// that is, whether nothing had to wait for them.
func (h *answerHold) release() bool {
	h.timer.Stop()
	h.open(false)
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.late
}

func newHarness(t testing.TB, f *fakeSlack, cfg harnessConfig) *harness {
	t.Helper()
	if cfg.db == "" {
		cfg.db = testDB(t)
	}
	st := openStore(t, cfg.db)
	eng := &countingEngine{Engine: intents.New(st), hold: cfg.hold}
	if err := eng.Warm(context.Background()); err != nil { // as serve does
		t.Fatal(err)
	}
	opts := append([]bot.Option{bot.WithLogger(testLogger()), bot.WithToday(func() time.Time { return asOf })}, cfg.botOpts...)
	state := openState(t, cfg.db, "test")
	b := bot.New(eng, state, opts...)
	aopts := append([]Option{WithAPIURL(f.URL()), WithSigningSecret(testSecret), WithLogger(testLogger()), WithChannelPace(0)}, cfg.adapterOpts...)
	a := New(b, "xoxb-test-token", aopts...)
	if err := a.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.Start()
	h := &harness{t: t, slack: f, st: st, state: state, eng: eng, bot: b, adapter: a, srv: httptest.NewServer(a.Handler())}
	t.Cleanup(h.drain)
	t.Cleanup(h.srv.Close)
	return h
}

// drain answers everything queued and posts everything answered.
func (h *harness) drain() {
	if h.drained {
		return
	}
	h.drained = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.bot.Shutdown(ctx); err != nil {
		h.t.Error(err)
	}
	if err := h.adapter.Close(ctx); err != nil {
		h.t.Error(err)
	}
}

// signedPost sends body to path signed as Slack signs it, with extra
// headers, and returns the response.
func (h *harness) signedPost(path, contentType string, body []byte, at time.Time, header map[string]string) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(at.Unix()))
	req.Header.Set("X-Slack-Signature", Sign(testSecret, at, body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { res.Body.Close() })
	return res
}

// event is an Events API delivery as Slack sends it.
type event struct {
	ID      string
	Type    string // app_mention or message
	Channel string
	User    string
	Text    string
	TS      string
	Thread  string
	Extra   map[string]any // more inner-event fields (bot_id, subtype, edited)
}

func (e event) payload() []byte {
	inner := map[string]any{"type": e.Type, "user": e.User, "text": e.Text, "ts": e.TS, "channel": e.Channel, "event_ts": e.TS,
		"client_msg_id": "c0ffee00-" + e.ID, "team": "T0ACME",
		"blocks": []any{map[string]any{"type": "rich_text", "block_id": "x1", "elements": []any{map[string]any{"type": "rich_text_section", "elements": []any{map[string]any{"type": "text", "text": e.Text}}}}}},
	}
	if e.Type == "message" {
		inner["channel_type"] = "im"
	}
	if e.Thread != "" {
		inner["thread_ts"] = e.Thread
	}
	for k, v := range e.Extra {
		inner[k] = v
	}
	outer := map[string]any{
		"token": "legacyVerificationToken", "team_id": "T0ACME", "context_team_id": "T0ACME", "api_app_id": "A0SOWHAT",
		"event": inner, "type": "event_callback", "event_id": e.ID, "event_time": 1800000000,
		"authorizations":        []any{map[string]any{"enterprise_id": nil, "team_id": "T0ACME", "user_id": "U0SOWHAT", "is_bot": true, "is_enterprise_install": false}},
		"is_ext_shared_channel": false, "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
	}
	b, _ := json.Marshal(outer)
	return b
}

// mention sends an app_mention of the bot in a channel.
func (h *harness) mention(id, channel, user, text, ts, thread string, header map[string]string) *http.Response {
	h.t.Helper()
	e := event{ID: id, Type: "app_mention", Channel: channel, User: user, Text: "<@U0SOWHAT> " + text, TS: ts, Thread: thread}
	return h.signedPost(PathEvents, "application/json", e.payload(), time.Now(), header)
}

// command sends /sowhat text as Slack posts a slash command.
func (h *harness) command(channel, user, text string) *http.Response {
	h.t.Helper()
	h.seq++
	v := url.Values{
		"token": {"legacyVerificationToken"}, "team_id": {"T0ACME"}, "team_domain": {"acme"}, "channel_id": {channel},
		"channel_name": {"marketing"}, "user_id": {user}, "user_name": {"ceo"}, "command": {"/sowhat"}, "text": {text},
		"api_app_id": {"A0SOWHAT"}, "is_enterprise_install": {"false"},
		"response_url": {"https://hooks.slack.com/commands/T0ACME/1/xyz"},
		"trigger_id":   {fmt.Sprintf("13345224609.738474920.%d", h.seq)},
	}
	return h.signedPost(PathCommands, "application/x-www-form-urlencoded", []byte(v.Encode()), time.Now(), nil)
}

func mustStatus(t *testing.T, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("status %d (%s), want %d", res.StatusCode, strings.TrimSpace(string(b)), want)
	}
}

// lastWeek is the period "last week" means on asOf.
var lastWeek = period.Period{Start: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}

// lastMonth is October 2026.
var lastMonth = period.Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)}

// total computes a metric straight from the query layer, independently of
// the engine.
func total(t *testing.T, st *data.Store, metric model.MetricID, period period.Period, filters map[string][]string) *float64 {
	t.Helper()
	res, err := st.Run(context.Background(), data.Query{Metrics: []model.MetricID{metric}, Period: period, Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Total.Values[metric]
	if v == nil {
		t.Fatalf("%s has no value for %v", metric, period)
	}
	return v
}
