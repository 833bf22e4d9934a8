package period

import (
	"testing"
	"time"
)

func TestHolidays(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(DateLayout, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		from, to      string
		holiday, peak string
	}{
		{"2026-11-23", "2026-11-29", "Thanksgiving and Black Friday", "Thanksgiving and Black Friday"}, // Cyber Monday is the day after
		{"2026-11-30", "2026-11-30", "Cyber Monday", "Cyber Monday"},
		{"2026-11-28", "2026-11-29", "the Thanksgiving weekend", "the Thanksgiving weekend"},
		{"2026-11-27", "2026-11-27", "Black Friday", "Black Friday"},
		{"2026-11-24", "2026-11-30", "Thanksgiving, Black Friday and Cyber Monday", "Thanksgiving, Black Friday and Cyber Monday"},
		{"2026-12-01", "2026-12-23", "", ""},
		{"2026-12-21", "2026-12-27", "Christmas", "Christmas"},
		{"2026-09-01", "2026-09-30", "Labor Day", ""},
		{"2026-05-25", "2026-05-25", "Memorial Day", ""},
		{"2025-12-29", "2026-01-04", "New Year's Day", ""},
		{"2026-10-01", "2026-10-31", "", ""},
	} {
		p := Period{Start: day(tc.from), End: day(tc.to)}
		if got := HolidayIn(p); got != tc.holiday {
			t.Errorf("HolidayIn(%s–%s) = %q, want %q", tc.from, tc.to, got, tc.holiday)
		}
		if got := PeakIn(p); got != tc.peak {
			t.Errorf("PeakIn(%s–%s) = %q, want %q", tc.from, tc.to, got, tc.peak)
		}
	}
}
