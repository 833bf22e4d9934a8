package question

import (
	"fmt"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// calUnit is the calendar unit a period is made of; it decides what "the
// period before" and "a month earlier" mean.
type calUnit uint8

const (
	unitDays    calUnit = iota // a run of days: "last 7 days", "Nov 1–15"
	unitWeek                   // Monday–Sunday weeks
	unitMonth                  // calendar months
	unitQuarter                // calendar quarters
	unitYear                   // calendar years
	unitWeekend                // a Saturday–Sunday
	unitHoliday                // a retail holiday such as Black Friday
	unitHours                  // only in "last 48 hours": read as whole days
)

// spanInfo is a period with what the parser knows about its shape.
type spanInfo struct {
	period.Period
	unit    calUnit
	n       int    // how many whole units
	toDate  bool   // the unit so far, ending yesterday
	lastRel bool   // said as "last week/month/quarter/year"
	holiday string // holiday key for unitHoliday
	note    string // what was assumed, for Request.Notes
	weekday bool   // said as a day of the week: "last friday"
	fiscal  bool   // said as a fiscal period, read as the calendar one
	// fcal is the fiscal calendar the span is counted in, for a fiscal
	// period read through the business's calendar: the period before and
	// a year earlier are then fiscal too.
	fcal *period.Calendar
	// inYear, for a month, quarter or holiday said without a year, gives
	// it in year y: "black friday ... last year".
	inYear func(y int) spanInfo
	// month is the month of a bare month name ("december"), else 0.
	month time.Month
	// lastMonth is the month of "last <month>" ("last november"), else 0:
	// set against the same month, it is that month a year earlier.
	lastMonth time.Month
	// anchor is the period a "since" or "after" period starts from, when
	// that is more than a day: "since q2" has Q2.
	anchor *spanInfo
}

func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func daysIn(y int, m time.Month) int { return civil(y, m+1, 0).Day() }

func quarterOf(t time.Time) int { return (int(t.Month())-1)/3 + 1 }

func quarterStart(y, q int) time.Time { return civil(y, time.Month(3*(q-1)+1), 1) }

// calendar returns the calendar unit u counts in: weeks for a weekend, days
// for a run of days, a holiday or hours.
func (u calUnit) calendar() period.Unit {
	switch u {
	case unitWeek, unitWeekend:
		return period.Weeks
	case unitMonth:
		return period.Months
	case unitQuarter:
		return period.Quarters
	case unitYear:
		return period.Years
	}
	return period.Days
}

func spanOf(p period.Period, u calUnit, n int, label string) spanInfo {
	return spanInfo{Period: p.Named(label), unit: u, n: n}
}

func mkSpan(start, end time.Time, u calUnit, n int, label string) spanInfo {
	return spanInfo{Period: period.Period{Start: start, End: end, Label: label}, unit: u, n: n}
}

// lastDays is the n days ending yesterday.
func lastDays(today time.Time, n int) spanInfo {
	label := fmt.Sprintf("the last %d days", n)
	if n == 1 {
		label = "yesterday"
	}
	return spanOf(period.LastDays(today, n), unitDays, n, label)
}

// lastUnits is the n complete units before the current one.
func lastUnits(today time.Time, u calUnit, n int) spanInfo {
	s := spanOf(period.Last(u.calendar(), today, n), u, n, fmt.Sprintf("the last %d %ss", n, unitWord(u)))
	if n == 1 {
		s.Label = "last " + unitWord(u)
		s.lastRel = true
	}
	return s
}

// unitsAgo is the single complete unit n units before the current one.
func unitsAgo(today time.Time, u calUnit, n int) spanInfo {
	if u == unitDays {
		d := today.AddDate(0, 0, -n)
		return mkSpan(d, d, unitDays, 1, dayLabel(d))
	}
	start := u.calendar().Add(u.calendar().Start(today), -n)
	end := u.calendar().Add(start, 1).AddDate(0, 0, -1)
	return mkSpan(start, end, u, 1, wholeLabel(u, start, 1))
}

// toDate is the current unit up to yesterday; on the unit's first day it
// has no complete day, so the previous complete unit is used instead.
func toDate(today time.Time, u calUnit) spanInfo {
	p, ok := period.ToDate(u.calendar(), today)
	if !ok {
		s := lastUnits(today, u, 1)
		s.note = fmt.Sprintf("This %s has no complete day yet, so this is last %s.", unitWord(u), unitWord(u))
		return s
	}
	s := spanOf(p, u, 1, "this "+unitWord(u)+" to date")
	s.toDate = true
	return s
}

func unitWord(u calUnit) string {
	switch u {
	case unitWeek:
		return "week"
	case unitMonth:
		return "month"
	case unitQuarter:
		return "quarter"
	case unitYear:
		return "year"
	case unitWeekend:
		return "weekend"
	}
	return "day"
}

// wholeMonth returns month m of year y, or the month to date when it is the
// current month.
func wholeMonth(today time.Time, y int, m time.Month) spanInfo {
	start := civil(y, m, 1)
	return wholeOrToDate(today, unitMonth, start, start.Format("January 2006"))
}

func wholeQuarter(today time.Time, y, q int) spanInfo {
	return wholeOrToDate(today, unitQuarter, quarterStart(y, q), fmt.Sprintf("Q%d %d", q, y))
}

func wholeYear(today time.Time, y int) spanInfo {
	return wholeOrToDate(today, unitYear, civil(y, 1, 1), fmt.Sprint(y))
}

// wholeOrToDate is the unit starting at start, cut at yesterday when it is
// still running.
func wholeOrToDate(today time.Time, u calUnit, start time.Time, label string) spanInfo {
	end := u.calendar().Add(start, 1).AddDate(0, 0, -1)
	yday := today.AddDate(0, 0, -1)
	if !start.After(yday) && end.After(yday) {
		s := mkSpan(start, yday, u, 1, label+" to date")
		s.toDate = true
		return s
	}
	return mkSpan(start, end, u, 1, label)
}

// latestYearFor picks the latest year in which month m (from day d, or
// the month's first day when d is 0) has begun by yesterday: "in October"
// asked in November is this October, asked in September last October.
func latestYearFor(today time.Time, m time.Month, d int) int {
	y := today.Year()
	yday := today.AddDate(0, 0, -1)
	first := civil(y, m, max(d, 1))
	if first.After(yday) {
		return y - 1
	}
	return y
}

// thanksgiving is the fourth Thursday of November.
func thanksgiving(y int) time.Time {
	first := civil(y, time.November, 1)
	off := (int(time.Thursday) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, off+21)
}

// holidaySpan returns a retail holiday of year y.
func holidaySpan(key string, y int) spanInfo {
	tg := thanksgiving(y)
	var s spanInfo
	switch key {
	case "black_friday":
		s = mkSpan(tg.AddDate(0, 0, 1), tg.AddDate(0, 0, 1), unitHoliday, 1, fmt.Sprintf("Black Friday %d", y))
	case "cyber_monday":
		s = mkSpan(tg.AddDate(0, 0, 4), tg.AddDate(0, 0, 4), unitHoliday, 1, fmt.Sprintf("Cyber Monday %d", y))
	case "cyber_five":
		s = mkSpan(tg, tg.AddDate(0, 0, 4), unitHoliday, 1, fmt.Sprintf("Cyber Five %d (Thanksgiving–Cyber Monday)", y))
	case "thanksgiving":
		s = mkSpan(tg, tg, unitHoliday, 1, fmt.Sprintf("Thanksgiving %d", y))
	case "bfcm":
		s = mkSpan(tg.AddDate(0, 0, 1), tg.AddDate(0, 0, 4), unitHoliday, 1, fmt.Sprintf("Black Friday–Cyber Monday %d", y))
	case "thanksgiving_week":
		mon := period.WeekStart(tg)
		s = mkSpan(mon, mon.AddDate(0, 0, 6), unitHoliday, 1, fmt.Sprintf("Thanksgiving week %d", y))
	case "thanksgiving_weekend":
		s = mkSpan(tg, tg.AddDate(0, 0, 3), unitHoliday, 1, fmt.Sprintf("Thanksgiving weekend %d", y))
	case "labor_day_weekend", "memorial_day_weekend":
		d, name := fixedHoliday(strings.TrimSuffix(key, "_weekend"), y)
		s = mkSpan(d.AddDate(0, 0, -2), d, unitHoliday, 1, fmt.Sprintf("%s weekend %d", name, y))
	case "july_4_weekend":
		// The weekend July 4 falls in or makes long: Friday to Sunday,
		// Saturday to Monday, or the Saturday and Sunday it touches.
		d := civil(y, time.July, 4)
		start, end := d, d
		switch d.Weekday() {
		case time.Friday:
			end = d.AddDate(0, 0, 2)
		case time.Saturday:
			end = d.AddDate(0, 0, 1)
		case time.Sunday:
			start = d.AddDate(0, 0, -1)
		case time.Monday:
			start = d.AddDate(0, 0, -2)
		default: // midweek: the weekend before it
			start = d.AddDate(0, 0, -int(d.Weekday())-1)
			end = start.AddDate(0, 0, 1)
		}
		s = mkSpan(start, end, unitHoliday, 1, fmt.Sprintf("July 4th weekend %d", y))
	case "holiday_season":
		s = mkSpan(civil(y, time.November, 1), civil(y, time.December, 31), unitHoliday, 1, fmt.Sprintf("the %d holiday season (Nov–Dec)", y))
	default:
		d, name := fixedHoliday(key, y)
		s = mkSpan(d, d, unitHoliday, 1, fmt.Sprintf("%s %d", name, y))
	}
	s.holiday = key
	return s
}

// fixedHoliday is a one-day holiday of year y and its name.
func fixedHoliday(key string, y int) (time.Time, string) {
	switch key {
	case "christmas_eve":
		return civil(y, time.December, 24), "Christmas Eve"
	case "christmas":
		return civil(y, time.December, 25), "Christmas"
	case "boxing_day":
		return civil(y, time.December, 26), "Boxing Day"
	case "new_years_eve":
		return civil(y, time.December, 31), "New Year's Eve"
	case "new_years_day":
		return civil(y, time.January, 1), "New Year's Day"
	case "labor_day":
		return nthWeekday(y, time.September, time.Monday, 1), "Labor Day"
	case "memorial_day":
		return nthWeekday(y, time.June, time.Monday, 1).AddDate(0, 0, -7), "Memorial Day"
	case "july_4":
		return civil(y, time.July, 4), "the Fourth of July"
	case "halloween":
		return civil(y, time.October, 31), "Halloween"
	case "valentines_day":
		return civil(y, time.February, 14), "Valentine's Day"
	case "mothers_day":
		return nthWeekday(y, time.May, time.Sunday, 2), "Mother's Day"
	case "fathers_day":
		return nthWeekday(y, time.June, time.Sunday, 3), "Father's Day"
	case "singles_day":
		return civil(y, time.November, 11), "Singles' Day"
	}
	return civil(y, time.November, 1), key
}

// nthWeekday is the n-th given weekday of month m of year y.
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	first := civil(y, m, 1)
	off := (int(wd) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, off+7*(n-1))
}

