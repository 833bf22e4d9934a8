package data

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/sowhat-ai/sowhat/data/pgtest"
)

// TestIngestKeysAcrossBatches: rows of one import sharing a key far apart
// (in different batches, on both sides of a COPY), and a later import
// restating some keys and adding others, leave ad_facts holding each key's
// sum within its latest import, and the rollup equal to the facts. In
// PostgreSQL these rows take every path: straight into ad_facts, through
// the staging table, merged with what this import or an earlier one wrote.
func TestIngestKeysAcrossBatches(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		type key struct {
			day  string
			camp int
		}
		want := map[key]float64{}
		rows := func(n, days, camps int, from string, spend func(i int) float64) []AdRow {
			out := make([]AdRow, 0, n)
			seen := map[key]bool{}
			for i := range n {
				k := key{day(from).AddDate(0, 0, i%days).Format("2006-01-02"), (i / days) % camps}
				if !seen[k] {
					want[k], seen[k] = 0, true // this import replaces what was there
				}
				want[k] += spend(i)
				out = append(out, AdRow{Date: day(k.day), Platform: []string{"meta", "google_ads"}[k.camp%2], Campaign: fmt.Sprintf("C%03d", k.camp),
					Spend: spend(i), Impressions: 10, Clicks: 1, Conversions: 1, Revenue: 2})
			}
			return out
		}
		// 40,000 rows over 100 days x 200 campaigns: every key twice, 20,000 rows apart.
		ingestAds(t, st, rows(40000, 100, 200, "2026-01-01", func(i int) float64 { return float64(i%97) + 0.25 })...)
		// Restates days 50-99 of 150 campaigns and adds days 100-119, some keys three times.
		ingestAds(t, st, rows(21000, 70, 150, "2026-02-20", func(i int) float64 { return float64(i%13) + 0.5 })...)

		var got []struct {
			Date     string `db:"date"`
			Campaign string `db:"campaign"`
			Spend    float64
		}
		if err := st.db.Select(&got, `SELECT date, campaign, spend FROM ad_daily`); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("ad_facts has %d keys, want %d", len(got), len(want))
		}
		for _, g := range got {
			var c int
			fmt.Sscanf(g.Campaign, "C%d", &c)
			if w := want[key{g.Date, c}]; math.Abs(g.Spend-w) > 1e-9 {
				t.Fatalf("%s %s: spend %v, want %v", g.Date, g.Campaign, g.Spend, w)
			}
		}
		var facts, rollup float64
		st.db.Get(&facts, `SELECT SUM(spend) FROM ad_facts`)
		st.db.Get(&rollup, `SELECT SUM(spend) FROM ad_platform_daily`)
		if math.Abs(facts-rollup) > 1e-6 {
			t.Fatalf("rollup spend %v, facts %v", rollup, facts)
		}
	})
}

// TestImportsTakeTurnsInPostgres: an import waiting on another's lock of
// import_lock is told so once, and goes through once the first commits
// (TestImportsTakeTurnsWhileReadsGoOn is SQLite's).
func TestImportsTakeTurnsInPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	waited := make(chan string, 2)
	st := openDSN(t, dsn, WithImportWait(func(file string) { waited <- file }))
	inFirst, release := make(chan struct{}), make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		_, err := st.Ingest(ctx, Source{File: "first.csv", Kind: KindAds}, func(w *Writer) error {
			close(inFirst)
			<-release
			return w.Ad(AdRow{Date: day("2026-11-01"), Platform: "meta", Campaign: "A", Spend: 1})
		})
		errs <- err
	}()
	<-inFirst
	go func() {
		<-waited
		close(release)
	}()
	if _, err := st.Ingest(ctx, Source{File: "second.csv", Kind: KindAds}, func(w *Writer) error {
		return w.Ad(AdRow{Date: day("2026-11-01"), Platform: "meta", Campaign: "A", Spend: 2})
	}); err != nil {
		t.Fatalf("second import: %v", err)
	}
	if err := <-errs; err != nil {
		t.Fatalf("first import: %v", err)
	}
	var spend float64
	if err := st.db.Get(&spend, `SELECT spend FROM ad_facts`); err != nil || spend != 2 {
		t.Fatalf("spend = %v, %v; want the second import's 2", spend, err)
	}
}

