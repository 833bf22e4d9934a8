package intents

import (
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// Pacing scenarios: spend against plan is acted on only where something
// can still be done — a month under way — and by the size of the dollars
// off plan.

func usd(v float64) string { return wording.Value(model.UnitCurrency, &v) }
func pc(v float64) string  { return wording.Value(model.UnitPercent, &v) }
func off(v float64) string { return wording.OffBy(v) }

// daily is one platform's campaign spending the same every day.
func daily(platform, from, to string, spend float64) datatest.Daily {
	return datatest.Daily{Platform: platform, Campaign: model.PlatformName(platform) + " Main", From: from, To: to,
		Spend: spend, Impressions: spend * 100, Clicks: spend, Conversions: spend / 40, Revenue: spend * 3}
}

// before reports whether a appears in text before b.
func ordered(t *testing.T, text, a, b string) {
	t.Helper()
	i, j := strings.Index(text, a), strings.Index(text, b)
	if i < 0 || j < 0 || i > j {
		t.Errorf("%q should come before %q in:\n%s", a, b, text)
	}
}

// TestJudgementClosedMonthOnTheFirst: on Dec 1 "this month" has no complete
// day, so November is shown — as closed, with its final share of plan, The
// Trade Desk's overspend in dollars, and December's budget; the next step
// is about December, never a trim in November.
func TestJudgementClosedMonthOnTheFirst(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-30", 1000), daily("the_trade_desk", "2026-11-01", "2026-11-30", 600)).
		Budget("2026-11", "meta", "", 30000).Budget("2026-11", "the_trade_desk", "", 15000).
		Budget("2026-12", "meta", "", 31000).Budget("2026-12", "the_trade_desk", "", 15500)
	a := story(t, st, "are we on budget this month?", "2026-12-01", "cfo")
	spend, budget := 30*1000.0+30*600, 30000.0+15000
	judge(t, a, []string{
		"November 2026 is closed: spend was " + usd(spend) + " against a budget of " + usd(budget) + ", " + pc(spend/budget) + " of plan.",
		"December 2026 has begun with a budget of " + usd(46500) + " (about " + usd(46500/31.0) + " a day)",
		"The Trade Desk finished " + off(18000/15000.0-1) + " over plan (" + usd(18000-15000) + " more than budgeted)",
		"nothing left to trim",
		"hold The Trade Desk to its December plan of " + usd(15500) + " (about " + usd(15500/31.0) + " a day, against " + usd(600) + " a day in November)",
	}, []string{"trim daily budgets", "to land", "at this pace", "on pace", "pro-rated budget of"})
}

// TestJudgementClosedMonthOnPlan: a month that closed on plan says so and
// asks for nothing.
func TestJudgementClosedMonthOnPlan(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-30", 1000)).Budget("2026-11", "meta", "", 30300).Budget("2026-12", "meta", "", 31000)
	a := story(t, st, "are we on budget this month?", "2026-12-01", "cfo")
	judge(t, a, []string{"November 2026 is closed", pc(30000/30300.0) + " of plan", "November closed on plan; no change needed for December"},
		[]string{"trim", "raise its budgets", "at this pace"})
}

// TestJudgementClosedMonthUnderspent: an underspent closed month names what
// was left unspent and asks about December's plan, not to spend November's.
func TestJudgementClosedMonthUnderspent(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-30", 800), daily("google_ads", "2026-11-01", "2026-11-30", 2000)).
		Budget("2026-11", "meta", "", 30000).Budget("2026-11", "google_ads", "", 60000).Budget("2026-12", "meta", "", 31000)
	a := story(t, st, "are we on budget this month?", "2026-12-01", "cmo")
	judge(t, a, []string{
		"Meta finished " + off(24000/30000.0-1) + " under plan (" + usd(6000) + " of its budget unspent)",
		"Meta left " + usd(6000) + " of its November budget unspent; check that its December plan of " + usd(31000),
	}, []string{"raise its budgets", "trim", "Google Ads finished"})
}

// TestJudgementCyberMondayAgainstItsOwnPlan: Cyber Monday spends three times
// an ordinary day, as it did 52 weeks earlier; against the plan for that day
// (the month's budget spread as last year's same weeks spent) it is 110%,
// not 309% of an even share, and no trim is advised off one day.
func TestJudgementCyberMondayAgainstItsOwnPlan(t *testing.T) {
	peak := func(days ...string) func(time.Time, *data.AdRow) {
		return func(d time.Time, r *data.AdRow) {
			for _, p := range days {
				if d.Format("2006-01-02") == p {
					r.Spend *= 3
				}
			}
		}
	}
	d := daily("meta", "2025-10-01", "2026-11-29", 1000)
	d.Fill = peak("2025-12-01", "2026-11-27")
	cyber := daily("meta", "2026-11-30", "2026-11-30", 3300)
	st := datatest.New(t).Ads(d, cyber).Budget("2026-11", "meta", "", 32000)
	a := story(t, st, "how much did we spend yesterday", "2026-12-01", "cfo")
	// 2025-11-02..2025-12-01 spent 29 × $1,000 + $3,000; the day took
	// $3,000 of it.
	plan := 32000 * 3000 / (29*1000 + 3000.0)
	judge(t, a, []string{"$3,300", pc(3300/plan) + " of the plan for that day (" + usd(plan)},
		[]string{"trim", pc(3300 / (32000 / 30.0)), "pro-rated budget", "underspending"})
}

// TestJudgementOneDayWithoutAYearBefore: with no year of history a day is
// set against an even share of the month's budget and said not to be a
// pace: no advice to raise or trim.
func TestJudgementOneDayWithoutAYearBefore(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-15", 1000)).Budget("2026-11", "meta", "", 45000)
	a := story(t, st, "how much did we spend yesterday", "2026-11-16", "cfo")
	judge(t, a, []string{pc(1000/1500.0) + " of an even day's share of the November budget (" + usd(1500) + ")", "one day is not a pace"},
		[]string{"underspending", "raise its budgets", "trim"})
}

// TestJudgementUnderspendersByDollarGap: Google Ads is 10% under on a big
// budget ($15,000 short), Pinterest 40% under on a small one ($3,000):
// Google Ads leads, in the text, the table and the next step.
func TestJudgementUnderspendersByDollarGap(t *testing.T) {
	st := datatest.New(t).Ads(daily("google_ads", "2026-11-01", "2026-11-15", 9000), daily("pinterest", "2026-11-01", "2026-11-15", 300),
		daily("meta", "2026-11-01", "2026-11-15", 1000)).
		Budget("2026-11", "google_ads", "", 300000).Budget("2026-11", "pinterest", "", 15000).Budget("2026-11", "meta", "", 30000)
	a := story(t, st, "are we on budget this month?", "2026-11-16", "cfo")
	g, p := "Google Ads is "+off(135000/150000.0-1)+" under plan ("+usd(15000)+" short)", "Pinterest is "+off(4500/7500.0-1)+" under plan ("+usd(3000)+" short)"
	judge(t, a, []string{g, p, "Next: Google Ads is underspending"}, []string{"Pinterest is underspending", "Meta is"})
	ordered(t, a.SoWhat, g, p)
	if len(a.Rows) != 3 || a.Rows[0].Key[model.DimPlatform] != "google_ads" || a.Rows[1].Key[model.DimPlatform] != "pinterest" {
		t.Errorf("rows not by dollar gap: %+v", a.Rows)
	}
}

// TestJudgementOverspendersByDollarGap: The Trade Desk is 50% over ($3,000),
// Google Ads 10% over ($15,000): the trim is on Google Ads, by what lands
// its month on budget.
func TestJudgementOverspendersByDollarGap(t *testing.T) {
	st := datatest.New(t).Ads(daily("google_ads", "2026-11-01", "2026-11-15", 11000), daily("the_trade_desk", "2026-11-01", "2026-11-15", 600)).
		Budget("2026-11", "google_ads", "", 300000).Budget("2026-11", "the_trade_desk", "", 12000)
	a := story(t, st, "are we on budget this month?", "2026-11-16", "cfo")
	// What is left of Google's budget over the 15 days left, against its
	// $11,000 a day.
	trim := 1 - (300000-165000)/15.0/11000
	g := "Google Ads is " + off(165000/150000.0-1) + " over plan (" + usd(15000) + " over"
	ttd := "The Trade Desk is " + off(9000/6000.0-1) + " over plan (" + usd(3000) + " over"
	judge(t, a, []string{g, ttd, "trim daily budgets on Google Ads by about " + off(trim) + " to land the month on its " + usd(300000) + " budget"},
		[]string{"trim daily budgets on The Trade Desk", "is closed"})
	ordered(t, a.SoWhat, g, ttd)
}

// TestJudgementCampaignBudget: a campaign with its own budget is paced on
// it; a campaign without one is left out and said to be.
func TestJudgementCampaignBudget(t *testing.T) {
	st := datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Brand", From: "2026-11-01", To: "2026-11-15", Spend: 150, Impressions: 10000, Clicks: 100, Conversions: 5, Revenue: 500},
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-01", To: "2026-11-15", Spend: 200, Impressions: 10000, Clicks: 100, Conversions: 5, Revenue: 500},
	).Budget("2026-11", "meta", "Meta Brand", 4050)
	a := story(t, st, "pacing by campaign this month", "2026-11-16", "team")
	trim := 1 - (4050-2250)/15.0/150
	judge(t, a, []string{
		"Meta Brand is " + off(2250/2025.0-1) + " over plan (" + usd(225) + " over",
		"trim daily budgets on Meta Brand by about " + off(trim) + " to land the month on its " + usd(4050) + " budget",
		"1 campaign with no budget of its own (" + usd(3000) + " of spend) is left out of the total",
	}, []string{"Meta Prospecting is", "is closed"})
}

