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
	if n, ok := lastNDays[name]; ok {
		p := period.LastDays(today, n)
		return p.Named(fmt.Sprintf("the last %d days", n)), p.Before(period.Days).Named(fmt.Sprintf("the previous %d days", n)), nil
	}
	switch name {
	case PeriodYesterday:
		p := period.LastDays(today, 1)
		return p.Named("yesterday"), p.Before(period.Days).Named("the day before"), nil
	case PeriodLastWeek:
		p := period.Last(period.Weeks, today, 1)
		return p.Named("last week"), p.Before(period.Weeks).Named("the week before"), nil
	case PeriodWeekToDate:
		p, ok := period.ToDate(period.Weeks, today)
		if !ok {
			return periodAndPrevious(PeriodLastWeek, today)
		}
		return p.Named("this week to date"), p.Shift(period.Weeks, -1).Named("the same days last week"), nil
	case PeriodLastMonth:
		return lastUnit(today, period.Months)
	case PeriodLastQuarter:
		return lastUnit(today, period.Quarters)
	case PeriodMonthToDate:
		return toDate(today, period.Months)
	case PeriodQuarterToDate:
		return toDate(today, period.Quarters)
	}
	return period.Period{}, period.Period{}, fmt.Errorf("unknown period %q (want one of %s)", name, strings.Join(PeriodNames(), ", "))
}

func span(start, end time.Time, label string) period.Period {
	return period.Period{Start: start, End: end, Label: label}
}

// unitWords name a month or a quarter in digest labels.
var unitWords = map[period.Unit]string{period.Months: "month", period.Quarters: "quarter"}

// lastUnit is the whole month (quarter) before today's, and the one before.
func lastUnit(today time.Time, u period.Unit) (period.Period, period.Period, error) {
	p := period.Last(u, today, 1)
	return p.Named("last " + unitWords[u]), p.Before(u).Named("the " + unitWords[u] + " before"), nil
}

// toDate is the month (quarter) up to yesterday, and as many days of the
// one before; on its first day, with no complete day yet, it is the whole
// month (quarter) before.
func toDate(today time.Time, u period.Unit) (period.Period, period.Period, error) {
	p, ok := period.ToDate(u, today)
	if !ok {
		return lastUnit(today, u)
	}
	w := unitWords[u]
	return p.Named("this " + w + " to date"), p.ToDateBefore(u).Named("the same days last " + w), nil
}

// yearEarlier is p a year before, by the rule answers use too
// (period.Period.YearAgo): 52 weeks for periods made of days or weeks, so
// weekdays line up; the same dates for a month or quarter to date; the
// same calendar months otherwise.
func yearEarlier(name string, p period.Period) period.Period {
	switch name {
	case PeriodLastMonth, PeriodLastQuarter:
		return p.YearAgo(period.Months, false).Named("a year earlier")
	case PeriodMonthToDate, PeriodQuarterToDate:
		return p.YearAgo(period.Months, true).Named("the same days last year")
	}
	return p.YearAgo(period.Days, false).Named("the same days last year")
}

// monthToDate is the month to date as of today, for pacing sections.
func monthToDate(today time.Time) period.Period {
	if p, ok := period.ToDate(period.Months, today); ok {
		return p.Named("this month to date")
	}
	return period.Last(period.Months, today, 1).Named("last month")
}

// weeksEnding is the n whole weeks up to the end of p (the week p ends in
// counts when p ends on a Sunday), for trends.
func weeksEnding(p period.Period, n int) period.Period {
	return period.WeeksEnding(p.End, n).Named(fmt.Sprintf("the last %d weeks", n))
}

func parseDay(s string) (time.Time, error) { return time.Parse(period.DateLayout, s) }
