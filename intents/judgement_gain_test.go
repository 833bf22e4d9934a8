package intents

import (
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
)

// Judgement scenarios for the next step of a change: it moves budget only
// on a figure a budget is moved on, and only on the footing that figure
// stands on.

// TestJudgementAGainInVolumeIsSetAgainstItsCost: Meta's conversions rise
// while Google's hold, in four stories. Bought: Meta's spend doubled with
// them, so its CPA held, and the gain is no reason to shift budget toward
// it. Earned: the same spend bought more, so its CPA improved and budget
// may follow. Dearer: the spend tripled for half as many more, so its CPA
// worsened and no budget follows. New: a campaign that started last week
// is judged on its CPA, not on the conversions it added.
func TestJudgementAGainInVolumeIsSetAgainstItsCost(t *testing.T) {
	d := func(p, c string, spend, conv float64) datatest.Daily {
		return datatest.Daily{Platform: p, Campaign: c, CampaignType: "prospecting", Spend: spend, Impressions: spend * 50, Clicks: spend, Conversions: conv, Revenue: conv * 100}
	}
	plant := func(metaBefore, metaSpend, metaConv float64) *datatest.Store {
		return datatest.New(t).Ads(
			before(d("meta", "Meta A", 1000, metaBefore)), week(d("meta", "Meta A", metaSpend, metaConv)),
			before(d("google_ads", "Google A", 1000, 30)), week(d("google_ads", "Google A", 1000, 30)),
		)
	}
	for _, tc := range []struct {
		name        string
		spend, conv float64
		must, never []string
	}{
		{"bought", 2000, 80,
			[]string{"The biggest driver is Meta", "Meta's spend rose 100% too", "its CPA held at $25.00", "judge more budget for Meta on its CPA, not on conversions"},
			[]string{"shifting budget toward Meta", "while the gain holds"}},
		{"earned", 1000, 60,
			[]string{"Meta's spend barely moved", "its CPA improved from $25.00 to $16.67", "consider shifting budget toward Meta while its CPA holds"},
			[]string{"while the gain holds", "add no budget"}},
		{"dearer", 3000, 60,
			[]string{"Meta's spend rose 200% too", "its CPA worsened from $25.00 to $50.00", "add no budget to Meta for conversions"},
			[]string{"shifting budget toward Meta", "while the gain holds"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := story(t, plant(40, tc.spend, tc.conv), "how did conversions change last week", storyDay, "team")
			judge(t, a, tc.must, tc.never)
		})
	}
	t.Run("new", func(t *testing.T) {
		st := datatest.New(t).Ads(
			before(d("meta", "Meta A", 1000, 40)), week(d("meta", "Meta A", 1000, 40)),
			week(d("meta", "Meta Gifts", 1000, 20)),
		)
		a := story(t, st, "how did meta conversions change last week", storyDay, "team")
		judge(t, a, []string{"The biggest driver is Meta Gifts", "Meta Gifts had no spend in the period before", "judge Meta Gifts on its CPA ($50.00), not on conversions"},
			[]string{"shifting budget toward", "while the gain holds"})
	})
	t.Run("why", func(t *testing.T) {
		a := story(t, plant(40, 2000, 80), "why did conversions go up last week", storyDay, "team")
		judge(t, a, []string{"By campaign: Meta A", "Meta A's spend rose 100% too", "judge more budget for Meta A on its CPA, not on conversions"},
			[]string{"shifting budget toward", "while the gain holds"})
	})
	t.Run("clicks", func(t *testing.T) {
		a := story(t, plant(40, 2000, 80), "how did clicks change last week", storyDay, "team")
		judge(t, a, []string{"Meta's spend rose 100% too", "clicks are not a return", "Meta's CPA or ROAS held"},
			[]string{"shifting budget toward", "while the gain holds"})
	})
}

