package folder

import (
	"context"
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
	pgtest.EachDialect(t, func(t *testing.T, dsn string) {
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
	pgtest.EachDialect(t, func(t *testing.T, dsn string) {
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
	pgtest.EachDialect(t, func(t *testing.T, dsn string) {
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

		// The pass after; a copy of the same bad file under its name and
		// under another one (moved aside, not reported again); another bad
		// content under the same name (reported, beside the first).
		if rep := f.run(t); len(rep.Refused)+len(rep.Imported)+rep.Skipped != 0 {
			t.Errorf("Run after the refusal: %+v; want nothing to do", rep)
		}
		f.drop(t, "meta_daily.csv", badAds, f.old())
		f.drop(t, "copy of meta_daily.csv", badAds, f.old())
		if rep, err := f.watcher(f.st).Run(t.Context()); err != nil || len(rep.Refused) != 0 {
			t.Errorf("copies of the bad file: reported again %v (%v)", paths(rep.Refused), err)
		}
		worse := strings.Replace(badAds, "lots", "heaps", 1)
		f.drop(t, "meta_daily.csv", worse, f.old())
		if rep := f.run(t); len(rep.Refused) != 1 || rep.Refused[0].Hash != sha(worse) {
			t.Errorf("another bad content under the same name: refused %+v; want it reported", rep.Refused)
		}
		for name, content := range map[string]string{
			"meta_daily.csv":                         badAds,
			"copy of meta_daily.csv":                 badAds,
			"meta_daily." + sha(worse)[:12] + ".csv": worse,
		} {
			b, err := os.ReadFile(filepath.Join(f.dir, RefusedDir, name))
			if err != nil || string(b) != content {
				t.Errorf("refused/%s does not hold its refused content: %v", name, err)
			}
			if _, err := os.Stat(filepath.Join(f.dir, RefusedDir, name+".error.txt")); err != nil {
				t.Errorf("refused/%s has no error beside it: %v", name, err)
			}
		}
		if left, _ := os.ReadDir(f.dir); len(left) != 1 {
			t.Errorf("the folder holds %v; want the refused folder alone", left)
		}
		if left, _ := os.ReadDir(filepath.Join(f.dir, RefusedDir)); len(left) != 6 {
			t.Errorf("the refused folder holds %v; want three files and their errors", left)
		}
		if h := holds(t, f.st); h != (held{}) {
			t.Errorf("store holds %+v after the copies; want nothing", h)
		}
	})
}

func TestFileStillBeingWritten(t *testing.T) {
	f := newFixture(t, filepath.Join(t.TempDir(), "sowhat.db"))
	start := f.clock.Now()
	path := f.drop(t, "tiktok.csv", ads(100), start)
	f.drop(t, ".hidden.csv", ads(1), f.old())
	f.drop(t, "google.csv.part", ads(2), f.old())
	f.drop(t, "pinterest.tmp", ads(3), f.old())
	f.drop(t, "criteo.csv.filepart", ads(4), f.old())

	steps := []struct {
		after    time.Duration // since start
		write    string        // the file's content by then, when it changed
		imported []string
		settling int
		next     time.Duration // when a Run can read it, since start
	}{
		{0, "", nil, 1, settle},
		{20 * time.Second, ads(100, 200), nil, 1, 20*time.Second + settle},
		{50 * time.Second, "", nil, 1, 20*time.Second + settle},
		{20*time.Second + settle, "", []string{"tiktok.csv"}, 0, 0},
	}
	for _, s := range steps {
		f.clock.t = start.Add(s.after)
		if s.write != "" {
			f.drop(t, "tiktok.csv", s.write, f.clock.Now())
		}
		rep := f.run(t)
		var next time.Duration
		if !rep.Next.IsZero() {
			next = rep.Next.Sub(start)
		}
		if got := paths(rep.Imported); strings.Join(got, ",") != strings.Join(s.imported, ",") || rep.Settling != s.settling || next != s.next {
			t.Errorf("Run at +%s: imported %v, %d settling, next at +%s; want %v, %d, +%s", s.after, got, rep.Settling, next, s.imported, s.settling, s.next)
		}
	}
	if h := holds(t, f.st); h != (held{1, 2, 300}) {
		t.Errorf("store holds %+v; want the complete file alone (2 days, spend 300)", h)
	}
	// A file renamed from its .part name when done is read.
	if err := os.Rename(filepath.Join(f.dir, "google.csv.part"), filepath.Join(f.dir, "google.csv")); err != nil {
		t.Fatal(err)
	}
	if rep := f.run(t); strings.Join(paths(rep.Imported), ",") != "google.csv" || rep.Skipped != 1 {
		t.Errorf("Run after the rename imported %v, skipped %d; want google.csv, and %s skipped", paths(rep.Imported), rep.Skipped, path)
	}
	if h := holds(t, f.st); h.imports != 2 {
		t.Errorf("%d imports; want 2: the dotfile and the other temporary names are never read", h.imports)
	}
}

func TestFileChangedWhileRead(t *testing.T) {
	f := newFixture(t, filepath.Join(t.TempDir(), "sowhat.db"))
	path := f.drop(t, "meta.csv", ads(100, 200), f.old())
	appended := false
	f.w.onRead = func(int) {
		if appended {
			return
		}
		appended = true
		fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer fh.Close()
		if _, err := fh.WriteString("2026-11-03,meta,Holiday Prospecting,300.00,1000,10,1,50\n"); err != nil {
			t.Error(err)
		}
		if err := os.Chtimes(path, f.clock.Now(), f.clock.Now()); err != nil {
			t.Error(err)
		}
	}
	rep := f.run(t)
	if len(rep.Imported)+len(rep.Refused) != 0 || rep.Settling != 1 {
		t.Errorf("Run over a file growing as it is read: %+v; want it left settling", rep)
	}
	if h := holds(t, f.st); h != (held{}) {
		t.Errorf("store holds %+v; want nothing of a file that changed while read", h)
	}
	f.w.onRead = nil
	f.clock.Advance(settle)
	if rep := f.run(t); len(rep.Imported) != 1 {
		t.Errorf("Run once settled: %+v; want it imported", rep)
	}
	if h := holds(t, f.st); h != (held{1, 3, 600}) {
		t.Errorf("store holds %+v; want the whole file (3 days, spend 600)", h)
	}
}

// bigAds is an ads file of n rows, 50 campaigns a day.
func bigAds(n int) string {
	var b strings.Builder
	b.WriteString("date,platform,campaign,spend,impressions,clicks,conversions,revenue\n")
	d0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s,google_ads,Campaign %02d,1.00,100,10,1,5\n", d0.AddDate(0, 0, i/50).Format("2006-01-02"), i%50)
	}
	return b.String()
}

func TestKilledMidImport(t *testing.T) {
	pgtest.EachDialect(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		const n = 20000
		content := bigAds(n)
		path := f.drop(t, "google.csv", content, f.old())
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		read := 0
		f.w.onRead = func(k int) {
			if read += k; read > len(content)/2 {
				cancel() // the process dies half-way through the file
			}
		}
		if _, err := f.w.Run(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Run cut off mid-import: %v; want context.Canceled", err)
		}
		if h := holds(t, f.st); h != (held{}) {
			t.Errorf("store holds %+v after an import cut off half-way; want nothing", h)
		}
		if ok, err := f.st.Imported(t.Context(), sha(content)); err != nil || ok {
			t.Errorf("the cut-off file's hash is recorded (%v, %v)", ok, err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("the cut-off file is no longer in the folder: %v", err)
		}
		if _, err := os.Stat(filepath.Join(f.dir, RefusedDir)); !os.IsNotExist(err) {
			t.Errorf("a file cut off mid-import was refused: %v", err)
		}

		// The restarted process imports it whole, the hash in the same
		// import as the rows; a process killed right after that commit
		// has nothing left to do.
		rep, err := f.watcher(f.st).Run(t.Context())
		if err != nil || len(rep.Imported) != 1 || rep.Imported[0].Rows != n {
			t.Fatalf("Run after the restart: %+v, %v; want %d rows imported", rep, err, n)
		}
		if h := holds(t, f.st); h != (held{1, n, n}) {
			t.Errorf("store holds %+v; want one import of %d rows", h, n)
		}
		var hash string
		var orphans int
		err = f.st.Transact(t.Context(), func(tx *sqlx.Tx) error {
			if err := tx.Get(&hash, `SELECT hash FROM imports`); err != nil {
				return err
			}
			return tx.Get(&orphans, `SELECT COUNT(*) FROM ad_facts WHERE import_id NOT IN (SELECT id FROM imports WHERE hash IS NOT NULL)`)
		})
		if err != nil || hash != sha(content) || orphans != 0 {
			t.Errorf("import recorded hash %q with %d rows of other imports (%v); want %s on every row's import", hash, orphans, err, sha(content))
		}
		if rep, err := f.watcher(f.st).Run(t.Context()); err != nil || len(rep.Imported) != 0 || rep.Skipped != 1 {
			t.Errorf("Run after a restart following the commit: %+v, %v; want the file skipped", rep, err)
		}
	})
}

func TestReplicasRace(t *testing.T) {
	pgtest.EachDialect(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		campaign := func(name, content string) string { return strings.ReplaceAll(content, "Holiday Prospecting", name) }
		good := map[string]string{"a.csv": campaign("A", ads(1, 2)), "b.csv": campaign("B", ads(10, 20, 30)), "c.csv": campaign("C", ads(100))}
		for name, c := range good {
			f.drop(t, name, c, f.old())
		}
		f.drop(t, "copy of a.csv", good["a.csv"], f.old())
		bad2 := strings.Replace(badAds, "lots", "heaps", 1)
		f.drop(t, "bad.csv", badAds, f.old())
		f.drop(t, "bad again.csv", badAds, f.old())
		f.drop(t, "worse.csv", bad2, f.old())

		replicas := []*Watcher{f.w, f.watcher(openStore(t, dsn))}
		reps := make([]Report, len(replicas))
		errs := make([]error, len(replicas))
		var start, wg sync.WaitGroup
		start.Add(1)
		for i, w := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start.Wait()
				reps[i], errs[i] = w.Run(t.Context())
			}()
		}
		start.Done()
		wg.Wait()
		imported, refused := map[string]int{}, map[string]int{}
		for i, rep := range reps {
			if errs[i] != nil {
				t.Errorf("replica %d: %v", i+1, errs[i])
			}
			for _, r := range rep.Imported {
				imported[r.Hash]++
			}
			for _, r := range rep.Refused {
				refused[r.Hash]++
			}
		}
		for name, c := range good {
			if imported[sha(c)] != 1 {
				t.Errorf("%s imported %d times by the replicas; want once", name, imported[sha(c)])
			}
		}
		if len(imported) != len(good) {
			t.Errorf("%d contents imported; want %d", len(imported), len(good))
		}
		if refused[sha(badAds)] != 1 || refused[sha(bad2)] != 1 || len(refused) != 2 {
			t.Errorf("refusals reported %v; want each bad content once", refused)
		}
		if h := holds(t, f.st); h != (held{3, 6, 163}) {
			t.Errorf("store holds %+v; want 3 imports, 6 days, spend 163", h)
		}
		for _, name := range []string{"bad.csv", "bad again.csv", "worse.csv"} {
			if _, err := os.Stat(filepath.Join(f.dir, name)); !os.IsNotExist(err) {
				t.Errorf("%s was not moved aside: %v", name, err)
			}
			if _, err := os.Stat(filepath.Join(f.dir, RefusedDir, name+".error.txt")); err != nil {
				t.Errorf("%s has no error beside it: %v", name, err)
			}
		}
		if left, _ := os.ReadDir(filepath.Join(f.dir, RefusedDir)); len(left) != 6 {
			t.Errorf("the refused folder holds %v; want the three refused files and their errors", left)
		}
	})
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	blocked := t.TempDir()
	if err := os.WriteFile(filepath.Join(blocked, RefusedDir), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	withRefused := t.TempDir()
	if err := os.Mkdir(filepath.Join(withRefused, RefusedDir), 0o755); err != nil {
		t.Fatal(err)
	}
	st := openStore(t, filepath.Join(t.TempDir(), "sowhat.db"))
	for _, tc := range []struct {
		name, dir string
		want      []string // what the problem says; none: no problem
	}{
		{"fine", dir, nil},
		{"fine with its refused folder", withRefused, nil},
		{"no folder given", "", []string{"names no folder"}},
		{"missing", filepath.Join(dir, "nope"), []string{filepath.Join(dir, "nope"), "does not exist", "create it"}},
		{"a file", file, []string{file, "is not a folder"}},
		{"refused is a file", blocked, []string{filepath.Join(blocked, RefusedDir), "is not a folder", "move that file away"}},
		{"a currency that is not one", dir, []string{`currency "dollars"`, "correct the setting"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Dir: tc.dir}
			if strings.Contains(tc.name, "currency") {
				opts.Ingest.Currency = "dollars"
			}
			err := New("drop", st, opts).Check(t.Context())
			if tc.want == nil {
				if err != nil {
					t.Errorf("Check: %v; want no problem", err)
				}
				return
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("Check: %v; want a *Problem", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check: %q does not say %q", err, w)
				}
			}
			if left, _ := os.ReadDir(tc.dir); tc.dir != "" && len(left) > 1 {
				t.Errorf("Check left files behind in %s: %v", tc.dir, left)
			}
		})
	}
}

func TestBadSettingRefusesNoFile(t *testing.T) {
	f := newFixture(t, filepath.Join(t.TempDir(), "sowhat.db"))
	path := f.drop(t, "meta.csv", ads(100), f.old())
	w := New("drop", f.st, Options{Dir: f.dir, Now: f.clock.Now, Ingest: ingest.Options{Platform: "myspace"}})
	rep, err := w.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), `platform "myspace"`) || len(rep.Refused) != 0 {
		t.Errorf("Run with an unknown platform set: %+v, %v; want an error naming the setting, no file refused", rep, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("a bad setting moved the file: %v", err)
	}
}
