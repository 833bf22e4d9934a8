package demo

import (
	"database/sql"
	"math"

	"github.com/sowhat-ai/sowhat/data"
)

// test is one incrementality test, dated by how many days before the last
// day of data it ended. Its iROAS is the ROAS the platform reported over
// the test's days times truth: how much of what the platform claims the
// test found incremental.
type test struct {
	name, platform, campaign, ctype, method, outcome string
	endedAgo, weeks                                  int
	truth                                            float64 // iROAS ÷ reported ROAS (or conversions per dollar)
	halfWidth                                        float64 // the interval's half width, as a share of the iROAS
	share                                            float64 // the treated share of the window's spend
	lift                                             float64
	p                                                float64
}

// UntestedPlatforms have no incrementality test in the demo data.
var UntestedPlatforms = []string{"amazon_ads", "microsoft_ads"}

// StaleTest is the demo test that ended more than a year before the data's
// last day.
const StaleTest = "TTD CTV Geo Holdout 2025"

// tests tell the stories an analyst expects: Meta's prospecting is about
// half incremental, brand search and retargeting mostly are not, CTV is
// under-credited by its own reporting, TikTok's test could not tell, and
// Amazon Ads and Microsoft Advertising were never tested.
var tests = []test{
	{"Meta Geo Holdout Q3", "meta", "", "", "geo_holdout", data.OutcomeRevenue, 40, 4, 0.55, 0.30, 0.35, 0.071, 0.004},
	{"Meta Conversion Lift - Retargeting", "meta", "Meta Retargeting - Cart Abandoners", "retargeting", "conversion_lift", data.OutcomeConversions, 160, 3, 0.22, 0.55, 0.5, 0.018, 0.03},
	{"Google PMax Geo Test", "google_ads", "", "", "geo_holdout", data.OutcomeRevenue, 75, 4, 0.62, 0.35, 0.3, 0.048, 0.01},
	{"Google Brand Search Holdout", "google_ads", "Google Search - Brand", "search", "geo_holdout", data.OutcomeRevenue, 210, 4, 0.12, 1.20, 0.3, 0.006, 0.41},
	{"Criteo Retargeting Holdout", "criteo", "", "", "conversion_lift", data.OutcomeRevenue, 120, 4, 0.24, 0.45, 0.5, 0.011, 0.02},
	{"TikTok Conversion Lift", "tiktok", "", "", "conversion_lift", data.OutcomeRevenue, 95, 4, 0.70, 1.40, 0.5, 0.019, 0.18},
	{"Pinterest Geo Holdout", "pinterest", "", "", "geo_holdout", data.OutcomeRevenue, 250, 4, 0.48, 1.10, 0.3, 0.015, 0.22},
	{StaleTest, "the_trade_desk", "", "", "geo_holdout", data.OutcomeRevenue, 375, 3, 1.35, 0.40, 0.3, 0.037, 0.008},
}

// experiments works each test's figures out from the ad rows over its days,
// so they agree with what the platforms reported then.
func experiments(cal calendar, ads *adSet) []data.Experiment {
	out := make([]data.Experiment, 0, len(tests))
	for _, t := range tests {
		end := cal.end.AddDate(0, 0, -t.endedAgo)
		start := end.AddDate(0, 0, -(7*t.weeks - 1))
		spend, outcome := 0.0, 0.0
		for _, r := range ads.byPlatform[t.platform] {
			if r.Date.Before(start) || r.Date.After(end) || t.campaign != "" && r.Campaign != t.campaign {
				continue
			}
			spend += r.Spend
			if t.outcome == data.OutcomeRevenue {
				outcome += r.Revenue
			} else {
				outcome += r.Conversions
			}
		}
		iroas := round(outcome/spend*t.truth, 4)
		testSpend := round(spend*t.share, 0)
		e := data.Experiment{
			Test: t.name, Platform: t.platform, Start: start, End: end, Outcome: t.outcome,
			TestSpend: testSpend, IncrementalOutcome: round(iroas*testSpend, 0), LiftPct: t.lift, IROAS: iroas,
			CILow: round(iroas*(1-t.halfWidth), 4), CIHigh: round(iroas*(1+t.halfWidth), 4),
			Campaign: t.campaign, CampaignType: t.ctype, PValue: sql.NullFloat64{Float64: t.p, Valid: true},
			Significant: sql.NullBool{Bool: t.p < 0.05, Valid: true}, Method: t.method,
		}
		out = append(out, e)
	}
	return out
}

// MMMModel names the demo's marketing-mix model run.
const MMMModel = "Partner MMM FY2026"

// mmmTruth is, per platform, the share of its reported ROAS the model
// credits, and how saturated it is: marginal over average ROI.
var mmmTruth = []struct {
	platform        string
	share, marginal float64
}{
	{"google_ads", 0.58, 0.55}, {"meta", 0.60, 0.50}, {"amazon_ads", 0.45, 0.40}, {"the_trade_desk", 1.20, 0.80},
	{"criteo", 0.30, 0.35}, {"pinterest", 0.55, 0.85}, {"microsoft_ads", 0.50, 0.70}, {"tiktok", 0.75, 0.90},
}

// mmm gives each platform's result over the 52 weeks ending 60 days before
// the last day of data, with a five-point response curve around the
// period's spend.
func mmm(cal calendar, ads *adSet) []data.MMMResult {
	end := cal.end.AddDate(0, 0, -60)
	start := end.AddDate(0, 0, -(52*7 - 1))
	var out []data.MMMResult
	for _, m := range mmmTruth {
		spend, revenue := 0.0, 0.0
		for _, r := range ads.byPlatform[m.platform] {
			if !r.Date.Before(start) && !r.Date.After(end) {
				spend, revenue = spend+r.Spend, revenue+r.Revenue
			}
		}
		roi := round(revenue/spend*m.share, 3)
		res := data.MMMResult{Model: MMMModel, Channel: m.platform, Start: start, End: end,
			ROI: roi, MROI: round(roi*m.marginal, 3), Contribution: round(roi*spend, 0)}
		// outcome(s) = a·(1 − e^(−s/k)), with its average and marginal
		// returns at the period's spend those of the model.
		x := saturation(m.marginal)
		k := spend / x
		a := roi * spend / (1 - math.Exp(-x))
		for _, f := range []float64{0.5, 0.75, 1, 1.25, 1.5} {
			s := round(spend*f, 0)
			res.Curve = append(res.Curve, data.CurvePoint{Spend: s, Outcome: round(a*(1-math.Exp(-s/k)), 0)})
		}
		out = append(out, res)
	}
	return out
}

// saturation solves x·e^(−x) / (1 − e^(−x)) = r for x > 0: how far along
// an exponential response curve a spend is whose marginal return is r
// times its average.
func saturation(r float64) float64 {
	lo, hi := 1e-6, 50.0
	for range 100 {
		mid := (lo + hi) / 2
		if mid*math.Exp(-mid)/(1-math.Exp(-mid)) > r {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
