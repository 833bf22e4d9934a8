package question

import (
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// periodRuleCase is a question, the calendar it is read on, and the period
// and comparison it must be read as; clarify is a phrase the clarifying
// question must hold ("" for none), note one a note must hold.
type periodRuleCase struct {
	q, asOf         string
	fiscal          *period.Calendar
	period, compare string
	clarify, note   string
}

var (
	nrfCal  = &period.Calendar{Kind: period.NRF454, Start: time.February}
	julyCal = &period.Calendar{Kind: period.CalendarMonths, Start: time.July}
)

func runPeriodRules(t *testing.T, cases []periodRuleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			r := ParseWith(c.q, asOfDate(t, c.asOf), testVocab, Options{Fiscal: c.fiscal})
			if c.period != "" && spanText(&r.Period) != c.period {
				t.Errorf("%q: period %s (%q), want %s; notes %q clarify %q", c.q, spanText(&r.Period), r.Period.Label, c.period, r.Notes, r.Clarify)
			}
			if got := spanText(r.Compare); got != c.compare && (c.compare != "" || c.clarify == "") {
				t.Errorf("%q: compare %q, want %q; notes %q", c.q, got, c.compare, r.Notes)
			}
			switch {
			case c.clarify == "" && r.Clarify != "":
				t.Errorf("%q: asks %q, want an answer", c.q, r.Clarify)
			case c.clarify != "" && !strings.Contains(strings.ToLower(r.Clarify), strings.ToLower(c.clarify)):
				t.Errorf("%q: clarify %q, want it to say %q", c.q, r.Clarify, c.clarify)
			}
			if c.note != "" && !strings.Contains(strings.Join(r.Notes, " "), c.note) {
				t.Errorf("%q: notes %q, want %q", c.q, r.Notes, c.note)
			}
			checkInvariants(t, r)
		})
	}
}

// TestYearOverYearPeriods: a year over year with no period compares the
// last complete month; days and weeks go 52 weeks back, so weekdays line
// up, as the digests do; months and quarters the same calendar months.
func TestYearOverYearPeriods(t *testing.T) {
	runPeriodRules(t, []periodRuleCase{
		{q: "revenue yoy", period: pOct, compare: pOctLY, note: "last complete month, October 2026 (Oct 1–31, 2026), with October 2025"},
		{q: "spend yoy", period: pOct, compare: pOctLY},
		{q: "cac vs last year", period: pOct, compare: pOctLY},
		{q: "MER vs last year", period: pOct, compare: pOctLY},
		{q: "revenue yoy", asOf: "2026-12-02", period: "2026-11-01/2026-11-30", compare: "2025-11-01/2025-11-30"},
		{q: "revenue last week yoy", period: pLW, compare: "2025-11-10/2025-11-16", note: "Mon Nov 10 – Sun Nov 16, 2025, 52 weeks earlier"},
		{q: "spend last 7 days vs last year", period: pL7, compare: "2025-11-16/2025-11-22"},
		{q: "spend wtd yoy", period: pWTD, compare: "2025-11-17/2025-11-22"},
		{q: "thanksgiving week revenue yoy", asOf: "2026-12-01", period: "2026-11-23/2026-11-29", compare: "2025-11-24/2025-11-30"},
		{q: "revenue last month yoy", period: pOct, compare: pOctLY},
		{q: "revenue q3 vs last year", period: pQ3, compare: "2025-07-01/2025-09-30"},
		{q: "orders mtd vs last year", period: pMTD, compare: "2025-11-01/2025-11-21"},
		{q: "revenue ytd vs last year", period: pYTD, compare: pYTDLY},
		{q: "revenue yoy", fiscal: nrfCal, asOf: "2026-12-01", period: "2026-11-01/2026-11-28", compare: "2025-11-02/2025-11-29", note: "fiscal November 2026"},
	})
}

