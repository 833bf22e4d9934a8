package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"math"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// seed writes three platforms × two campaigns × 60 days with numbers that vary
// by day, so daily ratios differ and averages of ratios would be wrong.
func seed(t *testing.T, st *Store) {
	t.Helper()
	var rows []AdRow
	plats := []string{"google_ads", "meta", "criteo"}
	for pi, p := range plats {
		for ci, c := range []string{"Alpha", "Beta"} {
			for d := 0; d < 60; d++ {
				f := float64((d*7+pi*3+ci*5)%11 + 1)
				r := AdRow{Date: day("2026-09-01").AddDate(0, 0, d), Platform: p, Campaign: fmt.Sprintf("%s %s", p, c),
					Category: []string{"Home", "Toys"}[ci], CampaignType: "shopping",
					Spend: 100 * f, Impressions: 10000 + 500*f*f, Clicks: 200 + 13*f, Conversions: float64(d % 5), Revenue: 350 * f * float64(1+ci)}
				if p == "google_ads" {
					r.StoreVisits = sql.NullFloat64{Float64: 3 * f, Valid: true}
				}
				rows = append(rows, r)
			}
		}
	}
	ingestAds(t, st, rows...)
	_, err := st.Ingest(context.Background(), Source{File: "biz.csv", Kind: KindBusiness}, func(w *Writer) error {
		for d := 0; d < 60; d++ {
			for i, ch := range []string{"online", "store"} {
				if err := w.Business(BusinessRow{Date: day("2026-09-01").AddDate(0, 0, d), Channel: ch, Orders: float64(100 + d + i*50), Revenue: float64(9000 + 40*d + i*3000), NewCustomers: float64(20 + d%7), GrossProfit: sql.NullFloat64{Float64: float64(3000 + 10*d), Valid: true}}); err != nil {
					return err
				}
			}
		}
		for _, p := range plats {
			w.Budget(BudgetRow{Month: day("2026-09-01"), Platform: p, Budget: 30000})
			w.Budget(BudgetRow{Month: day("2026-10-01"), Platform: p, Budget: 31000})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sqlFloat(t *testing.T, st *Store, q string, args ...any) *float64 {
	t.Helper()
	var v sql.NullFloat64
	if err := st.db.QueryRow(st.db.Rebind(q), args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

func TestRunMatchesIndependentSQL(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		seed(t, st)
		ctx := context.Background()
		oct := period.Period{Start: day("2026-10-01"), End: day("2026-10-31")}
		sep := period.Period{Start: day("2026-09-01"), End: day("2026-09-30")}

		t.Run("total ratios are ratios of sums", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.ROAS, model.CPA, model.CTR, model.CPM, model.Spend}, Period: oct})
			if err != nil {
				t.Fatal(err)
			}
			checks := map[string]string{
				"roas":  `SELECT SUM(revenue)/SUM(spend) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`,
				"cpa":   `SELECT SUM(spend)/SUM(conversions) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`,
				"ctr":   `SELECT SUM(clicks)/SUM(impressions) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`,
				"cpm":   `SELECT SUM(spend)*1000.0/SUM(impressions) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`,
				"spend": `SELECT SUM(spend) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`,
			}
			for m, q := range checks {
				if want := sqlFloat(t, st, q); !near(res.Total.Values[model.MetricID(m)], want) {
					t.Errorf("%s = %s, want %s", m, show(res.Total.Values[model.MetricID(m)]), show(want))
				}
			}
			avgOfDaily := sqlFloat(t, st, `SELECT AVG(r) FROM (SELECT SUM(revenue)/SUM(spend) AS r FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY date) x`)
			if near(res.Total.Values[model.ROAS], avgOfDaily) {
				t.Errorf("roas equals the average of daily ratios; the test data should tell them apart")
			}
		})

		t.Run("by platform with comparison, ordered", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.CPA, model.Spend}, Period: oct, Compare: &sep, GroupBy: []string{model.DimPlatform}, OrderBy: model.CPA, Ascending: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != 3 {
				t.Fatalf("rows = %d, want 3", len(res.Rows))
			}
			for i, r := range res.Rows {
				p := r.Key[model.DimPlatform]
				want := sqlFloat(t, st, `SELECT SUM(spend)/SUM(conversions) FROM ad_daily WHERE platform = ? AND date BETWEEN '2026-10-01' AND '2026-10-31'`, p)
				wantCmp := sqlFloat(t, st, `SELECT SUM(spend)/SUM(conversions) FROM ad_daily WHERE platform = ? AND date BETWEEN '2026-09-01' AND '2026-09-30'`, p)
				if !near(r.Values[model.CPA], want) || !near(r.CompareValues[model.CPA], wantCmp) {
					t.Errorf("%s cpa = %s (vs %s), want %s (vs %s)", p, show(r.Values[model.CPA]), show(r.CompareValues[model.CPA]), show(want), show(wantCmp))
				}
				if i > 0 && *res.Rows[i-1].Values[model.CPA] > *r.Values[model.CPA] {
					t.Errorf("rows not in ascending cpa order")
				}
			}
		})

		t.Run("filters and weekly grouping", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.Spend, model.ROAS}, Period: oct, Filters: map[string][]string{model.DimPlatform: {"meta", "criteo"}, model.DimCategory: {"Toys"}}, GroupBy: []string{model.DimWeek}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != 5 || res.Rows[0].Key[model.DimWeek] != "2026-09-28" {
				t.Fatalf("weeks = %+v; want 5 Monday-keyed weeks from 2026-09-28", res.Rows)
			}
			for _, r := range res.Rows {
				want := sqlFloat(t, st, `SELECT SUM(spend) FROM ad_daily WHERE platform IN ('meta','criteo') AND category = 'Toys' AND date BETWEEN '2026-10-01' AND '2026-10-31' AND date >= ? AND date <= ?`, r.Key[model.DimWeek], day(r.Key[model.DimWeek]).AddDate(0, 0, 6).Format(period.DateLayout))
				if !near(r.Values[model.Spend], want) {
					t.Errorf("week %s spend = %s, want %s", r.Key[model.DimWeek], show(r.Values[model.Spend]), show(want))
				}
			}
		})

		t.Run("business metrics, blended cac and mer", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.CAC, model.MER, model.BusinessRevenue, model.NewCustomers}, Period: oct})
			if err != nil {
				t.Fatal(err)
			}
			spend := sqlFloat(t, st, `SELECT SUM(spend) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`)
			nc := sqlFloat(t, st, `SELECT SUM(new_customers) FROM business_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`)
			rev := sqlFloat(t, st, `SELECT SUM(revenue) FROM business_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`)
			if want := *spend / *nc; !near(res.Total.Values[model.CAC], &want) {
				t.Errorf("cac = %s, want %v", show(res.Total.Values[model.CAC]), want)
			}
			if want := *rev / *spend; !near(res.Total.Values[model.MER], &want) {
				t.Errorf("mer = %s, want %v", show(res.Total.Values[model.MER]), want)
			}
		})

		t.Run("business metrics by platform are undefined, not zero", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.Spend, model.MER}, Period: oct, GroupBy: []string{model.DimPlatform}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Inapplicable) != 1 || res.Inapplicable[0] != model.MER {
				t.Fatalf("Inapplicable = %v, want [mer]", res.Inapplicable)
			}
			for _, r := range res.Rows {
				if r.Values[model.MER] != nil {
					t.Errorf("%v mer = %v, want null", r.Key, *r.Values[model.MER])
				}
			}
		})

		t.Run("platform cac with no reported new customers is null", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.CAC}, Period: oct, Filters: map[string][]string{model.DimPlatform: {"meta"}}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total.Values[model.CAC] != nil {
				t.Fatalf("meta cac = %v, want null", *res.Total.Values[model.CAC])
			}
		})

		t.Run("budget pro-rated and pacing", func(t *testing.T) {
			p := period.Period{Start: day("2026-09-21"), End: day("2026-10-10")}
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.Budget, model.Pacing}, Period: p, GroupBy: []string{model.DimPlatform}})
			if err != nil {
				t.Fatal(err)
			}
			wantBudget := 30000.0*10/30 + 31000.0*10/31
			for _, r := range res.Rows {
				if !near(r.Values[model.Budget], &wantBudget) {
					t.Errorf("%v budget = %s, want %v", r.Key, show(r.Values[model.Budget]), wantBudget)
				}
				spend := sqlFloat(t, st, `SELECT SUM(spend) FROM ad_daily WHERE platform = ? AND date BETWEEN '2026-09-21' AND '2026-10-10'`, r.Key[model.DimPlatform])
				if want := *spend / wantBudget; !near(r.Values[model.Pacing], &want) {
					t.Errorf("%v pacing = %s, want %v", r.Key, show(r.Values[model.Pacing]), want)
				}
			}
		})

		t.Run("store visits only where reported", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.StoreVisits, model.CostPerStoreVisit}, Period: oct, GroupBy: []string{model.DimPlatform}})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Rows {
				if r.Key[model.DimPlatform] == "google_ads" {
					want := sqlFloat(t, st, `SELECT SUM(spend)/SUM(store_visits) FROM ad_daily WHERE platform='google_ads' AND date BETWEEN '2026-10-01' AND '2026-10-31'`)
					if !near(r.Values[model.CostPerStoreVisit], want) {
						t.Errorf("google cost per store visit = %s, want %s", show(r.Values[model.CostPerStoreVisit]), show(want))
					}
				} else if r.Values[model.StoreVisits] != nil || r.Values[model.CostPerStoreVisit] != nil {
					t.Errorf("%s reports no store visits but got %s / %s", r.Key[model.DimPlatform], show(r.Values[model.StoreVisits]), show(r.Values[model.CostPerStoreVisit]))
				}
			}
		})

		t.Run("top N with limit keeps the total over all rows", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.Revenue}, Period: oct, GroupBy: []string{model.DimCampaign}, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != 2 {
				t.Fatalf("rows = %d, want 2", len(res.Rows))
			}
			top := sqlFloat(t, st, `SELECT MAX(r) FROM (SELECT SUM(revenue) AS r FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY campaign) x`)
			all := sqlFloat(t, st, `SELECT SUM(revenue) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`)
			if !near(res.Rows[0].Values[model.Revenue], top) || !near(res.Total.Values[model.Revenue], all) {
				t.Errorf("top = %s total = %s; want %s and %s", show(res.Rows[0].Values[model.Revenue]), show(res.Total.Values[model.Revenue]), show(top), show(all))
			}
		})

		t.Run("no data is no rows and null values", func(t *testing.T) {
			res, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.Spend, model.ROAS}, Period: period.Period{Start: day("2025-01-01"), End: day("2025-01-31")}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != 0 || res.Total.Values[model.Spend] != nil || res.Total.Values[model.ROAS] != nil {
				t.Fatalf("empty period: %+v", res)
			}
		})
	})
}

