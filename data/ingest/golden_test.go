package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model/period"
)

var update = flag.Bool("update", false, "rewrite testdata golden files and generated fixtures")

// googleExcel is the Google Ads export as its "Excel .csv" download writes it:
// UTF-16LE with a byte-order mark, tab-separated, CRLF line ends.
const googleExcel = "Campaign report\r\n" +
	"November 1, 2026 - November 30, 2026\r\n" +
	"Day\tAccount\tCampaign\tCampaign type\tCurrency code\tCost\tImpr.\tClicks\tConversions\tConv. value\r\n" +
	"2026-11-01\tAcme Outdoor US\tBrand - Exact\tSearch\tUSD\t1,234.50\t45,210\t1,873\t96.00\t9,876.40\r\n" +
	"2026-11-01\tAcme Outdoor US\tDemand Gen - Après-ski\tDemand Gen\tUSD\t311.08\t80,442\t512\t4.50\t402.00\r\n" +
	"2026-11-02\tAcme Outdoor US\tBrand - Exact\tSearch\tUSD\t1,190.00\t44,012\t1,790\t88.00\t9,012.00\r\n" +
	"Total: Account\t--\t--\t--\tUSD\t2,735.58\t169,664\t4,175\t188.50\t19,290.40\r\n"

// generated lists the binary fixtures built from source text, so the repo
// holds what a platform really downloads while the test shows how it was made.
var generated = map[string][]byte{
	"google_ads_excel.csv": utf16LE(googleExcel),
}

func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestGeneratedFixtures(t *testing.T) {
	for name, want := range generated {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to generate it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the test generates; run go test -update", path)
		}
	}
}

// fixtures lists every valid fixture in testdata.
func fixtures(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"*.csv", "*.tsv"} {
		m, err := filepath.Glob(filepath.Join("testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) < 15 {
		t.Fatalf("found %d fixtures, want one per format", len(out))
	}
	return out
}

func TestParseGolden(t *testing.T) {
	for _, path := range fixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var recs []any
			format, err := Parse(context.Background(), filepath.Base(path), f, Options{}, func(r Record) error {
				recs = append(recs, recordJSON(r))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(map[string]any{"format": format, "records": recs}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// recordJSON shows a record as its golden file does: the row's fields under
// their canonical names, NULL as null.
func recordJSON(r Record) map[string]any {
	day := func(d interface{ Format(string) string }) string { return d.Format(period.DateLayout) }
	m := map[string]any{"kind": r.Kind, "line": r.Line}
	switch r.Kind {
	case data.KindAds:
		a := r.Ad
		m["date"], m["platform"], m["account"], m["campaign"] = day(a.Date), a.Platform, a.Account, a.Campaign
		m["campaign_type"], m["category"], m["region"] = a.CampaignType, a.Category, a.Region
		m["spend"], m["impressions"], m["clicks"], m["conversions"], m["revenue"] = a.Spend, a.Impressions, a.Clicks, a.Conversions, a.Revenue
		m["store_visits"], m["engagements"], m["video_views"], m["new_customers"] = nullable(a.StoreVisits.Float64, a.StoreVisits.Valid),
			nullable(a.Engagements.Float64, a.Engagements.Valid), nullable(a.VideoViews.Float64, a.VideoViews.Valid), nullable(a.NewCustomers.Float64, a.NewCustomers.Valid)
	case data.KindBusiness:
		b := r.Business
		m["date"], m["channel"], m["orders"], m["revenue"], m["new_customers"] = day(b.Date), b.Channel, b.Orders, b.Revenue, b.NewCustomers
		m["gross_profit"] = nullable(b.GrossProfit.Float64, b.GrossProfit.Valid)
	case data.KindBudgets:
		b := r.Budget
		m["month"], m["platform"], m["campaign"], m["budget"] = day(b.Month), b.Platform, b.Campaign, b.Budget
	case data.KindBrandLift:
		l := r.BrandLift
		m["study"], m["platform"], m["start_date"], m["end_date"], m["metric"], m["lift"] = l.Study, l.Platform, day(l.StartDate), day(l.EndDate), l.Metric, l.Lift
		m["significant"] = nil
		if l.Significant.Valid {
			m["significant"] = l.Significant.Bool
		}
	case data.KindExperiments:
		e := r.Test
		m["test"], m["platform"], m["start_date"], m["end_date"], m["outcome"] = e.Test, e.Platform, day(e.Start), day(e.End), e.Outcome
		m["test_spend"], m["incremental_outcome"], m["lift_pct"], m["iroas"], m["ci_low"], m["ci_high"] = e.TestSpend, e.IncrementalOutcome, e.LiftPct, e.IROAS, e.CILow, e.CIHigh
		m["campaign"], m["campaign_type"], m["method"], m["p_value"] = e.Campaign, e.CampaignType, e.Method, nullable(e.PValue.Float64, e.PValue.Valid)
		m["significant"] = nil
		if e.Significant.Valid {
			m["significant"] = e.Significant.Bool
		}
	case data.KindMMM:
		x := r.MMM
		m["model"], m["channel"], m["start_date"], m["end_date"] = x.Model, x.Channel, day(x.Start), day(x.End)
		m["roi"], m["mroi"], m["contribution"], m["curve"] = x.ROI, x.MROI, x.Contribution, x.Curve
	}
	return m
}

func nullable(v float64, ok bool) any {
	if ok {
		return v
	}
	return nil
}
