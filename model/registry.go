package model

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Unit says how a metric's value reads.
type Unit string

// Units of metrics.
const (
	UnitCurrency Unit = "currency"
	UnitPercent  Unit = "percent" // stored as a fraction: 0.0123 is 1.23%
	UnitCount    Unit = "count"
	UnitRatio    Unit = "ratio" // 3.21x
	UnitMonths   Unit = "months"
)

// Audience is a group of readers whose interests shape answers and digests.
type Audience string

// The audiences sowhat writes for.
const (
	AudienceCFO           Audience = "cfo"
	AudienceCMO           Audience = "cmo"
	AudienceCEO           Audience = "ceo"
	AudienceStores        Audience = "stores"
	AudienceMerchandising Audience = "merchandising"
	AudienceTeam          Audience = "team"
)

// Audiences lists every audience.
var Audiences = []Audience{AudienceCFO, AudienceCMO, AudienceCEO, AudienceStores, AudienceMerchandising, AudienceTeam}

// Table is where a base measure is summed from.
type Table string

// The tables base measures come from.
const (
	TableAds      Table = "ads"
	TableBusiness Table = "business"
	TableBudget   Table = "budget"
)

// Measure is an additive sum every metric is computed from.
type Measure struct {
	ID    string
	Table Table
	// Expr is the SQL expression summed; for budgets, the pro-rated budget
	// is computed by the query layer instead.
	Expr string
}

// Measures lists every additive base sum.
var Measures = map[string]Measure{
	"spend":             {"spend", TableAds, "spend"},
	"impressions":       {"impressions", TableAds, "impressions"},
	"clicks":            {"clicks", TableAds, "clicks"},
	"conversions":       {"conversions", TableAds, "conversions"},
	"revenue":           {"revenue", TableAds, "revenue"},
	"store_visits":      {"store_visits", TableAds, "store_visits"},
	"engagements":       {"engagements", TableAds, "engagements"},
	"video_views":       {"video_views", TableAds, "video_views"},
	"ad_new_customers":  {"ad_new_customers", TableAds, "new_customers"},
	"business_revenue":  {"business_revenue", TableBusiness, "revenue"},
	"orders":            {"orders", TableBusiness, "orders"},
	"biz_new_customers": {"biz_new_customers", TableBusiness, "new_customers"},
	"gross_profit":      {"gross_profit", TableBusiness, "gross_profit"},
	"budget":            {"budget", TableBudget, "budget"},
	// Spend and impressions over only the rows that report the numerator, so
	// a rate is never diluted by platforms that do not measure it.
	"store_visit_spend":      {"store_visit_spend", TableAds, "CASE WHEN store_visits IS NOT NULL THEN spend END"},
	"engagement_impressions": {"engagement_impressions", TableAds, "CASE WHEN engagements IS NOT NULL THEN impressions END"},
	// Spend over only the rows that report new customers: a platform's CAC,
	// and the CAC of several platforms together, covers the spend that
	// could have brought the customers counted.
	"new_customer_spend": {"new_customer_spend", TableAds, "CASE WHEN new_customers IS NOT NULL THEN spend END"},
}

// Sums holds the base sums of one group. A missing or NULL sum is absent.
type Sums map[string]float64

// Context is what a formula may need besides the sums.
type Context struct {
	// ByAdDimension is true when the group is filtered or grouped by an
	// ad-only dimension (platform, campaign, ...): then "new customers" are
	// the platform-reported ones, not the business's.
	ByAdDimension bool
	// Days in the period, for formulas that need a period length.
	Days int
	// OrdersPerCustomerYear is the purchase frequency payback assumes.
	OrdersPerCustomerYear float64
}

// Metric is one metric, defined once.
type Metric struct {
	ID             MetricID
	Name           string
	Synonyms       []string // lower case phrases people use
	Unit           Unit
	HigherIsBetter bool
	Audiences      []Audience
	Formula        string // as printed in docs/metrics.md
	Description    string
	// Needs lists the base measures the metric is computed from.
	Needs func(c Context) []string
	// Eval computes the value from the sums; ok is false when undefined.
	Eval func(s Sums, c Context) (v float64, ok bool)
	// Ratio, for metrics that are one sum over another, names them; it lets
	// a change be split exactly into each group's contribution.
	Ratio func(c Context) (num, den string, scale float64, ok bool)
	// Plan marks the values of a budget plan's rows (the move, the
	// expected change): written by the budget answer from response curves,
	// never summed from the data, and not a phrase questions are read for.
	Plan bool
}

