package data

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

var update = flag.Bool("update", false, "rewrite golden files")

func day(s string) time.Time {
	d, err := time.Parse(period.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

func newStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sowhat.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

func ingestAds(t *testing.T, st *Store, rows ...AdRow) IngestStats {
	t.Helper()
	stats, err := st.Ingest(context.Background(), Source{File: "test.csv", Kind: KindAds}, func(w *Writer) error {
		for _, r := range rows {
			if err := w.Ad(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	return stats
}

func TestOpenMigratesOnceAndChecksVersion(t *testing.T) {
	forEachDialect(t, func(t *testing.T, path string) {
		ctx := context.Background()
		st := openDSN(t, path)
		v, err := st.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v; want >= 1", v, err)
		}
		st.Close()
		// Opening again applies nothing new and keeps the data.
		st2, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		v2, _ := st2.SchemaVersion(ctx)
		if v2 != v {
			t.Fatalf("version after reopen = %d, want %d", v2, v)
		}
		if _, err := st2.db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')`); err != nil {
			t.Fatal(err)
		}
		st2.Close()
		if _, err := Open(ctx, path); !errors.Is(err, ErrSchemaTooNew) {
			t.Fatalf("Open on a newer schema: err = %v, want ErrSchemaTooNew", err)
		}
	})
}

// TestOpenRefusesWhatItCannotOpen: an empty DSN and a PostgreSQL server
// that does not answer are refused with an error saying why, naming the
// URL without its password, and nothing is created.
func TestOpenRefusesWhatItCannotOpen(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"", "no database path or URL given"},
		{"postgres://sowhat:hunter2@127.0.0.1:1/sowhat?sslmode=disable", "open database postgres://sowhat:xxxxx@127.0.0.1:1/sowhat"},
		{"postgresql://sowhat@127.0.0.1:1/sowhat?password=hunter2&sslmode=disable", "open database postgresql://sowhat@127.0.0.1:1/sowhat?password=xxxxx"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			st, err := Open(context.Background(), tt.dsn)
			if err == nil {
				st.Close()
				t.Fatalf("Open(%q) opened a store", tt.dsn)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Open(%q) = %v, want an error saying %q, without the password", tt.dsn, err, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("Open(%q) created %v", tt.dsn, entries)
			}
		})
	}
}

func TestIngestUpsertsAcrossImportsAndSumsWithinOne(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		a := AdRow{Date: day("2026-11-02"), Platform: "meta", Campaign: "Prospecting", Spend: 100, Impressions: 1000, Clicks: 10, Conversions: 2, Revenue: 300}
		b := a
		b.Spend = 50 // another device segment of the same campaign-day, same file
		ingestAds(t, st, a, b)
		total := func() float64 {
			var v float64
			if err := st.db.Get(&v, `SELECT SUM(spend) FROM ad_daily`); err != nil {
				t.Fatal(err)
			}
			return v
		}
		if got := total(); got != 150 {
			t.Fatalf("within one import: spend = %v, want 150 (segments summed)", got)
		}
		ingestAds(t, st, a, b) // the same file again
		if got := total(); got != 150 {
			t.Fatalf("after re-import: spend = %v, want 150 (no double count)", got)
		}
		c := a
		c.Spend = 80 // a later export restating the day
		ingestAds(t, st, c)
		if got := total(); got != 80 {
			t.Fatalf("after restatement: spend = %v, want 80", got)
		}
	})
}

func TestIngestErrorWritesNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := openDSN(t, dsn)
		boom := errors.New("line 3: bad value")
		_, err := st.Ingest(ctx, Source{File: "bad.csv", Kind: KindAds}, func(w *Writer) error {
			for i := 0; i < 600; i++ { // more than one flush
				if err := w.Ad(AdRow{Date: day("2026-11-01").AddDate(0, 0, i%30), Platform: "meta", Campaign: "c" + string(rune('a'+i%26)), Spend: 1}); err != nil {
					return err
				}
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the callback's", err)
		}
		var n int
		st.db.Get(&n, `SELECT COUNT(*) FROM ad_daily`)
		var imports int
		st.db.Get(&imports, `SELECT COUNT(*) FROM imports`)
		if n != 0 || imports != 0 {
			t.Fatalf("after a refused file: %d rows, %d imports; want none", n, imports)
		}
	})
}

