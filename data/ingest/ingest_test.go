package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/pgtest"
	"github.com/sowhat-ai/sowhat/model/period"
)

// openStore opens a fresh SQLite store, and a second handle on the same file
// for the tests' own SELECTs.
func openStore(t *testing.T) (*data.Store, *sqlx.DB) {
	t.Helper()
	return openStoreAt(t, filepath.Join(t.TempDir(), "s.db"))
}

// openStoreAt opens the store at dsn (a SQLite path or a PostgreSQL URL),
// and a second handle on the same database for the tests' own SELECTs.
func openStoreAt(t *testing.T, dsn string) (*data.Store, *sqlx.DB) {
	t.Helper()
	st, err := data.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	driver, conn := "sqlite3", "file:"+dsn+"?mode=ro&_busy_timeout=10000"
	if data.IsPostgresURL(dsn) {
		driver, conn = "pgx", dsn
	}
	db, err := sqlx.Open(driver, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return st, db
}

// forEachDialect runs f as two subtests, sqlite and postgres, each with a
// fresh store (see openStoreAt).
func forEachDialect(t *testing.T, f func(t *testing.T, st *data.Store, db *sqlx.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		st, db := openStore(t)
		f(t, st, db)
	})
	t.Run("postgres", func(t *testing.T) {
		st, db := openStoreAt(t, pgtest.URL(t))
		f(t, st, db)
	})
}

// writeFile writes content under a test directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type totals struct {
	Rows                                             int
	Spend, Impressions, Clicks, Conversions, Revenue float64
}

func adTotals(t *testing.T, db *sqlx.DB, where string, args ...any) totals {
	t.Helper()
	var tt totals
	q := `SELECT COUNT(*), COALESCE(SUM(spend), 0), COALESCE(SUM(impressions), 0), COALESCE(SUM(clicks), 0),
		COALESCE(SUM(conversions), 0), COALESCE(SUM(revenue), 0) FROM ad_daily`
	if where != "" {
		q += " WHERE " + where
	}
	if err := db.QueryRow(db.Rebind(q), args...).Scan(&tt.Rows, &tt.Spend, &tt.Impressions, &tt.Clicks, &tt.Conversions, &tt.Revenue); err != nil {
		t.Fatal(err)
	}
	return tt
}

func round(t totals) totals {
	r := func(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
	return totals{t.Rows, r(t.Spend), r(t.Impressions), r(t.Clicks), r(t.Conversions), r(t.Revenue)}
}

func count(t *testing.T, db *sqlx.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFileEveryFixture(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *data.Store, db *sqlx.DB) {
		ctx := context.Background()
		for _, path := range fixtures(t) {
			res, err := File(ctx, st, path, Options{})
			if err != nil {
				t.Fatalf("File(%s): %v", path, err)
			}
			if res.Stats.Rows == 0 || res.Format == "" || res.Kind == "" {
				t.Errorf("File(%s) = %+v, want rows, a format and a kind", path, res)
			}
		}
		for table, want := range map[string]int{"business_daily": 4, "budgets": 5, "brand_lift": 5, "experiments": 3, "mmm_results": 2, "mmm_curve": 2} {
			if got := count(t, db, table); got != want {
				t.Errorf("%s has %d rows, want %d", table, got, want)
			}
		}
		// Google Ads totals come from the data rows only: the four "Total:" rows
		// under them are not counted.
		google := adTotals(t, db, "platform = ? AND import_id = (SELECT id FROM imports WHERE file LIKE '%google_ads.csv')", "google_ads")
		want := totals{Rows: 6, Spend: 4607.28, Impressions: 517907, Clicks: 8829, Conversions: 289.33, Revenue: 30700.3}
		if diff := cmp.Diff(want, round(google)); diff != "" {
			t.Errorf("google_ads.csv totals (-want +got):\n%s", diff)
		}
	})
}

func TestFileResult(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *data.Store, db *sqlx.DB) {
		path := filepath.Join("testdata", "meta.csv")
		res, err := File(context.Background(), st, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := Result{File: path, Format: "meta", Kind: data.KindAds, Platform: "meta"}
		if diff := cmp.Diff(want, res, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Stats" }, cmp.Ignore())); diff != "" {
			t.Errorf("Result (-want +got):\n%s", diff)
		}
		if res.Stats.Rows != 4 || res.Stats.MinDate.Format(period.DateLayout) != "2026-11-01" || res.Stats.MaxDate.Format(period.DateLayout) != "2026-11-02" {
			t.Errorf("Stats = %+v, want 4 rows from 2026-11-01 to 2026-11-02", res.Stats)
		}
	})
}