func TestRunRejectsBadQueries(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		oct := period.Period{Start: day("2026-10-01"), End: day("2026-10-31")}
		for name, q := range map[string]Query{
			"no metric":      {Period: oct},
			"unknown metric": {Metrics: []model.MetricID{"spend; DROP TABLE ad_daily"}, Period: oct},
			"bad dimension":  {Metrics: []model.MetricID{model.Spend}, Period: oct, GroupBy: []string{"platform; --"}},
			"bad filter":     {Metrics: []model.MetricID{model.Spend}, Period: oct, Filters: map[string][]string{"1=1 OR platform": {"x"}}},
			"empty period":   {Metrics: []model.MetricID{model.Spend}, Period: period.Period{Start: day("2026-10-31"), End: day("2026-10-01")}},
			"order by other": {Metrics: []model.MetricID{model.Spend}, Period: oct, OrderBy: model.ROAS},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := st.Run(context.Background(), q); !errors.Is(err, ErrBadQuery) {
					t.Fatalf("err = %v, want ErrBadQuery", err)
				}
			})
		}
	})
}

func TestFilterValuesAreArguments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		seed(t, st)
		res, err := st.Run(context.Background(), Query{Metrics: []model.MetricID{model.Spend}, Period: period.Period{Start: day("2026-09-01"), End: day("2026-10-31")},
			Filters: map[string][]string{model.DimCampaign: {"x' OR '1'='1"}}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total.Values[model.Spend] != nil {
			t.Fatalf("an injected filter matched rows: spend %v", *res.Total.Values[model.Spend])
		}
	})
}