// TestJudgementSpendYoYNamesAPlatform: "spend mtd yoy" on a month that is
// under plan points at the platform with the most budget unspent — never
// at "Spend" as if the metric were a platform.
func TestJudgementSpendYoYNamesAPlatform(t *testing.T) {
	st := datatest.New(t).Ads(daily("google_ads", "2025-11-01", "2025-11-15", 8000), daily("google_ads", "2026-11-01", "2026-11-15", 9000),
		daily("pinterest", "2025-11-01", "2025-11-15", 300), daily("pinterest", "2026-11-01", "2026-11-15", 300)).
		Budget("2026-11", "google_ads", "", 300000).Budget("2026-11", "pinterest", "", 6000)
	a := story(t, st, "spend mtd yoy", "2026-11-16", "cfo")
	spend, budget := 15*9000.0+15*300, 150000.0+3000
	judge(t, a, []string{pc(spend/budget) + " of the pro-rated budget (" + usd(budget) + ")", "Next: Google Ads is underspending"},
		[]string{"Spend is underspending", "Next: Spend", "Pinterest is underspending", "trim"})
}

// TestJudgementWeekComparisonGetsNoBudgetAdvice: a week against the week
// before is measured against plan but not acted on: a week is not a pace.
func TestJudgementWeekComparisonGetsNoBudgetAdvice(t *testing.T) {
	st := datatest.New(t).Ads(daily("google_ads", "2026-11-01", "2026-11-29", 9000)).Budget("2026-11", "google_ads", "", 300000)
	a := story(t, st, "spend last week vs the week before", "2026-11-30", "cfo")
	judge(t, a, []string{pc(9000 / 10000.0)}, []string{"underspending", "raise its budgets", "trim"})
}