// latestHoliday is the holiday of the latest year it is complete by
// yesterday.
func latestHoliday(today time.Time, key string) spanInfo {
	s := holidaySpan(key, today.Year())
	if key == "holiday_season" && s.Start.Before(today) && !s.End.Before(today) {
		// The season under way: to date.
		s.End, s.toDate = today.AddDate(0, 0, -1), true
		s.Label += " to date"
		return s
	}
	if !s.End.Before(today) {
		s = holidaySpan(key, today.Year()-1)
	}
	return s
}

// weekendBefore is the latest Saturday–Sunday that ended by yesterday.
func weekendBefore(today time.Time) spanInfo {
	sun := today.AddDate(0, 0, -1)
	for sun.Weekday() != time.Sunday {
		sun = sun.AddDate(0, 0, -1)
	}
	s := mkSpan(sun.AddDate(0, 0, -1), sun, unitWeekend, 1, "last weekend")
	return s
}

// latestWeekday is the latest given weekday up to yesterday.
func latestWeekday(today time.Time, wd time.Weekday) spanInfo {
	d := today.AddDate(0, 0, -1)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, -1)
	}
	return mkSpan(d, d, unitDays, 1, dayLabel(d))
}

// Previous returns the period before p, of the same shape: the week before
// a week, the month (quarter, year) before a whole one, the same days of the
// previous month for a month to date, the same number of days otherwise.
func Previous(p period.Period) period.Period { return previousSpan(shapeOf(p)).Period }

