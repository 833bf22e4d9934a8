package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/data/pgtest"
)

// The secrets serve is given in TestNoSecretInLogs, each with a core no
// other string in the suite has, so a secret cut short or masked still
// shows.
var testSecrets = map[string]string{
	"SLACK_BOT_TOKEN":      "xoxb-9417-5530-Qz7LkW2pVt8RmYc4",
	"SLACK_SIGNING_SECRET": "5f0c9a7e3b2d4c6a8e1f7b9d0c2a4e6f",
	"SLACK_APP_TOKEN":      "xapp-1-A0SOWHAT-5566-Uy3Ib8Op2Mn6Tr9Ke",
	"OPENAI_API_KEY":       "sk-proj-Fw4Jh8Sd2Qx6Zc9Lv3Nb7Mk1",
	"refused bot token":    "xoxb-9417-5530-Ge6Ow1Yu5Ai9Rt2H",
}

// secretCore is the part of a secret that must never be logged, even
// masked around it: all but its first and last few characters.
func secretCore(s string) string { return s[len(s)/3 : len(s)-3] }

// checkNoSecrets fails the test for each line of logs that holds a secret,
// and returns how many lines it checked.
func checkNoSecrets(t *testing.T, what, logs string, secrets map[string]string) int {
	t.Helper()
	lines := strings.Split(strings.TrimRight(logs, "\n"), "\n")
	for i, line := range lines {
		for name, s := range secrets {
			if strings.Contains(line, secretCore(s)) {
				t.Errorf("%s line %d shows %s: %s", what, i+1, name, line)
			}
		}
	}
	return len(lines)
}

// guardedSlack is the fake Slack API refusing every token but one, with
// chat.postMessage limited (429) once and failing (500) once, so the
// retries are logged too.
type guardedSlack struct {
	token string
	api   fakeSlackAPI

	mu         sync.Mutex
	posts      int
	ephemerals int
}

// replies counts the replies posted, in the channel or to the asker alone.
func (g *guardedSlack) replies() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.api.Posts()) + g.ephemerals
}

func (g *guardedSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		g.api.ServeHTTP(w, r)
		return
	}
	_ = r.ParseForm()
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		tok = r.Form.Get("token")
	}
	w.Header().Set("Content-Type", "application/json")
	if tok != g.token {
		fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
		return
	}
	if r.URL.Path == "/api/chat.postEphemeral" {
		g.mu.Lock()
		g.ephemerals++
		g.mu.Unlock()
		fmt.Fprint(w, `{"ok":true,"message_ts":"1800000000.999999"}`)
		return
	}
	if r.URL.Path == "/api/chat.postMessage" {
		g.mu.Lock()
		g.posts++
		n := g.posts
		g.mu.Unlock()
		switch n {
		case 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
			return
		case 2:
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
	}
	g.api.ServeHTTP(w, r)
}

// secretOpenAI rephrases every question as a spend question, counting its
// tokens, and refuses to polish (as a model that is down would), saying
// only the masked key, as OpenAI does.
func secretOpenAI(t *testing.T, key string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+key {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`)
			return
		}
		if bytes.Contains(body, []byte("json_object")) {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, `{"error":{"message":"The engine is overloaded (key %s...%s)","type":"server_error"}}`, key[:3], key[len(key)-2:])
			return
		}
		fmt.Fprint(w, `{"id":"c1","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"total spend last week"},"finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":5,"total_tokens":47}}`)
	}))
}