// TestJudgementProjectionCountsALatePlatformOverItsDays: Criteo's data ends
// two days early; the month-end projection projects it over the days it
// covers ($15,000), as its budget is pro-rated — one projection, not the
// $43,000 a blended run rate gives.
func TestJudgementProjectionCountsALatePlatformOverItsDays(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-15", 1000), daily("criteo", "2026-11-01", "2026-11-13", 500)).
		Budget("2026-11", "meta", "", 30000).Budget("2026-11", "criteo", "", 15000)
	a := story(t, st, "are we on budget this month?", "2026-11-16", "cfo")
	projected := 15000/15.0*30 + 6500/13.0*30
	judge(t, a, []string{"the month ends at " + usd(projected) + " against " + usd(45000), "Criteo data ends Nov 13"},
		[]string{usd(21500 / 15.0 * 30), "under plan"})
}

// TestJudgementClosedMonthWithTheNextUnderWay: asked mid-December about last
// month, November is reported as closed and December is paced to date; the
// trim is December's, on what is left of December's budget.
func TestJudgementClosedMonthWithTheNextUnderWay(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-12-10", 1000), daily("the_trade_desk", "2026-11-01", "2026-12-10", 600)).
		Budget("2026-11", "meta", "", 30000).Budget("2026-11", "the_trade_desk", "", 15000).
		Budget("2026-12", "meta", "", 31000).Budget("2026-12", "the_trade_desk", "", 15500)
	a := story(t, st, "were we on budget last month?", "2026-12-11", "cfo")
	decBudget := (31000 + 15500) * 10 / 31.0
	trim := 1 - (15500-6000)/21.0/600
	judge(t, a, []string{
		"November 2026 is closed: spend was " + usd(48000) + " against a budget of " + usd(45000) + ", " + pc(48000/45000.0) + " of plan.",
		"Month to date (Dec 1–10, 2026) spend is " + usd(16000) + " against a pro-rated budget of " + usd(decBudget) + ": " + pc(16000/decBudget) + " of plan",
		"the month ends at " + usd(16000/10.0*31) + " against " + usd(46500),
		"The Trade Desk finished " + off(0.2) + " over plan (" + usd(3000) + " more than budgeted)",
		"trim daily budgets on The Trade Desk by about " + off(trim) + " to land the month on its " + usd(15500) + " budget",
	}, []string{"nothing left to trim", "has begun"})
}