func TestDriversSumToTheChange(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		seed(t, st)
		ctx := context.Background()
		q := Query{Metrics: []model.MetricID{model.CPA}, Period: period.Period{Start: day("2026-10-19"), End: day("2026-10-25")}, Compare: &period.Period{Start: day("2026-10-12"), End: day("2026-10-18")}}
		for _, dim := range []string{model.DimPlatform, model.DimCampaign, model.DimCategory} {
			for _, m := range []string{"cpa", "spend", "roas"} {
				cs, err := st.Drivers(ctx, q, model.MetricID(m), dim)
				if err != nil {
					t.Fatal(err)
				}
				r, err := st.Run(ctx, Query{Metrics: []model.MetricID{model.MetricID(m)}, Period: q.Period, Compare: q.Compare})
				if err != nil {
					t.Fatal(err)
				}
				want := *r.Total.Values[model.MetricID(m)] - *r.Total.CompareValues[model.MetricID(m)]
				got := 0.0
				for _, c := range cs {
					got += c.Delta
				}
				if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Errorf("%s by %s: contributions sum to %v, change is %v", m, dim, got, want)
				}
				for i := 1; i < len(cs); i++ {
					if want > 0 && cs[i].Delta > cs[i-1].Delta || want < 0 && cs[i].Delta < cs[i-1].Delta {
						t.Errorf("%s by %s: not ordered by contribution: %+v", m, dim, cs)
						break
					}
				}
			}
		}
	})
}

