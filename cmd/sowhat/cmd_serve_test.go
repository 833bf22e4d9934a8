package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/bot"
	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/reports"
)

const (
	testBotToken = "xoxb-1111-2222-abcdefghijklmnop"
	testSecret   = "8f742231b10e8888abcd99ab7ecf85a5"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestSlackSettings(t *testing.T) {
	base := map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	bad := []struct {
		name string
		env  map[string]string
		want string // the error names this
	}{
		{"no bot token", with("SLACK_BOT_TOKEN", ""), "SLACK_BOT_TOKEN is not set"},
		{"user token", with("SLACK_BOT_TOKEN", "xoxp-secret-user-token"), "SLACK_BOT_TOKEN must start with xoxb-"},
		{"bad app token", with("SLACK_APP_TOKEN", "xoxb-secret-wrong"), "SLACK_APP_TOKEN must start with xapp-"},
		{"http without secret", with("SLACK_SIGNING_SECRET", ""), "SLACK_SIGNING_SECRET is not set"},
		{"api url", with("SLACK_API_URL", "slack-gov.com/api"), "SLACK_API_URL"},
		{"channel name", with("SLACK_ALLOWED_CHANNELS", "C0MKT,#finance"), `SLACK_ALLOWED_CHANNELS: "#finance" is not an id`},
		{"user name", with("SLACK_ALLOWED_USERS", "@jane"), "SLACK_ALLOWED_USERS"},
		{"sensitive channel", with("SENSITIVE_CHANNELS", "finance"), "SENSITIVE_CHANNELS"},
		{"sensitive user", with("SENSITIVE_USERS", "jane"), "SENSITIVE_USERS"},
		{"metric typo", with("SENSITIVE_METRICS", "cac,payback"), `SENSITIVE_METRICS="cac,payback"`},
		{"audience typo", with("AUDIENCES", "C0FINANCE=cfoo"), "AUDIENCES"},
		{"audience shape", with("AUDIENCES", "C0FINANCE"), "AUDIENCES"},
		{"audience name", with("AUDIENCES", "#finance=cfo"), "AUDIENCES"},
		{"rate", with("SLACK_USER_RATE", "lots"), "SLACK_USER_RATE"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			s, err := readSlackSettings(envOf(tc.env))
			if err == nil {
				err = s.CheckServe()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
			for _, secret := range []string{"secret-user-token", "secret-wrong", "not-a-secret"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error echoes a secret: %v", err)
				}
			}
		})
	}

	s, err := readSlackSettings(envOf(with("SLACK_ALLOWED_CHANNELS", "C0MKT, C0FINANCE", "SENSITIVE_CHANNELS", "C0FINANCE",
		"SENSITIVE_USERS", "U0CFO", "AUDIENCES", "C0FINANCE=cfo,U123ABC=CMO", "SLACK_USER_RATE", "5/min")))
	if err != nil {
		t.Fatal(err)
	}
	want := bot.PolicyConfig{AllowedChannels: []string{"C0MKT", "C0FINANCE"}, SensitiveMetrics: []string{"cac", "payback_months", "mer"},
		SensitiveChannels: []string{"C0FINANCE"}, SensitiveUsers: []string{"U0CFO"}, Audiences: map[string]string{"C0FINANCE": "cfo", "U123ABC": "cmo"}}
	if diff := cmp.Diff(want, s.Policy); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
	if s.SocketMode() || s.UserRate != (bot.Rate{N: 5, Per: time.Minute}) {
		t.Errorf("settings %+v", s)
	}

	s, err = readSlackSettings(envOf(map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_APP_TOKEN": "xapp-1-A0-1-abc", "SENSITIVE_METRICS": "none", "SLACK_USER_RATE": "off"}))
	if err == nil {
		err = s.CheckServe()
	}
	if err != nil {
		t.Fatalf("socket mode needs no signing secret: %v", err)
	}
	if !s.SocketMode() || s.Policy.SensitiveMetrics != nil || s.UserRate.N != 0 {
		t.Errorf("settings %+v", s)
	}
}

// TestSigningSecretOpaque: the signing secret is opaque to Slack's scheme,
// so one of an unusual shape (Slack's own documented example is not
// hexadecimal) is served, with a warning that never shows it.
func TestSigningSecretOpaque(t *testing.T) {
	cases := []struct {
		name, secret string
		warn         bool
	}{
		{"usual", testSecret, false},
		{"slack's documented example", "8f742231b10e8888abcd99yyyzzz85a5", true},
		{"short", "abcd", true},
		{"a token", "xoxb-secret-wrong", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := readSlackSettings(envOf(map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": tc.secret}))
			if err == nil {
				err = s.CheckServe()
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			w := s.SigningSecretWarning()
			if (w != "") != tc.warn {
				t.Errorf("warning %q, want one: %v", w, tc.warn)
			}
			if w != "" && (strings.Contains(w, tc.secret) || !strings.Contains(w, "SLACK_SIGNING_SECRET")) {
				t.Errorf("warning %q shows the secret or doesn't name the variable", w)
			}
		})
	}
	s := SlackSettings{AppToken: "xapp-1-A0-1-abc", SigningSecret: "abcd"}
	if w := s.SigningSecretWarning(); w != "" {
		t.Errorf("socket mode doesn't use the signing secret, yet warns %q", w)
	}
}

// fakeSlackAPI answers auth.test, records chat.postMessage and takes file
// uploads the external way (files.getUploadURLExternal, the upload,
// files.completeUploadExternal).
type fakeSlackAPI struct {
	mu    sync.Mutex
	seq   int
	posts []map[string]string
	files []map[string]string
}

func (f *fakeSlackAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		_, _ = io.Copy(io.Discard, r.Body)
		fmt.Fprint(w, "OK")
		return
	}
	_ = r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	switch r.URL.Path {
	case "/api/auth.test":
		fmt.Fprint(w, `{"ok":true,"team_id":"T0ACME","user_id":"U0SOWHAT","bot_id":"B0SOWHAT"}`)
	case "/api/chat.postMessage":
		ts := fmt.Sprintf("1800000000.%06d", f.seq)
		f.posts = append(f.posts, map[string]string{"channel": r.Form.Get("channel"), "thread_ts": r.Form.Get("thread_ts"), "text": r.Form.Get("text"),
			"blocks": r.Form.Get("blocks"), "ts": ts})
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, r.Form.Get("channel"), ts)
	case "/api/files.getUploadURLExternal":
		fmt.Fprintf(w, `{"ok":true,"upload_url":"http://%s/upload/F%d","file_id":"F%d"}`, r.Host, f.seq, f.seq)
	case "/api/files.completeUploadExternal":
		f.files = append(f.files, map[string]string{"channel": r.Form.Get("channel_id"), "thread_ts": r.Form.Get("thread_ts"), "files": r.Form.Get("files")})
		fmt.Fprintf(w, `{"ok":true,"files":%s}`, r.Form.Get("files"))
	default:
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

func (f *fakeSlackAPI) Posts() []map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.posts...)
}

// Parents are the posts that started a message rather than replied in a
// thread.
func (f *fakeSlackAPI) Parents() []map[string]string {
	var out []map[string]string
	for _, p := range f.Posts() {
		if p["thread_ts"] == "" {
			out = append(out, p)
		}
	}
	return out
}

func (f *fakeSlackAPI) Files() []map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.files...)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeHTTPMode(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	dbPath := filepath.Join(t.TempDir(), "s.db")
	st, err := data.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(context.Background(), st, asOf); err != nil {
		t.Fatal(err)
	}
	res, err := st.Run(context.Background(), data.Query{Metrics: []model.MetricID{model.Spend}, Period: period.Period{Start: asOf.AddDate(0, 0, -9), End: asOf.AddDate(0, 0, -3)}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%.0f", *res.Total.Values[model.Spend])
	st.Close()

	slackAPI := &fakeSlackAPI{}
	fake := httptest.NewServer(slackAPI)
	defer fake.Close()
	cfg, err := LoadConfig(envOf(map[string]string{"DATABASE_URL": dbPath, "SOWHAT_AS_OF": "2026-11-25", "SOWHAT_ENV_FILE": "",
		"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret, "SLACK_API_URL": fake.URL + "/api/"}))
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	e := &env{cfg: cfg, stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, now: time.Now,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmdServe(ctx, e, []string{"--addr", addr}) }()

	base := "http://" + addr
	waitHealthy(t, base, done)

	mention := func(id, ts, text string) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T0ACME", "api_app_id": "A0SOWHAT", "event_id": id, "event_time": 1800000000,
			"event": map[string]any{"type": "app_mention", "user": "U0CMO", "text": "<@U0SOWHAT> " + text, "ts": ts, "channel": "C0MKT", "event_ts": ts}})
		req, _ := http.NewRequest(http.MethodPost, base+slackbot.PathEvents, bytes.NewReader(body))
		now := time.Now()
		req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(now.Unix()))
		req.Header.Set("X-Slack-Signature", slackbot.Sign(testSecret, now, body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("event %s: %d", id, resp.StatusCode)
		}
	}
	mention("Ev0SERVE", "1790000000.000100", "What was total spend last week?")
	mention("Ev0CHART", "1790000000.000200", "spend by platform last week")

	// Both answered, and the breakdown's chart follows its answer (a
	// second later: one message a second in a channel).
	waitFor(t, "both answers and the chart", func() bool { return len(slackAPI.Posts()) >= 2 && len(slackAPI.Files()) >= 1 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	posts := map[string]map[string]string{}
	for _, p := range slackAPI.Posts() {
		posts[p["thread_ts"]] = p
	}
	if p := posts["1790000000.000100"]; len(slackAPI.Posts()) != 2 || !strings.Contains(strings.ReplaceAll(p["text"], ",", ""), want) {
		t.Errorf("posts %v, want an answer with spend %s in the first question's thread", slackAPI.Posts(), want)
	}
	if p := posts["1790000000.000200"]; !strings.Contains(p["text"], "by platform") {
		t.Errorf("posts %v, want the breakdown in the second question's thread", slackAPI.Posts())
	}
	if files := slackAPI.Files(); len(files) != 1 || files[0]["thread_ts"] != "1790000000.000200" || files[0]["channel"] != "C0MKT" {
		t.Errorf("files %v, want the breakdown's chart in its thread", files)
	}
}

func waitHealthy(t *testing.T, base string, done <-chan error) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v", err)
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			return
		}
	}
	t.Fatal("never healthy")
}

// TestServeStopsOnBadSettings: a bad token is refused before anything else
// is done: no database is opened (or built) and Slack is never called.
func TestServeStopsOnBadSettings(t *testing.T) {
	var calls atomic.Int64
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer slackAPI.Close()
	dbPath := filepath.Join(t.TempDir(), "s.db")
	cfg, err := LoadConfig(envOf(map[string]string{"DATABASE_URL": dbPath, "SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_API_URL": slackAPI.URL + "/api/"}))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = cmdServe(context.Background(), e, []string{"--addr", freeAddr(t)})
	if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN must start with xoxb-") {
		t.Errorf("error %v, want one naming SLACK_BOT_TOKEN and xoxb-", err)
	}
	if _, err := os.Stat(dbPath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the database was opened before the settings were checked (%v)", err)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("Slack was called %d times with a refused token", n)
	}
}

// syncBuffer is a log both servers of a test write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serving is one `sowhat serve` running in the test.
type serving struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan error
	log    *syncBuffer
}

