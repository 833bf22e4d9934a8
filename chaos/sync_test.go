package chaos

import (
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data/pgtest"
)

// warehouseSchema is a dbt_ad_reporting campaign report read through a
// view whose one day waits in pg_sleep while slow() says so: a sync can be
// killed in the middle of its read, after its first pages are written.
const warehouseSchema = `CREATE SCHEMA ad_reporting;
CREATE TABLE ad_reporting.raw (date_day DATE, platform TEXT, account_id TEXT, account_name TEXT, campaign_id TEXT, campaign_name TEXT,
    clicks BIGINT, impressions BIGINT, spend NUMERIC(28, 6), conversions NUMERIC(28, 6), conversions_value NUMERIC(28, 6));
INSERT INTO ad_reporting.raw
SELECT DATE '2026-09-01' + (i / 30), (ARRAY['facebook_ads', 'google_ads', 'linkedin_ads'])[1 + i % 3], 'a', 'Account', 'c' || (i % 10), 'Campaign ' || (i % 10),
    10 + i % 50, 1000 + i % 700, 12.5 + i % 40, i % 7, 30 + i % 90
FROM generate_series(0, 30 * 60 - 1) AS i;
CREATE FUNCTION ad_reporting.slow(d date) RETURNS boolean LANGUAGE sql VOLATILE AS
    $$ SELECT CASE WHEN d = DATE '2026-10-20' THEN pg_sleep(120) IS NOT NULL ELSE true END $$;
CREATE VIEW ad_reporting.ad_reporting__campaign_report AS SELECT * FROM ad_reporting.raw WHERE ad_reporting.slow(date_day);`

// TestSyncKilledMidwayLeavesNothing: sowhat sync, killed while reading the
// warehouse with pages already in its import, leaves the store without a
// row of it; the next run imports everything.
func TestSyncKilledMidwayLeavesNothing(t *testing.T) {
	wh := pgtest.URL(t)
	wdb, err := sql.Open("pgx", wh)
	if err != nil {
		t.Fatal(err)
	}
	defer wdb.Close()
	if _, err := wdb.Exec(warehouseSchema); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sources.yaml")
	if err := os.WriteFile(cfg, []byte(`sources:
  - name: warehouse
    kind: dbt_ad_reporting
    url_env: WAREHOUSE_URL
    table: ad_reporting.ad_reporting__campaign_report
    schedule: "0 * * * *"
    timezone: UTC
    page_size: 200
`), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "sowhat.db")
	env := map[string]string{"SOURCES_CONFIG": cfg, "WAREHOUSE_URL": wh}
	p := start(t, "sync", env, "sync", "--once", "--db", db)
	waitUntil(t, "the sync to reach the slow day", 30*time.Second, func() bool {
		var n int
		err := wdb.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'`).Scan(&n)
		return err == nil && n > 0
	})
	p.kill()
	if !p.killed() {
		t.Fatalf("sync ended by itself (%v):\n%s", p.err, p.out.String())
	}
	store, err := sql.Open("sqlite3", "file:"+db+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var imports, facts int
	if err := store.QueryRow(`SELECT (SELECT count(*) FROM imports), (SELECT count(*) FROM ad_facts)`).Scan(&imports, &facts); err != nil {
		t.Fatal(err)
	}
	if imports != 0 || facts != 0 {
		t.Fatalf("a killed sync left %d imports and %d ad rows", imports, facts)
	}
	if _, err := wdb.Exec(`CREATE OR REPLACE FUNCTION ad_reporting.slow(d date) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$`); err != nil {
		t.Fatal(err)
	}
	again := start(t, "sync again", env, "sync", "--once", "--db", db)
	if err := again.wait(60 * time.Second); err != nil {
		t.Fatalf("second sync: %v\n%s", err, again.out.String())
	}
	var want, got float64
	var wantRows, gotRows int
	if err := wdb.QueryRow(`SELECT SUM(spend), COUNT(*) FROM ad_reporting.raw`).Scan(&want, &wantRows); err != nil {
		t.Fatal(err)
	}
	if err := store.QueryRow(`SELECT SUM(spend), COUNT(*) FROM ad_facts`).Scan(&got, &gotRows); err != nil {
		t.Fatal(err)
	}
	// Ten campaigns a platform a day: each warehouse row is one fact.
	if math.Abs(got-want) > 1e-6 || gotRows != wantRows {
		t.Errorf("store holds %d rows, spend %.2f; the warehouse %d rows, spend %.2f", gotRows, got, wantRows, want)
	}
}