func TestOptionalMetricsStayNull(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		ingestAds(t, st,
			AdRow{Date: day("2026-11-02"), Platform: "google_ads", Campaign: "Brand", Spend: 10, StoreVisits: sql.NullFloat64{Float64: 4, Valid: true}},
			AdRow{Date: day("2026-11-02"), Platform: "criteo", Campaign: "Retargeting", Spend: 30},
		)
		var n int
		st.db.Get(&n, `SELECT COUNT(*) FROM ad_daily WHERE store_visits IS NULL`)
		if n != 1 {
			t.Fatalf("rows with NULL store_visits = %d, want 1", n)
		}
	})
}

func TestTransactRollsBackOnPanic(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		func() {
			defer func() { recover() }()
			st.Transact(context.Background(), func(tx *sqlx.Tx) error {
				tx.Exec(`INSERT INTO imports (file, kind, imported_at) VALUES ('x', 'ads', 'now')`)
				panic("boom")
			})
		}()
		var n int
		st.db.Get(&n, `SELECT COUNT(*) FROM imports`)
		if n != 0 {
			t.Fatalf("imports after panic = %d, want 0", n)
		}
	})
}

func TestMetricsDocIsGenerated(t *testing.T) {
	path := filepath.Join("..", "docs", "metrics.md")
	want := model.MetricsMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (run go test ./data -update)", path, err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of date with the registry: run go test ./data -update", path)
	}
}

// TestRollupMatchesFacts checks the daily platform sums against ad_facts after
// fresh, overlapping, restating and segmented imports.
func TestRollupMatchesFacts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		row := func(d string, p, c string, spend float64, sv bool) AdRow {
			r := AdRow{Date: day(d), Platform: p, Campaign: c, Spend: spend, Impressions: spend * 100, Clicks: spend, Conversions: 1, Revenue: spend * 3}
			if sv {
				r.StoreVisits = sql.NullFloat64{Float64: spend / 10, Valid: true}
				r.Engagements = sql.NullFloat64{Float64: 2, Valid: true}
			}
			return r
		}
		ingestAds(t, st, row("2026-11-01", "meta", "A", 10, true), row("2026-11-01", "meta", "B", 20, false), row("2026-11-02", "google_ads", "C", 5, false))
		ingestAds(t, st, row("2026-11-02", "meta", "A", 7, true), row("2026-11-02", "meta", "A", 3, false), row("2026-11-03", "meta", "A", 1, false))         // fresh days, a segmented row
		ingestAds(t, st, row("2026-11-01", "meta", "B", 50, true), row("2026-11-03", "google_ads", "C", 9, false))                                            // restates a day, adds another
		ingestAds(t, st, row("2026-10-31", "meta", "A", 4, false), row("2026-12-01", "meta", "B", 6, true))                                                   // the months either side
		ingestAds(t, st, row("2026-11-01", "meta", "A", 10, true), row("2026-11-01", "meta", "B", 20, false), row("2026-11-02", "google_ads", "C", 5, false)) // the first file again
		const want = `SELECT day, platform_id, SUM(spend), SUM(impressions), SUM(clicks), SUM(conversions), SUM(revenue), SUM(store_visits), SUM(engagements), SUM(video_views), SUM(new_customers)
		FROM ad_facts GROUP BY day, platform_id ORDER BY 1, 2`
		const got = `SELECT day, platform_id, spend, impressions, clicks, conversions, revenue, store_visits, engagements, video_views, ad_new_customers
		FROM ad_platform_daily ORDER BY 1, 2`
		read := func(q string) []string {
			rows, err := st.db.Queryx(q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				vals, err := rows.SliceScan()
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprint(vals...))
			}
			return out
		}
		w, g := read(want), read(got)
		if fmt.Sprint(w) != fmt.Sprint(g) {
			t.Fatalf("daily platform sums drifted from the facts:\nfacts:  %v\nrollup: %v", w, g)
		}
		if len(g) != 7 {
			t.Fatalf("rollup has %d platform-days, want 7", len(g))
		}
		const wantMonthly = `SELECT month, campaign_id, SUM(spend), SUM(impressions), SUM(clicks), SUM(conversions), SUM(revenue), SUM(store_visits), SUM(engagements), SUM(video_views), SUM(new_customers),
		SUM(CASE WHEN store_visits IS NOT NULL THEN spend END), SUM(CASE WHEN engagements IS NOT NULL THEN impressions END), SUM(CASE WHEN new_customers IS NOT NULL THEN spend END)
		FROM ad_facts GROUP BY month, campaign_id ORDER BY 1, 2`
		const gotMonthly = `SELECT month, campaign_id, spend, impressions, clicks, conversions, revenue, store_visits, engagements, video_views, ad_new_customers,
		store_visit_spend, engagement_impressions, new_customer_spend FROM ad_campaign_monthly ORDER BY 1, 2`
		if w, g := read(wantMonthly), read(gotMonthly); fmt.Sprint(w) != fmt.Sprint(g) || len(g) != 5 {
			t.Fatalf("monthly campaign sums drifted from the facts (want 5 campaign-months):\nfacts:  %v\nrollup: %v", w, g)
		}
	})
}

