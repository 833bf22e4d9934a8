package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
)

// sowhatSafely is sowhat, failing the test rather than the binary when a
// command panics.
func sowhatSafely(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%v panicked: %v", args, p)
		}
	}()
	return sowhat(t, env, args...)
}

// emptyDatabase is a database sowhat made, with nothing imported.
func emptyDatabase(t *testing.T, path string) string {
	t.Helper()
	st, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// plantedDatabase is a database with one Meta campaign's November in it:
// $1,000 a day.
func plantedDatabase(t *testing.T) string {
	t.Helper()
	return datatest.New(t).Ads(datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-01", To: "2026-11-30",
		Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000}).Import().Path()
}

// readOnly makes the file at path read-only for everyone.
func readOnly(t *testing.T, path string) string {
	t.Helper()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEveryCommandOnAnUnusableDatabase runs every subcommand on an empty
// database, one not made yet, a read-only one and one in a folder that
// does not exist: each says what is wrong and what to do in a sentence,
// exits 1 (0 where it has nothing to refuse), never panics, and writes
// nowhere it was not asked to.
func TestEveryCommandOnAnUnusableDatabase(t *testing.T) {
	var slackCalls atomic.Int64
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { slackCalls.Add(1) }))
	defer slackAPI.Close()
	budgets := writeFile(t, "budgets.csv", "Month,Platform,Budget\n2026-11,meta,90000\n")

	const (
		noData   = "no data imported yet — run `sowhat ingest"
		noFolder = "There is no folder"
		readonly = "is read-only"
	)
	type want struct {
		code int
		say  string // in stderr for an error, in stdout otherwise
	}
	// The databases, and what each command says on it.
	dbs := []struct {
		name string
		path func(t *testing.T, dir string) string
		// after checks what the commands left behind.
		after                                  func(t *testing.T, path string)
		ask, query, digest, serve, ingest, dem want
	}{
		{name: "empty", path: func(t *testing.T, dir string) string { return emptyDatabase(t, filepath.Join(dir, "empty.db")) },
			ask: want{1, noData}, query: want{1, noData}, digest: want{1, noData}, serve: want{1, noData},
			ingest: want{0, "into "}, dem: want{0, "Built the demo database"}},
		{name: "new", path: func(t *testing.T, dir string) string { return filepath.Join(dir, "new.db") },
			ask: want{1, noData}, query: want{1, noData}, digest: want{1, noData}, serve: want{1, noData},
			ingest: want{0, "into "}, dem: want{0, "Built the demo database"}},
		{name: "read-only", path: func(t *testing.T, dir string) string {
			return readOnly(t, emptyDatabase(t, filepath.Join(dir, "ro.db")))
		},
			ask: want{1, noData}, query: want{1, noData}, digest: want{1, noData}, serve: want{1, noData},
			ingest: want{1, readonly}, dem: want{1, readonly},
			after: func(t *testing.T, path string) {
				if _, err := os.Stat(path + "-wal"); err == nil {
					t.Errorf("a write-ahead log was made beside the read-only %s", path)
				}
			}},
		{name: "missing folder", path: func(t *testing.T, dir string) string { return filepath.Join(dir, "nowhere", "x.db") },
			ask: want{1, noFolder}, query: want{1, noFolder}, digest: want{1, noFolder}, serve: want{1, noFolder},
			ingest: want{1, noFolder}, dem: want{1, noFolder},
			after: func(t *testing.T, path string) {
				if _, err := os.Stat(filepath.Dir(path)); err == nil {
					t.Errorf("the missing folder %s was made", filepath.Dir(path))
				}
			}},
	}
	for _, db := range dbs {
		t.Run(db.name, func(t *testing.T) {
			// Each command gets its own copy of the database, so that one
			// that rightly writes (ingest, demo) leaves the next its case.
			fresh := func(t *testing.T) string { return db.path(t, t.TempDir()) }
			env := map[string]string{"SOWHAT_ENV_FILE": "", "XDG_DATA_HOME": t.TempDir(), "SOWHAT_AS_OF": "2026-12-01",
				"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret, "SLACK_API_URL": slackAPI.URL + "/api/"}
			cmds := []struct {
				name string
				args func(path string) []string
				want want
			}{
				{"ask", func(p string) []string { return []string{"ask", "--db", p, "spend yesterday"} }, db.ask},
				{"ask json", func(p string) []string {
					return []string{"ask", "--db", p, "--json", "How did Meta ROAS change last week?"}
				}, db.ask},
				{"query", func(p string) []string {
					return []string{"query", "--db", p, "--metric", "spend", "--from", "2026-11-01", "--to", "2026-11-30"}
				}, db.query},
				{"digest", func(p string) []string { return []string{"digest", "--db", p, "--audience", "cfo"} }, db.digest},
				{"digest json", func(p string) []string { return []string{"digest", "--db", p, "--audience", "cmo", "--format", "json"} }, db.digest},
				{"serve", func(p string) []string { return []string{"serve", "--db", p, "--addr", "127.0.0.1:0"} }, db.serve},
				{"ingest", func(p string) []string { return []string{"ingest", "--db", p, budgets} }, db.ingest},
				{"demo", func(p string) []string { return []string{"demo", "--db", p, "--as-of", "2026-03-01"} }, db.dem},
				{"metrics", func(p string) []string { return []string{"metrics"} }, want{0, "roas"}},
			}
			for _, c := range cmds {
				t.Run(c.name, func(t *testing.T) {
					path := fresh(t)
					out, stderr, code := sowhatSafely(t, env, c.args(path)...)
					said := out
					if c.want.code != 0 {
						said = stderr
					}
					if code != c.want.code || !strings.Contains(said, c.want.say) {
						t.Errorf("%s on the %s database: code %d, want %d saying %q\nstdout: %s\nstderr: %s", c.name, db.name, code, c.want.code, c.want.say, out, stderr)
					}
					if strings.Contains(stderr, "level=ERROR") || strings.Contains(stderr, `"level":"ERROR"`) || strings.Contains(stderr, "something went wrong") {
						t.Errorf("%s on the %s database apologised instead of saying what is wrong:\n%s", c.name, db.name, stderr)
					}
					if c.want.code != 0 && c.name != "metrics" && db.name == "new" {
						if _, err := os.Stat(path); err == nil {
							t.Errorf("%s made the database %s it was only to read", c.name, path)
						}
					}
					if c.want.code != 0 && c.want.say != "" && strings.Contains(c.want.say, "no data") && !strings.Contains(stderr, path) {
						t.Errorf("%s does not name the database %s: %s", c.name, path, stderr)
					}
					if db.after != nil {
						db.after(t, path)
					}
				})
			}
		})
	}
	if n := slackCalls.Load(); n != 0 {
		t.Errorf("serve called Slack %d times before finding its database unusable", n)
	}
}

