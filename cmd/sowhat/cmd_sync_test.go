package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }

// syncWarehouse is a PostgreSQL database holding a dbt_ad_reporting
// campaign report of four weeks of Meta, Google and LinkedIn campaigns.
func syncWarehouse(t *testing.T) (string, *sql.DB) {
	t.Helper()
	u := pgtest.URL(t)
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE SCHEMA ad_reporting;
CREATE TABLE ad_reporting.ad_reporting__campaign_report (date_day DATE, platform TEXT, account_id TEXT, account_name TEXT, campaign_id TEXT, campaign_name TEXT,
    clicks BIGINT, impressions BIGINT, spend NUMERIC(28, 6), conversions NUMERIC(28, 6), conversions_value NUMERIC(28, 6));
CREATE INDEX ON ad_reporting.ad_reporting__campaign_report (date_day);
INSERT INTO ad_reporting.ad_reporting__campaign_report
SELECT DATE '2026-10-26' + (i / 6), (ARRAY['facebook_ads', 'google_ads', 'linkedin_ads'])[1 + i % 3], 'a1', 'Acme', 'c' || (i % 6), 'Campaign ' || (i % 6),
    100 + i, 10000 + i, 250 + i, 5 + i % 4, 900 + i
FROM generate_series(0, 28 * 6 - 1) AS i;`); err != nil {
		t.Fatal(err)
	}
	return u, db
}

const syncSources = `sources:
  - name: warehouse
    kind: dbt_ad_reporting          # or: sql (with a column mapping), folder
    url_env: WAREHOUSE_URL          # postgres://… read from the environment
    table: ad_reporting.ad_reporting__campaign_report
    schedule: "0 * * * *"
    timezone: UTC
`

func TestSyncOnceThenAsk(t *testing.T) {
	wh, _ := syncWarehouse(t)
	db := filepath.Join(t.TempDir(), "sowhat.db")
	env := map[string]string{"SOURCES_CONFIG": writeFile(t, "sources.yaml", syncSources), "WAREHOUSE_URL": wh, "SOWHAT_AS_OF": "2026-11-23"}
	out, errs, code := sowhat(t, env, "sync", "--once", "--db", db)
	if code != 0 {
		t.Fatalf("sync exit %d: %s", code, errs)
	}
	if want := "synced warehouse into " + db + ": 168 rows, 2026-10-26 to 2026-11-22"; !strings.Contains(out, want) {
		t.Errorf("sync said %q, want %q", out, want)
	}
	out, errs, code = sowhat(t, env, "ask", "--db", db, "spend by platform last week")
	if code != 0 {
		t.Fatalf("ask exit %d: %s", code, errs)
	}
	for _, want := range []string{"linkedin_ads", "Meta", "Google Ads", "synced from warehouse"} {
		if !strings.Contains(out, want) {
			t.Errorf("answer does not say %q:\n%s", want, out)
		}
	}
	// A source the file does not have is a usage error, naming the ones it has.
	if _, errs, code := sowhat(t, env, "sync", "--once", "--db", db, "--source", "lake"); code != 2 || !strings.Contains(errs, "[warehouse]") {
		t.Errorf("unknown source: exit %d, %q", code, errs)
	}
}

func TestSyncConfigErrorNamesTheLine(t *testing.T) {
	env := map[string]string{"SOURCES_CONFIG": writeFile(t, "sources.yaml", strings.Replace(syncSources, "url_env: WAREHOUSE_URL         ", "url: postgres://u:hunter2@wh/db", 1))}
	_, errs, code := sowhat(t, env, "sync", "--once", "--db", filepath.Join(t.TempDir(), "x.db"))
	if code != 2 || !strings.Contains(errs, "sources.yaml:4: source warehouse.url: holds a password") || strings.Contains(errs, "hunter2") {
		t.Errorf("exit %d, %q: want the line named, the password not shown", code, errs)
	}
}

// TestDoctorChecksSources: a good source is ok on each check; a wrong
// type, a user without rights and an unreachable warehouse are problems
// with their fix, and no line shows a password.
func TestDoctorChecksSources(t *testing.T) {
	wh, wdb := syncWarehouse(t)
	db := filepath.Join(t.TempDir(), "sowhat.db")
	base := map[string]string{"DATABASE_URL": db, "SOURCES_CONFIG": writeFile(t, "sources.yaml", syncSources)}
	if _, errs, code := sowhat(t, map[string]string{"SOURCES_CONFIG": base["SOURCES_CONFIG"], "WAREHOUSE_URL": wh}, "sync", "--once", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	with := func(u string) map[string]string {
		m := map[string]string{"WAREHOUSE_URL": u}
		for k, v := range base {
			m[k] = v
		}
		return m
	}
	out, _, _ := sowhat(t, with(wh), "doctor")
	for _, want := range []string{"ok      source warehouse connection: postgres reached", "ok      source warehouse permissions: may SELECT from ad_reporting.ad_reporting__campaign_report",
		"ok      source warehouse mapping: 9 columns present, with the right types"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor does not say %q:\n%s", want, out)
		}
	}

	// A user who may log in but not read.
	b := make([]byte, 4)
	rand.Read(b)
	role, pw := "nobody_"+hex.EncodeToString(b), "pw-"+hex.EncodeToString(b)+"-secret"
	if _, err := wdb.Exec(`CREATE ROLE ` + role + ` LOGIN PASSWORD '` + pw + `'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		wdb.Exec(`DROP OWNED BY ` + role)
		wdb.Exec(`DROP ROLE ` + role)
	})
	u, _ := url.Parse(wh)
	u.User = url.UserPassword(role, pw)
	if _, err := wdb.Exec(`GRANT USAGE ON SCHEMA ad_reporting TO ` + role); err != nil {
		t.Fatal(err)
	}
	out, _, code := sowhat(t, with(u.String()), "doctor")
	if code != 1 || !strings.Contains(out, "problem source warehouse permissions: ") || !strings.Contains(out, "GRANT SELECT ON ad_reporting.ad_reporting__campaign_report") {
		t.Errorf("doctor without rights (exit %d):\n%s", code, out)
	}

	u.Host = "127.0.0.1:1"
	out, _, _ = sowhat(t, with(u.String()), "doctor")
	if !strings.Contains(out, "problem source warehouse connection: ") || !strings.Contains(out, "fix: check the URL in WAREHOUSE_URL") {
		t.Errorf("doctor on an unreachable warehouse:\n%s", out)
	}
	if strings.Contains(out, pw) {
		t.Errorf("doctor shows the password:\n%s", out)
	}

	if _, err := wdb.Exec(`ALTER TABLE ad_reporting.ad_reporting__campaign_report ALTER COLUMN clicks TYPE TEXT; ALTER TABLE ad_reporting.ad_reporting__campaign_report DROP COLUMN conversions_value`); err != nil {
		t.Fatal(err)
	}
	out, _, _ = sowhat(t, with(wh), "doctor")
	if !strings.Contains(out, "problem source warehouse mapping: column clicks (clicks) is text: want a number (numeric, integer or float); column conversions_value (revenue) is missing") {
		t.Errorf("doctor on a changed table:\n%s", out)
	}
}

