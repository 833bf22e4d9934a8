package intents

import (
	"testing"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
)

// Questions about what the store does not hold, and inputs no one can
// mean: the reply says what is missing and what is there, and never
// answers a neighbouring question with a number.

// twoPlatforms plants Meta at $1,000 a day (ROAS 4.00x) and Google Ads at
// $800 a day (ROAS 4.38x) from Sep 1 to Nov 30, 2026, with the business's
// own results, and one Meta brand-lift study.
func twoPlatforms(t *testing.T) *datatest.Store {
	return datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-09-01", To: "2026-11-30", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Platform: "google_ads", Campaign: "Google Search", From: "2026-09-01", To: "2026-11-30", Spend: 800, Impressions: 50000, Clicks: 900, Conversions: 20, Revenue: 3500},
	).Business("online", "2026-09-01", "2026-11-30", 120, 12000, 40, nil).
		BrandLift(data.BrandLiftRow{Study: "Meta Q3 Awareness", Platform: "meta", StartDate: datatest.Day(t, "2026-08-01"), EndDate: datatest.Day(t, "2026-09-30"), Metric: "ad_recall", Lift: 0.05})
}

// plantedFigures are the planted numbers an answer to a neighbouring question
// would print: ROAS blended, by platform, and spend last month and week.
var plantedFigures = []string{"4.17x", "4.00x", "4.38x", "4.37x", "$54,000", "$12,600", "$54k", "$12.6k"}

func never(more ...string) []string { return append(append([]string(nil), plantedFigures...), more...) }

// TestJudgementIncrementalROASIsNotPlatformROAS: "incremental ROAS" with
// no test imported says that no experiment is in the data, names what to
// test first, and prints none of the platforms' figures, so none is taken
// for incremental.
func TestJudgementIncrementalROASIsNotPlatformROAS(t *testing.T) {
	st := twoPlatforms(t)
	for _, q := range []string{"what was our incremental ROAS last month?", "iROAS by platform last quarter", "how incremental was meta in november"} {
		a := story(t, st, q, "2026-12-01", "cfo")
		judge(t, a, []string{"no incrementality data", "geo tests", "what the platforms claim", "start with Meta, the largest spend"}, never("incremental ROAS was", "ROAS last month was"))
		if len(a.Rows) > 0 || len(a.Total.Values) > 0 {
			t.Errorf("%q: answered with figures: %+v", q, a.Total)
		}
	}
}

// TestJudgementGeoTestIsNotBrandLift: a geo test's results are not the
// brand-lift study the store does hold; the reply says geo tests are
// missing and that brand-lift studies are there.
func TestJudgementGeoTestIsNotBrandLift(t *testing.T) {
	a := story(t, twoPlatforms(t), "what did the geo test on meta show?", "2026-12-01", "cmo")
	judge(t, a, []string{"geo tests", "brand-lift studies"}, never("Meta Q3 Awareness", "ad recall", "+5.0%"))
}

// TestJudgementMixModelIsMissing: with no marketing-mix model imported, a
// question about one says so, and says what the tests (here none) can;
// it never reads the platforms' ROAS as the model's.
func TestJudgementMixModelIsMissing(t *testing.T) {
	a := story(t, twoPlatforms(t), "what does the marketing mix model say about meta?", "2026-12-01", "cmo")
	judge(t, a, []string{"No marketing-mix model results are imported", "what the platforms claim"}, never())
}

// TestJudgementLTVIsMissing: lifetime value is not in the store; the
// reply names what is (CAC, CAC payback) and prints neither.
func TestJudgementLTVIsMissing(t *testing.T) {
	a := story(t, twoPlatforms(t), "what is our customer LTV last quarter?", "2026-12-01", "cfo")
	judge(t, a, []string{"ltv", "CAC payback"}, never("LTV was", "months"))
}

// TestJudgementPlatformNeverImported: Reddit, Apple Search Ads, LinkedIn,
// Snapchat and any other "X Ads" never imported are said to be missing,
// with the platforms there are; no total of the others stands in for them.
func TestJudgementPlatformNeverImported(t *testing.T) {
	st := twoPlatforms(t)
	for _, c := range []struct{ q, name string }{
		{"reddit ads spend last month", "Reddit"},
		{"apple search ads roas last week", "Apple Search Ads"},
		{"linkedin cpa last month", "LinkedIn"},
		{"snapchat spend last week", "Snapchat"},
		{"how did acme ads do last month?", "Acme Ads"},
	} {
		a := story(t, st, c.q, "2026-12-01", "team")
		judge(t, a, []string{"no " + c.name + " data", "Google Ads", "Meta"}, never())
	}
}

// TestJudgementDatesBeforeTheData: a period that ends before the first
// imported day says where the data starts and ends, not "$0" or a bare
// "no data".
func TestJudgementDatesBeforeTheData(t *testing.T) {
	st := twoPlatforms(t)
	for _, q := range []string{"spend in 2019", "roas in january 2020", "how did meta do in august 2026?"} {
		a := story(t, st, q, "2026-12-01", "cfo")
		judge(t, a, []string{"There is no data", "nothing that early was imported", "The data starts Sep 1, 2026", "runs to Nov 30, 2026"}, never("$0", "nothing has been imported for these days"))
	}
}

