package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/reports"
)

const (
	testTeamsApp     = "00000000-0000-0000-0000-00000000a99d"
	testTeamsTenant  = "11111111-2222-3333-4444-555555555555"
	testTeamsChannel = "19:c0ffee@thread.tacv2"
)

// fakeBotFramework is Entra ID's token endpoint and one Bot Connector
// service URL, recording the activities posted.
type fakeBotFramework struct {
	mu     sync.Mutex
	tokens int
	posts  []map[string]any
	paths  []string
}

func (f *fakeBotFramework) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
		_ = r.ParseForm()
		if r.Form.Get("client_id") != testTeamsApp || !strings.Contains(r.URL.Path, testTeamsTenant) {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		f.tokens++
		_, _ = io.WriteString(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"bf-token"}`)
	case strings.HasPrefix(r.URL.Path, "/amer/v3/conversations"):
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.posts = append(f.posts, body)
		f.paths = append(f.paths, strings.TrimPrefix(r.URL.EscapedPath(), "/amer/"))
		id := fmt.Sprint(1800000000000 + len(f.posts))
		_ = json.NewEncoder(w).Encode(map[string]string{"id": testTeamsChannel + ";messageid=" + id, "activityId": id})
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeBotFramework) Paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

func teamsVars(db, fake string) map[string]string {
	return map[string]string{"DATABASE_URL": db, "SOWHAT_ENV_FILE": "", "MICROSOFT_APP_ID": testTeamsApp, "MICROSOFT_APP_PASSWORD": "secret-value-xyz",
		"MICROSOFT_APP_TENANT_ID": testTeamsTenant, "TEAMS_TOKEN_URL": fake + "/{tenant}/oauth2/v2.0/token",
		"TEAMS_OPENID_METADATA_URL": fake + "/v1/.well-known/openidconfiguration"}
}

func TestTeamsSettings(t *testing.T) {
	base := teamsVars("x.db", "https://login.example.com")
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	cases := []struct {
		name string
		vars map[string]string
		want string // in LoadConfig's error, or CheckServe's
	}{
		{"fine", base, ""},
		{"multi-tenant needs no tenant", with("MICROSOFT_APP_TENANT_ID", "") /* set below */, ""},
		{"app id not a guid", with("MICROSOFT_APP_ID", "sowhat-bot"), "MICROSOFT_APP_ID=\"sowhat-bot\""},
		{"no password", with("MICROSOFT_APP_PASSWORD", ""), "MICROSOFT_APP_PASSWORD is not set"},
		{"no app id", with("MICROSOFT_APP_ID", ""), "MICROSOFT_APP_ID is not set"},
		{"single tenant without tenant", with("MICROSOFT_APP_TENANT_ID", ""), "MICROSOFT_APP_TENANT_ID is not set"},
		{"tenant not a guid", with("MICROSOFT_APP_TENANT_ID", "contoso.onmicrosoft.com"), "MICROSOFT_APP_TENANT_ID=\"contoso.onmicrosoft.com\""},
		{"bad app type", with("MICROSOFT_APP_TYPE", "UserAssignedMSI"), "MICROSOFT_APP_TYPE=\"UserAssignedMSI\""},
		{"bad token url", with("TEAMS_TOKEN_URL", "login.microsoftonline.com"), "TEAMS_TOKEN_URL"},
		{"bad allowlist", with("TEAMS_ALLOWED_CHANNELS", "general"), "TEAMS_ALLOWED_CHANNELS"},
		{"teams ids in the policy", with("SENSITIVE_CHANNELS", testTeamsChannel+",C0FIN"), ""},
	}
	cases[1].vars["MICROSOFT_APP_TYPE"] = "MultiTenant"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadConfig(envOf(c.vars))
			if err == nil {
				err = checkServeChats(cfg)
			}
			switch {
			case c.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("error %v, want one saying %q", err, c.want)
			case err != nil && strings.Contains(err.Error(), "secret-value-xyz"):
				t.Errorf("the password is in the error: %v", err)
			}
		})
	}
}

func TestServeNeedsSlackOrTeams(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "s.db")
	cfg, err := LoadConfig(envOf(map[string]string{"DATABASE_URL": dbPath, "SOWHAT_ENV_FILE": ""}))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = cmdServe(context.Background(), e, []string{"--addr", freeAddr(t)})
	if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN is not set") || !strings.Contains(err.Error(), "MICROSOFT_APP_ID") {
		t.Errorf("error %v, want one naming both platforms' settings", err)
	}
	if _, err := os.Stat(dbPath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the database was opened before the settings were checked (%v)", err)
	}
}

// startServeAt is startServe on a known address.
func startServeAt(t *testing.T, vars map[string]string, now time.Time) (*serving, string) {
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
	return s, "http://" + addr
}

// TestServeTeamsOnly: with only the Teams settings, serve serves Teams,
// /healthz and /readyz, and asks for no Slack token; an unsigned activity
// is refused.
func TestServeTeamsOnly(t *testing.T) {
	bf := &fakeBotFramework{}
	fake := httptest.NewServer(bf)
	defer fake.Close()
	s, base := startServeAt(t, teamsVars(demoDatabase(t, digestAsOf), fake.URL), time.Now())
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "ok chat") {
		t.Errorf("/readyz %d:\n%s", res.StatusCode, body)
	}
	res, err = http.Post(base+"/api/messages", "application/json", strings.NewReader(`{"type":"message","text":"spend?","channelId":"msteams"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned activity: %d, want 401", res.StatusCode)
	}
	s.stop()
	if l := s.log.String(); !strings.Contains(l, "chat=teams") || strings.Contains(l, "secret-value-xyz") || strings.Contains(l, "bf-token") {
		t.Errorf("log:\n%s", l)
	}
}