// startServe runs cmdServe with the environment vars and a clock stopped
// at now, logging at debug, until the test stops it.
func startServe(t *testing.T, vars map[string]string, now time.Time) *serving {
	t.Helper()
	cfg, err := LoadConfig(envOf(vars))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	e := &env{cfg: cfg, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, now: func() time.Time { return now },
		log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{t: t, cancel: cancel, done: make(chan error, 1), log: logs}
	go func() { s.done <- cmdServe(ctx, e, []string{"--addr", addr}) }()
	t.Cleanup(func() { s.stop() })
	waitHealthy(t, "http://"+addr, s.done)
	return s
}

// stop shuts the server down and checks it stopped cleanly, once.
func (s *serving) stop() {
	s.t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	defer func() {
		checkNoSecrets(s.t, "serve's log", s.log.String(), map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret})
	}()
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		s.t.Fatal("serve did not stop")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %s", what)
		}
	}
}

// demoDatabase builds the demo data as of asOf in a fresh file.
func demoDatabase(t *testing.T, asOf time.Time) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.Generate(context.Background(), st, asOf); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServePostsScheduledDigestOnce runs two `sowhat serve` on one
// database with the clock at a digest's scheduled time: the digest is
// posted once, through the real Slack adapter, its charts in its thread,
// and both servers stop cleanly.
func TestServePostsScheduledDigestOnce(t *testing.T) {
	api := &fakeSlackAPI{}
	fake := httptest.NewServer(api)
	defer fake.Close()
	config := writeFile(t, "reports.yaml", `
digests:
  - name: cfo-weekly
    audience: cfo
    channels: [slack:C0FIN]
    schedule: "0 8 * * MON"
    period: last_week
`)
	vars := map[string]string{"DATABASE_URL": demoDatabase(t, digestAsOf), "SOWHAT_ENV_FILE": "", "SOWHAT_AS_OF": "2026-05-04",
		"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret, "SLACK_API_URL": fake.URL + "/api/", reports.EnvConfig: config,
		"SENSITIVE_CHANNELS": "C0FIN"}
	due := time.Date(2026, 5, 4, 8, 0, 30, 0, time.UTC)
	servers := []*serving{startServe(t, vars, due), startServe(t, vars, due)}

	// Stop once the run is recorded as posted. (Stopping while the charts
	// upload posts them all, but then reports cannot mark the claim posted
	// with the cancelled context, and says so.)
	// Each server has dealt with the run once it has posted it or found it
	// claimed by the other; neither checks again for a minute.
	for i, s := range servers {
		waitFor(t, fmt.Sprintf("server %d to post the digest or leave it to the other", i+1), func() bool {
			l := s.log.String()
			return strings.Contains(l, "digest posted") || strings.Contains(l, "digest run claimed by another process")
		})
	}
	for _, s := range servers {
		s.stop()
	}

	parents := api.Parents()
	if len(parents) != 1 {
		t.Fatalf("%d messages started by two servers, want 1: %v", len(parents), parents)
	}
	p := parents[0]
	if p["channel"] != "C0FIN" || !strings.Contains(p["blocks"], "CFO digest · last week (Apr 27 – May 3, 2026)") || !strings.Contains(p["text"], "What matters this period") {
		t.Errorf("digest posted to %s:\ntext %s\nblocks %.300s", p["channel"], p["text"], p["blocks"])
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(p["blocks"]), &blocks); err != nil || len(blocks) == 0 || len(blocks) > 50 {
		t.Errorf("%d blocks (%v), want Block Kit JSON within 50 blocks", len(blocks), err)
	}
	files := api.Files()
	if len(files) == 0 {
		t.Fatal("no chart uploaded")
	}
	for _, f := range files {
		if f["channel"] != "C0FIN" || f["thread_ts"] != p["ts"] {
			t.Errorf("chart shared to %s thread %s, want C0FIN thread %s", f["channel"], f["thread_ts"], p["ts"])
		}
	}
	for i, s := range servers {
		if strings.Contains(s.log.String(), "level=ERROR") {
			t.Errorf("server %d logged an error:\n%s", i+1, s.log.String())
		}
	}
}