// TestReadOnlyDatabaseStillAnswers: a read-only database with data in it
// answers questions; only writing to it is refused.
func TestReadOnlyDatabaseStillAnswers(t *testing.T) {
	path := readOnly(t, plantedDatabase(t))
	env := map[string]string{"SOWHAT_ENV_FILE": "", "SOWHAT_AS_OF": "2026-12-01", "DATABASE_URL": path}
	out, stderr, code := sowhatSafely(t, env, "ask", "what did we spend last month")
	if code != 0 || !strings.Contains(out, "$30,000") {
		t.Errorf("ask on a read-only database: code %d\n%s\n%s", code, out, stderr)
	}
	out, stderr, code = sowhatSafely(t, env, "query", "--metric", "spend", "--from", "2026-11-01", "--to", "2026-11-30")
	if code != 0 || !strings.Contains(out, "30,000") {
		t.Errorf("query on a read-only database: code %d\n%s\n%s", code, out, stderr)
	}
	csv := writeFile(t, "budgets.csv", "Month,Platform,Budget\n2026-11,meta,90000\n")
	_, stderr, code = sowhatSafely(t, env, "ingest", csv)
	if code != 1 || !strings.Contains(stderr, path+" is read-only") {
		t.Errorf("ingest into a read-only database: code %d, %s", code, stderr)
	}
}

// TestIngestNeedsANamedDatabase: with neither --db nor DATABASE_URL an
// import is refused, saying how to name a database, and the demo database
// is not touched; an import names the database it wrote to.
func TestIngestNeedsANamedDatabase(t *testing.T) {
	home := t.TempDir()
	demoPath := filepath.Join(home, "sowhat", "demo.db")
	csv := writeFile(t, "budgets.csv", "Month,Platform,Budget\n2026-11,meta,90000\n")
	env := map[string]string{"SOWHAT_ENV_FILE": "", "XDG_DATA_HOME": home, "SOWHAT_AS_OF": "2026-12-01"}
	out, stderr, code := sowhatSafely(t, env, "ingest", csv)
	if code != 2 || !strings.Contains(stderr, "--db PATH") || !strings.Contains(stderr, "DATABASE_URL") || out != "" {
		t.Errorf("ingest with no database named: code %d, stdout %q, stderr %q; want 2 and how to name one", code, out, stderr)
	}
	if _, err := os.Stat(demoPath); err == nil {
		t.Errorf("ingest wrote the demo database %s", demoPath)
	}
	// Nor do the other commands that read build the demo behind the user's back.
	for _, args := range [][]string{
		{"query", "--metric", "spend", "--from", "2026-11-01", "--to", "2026-11-30"},
		{"digest", "--audience", "cfo"},
	} {
		_, stderr, code := sowhatSafely(t, env, args...)
		if code != 1 || !strings.Contains(stderr, "sowhat demo") {
			t.Errorf("%v with no database: code %d, %s", args, code, stderr)
		}
		if _, err := os.Stat(demoPath); err == nil {
			t.Fatalf("%v wrote the demo database", args)
		}
	}

	for _, named := range []struct {
		how  string
		env  map[string]string
		args []string
	}{
		{"--db", env, []string{"ingest", "--db", filepath.Join(t.TempDir(), "mine.db"), csv}},
		{"DATABASE_URL", map[string]string{"SOWHAT_ENV_FILE": "", "XDG_DATA_HOME": home, "DATABASE_URL": filepath.Join(t.TempDir(), "mine.db")}, []string{"ingest", csv}},
	} {
		path := named.env["DATABASE_URL"]
		if path == "" {
			path = named.args[2]
		}
		out, stderr, code := sowhatSafely(t, named.env, named.args...)
		if code != 0 || !strings.Contains(out, fmt.Sprintf("imported %s into %s", csv, path)) {
			t.Errorf("ingest with %s: code %d, stdout %q, stderr %q; want the database named", named.how, code, out, stderr)
		}
	}
	if _, err := os.Stat(demoPath); err == nil {
		t.Errorf("an import into a named database wrote the demo database")
	}
	// A refused file says which database it did not write to.
	bad := writeFile(t, "bad.csv", "Month,Platform,Budget\n2026-11,meta,lots\n")
	path := filepath.Join(t.TempDir(), "mine.db")
	_, stderr, code = sowhatSafely(t, env, "ingest", "--db", path, bad)
	if code != 1 || !strings.Contains(stderr, "nothing from them was written to "+path) {
		t.Errorf("refused ingest: code %d, %s", code, stderr)
	}
}