// shapeOf recovers a period's calendar shape from its dates.
func shapeOf(p period.Period) spanInfo {
	s := spanInfo{Period: p, unit: unitDays, n: p.Days()}
	start, next := p.Start, p.End.AddDate(0, 0, 1)
	months := (next.Year()-start.Year())*12 + int(next.Month()-start.Month())
	switch {
	case p.Days() == 7 && start.Weekday() == time.Monday:
		s.unit, s.n = unitWeek, 1
	case start.Day() == 1 && next.Day() == 1 && months%12 == 0 && start.Month() == time.January:
		s.unit, s.n = unitYear, months/12
	case start.Day() == 1 && next.Day() == 1 && months%3 == 0 && (start.Month()-1)%3 == 0:
		s.unit, s.n = unitQuarter, months/3
	case start.Day() == 1 && next.Day() == 1:
		s.unit, s.n = unitMonth, months
	case start.Day() == 1 && start.Month() == p.End.Month() && start.Year() == p.End.Year():
		s.unit, s.n, s.toDate = unitMonth, 1, true
	}
	return s
}

// previousSpan is the period just before s of the same shape: the week
// before a week, the month before a month, the same days of the previous
// month for a month to date, the same number of days otherwise.
func previousSpan(s spanInfo) spanInfo {
	if s.fcal != nil {
		return fiscalShift(s, s.unit, 1)
	}
	switch s.unit {
	case unitWeek, unitWeekend, unitMonth, unitQuarter, unitYear:
		return shiftSpan(s, s.unit, s.n)
	}
	days := s.Days()
	label := fmt.Sprintf("the previous %d days", days)
	if days == 1 {
		label = "the day before"
	}
	return spanOf(s.Before(period.Days), unitDays, days, label)
}