func TestDriversRefuseBlendedBusinessMetricsByAdDimension(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		seed(t, st)
		q := Query{Metrics: []model.MetricID{model.CAC}, Period: period.Period{Start: day("2026-10-19"), End: day("2026-10-25")}, Compare: &period.Period{Start: day("2026-10-12"), End: day("2026-10-18")}}
		for _, m := range []string{"cac", "mer", "payback_months"} {
			cs, err := st.Drivers(context.Background(), q, model.MetricID(m), model.DimCampaign)
			if err != nil || cs != nil {
				t.Errorf("%s by campaign: %v, %v; want no split", m, cs, err)
			}
		}
	})
}

func TestHavingFiltersRowsNotTheTotal(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		seed(t, st)
		oct := period.Period{Start: day("2026-10-01"), End: day("2026-10-31")}
		all, err := st.Run(context.Background(), Query{Metrics: []model.MetricID{model.ROAS}, Period: oct, GroupBy: []string{model.DimCampaign}})
		if err != nil {
			t.Fatal(err)
		}
		cut := *all.Rows[len(all.Rows)/2].Values[model.ROAS]
		res, err := st.Run(context.Background(), Query{Metrics: []model.MetricID{model.ROAS}, Period: oct, GroupBy: []string{model.DimCampaign}, Having: []model.Threshold{{Metric: model.ROAS, Above: true, Value: cut}}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range all.Rows {
			if *r.Values[model.ROAS] > cut {
				n++
			}
		}
		if len(res.Rows) != n || n == 0 {
			t.Fatalf("%d rows past %v, want %d", len(res.Rows), cut, n)
		}
		for _, r := range res.Rows {
			if *r.Values[model.ROAS] <= cut {
				t.Errorf("%v roas %v not above %v", r.Key, *r.Values[model.ROAS], cut)
			}
		}
		if !near(res.Total.Values[model.ROAS], all.Total.Values[model.ROAS]) {
			t.Errorf("the threshold changed the total")
		}
		if _, err := st.Run(context.Background(), Query{Metrics: []model.MetricID{model.ROAS}, Period: oct, Having: []model.Threshold{{Metric: model.CPA, Above: true}}}); !errors.Is(err, ErrBadQuery) {
			t.Errorf("threshold on a metric not asked for: err = %v", err)
		}
	})
}