func sum(id string) func(Context) []string { return func(Context) []string { return []string{id} } }

func get(id string) func(Sums, Context) (float64, bool) {
	return func(s Sums, _ Context) (float64, bool) { v, ok := s[id]; return v, ok }
}

// ratio is a ratio of sums times scale, undefined on a zero or missing
// denominator.
func ratio(num, den string, scale float64) (func(Context) []string, func(Sums, Context) (float64, bool)) {
	return func(Context) []string { return []string{num, den} }, func(s Sums, _ Context) (float64, bool) {
		return DivideSums(s, num, den, scale)
	}
}

func DivideSums(s Sums, num, den string, scale float64) (float64, bool) {
	n, ok1 := s[num]
	d, ok2 := s[den]
	if !ok1 || !ok2 || d == 0 {
		return 0, false
	}
	v := n / d * scale
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// newCustomers is the business's count unless the group is about one part of
// the ad side (a platform, campaign ...), where it is the platform-reported
// count.
func newCustomers(c Context) string {
	if c.ByAdDimension {
		return "ad_new_customers"
	}
	return "biz_new_customers"
}

var all = []Audience{AudienceCFO, AudienceCMO, AudienceCEO, AudienceStores, AudienceMerchandising, AudienceTeam}

func m(id MetricID, name string, unit Unit, higher bool, aud []Audience, formula, desc string, syn ...string) Metric {
	return Metric{ID: id, Name: name, Unit: unit, HigherIsBetter: higher, Audiences: aud, Formula: formula, Description: desc, Synonyms: syn}
}

func withSum(mt Metric, id string) Metric { mt.Needs, mt.Eval = sum(id), get(id); return mt }

func withRatio(mt Metric, num, den string, scale float64) Metric {
	mt.Needs, mt.Eval = ratio(num, den, scale)
	mt.Ratio = func(Context) (string, string, float64, bool) { return num, den, scale, true }
	return mt
}

var (
	cfo, cmo, ceo, stores, merch, team = AudienceCFO, AudienceCMO, AudienceCEO, AudienceStores, AudienceMerchandising, AudienceTeam
)

// registry lists every metric in display order. It is the single source of
// truth for definitions: the query layer, the question parser and
// docs/metrics.md all read it, through LookupMetric and Metrics. It is made
// on first use rather than as the package starts: making it allocates every
// metric's synonyms and formulas, which a command that reads no metric does
// without.
var registry = sync.OnceValue(func() []Metric {
	return []Metric{
		withSum(m(Spend, "Spend", UnitCurrency, false, all, "sum(spend)", "Media cost reported by the ad platforms.", "spend", "spent", "spending", "cost", "costs", "ad spend", "media spend", "investment", "spnd", "spend amount", "amount spent"), "spend"),
		withSum(m(Impressions, "Impressions", UnitCount, true, []Audience{cmo, team}, "sum(impressions)", "Times an ad was shown.", "impressions", "impression", "impr", "imps", "impresions"), "impressions"),
		withSum(m(Clicks, "Clicks", UnitCount, true, []Audience{team, cmo}, "sum(clicks)", "Clicks to the site (Meta: link clicks).", "clicks", "click", "link clicks", "traffic"), "clicks"),
		withSum(m(Conversions, "Conversions", UnitCount, true, []Audience{team, cmo, cfo}, "sum(conversions)", "Platform-attributed conversions (Meta: purchases).", "conversions", "conversion", "convs", "conv", "purchases", "sales count", "acquisitions"), "conversions"),
		withSum(m(Revenue, "Attributed revenue", UnitCurrency, true, []Audience{ceo, cfo, team, merch}, "sum(revenue)", "Conversion value the platforms attribute to their ads.", "revenue", "attributed revenue", "platform revenue", "conversion value", "conv value", "attributed sales", "ad revenue", "rev", "purchase value"), "revenue"),
		withRatio(m(CTR, "CTR", UnitPercent, true, []Audience{cmo, team}, "clicks / impressions", "Click-through rate.", "ctr", "click through rate", "click-through rate", "clickthrough rate", "click rate"), "clicks", "impressions", 1),
		withRatio(m(CPC, "CPC", UnitCurrency, false, []Audience{team}, "spend / clicks", "Cost per click.", "cpc", "cost per click", "cost-per-click"), "spend", "clicks", 1),
		withRatio(m(CPM, "CPM", UnitCurrency, false, []Audience{cmo, team}, "spend / impressions × 1000", "Cost per thousand impressions.", "cpm", "cost per thousand", "cost per mille", "cost per 1000 impressions"), "spend", "impressions", 1000),
		withRatio(m(CVR, "Conversion rate", UnitPercent, true, []Audience{team, cmo}, "conversions / clicks", "Share of clicks that convert.", "cvr", "conversion rate", "conv rate", "conversion %"), "conversions", "clicks", 1),
		withRatio(m(CPA, "CPA", UnitCurrency, false, []Audience{team, cfo, cmo}, "spend / conversions", "Cost per platform-attributed conversion.", "cpa", "cost per acquisition", "cost per conversion", "cost per purchase", "cost per order", "cost per action", "cost-per-acquisition"), "spend", "conversions", 1),
		withRatio(m(ROAS, "ROAS", UnitRatio, true, []Audience{cfo, cmo, ceo, merch, team}, "revenue / spend", "Return on ad spend: platform-attributed revenue per dollar of spend.", "roas", "return on ad spend", "return on adspend", "return on advertising spend", "ad return"), "revenue", "spend", 1),
		withRatio(m(AOV, "Average order value", UnitCurrency, true, []Audience{ceo, merch}, "business_revenue / orders", "Business revenue per order (first-party data).", "aov", "average order value", "avg order value", "basket size", "order value"), "business_revenue", "orders", 1),
		newCustomersMetric(),
		cacMetric(),
		withRatio(m(MER, "MER", UnitRatio, true, []Audience{cfo, ceo}, "business_revenue / spend", "Marketing efficiency ratio: all business revenue per dollar of ad spend (blended, not attributed).", "mer", "marketing efficiency ratio", "marketing efficiency", "blended roas"), "business_revenue", "spend", 1),
		paybackMetric(),
		withRatio(m(GrossProfitPerOrder, "Gross profit per order", UnitCurrency, true, []Audience{cfo}, "business.gross_profit / business.orders",
			"First-party gross profit per order: with CAC, what CAC payback rests on; when it falls, payback lengthens at the same CAC (a margin squeeze).",
			"gross profit per order", "profit per order", "margin per order", "gross margin per order", "gp per order"), "gross_profit", "orders", 1),
		withSum(m(StoreVisits, "Store visits", UnitCount, true, []Audience{stores, ceo}, "sum(store_visits)", "Store visits the platforms attribute to their ads (where reported).", "store visits", "store visit", "foot traffic", "visits to stores", "in-store visits", "instore visits", "store traffic"), "store_visits"),
		withRatio(m(CostPerStoreVisit, "Cost per store visit", UnitCurrency, false, []Audience{stores}, "spend / store_visits", "Spend per attributed store visit. Spend counts only rows that report store visits.", "cost per store visit", "cost per visit", "cost per store visits", "store visit cost"), "store_visit_spend", "store_visits", 1),
		withSum(m(Engagements, "Engagements", UnitCount, true, []Audience{cmo}, "sum(engagements)", "Post engagements: reactions, comments, shares, saves (where reported).", "engagements", "engagement", "interactions", "post engagements"), "engagements"),
		withRatio(m(EngagementRate, "Engagement rate", UnitPercent, true, []Audience{cmo}, "engagements / impressions", "Engagements per impression, over rows that report engagements.", "engagement rate", "eng rate", "engagement %"), "engagements", "engagement_impressions", 1),
		withSum(m(VideoViews, "Video views", UnitCount, true, []Audience{cmo}, "sum(video_views)", "Video views (ThruPlays, 2-second views, completed CTV views, as each platform counts them).", "video views", "views", "video plays", "thruplays"), "video_views"),
		withSum(m(BusinessRevenue, "Business revenue", UnitCurrency, true, []Audience{ceo, cfo, stores}, "sum(business.revenue)", "First-party revenue from all channels (online and store), attributed or not.", "business revenue", "total revenue", "sales", "top line", "topline", "top-line revenue", "company revenue", "net sales", "total sales", "store sales", "online sales", "ecommerce revenue"), "business_revenue"),
		withSum(m(Orders, "Orders", UnitCount, true, []Audience{ceo, merch, stores}, "sum(business.orders)", "First-party orders, online and in store.", "orders", "order count", "transactions", "number of orders"), "orders"),
		budgetMetric(),
		pacingMetric(),
		brandLiftMetric(),
		evidenceMetric(m(IROAS, "Incremental ROAS", UnitRatio, true, []Audience{cfo, cmo, ceo, team},
			"test incremental_outcome / test_spend (revenue tests)",
			"Incremental return on ad spend: the revenue an incrementality test (geo holdout, conversion lift) credits to the ads per dollar of test spend, with the test's interval. What the platform reports is attribution; this is what would not have happened without the ads. A test is significant when its file says so, else when its p-value is below 0.05, else when its interval is above zero; a test that ended more than 365 days before is stale.",
			"incremental roas", "iroas", "incremental return on ad spend", "incremental return", "incrementality", "incremental", "incrementally", "incremental lift", "causal lift", "geo test", "geo tests", "geo testing", "geo experiment", "geo experiments", "geo lift", "geo holdout", "geo holdouts", "holdout", "holdouts", "holdout test", "holdout tests", "holdout group", "conversion lift", "conversion lift study", "lift test", "lift tests", "matched market", "matched markets", "matched market test", "counterfactual", "incrementality test", "incrementality tests", "incremental conversions",
			"test result", "test results", "test show", "test showed", "test shows", "test say", "test said", "test says")),
		evidenceMetric(m(IncrementalRevenue, "Incremental revenue", UnitCurrency, true, []Audience{cfo, ceo},
			"platform-reported revenue × test iroas / platform-reported roas over the test window",
			"The part of a platform's reported revenue its latest significant revenue test says is incremental: reported revenue times the ratio of the test's iROAS to the ROAS the platform reported over the test's own days. An estimate, resting on one named test.",
			"incremental revenue", "incremental sales", "revenue that is incremental", "incremental share")),
		evidenceMetric(m(LiftPct, "Incremental lift", UnitPercent, true, []Audience{cmo, team},
			"test incremental_outcome / baseline outcome",
			"The lift a test measured: the incremental outcome over what the control (baseline) would have had, as a fraction; 0.068 is +6.8%.",
			"sales lift", "revenue lift", "incremental lift pct", "lift pct")),
		evidenceMetric(m(CalibratedROAS, "Calibrated ROAS", UnitRatio, true, []Audience{cfo, cmo, ceo},
			"platform-reported roas × (test iroas / platform-reported roas over the test window)",
			"Platform-reported ROAS scaled by how far the platform's own reporting over- or understated its latest significant revenue test: an estimate, always shown with the test it rests on.",
			"calibrated roas", "adjusted roas", "true roas", "real roas", "calibrated return on ad spend")),
		evidenceMetric(m(MROAS, "Marginal ROAS", UnitRatio, true, []Audience{cfo, cmo, team},
			"d(outcome) / d(spend) at current spend",
			"Marginal return on ad spend: the outcome of the next dollar at the current spend, from a response curve (an MMM's marginal ROI, or a curve fitted to the spend history). Below 1.0x the next dollar returns less than it costs, even when the average ROAS looks healthy.",
			"mroas", "marginal roas", "mroi", "marginal roi", "marginal return", "marginal return on ad spend", "next dollar",
			"mmm", "media mix model", "media mix modeling", "media mix modelling", "marketing mix model", "marketing mix modeling",
			"marketing mix modelling", "mix model")),
		planMetric(m(Move, "Budget move", UnitCurrency, false, []Audience{cfo, cmo, team}, "planned spend - current spend, over the planning period",
			"The change a budget plan makes to a platform's spend over the planning period; in a reallocation the moves sum to zero.")),
		planMetric(m(ExpectedChangeLow, "Expected change (low)", UnitCurrency, true, []Audience{cfo, cmo, team}, "5th percentile of the bootstrap of response(planned) - response(current)",
			"The low end of the change in outcome a budget plan is expected to make over the planning period, from a fixed-seed bootstrap of the response curves.")),
		planMetric(m(ExpectedChangeHigh, "Expected change (high)", UnitCurrency, true, []Audience{cfo, cmo, team}, "95th percentile of the bootstrap of response(planned) - response(current)",
			"The high end of the change in outcome a budget plan is expected to make over the planning period, from a fixed-seed bootstrap of the response curves.")),
	}
})

// planMetric is one of a budget plan's values, written from fitted
// response curves, not summed over days (see Metric.Plan).
func planMetric(mt Metric) Metric {
	mt = evidenceMetric(mt)
	mt.Plan = true
	return mt
}

// evidenceMetric is a metric read from incrementality evidence (tests and
// MMM results), not summed over days: the query layer has no sums for it.
func evidenceMetric(mt Metric) Metric {
	mt.Needs = func(Context) []string { return nil }
	mt.Eval = func(Sums, Context) (float64, bool) { return 0, false }
	return mt
}

// brandLiftMetric names the result of brand-lift studies. It is read from the
// studies themselves (Store.BrandLift), not summed over days.
func brandLiftMetric() Metric {
	mt := m(BrandLift, "Brand lift", UnitPercent, true, []Audience{cmo, ceo},
		"relative lift reported by the study (exposed vs control)",
		"Relative lift in a brand metric (ad recall, awareness, consideration ...) measured by a platform's brand-lift study; 0.074 is +7.4%. Not additive: each study stands alone.",
		"brand lift", "lift", "lift study", "lift studies", "brand lift studies", "ad recall", "awareness lift", "brand awareness", "recall lift", "consideration lift")
	return evidenceMetric(mt)
}

func newCustomersMetric() Metric {
	mt := m(NewCustomers, "New customers", UnitCount, true, []Audience{cfo, ceo, cmo}, "sum(business.new_customers); by platform or campaign: sum(platform-reported new_customers)",
		"First-time customers. Blended, it is the business's count; for a platform or campaign it is what that platform reports.",
		"new customers", "new customer", "customer acquisitions", "new buyers", "customers acquired", "acquired customers", "first time customers", "ncs")
	mt.Needs = func(c Context) []string { return []string{newCustomers(c)} }
	mt.Eval = func(s Sums, c Context) (float64, bool) { v, ok := s[newCustomers(c)]; return v, ok }
	return mt
}

// cacSpend is the spend CAC divides: all of it, blended; by platform or
// campaign, only the spend of the rows that report new customers, so a CAC
// over several platforms covers the same platforms in both its parts.
func cacSpend(c Context) string {
	if c.ByAdDimension {
		return "new_customer_spend"
	}
	return "spend"
}

func cacMetric() Metric {
	mt := m(CAC, "CAC", UnitCurrency, false, []Audience{cfo, ceo}, "spend / business.new_customers; by platform or campaign: spend of the rows that report new customers / platform-reported new_customers",
		"Customer acquisition cost. Blended paid CAC divides all ad spend by the business's new customers; for a platform or campaign it divides the spend of the rows that report new customers by the new customers they report, so platforms that report none are left out of both parts.",
		"cac", "customer acquisition cost", "acquisition cost", "cost per new customer", "cost per customer", "cost to acquire", "blended cac", "paid cac")
	mt.Needs = func(c Context) []string { return []string{cacSpend(c), newCustomers(c)} }
	mt.Eval = func(s Sums, c Context) (float64, bool) { return DivideSums(s, cacSpend(c), newCustomers(c), 1) }
	mt.Ratio = func(c Context) (string, string, float64, bool) { return cacSpend(c), newCustomers(c), 1, true }
	return mt
}

// DefaultOrdersPerCustomerYear is the purchase frequency payback assumes when
// none is configured: a typical multi-channel retailer's repeat rate.
const DefaultOrdersPerCustomerYear = 4.0

func paybackMetric() Metric {
	mt := m(PaybackMonths, "CAC payback", UnitMonths, false, []Audience{cfo},
		"cac / (gross_profit / orders × orders_per_customer_year / 12)",
		"Months of gross profit from a new customer needed to earn back the blended CAC. A customer's monthly gross profit is the gross profit per order (first-party data) times how often a customer orders: orders_per_customer_year, a setting (PAYBACK_ORDERS_PER_CUSTOMER_YEAR, default 4) because the store has no customer-level purchase history. Blended only: business data has no platform.",
		"payback", "payback period", "cac payback", "payback months", "months to payback", "months to pay back", "pay back")
	mt.Needs = func(Context) []string { return []string{"spend", "biz_new_customers", "gross_profit", "orders"} }
	mt.Eval = func(s Sums, c Context) (float64, bool) {
		if c.ByAdDimension {
			return 0, false
		}
		cac, ok := DivideSums(s, "spend", "biz_new_customers", 1)
		if !ok {
			return 0, false
		}
		perOrder, ok := DivideSums(s, "gross_profit", "orders", 1)
		freq := c.OrdersPerCustomerYear
		if freq <= 0 {
			freq = DefaultOrdersPerCustomerYear
		}
		if !ok || perOrder <= 0 {
			return 0, false
		}
		return cac / (perOrder * freq / 12), true
	}
	return mt
}

func budgetMetric() Metric {
	mt := m(Budget, "Budget", UnitCurrency, false, []Audience{cfo, team}, "sum(monthly budget × days of the month in the period / days in the month)",
		"Planned spend, pro-rated by day from monthly budgets. Platform budgets count; campaign budgets count only when a campaign is asked about.",
		"budget", "budgets", "plan", "planned spend", "media plan", "allocation")
	mt.Needs, mt.Eval = sum("budget"), get("budget")
	return mt
}

func pacingMetric() Metric {
	mt := m(Pacing, "Pacing", UnitPercent, false, []Audience{cfo, team}, "spend / budget",
		"Spend as a share of the pro-rated budget for the same days: 1.10 is 10% over plan.",
		"pacing", "pace", "budget pacing", "spend vs budget", "spend versus budget", "budget utilization", "burn rate", "on budget", "over budget", "under budget")
	mt.Needs, mt.Eval = ratio("spend", "budget", 1)
	mt.Ratio = func(Context) (string, string, float64, bool) { return "spend", "budget", 1, true }
	return mt
}

// metricByID indexes the registry by id, on first use.
var metricByID = sync.OnceValue(func() map[MetricID]*Metric {
	reg := registry()
	out := make(map[MetricID]*Metric, len(reg))
	for i := range reg {
		out[reg[i].ID] = &reg[i]
	}
	return out
})

// LookupMetric returns a copy of the metric with id: the registry itself
// cannot be changed by callers.
func LookupMetric(id MetricID) (Metric, bool) {
	mt, ok := metricByID()[id]
	if !ok {
		return Metric{}, false
	}
	return mt.copy(), true
}

// Metrics returns a copy of every metric, in display order.
func Metrics() []Metric {
	reg := registry()
	out := make([]Metric, len(reg))
	for i := range reg {
		out[i] = reg[i].copy()
	}
	return out
}

func (mt *Metric) copy() Metric {
	c := *mt
	c.Synonyms = append([]string(nil), mt.Synonyms...)
	c.Audiences = append([]Audience(nil), mt.Audiences...)
	return c
}

// MetricSynonyms returns every phrase that names a metric (ids, names and
// synonyms, lower case) with the metric id, longest phrase first, for
// scanning free text. The registry never changes, so the list is made once;
// each caller gets its own copy.
func MetricSynonyms() [][2]string { return slices.Clone(metricSynonyms()) }

var metricSynonyms = sync.OnceValue(func() [][2]string {
	seen := map[string]bool{}
	var out [][2]string
	add := func(p string, id MetricID) {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" || seen[p] {
			return
		}
		seen[p] = true
		out = append(out, [2]string{p, string(id)})
	}
	for _, mt := range registry() {
		if mt.Plan {
			continue
		}
		add(string(mt.ID), mt.ID)
		add(strings.ReplaceAll(string(mt.ID), "_", " "), mt.ID)
		add(mt.Name, mt.ID)
		for _, s := range mt.Synonyms {
			add(s, mt.ID)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i][0]) > len(out[j][0]) })
	return out
})

