package period

import "time"

// DateLayout is the ISO layout every date is stored and printed in.
const DateLayout = "2006-01-02"

// Day returns the calendar day of t as UTC midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// WeekStart returns the Monday of the week d falls in.
func WeekStart(d time.Time) time.Time {
	offset := (int(d.Weekday()) + 6) % 7
	return Day(d).AddDate(0, 0, -offset)
}

// MonthStart returns the first day of d's month.
func MonthStart(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}