// TestNoSecretInLogs runs serve as the binary does, logging at debug level
// as JSON, with a token, a signing secret, an app token and an OpenAI key
// of its own; asks questions (one the model rephrases, whose polish
// fails), sends a forged and a stale signature and a retried event, meets
// a 429 and a 500 from Slack, and starts serve with a bot token Slack
// refuses and with an app token Slack refuses. No line of what serve
// wrote shows any of the secrets, and /metrics counts what happened.
func TestNoSecretInLogs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve three times")
	}
	db := demoDatabase(t, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	slack := &guardedSlack{token: testSecrets["SLACK_BOT_TOKEN"]}
	fakeSlack := httptest.NewServer(slack)
	defer fakeSlack.Close()
	openai := secretOpenAI(t, testSecrets["OPENAI_API_KEY"])
	defer openai.Close()
	vars := map[string]string{"DATABASE_URL": db, "SOWHAT_AS_OF": "2026-11-25", "SOWHAT_ENV_FILE": "", "LOG_LEVEL": "debug", "LOG_FORMAT": "json",
		"SLACK_API_URL": fakeSlack.URL + "/api/", "SLACK_BOT_TOKEN": testSecrets["SLACK_BOT_TOKEN"], "SLACK_SIGNING_SECRET": testSecrets["SLACK_SIGNING_SECRET"],
		"OPENAI_API_KEY": testSecrets["OPENAI_API_KEY"], "OPENAI_BASE_URL": openai.URL + "/v1", "SLACK_USER_RATE": "3/min"}

	var all strings.Builder
	logs := serveAndAsk(t, vars, slack)
	all.WriteString(logs)
	if !strings.Contains(logs, `"level":"DEBUG"`) || !strings.Contains(logs, "slack rate limit") || !strings.Contains(logs, "slack call failed, retrying") {
		t.Errorf("the run did not log at debug, a 429 and a retry:\n%s", logs)
	}

	refused := copyVars(vars, "SLACK_BOT_TOKEN", testSecrets["refused bot token"])
	code, out := runServe(t, refused, 20*time.Second)
	if code == 0 || !strings.Contains(out, "SLACK_BOT_TOKEN was not accepted") {
		t.Errorf("serve with a refused token: code %d:\n%s", code, out)
	}
	all.WriteString(out)

	socket := copyVars(vars, "SLACK_APP_TOKEN", testSecrets["SLACK_APP_TOKEN"])
	socket["SLACK_SIGNING_SECRET"] = ""
	slack.token = testSecrets["SLACK_BOT_TOKEN"] // the bot token is good; the app token is not
	_, out = runServe(t, socket, 5*time.Second)
	if !strings.Contains(out, "app token was refused") && !strings.Contains(out, "invalid_auth") {
		t.Errorf("serve in socket mode with a refused app token did not say so:\n%s", out)
	}
	all.WriteString(out)

	n := checkNoSecrets(t, "serve's log", all.String(), testSecrets)
	t.Logf("checked %d log lines for %d secrets", n, len(testSecrets))
	if n < 20 {
		t.Errorf("only %d log lines: the test did not exercise serve", n)
	}
}

// serveAndAsk runs serve in HTTP mode with vars, asks it questions the
// ways Slack and others would, checks /metrics, and returns what serve
// wrote to stderr.
func serveAndAsk(t *testing.T, vars map[string]string, slack *guardedSlack) string {
	t.Helper()
	addr := freeAddr(t)
	stderr := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr}, strings.NewReader(""), io.Discard, stderr, envOf(vars))
	}()
	base := "http://" + addr
	waitHealthy(t, base, nil)
	secret := vars["SLACK_SIGNING_SECRET"]
	asks := []struct {
		name   string
		id     string
		text   string
		signed func(body []byte) (string, time.Time)
		want   int
		// after: sent once this many replies are posted.
		after int
	}{
		{"answered", "Ev0SEC1", "What was total spend last week?", goodSig(secret), 200, 0},
		{"breakdown with a chart", "Ev0SEC2", "spend by platform last week", goodSig(secret), 200, 0},
		{"the model rephrases", "Ev0SEC3", "how did the flux capacitors do", goodSig(secret), 200, 0},
		{"retried by Slack", "Ev0SEC1", "What was total spend last week?", goodSig(secret), 200, 0},
		{"forged signature", "Ev0SEC4", "spend", goodSig("not-the-secret"), 401, 0},
		{"stale signature", "Ev0SEC5", "spend", func(b []byte) (string, time.Time) {
			at := time.Now().Add(-time.Hour)
			return slackbot.Sign(secret, at, b), at
		}, 401, 0},
		{"over the user's rate", "Ev0SEC6", "What was total spend last week?", goodSig(secret), 200, 3},
	}
	for i, a := range asks {
		waitFor(t, fmt.Sprintf("%d replies", a.after), func() bool { return slack.replies() >= a.after })
		body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T0ACME", "api_app_id": "A0SOWHAT", "event_id": a.id, "event_time": 1800000000,
			"event": map[string]any{"type": "app_mention", "user": "U0CMO", "text": "<@U0SOWHAT> " + a.text, "ts": fmt.Sprintf("1790000000.%06d", i),
				"channel": "C0MKT", "event_ts": fmt.Sprintf("1790000000.%06d", i)}})
		req, _ := http.NewRequest(http.MethodPost, base+slackbot.PathEvents, bytes.NewReader(body))
		sig, at := a.signed(body)
		req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(at.Unix()))
		req.Header.Set("X-Slack-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != a.want {
			t.Errorf("%s: %d, want %d", a.name, resp.StatusCode, a.want)
		}
	}
	if !waitUntil(func() bool { return slack.replies() >= 4 }) {
		t.Fatalf("%d replies posted:\n%s", slack.replies(), stderr.String())
	}
	checkMetrics(t, base, vars)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d:\n%s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
	return stderr.String()
}

// goodSig signs a body with secret, now.
func goodSig(secret string) func(body []byte) (string, time.Time) {
	return func(body []byte) (string, time.Time) {
		now := time.Now()
		return slackbot.Sign(secret, now, body), now
	}
}