// TestJudgementClosedMonthWithALatePlatform: Criteo's November data stops
// on the 28th; the closed month says its budget is counted through each
// platform's last day and gives the whole month's budget beside it.
func TestJudgementClosedMonthWithALatePlatform(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-30", 1000), daily("criteo", "2026-11-01", "2026-11-28", 500)).
		Budget("2026-11", "meta", "", 30000).Budget("2026-11", "criteo", "", 15000)
	a := story(t, st, "are we on budget this month?", "2026-12-01", "cfo")
	budget := 30000 + 15000*28/30.0
	judge(t, a, []string{"against a budget of " + usd(budget) + " (" + usd(45000) + " for the whole month", "Criteo data ends Nov 28"},
		[]string{"trim", "at this pace", "Criteo finished"})
}

// TestJudgementLateInTheMonthTheCutIsWhatIsLeft: on Nov 28 The Trade Desk has
// $1,000 of its budget left for 3 days against $1,200 a day: no "trim by
// 72%", but what is left to spend a day.
func TestJudgementLateInTheMonthTheCutIsWhatIsLeft(t *testing.T) {
	st := datatest.New(t).Ads(daily("the_trade_desk", "2026-11-01", "2026-11-27", 1200)).Budget("2026-11", "the_trade_desk", "", 33400)
	a := story(t, st, "are we on budget this month?", "2026-11-28", "cfo")
	left := 33400 - 27*1200.0
	judge(t, a, []string{"The Trade Desk has " + usd(left) + " of its " + usd(33400) + " budget left for 3 days: cut its daily budgets to about " + usd(left/3) + " a day"},
		[]string{"trim daily budgets", "to land the month"})
}