// TestJudgementADiagnosticsChangeMovesNoBudget: Meta's ads win twice the
// clicks for the same impressions and spend, so CTR rises and CPC falls;
// in another story the same clicks cost twice as much. Neither is a
// reason to move budget: CTR and CPC point at creative and targeting.
func TestJudgementADiagnosticsChangeMovesNoBudget(t *testing.T) {
	d := func(p, c string, spend, clicks float64) datatest.Daily {
		return datatest.Daily{Platform: p, Campaign: c, CampaignType: "prospecting", Spend: spend, Impressions: 50000, Clicks: clicks, Conversions: 30, Revenue: 3000}
	}
	plant := func(spend, clicks float64) *datatest.Store {
		return datatest.New(t).Ads(
			before(d("meta", "Meta A", 1000, 900)), week(d("meta", "Meta A", spend, clicks)),
			before(d("google_ads", "Google A", 1000, 1000)), week(d("google_ads", "Google A", 1000, 1000)),
		)
	}
	better := plant(1000, 1800)
	ctr := story(t, better, "how did ctr change last week", storyDay, "team")
	judge(t, ctr, []string{"CTR is up", "The biggest driver is Meta", "CTR is a diagnostic, not a return", "move budget on CPA or ROAS"},
		[]string{"shifting budget toward", "while the gain holds"})
	cpc := story(t, better, "how did cpc change last week", storyDay, "team")
	judge(t, cpc, []string{"CPC is down", "CPC is a diagnostic, not a return"}, []string{"shifting budget toward", "while the gain holds"})

	dearer := story(t, plant(2000, 900), "how did cpc change last week", storyDay, "team")
	judge(t, dearer, []string{"CPC is up", "check Meta's creative, targeting and placements", "CPC is a diagnostic, so move budget on CPA or ROAS"},
		[]string{"move spend to better-performing"})
}

// TestJudgementAROASGainStandsOnItsTest: Meta's ROAS rises from 3.00x to
// 4.50x in November. With no test imported, budget may follow the gain.
// While Google's return is measured by a test and Meta's is not, the gain
// is a reason to test Meta first. When Meta's own test puts what its ads
// add at under what they cost, no budget follows what it reports. A gain
// in attributed revenue with a better ROAS stands on the same footing.
func TestJudgementAROASGainStandsOnItsTest(t *testing.T) {
	plant := func(tests ...data.Experiment) *datatest.Store {
		return datatest.New(t).Ads(
			datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", CampaignType: "prospecting", From: "2026-06-01", To: "2026-10-31", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 30, Revenue: 3000},
			datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", CampaignType: "prospecting", From: "2026-11-01", To: "2026-11-30", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 45, Revenue: 4500},
			datatest.Daily{Platform: "google_ads", Campaign: "Google Search", CampaignType: "search", From: "2026-06-01", To: "2026-11-30", Spend: 1000, Impressions: 50000, Clicks: 1200, Conversions: 40, Revenue: 4000},
		).Experiment(tests...)
	}
	plain := story(t, plant(), "how did roas change last month", "2026-12-01", "cfo")
	judge(t, plain, []string{"ROAS is up", "The biggest driver is Meta", "consider shifting budget toward Meta while the gain holds"}, []string{"incrementality"})

	google := experiment(t, "Google Geo Holdout", "google_ads", "2026-09-01", "2026-09-28", 2.0, 1.5, 2.5, true)
	untested := story(t, plant(google), "how did roas change last month", "2026-12-01", "cfo")
	judge(t, untested, []string{"Meta's ROAS is what it claims, never tested", "test its incrementality before shifting budget toward it"},
		[]string{"consider shifting budget toward Meta"})
	campaign := story(t, plant(google), "how did meta roas change last month", "2026-12-01", "cfo")
	judge(t, campaign, []string{"The biggest driver is Meta Prospecting", "test Meta's incrementality before shifting budget toward Meta Prospecting"},
		[]string{"consider shifting budget toward Meta"})
	revenue := story(t, plant(google), "how did attributed revenue change last month", "2026-12-01", "cfo")
	judge(t, revenue, []string{"its ROAS improved from 3.00x to 4.50x", "test its incrementality before shifting budget toward it"},
		[]string{"consider shifting budget toward Meta"})

	meta := experiment(t, "Meta Conversion Lift", "meta", "2026-09-01", "2026-09-28", 0.6, 0.3, 0.9, true) // a fifth of the 3.00x it reported then
	measured := story(t, plant(google, meta), "how did roas change last month", "2026-12-01", "cfo")
	judge(t, measured, []string{`"Meta Conversion Lift" puts what Meta's ads add at about 0.90x`, "shift no budget toward it"},
		[]string{"consider shifting budget toward Meta"})
}

