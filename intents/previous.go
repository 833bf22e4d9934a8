package intents

import (
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// previous returns the period before p, of the same shape: the week before
// a week, the month (quarter, year) before a whole one, the same days of the
// previous month for a month to date, the same number of days otherwise.
func previous(p period.Period) period.Period { return previousSpan(shapeOf(p)).Period }

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