// TestJudgementBudgetAlreadySpent: Meta has spent more than its whole
// month's budget with days to go: pause or agree the overspend, never a
// percentage trim that cannot land.
func TestJudgementBudgetAlreadySpent(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-20", 2000)).Budget("2026-11", "meta", "", 36000)
	a := story(t, st, "are we on budget this month?", "2026-11-21", "cfo")
	judge(t, a, []string{"Meta has already spent its " + usd(36000) + " budget for the month; pause it or agree the overspend for the 10 days left"},
		[]string{"trim daily budgets", "to land the month"})
}

// TestJudgementOneDayLeavesOutALatePlatformsPlan: Criteo's data stops two
// days before the day asked about; the day's plan is Meta's alone, as its
// spend is, not Meta's spend against both platforms' plans.
func TestJudgementOneDayLeavesOutALatePlatformsPlan(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-15", 1500), daily("criteo", "2026-11-01", "2026-11-13", 500)).
		Budget("2026-11", "meta", "", 45000).Budget("2026-11", "criteo", "", 15000)
	a := story(t, st, "how much did we spend yesterday", "2026-11-16", "cfo")
	judge(t, a, []string{pc(1500/1500.0) + " of an even day's share of the November budget (" + usd(1500) + ")"},
		[]string{pc(1500 / 2000.0), usd(2000), "trim", "underspending"})
}

// TestJudgementLongClosedMonthStandsAlone: asked in December about
// September, September is closed and nothing is said of October or
// November (closed too) or any month chained after it.
func TestJudgementLongClosedMonthStandsAlone(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-09-01", "2026-12-10", 1000), daily("google_ads", "2026-09-01", "2026-12-10", 2400)).
		Budget("2026-09", "meta", "", 30000).Budget("2026-09", "google_ads", "", 60000).
		Budget("2026-10", "meta", "", 31000).Budget("2026-10", "google_ads", "", 62000)
	a := story(t, st, "were we on budget in september 2026?", "2026-12-11", "cfo")
	judge(t, a, []string{"September 2026 is closed", "Google Ads finished " + off(72000/60000.0-1) + " over plan (" + usd(12000) + " more than budgeted)",
		"find what pushed Google Ads over (" + usd(2400) + " a day in September) before it repeats"},
		[]string{"October", "November", "December", "trim daily", "Month to date", "  "})
}

// TestJudgementClosedQuarter: a closed quarter is reported as the quarter,
// not as its last month, and a platform's daily rate is over the quarter.
func TestJudgementClosedQuarter(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-07-01", "2026-10-05", 1000)).
		Budget("2026-07", "meta", "", 24800).Budget("2026-08", "meta", "", 24800).Budget("2026-09", "meta", "", 24000)
	a := story(t, st, "pacing last quarter", "2026-10-06", "cfo")
	judge(t, a, []string{"Jul 1", "is closed: spend was " + usd(92000) + " against a budget of " + usd(73600), "Meta finished " + off(92000/73600.0-1) + " over plan",
		"(" + usd(1000) + " a day in"},
		[]string{"September 2026 is closed", "trim daily", "Month to date", "for the whole month"})
}

// TestJudgementBackLoadedMonthIsNotUnderspent: a year earlier the first
// half of the month took a quarter of its spend (the holidays come late);
// this year's first half is at half an even split of the budget, which is
// on plan for that pattern: no advice to raise budgets.
func TestJudgementBackLoadedMonthIsNotUnderspent(t *testing.T) {
	st := backLoaded(t)
	a := story(t, st, "are we on budget this month?", "2026-11-16", "cfo")
	share := 15 * 1000 / (15*1000 + 15*3000.0)
	judge(t, a, []string{pc(15000/30000.0) + " of plan",
		"1 platform off an even split of its budget is on plan against the month's pattern: a year earlier the same days took " + pc(share) + " of the month's spend, not " + pc(0.5),
		"Next: no change yet"},
		[]string{"raise its budgets", "underspending", "under plan", "trim"})
}

