package model

import (
	"math"
	"testing"
)

func TestRegistryIsConsistent(t *testing.T) {
	if err := validateRegistry(); err != nil {
		t.Fatal(err)
	}
	required := []string{"spend", "impressions", "clicks", "conversions", "revenue", "ctr", "cpc", "cpm", "cvr", "cpa", "roas", "aov", "new_customers", "cac", "mer", "payback_months", "store_visits", "cost_per_store_visit", "engagements", "engagement_rate", "video_views", "business_revenue", "orders", "budget", "pacing"}
	for _, id := range required {
		mt, ok := LookupMetric(MetricID(id))
		if !ok {
			t.Errorf("metric %s missing", id)
			continue
		}
		if mt.Name == "" || mt.Formula == "" || mt.Unit == "" || len(mt.Audiences) == 0 || mt.Description == "" {
			t.Errorf("metric %s is not fully defined: %+v", id, mt)
		}
	}
	seen := map[string]string{}
	for _, p := range MetricSynonyms() {
		if other, ok := seen[p[0]]; ok && other != p[1] {
			t.Errorf("phrase %q names both %s and %s", p[0], other, p[1])
		}
		seen[p[0]] = p[1]
	}
}

func TestMetricFormulas(t *testing.T) {
	full := Sums{"spend": 1000, "impressions": 200000, "clicks": 4000, "conversions": 50, "revenue": 4500,
		"business_revenue": 12000, "orders": 150, "biz_new_customers": 40, "ad_new_customers": 10, "gross_profit": 4800,
		"store_visits": 80, "store_visit_spend": 400, "new_customer_spend": 600, "engagements": 3000, "engagement_impressions": 100000, "video_views": 900, "budget": 800}
	blended := Context{Days: 30}
	platform := Context{Days: 30, ByAdDimension: true}
	tests := []struct {
		metric MetricID
		sums   Sums
		ctx    Context
		want   float64
		ok     bool
	}{
		{Spend, full, blended, 1000, true},
		{CTR, full, blended, 0.02, true},
		{CTR, Sums{"clicks": 5, "impressions": 0}, blended, 0, false},
		{CPC, full, blended, 0.25, true},
		{CPC, Sums{"spend": 5, "clicks": 0}, blended, 0, false},
		{CPM, full, blended, 5, true},
		{CPM, Sums{"spend": 5}, blended, 0, false},
		{CVR, full, blended, 0.0125, true},
		{CVR, Sums{"conversions": 0, "clicks": 0}, blended, 0, false},
		{CPA, full, blended, 20, true},
		{CPA, Sums{"spend": 100, "conversions": 0}, blended, 0, false},
		{ROAS, full, blended, 4.5, true},
		{ROAS, Sums{"revenue": 10, "spend": 0}, blended, 0, false},
		{AOV, full, blended, 80, true},
		{AOV, Sums{"business_revenue": 10, "orders": 0}, blended, 0, false},
		{NewCustomers, full, blended, 40, true},
		{NewCustomers, full, platform, 10, true},
		{CAC, full, blended, 25, true},
		{CAC, full, platform, 60, true}, // only the spend of the rows that report new customers
		{CAC, Sums{"spend": 10, "biz_new_customers": 0}, blended, 0, false},
		{CAC, Sums{"spend": 10}, platform, 0, false}, // platform reports no new customers
		{CAC, Sums{"spend": 10, "new_customer_spend": 0, "ad_new_customers": 0}, platform, 0, false},
		{MER, full, blended, 12, true},
		{MER, Sums{"business_revenue": 10, "spend": 0}, blended, 0, false},
		// CAC 25; gross profit per order 32, four orders a year by default.
		{PaybackMonths, full, blended, 25 / (4800.0 / 150 * 4 / 12), true},
		{PaybackMonths, full, Context{Days: 30, OrdersPerCustomerYear: 12}, 25 / (4800.0 / 150), true},
		{PaybackMonths, full, platform, 0, false},
		{PaybackMonths, Sums{"spend": 10, "biz_new_customers": 2, "orders": 5}, blended, 0, false}, // no gross profit
		{StoreVisits, full, blended, 80, true},
		{StoreVisits, Sums{"spend": 10}, blended, 0, false},
		{CostPerStoreVisit, full, blended, 5, true},
		{CostPerStoreVisit, Sums{"store_visit_spend": 5, "store_visits": 0}, blended, 0, false},
		{Engagements, full, blended, 3000, true},
		{EngagementRate, full, blended, 0.03, true},
		{EngagementRate, Sums{"engagements": 3}, blended, 0, false},
		{VideoViews, full, blended, 900, true},
		{BusinessRevenue, full, blended, 12000, true},
		{Orders, full, blended, 150, true},
		{Budget, full, blended, 800, true},
		{Pacing, full, blended, 1.25, true},
		{Pacing, Sums{"spend": 10, "budget": 0}, blended, 0, false},
		{Pacing, Sums{"spend": 10}, blended, 0, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.metric), func(t *testing.T) {
			mt, ok := LookupMetric(tt.metric)
			if !ok {
				t.Fatalf("no metric %s", tt.metric)
			}
			got, ok := mt.Eval(tt.sums, tt.ctx)
			if ok != tt.ok {
				t.Fatalf("%s ok = %v, want %v (value %v)", tt.metric, ok, tt.ok, got)
			}
			if ok && math.Abs(got-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) {
				t.Fatalf("%s = %v, want %v", tt.metric, got, tt.want)
			}
			if math.IsNaN(got) || math.IsInf(got, 0) {
				t.Fatalf("%s returned %v", tt.metric, got)
			}
		})
	}
}
