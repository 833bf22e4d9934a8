package period

import "time"

// Unit is a calendar unit that periods are made of and moved by.
type Unit uint8

// The calendar units. Weeks run Monday to Sunday; quarters start in
// January, April, July and October.
const (
	Days Unit = iota
	Weeks
	Months
	Quarters
	Years
)

// months returns how many months the unit spans, 0 for days and weeks.
func (u Unit) months() int {
	switch u {
	case Months:
		return 1
	case Quarters:
		return 3
	case Years:
		return 12
	}
	return 0
}

// Start returns the first day of the unit d falls in; for days, d itself.
func (u Unit) Start(d time.Time) time.Time {
	switch u {
	case Weeks:
		return WeekStart(d)
	case Months:
		return MonthStart(d)
	case Quarters:
		return QuarterStart(d)
	case Years:
		return time.Date(d.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// Add moves d by n units. Months, quarters and years keep the day of the
// month, cut to the length of the month they land in (AddMonths).
func (u Unit) Add(d time.Time, n int) time.Time {
	switch u {
	case Weeks:
		return d.AddDate(0, 0, 7*n)
	case Months, Quarters, Years:
		return AddMonths(d, u.months()*n)
	}
	return d.AddDate(0, 0, n)
}

// QuarterStart returns the first day of d's quarter.
func QuarterStart(d time.Time) time.Time {
	m := (int(d.Month())-1)/3*3 + 1
	return time.Date(d.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

// AddMonths moves d by n months, keeping the day of the month but cutting
// it to the target month's length: Mar 31 less a month is Feb 28.
func AddMonths(d time.Time, n int) time.Time {
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// LastDays returns the n days that end the day before today.
func LastDays(today time.Time, n int) Period {
	end := today.AddDate(0, 0, -1)
	return Period{Start: end.AddDate(0, 0, 1-n), End: end}
}

// Last returns the n whole units before the one today falls in: Last(Months,
// today, 3) is the three calendar months before this one.
func Last(u Unit, today time.Time, n int) Period {
	cur := u.Start(today)
	return Period{Start: u.Add(cur, -n), End: cur.AddDate(0, 0, -1)}
}

// ToDate returns the unit today falls in, from its first day to the day
// before today. On the unit's first day no day of it is complete yet, and
// it reports false.
func ToDate(u Unit, today time.Time) (Period, bool) {
	start := u.Start(today)
	if !start.Before(today) {
		return Period{}, false
	}
	return Period{Start: start, End: today.AddDate(0, 0, -1)}, true
}

// WeeksEnding returns the n whole weeks up to d: the week d falls in counts
// when d is a Sunday, its last day; otherwise the weeks end the Sunday
// before.
func WeeksEnding(d time.Time, n int) Period {
	end := d
	if end.Weekday() != time.Sunday {
		end = WeekStart(end).AddDate(0, 0, -1)
	}
	return Period{Start: WeekStart(end).AddDate(0, 0, -7*(n-1)), End: end}
}

// Named returns p with the label given.
func (p Period) Named(label string) Period {
	p.Label = label
	return p
}

// Shift moves both ends of p by n units, each cut to the length of the
// month it lands in; the result has no label.
func (p Period) Shift(u Unit, n int) Period {
	return Period{Start: u.Add(p.Start, n), End: u.Add(p.End, n)}
}

// ShiftWhole moves p, a run of whole months, by n units and keeps it whole
// months: February moved a month is all of March. For days and weeks it is
// Shift.
func (p Period) ShiftWhole(u Unit, n int) Period {
	if u.months() == 0 {
		return p.Shift(u, n)
	}
	start := u.Add(p.Start, n)
	return Period{Start: start, End: u.Add(p.End.AddDate(0, 0, 1), n).AddDate(0, 0, -1)}
}

// Before returns the period just before p and as long: for days and weeks
// the same number of days; for months, quarters and years, where p is whole
// months, the same number of whole months.
func (p Period) Before(u Unit) Period {
	if u.months() == 0 {
		days := p.Days()
		return Period{Start: p.Start.AddDate(0, 0, -days), End: p.Start.AddDate(0, 0, -1)}
	}
	next := p.End.AddDate(0, 0, 1)
	n := (next.Year()-p.Start.Year())*12 + int(next.Month()-p.Start.Month())
	return Period{Start: AddMonths(p.Start, -n), End: p.Start.AddDate(0, 0, -1)}
}

// YearEarlier returns p a year before: 52 weeks back for a period of days or
// weeks, so that weekdays line up; for whole months, quarters or years the
// same calendar months of the year before.
func (p Period) YearEarlier(u Unit) Period {
	if u.months() == 0 {
		return p.Shift(Weeks, -52)
	}
	return p.ShiftWhole(Years, -1)
}

// YearAgo returns p a year earlier by the one rule answers and digests
// share: a run of days or weeks (u Days or Weeks) 52 weeks back, so that
// weekdays line up — the same Monday–Sunday week a year ago, as retail
// reports compare; a month, quarter or year to date the same dates of the
// year before (cut to the shorter February); whole months, quarters or
// years the same calendar months. Fiscal periods have Calendar.YearEarlier.
func (p Period) YearAgo(u Unit, toDate bool) Period {
	if toDate && u.months() > 0 {
		return p.Shift(Years, -1)
	}
	return p.YearEarlier(u)
}

// DaysFrom returns as many days as p has, starting at start.
func (p Period) DaysFrom(start time.Time) Period {
	return Period{Start: start, End: start.AddDate(0, 0, p.Days()-1)}
}

// ToDateBefore returns, for p the part of a unit u up to some day, as many
// days from the start of the unit before, cut at that unit's end: the same
// days of last month for a month to date.
func (p Period) ToDateBefore(u Unit) Period {
	q := p.DaysFrom(u.Add(p.Start, -1))
	if !q.End.Before(p.Start) {
		q.End = p.Start.AddDate(0, 0, -1)
	}
	return q
}