// IsBusinessMetric reports whether id is a metric answered from business
// data alone (FromBusiness), without copying it out of the registry.
func IsBusinessMetric(id MetricID) bool {
	mt, ok := metricByID()[id]
	return ok && mt.FromBusiness()
}

// FromBusiness reports whether a metric is answered from first-party business
// data alone (no ad spend involved).
func (mt Metric) FromBusiness() bool { return mt.FromBusinessIn(Context{}) }

// FromBusinessIn is FromBusiness for a query's context: new customers split
// by platform are what each platform reports, not the business's count.
func (mt Metric) FromBusinessIn(c Context) bool {
	for _, n := range mt.Needs(c) {
		if Measures[n].Table != TableBusiness {
			return false
		}
	}
	return true
}

// RestsOnBusinessIn reports whether any part of a metric, in a query's
// context, is first-party business data: blended CAC and MER do, CAC by
// platform (the platforms' own counts) does not. No campaign owns the move
// of such a figure, nor does a split by an ad dimension add up to it.
func (mt Metric) RestsOnBusinessIn(c Context) bool {
	if mt.Needs == nil {
		return false
	}
	for _, n := range mt.Needs(c) {
		if Measures[n].Table == TableBusiness {
			return true
		}
	}
	return false
}

// Validate checks the registry's internal consistency.
func validateRegistry() error {
	for _, mt := range registry() {
		for _, c := range []Context{{}, {ByAdDimension: true, Days: 30}} {
			for _, n := range mt.Needs(c) {
				if _, ok := Measures[n]; !ok {
					return fmt.Errorf("metric %s needs unknown measure %s", mt.ID, n)
				}
			}
		}
	}
	return nil
}