func TestWithOrdersPerCustomerYear(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, tt := range []struct {
		given, want float64
	}{{6, 6}, {0, model.DefaultOrdersPerCustomerYear}, {-1, model.DefaultOrdersPerCustomerYear}} {
		st, err := Open(ctx, filepath.Join(dir, "s.db"), WithOrdersPerCustomerYear(tt.given))
		if err != nil {
			t.Fatal(err)
		}
		if got := st.OrdersPerCustomerYear(); got != tt.want {
			t.Errorf("WithOrdersPerCustomerYear(%v): store assumes %v, want %v", tt.given, got, tt.want)
		}
		st.Close()
	}
}

// TestOpenWritesOnlyWhereAsked: Open makes no folder, MustExist makes no
// file, and a read-only file is read without anything written beside it.
func TestOpenWritesOnlyWhereAsked(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "nowhere", "x.db")
	if _, err := Open(ctx, missing); !errors.Is(err, ErrNoFolder) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open in a missing folder: %v, want ErrNoFolder naming the path", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); err == nil {
		t.Errorf("Open made the folder %s", filepath.Dir(missing))
	}
	fresh := filepath.Join(dir, "fresh.db")
	if _, err := Open(ctx, fresh, MustExist()); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("Open(MustExist) of a new path: %v, want ErrNoDatabase", err)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Errorf("Open(MustExist) made %s", fresh)
	}
	st, err := Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CheckHasData(ctx); !errors.Is(err, ErrEmpty) {
		t.Errorf("CheckHasData on a new database: %v, want ErrEmpty", err)
	}
	st.Close()
	if err := os.Chmod(fresh, 0o444); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(ctx, fresh, MustExist())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !ro.ReadOnly() || !errors.Is(ro.CheckWritable("ingest"), ErrReadOnly) {
		t.Errorf("a 0444 file: ReadOnly %v, CheckWritable %v", ro.ReadOnly(), ro.CheckWritable("ingest"))
	}
	if _, err := ro.Generation(ctx); err != nil {
		t.Errorf("reading a read-only database: %v", err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(fresh + side); err == nil {
			t.Errorf("%s%s was made beside a read-only database", fresh, side)
		}
	}
}
