package intents

import (
	"context"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Judgement scenarios for periods: year over year without a period, weeks
// compared on matched weekdays, typos in period words, and the NRF 4-5-4
// fiscal calendar.

// fiscalStory asks q as story does, with the business on fiscal calendar cal.
func fiscalStory(t *testing.T, st *datatest.Store, q, asOf, audience string, cal period.Calendar) model.Answer {
	t.Helper()
	eng := New(st.Import(), WithFiscalCalendar(&cal))
	a, _, err := eng.Ask(context.Background(), q, datatest.Day(t, asOf), audience)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return a
}

var nrf454 = period.Calendar{Kind: period.NRF454, Start: time.February}

// thirteenMonths plants Meta from late October 2025, as the demo's data
// starts, to Dec 1, 2026: $1,000 a day and $4,000 of revenue last year,
// $1,200 and $5,000 from November 2026.
func thirteenMonths(t *testing.T) *datatest.Store {
	return datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2025-10-28", To: "2026-10-31", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-01", To: "2026-12-01", Spend: 1200, Impressions: 110000, Clicks: 1100, Conversions: 25, Revenue: 5000},
	)
}

// TestJudgementRevenueYoYUsesLastYearsData: the data starts in October
// 2025, so a year to date has no counterpart; "revenue yoy" compares the
// last complete month with the same month a year earlier, and says so.
func TestJudgementRevenueYoYUsesLastYearsData(t *testing.T) {
	a := story(t, thirteenMonths(t), "revenue yoy", "2026-12-02", "cmo")
	judge(t, a, []string{"last month (Nov 1–30, 2026)", "November 2025", "up 25.0%", "last complete month"},
		[]string{"nothing complete to compare", "year to date", "Jan 1"})
}

// TestJudgementSpendYoYNamesTheMonth: "spend yoy" for the CFO is November
// against November, not a year to date with nothing to compare.
func TestJudgementSpendYoYNamesTheMonth(t *testing.T) {
	a := story(t, thirteenMonths(t), "spend yoy", "2026-12-02", "cfo")
	judge(t, a, []string{"$36,000", "$30,000", "up 20.0%", "November 2025 (Nov 1–30, 2025)"},
		[]string{"nothing complete to compare", "year to date"})
}

// TestJudgementCACVsLastYear: CAC from business new customers rose from $20
// to $30 between the two Novembers; "cac vs last year" says it.
func TestJudgementCACVsLastYear(t *testing.T) {
	st := thirteenMonths(t).
		Business("online", "2025-10-28", "2026-10-31", 100, 10000, 50, nil).
		Business("online", "2026-11-01", "2026-12-01", 100, 11000, 40, nil)
	a := story(t, st, "cac vs last year", "2026-12-02", "cfo")
	judge(t, a, []string{"$30.00", "$20.00", "up 50.0%", "November 2025"},
		[]string{"nothing complete to compare", "year to date", "held steady"})
}

// TestJudgementMERVsLastYear: the CFO's help suggestion "MER vs last year"
// answers with last year's data: business revenue over spend, November
// against November.
func TestJudgementMERVsLastYear(t *testing.T) {
	st := thirteenMonths(t).Business("online", "2025-10-28", "2026-12-01", 100, 10000, 50, nil)
	a := story(t, st, "MER vs last year", "2026-12-02", "cfo")
	judge(t, a, []string{"November 2025", "10.00x", "8.33x"}, []string{"nothing complete to compare", "year to date"})
}

// TestJudgementHolidayWeekYoYOnMatchedWeekdays: Thanksgiving week 2026
// (Mon Nov 23 – Sun Nov 29) is compared with Thanksgiving week 2025 (Mon
// Nov 24 – Sun Nov 30), 52 weeks back, Black Friday against Black Friday —
// not with the same calendar dates, and not with the quiet week before.
func TestJudgementHolidayWeekYoYOnMatchedWeekdays(t *testing.T) {
	blackFriday := map[string]bool{"2025-11-28": true, "2026-11-27": true}
	fill := func(growth float64) func(d time.Time, r *data.AdRow) {
		return func(d time.Time, r *data.AdRow) {
			r.Revenue *= growth
			if blackFriday[d.Format(period.DateLayout)] {
				r.Revenue *= 10
			}
		}
	}
	st := datatest.New(t).Ads(
		datatest.Daily{Platform: "google_ads", Campaign: "Google Shopping", From: "2025-11-01", To: "2025-12-31", Spend: 500, Impressions: 50000, Clicks: 800, Conversions: 20, Revenue: 1000, Fill: fill(1)},
		datatest.Daily{Platform: "google_ads", Campaign: "Google Shopping", From: "2026-01-01", To: "2026-11-29", Spend: 500, Impressions: 50000, Clicks: 800, Conversions: 20, Revenue: 1000, Fill: fill(1.1)},
	)
	a := story(t, st, "revenue last week yoy", "2026-11-30", "team")
	judge(t, a, []string{"Nov 24–30, 2025", "up 10.0%", "52 weeks earlier", "Mon Nov 24"},
		[]string{"Nov 23–29, 2025", "the week before", "Nov 16–22"})
}