// TestJudgementPeriodPartlyBeforeTheData: a period that starts before the
// data is answered for the days there are, and says so.
func TestJudgementPeriodPartlyBeforeTheData(t *testing.T) {
	a := story(t, twoPlatforms(t), "spend from 2026-08-01 to 2026-09-30", "2026-12-01", "cfo")
	judge(t, a, []string{"$54,000", "The data starts Sep 1, 2026"}, []string{"There is no data", "nothing that early"})
}

// TestJudgementImpossibleDate: Feb 30 does not exist; the reply asks
// which day, and answers no other period instead.
func TestJudgementImpossibleDate(t *testing.T) {
	st := twoPlatforms(t)
	for _, q := range []string{"spend on 2026-02-30", "roas on november 31", "cpa on 2026-13-01"} {
		a := story(t, st, q, "2026-12-01", "team")
		judge(t, a, []string{"is not a date", "Which day do you mean"}, never("last 7 days", "$"))
	}
}

// TestJudgementAbsurdThreshold: a threshold of $1e308 is asked back, not
// read as $1 and answered with every campaign.
func TestJudgementAbsurdThreshold(t *testing.T) {
	st := twoPlatforms(t)
	for _, q := range []string{"campaigns with spend above $1e308 last month", "campaigns with cpa above $100000000000000000"} {
		a := story(t, st, q, "2026-12-01", "team")
		judge(t, a, []string{"What amount do you mean"}, never("Meta Prospecting", "Google Search"))
	}
}

// TestJudgementEndlessPeriod: "the last 9999999999 days" is asked back, not
// answered as the last 7 days.
func TestJudgementEndlessPeriod(t *testing.T) {
	a := story(t, twoPlatforms(t), "spend the last 9999999999 days", "2026-12-01", "cfo")
	judge(t, a, []string{"reaches back further than any data", "Which period do you mean"}, never("last 7 days", "$"))
}

// TestJudgementMillionsOrMonths: "spend 31m last week" could be $31M or 31
// months; it is asked back, never answered as a 31-month comparison.
func TestJudgementMillionsOrMonths(t *testing.T) {
	a := story(t, twoPlatforms(t), "spend 31m last week", "2026-12-01", "cfo")
	judge(t, a, []string{"$31M or 31 months"}, never("vs", "2024"))
}

// TestJudgementUnknownMetricIsNotSpend: "cost per download" is no metric
// sowhat has; the reply says what the data holds and never answers spend,
// the word beside it.
func TestJudgementUnknownMetricIsNotSpend(t *testing.T) {
	st := twoPlatforms(t)
	for _, q := range []string{"cost per download last week", "what was our add to cart rate last month?"} {
		a := story(t, st, q, "2026-12-01", "cmo")
		judge(t, a, []string{"sowhat has no", "the data holds spend"}, never("Spend last week was", "$1,800"))
	}
}

// TestJudgementDatesAfterTheData: a period that starts after the last
// imported day says the data has not reached it yet, and where it ends.
func TestJudgementDatesAfterTheData(t *testing.T) {
	st := twoPlatforms(t)
	for _, q := range []string{"spend next month", "roas in 2027", "spend today"} {
		a := story(t, st, q, "2026-12-01", "cfo")
		judge(t, a, []string{"There is no data", "yet: the data runs to Nov 30, 2026"}, never("$0", "nothing has been imported for these days"))
	}
}

// TestJudgementCountsNoOneMeans: "top 0", a negative threshold and "the
// last 0 days" are asked back, never answered as the top 5, as every
// campaign or as the last 7 days.
func TestJudgementCountsNoOneMeans(t *testing.T) {
	st := twoPlatforms(t)
	for _, c := range []struct{ q, must string }{
		{"top 0 campaigns by spend last month", "how many do you want ranked"},
		{"campaigns with roas above -2 last month", "never below zero"},
		{"spend the last 0 days", "covers no days"},
		{"spend in 1995", "no data reaches it"},
	} {
		a := story(t, st, c.q, "2026-12-01", "team")
		judge(t, a, []string{c.must}, never("Meta Prospecting", "Google Search", "last 7 days"))
	}
}

// TestJudgementMixModelIsRead: with a model imported, what it says of TikTok
// leads the answer, its ROI and marginal ROI as imported; asked of every
// platform, each channel of the one model is named.
func TestJudgementMixModelIsRead(t *testing.T) {
	mmm := func(ch string, roi, mroi float64) data.MMMResult {
		return data.MMMResult{Model: "Partner MMM", Channel: ch, Start: datatest.Day(t, "2025-10-01"), End: datatest.Day(t, "2026-09-30"), ROI: roi, MROI: mroi, Contribution: 100000}
	}
	st := twoPlatforms(t).MMM(mmm("meta", 1.34, 0.67), mmm("google_ads", 1.65, 0.91))
	a := story(t, st, "what is the roi of meta according to the mmm?", "2026-12-01", "cfo")
	judge(t, a, []string{"The Partner MMM model puts Meta's ROI at 1.34x and its marginal ROI at 0.67x"}, []string{"not answer from a marketing-mix model", "No marketing-mix model results"})
	all := story(t, st, "what does the marketing mix model say?", "2026-12-01", "cfo")
	judge(t, all, []string{"puts ROI at", "1.34x for Meta (marginal 0.67x)", "1.65x for Google Ads (marginal 0.91x)"}, nil)
}
