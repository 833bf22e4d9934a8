package period

import (
	"fmt"
	"strings"
	"time"
)

// CalendarKind is the shape of a fiscal calendar's months.
type CalendarKind uint8

// The fiscal calendars sowhat knows.
const (
	// CalendarMonths is a fiscal year of calendar months, starting on the
	// first of its start month (January, the default, is the calendar
	// year). Its weeks run Monday to Sunday, as everywhere else.
	CalendarMonths CalendarKind = iota
	// NRF454 is the National Retail Federation's 4-5-4 retail calendar: a
	// fiscal year of whole Sunday–Saturday weeks, its months 4, 5 and 4
	// weeks long in each quarter. See Calendar.
	NRF454
)

// Calendar is how a business counts its fiscal months, quarters and years.
// The zero value is the calendar year.
//
// The NRF 4-5-4 calendar (National Retail Federation, "4-5-4 Calendar",
// https://nrf.com/resources/4-5-4-calendar) is the one most US retailers
// report on:
//
//   - The fiscal year ends on the Saturday nearest the last day of January
//     (for a year starting in February), so it starts on the Sunday after:
//     the Sunday nearest February 1. Ending on the Saturday nearest the end
//     of the month before Start generalises it to other start months.
//   - Weeks run Sunday to Saturday; a year is 52 weeks, 364 days, and every
//     five or six years 53 (FY2017, FY2023, FY2028).
//   - Each quarter is 13 weeks, its months 4, 5 and 4 weeks long. In a
//     53-week year the extra week is added to the last month, which has 5.
//   - A fiscal year is named after the calendar year it starts in: fiscal
//     2024 runs Feb 4, 2024 – Feb 1, 2025; its months after the calendar
//     months they mostly cover (fiscal November 2024 is Nov 3–30).
//   - A year earlier, for comparisons, is the same weeks 52 weeks back. When
//     last year had 53 weeks NRF compares with it restated — shifted a week
//     later, its first week dropped — which is again 52 weeks back; in the
//     53-week year itself, whole months, quarters and the year are compared
//     with the same ones of the year before, one week shorter.
type Calendar struct {
	Kind CalendarKind
	// Start is the month the fiscal year starts in; 0 is the kind's usual
	// one: January for calendar months, February for NRF 4-5-4.
	Start time.Month
}

// ParseCalendarKind reads a calendar's name: "calendar" (or "") or
// "nrf-454" (also "nrf", "454", "4-5-4").
func ParseCalendarKind(s string) (CalendarKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "calendar", "gregorian", "months":
		return CalendarMonths, nil
	case "nrf-454", "nrf454", "nrf", "454", "4-5-4", "retail":
		return NRF454, nil
	}
	return 0, fmt.Errorf("unknown fiscal calendar %q: want calendar or nrf-454", s)
}

// String names the calendar: "the calendar year", "calendar months from
// July", "the NRF 4-5-4 calendar".
func (c Calendar) String() string {
	switch {
	case c.Kind == NRF454 && c.start() == time.February:
		return "the NRF 4-5-4 retail calendar"
	case c.Kind == NRF454:
		return "the 4-5-4 retail calendar from " + c.start().String()
	case c.start() == time.January:
		return "the calendar year"
	}
	return "fiscal years of calendar months from " + c.start().String()
}

func (c Calendar) start() time.Month {
	switch {
	case c.Start >= time.January && c.Start <= time.December:
		return c.Start
	case c.Kind == NRF454:
		return time.February
	}
	return time.January
}

// calendarYear is the calendar year fiscal year fy starts in: its own year
// when it starts in January to June, the year before otherwise (a fiscal
// year from July 2025 to June 2026 is FY2026).
func (c Calendar) calendarYear(fy int) int {
	if c.start() >= time.July {
		return fy - 1
	}
	return fy
}

// YearStart returns the first day of fiscal year fy.
func (c Calendar) YearStart(fy int) time.Time {
	first := time.Date(c.calendarYear(fy), c.start(), 1, 0, 0, 0, 0, time.UTC)
	if c.Kind != NRF454 {
		return first
	}
	// The Saturday nearest the last day of the month before, plus a day.
	last := first.AddDate(0, 0, -1)
	off := (int(time.Saturday) - int(last.Weekday()) + 7) % 7
	if off > 3 {
		off -= 7
	}
	return last.AddDate(0, 0, off+1)
}

// Year returns fiscal year fy, first day to last.
func (c Calendar) Year(fy int) Period {
	return Period{Start: c.YearStart(fy), End: c.YearStart(fy+1).AddDate(0, 0, -1)}
}

// YearOf returns the fiscal year day d falls in.
func (c Calendar) YearOf(d time.Time) int {
	d = Day(d)
	fy := d.Year()
	if c.start() >= time.July {
		fy++
	}
	for d.Before(c.YearStart(fy)) {
		fy--
	}
	for !d.Before(c.YearStart(fy + 1)) {
		fy++
	}
	return fy
}

// Weeks returns how many weeks fiscal year fy has: 52 or 53 on the NRF
// calendar; 0 for calendar months, which are not made of weeks.
func (c Calendar) Weeks(fy int) int {
	if c.Kind != NRF454 {
		return 0
	}
	return c.Year(fy).Days() / 7
}

// nrfWeeks are the weeks of each month of a 4-5-4 year.
var nrfWeeks = [12]int{4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 5, 4}

