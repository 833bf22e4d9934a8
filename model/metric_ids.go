package model

// MetricID names a metric in the registry. Every metric id in code is one of
// the constants below; text from users and files becomes a MetricID only
// through the registry (LookupMetric, MetricSynonyms).
type MetricID string

// The registry's metrics.
const (
	Spend               MetricID = "spend"
	Impressions         MetricID = "impressions"
	Clicks              MetricID = "clicks"
	Conversions         MetricID = "conversions"
	Revenue             MetricID = "revenue"
	CTR                 MetricID = "ctr"
	CPC                 MetricID = "cpc"
	CPM                 MetricID = "cpm"
	CVR                 MetricID = "cvr"
	CPA                 MetricID = "cpa"
	ROAS                MetricID = "roas"
	AOV                 MetricID = "aov"
	NewCustomers        MetricID = "new_customers"
	CAC                 MetricID = "cac"
	MER                 MetricID = "mer"
	PaybackMonths       MetricID = "payback_months"
	GrossProfitPerOrder MetricID = "gross_profit_per_order"
	StoreVisits         MetricID = "store_visits"
	CostPerStoreVisit   MetricID = "cost_per_store_visit"
	Engagements         MetricID = "engagements"
	EngagementRate      MetricID = "engagement_rate"
	VideoViews          MetricID = "video_views"
	BusinessRevenue     MetricID = "business_revenue"
	Orders              MetricID = "orders"
	Budget              MetricID = "budget"
	Pacing              MetricID = "pacing"
	BrandLift           MetricID = "brand_lift"
	IROAS               MetricID = "iroas"
	IncrementalRevenue  MetricID = "incremental_revenue"
	LiftPct             MetricID = "lift_pct"
	CalibratedROAS      MetricID = "calibrated_roas"
	MROAS               MetricID = "mroas"
	// The values of a budget plan's rows (see Metric.Plan).
	Move               MetricID = "move"
	ExpectedChangeLow  MetricID = "expected_change_low"
	ExpectedChangeHigh MetricID = "expected_change_high"
)

// FromEvidence reports whether a metric is read from incrementality
// evidence (tests and MMM results, Store.Experiments and Store.MMMResults)
// rather than summed from the daily facts.
func FromEvidence(id MetricID) bool {
	switch id {
	case IROAS, IncrementalRevenue, LiftPct, CalibratedROAS, MROAS:
		return true
	}
	return false
}

// MetricIDs converts names as given (a flag, a configuration file) into
// metric ids; whether each is in the registry is checked where it is used
// (LookupMetric, or the store's query validation).
func MetricIDs(names []string) []MetricID {
	out := make([]MetricID, len(names))
	for i, n := range names {
		out[i] = MetricID(n)
	}
	return out
}

// IsNeutral reports whether a change in the metric is neither good nor bad
// by itself: spend, budget and impressions move with plans, not results.
func IsNeutral(id MetricID) bool {
	return id == Spend || id == Budget || id == Impressions || id == Move
}
