package reports

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// The periods a digest can cover, as written in the configuration. Each
// ends at the latest yesterday, the last complete day, relative to the day
// the digest runs in its time zone.
const (
	PeriodYesterday     = "yesterday"
	PeriodLast7Days     = "last_7_days"
	PeriodLast14Days    = "last_14_days"
	PeriodLast28Days    = "last_28_days"
	PeriodLast30Days    = "last_30_days"
	PeriodLastWeek      = "last_week"
	PeriodWeekToDate    = "week_to_date"
	PeriodLastMonth     = "last_month"
	PeriodMonthToDate   = "month_to_date"
	PeriodLastQuarter   = "last_quarter"
	PeriodQuarterToDate = "quarter_to_date"
)

// Comparison modes: the period just before (the week before last week, the
// same days of last month for a month to date), or a year earlier.
const (
	ComparePrevious = "previous"
	CompareLastYear = "last_year"
)

var lastNDays = map[string]int{PeriodLast7Days: 7, PeriodLast14Days: 14, PeriodLast28Days: 28, PeriodLast30Days: 30}

// periodAliases maps everyday spellings onto period names.
var periodAliases = map[string]string{
	"mtd": PeriodMonthToDate, "wtd": PeriodWeekToDate, "qtd": PeriodQuarterToDate,
	"this_month": PeriodMonthToDate, "this_week": PeriodWeekToDate, "this_quarter": PeriodQuarterToDate,
	"previous_week": PeriodLastWeek, "previous_month": PeriodLastMonth, "daily": PeriodYesterday,
}

