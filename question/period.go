package question

import (
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// ParsePeriod finds the first period expression in text ("last week",
// "Nov 1–15", "Q3 2025", "since Black Friday") relative to asOf, today in
// the reporting time zone, whose last complete data day is the day before.
// It returns the period, the span of text it was read from, and whether
// one was found.
func ParsePeriod(text string, asOf time.Time) (period.Period, Span, bool) {
	toks := tokenize(clip(text, maxBytes))
	correctTypos(toks, baseLexicon())
	ps := newPeriodScan(toks, asOf, nil)
	for i := range toks {
		if s, n := ps.at(i); n > 0 {
			return s.Period, Span{Start: toks[i].start, End: toks[i+n-1].end}, true
		}
	}
	return period.Period{}, Span{}, false
}

// periodScan reads period expressions from tokens.
type periodScan struct {
	toks  []token
	today time.Time
	yday  time.Time
	// fiscalCal is the business's fiscal calendar, nil when none is set.
	fiscalCal *period.Calendar
}

func newPeriodScan(toks []token, asOf time.Time, fiscal *period.Calendar) *periodScan {
	today := period.Day(asOf)
	return &periodScan{toks: toks, today: today, yday: today.AddDate(0, 0, -1), fiscalCal: fiscal}
}

// periodRule reads one form of period at token i and returns how many
// tokens it took (0 for no match).
type periodRule func(ps *periodScan, i int) (spanInfo, int)

// periodRules lists every form; at one position the longest match wins,
// the earlier rule on a tie.
var periodRules = []periodRule{
	(*periodScan).holiday, (*periodScan).dateRange, (*periodScan).since, (*periodScan).weekOf,
	(*periodScan).singleDate, (*periodScan).relDay, (*periodScan).lastN, (*periodScan).lastUnit,
	(*periodScan).thisUnit, (*periodScan).ago, (*periodScan).monthName, (*periodScan).quarter,
	(*periodScan).year, (*periodScan).weekday, (*periodScan).weekend, (*periodScan).startOf,
	(*periodScan).monthRange, (*periodScan).halfOf, (*periodScan).fiscal, (*periodScan).ordinalDay,
	(*periodScan).isoWeek, (*periodScan).priorToDate,
}

// at returns the longest period expression starting at token i.
func (ps *periodScan) at(i int) (spanInfo, int) {
	var best spanInfo
	bestN := 0
	for _, rule := range periodRules {
		if s, n := rule(ps, i); n > bestN {
			best, bestN = s, n
		}
	}
	if bestN > 0 {
		best = ps.finish(best)
	}
	return best, bestN
}

// finish puts the ends in order and cuts a period that runs past
// yesterday there, saying so.
func (ps *periodScan) finish(s spanInfo) spanInfo {
	if s.End.Before(s.Start) {
		s.Start, s.End = s.End, s.Start
	}
	if !s.Start.After(ps.yday) && s.End.After(ps.yday) {
		s.End = ps.yday
		if s.note == "" {
			s.note = "Data runs to yesterday, so the period ends " + ps.yday.Format("Jan 2") + "."
		}
	}
	return s
}

func (ps *periodScan) word(i int) string {
	if i < 0 || i >= len(ps.toks) {
		return ""
	}
	return ps.toks[i].text
}

func (ps *periodScan) number(i int) (int, bool) {
	if i < 0 || i >= len(ps.toks) || !ps.toks[i].isNum {
		return 0, false
	}
	return ps.toks[i].num, true
}

func (ps *periodScan) is(i int, words ...string) bool {
	w := ps.word(i)
	for _, x := range words {
		if w == x {
			return true
		}
	}
	return false
}

// relDay reads "yesterday", "today", "the day before yesterday".
func (ps *periodScan) relDay(i int) (spanInfo, int) {
	switch {
	case ps.is(i, "yesterday"):
		return lastDays(ps.today, 1), 1
	case ps.is(i, "today") || (ps.is(i, "so") && ps.is(i+1, "far") && ps.is(i+2, "today")):
		n := 1
		if ps.is(i, "so") {
			n = 3
		}
		return mkSpan(ps.today, ps.today, unitDays, 1, "today"), n
	case ps.is(i, "day") && ps.is(i+1, "before") && ps.is(i+2, "yesterday"):
		d := ps.today.AddDate(0, 0, -2)
		return mkSpan(d, d, unitDays, 1, "the day before yesterday"), 3
	}
	return spanInfo{}, 0
}

// lastPrefixes introduce "last N days"; rolling ones also make "past
// week" the last 7 days.
var lastPrefixes = map[string]bool{"last": true, "past": true, "previous": true, "prior": true, "trailing": true, "rolling": true}

// lastN reads "last 7 days", "past 8 weeks", "l30d", "3 months".
func (ps *periodScan) lastN(i int) (spanInfo, int) {
	j := i
	if lastPrefixes[ps.word(i)] {
		j++
	}
	n, ok := ps.number(j)
	u, isUnit := unitWords[ps.word(j+1)]
	if ok && !isUnit && j > i && n >= 2 && n <= maxUnits(unitDays) && isBareCountEnd(ps.word(j+1)) {
		return lastDays(ps.today, n), 2 // "roas l30": days
	}
	if !ok || !isUnit || n < 1 || n > maxUnits(u) {
		return spanInfo{}, 0
	}
	if j == i && n < 2 {
		return spanInfo{}, 0
	}
	switch u {
	case unitDays:
		return lastDays(ps.today, n), j + 2 - i
	case unitHours:
		return lastDays(ps.today, (n+23)/24), j + 2 - i
	}
	return lastUnits(ps.today, u, n), j + 2 - i
}

// calendarUnit returns the week, month, quarter or year a word names.
func calendarUnit(w string) (calUnit, bool) {
	u, ok := unitWords[w]
	return u, ok && u != unitDays && u != unitHours
}

// isBareCountEnd reports a word that may follow "last 30" with no unit.
func isBareCountEnd(w string) bool {
	switch w {
	case "", "by", "vs", "for", "on", "in", "and":
		return true
	}
	return false
}

func maxUnits(u calUnit) int {
	switch u {
	case unitDays:
		return 3660
	case unitWeek:
		return 520
	case unitMonth:
		return 120
	case unitQuarter:
		return 40
	case unitHours:
		return 24 * 90
	}
	return 10
}

// rollingDays is what "past week" and "trailing month" mean.
var rollingDays = map[calUnit]int{unitWeek: 7, unitMonth: 30, unitQuarter: 90, unitYear: 365}

// lastUnit reads "last week", "previous month", "past week" (7 days),
// "week before last", and "next month" (for budgets, which are planned).
func (ps *periodScan) lastUnit(i int) (spanInfo, int) {
	j := i + 1
	if ps.is(j, "full", "complete", "whole", "calendar") {
		j++ // "last full week", "last calendar year"
	}
	u, singular := calendarUnit(ps.word(j)) // also "last months cpa"
	switch {
	case singular && ps.is(i, "last", "previous", "prior"):
		return lastUnits(ps.today, u, 1), j + 1 - i
	case singular && ps.is(i, "past", "trailing", "rolling"):
		return lastDays(ps.today, rollingDays[u]), j + 1 - i
	case singular && ps.is(i, "next", "coming") && ps.word(i+1) == unitWord(u):
		start := u.calendar().Add(u.calendar().Start(ps.today), 1)
		return mkSpan(start, u.calendar().Add(start, 1).AddDate(0, 0, -1), u, 1, "next "+unitWord(u)), 2
	}
	if u, ok := calendarUnit(ps.word(i)); ok && ps.is(i+1, "before") && ps.is(i+2, "last") {
		return unitsAgo(ps.today, u, 2), 3
	}
	return spanInfo{}, 0
}

// toDateWords are the WTD, MTD, QTD and YTD abbreviations.
var toDateWords = map[string]calUnit{"wtd": unitWeek, "mtd": unitMonth, "qtd": unitQuarter, "ytd": unitYear}

// thisUnit reads "this month", "current quarter", "mtd", "year to date".
func (ps *periodScan) thisUnit(i int) (spanInfo, int) {
	if u, ok := toDateWords[ps.word(i)]; ok {
		return toDate(ps.today, u), 1
	}
	u, isUnit := calendarUnit(ps.word(i + 1))
	if isUnit && ps.is(i, "this", "current") {
		return toDate(ps.today, u), 2
	}
	u, isUnit = calendarUnit(ps.word(i))
	if isUnit && ps.is(i+1, "to") && ps.is(i+2, "date") {
		return toDate(ps.today, u), 3
	}
	return spanInfo{}, 0
}

// ago reads "2 weeks ago", "a month ago", "3 days ago".
func (ps *periodScan) ago(i int) (spanInfo, int) {
	n, ok := ps.number(i)
	if ps.is(i, "a", "an") {
		n, ok = 1, true
	}
	u, isUnit := unitWords[ps.word(i+1)]
	if !ok || !isUnit || u == unitHours || !ps.is(i+2, "ago") || n < 1 || n > maxUnits(u) {
		return spanInfo{}, 0
	}
	s := unitsAgo(ps.today, u, n)
	s.lastRel = n == 1
	return s, 3
}

// weekday reads "monday", "last tuesday", "on friday": the latest such day
// up to yesterday.
func (ps *periodScan) weekday(i int) (spanInfo, int) {
	j := i
	if ps.is(i, "last", "on", "this", "past") {
		j++
	}
	wd, ok := weekdayNames[ps.word(j)]
	if !ok || (ps.toks[j].dist > 0 && j == i) {
		return spanInfo{}, 0
	}
	s := latestWeekday(ps.today, wd)
	s.weekday = true
	return s, j + 1 - i
}

var weekdayNames = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

// weekend reads "last weekend", "the weekend", "weekend before last".
func (ps *periodScan) weekend(i int) (spanInfo, int) {
	j := i
	if ps.is(i, "last", "this", "past", "previous") {
		j++
	}
	if !ps.is(j, "weekend") {
		return spanInfo{}, 0
	}
	if ps.is(i, "this") && ps.today.Weekday() == time.Sunday {
		// Sunday: this weekend so far is yesterday, Saturday.
		return mkSpan(ps.yday, ps.yday, unitDays, 1, "this weekend so far ("+dayLabel(ps.yday)+")"), 2
	}
	s := weekendBefore(ps.today)
	if ps.is(j+1, "before") && ps.is(j+2, "last") {
		s = shiftSpan(s, unitWeekend, 1)
		s.Label = "the weekend before last"
		return s, j + 3 - i
	}
	return s, j + 1 - i
}

// startOf reads "the start of the month", "beginning of this year": the
// unit so far.
func (ps *periodScan) startOf(i int) (spanInfo, int) {
	j := i
	if ps.is(j, "the") {
		j++
	}
	if !ps.is(j, "start", "beginning") || !ps.is(j+1, "of") {
		return spanInfo{}, 0
	}
	j += 2
	if ps.is(j, "the", "this") {
		j++
	}
	u, ok := calendarUnit(ps.word(j))
	if !ok {
		return spanInfo{}, 0
	}
	return toDate(ps.today, u), j + 1 - i
}