func TestReimportIsIdempotent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *data.Store, db *sqlx.DB) {
		ctx := context.Background()
		for _, name := range []string{"google_ads.csv", "meta.csv", "canonical_ads.csv", "the_trade_desk.csv"} {
			path := filepath.Join("testdata", name)
			if _, err := File(ctx, st, path, Options{}); err != nil {
				t.Fatal(err)
			}
			once := adTotals(t, db, "")
			if _, err := File(ctx, st, path, Options{}); err != nil {
				t.Fatal(err)
			}
			// Rounded to the cent: PostgreSQL may add the same values in
			// another order once rows have moved.
			if twice := adTotals(t, db, ""); round(twice) != round(once) {
				t.Errorf("importing %s again changed the totals from %+v to %+v", name, once, twice)
			}
		}
	})
}

func TestOverlappingExportsDoNotDoubleCount(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *data.Store, db *sqlx.DB) {
		ctx := context.Background()
		const header = "date,platform,campaign,spend,impressions,clicks,conversions,revenue\n"
		first := writeFile(t, "nov1-2.csv", header+
			"2026-11-01,meta,Prospecting,100,1000,10,1,50\n"+
			"2026-11-02,meta,Prospecting,200,2000,20,2,100\n")
		// The later export restates Nov 2 with late conversions and adds Nov 3.
		second := writeFile(t, "nov2-3.csv", header+
			"2026-11-02,meta,Prospecting,200,2000,20,3,150\n"+
			"2026-11-03,meta,Prospecting,300,3000,30,3,150\n")
		for _, p := range []string{first, second} {
			if _, err := File(ctx, st, p, Options{}); err != nil {
				t.Fatal(err)
			}
		}
		want := totals{Rows: 3, Spend: 600, Impressions: 6000, Clicks: 60, Conversions: 7, Revenue: 350}
		if diff := cmp.Diff(want, adTotals(t, db, "")); diff != "" {
			t.Errorf("totals (-want +got):\n%s", diff)
		}
	})
}

func TestBadRowRefusesWholeFile(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *data.Store, db *sqlx.DB) {
		ctx := context.Background()
		var b strings.Builder
		b.WriteString("Campaign report\n\"November 1, 2026 - November 30, 2026\"\nDay,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n")
		for i := 0; i < 600; i++ { // more than the writer buffers, so some rows were sent before the bad one
			if i == 10 {
				b.WriteString("2026-11-01,Bad,\"12,3x\",10,1,0,0\n") // line 14
				continue
			}
			b.WriteString("2026-11-01,Campaign " + strings.Repeat("x", i%7) + string(rune('A'+i%26)) + ",1,10,1,0,0\n")
		}
		path := writeFile(t, "google.csv", b.String())
		_, err := File(ctx, st, path, Options{})
		want := `ingest ` + path + ` line 14 column "Cost": "12,3x" is not a number`
		if err == nil || err.Error() != want {
			t.Fatalf("File error = %v, want %s", err, want)
		}
		var perr *Error
		if !errors.As(err, &perr) || perr.Line != 14 || perr.Column != "Cost" || !errors.Is(err, ErrBadValue) {
			t.Errorf("error %#v does not carry line 14, column Cost and ErrBadValue", err)
		}
		for _, table := range []string{"ad_daily", "imports"} {
			if n := count(t, db, table); n != 0 {
				t.Errorf("%s has %d rows after a refused file, want 0", table, n)
			}
		}
	})
}

