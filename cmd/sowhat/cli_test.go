package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/sowhat-ai/sowhat/bot"
)

// sowhat runs the CLI in-process with the given environment.
func sowhat(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb, getenv)
	return out.String(), errb.String(), code
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"REPORTING_TZ": "Mars/Olympus"}, "REPORTING_TZ"},
		{map[string]string{"REPORTING_CURRENCY": "DOLLARS"}, "REPORTING_CURRENCY"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{map[string]string{"SOWHAT_AS_OF": "22/11/2026"}, "SOWHAT_AS_OF"},
		{map[string]string{"SOWHAT_ENV_FILE": "/nonexistent/.env"}, "SOWHAT_ENV_FILE"},
	}
	for _, tt := range tests {
		_, stderr, code := sowhat(t, tt.env, "metrics")
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("env %v: code %d, stderr %q; want 2 and %s named", tt.env, code, stderr, tt.want)
		}
	}
}

func TestDefaultDatabaseIsBuiltAndSaidSo(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": dir, "SOWHAT_AS_OF": "2026-11-22"}
	out, stderr, code := sowhat(t, env, "ask", "--json", "spend from 2026-11-01 to 2026-11-21")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	path := filepath.Join(dir, "sowhat", "demo.db")
	if !strings.Contains(stderr, path) {
		t.Errorf("stderr %q does not say where the demo database was made", stderr)
	}
	var a struct {
		Intent string
		Total  struct{ Values map[string]*float64 }
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want float64
	db.QueryRow(`SELECT SUM(spend) FROM ad_daily WHERE date BETWEEN '2026-11-01' AND '2026-11-21'`).Scan(&want)
	if a.Intent != "value" || a.Total.Values["spend"] == nil || math.Abs(*a.Total.Values["spend"]-want) > 1e-6 {
		t.Fatalf("query answer %+v, want spend %v", a, want)
	}
	// A second run, and any other command, uses the database as it is, silently.
	_, stderr, _ = sowhat(t, env, "query", "--metric", "spend", "--from", "2026-11-01", "--to", "2026-11-21")
	if strings.Contains(stderr, "demo database") {
		t.Errorf("second run rebuilt the demo: %s", stderr)
	}
}

func TestQueryUsageErrors(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "x.db")}
	for _, args := range [][]string{
		{"query", "--metric", "spend"},
		{"query", "--metric", "spend", "--from", "2026-13-01", "--to", "2026-11-01"},
		{"query", "--metric", "spend", "--from", "2026-11-02", "--to", "2026-11-01"},
		{"query", "--metric", "spend", "--from", "2026-11-01", "--to", "2026-11-02", "--platform", "myspace"},
		{"nonsense"},
	} {
		if _, _, code := sowhat(t, env, args...); code != 2 {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
	env["DATABASE_URL"] = plantedDatabase(t)
	if _, stderr, code := sowhat(t, env, "query", "--metric", "bogus", "--from", "2026-11-01", "--to", "2026-11-02"); code != 1 || !strings.Contains(stderr, "bogus") {
		t.Errorf("unknown metric: code %d, %s", code, stderr)
	}
}

// TestErrorsAreSaidPlainly: the command line words errors as chat does: a
// sentence for what it knows, else the apology and the cause in the log.
func TestErrorsAreSaidPlainly(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	planted := plantedDatabase(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string // in stderr
		not  []string
	}{
		{"bad query", map[string]string{"DATABASE_URL": planted},
			[]string{"query", "--metric", "brand_lift", "--from", "2026-11-01", "--to", "2026-11-02"},
			[]string{"sowhat query: Brand lift comes from brand-lift studies, not daily data: ask about brand lift instead.\n"}, []string{"bad query", "level=ERROR"}},
		{"no folder", map[string]string{"DATABASE_URL": filepath.Join(notDir, "x.db")},
			[]string{"ask", "spend last week"},
			[]string{"sowhat ask: There is no folder " + notDir}, []string{"level=ERROR", bot.Apology}},
		{"unknown error", map[string]string{"DATABASE_URL": notDB},
			[]string{"ask", "spend last week"},
			[]string{"level=ERROR", "command=ask", `error="open database`, "sowhat ask: " + bot.Apology}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["SOWHAT_ENV_FILE"] = ""
			tt.env["LOG_FORMAT"] = "text"
			_, stderr, code := sowhat(t, tt.env, tt.args...)
			if code != 1 {
				t.Errorf("code %d, want 1", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(stderr, n) {
					t.Errorf("stderr has %q:\n%s", n, stderr)
				}
			}
		})
	}
}