// TestSyncOnceFromAFolder syncs a drop folder holding a good export and a
// bad one: the good one is imported, the bad one moved aside with its
// error and said, and a second sync imports nothing again.
func TestSyncOnceFromAFolder(t *testing.T) {
	dir := t.TempDir()
	drops := filepath.Join(dir, "drops")
	if err := os.Mkdir(drops, 0o755); err != nil {
		t.Fatal(err)
	}
	header := "date,platform,campaign,spend,impressions,clicks,conversions,revenue\n"
	old := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC) // settled long ago
	for name, body := range map[string]string{
		"good.csv": header + "2026-11-18,meta,Spring,100,1000,10,2,300\n2026-11-19,meta,Spring,120,1200,12,3,360\n",
		"bad.csv":  header + "2026-11-18,meta,Spring,lots,1000,10,2,300\n",
	} {
		p := filepath.Join(drops, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	cfg := "sources:\n  - name: drops\n    kind: folder\n    path: " + drops + "\n    schedule: \"*/5 * * * *\"\n    timezone: UTC\n"
	db := filepath.Join(dir, "sowhat.db")
	env := map[string]string{"SOURCES_CONFIG": writeFile(t, "sources.yaml", cfg), "SOWHAT_AS_OF": "2026-11-23"}
	out, errs, code := sowhat(t, env, "sync", "--once", "--db", db)
	if code != 0 {
		t.Fatalf("sync exit %d: %s %s", code, out, errs)
	}
	if !strings.Contains(out+errs, "bad.csv") {
		t.Errorf("the refused file is not named:\n%s\n%s", out, errs)
	}
	if _, err := os.Stat(filepath.Join(drops, "refused", "bad.csv")); err != nil {
		t.Errorf("bad.csv not moved aside: %v", err)
	}
	out, errs, code = sowhat(t, env, "ask", "--db", db, "meta spend last week")
	if code != 0 || !strings.Contains(out, "$220") {
		t.Errorf("ask exit %d: want $220 of Meta spend:\n%s\n%s", code, out, errs)
	}
	if _, _, code := sowhat(t, env, "sync", "--once", "--db", db); code != 0 {
		t.Fatalf("second sync exit %d", code)
	}
	out, _, _ = sowhat(t, env, "ask", "--db", db, "meta spend last week")
	if !strings.Contains(out, "$220") {
		t.Errorf("a second sync changed the answer:\n%s", out)
	}
}