func TestRefusedFiles(t *testing.T) {
	const metaHeader = "Campaign name,Reporting starts,Reporting ends,Amount spent (USD),Impressions,Link clicks,Purchases,Purchases conversion value\n"
	const canon = "date,platform,campaign,spend,impressions,clicks,conversions,revenue\n"
	tests := []struct {
		name, file, content string
		opts                Options
		is                  error
		want                string // the error, after "ingest FILE "
	}{
		{
			name: "meta row over a month", file: "meta.csv",
			content: metaHeader + "Prospecting,2026-11-01,2026-11-01,10,100,1,0,0\nProspecting,2026-11-01,2026-11-30,812.20,120554,1402,38,3410\n",
			is:      ErrMultiDay,
			want:    `line 3 column "Reporting starts": the row covers 2026-11-01 to 2026-11-30, not one day; export it with a daily breakdown: in Ads Manager, choose Breakdown → By time → Day before exporting`,
		},
		{
			name: "google export without a day column", file: "google.csv",
			content: "Campaign report\n\"November 1, 2026 - November 30, 2026\"\nCampaign,Campaign type,Cost,Impr.,Clicks,Conversions,Conv. value\nBrand,Search,100,1000,10,1,50\n",
			is:      ErrMultiDay,
			want:    `line 3: the Google Ads export has no "Day" or "Date" column, so each row covers the whole report period (November 1, 2026 - November 30, 2026), not one day; export it with a daily breakdown: in Google Ads, add Segment → Time → Day before downloading`,
		},
		{
			name: "google currency column in euros", file: "google.csv",
			content: "Day,Campaign,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value\n2026-11-01,Brand,EUR,100,1000,10,1,50\n",
			is:      ErrCurrency,
			want:    `line 2 column "Currency code": amounts are in EUR but the reporting currency is USD; export the report in USD or import it with currency EUR`,
		},
		{
			name: "meta spend in euros", file: "meta.csv",
			content: "Day,Campaign name,Amount spent (EUR),Impressions,Link clicks,Purchases,Purchases conversion value\n2026-11-01,Prospecting,10,100,1,0,0\n",
			is:      ErrCurrency,
			want:    `line 1 column "Amount spent (EUR)": amounts are in EUR but the reporting currency is USD; export the report in USD or import it with currency EUR`,
		},
		{
			name: "euro sign in a dollar file", file: "ads.csv",
			content: canon + "2026-11-01,meta,Prospecting,€12.00,100,1,0,0\n",
			is:      ErrCurrency,
			want:    `line 2 column "spend": "€12.00" is not in USD, the reporting currency`,
		},
		{
			name: "meta clicks (all) is not link clicks", file: "meta.csv",
			content: "Day,Campaign name,Amount spent (USD),Impressions,Clicks (all),Purchases,Purchases conversion value\n2026-11-01,Prospecting,10,100,1,0,0\n",
			is:      ErrUnrecognized,
			want:    `line 1: looks like a Meta Ads Manager export but it has no clicks column ("Link clicks"): Meta's clicks are "Link clicks"; "Clicks (all)" counts every click on the ad and is not used`,
		},
		{
			name: "nothing recognisable", file: "notes.csv",
			content: "hello,world\n1,2\n",
			is:      ErrUnrecognized,
			want:    `line 2: no header row of a known format`,
		},
		{
			name: "empty file", file: "empty.csv",
			is:   ErrUnrecognized,
			want: `line 1: no header row of a known format`,
		},
		{
			name: "canonical ads without a platform", file: "ads.csv",
			content: "date,campaign,spend,impressions,clicks,conversions,revenue\n2026-11-01,Brand,1,1,1,1,1\n",
			is:      ErrUnrecognized,
			want:    `line 1: looks like a canonical ads file but it has no platform column ("platform")`,
		},
		{
			name: "not a date", file: "ads.csv",
			content: canon + "2026-13-01,meta,Prospecting,1,1,1,1,1\n",
			is:      ErrBadValue,
			want:    `line 2 column "date": "2026-13-01" is not a date (write 2026-11-01, 11/1/2026 or Nov 1, 2026)`,
		},
		{
			name: "decimal comma", file: "ads.csv",
			content: canon + "2026-11-01,meta,Prospecting,\"12,30\",1,1,1,1\n",
			is:      ErrBadValue,
			want:    `line 2 column "spend": "12,30" is not a number`,
		},
		{
			name: "empty required canonical cell", file: "ads.csv",
			content: canon + "2026-11-01,meta,Prospecting,1,1,,1,1\n",
			is:      ErrBadValue,
			want:    `line 2 column "clicks": the cell is empty; write 0 for none`,
		},
		{
			name: "negative impressions", file: "ads.csv",
			content: canon + "2026-11-01,meta,Prospecting,1,-5,1,1,1\n",
			is:      ErrBadValue,
			want:    `line 2 column "impressions": "-5" is negative`,
		},
		{
			name: "unknown platform", file: "ads.csv",
			content: canon + "2026-11-01,Snapchat,Spring,1,1,1,1,1\n",
			is:      ErrBadValue,
			want:    `line 2 column "platform": "Snapchat" is not a platform sowhat knows (google_ads, meta, amazon_ads, the_trade_desk, criteo, pinterest, microsoft_ads, tiktok)`,
		},
		{
			name: "row of another platform than declared", file: "ads.csv", opts: Options{Platform: "Facebook"},
			content: canon + "2026-11-01,google,Brand,1,1,1,1,1\n",
			is:      ErrPlatform,
			want:    `line 2 column "platform": "google" is not meta, the platform this import was declared for`,
		},
		{
			name: "export of another platform than declared", file: "google.csv", opts: Options{Platform: "meta"},
			content: "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n2026-11-01,Brand,1,1,1,1,1\n",
			is:      ErrPlatform,
			want:    `line 1: this is a Google Ads export, not a Meta export`,
		},
		{
			name: "short row", file: "ads.csv",
			content: canon + "2026-11-01,meta,Prospecting,1,1,1\n",
			is:      ErrBadValue,
			want:    `line 2: the row has 6 fields but the header on line 1 has 8`,
		},
		{
			name: "lift written as a percent without the sign", file: "lift.csv",
			content: "study,platform,start_date,end_date,metric,lift_pct\nQ4,meta,2026-10-01,2026-10-28,ad_recall,7.4\n",
			is:      ErrBadValue,
			want:    `line 2 column "lift_pct": "7.4" is a lift of more than 100%; write a fraction (0.074) or a percentage (7.4%)`,
		},
		{
			name: "study ending before it starts", file: "lift.csv",
			content: "study,platform,start_date,end_date,metric,lift_pct\nQ4,meta,2026-10-28,2026-10-01,ad_recall,0.07\n",
			is:      ErrBadValue,
			want:    `line 2 column "end_date": the study ends (2026-10-01) before it starts (2026-10-28)`,
		},
		{
			name: "experiment of an outcome sowhat does not know", file: "tests.csv",
			content: "test,platform,start_date,end_date,outcome,test_spend,incremental_outcome,lift_pct,iroas,ci_low,ci_high\nQ3,meta,2026-07-06,2026-08-02,store visits,1000,1500,0.05,1.5,1,2\n",
			is:      ErrBadValue,
			want:    `line 2 column "outcome": "store visits" is not an outcome sowhat knows; write revenue or conversions`,
		},
		{
			name: "experiment whose interval leaves out its iroas", file: "tests.csv",
			content: "test,platform,start_date,end_date,outcome,test_spend,incremental_outcome,lift_pct,iroas,ci_low,ci_high\nQ3,meta,2026-07-06,2026-08-02,revenue,1000,1500,0.05,1.5,1.6,2\n",
			is:      ErrBadValue,
			want:    `line 2 column "ci_low": the interval's low end (1.6) is above the iroas (1.5)`,
		},
		{
			name: "experiment ending before it starts", file: "tests.csv",
			content: "test,platform,start_date,end_date,outcome,test_spend,incremental_outcome,lift_pct,iroas,ci_low,ci_high\nQ3,meta,2026-08-02,2026-07-06,revenue,1000,1500,0.05,1.5,1,2\n",
			is:      ErrBadValue,
			want:    `line 2 column "end_date": the test ends (2026-07-06) before it starts (2026-08-02)`,
		},
		{
			name: "experiment with a negative test spend", file: "tests.csv",
			content: "test,platform,start_date,end_date,outcome,test_spend,incremental_outcome,lift_pct,iroas,ci_low,ci_high\nQ3,meta,2026-07-06,2026-08-02,revenue,-1000,1500,0.05,1.5,1,2\n",
			is:      ErrBadValue,
			want:    `line 2 column "test_spend": "-1000" is negative`,
		},
		{
			name: "experiment with an empty iroas", file: "tests.csv",
			content: "test,platform,start_date,end_date,outcome,test_spend,incremental_outcome,lift_pct,iroas,ci_low,ci_high\nQ3,meta,2026-07-06,2026-08-02,revenue,1000,1500,0.05,,1,2\n",
			is:      ErrBadValue,
			want:    `line 2 column "iroas": the cell is empty; write 0 for none`,
		},
		{
			name: "experiment with a p-value above one", file: "tests.csv",
			content: "test,platform,start_date,end_date,outcome,test_spend,incremental_outcome,lift_pct,iroas,ci_low,ci_high,p_value\nQ3,meta,2026-07-06,2026-08-02,revenue,1000,1500,0.05,1.5,1,2,5\n",
			is:      ErrBadValue,
			want:    `line 2 column "p_value": "5" is not a p-value (between 0 and 1)`,
		},
		{
			name: "MMM curve point without its outcome", file: "mmm.csv",
			content: "model,channel,start_date,end_date,roi,mroi,contribution,curve_spend,curve_outcome\nM,meta,2026-01-01,2026-06-30,2.4,1.1,2400000,500000,\n",
			is:      ErrBadValue,
			want:    `line 2 column "curve_outcome": the cell is empty but curve_spend is given; a curve point needs both`,
		},
		{
			name: "MMM roi that is not a number", file: "mmm.csv",
			content: "model,channel,start_date,end_date,roi,mroi,contribution\nM,meta,2026-01-01,2026-06-30,high,1.1,2400000\n",
			is:      ErrBadValue,
			want:    `line 2 column "roi": "high" is not a number`,
		},
		{
			name: "percentage in an amount column", file: "ads.csv",
			content: canon + "2026-11-01,meta,Prospecting,1,1,2.5%,1,1\n",
			is:      ErrBadValue,
			want:    `line 2 column "clicks": "2.5%" is a percentage, not an amount`,
		},
		{
			name: "unclosed quote", file: "ads.csv",
			content: canon + "2026-11-01,meta,\"Prospecting,1,1,1,1,1\n",
			is:      ErrBadValue,
			want:    `line 2: the row has 3 fields but the header on line 1 has 8`,
		},
		{
			name: "forced kind that does not fit", file: "ads.csv", opts: Options{Kind: data.KindBusiness},
			content: canon + "2026-11-01,meta,Prospecting,1,1,1,1,1\n",
			is:      ErrUnrecognized,
			want:    `line 2: no header row of a known format`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, db := openStore(t)
			path := writeFile(t, tt.file, tt.content)
			_, err := File(context.Background(), st, path, tt.opts)
			if err == nil {
				t.Fatal("File succeeded, want an error")
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
			if want := "ingest " + path + " " + tt.want; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error\n got %s\nwant %s", err, want)
			}
			if n := count(t, db, "ad_daily") + count(t, db, "imports"); n != 0 {
				t.Errorf("a refused file left %d rows", n)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	ctx := context.Background()
	noPlatform := "date,campaign,spend,impressions,clicks,conversions,revenue\n2026-11-01,Brand,1,2,3,4,5\n"
	euros := "Day,Campaign name,Amount spent (EUR),Impressions,Link clicks,Purchases,Purchases conversion value\n2026-11-01,Prospecting,\"€1.234,00\",100,1,0,0\n"
	tests := []struct {
		name, content string
		opts          Options
		want          string // platform/spend of the first record, or the error
	}{
		{"platform declared for a file without a platform column", noPlatform, Options{Platform: "bing"}, "microsoft_ads 1"},
		{"kind forced", noPlatform, Options{Platform: "tiktok", Kind: data.KindAds}, "tiktok 1"},
		{"reporting currency euros", "Day,Campaign name,Amount spent (EUR),Impressions,Link clicks,Purchases,Purchases conversion value\n2026-11-01,Prospecting,€1.5,100,1,0,0\n", Options{Currency: "eur"}, "meta 1.5"},
		{"decimal comma still refused in euros", euros, Options{Currency: "EUR"}, `ingest x.csv line 2 column "Amount spent (EUR)": "€1.234,00" is not a number`},
		{"unknown platform option", noPlatform, Options{Platform: "myspace"}, `ingest x.csv: platform "myspace" is not one sowhat knows`},
		{"bad currency option", noPlatform, Options{Currency: "dollars"}, `ingest x.csv: currency "dollars" is not a three-letter code`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			_, err := Parse(ctx, "x.csv", strings.NewReader(tt.content), tt.opts, func(r Record) error {
				if got == "" {
					got = r.Ad.Platform + " " + strconv.FormatFloat(r.Ad.Spend, 'f', -1, 64)
				}
				return nil
			})
			if err != nil {
				got = err.Error()
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEncodings(t *testing.T) {
	const text = "Day;Campaign;Cost;Impr.;Clicks;Conversions;Conv. value\n2026-11-01;Après-ski;1;2;3;4;5\n"
	cp1252 := bytes.ReplaceAll([]byte(text), []byte("è"), []byte{0xE8})
	tests := map[string][]byte{
		"utf-8":        []byte(text),
		"utf-8 bom":    append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"utf-16le bom": utf16LE(text),
		"windows-1252": cp1252,
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			var got []string
			_, err := Parse(context.Background(), "x.csv", bytes.NewReader(content), Options{}, func(r Record) error {
				got = append(got, r.Ad.Campaign)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"Après-ski"}, got); diff != "" {
				t.Errorf("campaigns (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	path := filepath.Join("testdata", "google_ads.csv")
	st, _ := openStore(t)
	if _, err := File(context.Background(), st, path, Options{Progress: &buf}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\rgoogle_ads.csv [") || !strings.Contains(out, "100%") || !strings.HasSuffix(out, "\n") || strings.Count(out, "\n") != 1 {
		t.Errorf("progress output %q, want one \\r-redrawn line ending at 100%%", out)
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Parse(ctx, "x.csv", strings.NewReader("date,platform,campaign,spend,impressions,clicks,conversions,revenue\n2026-11-01,meta,A,1,1,1,1,1\n"), Options{}, func(Record) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }
