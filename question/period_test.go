package question

import (
	"testing"
	"time"
)

func pday(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParsePeriod(t *testing.T) {
	tests := []periodCase{
		// Relative days.
		{"yesterday", "2026-11-22", "2026-11-21", "2026-11-21", "yesterday"},
		{"yesterday", "2026-01-01", "2025-12-31", "2025-12-31", ""},
		{"yesterday", "2024-03-01", "2024-02-29", "2024-02-29", ""},
		{"yday", "2026-11-22", "2026-11-21", "2026-11-21", ""},
		{"yesterdy", "2026-11-22", "2026-11-21", "2026-11-21", ""},
		{"today", "2026-11-22", "2026-11-22", "2026-11-22", "today"},
		{"the day before yesterday", "2026-11-22", "2026-11-20", "2026-11-20", ""},
		{"3 days ago", "2026-11-22", "2026-11-19", "2026-11-19", ""},
		// Last N days, weeks, months, quarters, years.
		{"last 7 days", "2026-11-22", "2026-11-15", "2026-11-21", "the last 7 days"},
		{"last 7 days", "2026-03-03", "2026-02-24", "2026-03-02", ""},
		{"last 7 days", "2024-03-03", "2024-02-25", "2024-03-02", ""},
		{"past 30 days", "2024-03-15", "2024-02-14", "2024-03-14", "the last 30 days"},
		{"l7d", "2026-11-22", "2026-11-15", "2026-11-21", ""},
		{"last 90d", "2026-11-22", "2026-08-24", "2026-11-21", ""},
		{"trailing 14 days", "2026-01-05", "2025-12-22", "2026-01-04", ""},
		{"last 8 weeks", "2026-11-22", "2026-09-21", "2026-11-15", "the last 8 weeks"},
		{"last 2 weeks", "2026-01-05", "2025-12-22", "2026-01-04", ""},
		{"last two wks", "2026-11-24", "2026-11-09", "2026-11-22", ""},
		{"last 3 months", "2026-02-15", "2025-11-01", "2026-01-31", "the last 3 months"},
		{"last 12 months", "2026-11-22", "2025-11-01", "2026-10-31", ""},
		{"last 2 quarters", "2026-05-10", "2025-10-01", "2026-03-31", ""},
		{"past week", "2026-11-22", "2026-11-15", "2026-11-21", ""},
		// Last and previous calendar units.
		{"last week", "2026-11-22", "2026-11-09", "2026-11-15", "last week"},
		{"last week", "2026-11-24", "2026-11-16", "2026-11-22", ""},
		{"last week", "2026-01-01", "2025-12-22", "2025-12-28", ""},
		{"lw", "2026-11-23", "2026-11-16", "2026-11-22", ""},
		{"previous week", "2026-11-22", "2026-11-09", "2026-11-15", ""},
		{"the week before last", "2026-11-22", "2026-11-02", "2026-11-08", ""},
		{"2 weeks ago", "2026-11-22", "2026-11-02", "2026-11-08", ""},
		{"last month", "2026-01-15", "2025-12-01", "2025-12-31", "last month"},
		{"last month", "2024-03-10", "2024-02-01", "2024-02-29", ""},
		{"last month", "2026-03-31", "2026-02-01", "2026-02-28", ""},
		{"lm", "2026-11-22", "2026-10-01", "2026-10-31", ""},
		{"3 months ago", "2026-11-22", "2026-08-01", "2026-08-31", "August 2026"},
		{"last quarter", "2026-01-15", "2025-10-01", "2025-12-31", "last quarter"},
		{"last qtr", "2026-11-22", "2026-07-01", "2026-09-30", ""},
		{"last year", "2026-11-22", "2025-01-01", "2025-12-31", "last year"},
		{"last yr", "2026-01-01", "2025-01-01", "2025-12-31", ""},
		// To date, and the first day of a unit.
		{"this week", "2026-11-24", "2026-11-23", "2026-11-23", "this week to date"},
		{"this week", "2026-11-23", "2026-11-16", "2026-11-22", "last week"},
		{"wtd", "2026-11-22", "2026-11-16", "2026-11-21", ""},
		{"this month", "2026-11-22", "2026-11-01", "2026-11-21", "this month to date"},
		{"mtd", "2026-03-01", "2026-02-01", "2026-02-28", "last month"},
		{"month to date", "2024-03-01", "2024-02-01", "2024-02-29", ""},
		{"this quarter", "2026-11-22", "2026-10-01", "2026-11-21", ""},
		{"qtd", "2026-04-01", "2026-01-01", "2026-03-31", ""},
		{"this year", "2026-11-22", "2026-01-01", "2026-11-21", "this year to date"},
		{"ytd", "2026-01-01", "2025-01-01", "2025-12-31", "last year"},
		{"year to date", "2026-01-02", "2026-01-01", "2026-01-01", ""},
		{"since the start of the month", "2026-11-22", "2026-11-01", "2026-11-21", ""},
		// Named months.
		{"in october", "2026-11-22", "2026-10-01", "2026-10-31", "October 2026"},
		{"oct", "2026-11-22", "2026-10-01", "2026-10-31", ""},
		{"november", "2026-11-22", "2026-11-01", "2026-11-21", "November 2026 to date"},
		{"december", "2026-11-22", "2025-12-01", "2025-12-31", "December 2025"},
		{"in january", "2026-01-01", "2025-01-01", "2025-01-31", ""},
		{"last november", "2026-11-22", "2025-11-01", "2025-11-30", ""},
		{"oct 2025", "2026-11-22", "2025-10-01", "2025-10-31", "October 2025"},
		{"october last year", "2026-11-22", "2025-10-01", "2025-10-31", ""},
		{"feb 2024", "2026-11-22", "2024-02-01", "2024-02-29", ""},
		{"feb 2025", "2026-11-22", "2025-02-01", "2025-02-28", ""},
		{"in may", "2026-11-22", "2026-05-01", "2026-05-31", ""},
		{"nov '25", "2026-11-22", "2025-11-01", "2025-11-30", "November 2025"},
		// Quarters, halves and years.
		{"q3", "2026-11-22", "2026-07-01", "2026-09-30", "Q3 2026"},
		{"Q4", "2026-11-22", "2026-10-01", "2026-11-21", "Q4 2026 to date"},
		{"q1", "2026-02-10", "2026-01-01", "2026-02-09", ""},
		{"q2", "2026-02-10", "2025-04-01", "2025-06-30", ""},
		{"Q3 2025", "2026-11-22", "2025-07-01", "2025-09-30", "Q3 2025"},
		{"2025 q3", "2026-11-22", "2025-07-01", "2025-09-30", ""},
		{"q4 last year", "2026-11-22", "2025-10-01", "2025-12-31", ""},
		{"q1 2024", "2026-11-22", "2024-01-01", "2024-03-31", ""},
		{"h1 2026", "2026-11-22", "2026-01-01", "2026-06-30", "H1 2026"},
		{"h2", "2026-11-22", "2026-07-01", "2026-11-21", "H2 2026 to date"},
		{"in 2025", "2026-11-22", "2025-01-01", "2025-12-31", "2025"},
		{"2024", "2026-11-22", "2024-01-01", "2024-12-31", ""},
		{"2026", "2026-11-22", "2026-01-01", "2026-11-21", "2026 to date"},
		// Explicit dates and ranges.
		{"Nov 1-15", "2026-11-22", "2026-11-01", "2026-11-15", "Nov 1–15, 2026"},
		{"Nov 1–15", "2026-11-22", "2026-11-01", "2026-11-15", ""},
		{"nov 1st to 15th", "2026-11-22", "2026-11-01", "2026-11-15", ""},
		{"from 2026-10-01 to 2026-10-31", "2026-11-22", "2026-10-01", "2026-10-31", "Oct 1–31, 2026"},
		{"10/1 - 10/31", "2026-11-22", "2026-10-01", "2026-10-31", ""},
		{"10/1/2025-12/31/2025", "2026-11-22", "2025-10-01", "2025-12-31", ""},
		{"between Oct 3 and Oct 9", "2026-11-22", "2026-10-03", "2026-10-09", ""},
		{"oct 3 - nov 9", "2026-11-22", "2026-10-03", "2026-11-09", "Oct 3 – Nov 9, 2026"},
		{"dec 20 - jan 5", "2026-01-10", "2025-12-20", "2026-01-05", "Dec 20, 2025 – Jan 5, 2026"},
		{"dec 1 to dec 31", "2026-11-22", "2025-12-01", "2025-12-31", ""},
		{"nov 10 - nov 30", "2026-11-22", "2026-11-10", "2026-11-21", ""},
		{"nov 1 to today", "2026-11-22", "2026-11-01", "2026-11-21", ""},
		{"since nov 1", "2026-11-22", "2026-11-01", "2026-11-21", "since Nov 1, 2026"},
		{"since october", "2026-11-22", "2026-10-01", "2026-11-21", ""},
		{"since last monday", "2026-11-22", "2026-11-16", "2026-11-21", ""},
		{"on nov 3", "2026-11-22", "2026-11-03", "2026-11-03", "Tue Nov 3, 2026"},
		{"3 nov 2025", "2026-11-22", "2025-11-03", "2025-11-03", ""},
		{"2026-02-28", "2026-11-22", "2026-02-28", "2026-02-28", ""},
		{"feb 29", "2026-11-22", "2024-02-29", "2024-02-29", ""},
		{"2/29/2024", "2026-11-22", "2024-02-29", "2024-02-29", ""},
		{"12/31", "2026-01-01", "2025-12-31", "2025-12-31", ""},
		{"week of nov 9", "2026-11-22", "2026-11-09", "2026-11-15", "the week of Nov 9, 2026"},
		{"the week of 11/11", "2026-11-22", "2026-11-09", "2026-11-15", ""},
		// Weekdays and weekends.
		{"monday", "2026-11-22", "2026-11-16", "2026-11-16", ""},
		{"last friday", "2026-11-22", "2026-11-20", "2026-11-20", ""},
		{"on sunday", "2026-11-22", "2026-11-15", "2026-11-15", ""},
		{"last weekend", "2026-11-22", "2026-11-14", "2026-11-15", "last weekend"},
		{"last weekend", "2026-11-23", "2026-11-21", "2026-11-22", ""},
		{"over the weekend", "2026-11-21", "2026-11-14", "2026-11-15", ""},
		{"weekend before last", "2026-11-23", "2026-11-14", "2026-11-15", ""},
		// Retail holidays: the latest complete one, or the year named.
		{"black friday", "2026-11-22", "2025-11-28", "2025-11-28", "Black Friday 2025"},
		{"black friday", "2026-11-27", "2025-11-28", "2025-11-28", ""},
		{"black friday", "2026-11-28", "2026-11-27", "2026-11-27", "Black Friday 2026"},
		{"black friday 2024", "2026-11-22", "2024-11-29", "2024-11-29", ""},
		{"last year's black friday", "2026-12-05", "2025-11-28", "2025-11-28", ""},
		{"cyber monday", "2026-11-22", "2025-12-01", "2025-12-01", "Cyber Monday 2025"},
		{"bfcm", "2026-12-05", "2026-11-27", "2026-11-30", "Black Friday–Cyber Monday 2026"},
		{"cyber week", "2026-11-22", "2025-11-28", "2025-12-01", ""},
		{"black friday weekend", "2026-12-05", "2026-11-27", "2026-11-30", ""},
		{"bfcm 2024", "2026-11-22", "2024-11-29", "2024-12-02", ""},
		{"thanksgiving 2026", "2026-12-05", "2026-11-26", "2026-11-26", ""},
		{"cyber 5", "2026-12-05", "2026-11-26", "2026-11-30", ""},
	}
	checkPeriods(t, tests)
}

func TestParsePeriodSpan(t *testing.T) {
	text := "What did Meta spend last week, by campaign?"
	p, sp, ok := ParsePeriod(text, pday("2026-11-22"))
	if !ok || text[sp.Start:sp.End] != "last week" || p.Label != "last week" {
		t.Errorf("ParsePeriod(%q) = %v, span %q, %v", text, p, text[sp.Start:sp.End], ok)
	}
}

func TestParsePeriodNone(t *testing.T) {
	for _, text := range []string{"roas by platform", "top 3 campaigns", "may i see spend", "what drove the drop", "", "google vs meta"} {
		if p, _, ok := ParsePeriod(text, pday("2026-11-22")); ok {
			t.Errorf("ParsePeriod(%q) = %v, want none", text, p)
		}
	}
}

// TestAsOfTimeOfDay reads asOf as a calendar day whatever its clock time
// and zone.
func TestAsOfTimeOfDay(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 11, 22, 23, 30, 0, 0, ny)
	p, _, _ := ParsePeriod("yesterday", asOf)
	if !p.Start.Equal(pday("2026-11-21")) || p.Start.Location() != time.UTC {
		t.Errorf("yesterday = %v, want 2026-11-21 UTC", p.Start)
	}
}

