package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// TestCampaignSumsOverWholeMonthsAndDays asks campaign questions over
// periods that are whole months, parts of one, and runs of days across
// month ends — read from the monthly campaign sums and the facts together
// — and checks every figure against sums worked out here from the rows.
func TestCampaignSumsOverWholeMonthsAndDays(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := openDSN(t, dsn)
		type fact struct {
			day                 time.Time
			platform, campaign  string
			category            string
			spend, revenue, vis float64
			hasVisits           bool
		}
		var facts []fact
		var rows []AdRow
		camps := []struct{ platform, campaign, category string }{
			{"meta", "M1", "Toys"}, {"meta", "M2", "Home"}, {"meta", "M3", "Toys"},
			{"google_ads", "G1", "Toys"}, {"google_ads", "G2", "Home"},
		}
		start := day("2026-09-15")
		for d := 0; d < 87; d++ { // Sep 15 – Dec 10
			for i, c := range camps {
				f := fact{day: start.AddDate(0, 0, d), platform: c.platform, campaign: c.campaign, category: c.category,
					spend: float64(10 + (d*7+i*13)%50), revenue: float64(20 + (d*11+i*5)%130)}
				if (d+i)%3 != 0 {
					f.vis, f.hasVisits = float64(1+(d+i)%4), true
				}
				facts = append(facts, f)
				r := AdRow{Date: f.day, Platform: c.platform, Campaign: c.campaign, Category: c.category, Spend: f.spend, Revenue: f.revenue, Impressions: f.spend * 100, Clicks: f.spend}
				if f.hasVisits {
					r.StoreVisits = sql.NullFloat64{Float64: f.vis, Valid: true}
				}
				rows = append(rows, r)
			}
		}
		// Two files overlapping in October: the second restates it.
		ingestAds(t, st, rows[:len(rows)*2/3]...)
		for i := range rows[len(rows)/3:] {
			j := len(rows)/3 + i
			rows[j].Spend += 1
			facts[j].spend += 1
		}
		ingestAds(t, st, rows[len(rows)/3:]...)

		for _, tt := range []struct {
			name       string
			from, to   string
			group      string
			onlyMeta   bool
			wantMonths bool
		}{
			{"whole month", "2026-10-01", "2026-10-31", model.DimCampaign, false, true},
			{"two whole months", "2026-10-01", "2026-11-30", model.DimCategory, false, true},
			{"across month ends", "2026-09-20", "2026-11-05", model.DimCampaign, true, true},
			{"inside a month", "2026-10-03", "2026-10-20", model.DimCampaign, false, false},
			{"to the last day", "2026-09-15", "2026-12-10", model.DimCategory, true, true},
			{"by month", "2026-09-20", "2026-12-10", model.DimMonth, false, true},
		} {
			t.Run(tt.name, func(t *testing.T) {
				p := period.Period{Start: day(tt.from), End: day(tt.to)}
				want := map[string][3]float64{} // spend, revenue, spend where visits were reported
				visits := map[string]float64{}
				for _, f := range facts {
					if f.day.Before(p.Start) || f.day.After(p.End) || (tt.onlyMeta && f.platform != "meta") {
						continue
					}
					k := f.campaign
					switch tt.group {
					case model.DimCategory:
						k = f.category
					case model.DimMonth:
						k = period.MonthStart(f.day).Format(period.DateLayout)
					}
					w := want[k]
					w[0] += f.spend
					w[1] += f.revenue
					if f.hasVisits {
						w[2] += f.spend
						visits[k] += f.vis
					}
					want[k] = w
				}
				q := Query{Metrics: []model.MetricID{model.Spend, model.ROAS, model.CostPerStoreVisit}, Period: p, GroupBy: []string{tt.group}}
				if tt.onlyMeta {
					q.Filters = map[string][]string{model.DimPlatform: {"meta"}}
				}
				res, err := st.Run(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Rows) != len(want) {
					t.Fatalf("%d rows, want %d: %v", len(res.Rows), len(want), res.Rows)
				}
				for _, r := range res.Rows {
					k := r.Key[tt.group]
					w, ok := want[k]
					if !ok {
						t.Fatalf("unexpected row %q", k)
					}
					for _, c := range []struct {
						metric model.MetricID
						want   float64
					}{{model.Spend, w[0]}, {model.ROAS, w[1] / w[0]}, {model.CostPerStoreVisit, w[2] / visits[k]}} {
						got := r.Values[c.metric]
						if got == nil || math.Abs(*got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
							t.Errorf("%s %s = %v, want %v", k, c.metric, fmtPtr(got), c.want)
						}
					}
				}
				segs := adSegments(p, false, timeDimOf(tt.group), []string{"spend", "revenue", "store_visit_spend", "store_visits"})
				usesMonths := false
				for _, sg := range segs {
					usesMonths = usesMonths || sg.table == "ad_campaign_monthly"
				}
				if usesMonths != tt.wantMonths {
					t.Errorf("segments %+v: monthly sums used = %v, want %v", segs, usesMonths, tt.wantMonths)
				}
			})
		}
	})
}

func timeDimOf(group string) string {
	if model.IsTimeDimension(group) {
		return group
	}
	return ""
}

func fmtPtr(v *float64) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprint(*v)
}

// TestMonthlySumsSpilled runs the monthly sums' tests with the sums
// written out every few campaign-months, as a large import does.
func TestMonthlySumsSpilled(t *testing.T) {
	defer func(n int) { monthSpill = n }(monthSpill)
	monthSpill = 3
	t.Run("rollup", TestRollupMatchesFacts)
	t.Run("sums", TestCampaignSumsOverWholeMonthsAndDays)
}

// TestSpilledImportMatchesFacts imports, in one file, more rows than one
// batch holds over months that span the batches, with the sums spilled
// every few campaign-months: the monthly sums must equal the facts'.
func TestSpilledImportMatchesFacts(t *testing.T) {
	defer func(n int) { monthSpill = n }(monthSpill)
	monthSpill = 3
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		var rows []AdRow
		for d := range 120 {
			for c := range 7 {
				r := AdRow{Date: day("2026-07-20").AddDate(0, 0, d), Platform: []string{"meta", "google_ads"}[c%2], Campaign: fmt.Sprintf("C%d", c),
					Spend: float64(1 + (d*3+c)%17), Revenue: float64(2 + (d+c*5)%23), Impressions: 100, Clicks: 3}
				if (d+c)%4 == 0 {
					r.StoreVisits = sql.NullFloat64{Float64: 2, Valid: true}
				}
				rows = append(rows, r)
			}
		}
		ingestAds(t, st, rows...)
		const facts = `SELECT month, campaign_id, SUM(spend), SUM(revenue), SUM(store_visits), SUM(CASE WHEN store_visits IS NOT NULL THEN spend END) FROM ad_facts GROUP BY month, campaign_id ORDER BY 1, 2`
		const monthly = `SELECT month, campaign_id, spend, revenue, store_visits, store_visit_spend FROM ad_campaign_monthly ORDER BY 1, 2`
		read := func(q string) string {
			rs, err := st.db.Queryx(q)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			var out []string
			for rs.Next() {
				vals, err := rs.SliceScan()
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprint(vals...))
			}
			return fmt.Sprint(len(out), out)
		}
		if w, g := read(facts), read(monthly); w != g {
			t.Fatalf("monthly sums drifted from the facts:\nfacts:   %s\nmonthly: %s", w, g)
		}
	})
}