// TestJudgementTypoPeriodIsReadAsMeant: "meta cpa lsat month" is last
// month, never the default last 7 days.
func TestJudgementTypoPeriodIsReadAsMeant(t *testing.T) {
	a := story(t, thirteenMonths(t), "meta cpa lsat month", "2026-12-02", "team")
	judge(t, a, []string{"last month (Nov 1–30, 2026)", "$48.00"}, []string{"last 7 days", "No period given"})
	b := story(t, thirteenMonths(t), "roas last wek", "2026-12-02", "team")
	judge(t, b, []string{"last week (Nov 23–29, 2026)"}, []string{"last 7 days", "No period given"})
}

// TestJudgementUnreadPeriodIsAskedAbout: a period word that cannot be read
// gets a question back, never an answer for a default period.
func TestJudgementUnreadPeriodIsAskedAbout(t *testing.T) {
	a := story(t, thirteenMonths(t), "spend last mnoht", "2026-12-02", "cfo")
	judge(t, a, []string{`which period do you mean by "last mnoht"`}, []string{"No period given", "was $", "Nov 25"})
	if len(a.Rows) != 0 {
		t.Errorf("answered %d rows for a period it could not read", len(a.Rows))
	}
}

// TestJudgementFiscalQ3OnNRF: on the 4-5-4 calendar fiscal Q3 2026 is Aug 2
// – Oct 31, 91 days at $1,000 — not calendar Q3's 92 days from Jul 1.
func TestJudgementFiscalQ3OnNRF(t *testing.T) {
	st := datatest.New(t).Ads(datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-05-01", To: "2026-12-01", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000})
	a := fiscalStory(t, st, "spend fiscal q3", "2026-12-02", "cfo", nrf454)
	judge(t, a, []string{"fiscal Q3 2026", "Aug 2 – Oct 31, 2026", "$91,000"}, []string{"$92,000", "Jul 1", "calendar periods"})
}

// TestJudgementFiscalQ3WithoutCalendarAsks: with no fiscal calendar set,
// "fiscal Q3" is not silently answered as the calendar quarter.
func TestJudgementFiscalQ3WithoutCalendarAsks(t *testing.T) {
	st := datatest.New(t).Ads(datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-05-01", To: "2026-12-01", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000})
	a := story(t, st, "spend fiscal q3", "2026-12-02", "cfo")
	judge(t, a, []string{"calendar", "Q3 2026"}, []string{"$92,000", "$91,000", "fiscal Q3 2026"})
}

// TestJudgementFiscalYearVsLast: "this fiscal year vs last" on the 4-5-4
// calendar is FY2026 to date against the same days of FY2025, 52 weeks
// back, with the year's growth.
func TestJudgementFiscalYearVsLast(t *testing.T) {
	st := datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2025-01-01", To: "2026-01-31", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-02-01", To: "2026-12-01", Spend: 1100, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
	)
	a := fiscalStory(t, st, "spend this fiscal year vs last", "2026-12-02", "cfo", nrf454)
	judge(t, a, []string{"FY2026 to date (Feb 1 – Dec 1, 2026)", "FY2025", "Feb 2 – Dec 2, 2025", "up 10.0%"},
		[]string{"nothing complete to compare", "Jan 1"})
}

// TestJudgementFiscalMonthAfter53WeekYear: FY2023 had 53 weeks, so fiscal
// February 2024 is compared with the restated February 2023 — Feb 5 – Mar
// 4, 52 weeks back — as NRF's comparable calendar does.
func TestJudgementFiscalMonthAfter53WeekYear(t *testing.T) {
	st := datatest.New(t).Ads(datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2023-01-01", To: "2024-03-10", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000})
	a := fiscalStory(t, st, "spend last fiscal month yoy", "2024-03-11", "cfo", nrf454)
	judge(t, a, []string{"Feb 4 – Mar 2, 2024", "Feb 5 – Mar 4, 2023"}, []string{"Jan 29 – Feb 25, 2023", "Feb 1"})
}

// TestJudgementBlackFridayYesterdayYoY: asked the day after Black Friday,
// "revenue yesterday vs last year" sets Black Friday against Black Friday
// (Fri Nov 28, 2025, 52 weeks back): +10%, not a tenfold jump on the
// calendar date, which last year was Thanksgiving.
func TestJudgementBlackFridayYesterdayYoY(t *testing.T) {
	blackFriday := map[string]bool{"2025-11-28": true, "2026-11-27": true}
	fill := func(d time.Time, r *data.AdRow) {
		if d.Year() == 2026 {
			r.Revenue *= 1.1
		}
		if blackFriday[d.Format(period.DateLayout)] {
			r.Revenue *= 10
		}
	}
	st := datatest.New(t).Ads(datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2025-11-01", To: "2026-11-27", Spend: 500, Impressions: 50000, Clicks: 800, Conversions: 20, Revenue: 2000, Fill: fill})
	a := story(t, st, "revenue yesterday vs last year", "2026-11-28", "team")
	judge(t, a, []string{"Fri Nov 28, 2025", "up 10.0%"}, []string{"Thu Nov 27, 2025", "Nov 27, 2025", "up 1,0", "up 9"})
}

// TestJudgementTypoInBothPeriods: "roas lsat wek vs the week before" reads
// both words and compares the two weeks, no default period anywhere.
func TestJudgementTypoInBothPeriods(t *testing.T) {
	st := datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-16", To: "2026-11-22", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-23", To: "2026-12-01", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 3000},
	)
	a := story(t, st, "roas lsat wek vs the week before", "2026-12-02", "team")
	judge(t, a, []string{"last week (Nov 23–29, 2026)", "Nov 16–22, 2026", "4.00x", "3.00x"}, []string{"last 7 days", "No period given"})
}
