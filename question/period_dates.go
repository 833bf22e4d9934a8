package question

import (
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// monthNamed returns the month a word names: "january", "jan".
func monthNamed(w string) (time.Month, bool) {
	switch w {
	case "january", "jan":
		return time.January, true
	case "february", "feb":
		return time.February, true
	case "march", "mar":
		return time.March, true
	case "april", "apr":
		return time.April, true
	case "may":
		return time.May, true
	case "june", "jun":
		return time.June, true
	case "july", "jul":
		return time.July, true
	case "august", "aug":
		return time.August, true
	case "september", "sep":
		return time.September, true
	case "october", "oct":
		return time.October, true
	case "november", "nov":
		return time.November, true
	case "december", "dec":
		return time.December, true
	}
	return 0, false
}

// isMayContext reports a word before "may" (or "march", or a month name
// read from a typo) that makes it the month, not the verb or another word.
func isMayContext(w string) bool {
	switch w {
	case "in", "for", "during", "since", "of", "from", "last", "vs", "and", "or", "than", "through", "until",
		"to", "between", "this":
		return true
	}
	return false
}

// month returns the month named at token i.
func (ps *periodScan) month(i int) (time.Month, bool) {
	m, ok := monthNamed(ps.word(i))
	if !ok {
		return 0, false
	}
	if (ps.word(i) == "may" || ps.word(i) == "march" || ps.toks[i].dist > 0) && !isMayContext(ps.word(i-1)) {
		_, num := ps.number(i + 1)
		return m, num || ps.toks[i].dist == 0 && namesMeasure(ps.word(i+1))
	}
	return m, true
}

// namesMeasure reports a word that begins a metric or platform name: "may
// spend", "march roas" are the month; "may i", "may be" are not.
func namesMeasure(w string) bool {
	for _, e := range baseLexicon().entries(w) {
		if e.kind == ekMetric || e.kind == ekPlatform {
			return true
		}
	}
	return false
}

// yearAt reads a year at token i: "2025", "last year", "this year".
func (ps *periodScan) yearAt(i int) (int, int) {
	if y, ok := ps.number(i); ok && y >= 1990 && y <= 2100 {
		return y, 1
	}
	if ps.is(i, "of") {
		y, n := ps.yearAt(i + 1)
		if n > 0 {
			return y, n + 1
		}
	}
	switch {
	case ps.is(i, "last", "previous") && ps.is(i+1, "year", "years"):
		return ps.today.Year() - 1, 2
	case ps.is(i, "this") && ps.is(i+1, "year"):
		return ps.today.Year(), 2
	}
	return 0, 0
}

// monthName reads "october", "oct 2025", "last october", "october last
// year". A bare month is the latest one that has begun.
func (ps *periodScan) monthName(i int) (spanInfo, int) {
	j := i
	last := ps.is(i, "last", "previous")
	if last {
		j++
	}
	m, ok := ps.month(j)
	if !ok {
		return spanInfo{}, 0
	}
	if y, n := ps.yearAt(j + 1); n > 0 {
		return wholeMonth(ps.today, y, m), j + 1 + n - i
	}
	y := latestYearFor(ps.today, m, 0)
	if last && y == ps.today.Year() && m == ps.today.Month() {
		y--
	}
	s := wholeMonth(ps.today, y, m)
	if !last {
		today := ps.today
		s.month = m
		s.inYear = func(y int) spanInfo { return wholeMonth(today, y, m) }
	} else {
		s.lastMonth = m
	}
	return s, j + 1 - i
}

var quarterNames = map[string]int{"q1": 1, "q2": 2, "q3": 3, "q4": 4}
var halfNames = map[string]int{"h1": 1, "h2": 2}

// quarter reads "q3", "q3 2025", "2025 q3", "q4 last year", "h1".
func (ps *periodScan) quarter(i int) (spanInfo, int) {
	j, y := i, 0
	if yy, ok := ps.number(i); ok && yy >= 1990 && yy <= 2100 {
		j, y = i+1, yy
	}
	last := y == 0 && ps.is(i, "last", "previous")
	if last {
		j++
	}
	q, isQ := quarterNames[ps.word(j)]
	h, isH := halfNames[ps.word(j)]
	if !isQ && !isH {
		return spanInfo{}, 0
	}
	end := j + 1
	if y == 0 {
		if yy, yn := ps.yearAt(j + 1); yn > 0 {
			y, end = yy, j+1+yn
		}
	}
	if isH {
		return ps.half(y, h, last), end - i
	}
	if y != 0 {
		return wholeQuarter(ps.today, y, q), end - i
	}
	y = ps.today.Year()
	if quarterStart(y, q).After(ps.yday) || (last && q == quarterOf(ps.today)) {
		y--
	}
	s := wholeQuarter(ps.today, y, q)
	if !last {
		today := ps.today
		s.inYear = func(y int) spanInfo { return wholeQuarter(today, y, q) }
	}
	return s, end - i
}

// half is H1 or H2 of year y (the latest begun one when y is 0).
func (ps *periodScan) half(y, h int, last bool) spanInfo {
	first := time.Month(6*(h-1) + 1)
	if y == 0 {
		y = ps.today.Year()
		if civil(y, first, 1).After(ps.yday) || (last && (int(ps.today.Month())-1)/6+1 == h) {
			y--
		}
	}
	start := civil(y, first, 1)
	s := mkSpan(start, period.AddMonths(start, 6).AddDate(0, 0, -1), unitMonth, 6, fmt.Sprintf("H%d %d", h, y))
	if !start.After(ps.yday) && s.End.After(ps.yday) {
		s.End, s.toDate, s.Label = ps.yday, true, s.Label+" to date"
	}
	return s
}

// year reads a bare year: "2025", "in 2026" (to date when current).
func (ps *periodScan) year(i int) (spanInfo, int) {
	y, ok := ps.number(i)
	if !ok || y < 2000 || y > 2099 || ps.is(i+1, "-", "/") || ps.is(i-1, "-", "/") {
		return spanInfo{}, 0
	}
	return wholeYear(ps.today, y), 1
}

// dateAt reads one date: "2026-10-01", "10/1", "10/1/26", "nov 1",
// "nov 1 2026", "1 nov". Year is 0 when not given.
func (ps *periodScan) dateAt(i int) (y int, m time.Month, d int, n int) {
	if y, m, d, n = ps.isoDate(i); n > 0 {
		return
	}
	if y, m, d, n = ps.slashDate(i); n > 0 {
		return
	}
	if mm, ok := ps.month(i); ok {
		if dd, ok := ps.number(i + 1); ok && validDay(0, mm, dd) {
			yy, yn := ps.yearNumber(i + 2)
			return yy, mm, dd, 2 + yn
		}
	}
	if dd, ok := ps.number(i); ok {
		if mm, ok := ps.month(i + 1); ok && validDay(0, mm, dd) {
			yy, yn := ps.yearNumber(i + 2)
			return yy, mm, dd, 2 + yn
		}
	}
	return 0, 0, 0, 0
}

func (ps *periodScan) yearNumber(i int) (int, int) {
	if y, ok := ps.number(i); ok && y >= 1990 && y <= 2100 {
		return y, 1
	}
	return 0, 0
}

func (ps *periodScan) isoDate(i int) (int, time.Month, int, int) {
	y, ok1 := ps.number(i)
	m, ok2 := ps.number(i + 2)
	d, ok3 := ps.number(i + 4)
	if !ok1 || !ok2 || !ok3 || !ps.is(i+1, "-") || !ps.is(i+3, "-") || y < 1990 || y > 2100 || m < 1 || m > 12 || !validDay(y, time.Month(m), d) {
		return 0, 0, 0, 0
	}
	return y, time.Month(m), d, 5
}

func (ps *periodScan) slashDate(i int) (int, time.Month, int, int) {
	m, ok1 := ps.number(i)
	d, ok2 := ps.number(i + 2)
	if m > 12 && d >= 1 && d <= 12 {
		m, d = d, m // "15/11" can only be day first
	}
	if !ok1 || !ok2 || !ps.is(i+1, "/") || m < 1 || m > 12 || !validDay(0, time.Month(m), d) {
		return 0, 0, 0, 0
	}
	if y, ok := ps.number(i + 4); ok && ps.is(i+3, "/") {
		if y < 100 {
			y += 2000
		}
		if validDay(y, time.Month(m), d) {
			return y, time.Month(m), d, 5
		}
	}
	return 0, time.Month(m), d, 3
}

// validDay reports whether d is a day of month m (of year y, or of some
// year when y is 0: Feb 29 is valid).
func validDay(y int, m time.Month, d int) bool {
	if d < 1 || m < 1 || m > 12 {
		return false
	}
	if y == 0 {
		y = 2000 // a leap year
	}
	return d <= daysIn(y, m)
}

// resolveDay places a date without a year in the latest year where it is
// not after yesterday (Feb 29 in the latest leap year).
func (ps *periodScan) resolveDay(y int, m time.Month, d int) time.Time {
	if y != 0 {
		return civil(y, m, d)
	}
	for y = ps.yday.Year(); y > ps.yday.Year()-8; y-- {
		if validDay(y, m, d) && !civil(y, m, d).After(ps.yday) {
			return civil(y, m, d)
		}
	}
	return civil(ps.yday.Year(), m, min(d, daysIn(ps.yday.Year(), m)))
}

// singleDate reads "nov 3", "on 2026-11-03".
func (ps *periodScan) singleDate(i int) (spanInfo, int) {
	j := i
	if ps.is(i, "on") {
		j++
	}
	y, m, d, n := ps.dateAt(j)
	if n == 0 {
		return spanInfo{}, 0
	}
	day := ps.resolveDay(y, m, d)
	return mkSpan(day, day, unitDays, 1, dayLabel(day)), j + n - i
}

// isRangeSep reports a word that joins the two ends of a range.
func isRangeSep(w string) bool {
	switch w {
	case "-", "to", "through", "thru", "until", "till":
		return true
	}
	return false
}

// dateRange reads "nov 1-15", "from 2026-10-01 to 2026-10-31", "10/1 -
// 10/31", "between oct 3 and oct 9", "oct 3 to today".
func (ps *periodScan) dateRange(i int) (spanInfo, int) {
	j := i
	between := ps.is(i, "between")
	if between || ps.is(i, "from") {
		j++
	}
	y1, m1, d1, n1 := ps.dateAt(j)
	if n1 == 0 {
		return spanInfo{}, 0
	}
	k := j + n1
	if !isRangeSep(ps.word(k)) && !(between && ps.is(k, "and")) {
		return spanInfo{}, 0
	}
	start, end, n2 := ps.rangeEnd(k+1, y1, m1, d1)
	if n2 == 0 {
		return spanInfo{}, 0
	}
	s := mkSpan(start, end, unitDays, 0, rangeLabel(start, end))
	if end.Before(start) {
		s.Label = rangeLabel(end, start)
	}
	s.n = s.Days()
	return s, k + 1 + n2 - i
}

// rangeEnd reads a range's second end at token k, and places both ends in
// years.
func (ps *periodScan) rangeEnd(k, y1 int, m1 time.Month, d1 int) (time.Time, time.Time, int) {
	if ps.is(k, "today", "now", "yesterday", "date") {
		return ps.resolveDay(y1, m1, d1), ps.yday, 1
	}
	y2, m2, d2, n2 := ps.dateAt(k)
	if n2 == 0 {
		dd, ok := ps.number(k)
		if !ok || !validDay(0, m1, dd) || ps.is(k+1, "/", "-") {
			return time.Time{}, time.Time{}, 0
		}
		y2, m2, d2, n2 = y1, m1, dd, 1
	}
	start, end := ps.placeRange(ymd{y1, m1, d1}, ymd{y2, m2, d2})
	return start, end, n2
}

// ymd is a date as written; y is 0 when no year was given.
type ymd struct {
	y int
	m time.Month
	d int
}

func (v ymd) in(y int) time.Time { return civil(y, v.m, min(v.d, daysIn(y, v.m))) }

// placeRange gives the ends of a range years: a year written on one end
// holds for the other (a year apart if the range crosses New Year);
// with none, the start is the latest such day up to yesterday.
func (ps *periodScan) placeRange(a, b ymd) (time.Time, time.Time) {
	switch {
	case a.y == 0 && b.y != 0:
		a.y = b.y
		if a.in(a.y).After(b.in(b.y)) {
			a.y--
		}
	case a.y != 0 && b.y == 0:
		b.y = a.y
		if b.in(b.y).Before(a.in(a.y)) {
			b.y++
		}
	case a.y == 0:
		start := ps.resolveDay(0, a.m, a.d)
		b.y = start.Year()
		if b.in(b.y).Before(start) {
			b.y++
		}
		return start, b.in(b.y)
	}
	return a.in(a.y), b.in(b.y)
}

// since reads "since nov 1", "since october", "since last week", "from
// nov 1": from that day to yesterday.
func (ps *periodScan) since(i int) (spanInfo, int) {
	after := ps.is(i, "after")
	if !after && !ps.is(i, "since", "from", "starting") {
		return spanInfo{}, 0
	}
	var from spanInfo
	n := 0
	for _, rule := range sinceRules {
		if s, k := rule(ps, i+1); k > n {
			from, n = s, k
		}
	}
	if n == 0 || from.Start.After(ps.yday) || (ps.is(i, "from") && from.unit != unitDays) {
		return spanInfo{}, 0
	}
	start := from.Start
	if after {
		// "after black friday": from the next day.
		start = from.End.AddDate(0, 0, 1)
		if start.After(ps.yday) {
			return spanInfo{}, 0
		}
	}
	s := mkSpan(start, ps.yday, unitDays, 0, "since "+start.Format("Jan 2, 2006"))
	s.n = s.Days()
	if from.unit != unitDays || from.n > 1 {
		a := from
		a.note = ""
		s.anchor = &a
	}
	return s, n + 1
}

// sinceRules are the forms that can follow "since".
var sinceRules = []periodRule{
	(*periodScan).holiday, (*periodScan).weekOf, (*periodScan).singleDate, (*periodScan).relDay,
	(*periodScan).lastUnit, (*periodScan).thisUnit, (*periodScan).ago, (*periodScan).monthName,
	(*periodScan).quarter, (*periodScan).year, (*periodScan).weekday, (*periodScan).weekend, (*periodScan).startOf,
}

// weekOf reads "week of nov 9": the Monday–Sunday week holding that day.
func (ps *periodScan) weekOf(i int) (spanInfo, int) {
	j := i
	if ps.is(i, "the") {
		j++
	}
	if !ps.is(j, "week") || !ps.is(j+1, "of") {
		return spanInfo{}, 0
	}
	y, m, d, n := ps.dateAt(j + 2)
	if n == 0 {
		return spanInfo{}, 0
	}
	mon := period.WeekStart(ps.resolveDay(y, m, d))
	return mkSpan(mon, mon.AddDate(0, 0, 6), unitWeek, 1, "the week of "+mon.Format("Jan 2, 2006")), j + 2 + n - i
}

// holidayPhrases name retail holidays; the longest that matches wins.
var holidayPhrases = []struct {
	words []string
	key   string
}{
	{[]string{"black", "friday", "through", "cyber", "monday"}, "bfcm"},
	{[]string{"black", "friday", "to", "cyber", "monday"}, "bfcm"},
	{[]string{"black", "friday", "cyber", "monday"}, "bfcm"},
	{[]string{"black", "friday", "weekend"}, "bfcm"},
	{[]string{"black", "friday", "week"}, "thanksgiving_week"},
	{[]string{"black", "friday"}, "black_friday"},
	{[]string{"cyber", "monday"}, "cyber_monday"},
	{[]string{"cyber", "week"}, "bfcm"},
	{[]string{"cyber", "weekend"}, "bfcm"},
	{[]string{"cyber", "5"}, "cyber_five"},
	{[]string{"bfcm"}, "bfcm"},
	{[]string{"bf", "cm"}, "bfcm"},
	{[]string{"bf"}, "black_friday"},
	{[]string{"thanksgiving", "week"}, "thanksgiving_week"},
	{[]string{"thanksgiving"}, "thanksgiving"},
	{[]string{"holiday", "season"}, "holiday_season"},
	{[]string{"holiday", "period"}, "holiday_season"},
	{[]string{"holidays"}, "holiday_season"},
	{[]string{"christmas", "eve"}, "christmas_eve"},
	{[]string{"christmas", "day"}, "christmas"},
	{[]string{"christmas"}, "christmas"},
	{[]string{"boxing", "day"}, "boxing_day"},
	{[]string{"new", "years", "eve"}, "new_years_eve"},
	{[]string{"new", "year", "eve"}, "new_years_eve"},
	{[]string{"nye"}, "new_years_eve"},
	{[]string{"new", "years", "day"}, "new_years_day"},
	{[]string{"new", "year", "day"}, "new_years_day"},
	{[]string{"new", "years"}, "new_years_day"},
	{[]string{"labor", "day", "weekend"}, "labor_day_weekend"},
	{[]string{"labour", "day", "weekend"}, "labor_day_weekend"},
	{[]string{"memorial", "day", "weekend"}, "memorial_day_weekend"},
	{[]string{"thanksgiving", "weekend"}, "thanksgiving_weekend"},
	{[]string{"labor", "day"}, "labor_day"},
	{[]string{"labour", "day"}, "labor_day"},
	{[]string{"memorial", "day"}, "memorial_day"},
	{[]string{"independence", "day", "weekend"}, "july_4_weekend"},
	{[]string{"fourth", "of", "july", "weekend"}, "july_4_weekend"},
	{[]string{"4", "of", "july", "weekend"}, "july_4_weekend"},
	{[]string{"4th", "of", "july", "weekend"}, "july_4_weekend"},
	{[]string{"july", "4", "weekend"}, "july_4_weekend"},
	{[]string{"july", "4th", "weekend"}, "july_4_weekend"},
	{[]string{"independence", "day"}, "july_4"},
	{[]string{"fourth", "of", "july"}, "july_4"},
	{[]string{"4", "of", "july"}, "july_4"},
	{[]string{"halloween"}, "halloween"},
	{[]string{"valentines", "day"}, "valentines_day"},
	{[]string{"valentine", "day"}, "valentines_day"},
	{[]string{"valentines"}, "valentines_day"},
	{[]string{"mothers", "day"}, "mothers_day"},
	{[]string{"mother", "day"}, "mothers_day"},
	{[]string{"fathers", "day"}, "fathers_day"},
	{[]string{"father", "day"}, "fathers_day"},
	{[]string{"singles", "day"}, "singles_day"},
	{[]string{"prime", "day"}, "prime_day"},
	{[]string{"prime", "days"}, "prime_day"},
}

// holiday reads "black friday", "bfcm 2025", "last year's cyber monday",
// "cyber week last year".
func (ps *periodScan) holiday(i int) (spanInfo, int) {
	j, y := i, 0
	switch {
	case ps.is(i, "last", "previous") && ps.is(i+1, "years", "year"):
		j, y = i+2, ps.today.Year()-1
	case ps.is(i, "last"):
		j = i + 1
	}
	key, n := ps.holidayName(j)
	if n == 0 {
		return spanInfo{}, 0
	}
	if yy, yn := ps.yearAt(j + n); yn > 0 && y == 0 {
		y, n = yy, n+yn
	}
	if key == "prime_day" {
		s := latestHoliday(ps.today, "black_friday")
		s.holiday, s.Label = key, "Prime Day"
		return s, j + n - i
	}
	if y == 0 {
		s := latestHoliday(ps.today, key)
		if j == i {
			s.inYear = func(y int) spanInfo { return holidaySpan(key, y) }
		}
		return s, j + n - i
	}
	return holidaySpan(key, y), j + n - i
}

// holidayName returns the longest holiday phrase at token j.
func (ps *periodScan) holidayName(j int) (string, int) {
	key, n := "", 0
	for _, h := range holidayPhrases {
		if len(h.words) <= n {
			continue
		}
		ok := true
		for k, w := range h.words {
			if ps.word(j+k) != w {
				ok = false
				break
			}
		}
		if ok {
			key, n = h.key, len(h.words)
		}
	}
	return key, n
}