// TestPeriodTypos: a typo in a period word is read as the word meant, in
// context; a period word that cannot be read is asked about, never
// replaced by a default period.
func TestPeriodTypos(t *testing.T) {
	runPeriodRules(t, []periodRuleCase{
		{q: "roas last wek", period: pLW},
		{q: "meta cpa lsat month", period: pOct},
		{q: "spend lsat wek", period: pLW},
		{q: "spend las week", period: pLW},
		{q: "spend this mnth", period: pMTD},
		{q: "roas tihs week", period: pWTD},
		{q: "cpa last 7 dyas", period: pL7},
		{q: "spend last weak", period: pLW},
		{q: "revenue pst month", period: pL30}, // "past month" is the last 30 days
		{q: "roas last yaer", period: "2025-01-01/2025-12-31"},
		{q: "spend lastweek", period: pLW},
		{q: "spend thismonth", period: pMTD},
		{q: "spend last mnoht", clarify: `"last mnoht"`},
		{q: "roas last wkkend", clarify: "which period"},
		{q: "meta cpa past blorp", clarify: "which period"},
		{q: "spend this mnoht", clarify: "which period"},
		{q: "roas last several weeks", clarify: "how many weeks"},
		{q: "spend in the last few weeks", clarify: "how many weeks"},
		{q: "cpa last 2 wkes", clarify: `"last 2 wkes"`},
		{q: "spend ystrday", clarify: `"ystrday"`},
		{q: "spend last fiscal", clarify: "which fiscal period"},
		{q: "spend last wed", period: "2026-11-18/2026-11-18"},
		{q: "roas last wkend", period: pWkend},
		{q: "spend lasy week", period: pLW},
		{q: "spend prior wek", period: pLW},
		{q: "spend last quartr", period: pQ3},
		{q: "spend lsat black friday", period: "2025-11-28/2025-11-28"},
		{q: "what does this mean"},
		{q: "why is roas this weak", period: pL7, compare: pP7}, // "so weak", not "this week"
		{q: "lost revenue last week", period: pLW},
		{q: "list campaigns by spend last week", period: pLW},
		{q: "spend in the east last week", period: pLW},
	})
}

// TestFiscalPeriods: fiscal periods follow the business's calendar — the
// NRF 4-5-4 one here, as of Tuesday Dec 1, 2026, in fiscal December.
func TestFiscalPeriods(t *testing.T) {
	const asOf = "2026-12-01"
	runPeriodRules(t, []periodRuleCase{
		{q: "spend fiscal q3", asOf: asOf, fiscal: nrfCal, period: "2026-08-02/2026-10-31"},
		{q: "spend fiscal q3 2025", asOf: asOf, fiscal: nrfCal, period: "2025-08-03/2025-11-01"},
		{q: "revenue fiscal q3 yoy", asOf: asOf, fiscal: nrfCal, period: "2026-08-02/2026-10-31", compare: "2025-08-03/2025-11-01"},
		{q: "revenue fiscal month to date", asOf: asOf, fiscal: nrfCal, period: "2026-11-29/2026-11-30"},
		{q: "revenue fmtd", asOf: asOf, fiscal: nrfCal, period: "2026-11-29/2026-11-30"},
		{q: "revenue this fiscal year vs last", asOf: asOf, fiscal: nrfCal, period: "2026-02-01/2026-11-30", compare: "2025-02-02/2025-12-01"},
		{q: "spend fiscal week 12", asOf: asOf, fiscal: nrfCal, period: "2026-04-19/2026-04-25"},
		{q: "spend fiscal week 12 yoy", asOf: asOf, fiscal: nrfCal, period: "2026-04-19/2026-04-25", compare: "2025-04-20/2025-04-26"},
		{q: "spend last fiscal quarter", asOf: asOf, fiscal: nrfCal, period: "2026-08-02/2026-10-31"},
		{q: "spend last fiscal month", asOf: asOf, fiscal: nrfCal, period: "2026-11-01/2026-11-28"},
		{q: "spend last fiscal month vs the month before", asOf: asOf, fiscal: nrfCal, period: "2026-11-01/2026-11-28", compare: "2026-10-04/2026-10-31"},
		{q: "spend fy25", asOf: asOf, fiscal: nrfCal, period: "2025-02-02/2026-01-31"},
		{q: "spend fiscal year 2024", asOf: asOf, fiscal: nrfCal, period: "2024-02-04/2025-02-01"},
		{q: "meta spend vs last fiscal year", asOf: asOf, fiscal: nrfCal, period: "2026-02-01/2026-11-30", compare: "2025-02-02/2025-12-01", note: "same days of FY2025"},
		{q: "fytd spend", asOf: asOf, fiscal: nrfCal, period: "2026-02-01/2026-11-30"},
		{q: "spend last fiscal year", asOf: asOf, fiscal: nrfCal, period: "2025-02-02/2026-01-31"},
		{q: "spend fiscal q4", asOf: asOf, fiscal: nrfCal, period: "2026-11-01/2026-11-30"},
		{q: "revenue fiscal month to date", asOf: "2026-11-29", fiscal: nrfCal, period: "2026-11-01/2026-11-28", note: "no complete day yet"},
		// Fiscal years of calendar months from July: FY2026 is Jul 2025 – Jun 2026.
		{q: "spend fiscal q3", asOf: asOf, fiscal: julyCal, period: "2026-01-01/2026-03-31"},
		{q: "fytd spend", asOf: asOf, fiscal: julyCal, period: "2026-07-01/2026-11-30"},
		// No fiscal calendar set: the calendar period, and a question.
		{q: "spend fiscal q3", asOf: asOf, period: "2026-07-01/2026-09-30", clarify: "calendar"},
		{q: "spend fiscal month to date", asOf: asOf, period: "2026-11-01/2026-11-30", clarify: "calendar"},
	})
}