// shiftSpan moves s back by n units. Whole months, quarters and years stay
// whole (Feb 1–28 a month later is Mar 1–31); other periods keep their
// dates, clamped to the shorter month.
func shiftSpan(s spanInfo, u calUnit, n int) spanInfo {
	if s.fcal != nil {
		return fiscalShift(s, u, n)
	}
	if s.unit == unitHoliday && u == unitYear {
		return holidaySpan(s.holiday, s.Start.Year()-n)
	}
	if s.unit == unitDays && u == unitDays {
		return previousSpan(s)
	}
	out := spanInfo{Period: s.Shift(u.calendar(), -n), unit: s.unit, n: s.n, toDate: s.toDate, holiday: s.holiday}
	if isWhole(s) && unitFits(s.unit, u) {
		out.End = s.unit.calendar().Add(out.Start, s.n).AddDate(0, 0, -1)
	}
	out.Label = shiftLabel(s, out, u, n)
	return out
}

// yearEarlierSpan is s a year earlier, as the digests have it
// (period.Period.YearAgo): a run of days or weeks 52 weeks back, so that
// weekdays line up (the same Monday–Sunday week a year ago, as retail
// reports compare); a period to date the same dates; months, quarters and
// years the same calendar months; a holiday the same holiday; a fiscal
// period the same fiscal period.
func yearEarlierSpan(s spanInfo) spanInfo {
	out := shiftSpan(s, unitYear, 1)
	if s.fcal != nil || s.unit == unitHoliday {
		return out
	}
	out.Period = s.YearAgo(s.unit.calendar(), s.toDate).Named(out.Label)
	if u := s.unit; u == unitDays || u == unitWeek || u == unitWeekend {
		out.n = s.n
		switch {
		case u == unitWeek && !s.toDate:
			out.Label = "the same week last year"
		case s.Days() == 1:
			out.Label = "the same weekday last year"
		default:
			out.Label = "the same weekdays last year"
		}
	}
	return out
}

