package intents

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// The planted stories run as of 2026-12-01: the data ends Nov 30.

// experiment is a revenue test on a whole platform, significant or not.
func experiment(t *testing.T, name, platform, from, to string, iroas, low, high float64, sig bool) data.Experiment {
	return data.Experiment{Test: name, Platform: platform, Start: datatest.Day(t, from), End: datatest.Day(t, to), Outcome: data.OutcomeRevenue,
		TestSpend: 20000, IncrementalOutcome: 20000 * iroas, LiftPct: 0.05, IROAS: iroas, CILow: low, CIHigh: high,
		Significant: sql.NullBool{Bool: sig, Valid: true}, Method: "geo_holdout"}
}

// overstated plants Meta reporting a 3.00x ROAS all year while its test
// measured 1.00x, and Google and TikTok with spend and no test; Google
// spends more.
func overstated(t *testing.T) *datatest.Store {
	return datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-06-01", To: "2026-11-30", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 30, Revenue: 3000},
		datatest.Daily{Platform: "google_ads", Campaign: "Google Search", From: "2026-06-01", To: "2026-11-30", Spend: 1500, Impressions: 50000, Clicks: 1200, Conversions: 40, Revenue: 6000},
		datatest.Daily{Platform: "tiktok", Campaign: "TikTok Prospecting", From: "2026-06-01", To: "2026-11-30", Spend: 300, Impressions: 60000, Clicks: 300, Conversions: 5, Revenue: 600},
	)
}

// sentencesWith returns the sentences of text that contain word.
func sentencesWith(text, word string) []string {
	var out []string
	for _, s := range model.Sentences(text) {
		if strings.Contains(strings.ToLower(s), strings.ToLower(word)) {
			out = append(out, s)
		}
	}
	return out
}

// TestJudgementCalibratesAnOverstatedPlatform: Meta reports 3.00x while its
// significant test measured 1.00x (interval 0.70x to 1.30x): the answer
// gives the test's iROAS with its interval and date, a calibrated ROAS of
// about 1.00x labelled an estimate and naming the test, and says only a
// third of the reported revenue is incremental. It never takes Meta's
// 3.00x for what the ads caused.
func TestJudgementCalibratesAnOverstatedPlatform(t *testing.T) {
	st := overstated(t).Experiment(experiment(t, "Meta Geo Holdout", "meta", "2026-09-01", "2026-09-28", 1.0, 0.7, 1.3, true))
	a := story(t, st, "what's Meta's incremental ROAS?", "2026-12-01", "cfo")
	if a.Intent != string(question.IntentIncrementality) {
		t.Fatalf("intent %s", a.Intent)
	}
	judge(t, a, []string{"1.00x", "0.70x to 1.30x", "Sep 28, 2026", "3.00x over the test's days", "Calibrated ROAS", "about 1.00x", "estimate", "33.3%", "Meta Geo Holdout"},
		[]string{"not significant", "never been tested", "stale", "cannot tell"})
	for _, s := range sentencesWith(a.Summary+" "+a.SoWhat, "calibrated") {
		if !strings.Contains(s, "estimate") {
			t.Errorf("a calibrated figure not labelled an estimate: %q", s)
		}
	}
	if !strings.Contains(a.Summary, "Meta Geo Holdout") {
		t.Errorf("the calibrated ROAS is shown without its test named: %s", a.Summary)
	}
	approx(t, "calibrated roas", a.Total.Values[model.CalibratedROAS], 1.0)
	approx(t, "incremental revenue", a.Total.Values[model.IncrementalRevenue], 30*3000.0/3)
}

// TestJudgementUsesTheLatestPlatformTest: of Meta's tests the newest
// platform-wide significant revenue test calibrates it; an older one and a
// newer campaign-only one do not.
func TestJudgementUsesTheLatestPlatformTest(t *testing.T) {
	campaign := experiment(t, "Meta Retargeting Holdout", "meta", "2026-10-01", "2026-10-28", 0.2, 0.1, 0.3, true)
	campaign.Campaign = "Meta Prospecting"
	st := overstated(t).Experiment(
		experiment(t, "Meta Holdout Spring", "meta", "2026-06-01", "2026-06-28", 2.4, 2.0, 2.8, true),
		experiment(t, "Meta Holdout Autumn", "meta", "2026-09-01", "2026-09-28", 1.5, 1.2, 1.8, true),
		campaign)
	a := story(t, st, "is meta really driving sales?", "2026-12-01", "cmo")
	judge(t, a, []string{`"Meta Holdout Autumn"`, "about 1.50x", "Also tested", "Meta Holdout Spring", "Meta Retargeting Holdout"}, []string{"about 2.40x", "about 0.20x"})
	approx(t, "calibrated roas", a.Total.Values[model.CalibratedROAS], 1.5)
}

// TestJudgementNonSignificantTestIsNoProof: a test whose interval includes
// zero is said to be not significant, and nothing calls it proof, says
// the ads drive sales or calibrates a ROAS from it.
func TestJudgementNonSignificantTestIsNoProof(t *testing.T) {
	st := overstated(t).Experiment(experiment(t, "TikTok Lift", "tiktok", "2026-10-01", "2026-10-28", 0.8, -0.4, 2.0, false))
	for _, q := range []string{"is tiktok really driving sales?", "tiktok incremental roas"} {
		a := story(t, st, q, "2026-12-01", "cmo")
		judge(t, a, []string{"not significant", "including zero", "cannot tell", "TikTok Lift", "retest"},
			[]string{"proof", "proves", "proven", "do drive sales", "Calibrated ROAS over", "is incremental ("})
		if a.Total.Values[model.CalibratedROAS] != nil {
			t.Errorf("%q: calibrated ROAS %v from a test that is not significant", q, *a.Total.Values[model.CalibratedROAS])
		}
	}
	a := story(t, st, "which platforms have we never tested?", "2026-12-01", "cfo")
	judge(t, a, []string{"Not significant", "TikTok (TikTok Lift)"}, []string{"proof", "proves"})
}

// TestJudgementStaleTestIsFlagged: a test that ended more than a year
// before the data's last day is flagged stale, with a retest next.
func TestJudgementStaleTestIsFlagged(t *testing.T) {
	st := overstated(t).Experiment(experiment(t, "Meta Holdout 2025", "meta", "2025-06-01", "2025-06-28", 1.0, 0.8, 1.2, true)).
		Ads(datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2025-06-01", To: "2025-06-28", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 30, Revenue: 2500})
	a := story(t, st, "what's meta's incremental roas", "2026-12-01", "cfo")
	judge(t, a, []string{"Stale", "Jun 28, 2025", "more than a year", "retest Meta"}, []string{"keep testing it yearly"})
	a = story(t, st, "which channels have we never tested?", "2026-12-01", "cfo")
	judge(t, a, []string{"Stale (more than a year old): Meta", "Meta from \"Meta Holdout 2025\" (stale)"}, nil)
	// A year to the day is not yet stale.
	fresh := overstated(t).Experiment(experiment(t, "Meta Holdout Last Winter", "meta", "2025-11-03", "2025-11-30", 1.0, 0.8, 1.2, true)).
		Ads(datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2025-11-03", To: "2025-11-30", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 30, Revenue: 2500})
	judge(t, story(t, fresh, "what's meta's incremental roas", "2026-12-01", "cfo"), []string{"Meta Holdout Last Winter"}, []string{"stale"})
}

// TestJudgementNoTestSaysSoAndNamesTheNext: a platform with no test is said
// to have none, its reported ROAS is called what it reports, and the
// platform to test next is the largest spend with no test.
func TestJudgementNoTestSaysSoAndNamesTheNext(t *testing.T) {
	st := overstated(t).Experiment(experiment(t, "Meta Geo Holdout", "meta", "2026-09-01", "2026-09-28", 1.0, 0.7, 1.3, true))
	a := story(t, st, "how much of tiktok's reported revenue is incremental?", "2026-12-01", "cfo")
	judge(t, a, []string{"TikTok has never been tested", "2.00x ROAS", "not what its ads caused", "test Google Ads, the largest spend with no test"},
		[]string{"Calibrated ROAS", "estimate", "Meta Geo Holdout"})
	a = story(t, st, "is google really driving sales?", "2026-12-01", "cfo")
	judge(t, a, []string{"Google Ads has never been tested", "test Google Ads: with $45,000 of spend"}, []string{"calibrated"})
	a = story(t, st, "which channels have we never tested?", "2026-12-01", "cfo")
	judge(t, a, []string{"1 of 3 platforms", "$30,000 of the $84,000 spent", "never tested: Google Ads and TikTok ($54,000)", "test Google Ads, the largest spend with no test"}, nil)
	if len(a.Rows) != 3 || a.Rows[0].Key["status"] != "never tested" || a.Rows[0].Key[model.DimPlatform] != "google_ads" {
		t.Errorf("rows: %+v", a.Rows)
	}
}

// TestJudgementEveryPlatformTestedRetestsTheOldest: when every platform
// has a test, the next test is a retest of the oldest.
func TestJudgementEveryPlatformTestedRetestsTheOldest(t *testing.T) {
	st := overstated(t).Experiment(
		experiment(t, "Meta Geo Holdout", "meta", "2026-09-01", "2026-09-28", 1.0, 0.7, 1.3, true),
		experiment(t, "Google Holdout", "google_ads", "2026-03-01", "2026-03-28", 2.0, 1.5, 2.5, true),
		experiment(t, "TikTok Lift", "tiktok", "2026-10-01", "2026-10-28", 0.8, -0.4, 2.0, false))
	a := story(t, st, "which channels have we never tested?", "2026-12-01", "cfo")
	judge(t, a, []string{"3 of 3 platforms", "retest Google Ads, whose test is the oldest"}, []string{"never tested:"})
}

// TestJudgementConversionTestDoesNotCalibrateRevenue: a conversions test
// says incremental conversions per $1,000 and no calibrated ROAS.
func TestJudgementConversionTestDoesNotCalibrateRevenue(t *testing.T) {
	e := experiment(t, "Meta Conversion Lift", "meta", "2026-09-01", "2026-09-28", 0.012, 0.008, 0.016, true)
	e.Outcome = data.OutcomeConversions
	a := story(t, overstated(t).Experiment(e), "meta incremental roas", "2026-12-01", "cmo")
	judge(t, a, []string{"12.0 incremental conversions per $1,000", "8.0 to 16.0"}, []string{"Calibrated ROAS", "about 1"})
}

// TestIncrementalityKeepsHiddenMetricsOut: a reader kept from calibrated
// ROAS and incremental revenue sees the test but neither figure, and the
// last check finds nothing left to take out.
func TestIncrementalityKeepsHiddenMetricsOut(t *testing.T) {
	eng := New(overstated(t).Experiment(experiment(t, "Meta Geo Holdout", "meta", "2026-09-01", "2026-09-28", 1.0, 0.7, 1.3, true)).Import())
	hidden := []model.MetricID{model.CalibratedROAS, model.IncrementalRevenue}
	req := question.ParseWith("what's Meta's incremental ROAS?", datatest.Day(t, "2026-12-01"), question.Vocabulary{}, question.Options{Hidden: hidden})
	a, err := eng.Answer(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	judge(t, a, []string{"Meta Geo Holdout", "1.00x"}, []string{"calibrated", "incremental revenue"})
	for _, r := range append(a.Rows, a.Total) {
		for _, m := range hidden {
			if _, ok := r.Values[m]; ok {
				t.Errorf("row %v shows %s", r.Key, m)
			}
		}
	}
	if leaks := a.Withhold(hidden); len(leaks) > 0 {
		t.Errorf("left for the last check: %v", leaks)
	}
}

// TestJudgementTestBeforeTheDataCalibratesNothing: a significant test
// whose days no ad data covers is reported, and calibrates nothing.
func TestJudgementTestBeforeTheDataCalibratesNothing(t *testing.T) {
	st := overstated(t).Experiment(experiment(t, "Meta Holdout Early", "meta", "2026-03-01", "2026-03-28", 1.0, 0.7, 1.3, true))
	a := story(t, st, "what's meta's incremental roas", "2026-12-01", "cfo")
	judge(t, a, []string{"Meta Holdout Early", "no Meta data covers its days", "cannot calibrate"}, []string{"Calibrated ROAS over", "about 1.00x"})
}

// TestJudgementROASSplitStandsOnOneFooting: Meta reports 3.00x and its
// test measured 1.00x; Google reports 4.00x with no test. ROAS by platform
// must not tell the CFO to move money from Meta to Google on what Google
// claims against Meta's measured figure: it says which figure rests on a
// test, and to test Google first. Once Google's
// test measures 0.50x, comparing it with Meta (two tests) goes by the tests,
// whose order reverses the reported one; and the best platform by ROAS,
// untested while another is tested, is not the first candidate for budget.
func TestJudgementROASSplitStandsOnOneFooting(t *testing.T) {
	plant := func(tests ...data.Experiment) *datatest.Store {
		return datatest.New(t).Ads(
			datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-06-01", To: "2026-11-30", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 30, Revenue: 3000},
			datatest.Daily{Platform: "google_ads", Campaign: "Google Search", From: "2026-06-01", To: "2026-11-30", Spend: 1000, Impressions: 50000, Clicks: 1200, Conversions: 40, Revenue: 4000},
		).Experiment(tests...)
	}
	meta := experiment(t, "Meta Geo Holdout", "meta", "2026-09-01", "2026-09-28", 1.0, 0.7, 1.3, true)
	a := story(t, plant(meta), "ROAS by platform last month", "2026-12-01", "cfo")
	judge(t, a, []string{"Google Ads reports the higher ROAS", "Google Ads' is what it claims, never tested", "test Google Ads' incrementality"},
		[]string{"test moving incremental budget", "most efficient"})

	best := story(t, plant(meta), "best platform by roas last month", "2026-12-01", "cfo")
	judge(t, best, []string{"never tested", "test its incrementality before giving it more budget"}, []string{"first candidate for more budget"})
	campaign := story(t, plant(meta), "top campaigns by roas last month", "2026-12-01", "cfo")
	judge(t, campaign, []string{"1. Google Search", "it runs on Google Ads, and Google Ads' ROAS is what it claims, never tested", "test Google Ads' incrementality before giving Google Search more budget"},
		[]string{"first candidate for more budget"})

	google := experiment(t, "Google Geo Holdout", "google_ads", "2026-09-01", "2026-09-28", 2.0, 1.5, 2.5, true) // 0.50x of its reported 4.00x
	both := story(t, plant(meta, google), "compare google and meta roas last month", "2026-12-01", "cfo")
	judge(t, both, []string{"Google Ads reports the higher ROAS", "Google Ads returns about 2.00x and Meta about 1.00x", "Google Geo Holdout"}, []string{"reverses", "what it claims"})
	google.IROAS, google.CILow, google.CIHigh = 0.6, 0.4, 0.8 // now 0.15x of what it reports
	reversed := story(t, plant(meta, google), "compare google and meta roas last month", "2026-12-01", "cfo")
	judge(t, reversed, []string{"the order reverses", "move no budget from Meta to Google Ads"}, []string{"test moving incremental budget"})

	// Both measured under what they cost: Google returns about 0.90x, Meta 0.80x.
	google.IROAS, google.CILow, google.CIHigh = 0.9, 0.6, 1.2
	lossy := experiment(t, "Meta Geo Holdout", "meta", "2026-09-01", "2026-09-28", 0.8, 0.5, 1.1, true)
	neither := story(t, plant(lossy, google), "compare google and meta roas last month", "2026-12-01", "cfo")
	judge(t, neither, []string{"Google Ads returns about 0.90x and Meta about 0.80x", "neither returns what it costs", "add budget to neither on this evidence"},
		[]string{"test moving incremental budget", "move no budget from"})

	// With no test imported, a split of reported figures stands as it was.
	plain := story(t, plant(), "ROAS by platform last month", "2026-12-01", "cfo")
	judge(t, plain, []string{"test moving incremental budget from Meta to Google Ads"}, []string{"claims"})
}

// TestJudgementACampaignIsItsOwnTest: Google's platform-wide geo test
// measured 2.0x, its brand search campaign's own holdout 0.6x, not
// significant. Asked whether the brand campaign is incremental, the answer
// is its own test, and the platform's result is said not to speak for it;
// a campaign no test measured is said to be untested.
func TestJudgementACampaignIsItsOwnTest(t *testing.T) {
	google := experiment(t, "Google Geo Test", "google_ads", "2026-09-01", "2026-09-28", 2.0, 1.5, 2.5, true)
	brand := experiment(t, "Brand Holdout", "google_ads", "2026-10-01", "2026-10-28", 0.6, -0.2, 1.4, false)
	brand.Campaign, brand.CampaignType = "Google Brand Search", "search"
	st := datatest.New(t).Ads(
		datatest.Daily{Platform: "google_ads", Campaign: "Google Brand Search", CampaignType: "search", From: "2026-06-01", To: "2026-11-30", Spend: 500, Impressions: 20000, Clicks: 800, Conversions: 40, Revenue: 4000},
		datatest.Daily{Platform: "google_ads", Campaign: "Google Shopping", CampaignType: "shopping", From: "2026-06-01", To: "2026-11-30", Spend: 1500, Impressions: 50000, Clicks: 1200, Conversions: 40, Revenue: 4500},
	).Experiment(google, brand)
	a := story(t, st, "is google brand search incremental?", "2026-12-01", "cfo")
	judge(t, a, []string{`"Brand Holdout"`, "0.60x", "Not significant", `"Google Geo Test" measured an incremental ROAS of 2.00x`, "does not speak for this campaign"},
		[]string{"Calibrated ROAS", "plan Google Brand Search on what the test measured"})
	shopping := story(t, st, "is google shopping incremental?", "2026-12-01", "cfo")
	judge(t, shopping, []string{"No incrementality test measured Google Shopping itself"}, []string{"2.00x"})
}

// TestJudgementReplayKnowsOnlyEndedTests: asked as of Nov 5, a test that
// ended Nov 10 had not yet ended: the answer knows of no test, as it would
// have that day. Asked Dec 1, the test is the answer's evidence.
func TestJudgementReplayKnowsOnlyEndedTests(t *testing.T) {
	st := overstated(t).Experiment(experiment(t, "Meta Geo Holdout", "meta", "2026-10-13", "2026-11-10", 1.0, 0.7, 1.3, true))
	early := story(t, st, "what's Meta's incremental ROAS?", "2026-11-05", "cfo")
	judge(t, early, []string{"no incrementality data"}, []string{"Meta Geo Holdout", "1.00x", "Calibrated"})
	late := story(t, st, "what's Meta's incremental ROAS?", "2026-12-01", "cfo")
	judge(t, late, []string{"Meta Geo Holdout", "Calibrated ROAS"}, []string{"no incrementality data"})
}
