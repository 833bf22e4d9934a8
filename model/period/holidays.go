package period

import (
	"strings"
	"time"
)

// holiday is a retail holiday: its days shift sales so much that a week
// holding one compares only with the same week a year earlier.
type holiday struct {
	name string
	days func(year int) []time.Time
	// peak marks the season's peaks, which move a whole month as well as
	// their weeks.
	peak bool
	// dayNames, when set, name each of days (in order): a period holding
	// some of them is said to hold those ("Cyber Monday"), not the whole
	// holiday. A day named "" is between; a period holding only such days
	// holds between.
	dayNames []string
	between  string
}

func nthWeekday(year int, m time.Month, wd time.Weekday, n int) time.Time {
	d := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 7*(n-1))
}

func lastWeekday(year int, m time.Month, wd time.Weekday) time.Time {
	d := time.Date(year, m+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// holidays are the US retail holidays sowhat knows.
var holidays = []holiday{
	{"Thanksgiving, Black Friday and Cyber Monday", func(y int) []time.Time {
		t := nthWeekday(y, time.November, time.Thursday, 4)
		return []time.Time{t, t.AddDate(0, 0, 1), t.AddDate(0, 0, 2), t.AddDate(0, 0, 3), t.AddDate(0, 0, 4)}
	}, true, []string{"Thanksgiving", "Black Friday", "", "", "Cyber Monday"}, "the Thanksgiving weekend"},
	{"Christmas", func(y int) []time.Time { return []time.Time{date(y, 12, 24), date(y, 12, 25), date(y, 12, 26)} }, true, nil, ""},
	{"New Year's Day", func(y int) []time.Time { return []time.Time{date(y, 1, 1)} }, false, nil, ""},
	{"Memorial Day", func(y int) []time.Time { return []time.Time{lastWeekday(y, time.May, time.Monday)} }, false, nil, ""},
	{"Independence Day", func(y int) []time.Time { return []time.Time{date(y, 7, 4)} }, false, nil, ""},
	{"Labor Day", func(y int) []time.Time { return []time.Time{nthWeekday(y, time.September, time.Monday, 1)} }, false, nil, ""},
}

// HolidayIn names the first retail holiday with a day in any of the
// periods, "" for none: a period holding one compares only with the same
// days a year earlier.
func HolidayIn(ps ...Period) string { return holidayIn(false, ps) }

// PeakIn is HolidayIn for the season's peaks alone (Thanksgiving to Cyber
// Monday, Christmas), which move a whole month.
func PeakIn(ps ...Period) string { return holidayIn(true, ps) }

func holidayIn(peaks bool, ps []Period) string {
	for _, h := range holidays {
		if peaks && !h.peak {
			continue
		}
		held := make([]bool, 0, 5)
		any := false
		for _, p := range ps {
			for y := p.Start.Year(); y <= p.End.Year(); y++ {
				for i, d := range h.days(y) {
					for len(held) <= i {
						held = append(held, false)
					}
					if !d.Before(p.Start) && !d.After(p.End) {
						held[i], any = true, true
					}
				}
			}
		}
		if any {
			return h.named(held)
		}
	}
	return ""
}

// named is the holiday's name for the days of it held: those of its named
// days that are ("Thanksgiving and Black Friday", "Cyber Monday"), the
// whole name when all are, or between for days between them alone.
func (h holiday) named(held []bool) string {
	var names []string
	all := 0
	for i, n := range h.dayNames {
		if n == "" {
			continue
		}
		all++
		if i < len(held) && held[i] {
			names = append(names, n)
		}
	}
	switch {
	case len(names) == 0 && h.between != "":
		return h.between
	case len(names) == 0 || len(names) == all:
		return h.name
	case len(names) == 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