// PeriodNames lists every period name, sorted.
func PeriodNames() []string {
	names := []string{PeriodYesterday, PeriodLastWeek, PeriodWeekToDate, PeriodLastMonth, PeriodMonthToDate, PeriodLastQuarter, PeriodQuarterToDate}
	for n := range lastNDays {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NormalizePeriod maps a period as written ("last week", "Month-to-date",
// "MTD") onto its name, and reports whether it is one.
func NormalizePeriod(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	if a, ok := periodAliases[k]; ok {
		k = a
	}
	for _, n := range PeriodNames() {
		if n == k {
			return n, true
		}
	}
	return "", false
}

// Periods returns the period a digest covers when it runs on day today
// (a calendar day as UTC midnight) and the period it is compared with.
func Periods(name, compare string, today time.Time) (period.Period, period.Period, error) {
	today = period.Day(today)
	p, prev, err := periodAndPrevious(name, today)
	if err != nil {
		return period.Period{}, period.Period{}, err
	}
	if compare == CompareLastYear {
		return p, yearEarlier(name, p), nil
	}
	return p, prev, nil
}

func periodAndPrevious(name string, today time.Time) (period.Period, period.Period, error) {
	yday := today.AddDate(0, 0, -1)
	if n, ok := lastNDays[name]; ok {
		start := yday.AddDate(0, 0, 1-n)
		return span(start, yday, fmt.Sprintf("the last %d days", n)),
			span(start.AddDate(0, 0, -n), start.AddDate(0, 0, -1), fmt.Sprintf("the previous %d days", n)), nil
	}
	switch name {
	case PeriodYesterday:
		return span(yday, yday, "yesterday"), span(yday.AddDate(0, 0, -1), yday.AddDate(0, 0, -1), "the day before"), nil
	case PeriodLastWeek:
		mon := period.WeekStart(today).AddDate(0, 0, -7)
		return span(mon, mon.AddDate(0, 0, 6), "last week"), span(mon.AddDate(0, 0, -7), mon.AddDate(0, 0, -1), "the week before"), nil
	case PeriodWeekToDate:
		mon := period.WeekStart(today)
		if mon.Equal(today) {
			return periodAndPrevious(PeriodLastWeek, today)
		}
		return span(mon, yday, "this week to date"), span(mon.AddDate(0, 0, -7), yday.AddDate(0, 0, -7), "the same days last week"), nil
	case PeriodLastMonth:
		return lastMonths(today, 1, "last month", "the month before")
	case PeriodLastQuarter:
		return lastMonths(quarterStart(today), 3, "last quarter", "the quarter before")
	case PeriodMonthToDate:
		return toDate(today, period.MonthStart(today), 1, "this month to date", "the same days last month")
	case PeriodQuarterToDate:
		return toDate(today, quarterStart(today), 3, "this quarter to date", "the same days last quarter")
	}
	return period.Period{}, period.Period{}, fmt.Errorf("unknown period %q (want one of %s)", name, strings.Join(PeriodNames(), ", "))
}

func span(start, end time.Time, label string) period.Period {
	return period.Period{Start: start, End: end, Label: label}
}

func quarterStart(d time.Time) time.Time {
	m := (int(d.Month())-1)/3*3 + 1
	return time.Date(d.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

// lastMonths is the n whole months before the one starting at or containing
// ref, and the n months before those.
func lastMonths(ref time.Time, n int, label, prevLabel string) (period.Period, period.Period, error) {
	cur := period.MonthStart(ref)
	start := cur.AddDate(0, -n, 0)
	return span(start, cur.AddDate(0, 0, -1), label), span(start.AddDate(0, -n, 0), start.AddDate(0, 0, -1), prevLabel), nil
}

// toDate is the unit (n months from start) up to yesterday, and the same
// number of days of the unit before; on the unit's first day, with no
// complete day yet, it is the whole unit before.
func toDate(today, start time.Time, n int, label, prevLabel string) (period.Period, period.Period, error) {
	if start.Equal(today) {
		whole, before := "last month", "the month before"
		if n == 3 {
			whole, before = "last quarter", "the quarter before"
		}
		return lastMonths(start, n, whole, before)
	}
	yday := today.AddDate(0, 0, -1)
	prevStart := start.AddDate(0, -n, 0)
	prevEnd := prevStart.AddDate(0, 0, int(yday.Sub(start).Hours()/24))
	if !prevEnd.Before(start) {
		prevEnd = start.AddDate(0, 0, -1)
	}
	return span(start, yday, label), span(prevStart, prevEnd, prevLabel), nil
}

// yearEarlier is p a year before: 52 weeks for periods made of days or weeks,
// so weekdays line up; the same calendar months otherwise.
func yearEarlier(name string, p period.Period) period.Period {
	switch name {
	case PeriodLastMonth, PeriodLastQuarter:
		s := p.Start.AddDate(-1, 0, 0)
		months := 1
		if name == PeriodLastQuarter {
			months = 3
		}
		return span(s, s.AddDate(0, months, -1), "a year earlier")
	case PeriodMonthToDate, PeriodQuarterToDate:
		s := p.Start.AddDate(-1, 0, 0)
		return span(s, s.AddDate(0, 0, p.Days()-1), "the same days last year")
	}
	return span(p.Start.AddDate(0, 0, -364), p.End.AddDate(0, 0, -364), "the same days last year")
}

// monthToDate is the month to date as of today, for pacing sections.
func monthToDate(today time.Time) period.Period {
	ms := period.MonthStart(today)
	if ms.Equal(today) {
		p, _, _ := lastMonths(today, 1, "last month", "")
		return p
	}
	return span(ms, today.AddDate(0, 0, -1), "this month to date")
}

// weeksEnding is the n whole weeks up to the end of p (the week p ends in
// counts when p ends on a Sunday), for trends.
func weeksEnding(p period.Period, n int) period.Period {
	end := p.End
	if end.Weekday() != time.Sunday {
		end = period.WeekStart(end).AddDate(0, 0, -1)
	}
	start := period.WeekStart(end).AddDate(0, 0, -7*(n-1))
	return span(start, end, fmt.Sprintf("the last %d weeks", n))
}

func parseDay(s string) (time.Time, error) { return time.Parse(period.DateLayout, s) }