// TestJudgementBackLoadedMonthYoYGetsNoRaise: "spend mtd yoy" in the same
// back-loaded month says why spend at half an even split is on plan, and
// asks to raise nothing.
func TestJudgementBackLoadedMonthYoYGetsNoRaise(t *testing.T) {
	st := backLoaded(t)
	a := story(t, st, "spend mtd yoy", "2026-11-16", "cfo")
	share := 15 * 1000 / (15*1000 + 15*3000.0)
	judge(t, a, []string{pc(0.5) + " of the pro-rated budget (" + usd(30000) + ")", "A year earlier the same days took " + pc(share) + " of the month's spend, not " + pc(0.5) + ": on that pattern it is " + pc(1) + " of plan"},
		[]string{"raise its budgets", "underspending", "trim"})
}

// backLoaded plants a November whose second half spent three times its
// first a year earlier, and this November's first half at $1,000 a day
// against a $60,000 budget.
func backLoaded(t *testing.T) *datatest.Store {
	lastYear := daily("meta", "2025-11-01", "2025-12-01", 1000)
	lastYear.Fill = func(d time.Time, r *data.AdRow) {
		if !d.Before(datatest.Day(t, "2025-11-17")) {
			r.Spend *= 3
		}
	}
	return datatest.New(t).Ads(lastYear, daily("meta", "2026-11-01", "2026-11-15", 1000)).Budget("2026-11", "meta", "", 60000)
}

// TestJudgementOnPlanForAnEvenMonthIsOverForALateOne: a year earlier both
// platforms spent a quarter of November in its first half. This year Meta
// is at half an even split of its budget, which is on plan for that
// pattern; TikTok is at an even split, which for a month that spends late
// is twice its plan, and on course to spend twice its budget. TikTok is
// the one to trim, though its pacing reads 100%. Google Ads spent evenly a
// year earlier and does so again: it is on plan, by its own pattern.
func TestJudgementOnPlanForAnEvenMonthIsOverForALateOne(t *testing.T) {
	late := func(platform string) datatest.Daily {
		d := daily(platform, "2025-11-01", "2025-12-01", 1000)
		d.Fill = func(day time.Time, r *data.AdRow) {
			if !day.Before(datatest.Day(t, "2025-11-17")) {
				r.Spend *= 3
			}
		}
		return d
	}
	st := datatest.New(t).Ads(late("meta"), late("tiktok"), daily("meta", "2026-11-01", "2026-11-15", 1000), daily("tiktok", "2026-11-01", "2026-11-15", 2000),
		daily("google_ads", "2025-11-01", "2025-12-01", 200), daily("google_ads", "2026-11-01", "2026-11-15", 200)).
		Budget("2026-11", "meta", "", 60000).Budget("2026-11", "tiktok", "", 60000).Budget("2026-11", "google_ads", "", 6000)
	a := story(t, st, "are we on budget this month?", "2026-11-16", "cfo")
	share := (15*2000 + 15*200) / (15*2000 + 15*6000 + 30*200.0)
	judge(t, a, []string{
		"Spending the rest of the month as the same days did a year earlier, the month ends at " + usd(45000/0.25+3000*2) + " against " + usd(126000),
		"a year earlier the same days took " + pc(share) + " of the month's spend",
		"1 platform off an even split of its budget is on plan against the month's pattern",
		"TikTok is " + off(1) + " over plan", "TikTok has " + usd(30000) + " of its " + usd(60000) + " budget left for 15 days: hold its daily budgets at about " + usd(2000) + " a day as the season lifts spend"},
		[]string{"Meta is", "Google Ads is", "within 5%", "raise its budgets", "At this pace", "cut its daily budgets"})
}