// TestJudgementAShareIsOfTheWhole: prospecting, connected-TV and search
// campaigns bring in 120, 100 and 50 conversions a day. Conversions by
// campaign type says how much each type holds, which judges none of them:
// prospecting's share is of all 270, the CTV conversions with them, in the
// so-what as in the summary, never of the 170 left without CTV.
func TestJudgementAShareIsOfTheWhole(t *testing.T) {
	d := func(p, c, typ string, conv float64) datatest.Daily {
		return datatest.Daily{Platform: p, Campaign: c, CampaignType: typ, Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: conv, Revenue: conv * 50}
	}
	st := datatest.New(t).Ads(
		week(d("meta", "Meta Prospecting", "prospecting", 120)),
		week(d("the_trade_desk", "TTD CTV", "ctv", 100)),
		week(d("google_ads", "Google Search", "search", 50)),
	)
	a := story(t, st, "conversions by campaign type last week", storyDay, "team")
	judge(t, a, []string{"Prospecting is highest at 840 (44.4% of the total)", "Prospecting holds 44.4% of conversions"},
		[]string{"70.6%", "Not judged on conversions"})
}

// TestJudgementABlendedCACMoveIsNoCampaigns: ad spend holds while the
// business's new customers double (a season, a promotion), so blended CAC
// halves. No campaign owns that: the next step asks for CAC by platform,
// never to shift budget toward any. Meta's own CAC, on the customers it
// reports, is a campaign figure and judged as one.
func TestJudgementABlendedCACMoveIsNoCampaigns(t *testing.T) {
	nc := func(v float64) *float64 { return &v }
	st := datatest.New(t).Ads(
		before(datatest.Daily{Platform: "meta", Campaign: "Meta A", CampaignType: "prospecting", Spend: 1000, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: 3000, NewCustomers: nc(10)}),
		week(datatest.Daily{Platform: "meta", Campaign: "Meta A", CampaignType: "prospecting", Spend: 1000, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: 3000, NewCustomers: nc(5)}),
	)
	business(st, 1000, 1000, 100000, 100000, 100, 200, 30000, 30000)
	a := story(t, st, "how did cac change last week", storyDay, "cfo")
	judge(t, a, []string{"CAC is down", "blended CAC rests on all of the company's new customers", "ask for CAC by platform"},
		[]string{"shifting budget toward", "while the gain holds"})
	meta := story(t, st, "how did meta cac change last week", storyDay, "cfo")
	judge(t, meta, []string{"CAC is up"}, []string{"blended", "the company's"})
}

// TestJudgementAHolidayWeekIsNoTrend: revenue runs at $1,000 a day and
// triples in the week of Thanksgiving. With no year before to go by, the
// trend says the week holds the holiday and asks for that comparison,
// never "do more of it". When the same week a year earlier tripled too,
// the move is the season's and nothing follows; when it was flat, the
// season does not explain the move.
func TestJudgementAHolidayWeekIsNoTrend(t *testing.T) {
	d := func(from, to string, rev float64) datatest.Daily {
		return datatest.Daily{Platform: "meta", Campaign: "Meta A", CampaignType: "prospecting", From: from, To: to, Spend: 500, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: rev}
	}
	thisYear := []datatest.Daily{d("2026-10-01", "2026-11-22", 1000), d("2026-11-23", "2026-11-29", 3000)}
	a := story(t, datatest.New(t).Ads(thisYear...), "weekly revenue last 6 weeks", "2026-11-30", "cmo")
	judge(t, a, []string{"The latest week is 200% above the average", "holds Thanksgiving and Black Friday", "set it against the same week a year earlier before reading it as a change of trend"},
		[]string{"do more of it", "season's"})

	// 52 weeks back, the week of Thanksgiving 2025 is Nov 24–30.
	seasonal := datatest.New(t).Ads(append(thisYear, d("2025-10-01", "2025-11-23", 1000), d("2025-11-24", "2025-11-30", 2800), d("2025-12-01", "2025-12-31", 1000))...)
	judge(t, story(t, seasonal, "weekly revenue last 6 weeks", "2026-11-30", "cmo"),
		[]string{"a year earlier the same week stood 180% above the ones before it", "The move is the season's, not a change of trend", "no action beyond the usual checks"},
		[]string{"do more of it", "ask \"why\""})
	flat := datatest.New(t).Ads(append(thisYear, d("2025-10-01", "2025-12-31", 1000))...)
	judge(t, story(t, flat, "weekly revenue last 6 weeks", "2026-11-30", "cmo"),
		[]string{"a year earlier the same week stood in line with the ones before it", "200% above what the season alone would give", "find what did better than last year's season"},
		[]string{"season's, not"})
}

// TestJudgementAPartWeekIsNoFall: revenue runs flat at $1,000 a day, and
// the data stops on a Tuesday. The week it stops in holds two days of
// data: read as a week, it would be a fall of five sevenths. The trend is
// read to the last whole week, and is flat.
func TestJudgementAPartWeekIsNoFall(t *testing.T) {
	st := datatest.New(t).Ads(datatest.Daily{Platform: "meta", Campaign: "Meta A", CampaignType: "prospecting", From: "2026-09-01", To: "2026-10-06",
		Spend: 500, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: 1000})
	a := story(t, st, "weekly revenue last 6 weeks", "2026-10-20", "cmo")
	judge(t, a, []string{"The trend is read to the last whole week: the data stops Oct 6, 2 of the 7 days of the week of Oct 5", "in line with the average"},
		[]string{"below", "down"})
}

// TestJudgementARegionSplitSaysHowLittleItCovers: nine tenths of spend has
// no region and returns 3x; the two regions return 1.5x and 1x. ROAS by
// region reads "2.80x overall; US-West is highest at 1.50x", which only
// makes sense once the answer says how little of the money the regions
// hold; with every campaign in a region it says nothing of the kind.
func TestJudgementARegionSplitSaysHowLittleItCovers(t *testing.T) {
	d := func(c, region string, spend, rev float64) datatest.Daily {
		return datatest.Daily{Platform: "google_ads", Campaign: c, CampaignType: "search", Region: region, Spend: spend, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: rev}
	}
	st := datatest.New(t).Ads(week(d("Google National", "", 9000, 27000)), week(d("Google West", "US-West", 500, 750)), week(d("Google East", "US-East", 500, 500)))
	a := story(t, st, "roas by region last week", storyDay, "cmo")
	judge(t, a, []string{"US-West is highest at 1.50x", "(no region) holds 90.0% of spend ($63,000): campaigns with no region set, so the region figures speak for only part of the money"}, nil)
	best := story(t, st, "which region has the best roas last week", storyDay, "cmo")
	judge(t, best, []string{"US-West's ROAS of 1.50x compares with 2.83x overall", "It leads those ranked, but the overall figure is better"},
		[]string{"first candidate for more budget"})
	tied := datatest.New(t).Ads(week(d("Google West", "US-West", 500, 750)), week(d("Google East", "US-East", 500, 500)))
	judge(t, story(t, tied, "roas by region last week", storyDay, "cmo"), []string{"US-West is highest at 1.50x"}, []string{"speak for only part"})
}

// TestJudgementASilentCampaignIsATrackingQuestion: TikTok Spark converts
// every day until Nov 19, then keeps spending on clicks with no conversion
// at all. "Why did TikTok CPA go up" and "how did TikTok ROAS change" name
// it and say to check its tracking before its bids; a campaign whose
// conversions only thin out is still a question of bids.
func TestJudgementASilentCampaignIsATrackingQuestion(t *testing.T) {
	plant := func(lastConv float64) *datatest.Store {
		spark := datatest.Daily{Platform: "tiktok", Campaign: "TikTok Spark", CampaignType: "prospecting", From: "2026-11-09", To: "2026-11-22",
			Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 20, Revenue: 2000}
		spark.Fill = func(d time.Time, r *data.AdRow) {
			if !d.Before(datatest.Day(t, "2026-11-19")) {
				r.Conversions, r.Revenue = lastConv, lastConv*100
			}
		}
		steady := datatest.Daily{Platform: "tiktok", Campaign: "TikTok Steady", CampaignType: "prospecting", From: "2026-11-09", To: "2026-11-22",
			Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 20, Revenue: 2000}
		return datatest.New(t).Ads(spark, steady)
	}
	for _, q := range []string{"why did tiktok cpa go up last week", "how did tiktok roas change last week"} {
		a := story(t, plant(0), q, storyDay, "team")
		judge(t, a, []string{"TikTok Spark has recorded no conversion since Thu Nov 19 (4 days)", "check TikTok Spark's conversion tracking"},
			[]string{"bid, budget or audience changes", "bids, audiences and creative", "pause or re-bid"})
	}
	thin := story(t, plant(8), "why did tiktok cpa go up last week", storyDay, "team")
	judge(t, thin, []string{"TikTok Spark"}, []string{"conversion tracking", "no conversion since"})
}

// TestJudgementAReachCampaignIsNotCutOnAttributedROAS: a connected-TV
// campaign returns 0.3x on the revenue the platforms attribute to it, a
// search campaign 1.5x, a prospecting one 3x. The worst campaign by ROAS
// is the search one: the CTV campaign is bought for reach and is left out,
// never told to cap its budget. The Trade Desk that runs it is still held
// to its ROAS.
func TestJudgementAReachCampaignIsNotCutOnAttributedROAS(t *testing.T) {
	d := func(p, c, typ string, rev float64) datatest.Daily {
		return datatest.Daily{Platform: p, Campaign: c, CampaignType: typ, Spend: 1000, Impressions: 100000, Clicks: 500, Conversions: 10, Revenue: rev}
	}
	st := datatest.New(t).Ads(week(d("the_trade_desk", "TTD CTV", "ctv", 300)), week(d("google_ads", "Google Search", "search", 1500)), week(d("meta", "Meta Prospecting", "prospecting", 3000)))
	worst := story(t, st, "worst campaign by roas last week", storyDay, "cfo")
	judge(t, worst, []string{"Google Search had the lowest ROAS", "Not ranked: TTD CTV (bought for reach and views)", "cap its budget"},
		[]string{"TTD CTV's ROAS", "TTD CTV had"})
	platforms := story(t, st, "worst platform by roas last week", storyDay, "cfo")
	judge(t, platforms, []string{"The Trade Desk had the lowest ROAS"}, []string{"Left out"})
}

// TestJudgementAStoreVisitOfATVAdIsNoStoreCampaign: The Trade Desk spends
// mostly on connected TV, which reports a few store visits at $250 each;
// its store-radius campaign buys them at $8. Cost per store visit by
// platform does not make The Trade Desk the place to move budget from.
func TestJudgementAStoreVisitOfATVAdIsNoStoreCampaign(t *testing.T) {
	d := func(p, c, typ string, spend, visits float64) datatest.Daily {
		return datatest.Daily{Platform: p, Campaign: c, CampaignType: typ, Spend: spend, Impressions: 100000, Clicks: 500, Conversions: 10, Revenue: 2000, StoreVisits: datatest.F(visits)}
	}
	st := datatest.New(t).Ads(week(d("the_trade_desk", "TTD CTV", "ctv", 5000, 20)), week(d("the_trade_desk", "TTD Store Radius", "store_traffic", 800, 100)),
		week(d("google_ads", "Google PMax Stores", "search", 2000, 150)), week(d("meta", "Meta Store Traffic", "store_traffic", 1500, 80)))
	a := story(t, st, "cost per store visit by platform last week", storyDay, "stores")
	judge(t, a, []string{"Not judged on cost per store visit: The Trade Desk"}, []string{"from The Trade Desk", "The Trade Desk is the most"})
}

// TestJudgementAQuestionOfOneCampaignIsAboutIt: asked about one campaign,
// the answer does not split its change by the one platform it runs on
// ("the biggest driver is Google Ads, essentially all of the change"), and
// its next step is about the campaign: its own bids when its ROAS falls
// (a campaign has no campaigns to pause), its platform's test when it
// rises.
func TestJudgementAQuestionOfOneCampaignIsAboutIt(t *testing.T) {
	d := func(p, c string, from, to string, rev float64) datatest.Daily {
		return datatest.Daily{Platform: p, Campaign: c, CampaignType: "search", From: from, To: to, Spend: 1000, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: rev}
	}
	plant := func(before, after float64) *datatest.Store {
		return datatest.New(t).Ads(d("google_ads", "Google Brand Search", "2026-06-01", "2026-10-31", before), d("google_ads", "Google Brand Search", "2026-11-01", "2026-11-30", after),
			d("meta", "Meta Prospecting", "2026-06-01", "2026-11-30", 3000)).
			Experiment(experiment(t, "Meta Geo Holdout", "meta", "2026-09-01", "2026-09-28", 1.0, 0.7, 1.3, true))
	}
	up := story(t, plant(3000, 4500), "how did google brand search roas change last month", "2026-12-01", "cfo")
	judge(t, up, []string{"ROAS is up", "test Google Ads' incrementality before shifting budget toward Google Brand Search"},
		[]string{"The biggest driver is Google Ads", "consider shifting budget"})
	down := story(t, plant(4500, 3000), "how did google brand search roas change last month", "2026-12-01", "cfo")
	judge(t, down, []string{"ROAS is down", "review Google Brand Search's bids, audiences and creative"},
		[]string{"The biggest driver is Google Ads", "pause or re-bid its weakest campaigns"})
}

// TestJudgementACloseSplitMovesNoBudget: TikTok returns 1.47x, Pinterest
// 1.43x. A 3% gap is within what a month moves by itself: no budget is
// moved on it. At 1.80x against 1.43x, it is.
func TestJudgementACloseSplitMovesNoBudget(t *testing.T) {
	plant := func(tiktok float64) *datatest.Store {
		return datatest.New(t).Ads(
			week(datatest.Daily{Platform: "tiktok", Campaign: "TikTok A", CampaignType: "prospecting", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 30, Revenue: tiktok * 1000}),
			week(datatest.Daily{Platform: "pinterest", Campaign: "Pinterest A", CampaignType: "prospecting", Spend: 1000, Impressions: 90000, Clicks: 900, Conversions: 30, Revenue: 1430}))
	}
	close := story(t, plant(1.47), "compare tiktok and pinterest roas last week", storyDay, "cmo")
	judge(t, close, []string{"close on ROAS", "no budget move follows"}, []string{"test moving incremental budget"})
	apart := story(t, plant(1.80), "compare tiktok and pinterest roas last week", storyDay, "cmo")
	judge(t, apart, []string{"test moving incremental budget from Pinterest to TikTok"}, []string{"close on"})
}

// TestJudgementAShortMonthIsNoFall: spend runs at $1,000 a day through
// January and February. February's total is 9.7% under January's only
// because it has 28 days: per day nothing moved, and nothing is said to
// have lost budget.
func TestJudgementAShortMonthIsNoFall(t *testing.T) {
	st := datatest.New(t).Ads(datatest.Daily{Platform: "meta", Campaign: "Meta A", CampaignType: "prospecting", From: "2026-01-01", To: "2026-02-28",
		Spend: 1000, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: 3000})
	a := story(t, st, "how did spend change in february", "2026-03-02", "cfo")
	judge(t, a, []string{"Per day, spend held steady", "(28 days against 31)", "in all it moved -9.7%, per day 0.0%"}, []string{"lost budget", "warning sign"})
}

// TestJudgementAHolidayWeekAgainstTheWeekBefore: revenue triples in the
// week of Thanksgiving, both years. Asked how it changed against the week
// before, the answer says so, adds the same weekdays a year earlier, where
// nothing moved, and acts on neither.
func TestJudgementAHolidayWeekAgainstTheWeekBefore(t *testing.T) {
	d := datatest.Daily{Platform: "meta", Campaign: "Meta A", CampaignType: "prospecting", From: "2025-10-01", To: "2026-11-29", Spend: 500, Impressions: 50000, Clicks: 1000, Conversions: 20, Revenue: 1000}
	d.Fill = func(day time.Time, r *data.AdRow) {
		for _, bf := range []string{"2025-11-24", "2026-11-23"} {
			if s := datatest.Day(t, bf); !day.Before(s) && day.Before(s.AddDate(0, 0, 7)) {
				r.Revenue *= 3
			}
		}
	}
	a := story(t, datatest.New(t).Ads(d), "how did revenue change last week", "2026-11-30", "cmo")
	judge(t, a, []string{"up 200%", "Thanksgiving and Black Friday fall in these days", "52 weeks earlier (Nov 24–30, 2025) it is 0.0%", "read it against the same weekdays a year earlier"},
		[]string{"consider shifting budget"})
}