// TestServePostsTeamsDigestOnce runs two `sowhat serve` on one database
// with the clock at a digest's scheduled time: the digest starts one
// thread in the Teams channel, its charts in that thread.
func TestServePostsTeamsDigestOnce(t *testing.T) {
	bf := &fakeBotFramework{}
	fake := httptest.NewServer(bf)
	defer fake.Close()
	db := demoDatabase(t, digestAsOf)
	// The channel's reference, as the app's installation left it.
	state, err := data.OpenState(context.Background(), data.StatePath(db))
	if err != nil {
		t.Fatal(err)
	}
	if err := state.SaveTeamsRef(context.Background(), data.TeamsRef{Channel: testTeamsChannel, Conversation: testTeamsChannel, ServiceURL: fake.URL + "/amer/",
		Tenant: testTeamsTenant, Team: "19:7ea0@thread.tacv2", Kind: "channel"}); err != nil {
		t.Fatal(err)
	}
	state.Close()
	config := writeFile(t, "reports.yaml", `
digests:
  - name: cfo-weekly
    audience: cfo
    channels: [teams:`+testTeamsChannel+`]
    schedule: "0 8 * * MON"
    period: last_week
`)
	vars := teamsVars(db, fake.URL)
	vars["SOWHAT_AS_OF"], vars[reports.EnvConfig], vars["SENSITIVE_CHANNELS"] = "2026-05-04", config, testTeamsChannel
	due := time.Date(2026, 5, 4, 8, 0, 30, 0, time.UTC)
	a, _ := startServeAt(t, vars, due)
	b, _ := startServeAt(t, vars, due)
	servers := []*serving{a, b}
	for i, s := range servers {
		waitFor(t, fmt.Sprintf("server %d to post the digest or leave it to the other", i+1), func() bool {
			l := s.log.String()
			return strings.Contains(l, "digest posted") || strings.Contains(l, "digest run claimed by another process")
		})
	}
	for _, s := range servers {
		s.stop()
	}
	paths := bf.Paths()
	threads := 0
	for _, p := range paths {
		if p == "v3/conversations" {
			threads++
		}
	}
	if threads != 1 {
		t.Fatalf("%d threads started by two servers, want 1: %v", threads, paths)
	}
	bf.mu.Lock()
	first := bf.posts[0]
	bf.mu.Unlock()
	raw, _ := json.Marshal(first)
	if paths[0] != "v3/conversations" || !strings.Contains(string(raw), "CFO digest") || !strings.Contains(string(raw), testTeamsChannel) {
		t.Errorf("first post to %s: %.400s", paths[0], raw)
	}
	if len(paths) < 2 || !strings.Contains(paths[1], "messageid=1800000000001") {
		t.Errorf("no chart in the digest's thread: %v", paths)
	}
	for i, s := range servers {
		if strings.Contains(s.log.String(), "level=ERROR") {
			t.Errorf("server %d logged an error:\n%s", i+1, s.log.String())
		}
	}
}

// TestDigestSendToTeams: sowhat digest --send posts to a Teams channel
// with only the Teams settings, through the reference serve stored.
func TestDigestSendToTeams(t *testing.T) {
	bf := &fakeBotFramework{}
	fake := httptest.NewServer(bf)
	defer fake.Close()
	cfgFile := writeFile(t, "reports.yaml", "digests:\n  - {name: cmo-weekly, audience: cmo, channels: [teams:"+testTeamsChannel+"], schedule: \"0 9 * * MON\", period: last_week}\n")
	vars := teamsVars("", fake.URL)
	delete(vars, "DATABASE_URL")
	vars[reports.EnvConfig] = cfgFile
	e, out := digestEnv(t, vars)
	state, err := data.OpenState(context.Background(), data.StatePath(e.cfg.DatabaseURL))
	if err != nil {
		t.Fatal(err)
	}
	if err := state.SaveTeamsRef(context.Background(), data.TeamsRef{Channel: testTeamsChannel, Conversation: testTeamsChannel, ServiceURL: fake.URL + "/amer/",
		Tenant: testTeamsTenant, Kind: "channel"}); err != nil {
		t.Fatal(err)
	}
	state.Close()
	if err := cmdDigest(context.Background(), e, []string{"--send", "cmo-weekly"}); err != nil {
		t.Fatal(err)
	}
	if paths := bf.Paths(); len(paths) == 0 || paths[0] != "v3/conversations" || !strings.Contains(out.String(), "Posted cmo-weekly") {
		t.Errorf("posts %v; said %q", paths, out.String())
	}
}
