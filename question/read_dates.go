package question

import (
	"fmt"
	"github.com/sowhat-ai/sowhat/wording"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// periodDater turns the periods read into the request's period and
// comparison in dates, with the notes about them.
type periodDater struct {
	*said
	fd    *found
	pp    periodPair
	today time.Time
	// fiscal is the business's fiscal calendar, nil when none is set.
	fiscal *period.Calendar
	*remarks
}

// setPeriods sets the period, the comparison and the notes about them.
func (pd *periodDater) setPeriods(req *Request, intent Intent) {
	main, cmp := pd.pp.copies()
	shift, unit := pd.shift, pd.shiftUnit
	if cmp != nil && pd.pp.vs && cmp.lastRel && cmp.unit == unitYear && cmp.fcal == nil && (main == nil || main.unit != unitYear || main.toDate) {
		cmp, shift, unit = nil, true, "year" // "vs last year" is year over year
	}
	if main == nil && cmp != nil {
		if c, ok := counterpartOf(pd.today, *cmp); ok {
			main = &c
		}
	}
	if main != nil && cmp != nil && isBareYear(cmp) && main.unit != unitYear && main.unit != unitDays &&
		main.Start.Year() > cmp.Start.Year() {
		// "black friday 2025 vs 2024": Black Friday 2024.
		c := shiftSpan(*main, unitYear, main.Start.Year()-cmp.Start.Year())
		cmp = &c
	}
	if main != nil && intent == IntentPacing {
		pd.upcomingMonth(main)
	}
	yoyDefault := false
	if main == nil {
		d := pd.defaultPeriod(intent, shift, unit)
		main = &d
		req.PeriodDefaulted = true
		yoyDefault = shift && unit == "year" && intent != IntentTrend && !intent.ownTopic()
		if !yoyDefault && !pd.periodAsked {
			pd.note("No period given: " + d.Label + ".")
		}
	}
	cmp = pd.comparison(intent, main, cmp, shift, unit)
	if main.month != 0 && main.Start.Year() < pd.today.Year() && cmp != nil && cmp.Start.After(main.End) && cmp.End.Year() == pd.today.Year() {
		// "How is November tracking vs October?" on Oct 5: this year's
		// November has not begun, and last year's set against this
		// October is no answer to what was asked.
		this, before := main.Start.AddDate(1, 0, 0).Format("January 2006"), main.Start.AddDate(-1, 0, 0).Format("January 2006")
		so := strings.TrimSuffix(cmp.Label, " to date")
		pd.ask(fmt.Sprintf("%s has not begun yet, so there is nothing of it to set against %s. Show %s so far, or %s against %s?", this, so, so, main.Label, before),
			"{m} "+so+" to date", "{m} "+main.Label+" vs "+before)
	}
	if yoyDefault && cmp != nil {
		pd.note(fmt.Sprintf("No period given: year over year compares the last complete month, %s, with %s.",
			monthText(*main), monthText(*cmp)))
	}
	pd.setGrain(req, intent, main)
	req.Period = main.Period
	pd.addSpanNote(main)
	if cmp != nil && !intent.ownTopic() {
		p := cmp.Period
		req.Compare = &p
		pd.addSpanNote(cmp)
	}
}

// comparison works out the period to compare with: the one named, a shift
// (WoW, YoY), or the previous period when the question is about a change.
func (pd *periodDater) comparison(intent Intent, main, cmp *spanInfo, shift bool, unit string) *spanInfo {
	if cmp == nil && main.anchor != nil && !shift && (pd.change || intent == IntentWhy) {
		// "has cac gotten better since q2": since Q2 against Q2 itself.
		a := *main.anchor
		after := a.End.AddDate(0, 0, 1)
		if !after.After(main.End) {
			if after.After(main.Start) {
				*main = mkSpan(after, main.End, unitDays, 0, "since "+after.Format("Jan 2, 2006"))
				main.n = main.Days()
			}
			return &a
		}
	}
	if cmp == nil && shift && unit == "year" {
		c := yearEarlierSpan(*main)
		if c.unit != unitHoliday && c.Start.Weekday() == main.Start.Weekday() && (main.unit == unitDays || main.unit == unitWeek || main.unit == unitWeekend) && main.fcal == nil {
			pd.note(fmt.Sprintf("Year over year on matched weekdays: %s, 52 weeks earlier.", weekdayRange(c.Period)))
		}
		cmp = &c
	}
	if cmp == nil && shift {
		c := shiftSpan(*main, shiftUnits[unit], 1)
		cmp = &c
	}
	if cmp == nil && (pd.prev || pd.wantsChange(intent)) {
		c := previousSpan(*main)
		cmp = &c
	}
	if cmp != nil && cmp.Start.Equal(main.Start) && cmp.End.Equal(main.End) {
		c := previousSpan(*main)
		if cmp.lastMonth != 0 && cmp.lastMonth == main.Start.Month() {
			// "November vs last November": the November a year earlier.
			c = shiftSpan(*main, unitYear, 1)
		}
		if main.weekday {
			// "last saturday vs the saturday before": a week earlier.
			d := main.Start.AddDate(0, 0, -7)
			c = mkSpan(d, d, unitDays, 1, dayLabel(d))
		}
		cmp = &c
	}
	return pd.likeForLike(main, cmp)
}

// likeForLike compares a period to date with the same days of its
// counterpart a year or more earlier: "YTD vs 2025" and "November so far vs
// last November" compare the same days, as year-over-year figures do.
func (pd *periodDater) likeForLike(main, cmp *spanInfo) *spanInfo {
	if cmp == nil || !main.toDate || cmp.toDate || cmp.unit != main.unit || cmp.n != main.n {
		return cmp
	}
	if main.fcal != nil && cmp.fcal != nil {
		// "FY to date vs last fiscal year": the same days of that year.
		years := main.fcal.YearOf(main.Start) - cmp.fcal.YearOf(cmp.Start)
		if years < 1 {
			return cmp
		}
		c := shiftSpan(*main, unitYear, years)
		pd.note(fmt.Sprintf("Compared with the same days of FY%d.", cmp.fcal.YearOf(cmp.Start)))
		return &c
	}
	years := main.Start.Year() - cmp.Start.Year()
	if prev := shiftSpan(*main, main.unit, 1); main.unit != unitYear && prev.Start.Equal(cmp.Start) && prev.End.Before(cmp.End) {
		if main.unit == unitMonth && main.Days() < 14 {
			// A few days of a month are mostly their weekdays: Oct 1–4
			// is Thursday to Sunday, Sep 1–4 Tuesday to Friday, and
			// weekends sell more. The same weekdays four weeks earlier.
			c := mkSpan(main.Start.AddDate(0, 0, -28), main.End.AddDate(0, 0, -28), unitDays, main.Days(), "the same weekdays last month")
			pd.note(fmt.Sprintf("Compared with the same weekdays four weeks earlier, %s: so few days of a month are mostly their weekdays.", weekdayRange(c.Period)))
			return &c
		}
		// "this month so far vs last month": the same days of last
		// month, as "mom" has it. Three weeks of revenue set against a
		// whole month read as a fall of a third.
		pd.note(fmt.Sprintf("Compared with the same days of %s: %s.", cmp.Label, wording.PeriodText(prev.Period)))
		return &prev
	}
	if years < 1 || cmp.Start.Month() != main.Start.Month() || cmp.Start.Day() != main.Start.Day() {
		return cmp
	}
	c := shiftSpan(*main, unitYear, years)
	pd.note(fmt.Sprintf("Compared with the same days of %d.", cmp.Start.Year()))
	return &c
}

// isBareYear reports a comparison period that is a whole calendar year
// named by its number or as "last year".
func isBareYear(s *spanInfo) bool {
	return s.unit == unitYear && s.n == 1 && !s.fiscal && s.inYear == nil && s.Start.Month() == 1 && s.Start.Day() == 1
}

// upcomingMonth reads a month name in a budget question as the coming one
// when it starts within two months: in November, "december budget" is
// this December, not last; on Dec 1, this December.
func (pd *periodDater) upcomingMonth(main *spanInfo) {
	if main.month == 0 || main.inYear == nil {
		return
	}
	if main.month == pd.today.Month() && main.Start.Year() < pd.today.Year() {
		// "Is December on track?" on Dec 1 is about this December, which
		// has no complete day yet: read as "this month" is, never as last
		// year's December.
		*main = toDate(pd.today, unitMonth)
		return
	}
	y := pd.today.Year()
	if !civil(y, main.month, 1).After(pd.today) {
		y++
	}
	start := civil(y, main.month, 1)
	if start.Sub(pd.today).Hours()/24 > 62 || start.Equal(main.Start) {
		return
	}
	*main = main.inYear(y)
	pd.note("Read as the coming " + start.Format("January 2006") + ".")
}

var shiftUnits = map[string]calUnit{"day": unitDays, "week": unitWeek, "month": unitMonth, "quarter": unitQuarter, "year": unitYear}

// wantsChange reports a question about a change with no comparison named:
// "why did CPA go up", "did ROAS improve", "is CPA lower this week".
func (pd *periodDater) wantsChange(intent Intent) bool {
	switch intent {
	case IntentWhy:
		return true
	case IntentPacing, IntentBrandLift, IntentIncrementality:
		return false
	}
	if pd.comparative != "" && !pd.fd.changeWord() {
		return !pd.multiEntity() && intent != IntentTop
	}
	return pd.change
}

// changeWord reports a change word other than a comparative (better,
// higher ...).
func (fd *found) changeWord() bool {
	for _, h := range fd.hits {
		if (h.is(kwUp) || h.is(kwDown) || h.is(kwChange)) && h.e.arg == "" {
			return true
		}
	}
	return false
}

// defaultPeriod is the period used when none is named: the last 7 days;
// for trends 8 weeks (30 days daily, 12 months monthly); for pacing the
// month to date; for a MoM, QoQ or YoY question the month, quarter or year
// to date.
func (pd *periodDater) defaultPeriod(intent Intent, shift bool, unit string) spanInfo {
	switch {
	case intent == IntentTrend && pd.grain == "quarter":
		return lastUnits(pd.today, unitQuarter, 4)
	case intent == IntentTrend && pd.grain == "year":
		return lastUnits(pd.today, unitYear, 2)
	case intent == IntentTrend:
		return trendDefault(pd.today, pd.grain)
	case intent == IntentPacing:
		return toDate(pd.today, unitMonth)
	case intent == IntentIncrementality:
		return incrementalityPeriod(pd.today)
	case intent == IntentBrandLift:
		s := lastDays(pd.today, 365)
		s.Label = "the last 12 months"
		return s
	case shift && unit == "year":
		return pd.lastCompleteMonth()
	case shift && (unit == "month" || unit == "quarter"):
		return toDate(pd.today, shiftUnits[unit])
	case shift && unit == "day":
		return lastDays(pd.today, 1)
	}
	return lastDays(pd.today, 7)
}

// lastCompleteMonth is what a year-over-year question with no period
// compares: the last complete month (fiscal month on a 4-5-4 calendar),
// the period executives read year over year.
func (pd *periodDater) lastCompleteMonth() spanInfo {
	if pd.fiscal != nil && pd.fiscal.Kind == period.NRF454 {
		fr := fiscalReader{ps: &periodScan{today: pd.today, yday: pd.today.AddDate(0, 0, -1)}, cal: *pd.fiscal, named: true}
		s := fr.lastUnit(period.Months)
		cal := *pd.fiscal
		s.fcal = &cal
		return s
	}
	return lastUnits(pd.today, unitMonth, 1)
}

// monthText names a whole month with its dates: "November 2025 (Nov
// 1–30, 2025)", "fiscal November 2025 (Nov 2–29, 2025)".
func monthText(p spanInfo) string {
	name := p.Start.Format("January 2006")
	if p.fcal != nil {
		name = fiscalLabel(*p.fcal, period.Months, p.Start)
	}
	return name + " (" + rangeLabel(p.Start, p.End) + ")"
}

// weekdayRange names a run of days with their weekdays: "Mon Nov 17 – Sun
// Nov 23, 2025".
func weekdayRange(p period.Period) string {
	if p.Start.Equal(p.End) {
		return dayLabel(p.Start)
	}
	return p.Start.Format("Mon Jan 2") + " – " + p.End.Format("Mon Jan 2, 2006")
}

// trendDefault is a trend's period when none is named.
func trendDefault(today time.Time, grain string) spanInfo {
	switch grain {
	case "day":
		return lastDays(today, 30)
	case "month":
		return lastUnits(today, unitMonth, 12)
	}
	return lastUnits(today, unitWeek, 8)
}

// setGrain puts the time grain first in GroupBy: the one asked for, or
// for a trend one that suits the period's length.
func (pd *periodDater) setGrain(req *Request, intent Intent, main *spanInfo) {
	grain := pd.grain
	if grain == "quarter" || grain == "year" {
		// Answers group by day, week or month only.
		pd.note(fmt.Sprintf("Shown by month: sowhat cannot group by %s yet.", grain))
		grain = "month"
	}
	if grain == "" && intent == IntentTrend {
		switch days := main.Days(); {
		case days <= 31:
			grain = "day"
		case days <= 183:
			grain = "week"
		default:
			grain = "month"
		}
	}
	if grain != "" {
		req.GroupBy = append([]string{grain}, nonTime(req.GroupBy)...)
	}
}

func (pd *periodDater) addSpanNote(s *spanInfo) {
	if s.note != "" {
		pd.note(s.note)
	}
}