// copyVars is vars with k set to v.
func copyVars(vars map[string]string, k, v string) map[string]string {
	out := maps.Clone(vars)
	out[k] = v
	return out
}

// runServe runs serve with vars until it stops, or for at most d, and
// returns its exit code and what it wrote to stderr.
func runServe(t *testing.T, vars map[string]string, d time.Duration) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var stderr syncBuffer
	code := run(ctx, []string{"serve", "--addr", freeAddr(t)}, strings.NewReader(""), io.Discard, &stderr, envOf(vars))
	return code, stderr.String()
}

// checkMetrics reads /metrics and checks it counts what the questions did,
// and shows no secret either.
func checkMetrics(t *testing.T, base string, vars map[string]string) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`sowhat_questions_total{intent="value",outcome="answered"}`,
		`sowhat_questions_total{intent="none",outcome="limited"} 1`,
		`sowhat_answer_seconds_count`,
		`sowhat_chat_api_calls_total{method="chat.postMessage",platform="slack",result="rate_limited"} 1`,
		`sowhat_chat_api_calls_total{method="chat.postMessage",platform="slack",result="ok"}`,
		`sowhat_chat_retries_total{platform="slack",reason="429"} 1`,
		`sowhat_chat_retries_total{platform="slack",reason="transient"} 1`,
		`sowhat_llm_calls_total{result="ok"}`,
		`sowhat_llm_calls_total{result="error"}`,
		`sowhat_llm_tokens_total{kind="prompt"}`,
		`sowhat_llm_seconds_count`,
		`sowhat_imported_rows{kind="ads"}`,
		`sowhat_imports_readable 1`,
		`go_sql_open_connections{db_name="analytics"}`,
		`go_sql_open_connections{db_name="state"}`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	checkNoSecrets(t, "/metrics", body, testSecrets)
}

// waitUntil waits up to 30 s for cond.
func waitUntil(cond func() bool) bool {
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// TestNoDatabasePasswordInOutput gives serve, ask, ingest and doctor a
// PostgreSQL URL with a password: one to a server that takes it (the
// tests' server trusts loopback, so any password is let in), one to a
// port nothing listens on, and one to a database that does not exist. No
// line they write, logs or errors, shows the password.
func TestNoDatabasePasswordInOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	const password = "pg-Pw7Kx2Vb9Qm4Lz8Rt3"
	secrets := map[string]string{"database password": password}
	withPassword := func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(u.User.Username(), password)
		return u.String()
	}
	good := withPassword(pgtest.URL(t))
	closed := withPassword("postgres://sowhat@" + freeAddr(t) + "/sowhat?sslmode=disable&connect_timeout=2")
	missing := withPassword(pgtest.URL(t))
	if u, err := url.Parse(missing); err == nil {
		u.Path = "/no_such_database_here"
		missing = u.String()
	}
	csv := filepath.Join(t.TempDir(), "ads.csv")
	if err := os.WriteFile(csv, []byte("date,platform,campaign,spend,impressions,clicks,conversions,revenue\n2026-11-20,meta,Spring,100,1000,10,2,300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, dsn := range []string{good, closed, missing} {
		base := map[string]string{"DATABASE_URL": dsn, "SOWHAT_AS_OF": "2026-11-25", "SOWHAT_ENV_FILE": "", "LOG_LEVEL": "debug", "LOG_FORMAT": "json"}
		for _, args := range [][]string{{"ingest", csv}, {"ask", "spend last week"}, {"doctor"}} {
			var stdout, stderr syncBuffer
			code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, envOf(base))
			all.WriteString(stdout.String() + stderr.String())
			if dsn == good && code != 0 && args[0] != "doctor" { // doctor also finds no chat configured
				t.Errorf("%s on a reachable database: exit %d:\n%s", args[0], code, stderr.String())
			}
			if dsn != good && code == 0 {
				t.Errorf("%s on an unreachable database: exit 0", args[0])
			}
		}
		vars := copyVars(base, "SLACK_BOT_TOKEN", testSecrets["SLACK_BOT_TOKEN"])
		vars["SLACK_SIGNING_SECRET"] = testSecrets["SLACK_SIGNING_SECRET"]
		vars["SLACK_API_URL"] = "http://" + freeAddr(t) + "/api/"
		_, out := runServe(t, vars, 5*time.Second)
		all.WriteString(out)
	}
	if !strings.Contains(all.String(), "no_such_database_here") {
		t.Errorf("the missing database was never named:\n%s", all.String())
	}
	if !strings.Contains(all.String(), "postgres://sowhat") {
		t.Errorf("no database URL was shown, redacted or not: the test does not reach where one would leak:\n%s", all.String())
	}
	n := checkNoSecrets(t, "output", all.String(), secrets)
	t.Logf("checked %d lines for the database password", n)
}
