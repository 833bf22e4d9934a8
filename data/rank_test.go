package data

import (
	"database/sql"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// seedRanking writes 90 days of 60 campaigns on four platforms: names
// shared across platforms (one group by name), campaigns without a
// category, store visits and new customers reported by some platforms
// only, days of no spend, and ties.
func seedRanking(t *testing.T, st *Store) {
	t.Helper()
	var rows []AdRow
	plats := []string{"google_ads", "meta", "criteo", "the_trade_desk"}
	types := []string{"search", "shopping", "ctv", "store_traffic", "prospecting"}
	for c := range 60 {
		p := plats[c%4]
		name := fmt.Sprintf("Campaign %02d", c%45) // 15 names on two platforms
		for d := range 90 {
			f := float64((d*7+c*13)%17 + 1)
			r := AdRow{Date: day("2026-08-20").AddDate(0, 0, d), Platform: p, Campaign: name, CampaignType: types[c%5],
				Category: []string{"Home", "Toys", "", "Garden"}[c%4], Region: []string{"US-East", "US-West"}[c%2],
				Spend: 10 * f * float64(c%7+1), Impressions: 1000 * f, Clicks: 20 * f, Conversions: float64((d + c) % 4), Revenue: 31 * f * float64(c%5+1)}
			if c%9 == 0 {
				r.Spend, r.Revenue = 0, 0 // a campaign that ran without spend
			}
			if c%3 == 0 {
				r.StoreVisits = sql.NullFloat64{Float64: 2 * f, Valid: true}
				r.NewCustomers = sql.NullFloat64{Float64: f, Valid: true}
			}
			if c%11 == 0 {
				// identical figures: ties in every ratio
				r.Spend, r.Revenue, r.Clicks, r.Conversions = 100, 400, 50, 2
			}
			rows = append(rows, r)
		}
	}
	ingestAds(t, st, rows...)
}

// TestRankIsRun: a ranking read by columns has the groups Run returns for
// the same query, in the same order, with every value and the total the
// same to the last bit, on both databases; queries Rank hands to Run come
// back the same too.
func TestRankIsRun(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		seedRanking(t, st)
		months := period.Period{Start: day("2026-09-01"), End: day("2026-10-31")}
		span := period.Period{Start: day("2026-08-25"), End: day("2026-10-09")} // days, a whole month, days
		week := period.Period{Start: day("2026-10-05"), End: day("2026-10-11")}
		cmp := period.Period{Start: day("2026-09-28"), End: day("2026-10-04")}
		for _, q := range []Query{
			{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: months, GroupBy: []string{model.DimCampaign}, OrderBy: model.ROAS},
			{Metrics: []model.MetricID{model.CPA, model.Spend}, Period: span, GroupBy: []string{model.DimCampaign}, OrderBy: model.CPA, Ascending: true},
			{Metrics: []model.MetricID{model.Spend}, Period: week, GroupBy: []string{model.DimCampaign}},
			{Metrics: []model.MetricID{model.CTR, model.Spend}, Period: span, GroupBy: []string{model.DimCategory}, OrderBy: model.CTR},
			{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: span, GroupBy: []string{model.DimPlatform}, OrderBy: model.ROAS},
			{Metrics: []model.MetricID{model.CPC, model.Spend}, Period: months, GroupBy: []string{model.DimCampaignType}, OrderBy: model.CPC, Ascending: true},
			{Metrics: []model.MetricID{model.Conversions}, Period: span, GroupBy: []string{model.DimRegion}, Limit: 1},
			{Metrics: []model.MetricID{model.NewCustomers, model.Spend}, Period: months, GroupBy: []string{model.DimCampaign}, OrderBy: model.NewCustomers},
			{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: months, GroupBy: []string{model.DimCampaign}, OrderBy: model.ROAS,
				Filters: map[string][]string{model.DimPlatform: {"meta", "criteo"}}},
			{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: months, GroupBy: []string{model.DimCampaign}, OrderBy: model.ROAS,
				Filters: map[string][]string{model.DimCategory: {"Nowhere"}}},
			{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: period.Period{Start: day("2027-03-01"), End: day("2027-03-31")}, GroupBy: []string{model.DimCampaign}},
			// handed to Run: a comparison, a threshold, a business measure
			{Metrics: []model.MetricID{model.Spend}, Period: week, Compare: &cmp, GroupBy: []string{model.DimCampaign}},
			{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: months, GroupBy: []string{model.DimCampaign}, Having: []model.Threshold{{Metric: model.ROAS, Above: true, Value: 3}}},
			{Metrics: []model.MetricID{model.MER}, Period: months, GroupBy: []string{model.DimPlatform}},
		} {
			t.Run(fmt.Sprintf("%v by %v", q.Metrics, q.GroupBy), func(t *testing.T) {
				res, err := st.Run(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				rk, err := st.Rank(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				if rk.Len() != len(res.Rows) {
					t.Fatalf("Rank has %d groups, Run %d", rk.Len(), len(res.Rows))
				}
				for i, want := range res.Rows {
					got := rk.Row(i)
					if !sameRow(got, want) {
						t.Fatalf("group %d: Rank %v, Run %v", i, rowString(got), rowString(want))
					}
					if rk.Key(i) != want.Key[q.GroupBy[0]] {
						t.Fatalf("group %d: key %q, Run %q", i, rk.Key(i), want.Key[q.GroupBy[0]])
					}
					for _, m := range q.Metrics {
						if !sameValue(rk.Value(i, m), want.Values[m]) {
							t.Fatalf("group %d %s: Value differs from its row", i, m)
						}
					}
				}
				if !sameRow(rk.Total, res.Total) {
					t.Fatalf("total: Rank %v, Run %v", rowString(rk.Total), rowString(res.Total))
				}
				if !reflect.DeepEqual(rk.Inapplicable, res.Inapplicable) {
					t.Fatalf("inapplicable: Rank %v, Run %v", rk.Inapplicable, res.Inapplicable)
				}
			})
		}
	})
}

func sameValue(a, b *float64) bool {
	return a == nil && b == nil || a != nil && b != nil && math.Float64bits(*a) == math.Float64bits(*b)
}

// sameRow compares rows to the bit: keys, values and comparison values.
func sameRow(a, b model.Row) bool {
	if !reflect.DeepEqual(a.Key, b.Key) && (len(a.Key) > 0 || len(b.Key) > 0) || len(a.Values) != len(b.Values) || len(a.CompareValues) != len(b.CompareValues) {
		return false
	}
	for m, v := range b.Values {
		if w, ok := a.Values[m]; !ok || !sameValue(w, v) {
			return false
		}
	}
	for m, v := range b.CompareValues {
		if w, ok := a.CompareValues[m]; !ok || !sameValue(w, v) {
			return false
		}
	}
	return true
}

func rowString(r model.Row) string {
	s := fmt.Sprint(r.Key)
	for m, v := range r.Values {
		if v == nil {
			s += fmt.Sprintf(" %s=nil", m)
		} else {
			s += fmt.Sprintf(" %s=%v", m, *v)
		}
	}
	return s
}

// TestIDListsAreWrittenIn: a filter's ids go into the statement as
// constants, in order, and bind nothing (see builder.inIDs).
func TestIDListsAreWrittenIn(t *testing.T) {
	var b builder
	b.cond("day >= ?", 5)
	b.inIDs("campaign_id", []any{int64(30), int64(4), int64(12)})
	if got, want := b.where[1], "campaign_id IN (4, 12, 30)"; got != want {
		t.Fatalf("where %q, want %q", got, want)
	}
	if len(b.args) != 1 {
		t.Fatalf("args %v: the ids were bound", b.args)
	}
	var none builder
	none.inIDs("campaign_id", nil)
	if none.where[0] != "1 = 0" {
		t.Fatalf("no ids: %q", none.where[0])
	}
}
