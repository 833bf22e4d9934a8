package teams

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

var lastWeek = period.Period{Start: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}

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

// testDB copies the demo database, built once, into the test's temp dir.
func testDB(t testing.TB) string {
	t.Helper()
	templateOnce.Do(func() {
		if templateDir, templateErr = os.MkdirTemp("", "sowhat-teams-test"); templateErr != nil {
			return
		}
		ctx := context.Background()
		st, err := data.Open(ctx, filepath.Join(templateDir, "demo.db"))
		if err != nil {
			templateErr = err
			return
		}
		defer st.Close()
		_, templateErr = demo.Generate(ctx, st, asOf)
	})
	if templateErr != nil {
		t.Fatal(templateErr)
	}
	b, err := os.ReadFile(filepath.Join(templateDir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var debugLog = flag.Bool("debuglog", false, "log to stderr at debug level")

// logBuffer keeps what the adapter and the bot log, to check that no
// token is ever in it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func testLogger(buf io.Writer) *slog.Logger {
	if *debugLog {
		buf = io.MultiWriter(buf, os.Stderr)
	}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// countingEngine counts the questions that reached the engine.
type countingEngine struct {
	*intents.Engine
	asked atomic.Int64
}

func (c *countingEngine) Understand(ctx context.Context, q string, asOf time.Time, r question.Reader, prev *question.Request) (question.Request, error) {
	c.asked.Add(1)
	return c.Engine.Understand(ctx, q, asOf, r, prev)
}

// harness is one sowhat serving Teams: a real store, engine, bot and
// adapter, the adapter pointed at the fake Bot Framework.
type harness struct {
	t       testing.TB
	teams   *fakeTeams
	st      *data.Store
	state   *data.State
	eng     *countingEngine
	bot     *bot.Bot
	adapter *Adapter
	srv     *httptest.Server
	logs    *logBuffer
	client  *http.Client
	drained bool
}

type harnessConfig struct {
	db      string
	owner   string
	botOpts []bot.Option
}

func newHarness(t testing.TB, f *fakeTeams, cfg harnessConfig) *harness {
	t.Helper()
	if cfg.db == "" {
		cfg.db = testDB(t)
	}
	if cfg.owner == "" {
		cfg.owner = "test"
	}
	ctx := context.Background()
	st, err := data.Open(ctx, cfg.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	state, err := data.OpenState(ctx, data.StatePath(cfg.db), data.WithOwner(cfg.owner))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { state.Close() })
	eng := &countingEngine{Engine: intents.New(st)}
	if err := eng.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	log := testLogger(logs)
	opts := append([]bot.Option{bot.WithLogger(log), bot.WithToday(func() time.Time { return asOf })}, cfg.botOpts...)
	b := bot.New(eng, state, opts...)
	a := New(b, testAppID, testSecret, WithTenant(testTenant), WithOpenIDMetadataURL(f.metadataURL()), WithTokenURL(f.tokenURL()),
		WithLogger(log), WithRefs(state))
	if err := a.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	b.Start()
	h := &harness{t: t, teams: f, st: st, state: state, eng: eng, bot: b, adapter: a, srv: httptest.NewServer(a.Handler()), logs: logs,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * loadEvents}}}
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

// deliver posts an activity with the bearer token as the Bot Connector
// does, and returns the response's status.
func (h *harness) deliver(body []byte, bearer string) int {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+PathMessages, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// ask delivers a validly signed activity.
func (h *harness) ask(a act) int {
	h.t.Helper()
	return h.deliver(h.teams.payload(a), h.teams.validToken().sign(h.t))
}

// total computes a metric straight from the query layer, independently of
// the engine.
func total(t testing.TB, st *data.Store, metric model.MetricID, p period.Period, filters map[string][]string) *float64 {
	t.Helper()
	res, err := st.Run(context.Background(), data.Query{Metrics: []model.MetricID{metric}, Period: p, Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Total.Values[metric]
	if v == nil {
		t.Fatalf("%s has no value for %v", metric, p)
	}
	return v
}

func mustStatus(t testing.TB, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("status %d, want %d", got, want)
	}
}
