package period

import "time"

// holiday is a retail holiday: its days shift sales so much that a week
// holding one compares only with the same week a year earlier.
type holiday struct {
	name string
	days func(year int) []time.Time
	// peak marks the season's peaks, which move a whole month as well as
	// their weeks.
	peak bool
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
	}, true},
	{"Christmas", func(y int) []time.Time { return []time.Time{date(y, 12, 24), date(y, 12, 25), date(y, 12, 26)} }, true},
	{"New Year's Day", func(y int) []time.Time { return []time.Time{date(y, 1, 1)} }, false},
	{"Memorial Day", func(y int) []time.Time { return []time.Time{lastWeekday(y, time.May, time.Monday)} }, false},
	{"Independence Day", func(y int) []time.Time { return []time.Time{date(y, 7, 4)} }, false},
	{"Labor Day", func(y int) []time.Time { return []time.Time{nthWeekday(y, time.September, time.Monday, 1)} }, false},
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
		for _, p := range ps {
			for y := p.Start.Year(); y <= p.End.Year(); y++ {
				for _, d := range h.days(y) {
					if !d.Before(p.Start) && !d.After(p.End) {
						return h.name
					}
				}
			}
		}
	}
	return ""
}