// Month returns fiscal month m (1 to 12) of fiscal year fy.
func (c Calendar) Month(fy, m int) Period {
	start := c.YearStart(fy)
	if c.Kind != NRF454 {
		s := AddMonths(start, m-1)
		return Period{Start: s, End: AddMonths(s, 1).AddDate(0, 0, -1)}
	}
	weeks := 0
	for k := 0; k < m-1; k++ {
		weeks += nrfWeeks[k]
	}
	n := nrfWeeks[m-1]
	if m == 12 && c.Weeks(fy) == 53 {
		n++
	}
	s := start.AddDate(0, 0, 7*weeks)
	return Period{Start: s, End: s.AddDate(0, 0, 7*n-1)}
}

// MonthName returns the calendar month fiscal month m is named after.
func (c Calendar) MonthName(m int) time.Month {
	return time.Month((int(c.start())-1+m-1)%12 + 1)
}

// Quarter returns fiscal quarter q (1 to 4) of fiscal year fy.
func (c Calendar) Quarter(fy, q int) Period {
	return Period{Start: c.Month(fy, 3*q-2).Start, End: c.Month(fy, 3*q).End}
}

// Week returns fiscal week w of fiscal year fy, and false when the year has
// no such week. On the NRF calendar weeks run Sunday to Saturday from the
// year's first day; with calendar months week 1 is the Monday–Sunday week
// holding the year's first day.
func (c Calendar) Week(fy, w int) (Period, bool) {
	first := c.YearStart(fy)
	if c.Kind != NRF454 {
		first = WeekStart(first)
	}
	s := first.AddDate(0, 0, 7*(w-1))
	if w < 1 || !s.Before(c.YearStart(fy+1)) {
		return Period{}, false
	}
	return Period{Start: s, End: s.AddDate(0, 0, 6)}, true
}

// Position is where a day falls in the fiscal calendar.
type Position struct {
	Year, Quarter, Month, Week int
}

// Locate returns the fiscal year, quarter, month and week d falls in.
func (c Calendar) Locate(d time.Time) Position {
	d = Day(d)
	fy := c.YearOf(d)
	p := Position{Year: fy, Month: 12}
	for m := 1; m <= 12; m++ {
		if !d.After(c.Month(fy, m).End) {
			p.Month = m
			break
		}
	}
	p.Quarter = (p.Month-1)/3 + 1
	first, _ := c.Week(fy, 1)
	p.Week = int(d.Sub(first.Start).Hours()/24)/7 + 1
	return p
}

// Span returns the fiscal week, month, quarter or year that d falls in; a
// day for Days.
func (c Calendar) Span(u Unit, d time.Time) Period {
	d = Day(d)
	pos := c.Locate(d)
	switch u {
	case Weeks:
		if c.Kind != NRF454 {
			return Period{Start: WeekStart(d), End: WeekStart(d).AddDate(0, 0, 6)}
		}
		w, _ := c.Week(pos.Year, pos.Week)
		return w
	case Months:
		return c.Month(pos.Year, pos.Month)
	case Quarters:
		return c.Quarter(pos.Year, pos.Quarter)
	case Years:
		return c.Year(pos.Year)
	}
	return Period{Start: d, End: d}
}

// Last returns the n whole fiscal units before the one today falls in.
func (c Calendar) Last(u Unit, today time.Time, n int) Period {
	cur := c.Span(u, today)
	start := cur.Start
	for k := 0; k < n; k++ {
		start = c.Span(u, start.AddDate(0, 0, -1)).Start
	}
	return Period{Start: start, End: cur.Start.AddDate(0, 0, -1)}
}

// ToDate returns the fiscal unit today falls in, from its first day to the
// day before today; false on its first day, when no day of it is complete.
func (c Calendar) ToDate(u Unit, today time.Time) (Period, bool) {
	today = Day(today)
	start := c.Span(u, today).Start
	if !start.Before(today) {
		return Period{}, false
	}
	return Period{Start: start, End: today.AddDate(0, 0, -1)}, true
}

// wholeMonths reports whether p is a run of whole fiscal months, and
// where its first and last fall.
func (c Calendar) wholeMonths(p Period) (Position, Position, bool) {
	a, b := c.Locate(p.Start), c.Locate(p.End)
	whole := c.Month(a.Year, a.Month).Start.Equal(p.Start) && c.Month(b.Year, b.Month).End.Equal(p.End)
	return a, b, whole
}

// YearEarlier returns the fiscal period a year before p. A run of whole
// fiscal months (a month, a quarter, a year) is the same months of the
// fiscal year before, restated when that year had 53 weeks; any other
// period — weeks, a month to date, days — is as many days from the same
// point of the year before: 52 weeks back on the NRF calendar, so that
// weekdays line up, the same dates for calendar months.
func (c Calendar) YearEarlier(p Period) Period {
	if c.Kind != NRF454 {
		if _, _, whole := c.wholeMonths(p); whole {
			return p.ShiftWhole(Years, -1)
		}
		return p.DaysFrom(AddMonths(p.Start, -12))
	}
	a, b, whole := c.wholeMonths(p)
	if !whole || c.Weeks(a.Year-1) == 53 || a.Year != b.Year {
		return p.Shift(Weeks, -52)
	}
	return Period{Start: c.Month(a.Year-1, a.Month).Start, End: c.Month(b.Year-1, b.Month).End}
}

// Before returns the fiscal period just before p and as long: as many
// whole fiscal months for a run of them, as many days otherwise.
func (c Calendar) Before(p Period) Period {
	a, b, whole := c.wholeMonths(p)
	if !whole {
		return p.Before(Days)
	}
	n := (b.Year-a.Year)*12 + b.Month - a.Month + 1
	start := p.Start
	for k := 0; k < n; k++ {
		start = c.Span(Months, start.AddDate(0, 0, -1)).Start
	}
	return Period{Start: start, End: p.Start.AddDate(0, 0, -1)}
}
