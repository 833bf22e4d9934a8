package sources_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/pgtest"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/sources"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }

// dbtTable is ad_reporting__campaign_report's shape, as the dbt package
// builds it in PostgreSQL, with the index on date_day a sync's window
// reads by.
const dbtTable = `CREATE SCHEMA ad_reporting;
CREATE TABLE ad_reporting.ad_reporting__campaign_report (
    source_relation   TEXT,
    date_day          DATE,
    platform          TEXT,
    account_id        TEXT,
    account_name      TEXT,
    campaign_id       TEXT,
    campaign_name     TEXT,
    clicks            BIGINT,
    impressions       BIGINT,
    spend             NUMERIC(28, 6),
    conversions       NUMERIC(28, 6),
    conversions_value NUMERIC(28, 6)
);
CREATE INDEX campaign_report_date_day ON ad_reporting.ad_reporting__campaign_report (date_day);`

// wrow is one generated warehouse row.
type wrow struct {
	day                           time.Time
	platform, account, campaign   string
	clicks, impressions           int64
	spend, conversions, convValue float64
}

// genRows makes deterministic rows: days × platforms × campaigns, with
// figures that differ by row.
func genRows(first time.Time, days int, platforms []string, campaigns int) []wrow {
	var out []wrow
	for d := 0; d < days; d++ {
		for pi, p := range platforms {
			for c := 0; c < campaigns; c++ {
				k := float64(d*31 + pi*7 + c*3 + 1)
				out = append(out, wrow{day: first.AddDate(0, 0, d), platform: p, account: "Acct " + p, campaign: fmt.Sprintf("%s campaign %d", p, c),
					clicks: int64(10 + int(k)%97), impressions: int64(1000 + int(k*13)%5000), spend: math.Round(k*1.37*100) / 100,
					conversions: float64(int(k) % 11), convValue: math.Round(k*4.1*100) / 100})
			}
		}
	}
	return out
}

// warehouse is a PostgreSQL database of the test's own holding the dbt
// table.
type warehouse struct {
	t   testing.TB
	url string
	db  *sql.DB
}

func newWarehouse(t testing.TB) *warehouse {
	t.Helper()
	u := pgtest.URL(t)
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(dbtTable); err != nil {
		t.Fatal(err)
	}
	return &warehouse{t: t, url: u, db: db}
}

func (w *warehouse) insert(rows []wrow) {
	w.t.Helper()
	tx, err := w.db.Begin()
	if err != nil {
		w.t.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO ad_reporting.ad_reporting__campaign_report (source_relation, date_day, platform, account_id, account_name, campaign_id, campaign_name, clicks, impressions, spend, conversions, conversions_value)
VALUES ('', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := st.Exec(r.day, r.platform, "id-"+r.account, r.account, "id-"+r.campaign, r.campaign, r.clicks, r.impressions, r.spend, r.conversions, r.convValue); err != nil {
			w.t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		w.t.Fatal(err)
	}
}

func (w *warehouse) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.Exec(q, args...); err != nil {
		w.t.Fatal(err)
	}
}

// config is a sources file naming the warehouse by WAREHOUSE_URL, as the
// issue's example has it.
func (w *warehouse) config(t testing.TB, extra string) sources.Source {
	t.Helper()
	yaml := `sources:
  - name: warehouse
    kind: dbt_ad_reporting          # or: sql (with a column mapping), folder
    url_env: WAREHOUSE_URL          # postgres://… read from the environment
    table: ad_reporting.ad_reporting__campaign_report
    schedule: "0 * * * *"
    timezone: UTC
` + extra
	cfg, err := sources.Parse("sources.yaml", []byte(yaml), func(k string) string {
		if k == "WAREHOUSE_URL" {
			return w.url
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Sources[0]
}

func sqliteStore(t testing.TB) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "sowhat.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func pgStore(t testing.TB) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// sums are the expected per-platform-day totals of rows, by the store's
// platform ids.
type sums struct{ spend, clicks, impressions, conversions, revenue float64 }

func expected(rows []wrow) map[string]sums {
	ids := map[string]string{"facebook_ads": "meta", "google_ads": "google_ads", "tiktok_ads": "tiktok", "microsoft_ads": "microsoft_ads",
		"pinterest_ads": "pinterest", "amazon_ads": "amazon_ads"}
	out := map[string]sums{}
	for _, r := range rows {
		id, ok := ids[r.platform]
		if !ok {
			id = r.platform
		}
		k := r.day.Format("2006-01-02") + "/" + id
		s := out[k]
		s.spend += r.spend
		s.clicks += float64(r.clicks)
		s.impressions += float64(r.impressions)
		s.conversions += r.conversions
		s.revenue += r.convValue
		out[k] = s
	}
	return out
}

// stored are the store's per-platform-day totals.
func stored(t testing.TB, st *data.Store) map[string]sums {
	t.Helper()
	days, err := st.PlatformDays(context.Background(), period.Period{Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sums{}
	for _, d := range days {
		out[d.Day.Format("2006-01-02")+"/"+d.Platform] = sums{d.Spend, d.Clicks, d.Impressions, d.Conversions, d.Revenue}
	}
	return out
}

func sameSums(t *testing.T, got, want map[string]sums) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("store has %d platform-days, want %d", len(got), len(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: missing from the store", k)
			continue
		}
		for _, c := range [][3]any{{"spend", g.spend, w.spend}, {"clicks", g.clicks, w.clicks}, {"impressions", g.impressions, w.impressions},
			{"conversions", g.conversions, w.conversions}, {"revenue", g.revenue, w.revenue}} {
			if math.Abs(c[1].(float64)-c[2].(float64)) > 1e-6 {
				t.Errorf("%s %s = %v, want %v", k, c[0], c[1], c[2])
			}
		}
	}
}

var day0 = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

func TestFirstSyncImportsEverything(t *testing.T) {
	for _, target := range []string{"sqlite", "postgres"} {
		t.Run(target, func(t *testing.T) {
			ctx := context.Background()
			wh := newWarehouse(t)
			rows := genRows(day0, 40, []string{"facebook_ads", "google_ads", "tiktok_ads", "linkedin_ads"}, 6)
			wh.insert(rows)
			st := sqliteStore(t)
			if target == "postgres" {
				st = pgStore(t)
			}
			src := wh.config(t, "    page_size: 100\n")
			w, err := sources.NewWarehouse(src, st)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			rep, err := w.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rows != len(rows) {
				t.Errorf("imported %d rows, want %d", rep.Rows, len(rows))
			}
			if rep.Pages < 2 {
				t.Errorf("read in %d pages, want several at page_size 100", rep.Pages)
			}
			sameSums(t, stored(t, st), expected(rows))
		})
	}
}

func TestWrongColumnTypeRefusedNamingIt(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	wh.insert(genRows(day0, 3, []string{"google_ads"}, 2))
	wh.exec(`ALTER TABLE ad_reporting.ad_reporting__campaign_report ALTER COLUMN spend TYPE TEXT`)
	st := sqliteStore(t)
	w, err := sources.NewWarehouse(wh.config(t, ""), st)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = w.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "column spend") || !strings.Contains(err.Error(), "is text") {
		t.Fatalf("run = %v, want the spend column refused as text", err)
	}
	if got := stored(t, st); len(got) != 0 {
		t.Errorf("a refused run wrote %d platform-days", len(got))
	}
}

// NewWarehouseOrFail is sources.NewWarehouse for tests and benchmarks.
func NewWarehouseOrFail(t testing.TB, src sources.Source, st *data.Store) (*sources.Warehouse, error) {
	t.Helper()
	return sources.NewWarehouse(src, st)
}