// TestNewCampaignsOfOneBatch: the campaigns a batch brings are added
// together; a name on two platforms is two campaigns, a campaign whose
// later row restates its category takes the later one, and a campaign the
// store had keeps its id. Each row lands on its own campaign.
func TestNewCampaignsOfOneBatch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		ingestAds(t, st, AdRow{Date: day("2026-03-01"), Platform: "meta", Campaign: "Kept", Category: "Toys", Spend: 1, Impressions: 1})
		var keptID int64
		if err := st.db.Get(&keptID, `SELECT id FROM campaigns WHERE campaign = 'Kept'`); err != nil {
			t.Fatal(err)
		}
		var rows []AdRow
		for i := range 300 { // more than one batch
			rows = append(rows, AdRow{Date: day("2026-03-02"), Platform: []string{"meta", "google_ads"}[i%2], Campaign: fmt.Sprintf("N%03d", i/2),
				Category: "Shoes", Spend: float64(i + 1), Impressions: 1})
		}
		rows = append(rows,
			AdRow{Date: day("2026-03-02"), Platform: "meta", Campaign: "Kept", Category: "Toys", Spend: 1000, Impressions: 1},
			AdRow{Date: day("2026-03-03"), Platform: "meta", Campaign: "N000", Category: "Bags", Spend: 2000, Impressions: 1})
		ingestAds(t, st, rows...)

		var n int
		st.db.Get(&n, `SELECT COUNT(*) FROM campaigns`)
		if n != 301 {
			t.Fatalf("%d campaigns, want 301 (150 names on two platforms, and Kept)", n)
		}
		var id int64
		st.db.Get(&id, `SELECT id FROM campaigns WHERE campaign = 'Kept'`)
		if id != keptID {
			t.Fatalf("Kept's id went from %d to %d", keptID, id)
		}
		var cat string
		st.db.Get(&cat, st.db.Rebind(`SELECT c.category FROM campaigns c JOIN platforms p ON p.id = c.platform_id WHERE c.campaign = ? AND p.name = ?`), "N000", "meta")
		if cat != "Bags" {
			t.Fatalf("N000 on Meta is in %q, want the later row's Bags", cat)
		}
		var got []struct {
			Campaign string `db:"campaign"`
			Platform string `db:"platform"`
			Spend    float64
		}
		if err := st.db.Select(&got, `SELECT campaign, platform, spend FROM ad_daily WHERE date = '2026-03-02'`); err != nil {
			t.Fatal(err)
		}
		if len(got) != 301 {
			t.Fatalf("%d rows on Mar 2, want 301", len(got))
		}
		for _, g := range got {
			var i int
			if g.Campaign == "Kept" {
				if g.Spend != 1000 {
					t.Fatalf("Kept: spend %v, want 1000", g.Spend)
				}
				continue
			}
			fmt.Sscanf(g.Campaign, "N%d", &i)
			want := float64(2*i + 1)
			if g.Platform == "google_ads" {
				want++
			}
			if g.Spend != want {
				t.Fatalf("%s on %s: spend %v, want %v", g.Campaign, g.Platform, g.Spend, want)
			}
		}
	})
}

// TestSettle: after an import, Settle runs each database's upkeep; in
// PostgreSQL the imported tables are vacuumed and analyzed.
func TestSettle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		ingestAds(t, st, AdRow{Date: day("2026-03-01"), Platform: "meta", Campaign: "C1", Spend: 1, Impressions: 1})
		if err := st.Settle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st.dialect != postgres {
			return
		}
		var vacuumed, analyzed bool
		if err := st.db.QueryRow(`SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'ad_facts'`).Scan(&vacuumed, &analyzed); err != nil {
			t.Fatal(err)
		}
		if !vacuumed || !analyzed {
			t.Fatalf("ad_facts vacuumed %v, analyzed %v; want both", vacuumed, analyzed)
		}
	})
}
