package question

import (
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// fiscalUnits are the fiscal units a word names.
var fiscalUnits = map[string]period.Unit{"week": period.Weeks, "month": period.Months, "quarter": period.Quarters, "year": period.Years}

// fiscalToDate are the fiscal to-date abbreviations.
var fiscalToDate = map[string]period.Unit{"fytd": period.Years, "fqtd": period.Quarters, "fmtd": period.Months, "fwtd": period.Weeks}

// fiscal reads the fiscal periods: "fy25", "fy 2025", "fytd", "fiscal
// year", "last fiscal year", "fiscal q3", "fiscal q3 2025", "fiscal month
// to date", "this fiscal quarter", "fiscal week 12". They are read through
// the business's fiscal calendar; with none set, through the calendar year,
// and the answer asks whether that is meant.
func (ps *periodScan) fiscal(i int) (spanInfo, int) {
	fr := fiscalReader{ps: ps, named: ps.fiscalCal != nil}
	if ps.fiscalCal != nil {
		fr.cal = *ps.fiscalCal
	}
	j := i
	switch {
	case ps.is(i, "last", "previous", "prior"):
		fr.last, j = true, i+1
	case ps.is(i, "this", "current"):
		j = i + 1
	}
	s, n := fr.read(j)
	if n == 0 {
		return spanInfo{}, 0
	}
	if ps.fiscalCal == nil {
		s.fiscal = true
	} else {
		cal := fr.cal
		s.fcal = &cal
	}
	return s, j + n - i
}

// fiscalReader reads one fiscal period through a calendar.
type fiscalReader struct {
	ps    *periodScan
	cal   period.Calendar
	last  bool // said after "last", "previous" or "prior"
	named bool // the calendar is the business's: labels say "fiscal"
}

// label names unit u starting at start: fiscally when the calendar is the
// business's, as the calendar period otherwise.
func (fr fiscalReader) label(u period.Unit, start time.Time) string {
	if fr.named {
		return fiscalLabel(fr.cal, u, start)
	}
	return wholeLabel(fiscalCalUnit(u), start, 1)
}

// read reads a fiscal period at token j, without its "last" or "this".
func (fr fiscalReader) read(j int) (spanInfo, int) {
	ps := fr.ps
	if u, ok := fiscalToDate[ps.word(j)]; ok {
		return fr.toDate(u), 1
	}
	if ps.is(j, "fy") {
		if y, n := fr.yearNumber(j + 1); n > 0 {
			return fr.whole(period.Years, y, 1), 1 + n
		}
		return fr.relative(period.Years, j+1, 1)
	}
	if !ps.is(j, "fiscal") {
		return spanInfo{}, 0
	}
	k := j + 1
	if q, ok := quarterNames[ps.word(k)]; ok {
		y, n := fr.yearNumber(k + 1)
		if n == 0 {
			y, n = ps.yearAt(k + 1)
		}
		if n == 0 {
			y = fr.latestYear(period.Quarters, q)
		}
		return fr.whole(period.Quarters, y, q), 2 + n
	}
	if ps.is(k, "week") {
		if w, ok := ps.number(k + 1); ok && w >= 1 && w <= 53 && !ps.toks[k+1].ord {
			y, n := fr.yearNumber(k + 2)
			if n == 0 {
				y = fr.latestYear(period.Weeks, w)
			}
			if _, ok := fr.cal.Week(y, w); !ok {
				return spanInfo{}, 0
			}
			return fr.whole(period.Weeks, y, w), 3 + n
		}
	}
	if u, ok := fiscalUnits[ps.word(k)]; ok {
		if u == period.Years {
			if y, n := fr.yearNumber(k + 1); n > 0 {
				return fr.whole(period.Years, y, 1), 2 + n
			}
		}
		s, n := fr.relative(u, k+1, 1)
		return s, n + 1
	}
	if y, n := fr.yearNumber(k); n > 0 {
		return fr.whole(period.Years, y, 1), 1 + n // "fiscal 2025"
	}
	return spanInfo{}, 0
}

// relative is the fiscal unit u said as "last", "this" or on its own, at
// token k: "to date" may follow.
func (fr fiscalReader) relative(u period.Unit, k, n int) (spanInfo, int) {
	if fr.ps.is(k, "to") && fr.ps.is(k+1, "date") {
		return fr.toDate(u), n + 2
	}
	if fr.last {
		return fr.lastUnit(u), n
	}
	return fr.toDate(u), n
}

// yearNumber reads a fiscal year's number at token i: "2025", "25".
func (fr fiscalReader) yearNumber(i int) (int, int) {
	y, ok := fr.ps.number(i)
	switch {
	case !ok || fr.ps.toks[i].ord:
		return 0, 0
	case y < 100:
		return 2000 + y, 1
	case y >= 1990 && y <= 2100:
		return y, 1
	}
	return 0, 0
}

// latestYear is the latest fiscal year whose quarter (week) n has begun by
// yesterday; after "last", the one before when that is the current one.
func (fr fiscalReader) latestYear(u period.Unit, n int) int {
	yday := fr.ps.yday
	y := fr.cal.YearOf(yday)
	p := fr.span(u, y, n)
	if p.Start.After(yday) || fr.last && p.Contains(yday) {
		y--
	}
	return y
}

// span is fiscal unit n (quarter, week; 1 for a year) of fiscal year y.
func (fr fiscalReader) span(u period.Unit, y, n int) period.Period {
	switch u {
	case period.Quarters:
		return fr.cal.Quarter(y, n)
	case period.Months:
		return fr.cal.Month(y, n)
	case period.Weeks:
		w, _ := fr.cal.Week(y, n)
		return w
	}
	return fr.cal.Year(y)
}

// whole is unit n of fiscal year y, cut at yesterday when still running.
func (fr fiscalReader) whole(u period.Unit, y, n int) spanInfo {
	p := fr.span(u, y, n)
	s := spanOf(p, fiscalCalUnit(u), 1, fr.label(u, p.Start))
	if !p.Start.After(fr.ps.yday) && p.End.After(fr.ps.yday) {
		s.End, s.toDate = fr.ps.yday, true
		s.Label += " to date"
	}
	return s
}

// lastUnit is the whole fiscal unit before the current one.
func (fr fiscalReader) lastUnit(u period.Unit) spanInfo {
	p := fr.cal.Last(u, fr.ps.today, 1)
	w := unitWord(fiscalCalUnit(u))
	s := spanOf(p, fiscalCalUnit(u), 1, "last "+w)
	if fr.named {
		s.Label = "last fiscal " + w
	}
	s.lastRel = true
	return s
}

// toDate is the fiscal unit so far; on its first day, the one before.
func (fr fiscalReader) toDate(u period.Unit) spanInfo {
	p, ok := fr.cal.ToDate(u, fr.ps.today)
	if !ok {
		s := fr.lastUnit(u)
		w := unitWord(fiscalCalUnit(u))
		s.note = fmt.Sprintf("This fiscal %s has no complete day yet, so this is last fiscal %s.", w, w)
		return s
	}
	s := spanOf(p, fiscalCalUnit(u), 1, "this "+unitWord(fiscalCalUnit(u))+" to date")
	if fr.named {
		s.Label = fiscalLabel(fr.cal, u, p.Start) + " to date"
	}
	s.toDate = true
	return s
}

func fiscalCalUnit(u period.Unit) calUnit {
	switch u {
	case period.Weeks:
		return unitWeek
	case period.Months:
		return unitMonth
	case period.Quarters:
		return unitQuarter
	}
	return unitYear
}

// fiscalLabel names the fiscal unit u starting at start: "FY2026",
// "fiscal Q3 2026", "fiscal November 2026", "fiscal week 12 of 2026".
func fiscalLabel(cal period.Calendar, u period.Unit, start time.Time) string {
	pos := cal.Locate(start)
	switch u {
	case period.Weeks:
		return fmt.Sprintf("fiscal week %d of %d", pos.Week, pos.Year)
	case period.Months:
		return fmt.Sprintf("fiscal %s %d", cal.MonthName(pos.Month), pos.Year)
	case period.Quarters:
		return fmt.Sprintf("fiscal Q%d %d", pos.Quarter, pos.Year)
	}
	return fmt.Sprintf("FY%d", pos.Year)
}

// fiscalUnitOf is the calendar unit of a fiscal span.
func fiscalUnitOf(s spanInfo) period.Unit { return s.unit.calendar() }

// fiscalShift moves a fiscal span: a year earlier (the same fiscal
// period of the year before, see period.Calendar.YearEarlier) for u a
// year, else the fiscal period just before, n times.
func fiscalShift(s spanInfo, u calUnit, n int) spanInfo {
	cal := *s.fcal
	p := s.Dates()
	for k := 0; k < n; k++ {
		switch {
		case u == unitYear:
			p = cal.YearEarlier(p)
		case s.toDate:
			// The same days from the start of the unit before.
			start := cal.Span(fiscalUnitOf(s), p.Start.AddDate(0, 0, -1)).Start
			q := p.DaysFrom(start)
			if !q.End.Before(p.Start) {
				q.End = p.Start.AddDate(0, 0, -1)
			}
			p = q
		default:
			p = cal.Before(p)
		}
	}
	out := spanInfo{Period: p, unit: s.unit, n: s.n, toDate: s.toDate, fcal: s.fcal}
	out.Label = fiscalLabel(cal, fiscalUnitOf(s), p.Start)
	if s.toDate {
		out.Label = "the same days of " + out.Label
	}
	return out
}