// TestRunRefusesMetricsNotSummed asks Run for figures that are not sums
// of daily data: each is refused with where it comes from instead.
func TestRunRefusesMetricsNotSummed(t *testing.T) {
	st := openDSN(t, t.TempDir()+"/s.db")
	p := period.Period{Start: day("2026-11-01"), End: day("2026-11-30")}
	for _, tt := range []struct {
		metric model.MetricID
		want   string
	}{
		{model.Move, "budget plan"},
		{model.ExpectedChangeHigh, "budget plan"},
		{model.IROAS, "incrementality tests"},
	} {
		_, err := st.Run(context.Background(), Query{Metrics: []model.MetricID{tt.metric}, Period: p})
		var ue *model.UserError
		if !errors.Is(err, ErrBadQuery) || !errors.As(err, &ue) || !strings.Contains(ue.Msg, tt.want) {
			t.Errorf("%s: %v, want a refusal naming %q", tt.metric, err, tt.want)
		}
	}
}

// TestDriversByColumnsAreBySums: Drivers' contributions summed by columns
// are those of the groups' maps of sums, to the last digit, for every
// dimension, with and without filters, on both databases.
func TestDriversByColumnsAreBySums(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		seed(t, st)
		// Groups of one period alone: a campaign new this week, one that
		// stopped the week before, and a category of each.
		ingestAds(t, st,
			AdRow{Date: day("2026-10-20"), Platform: "meta", Campaign: "Gamma", Category: "Garden", Spend: 40, Clicks: 9, Impressions: 900, Conversions: 2, Revenue: 90},
			AdRow{Date: day("2026-10-13"), Platform: "criteo", Campaign: "Delta", Category: "Books", Spend: 30, Clicks: 7, Impressions: 700, Conversions: 1, Revenue: 20},
		)
		ctx := context.Background()
		week := period.Period{Start: day("2026-10-19"), End: day("2026-10-25")}
		before := period.Period{Start: day("2026-10-12"), End: day("2026-10-18")}
		longer := period.Period{Start: day("2026-09-01"), End: day("2026-10-18")}
		for _, q := range []Query{
			{Period: week, Compare: &before},
			{Period: week, Compare: &longer},
			{Period: week, Compare: &before, Filters: map[string][]string{model.DimPlatform: {"meta"}}},
			{Period: week, Compare: &before, Filters: map[string][]string{model.DimCategory: {"Home"}}},
		} {
			for _, dim := range []string{model.DimPlatform, model.DimCampaign, model.DimCategory, model.DimCampaignType, model.DimRegion, model.DimAccount} {
				for _, m := range []string{"cpa", "spend", "roas", "ctr", "conversions", "revenue"} {
					want, err := st.drivers(ctx, q, model.MetricID(m), dim, false)
					if err != nil {
						t.Fatal(err)
					}
					got, err := st.drivers(ctx, q, model.MetricID(m), dim, true)
					if err != nil {
						t.Fatal(err)
					}
					if len(want) == 0 && dim == model.DimCampaign && len(q.Filters) == 0 && m == "spend" {
						t.Fatalf("%s by %s: no contributions to compare", m, dim)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s by %s, filters %v (-by sums +by columns):\n%s", m, dim, q.Filters, diff)
					}
				}
			}
		}
	})
}