func TestPreviousAndShiftedPeriods(t *testing.T) {
	today := pday("2026-11-22")
	tests := []struct {
		name       string
		got        spanInfo
		start, end string
	}{
		{"week before last week", previousSpan(lastUnits(today, unitWeek, 1)), "2026-11-02", "2026-11-08"},
		{"the 8 weeks before", previousSpan(lastUnits(today, unitWeek, 8)), "2026-07-27", "2026-09-20"},
		{"month before Mar 2026", previousSpan(wholeMonth(today, 2026, time.March)), "2026-02-01", "2026-02-28"},
		{"month before Mar 2024", previousSpan(wholeMonth(today, 2024, time.March)), "2024-02-01", "2024-02-29"},
		{"month before Jan", previousSpan(wholeMonth(today, 2026, time.January)), "2025-12-01", "2025-12-31"},
		{"same days last month, MTD", previousSpan(toDate(today, unitMonth)), "2026-10-01", "2026-10-21"},
		{"same days last month, Mar 1-30", previousSpan(toDate(pday("2026-03-31"), unitMonth)), "2026-02-01", "2026-02-28"},
		{"quarter before Q1", previousSpan(wholeQuarter(today, 2026, 1)), "2025-10-01", "2025-12-31"},
		{"days before the last 7", previousSpan(lastDays(today, 7)), "2026-11-08", "2026-11-14"},
		{"day before yesterday", previousSpan(lastDays(today, 1)), "2026-11-20", "2026-11-20"},
		{"weekend before", previousSpan(weekendBefore(today)), "2026-11-07", "2026-11-08"},
		{"YoY of a leap day", shiftSpan(mkSpan(pday("2024-02-29"), pday("2024-02-29"), unitDays, 1, ""), unitYear, 1), "2023-02-28", "2023-02-28"},
		{"YoY of Feb 2024", shiftSpan(wholeMonth(today, 2024, time.February), unitYear, 1), "2023-02-01", "2023-02-28"},
		{"YoY of YTD", shiftSpan(toDate(today, unitYear), unitYear, 1), "2025-01-01", "2025-11-21"},
		{"YoY of BFCM", shiftSpan(holidaySpan("bfcm", 2025), unitYear, 1), "2024-11-29", "2024-12-02"},
		{"WoW of the last 7 days", shiftSpan(lastDays(today, 7), unitWeek, 1), "2026-11-08", "2026-11-14"},
		{"MoM of Oct", shiftSpan(wholeMonth(today, 2026, time.October), unitMonth, 1), "2026-09-01", "2026-09-30"},
		{"QoQ of Nov", shiftSpan(wholeMonth(today, 2025, time.November), unitQuarter, 1), "2025-08-01", "2025-08-31"},
	}
	for _, tt := range tests {
		got := tt.got.Start.Format("2006-01-02") + "/" + tt.got.End.Format("2006-01-02")
		if got != tt.start+"/"+tt.end {
			t.Errorf("%s = %s, want %s/%s", tt.name, got, tt.start, tt.end)
		}
		if tt.got.Label == "" {
			t.Errorf("%s has no label", tt.name)
		}
	}
}

func TestThanksgiving(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-11-28", 2025: "2025-11-27", 2026: "2026-11-26", 2027: "2027-11-25", 2028: "2028-11-23"} {
		if got := thanksgiving(y).Format("2006-01-02"); got != want {
			t.Errorf("thanksgiving(%d) = %s, want %s", y, got, want)
		}
	}
}

// periodCase is a period expression, the day it is read on, and the dates
// (and, when set, the label) it must give.
type periodCase struct {
	text, asOf string
	start, end string
	label      string
}

func checkPeriods(t *testing.T, tests []periodCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.text+"@"+tt.asOf, func(t *testing.T) {
			p, _, ok := ParsePeriod(tt.text, pday(tt.asOf))
			if !ok {
				t.Fatalf("ParsePeriod(%q) found no period", tt.text)
			}
			if got := p.Start.Format("2006-01-02") + "/" + p.End.Format("2006-01-02"); got != tt.start+"/"+tt.end {
				t.Errorf("ParsePeriod(%q) = %s, want %s/%s", tt.text, got, tt.start, tt.end)
			}
			if tt.label != "" && p.Label != tt.label {
				t.Errorf("ParsePeriod(%q).Label = %q, want %q", tt.text, p.Label, tt.label)
			}
		})
	}
}
