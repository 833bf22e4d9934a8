package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/bot"
	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
)

// readyServer is serve's server, wired as cmdServe wires it, in HTTP mode,
// on a fresh database and a Slack that accepts (or refuses) the token.
func readyServer(t *testing.T, slackURL string) (*server, string) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	state, err := data.OpenState(ctx, data.StatePath(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { state.Close() })
	b := bot.New(intents.New(st), state, bot.WithLogger(log))
	a := slackbot.New(b, testBotToken, slackbot.WithAPIURL(slackURL), slackbot.WithSigningSecret(testSecret), slackbot.WithLogger(log))
	_ = a.Connect(ctx)
	b.Start()
	t.Cleanup(func() { _ = b.Shutdown(context.Background()) })
	return &server{log: log, st: st, state: state, bot: b, slack: a}, path
}

// TestReadyz: /readyz is 200 only when the database is read and written at
// this binary's schema and Slack is connected, and names each failing
// check; /healthz (liveness) stays 200 throughout.
func TestReadyz(t *testing.T) {
	accept := httptest.NewServer(&fakeSlackAPI{})
	defer accept.Close()
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
	}))
	defer refuse.Close()
	onFile := func(t *testing.T, path, stmt string) *sql.Tx {
		t.Helper()
		db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if stmt != "" {
			if _, err := db.Exec(stmt); err != nil {
				t.Fatal(err)
			}
			return nil
		}
		tx, err := db.Begin() // BEGIN IMMEDIATE: holds the write lock
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = tx.Rollback() })
		return tx
	}
	tests := []struct {
		name   string
		slack  string
		breaks func(t *testing.T, s *server, path string)
		code   int
		lines  []string
	}{
		{"all ok", accept.URL + "/api/", nil, 200, []string{"ok bot", "ok database", "ok state", "ok chat"}},
		{"database closed", accept.URL + "/api/", func(t *testing.T, s *server, _ string) { s.st.Close() }, 503,
			[]string{"ok bot", "problem database: cannot read: ", "ok state", "ok chat"}},
		{"an import is writing", accept.URL + "/api/", func(t *testing.T, _ *server, path string) { onFile(t, path, "") }, 200,
			[]string{"ok bot", "ok database", "ok state", "ok chat"}},
		{"state cannot be written", accept.URL + "/api/", func(t *testing.T, _ *server, path string) { onFile(t, data.StatePath(path), "") }, 503,
			[]string{"ok bot", "ok database", "problem state: cannot write: ", "ok chat"}},
		{"state closed", accept.URL + "/api/", func(t *testing.T, s *server, _ string) { s.state.Close() }, 503,
			[]string{"ok bot", "ok database", "problem state: cannot read: ", "ok chat"}},
		{"schema behind", accept.URL + "/api/", func(t *testing.T, _ *server, path string) {
			onFile(t, path, `DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`)
		}, 503, []string{"ok bot", "problem database: schema mismatch: database is at version", "ok state", "ok chat"}},
		{"schema ahead", accept.URL + "/api/", func(t *testing.T, _ *server, path string) {
			onFile(t, path, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')`)
		}, 503, []string{"ok bot", "problem database: schema mismatch: database is at version 9999, ahead", "ok state", "ok chat"}},
		{"chat refused auth.test", refuse.URL + "/api/", nil, 503,
			[]string{"ok bot", "ok database", "ok state", "problem chat: auth.test failed: invalid_auth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := readyServer(t, tt.slack)
			if tt.breaks != nil {
				tt.breaks(t, s, path)
			}
			srv := httptest.NewServer(s.handler())
			defer srv.Close()
			code, body := get(t, srv.URL+"/readyz")
			t.Logf("/readyz %d:\n%s", code, body)
			lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
			if code != tt.code || len(lines) != len(tt.lines) {
				t.Fatalf("/readyz = %d %q, want %d with %d lines", code, body, tt.code, len(tt.lines))
			}
			for i, want := range tt.lines {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("/readyz line %d = %q, want it to start %q", i+1, lines[i], want)
				}
			}
			if strings.Contains(body, testBotToken) || strings.Contains(body, testSecret) {
				t.Errorf("/readyz body %q carries a secret", body)
			}
			if code, body := get(t, srv.URL+"/healthz"); code != 200 {
				t.Errorf("/healthz = %d %q, want 200: liveness does not depend on readiness", code, body)
			}
		})
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