// TestJudgementPacingOfOnePlatformSpeaksOfIt: TikTok runs 30% over its
// plan, Meta on it. Asked about Meta, the answer says Meta is within its
// plan, never that every platform is.
func TestJudgementPacingOfOnePlatformSpeaksOfIt(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-15", 1000), daily("tiktok", "2026-11-01", "2026-11-15", 1300)).
		Budget("2026-11", "meta", "", 30000).Budget("2026-11", "tiktok", "", 30000)
	a := story(t, st, "is meta on budget this month?", "2026-11-16", "cfo")
	judge(t, a, []string{"Meta is within 5% of its plan"}, []string{"Every platform", "TikTok"})
}

// TestJudgementAWeekIsSetAgainstItsDaysPlan: a year earlier Meta spent
// three times as much in the second half of November, and does so again.
// Its spend last week is half again an even week's share of its budget,
// which is about its plan for those days.
func TestJudgementAWeekIsSetAgainstItsDaysPlan(t *testing.T) {
	lastYear := daily("meta", "2025-11-01", "2025-12-01", 1000)
	lastYear.Fill = func(d time.Time, r *data.AdRow) {
		if !d.Before(datatest.Day(t, "2025-11-17")) {
			r.Spend *= 3
		}
	}
	thisYear := daily("meta", "2026-11-01", "2026-11-22", 1000)
	thisYear.Fill = func(d time.Time, r *data.AdRow) {
		if !d.Before(datatest.Day(t, "2026-11-16")) {
			r.Spend *= 3
		}
	}
	st := datatest.New(t).Ads(lastYear, thisYear).Budget("2026-11", "meta", "", 60000)
	a := story(t, st, "meta spend last week", storyDay, "cfo")
	judge(t, a, []string{"150% of the pro-rated budget", "on that pattern it is 10"}, []string{"trim"})
}

// TestJudgementAWeekPacedIsNoMonthToDate: asked of last week, pacing says
// last week, not "month to date".
func TestJudgementAWeekPacedIsNoMonthToDate(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-22", 1000)).Budget("2026-11", "meta", "", 30000)
	a := story(t, st, "spend last week vs plan", storyDay, "cfo")
	judge(t, a, []string{"Last week (Nov 16–22, 2026) spend is"}, []string{"Month to date (Nov 16"})
}

// TestJudgementPastWeekDoesNotProjectTheMonth: asked on Friday Nov 20,
// last week ran 33% over Meta's pro-rated budget, but the days since have
// brought the month back to plan: the week is reported, and the month is
// judged to date, never projected from a week that is over. Asked once
// November has closed, last week's pacing says the month closed, with no
// trim in it.
func TestJudgementPastWeekDoesNotProjectTheMonth(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-08", 1500), daily("meta", "2026-11-09", "2026-11-15", 2000), daily("meta", "2026-11-16", "2026-11-19", 500)).
		Budget("2026-11", "meta", "", 45000)
	a := story(t, st, "how was spend pacing last week", "2026-11-20", "cfo")
	judge(t, a, []string{"Last week (Nov 9–15, 2026) spend was " + usd(14000) + " against a pro-rated budget of " + usd(10500) + ": 133% of plan",
		"Month to date (Nov 1–19, 2026) spend is " + usd(28000), "the month ends at " + usd(28000.0/19*30)},
		[]string{"trim", "over plan", usd(2000 * 30)})

	closed := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-12-01", 1500)).Budget("2026-11", "meta", "", 40000).Budget("2026-12", "meta", "", 45000)
	c := story(t, closed, "how was spend pacing last week", "2026-12-02", "cfo")
	judge(t, c, []string{"Last week (Nov 23–29, 2026) spend was " + usd(10500), "November 2026 is closed: spend was " + usd(45000)},
		[]string{"trim daily budgets", "to land the month"})
}
