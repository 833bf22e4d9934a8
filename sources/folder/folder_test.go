package folder

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/ingest"
	"github.com/sowhat-ai/sowhat/data/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }

// forEachDialect runs f on a fresh SQLite file and a fresh PostgreSQL
// database.
func forEachDialect(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "sowhat.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, pgtest.URL(t)) })
}

func openStore(t *testing.T, dsn string) *data.Store {
	t.Helper()
	st, err := data.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// clock is the fake clock settling is measured on.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const settle = time.Minute

// fixture is a drop folder, a store and a watcher of the folder on a fake
// clock.
type fixture struct {
	dir   string
	st    *data.Store
	clock *clock
	w     *Watcher
}

func newFixture(t *testing.T, dsn string) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), st: openStore(t, dsn), clock: &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}}
	f.w = f.watcher(f.st)
	return f
}

// watcher is another watcher of the fixture's folder: a restarted process,
// or another replica when st is a store of its own on the same database.
func (f *fixture) watcher(st *data.Store) *Watcher {
	return New("drop", st, Options{Dir: f.dir, Settle: settle, Now: f.clock.Now})
}

// drop writes a file into the folder, last modified at mtime.
func (f *fixture) drop(t *testing.T, name, content string, mtime time.Time) string {
	t.Helper()
	path := filepath.Join(f.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	return path
}

// old is a modification time long settled.
func (f *fixture) old() time.Time { return f.clock.Now().Add(-time.Hour) }

func (f *fixture) run(t *testing.T) Report {
	t.Helper()
	rep, err := f.w.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// held is what the store holds: imports recorded, ad fact rows, their spend.
type held struct {
	imports, facts int
	spend          float64
}

func holds(t *testing.T, st *data.Store) held {
	t.Helper()
	var h held
	err := st.Transact(t.Context(), func(tx *sqlx.Tx) error {
		if err := tx.Get(&h.imports, `SELECT COUNT(*) FROM imports`); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT COUNT(*), COALESCE(SUM(spend), 0) FROM ad_facts`).Scan(&h.facts, &h.spend)
	})
	if err != nil {
		t.Fatalf("read store: %v", err)
	}
	return h
}

// ads is a canonical ads file: one row a day from 2026-11-01, each day's
// spend as given.
func ads(spend ...float64) string {
	var b strings.Builder
	b.WriteString("date,platform,campaign,spend,impressions,clicks,conversions,revenue\n")
	for i, s := range spend {
		fmt.Fprintf(&b, "2026-11-%02d,meta,Holiday Prospecting,%.2f,1000,10,1,50\n", i+1, s)
	}
	return b.String()
}

func sum(xs ...float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// badAds is an ads file with an amount that is not one on line 3.
const badAds = "date,platform,campaign,spend,impressions,clicks,conversions,revenue\n" +
	"2026-11-01,meta,Holiday Prospecting,10.00,1000,10,1,50\n" +
	"2026-11-02,meta,Holiday Prospecting,lots,1000,10,1,50\n"

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func paths(rs []FileResult) []string {
	var out []string
	for _, r := range rs {
		out = append(out, filepath.Base(r.Path))
	}
	return out
}

func TestGoodFileImportedOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		content := ads(100, 200, 300)
		f.drop(t, "meta_daily.csv", content, f.old())
		rep := f.run(t)
		if len(rep.Imported) != 1 || len(rep.Refused) != 0 {
			t.Fatalf("first Run imported %v, refused %v; want meta_daily.csv imported", paths(rep.Imported), paths(rep.Refused))
		}
		got := rep.Imported[0]
		if got.Hash != sha(content) || got.Rows != 3 || got.Err != nil {
			t.Errorf("imported %+v; want hash %s, 3 rows", got, sha(content))
		}
		if h := holds(t, f.st); h != (held{1, 3, 600}) {
			t.Errorf("store holds %+v after the import; want 1 import of 3 rows, spend 600", h)
		}
		// The same file again, by this watcher and by a restarted one.
		for i, w := range []*Watcher{f.w, f.watcher(f.st)} {
			rep, err := w.Run(t.Context())
			if err != nil || len(rep.Imported) != 0 || rep.Skipped != 1 {
				t.Errorf("Run %d over the imported file: %+v, %v; want it skipped", i+2, rep, err)
			}
		}
		if h := holds(t, f.st); h != (held{1, 3, 600}) {
			t.Errorf("store holds %+v after Runs over the same file; want it imported once", h)
		}
		if _, err := os.Stat(filepath.Join(f.dir, "meta_daily.csv")); err != nil {
			t.Errorf("an imported file stays where it was: %v", err)
		}
	})
}

func TestSameContentOtherName(t *testing.T) {
	for _, tc := range []struct {
		name     string
		together bool // both files in the folder for the first Run
	}{
		{"later", false},
		{"in the same pass", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, filepath.Join(t.TempDir(), "sowhat.db"))
			content := ads(100, 200)
			f.drop(t, "a.csv", content, f.old())
			if tc.together {
				f.drop(t, "b.csv", content, f.old())
			} else {
				f.run(t)
				f.drop(t, "b.csv", content, f.old())
			}
			f.run(t)
			if h := holds(t, f.st); h != (held{1, 2, 300}) {
				t.Errorf("store holds %+v; want one import of the content", h)
			}
		})
	}
}

func TestChangedFileReimportedReplacing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		f.drop(t, "meta_daily.csv", ads(100, 200), f.old())
		f.run(t)
		// The next day's report overwrites it, restating Nov 2 and adding Nov 3.
		f.clock.Advance(24 * time.Hour)
		restated := ads(100, 250, 300)
		f.drop(t, "meta_daily.csv", restated, f.clock.Now())
		if rep := f.run(t); len(rep.Imported) != 0 || rep.Settling != 1 {
			t.Fatalf("Run right after the change: %+v; want it settling", rep)
		}
		f.clock.Advance(settle)
		rep := f.run(t)
		if len(rep.Imported) != 1 || rep.Imported[0].Hash != sha(restated) {
			t.Fatalf("Run once settled imported %+v; want the new content", rep.Imported)
		}
		if h := holds(t, f.st); h != (held{2, 3, 650}) {
			t.Errorf("store holds %+v; want the restated days replacing the old (spend 650 over 3 days)", h)
		}
	})
}

func TestBadFileRefusedOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		path := f.drop(t, "meta_daily.csv", badAds, f.old())
		rep := f.run(t)
		if len(rep.Refused) != 1 || len(rep.Imported) != 0 {
			t.Fatalf("Run refused %v, imported %v; want meta_daily.csv refused", paths(rep.Refused), paths(rep.Imported))
		}
		r := rep.Refused[0]
		var ierr *ingest.Error
		if !errors.As(r.Err, &ierr) || !errors.Is(r.Err, ingest.ErrBadValue) || ierr.Line != 3 || ierr.Column != "spend" || ierr.File != path {
			t.Errorf("refused with %v; want a bad value at %s line 3, column spend", r.Err, path)
		}
		moved := filepath.Join(f.dir, RefusedDir, "meta_daily.csv")
		if r.MovedTo != moved || r.Path != path || r.Hash != sha(badAds) {
			t.Errorf("refused %+v; want it moved to %s", r, moved)
		}
		if b, err := os.ReadFile(moved); err != nil || string(b) != badAds {
			t.Errorf("the refused file is not in %s as it was: %v", moved, err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("the refused file is still in the folder: %v", err)
		}
		why, err := os.ReadFile(moved + ".error.txt")
		if err != nil {
			t.Fatalf("no error beside the refused file: %v", err)
		}
		for _, want := range []string{path, "line 3", `column "spend"`, "nothing from it was written"} {
			if !strings.Contains(string(why), want) {
				t.Errorf("the error beside the refused file does not say %q:\n%s", want, why)
			}
		}
		if h := holds(t, f.st); h != (held{}) {
			t.Errorf("store holds %+v after the refusal; want nothing", h)
		}

		// The pass after, and a copy of the same bad file under the same
		// name and under another one: moved aside, not reported again.
		if rep := f.run(t); len(rep.Refused)+len(rep.Imported)+rep.Skipped != 0 {
			t.Errorf("Run after the refusal: %+v; want nothing to do", rep)
		}
		f.drop(t, "meta_daily.csv", badAds, f.old())
		f.drop(t, "copy of meta_daily.csv", badAds, f.old())
		if rep, err := f.watcher(f.st).Run(t.Context()); err != nil || len(rep.Refused) != 0 {
			t.Errorf("copies of the bad file: reported again %v (%v)", paths(rep.Refused), err)
		}
		for _, name := range []string{"meta_daily." + sha(badAds)[:12] + ".csv", "copy of meta_daily.csv"} {
			if _, err := os.Stat(filepath.Join(f.dir, RefusedDir, name+".error.txt")); err != nil {
				t.Errorf("copy not moved aside as %s with its error: %v", name, err)
			}
		}
		if left, _ := filepath.Glob(filepath.Join(f.dir, "*.csv")); len(left) != 0 {
			t.Errorf("copies left in the folder: %v", left)
		}
		if h := holds(t, f.st); h != (held{}) {
			t.Errorf("store holds %+v after the copies; want nothing", h)
		}
	})
}
