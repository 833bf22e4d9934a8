package reports

import (
	"sync"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// sectionKind says how a section reads its answer for the change line,
// highlights and charts.
type sectionKind int

const (
	kindChange         sectionKind = iota // a total now vs the comparison period
	kindBreakdown                         // by one dimension, each row with its change
	kindPacing                            // month-to-date spend vs budget by platform
	kindMovers                            // what drove the change (the why handler)
	kindTop                               // best or worst few (no audience uses it today)
	kindTrend                             // weekly points
	kindBrandLift                         // brand-lift studies
	kindZeroConv                          // campaigns spending with no conversions
	kindIncrementality                    // tested vs untested spend, calibrated ROAS: one line
	kindBudget                            // budget moves from the response curves
)

// periodChoice says which period a section covers.
type periodChoice int

const (
	periodDigest      periodChoice = iota // the digest's period and comparison
	periodYearAgo                         // the digest's period vs a year earlier
	periodMTD                             // month to date, no comparison (pacing)
	periodWeeks                           // the last 8 weeks, no comparison (trends)
	periodZeroConv                        // the last zeroConvDays days
	periodNoCompare                       // the digest's period, no comparison
	periodNextQuarter                     // the quarter after today, no comparison (plans)
)

// zeroConvDays is the window of the "no conversions" digest section.
const zeroConvDays = 3

// sectionSpec is one section of an audience's digest: the request it asks
// the engine, and how much it matters.
type sectionSpec struct {
	title     string
	kind      sectionKind
	intent    question.Intent
	metrics   []model.MetricID
	groupBy   []string
	limit     int
	ascending bool
	period    periodChoice
	// weight is the section's importance when ranking highlights.
	weight float64
	// blended sections rest on first-party business data, which has no
	// platform: the digest's ad filters do not apply.
	blended bool
	chart   bool
	// unassigned flags a breakdown whose unassigned bucket ("(no
	// category)") holds a large share of spend.
	unassigned bool
	// filters the section always applies.
	filters map[string][]string
}

func change(title string, weight float64, metrics ...model.MetricID) sectionSpec {
	return sectionSpec{title: title, kind: kindChange, intent: question.IntentCompare, metrics: metrics, weight: weight}
}

func breakdown(title, dim string, weight float64, metrics ...model.MetricID) sectionSpec {
	return sectionSpec{title: title, kind: kindBreakdown, intent: question.IntentBreakdown, metrics: metrics, groupBy: []string{dim}, weight: weight}
}

func movers(title string, metric model.MetricID, weight float64) sectionSpec {
	return sectionSpec{title: title, kind: kindMovers, intent: question.IntentWhy, metrics: []model.MetricID{metric}, weight: weight}
}

func pacing(title string, weight float64) sectionSpec {
	return sectionSpec{title: title, kind: kindPacing, intent: question.IntentPacing, metrics: []model.MetricID{model.Spend, model.Budget, model.Pacing}, groupBy: []string{model.DimPlatform}, period: periodMTD, weight: weight}
}

func (s sectionSpec) blend() sectionSpec          { s.blended = true; return s }
func (s sectionSpec) flagUnassigned() sectionSpec { s.unassigned = true; return s }

// only fixes a filter of the section, whatever the digest's: the store
// channel of business results, say.
func (s sectionSpec) only(dim string, vals ...string) sectionSpec {
	s.filters = map[string][]string{dim: vals}
	return s
}
func (s sectionSpec) charted() sectionSpec { s.chart = true; return s }
func (s sectionSpec) yearAgo() sectionSpec { s.period = periodYearAgo; return s }

// audienceSections lists, per audience, what its digest holds: what each
// executive asked for. It is made on first use, by a digest, rather than by
// every command as it starts.
var audienceSections = sync.OnceValue(func() map[model.Audience][]sectionSpec {
	return map[model.Audience][]sectionSpec{
		// CFO: spend vs budget with pacing and projected month-end per platform,
		// blended CAC, payback, MER, ROAS by platform, and how much of the spend
		// an incrementality test covers, with the ROAS the tests calibrate.
		model.AudienceCFO: {
			pacing("Spend vs budget", 3).charted(),
			change("Blended CAC", 3, model.CAC, model.NewCustomers, model.Spend).blend(),
			change("CAC payback", 2, model.PaybackMonths).blend(),
			change("MER", 2, model.MER, model.BusinessRevenue, model.Spend).blend(),
			breakdown("ROAS by platform", model.DimPlatform, 2, model.ROAS, model.Spend, model.Revenue).charted(),
			{title: "Incrementality", kind: kindIncrementality, intent: question.IntentIncrementality, metrics: []model.MetricID{model.CalibratedROAS},
				groupBy: []string{model.DimPlatform}, period: periodNoCompare, weight: 1},
		},
		// CMO: reach and impressions, engagement, CTR, brand-lift studies,
		// spend mix by platform and campaign type, biggest movers.
		model.AudienceCMO: {
			change("Reach and impressions", 1, model.Impressions, model.CPM),
			change("Engagement", 2, model.EngagementRate, model.Engagements, model.VideoViews),
			change("Click-through rate", 2, model.CTR, model.Clicks),
			{title: "Brand-lift studies", kind: kindBrandLift, intent: question.IntentBrandLift, metrics: []model.MetricID{model.BrandLift}, period: periodNoCompare, weight: 1},
			breakdown("Spend mix by platform", model.DimPlatform, 1, model.Spend, model.ROAS).charted(),
			breakdown("Spend mix by campaign type", model.DimCampaignType, 1, model.Spend, model.ROAS),
			movers("Biggest movers", model.ROAS, 2),
		},
		// CEO: business revenue online and in store, ad-attributed revenue vs
		// business revenue, MER, year over year.
		model.AudienceCEO: {
			change("Business revenue", 3, model.BusinessRevenue, model.Orders, model.NewCustomers).blend(),
			breakdown("Online and in store", model.DimChannel, 2, model.BusinessRevenue, model.Orders).blend().charted(),
			change("Ad-attributed vs business revenue", 2, model.Revenue, model.BusinessRevenue).blend(),
			change("MER", 2, model.MER, model.Spend).blend(),
			change("Year over year", 3, model.BusinessRevenue, model.Spend, model.MER).blend().yearAgo(),
		},
		// Head of stores: what the stores took (business revenue in the store
		// channel), store visits and cost per store visit, by region and by
		// platform, and their trend.
		model.AudienceStores: {
			change("Store revenue", 3, model.BusinessRevenue, model.Orders).blend().only(model.DimChannel, "store"),
			change("Store visits", 3, model.StoreVisits, model.Spend),
			change("Cost per store visit", 3, model.CostPerStoreVisit),
			breakdown("Store visits by region", model.DimRegion, 2, model.StoreVisits, model.CostPerStoreVisit),
			breakdown("Store visits by platform", model.DimPlatform, 1, model.StoreVisits, model.CostPerStoreVisit),
			{title: "Store visit trend", kind: kindTrend, intent: question.IntentTrend, metrics: []model.MetricID{model.StoreVisits}, groupBy: []string{model.DimWeek}, period: periodWeeks, weight: 1, chart: true},
		},
		// Merchandising: spend, revenue and ROAS by product category, best and
		// worst categories.
		model.AudienceMerchandising: {
			// The category table ranks best to worst; sections of the best and
			// worst few would repeat its rows.
			breakdown("Category performance", model.DimCategory, 2, model.ROAS, model.Spend, model.Revenue).charted().flagUnassigned(),
			movers("What moved ROAS", model.ROAS, 2.5),
		},
		// Team lead: campaign week-over-week movers, campaigns spending with no
		// conversions.
		model.AudienceTeam: {
			movers("Campaign movers", model.CPA, 3),
			{title: "Spending with no conversions", kind: kindZeroConv, intent: question.IntentBreakdown, metrics: []model.MetricID{model.Spend, model.Conversions, model.Clicks},
				groupBy: []string{model.DimCampaign, model.DimPlatform}, period: periodZeroConv, weight: 3},
			breakdown("CPA and spend by platform", model.DimPlatform, 2, model.CPA, model.Spend, model.Conversions).charted(),
			pacing("Budget pacing", 2),
		},
	}
})

// budgetReviewSections are a budget review's: the recommended moves for
// the next quarter with what they rest on, and the quarter behind them.
var budgetReviewSections = []sectionSpec{
	{title: "Recommended moves", kind: kindBudget, intent: question.IntentBudget,
		metrics: []model.MetricID{model.Spend, model.Move, model.MROAS, model.ExpectedChangeLow, model.ExpectedChangeHigh},
		groupBy: []string{model.DimPlatform}, period: periodNextQuarter, weight: 3},
	breakdown("Spend and ROAS by platform", model.DimPlatform, 1, model.Spend, model.ROAS, model.Revenue),
}

// budgetReviewTitle names a budget review unless it has a title.
const budgetReviewTitle = "Quarterly budget review"

// sectionsOf lists a digest's sections: a budget review's, or its
// audience's; ok is false for an audience with none.
func sectionsOf(d DigestConfig) ([]sectionSpec, bool) {
	if d.Kind == DigestBudgetReview {
		return budgetReviewSections, true
	}
	specs, ok := audienceSections()[d.Audience]
	return specs, ok
}

// audienceTitles name each audience's digest.
var audienceTitles = map[model.Audience]string{
	model.AudienceCFO:           "CFO digest",
	model.AudienceCMO:           "CMO digest",
	model.AudienceCEO:           "CEO digest",
	model.AudienceStores:        "Stores digest",
	model.AudienceMerchandising: "Merchandising digest",
	model.AudienceTeam:          "Team digest",
}

// PreviewConfig is the digest an audience gets when none is configured:
// last week against the week before.
func PreviewConfig(a model.Audience) DigestConfig {
	return DigestConfig{Name: string(a), Audience: a, Period: PeriodLastWeek, Compare: ComparePrevious}
}
