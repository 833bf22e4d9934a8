package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/bot"
	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
)

const (
	testBotToken = "xoxb-1111-2222-abcdefghijklmnop"
	testSecret   = "8f742231b10e8888abcd99ab7ecf85a5"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestReadServeSettings(t *testing.T) {
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
		{"secret not hex", with("SLACK_SIGNING_SECRET", "not-a-secret-at-all-zzzzzzzzzzzzz"), "SLACK_SIGNING_SECRET is malformed"},
		{"short secret", with("SLACK_SIGNING_SECRET", "abcd"), "32 hexadecimal"},
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
			_, err := readServeSettings(envOf(tc.env))
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

	s, err := readServeSettings(envOf(with("SLACK_ALLOWED_CHANNELS", "C0MKT, C0FINANCE", "SENSITIVE_CHANNELS", "C0FINANCE",
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

	s, err = readServeSettings(envOf(map[string]string{"SLACK_BOT_TOKEN": testBotToken, "SLACK_APP_TOKEN": "xapp-1-A0-1-abc", "SENSITIVE_METRICS": "none", "SLACK_USER_RATE": "off"}))
	if err != nil {
		t.Fatalf("socket mode needs no signing secret: %v", err)
	}
	if !s.SocketMode() || s.Policy.SensitiveMetrics != nil || s.UserRate.N != 0 {
		t.Errorf("settings %+v", s)
	}
}

// fakeSlackAPI answers auth.test and records chat.postMessage.
type fakeSlackAPI struct {
	mu    sync.Mutex
	posts []map[string]string
}

func (f *fakeSlackAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/api/auth.test":
		fmt.Fprint(w, `{"ok":true,"team_id":"T0ACME","user_id":"U0SOWHAT","bot_id":"B0SOWHAT"}`)
	case "/api/chat.postMessage":
		f.mu.Lock()
		f.posts = append(f.posts, map[string]string{"channel": r.Form.Get("channel"), "thread_ts": r.Form.Get("thread_ts"), "text": r.Form.Get("text")})
		f.mu.Unlock()
		fmt.Fprint(w, `{"ok":true,"channel":"C0MKT","ts":"1800000000.000100"}`)
	default:
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

func (f *fakeSlackAPI) Posts() []map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.posts...)
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
	res, err := st.Run(context.Background(), data.Query{Metrics: []string{"spend"}, Period: data.DateRange{Start: asOf.AddDate(0, 0, -9), End: asOf.AddDate(0, 0, -3)}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%.0f", *res.Total.Values["spend"])
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

	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T0ACME", "api_app_id": "A0SOWHAT", "event_id": "Ev0SERVE", "event_time": 1800000000,
		"event": map[string]any{"type": "app_mention", "user": "U0CMO", "text": "<@U0SOWHAT> What was total spend last week?", "ts": "1790000000.000100", "channel": "C0MKT", "event_ts": "1790000000.000100"}})
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
		t.Fatalf("event: %d", resp.StatusCode)
	}

	deadline := time.Now().Add(10 * time.Second)
	for len(slackAPI.Posts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	posts := slackAPI.Posts()
	if len(posts) != 1 || posts[0]["thread_ts"] != "1790000000.000100" || !strings.Contains(strings.ReplaceAll(posts[0]["text"], ",", ""), want) {
		t.Errorf("posts %v, want one answer with spend %s in the question's thread", posts, want)
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

func TestServeStopsOnBadSettings(t *testing.T) {
	cfg, err := LoadConfig(envOf(map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "s.db"), "SLACK_BOT_TOKEN": "xoxp-user-token"}))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	start := time.Now()
	err = cmdServe(context.Background(), e, []string{"--addr", freeAddr(t)})
	if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN must start with xoxb-") {
		t.Errorf("error %v, want one naming SLACK_BOT_TOKEN and xoxb-", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %s to refuse", time.Since(start))
	}
}
