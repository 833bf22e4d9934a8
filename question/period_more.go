package question

import (
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// monthRange reads "jan-mar", "from sept to nov", "between june and august
// 2025", "q1-q3": whole months (or quarters) from the first to the last.
func (ps *periodScan) monthRange(i int) (spanInfo, int) {
	j := i
	between := ps.is(i, "between")
	if between || ps.is(i, "from") {
		j++
	}
	a, na := ps.rangeUnit(j)
	if na == 0 {
		return spanInfo{}, 0
	}
	k := j + na
	if !isRangeSep(ps.word(k)) && !(between && ps.is(k, "and")) {
		return spanInfo{}, 0
	}
	b, nb := ps.rangeUnit(k + 1)
	if nb == 0 || a.quarter != b.quarter {
		return spanInfo{}, 0
	}
	start, end := ps.placeMonths(a, b)
	if end.Before(start) {
		return spanInfo{}, 0
	}
	months := (end.Year()-start.Year())*12 + int(end.Month()-start.Month()) + 1
	last := period.AddMonths(end, 1).AddDate(0, 0, -1)
	label := rangeLabel(start, last)
	if a.quarter {
		label = fmt.Sprintf("Q%d %d – Q%d %d", quarterOf(start), start.Year(), quarterOf(end), end.Year())
	} else if start.Year() == end.Year() {
		label = fmt.Sprintf("%s – %s %d", start.Format("Jan"), end.Format("Jan"), end.Year())
	}
	s := mkSpan(start, last, unitMonth, months, label)
	if a.quarter {
		s.unit, s.n = unitQuarter, months/3
	}
	return ps.cutToDate(s), k + 1 + nb - i
}

// monthEnd is one end of a month or quarter range; y is 0 when no year was
// given.
type monthEnd struct {
	m       time.Month // the first month
	y       int
	quarter bool
	span    int // months covered
}

func (ps *periodScan) rangeUnit(j int) (monthEnd, int) {
	if q, ok := quarterNames[ps.word(j)]; ok {
		y, n := ps.yearAt(j + 1)
		return monthEnd{m: time.Month(3*q - 2), y: y, quarter: true, span: 3}, 1 + n
	}
	m, ok := monthNamed(ps.word(j))
	if !ok || ps.toks[j].dist > 0 {
		return monthEnd{}, 0
	}
	if _, isDay := ps.number(j + 1); isDay && ps.yearNumberAt(j+1) == 0 {
		return monthEnd{}, 0 // "nov 1 - 15" is a range of days
	}
	y, n := ps.yearAt(j + 1)
	return monthEnd{m: m, y: y, span: 1}, 1 + n
}

func (ps *periodScan) yearNumberAt(i int) int {
	y, _ := ps.yearNumber(i)
	return y
}

// placeMonths gives both ends of a month range a year: a year on one end
// holds for the other; with none, the range ends in the latest such month
// that has begun.
func (ps *periodScan) placeMonths(a, b monthEnd) (time.Time, time.Time) {
	switch {
	case a.y == 0 && b.y == 0:
		b.y = latestYearFor(ps.today, b.m, 0)
		a.y = b.y
	case a.y == 0:
		a.y = b.y
	case b.y == 0:
		b.y = a.y
		if b.m < a.m {
			b.y++
		}
	}
	if a.y == b.y && a.m > b.m {
		a.y--
	}
	start := civil(a.y, a.m, 1)
	end := period.AddMonths(civil(b.y, b.m, 1), b.span-1)
	return start, end
}

// cutToDate ends a span that is still running at yesterday.
func (ps *periodScan) cutToDate(s spanInfo) spanInfo {
	if !s.Start.After(ps.yday) && s.End.After(ps.yday) {
		s.End, s.toDate = ps.yday, true
		s.Label += " to date"
	}
	return s
}

// halfOf reads "first half of the year", "second half of 2025", "back half
// of last year": H1 or H2.
func (ps *periodScan) halfOf(i int) (spanInfo, int) {
	j := i
	if ps.is(j, "the") {
		j++
	}
	h := 0
	switch {
	case ps.is(j, "first", "front") || ps.is(j, "1") && ps.toks[j].ord:
		h = 1
	case ps.is(j, "second", "back") || ps.is(j, "2") && ps.toks[j].ord:
		h = 2
	}
	if h == 0 || !ps.is(j+1, "half") {
		return spanInfo{}, 0
	}
	j += 2
	if ps.is(j, "of") {
		j++
	}
	if ps.is(j, "the", "this") && ps.is(j+1, "year") {
		return ps.half(0, h, false), j + 2 - i
	}
	y, n := ps.yearAt(j)
	if n == 0 {
		return ps.half(0, h, false), j - i
	}
	return ps.half(y, h, false), j + n - i
}

// ordinalDay reads "the 15th", "on the 3rd", "the 15th of october": that
// day of the month named, or of the latest month where it has passed.
func (ps *periodScan) ordinalDay(i int) (spanInfo, int) {
	j := i
	if ps.is(j, "on") {
		j++
	}
	if !ps.is(j, "the") {
		return spanInfo{}, 0
	}
	d, ok := ps.number(j + 1)
	if !ok || !ps.toks[j+1].ord || d < 1 || d > 31 {
		return spanInfo{}, 0
	}
	if ps.is(j+2, "of") {
		if m, ok := ps.month(j + 3); ok && validDay(0, m, d) {
			y, yn := ps.yearNumber(j + 4)
			day := ps.resolveDay(y, m, d)
			return mkSpan(day, day, unitDays, 1, dayLabel(day)), j + 4 + yn - i
		}
	}
	day := time.Time{}
	for k := 0; k < 3; k++ {
		first := civil(ps.yday.Year(), ps.yday.Month()-time.Month(k), 1)
		if d <= daysIn(first.Year(), first.Month()) {
			day = first.AddDate(0, 0, d-1)
			if !day.After(ps.yday) {
				break
			}
		}
	}
	if day.IsZero() || day.After(ps.yday) {
		return spanInfo{}, 0
	}
	return mkSpan(day, day, unitDays, 1, dayLabel(day)), j + 2 - i
}

// isoWeek reads "week 46", "wk 46 2025": the ISO week (Monday to Sunday).
func (ps *periodScan) isoWeek(i int) (spanInfo, int) {
	if !ps.is(i, "week") {
		return spanInfo{}, 0
	}
	w, ok := ps.number(i + 1)
	if !ok || w < 1 || w > 53 || ps.toks[i+1].ord {
		return spanInfo{}, 0
	}
	if _, unit := unitWords[ps.word(i+2)]; unit {
		return spanInfo{}, 0
	}
	y, yn := ps.yearNumber(i + 2)
	if y == 0 {
		y = ps.yday.Year()
		if isoWeekStart(y, w).After(ps.yday) {
			y--
		}
	}
	mon := isoWeekStart(y, w)
	s := mkSpan(mon, mon.AddDate(0, 0, 6), unitWeek, 1, fmt.Sprintf("week %d of %d", w, y))
	return s, 2 + yn
}

// isoWeekStart is the Monday of ISO week w of year y.
func isoWeekStart(y, w int) time.Time {
	return period.WeekStart(civil(y, time.January, 4)).AddDate(0, 0, 7*(w-1))
}

// priorToDate reads "last year ytd", "ytd last year", "ly mtd", "prior
// year to date": the same days a year earlier.
func (ps *periodScan) priorToDate(i int) (spanInfo, int) {
	lastYear := func(k int) bool { return ps.is(k, "last", "prior", "previous") && ps.is(k+1, "year") }
	if u, ok := toDateWords[ps.word(i)]; ok && lastYear(i+1) {
		return ps.yearEarlier(toDate(ps.today, u)), 3
	}
	if !lastYear(i) {
		return spanInfo{}, 0
	}
	if u, ok := toDateWords[ps.word(i+2)]; ok {
		return ps.yearEarlier(toDate(ps.today, u)), 3
	}
	if ps.is(i+2, "to") && ps.is(i+3, "date") {
		return ps.yearEarlier(toDate(ps.today, unitYear)), 4
	}
	return spanInfo{}, 0
}

func (ps *periodScan) yearEarlier(s spanInfo) spanInfo {
	out := shiftSpan(s, unitYear, 1)
	out.Label = s.Label + ", last year"
	if s.unit == unitYear {
		out.Label = "last year to the same date"
	}
	return out
}