func TestServeSaysOnceWhenNothingPosts(t *testing.T) {
	api := &fakeSlackAPI{}
	fake := httptest.NewServer(api)
	defer fake.Close()
	vars := map[string]string{"DATABASE_URL": demoDatabase(t, digestAsOf), "SOWHAT_ENV_FILE": "",
		"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret, "SLACK_API_URL": fake.URL + "/api/"}
	s := startServe(t, vars, time.Date(2026, 5, 4, 8, 0, 30, 0, time.UTC))
	s.stop()
	logs := s.log.String()
	if n := strings.Count(logs, "no digest or alert posts anywhere"); n != 1 || !strings.Contains(logs, "level=INFO msg=\"no digest") {
		t.Errorf("said %d times that nothing posts, want once at info:\n%s", n, logs)
	}
	if strings.Contains(logs, "report scheduler started") || strings.Contains(logs, "level=WARN") {
		t.Errorf("the scheduler ran with nothing to post:\n%s", logs)
	}
	if n := len(api.Posts()); n != 0 {
		t.Errorf("%d posts", n)
	}
}

func TestServeRefusesBadReportsConfig(t *testing.T) {
	config := writeFile(t, "reports.yaml", "digests:\n  - name: cfo\n    audience: cfoo\n    channels: [slack:C1]\n    schedule: \"0 8 * * MON\"\n    period: last_week\n")
	cfg, err := LoadConfig(envOf(map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "s.db"), "SOWHAT_ENV_FILE": "",
		"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret, reports.EnvConfig: config}))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = cmdServe(context.Background(), e, []string{"--addr", freeAddr(t)})
	if err == nil || !strings.Contains(err.Error(), "reports.yaml") || !strings.Contains(err.Error(), "cfoo") {
		t.Errorf("error %v, want one naming the file and the bad audience", err)
	}
}

// TestIngestChecksAlertsOnce imports a file with alerts configured and
// Slack set up: the alerts post once, and a second import posts nothing
// new. (It lives here beside the fake Slack; it tests cmd_ingest.go.)
func TestIngestChecksAlertsOnce(t *testing.T) {
	api := &fakeSlackAPI{}
	fake := httptest.NewServer(api)
	defer fake.Close()
	budgets := writeFile(t, "budgets.csv", "Month,Platform,Budget\n2026-07,meta,90000\n")
	e, out := digestEnv(t, map[string]string{reports.EnvChannel: "slack:C0ALERTS", "SLACK_BOT_TOKEN": testBotToken, "SLACK_API_URL": fake.URL + "/api/"})
	if err := cmdIngest(context.Background(), e, []string{budgets}); err != nil {
		t.Fatal(err)
	}
	posts := api.Posts()
	if len(posts) == 0 || !strings.Contains(out.String(), "checked 5 alert rules") || !strings.Contains(out.String(), "opened") {
		t.Fatalf("%d alerts posted; output:\n%s", len(posts), out)
	}
	var overspend bool
	for _, p := range posts {
		if p["channel"] != "C0ALERTS" || p["thread_ts"] != "" {
			t.Errorf("alert posted to %s thread %q", p["channel"], p["thread_ts"])
		}
		overspend = overspend || strings.Contains(p["blocks"], "The Trade Desk") && strings.Contains(p["blocks"], "What happened")
	}
	if !overspend {
		t.Errorf("no Trade Desk overspend alert among %d posts", len(posts))
	}

	out.Reset()
	if err := cmdIngest(context.Background(), e, []string{budgets}); err != nil {
		t.Fatal(err)
	}
	if n := len(api.Posts()); n != len(posts) || !strings.Contains(out.String(), "nothing new") {
		t.Errorf("a second import posted %d more alerts; output:\n%s", n-len(posts), out)
	}
}

func TestIngestSkipsAlertsWithoutSlack(t *testing.T) {
	budgets := writeFile(t, "budgets.csv", "Month,Platform,Budget\n2026-07,meta,90000\n")
	e, out := digestEnv(t, map[string]string{reports.EnvChannel: "slack:C0ALERTS"})
	logs := &syncBuffer{}
	e.log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if err := cmdIngest(context.Background(), e, []string{budgets}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "alert") || !strings.Contains(logs.String(), "level=DEBUG msg=\"alerts not checked after ingest: SLACK_BOT_TOKEN is not set\"") {
		t.Errorf("output:\n%s\nlog:\n%s", out, logs)
	}
	if strings.Contains(logs.String(), "level=WARN") || strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("skipping was not silent:\n%s", logs)
	}
}