// isWhole reports whether s covers whole calendar units.
func isWhole(s spanInfo) bool {
	return !s.toDate && (s.unit == unitWeek || s.unit == unitMonth || s.unit == unitQuarter || s.unit == unitYear)
}

// unitFits reports whether stepping by u keeps a period of whole units of
// su aligned: months fit in quarters and years, quarters in years.
func unitFits(su, u calUnit) bool {
	switch su {
	case unitMonth:
		return u == unitMonth || u == unitQuarter || u == unitYear
	case unitQuarter:
		return u == unitQuarter || u == unitYear
	case unitYear:
		return u == unitYear
	case unitWeek:
		return u == unitWeek
	}
	return false
}

// shiftLabel names a period moved back from another: "the week before",
// "October 2026", "the same days last year".
func shiftLabel(from, to spanInfo, u calUnit, n int) string {
	if isWhole(from) && unitFits(from.unit, u) && from.n == 1 {
		if from.unit == unitWeek {
			return "the week before"
		}
		return wholeLabel(from.unit, to.Start, 1)
	}
	if isWhole(from) && unitFits(from.unit, u) && from.unit == u && n == from.n {
		return fmt.Sprintf("the %d %ss before", from.n, unitWord(u))
	}
	if from.unit == unitWeekend && u == unitWeekend {
		return "the weekend before"
	}
	ago := map[calUnit]string{unitWeek: "last week", unitMonth: "last month", unitQuarter: "last quarter", unitYear: "last year"}[u]
	if n != 1 || ago == "" {
		return rangeLabel(to.Start, to.End)
	}
	if to.Start.Equal(to.End) {
		return "the same day " + ago
	}
	return "the same days " + ago
}

// wholeLabel names n whole units starting at start.
func wholeLabel(u calUnit, start time.Time, n int) string {
	switch {
	case n == 1 && u == unitMonth:
		return start.Format("January 2006")
	case n == 1 && u == unitQuarter:
		return fmt.Sprintf("Q%d %d", quarterOf(start), start.Year())
	case n == 1 && u == unitYear:
		return fmt.Sprint(start.Year())
	case n == 1 && u == unitWeek:
		return "the week of " + start.Format("Jan 2, 2006")
	}
	return rangeLabel(start, u.calendar().Add(start, n).AddDate(0, 0, -1))
}

// dayLabel names one day the way answers print dates.
func dayLabel(d time.Time) string { return d.Format("Mon Jan 2, 2006") }

// rangeLabel names a run of days: "Nov 1–15, 2026".
func rangeLabel(s, e time.Time) string {
	switch {
	case s.Equal(e):
		return dayLabel(s)
	case s.Year() == e.Year() && s.Month() == e.Month():
		return fmt.Sprintf("%s %d–%d, %d", s.Format("Jan"), s.Day(), e.Day(), s.Year())
	case s.Year() == e.Year():
		return fmt.Sprintf("%s – %s, %d", s.Format("Jan 2"), e.Format("Jan 2"), s.Year())
	}
	return fmt.Sprintf("%s – %s", s.Format("Jan 2, 2006"), e.Format("Jan 2, 2006"))
}

// counterpartOf returns the current period that a "last X" compare period
// stands against: "vs last month" alone means this month so far.
func counterpartOf(today time.Time, cmp spanInfo) (spanInfo, bool) {
	if !cmp.lastRel {
		return spanInfo{}, false
	}
	if cmp.fcal != nil {
		fr := fiscalReader{ps: &periodScan{today: today, yday: today.AddDate(0, 0, -1)}, cal: *cmp.fcal, named: true}
		s := fr.toDate(fiscalUnitOf(cmp))
		s.fcal = cmp.fcal
		return s, true
	}
	switch cmp.unit {
	case unitWeek, unitMonth, unitQuarter, unitYear:
		return toDate(today, cmp.unit), true
	}
	return spanInfo{}, false
}
