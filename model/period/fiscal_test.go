package period

import (
	"testing"
	"time"
)

// The NRF 4-5-4 calendar as the National Retail Federation publishes it
// (https://nrf.com/resources/4-5-4-calendar): fiscal years, quarters and
// months for fiscal 2023–2028, 2023 and 2028 being 53-week years.
var nrf = Calendar{Kind: NRF454}

func TestNRFYears(t *testing.T) {
	cases := []struct {
		fy         int
		start, end string
		weeks      int
	}{
		{2017, "2017-01-29", "2018-02-03", 53},
		{2022, "2022-01-30", "2023-01-28", 52},
		{2023, "2023-01-29", "2024-02-03", 53},
		{2024, "2024-02-04", "2025-02-01", 52},
		{2025, "2025-02-02", "2026-01-31", 52},
		{2026, "2026-02-01", "2027-01-30", 52},
		{2027, "2027-01-31", "2028-01-29", 52},
		{2028, "2028-01-30", "2029-02-03", 53},
	}
	for _, c := range cases {
		checkPeriod(t, "NRF year", nrf.Year(c.fy), span(c.start, c.end))
		if got := nrf.Weeks(c.fy); got != c.weeks {
			t.Errorf("Weeks(%d) = %d, want %d", c.fy, got, c.weeks)
		}
		if s := nrf.YearStart(c.fy); s.Weekday() != time.Sunday {
			t.Errorf("FY%d starts on a %s", c.fy, s.Weekday())
		}
		for _, d := range []string{c.start, c.end} {
			if got := nrf.YearOf(day(d)); got != c.fy {
				t.Errorf("YearOf(%s) = %d, want %d", d, got, c.fy)
			}
		}
	}
}

func TestNRFQuarters(t *testing.T) {
	cases := []struct {
		fy, q      int
		start, end string
	}{
		{2024, 1, "2024-02-04", "2024-05-04"},
		{2024, 2, "2024-05-05", "2024-08-03"},
		{2024, 3, "2024-08-04", "2024-11-02"},
		{2024, 4, "2024-11-03", "2025-02-01"},
		{2025, 1, "2025-02-02", "2025-05-03"},
		{2025, 3, "2025-08-03", "2025-11-01"},
		{2025, 4, "2025-11-02", "2026-01-31"},
		{2026, 1, "2026-02-01", "2026-05-02"},
		{2026, 2, "2026-05-03", "2026-08-01"},
		{2026, 3, "2026-08-02", "2026-10-31"},
		{2026, 4, "2026-11-01", "2027-01-30"},
		{2027, 1, "2027-01-31", "2027-05-01"},
		{2027, 3, "2027-08-01", "2027-10-30"},
		{2027, 4, "2027-10-31", "2028-01-29"},
		{2023, 3, "2023-07-30", "2023-10-28"},
		{2023, 4, "2023-10-29", "2024-02-03"}, // 14 weeks: the 53rd is January's
		{2028, 3, "2028-07-30", "2028-10-28"},
	}
	for _, c := range cases {
		checkPeriod(t, "NRF quarter", nrf.Quarter(c.fy, c.q), span(c.start, c.end))
	}
}

func TestNRFMonths(t *testing.T) {
	// Fiscal 2024 month by month, 4-5-4 in each quarter.
	fy2024 := []string{
		"2024-02-04/2024-03-02", "2024-03-03/2024-04-06", "2024-04-07/2024-05-04",
		"2024-05-05/2024-06-01", "2024-06-02/2024-07-06", "2024-07-07/2024-08-03",
		"2024-08-04/2024-08-31", "2024-09-01/2024-10-05", "2024-10-06/2024-11-02",
		"2024-11-03/2024-11-30", "2024-12-01/2025-01-04", "2025-01-05/2025-02-01",
	}
	for m, s := range fy2024 {
		checkPeriod(t, "FY2024 month", nrf.Month(2024, m+1), span(s[:10], s[11:]))
	}
	checkPeriod(t, "FY2026 November", nrf.Month(2026, 10), span("2026-11-01", "2026-11-28"))
	checkPeriod(t, "FY2026 December", nrf.Month(2026, 11), span("2026-11-29", "2027-01-02"))
	checkPeriod(t, "FY2023 January, 5 weeks", nrf.Month(2023, 12), span("2023-12-31", "2024-02-03"))
	checkPeriod(t, "FY2022 January, 4 weeks", nrf.Month(2022, 12), span("2023-01-01", "2023-01-28"))
	if got := nrf.MonthName(10); got != time.November {
		t.Errorf("MonthName(10) = %s, want November", got)
	}
}

func TestNRFWeeksAndLocate(t *testing.T) {
	w, ok := nrf.Week(2026, 12)
	if !ok {
		t.Fatal("FY2026 has no week 12")
	}
	checkPeriod(t, "FY2026 week 12", w, span("2026-04-19", "2026-04-25"))
	if _, ok := nrf.Week(2026, 53); ok {
		t.Error("FY2026, a 52-week year, has a week 53")
	}
	w53, ok := nrf.Week(2023, 53)
	if !ok {
		t.Fatal("FY2023 has no week 53")
	}
	checkPeriod(t, "FY2023 week 53", w53, span("2024-01-28", "2024-02-03"))
	if got, want := nrf.Locate(day("2026-11-27")), (Position{Year: 2026, Quarter: 4, Month: 10, Week: 43}); got != want {
		t.Errorf("Locate(Black Friday 2026) = %+v, want %+v", got, want)
	}
}

func TestNRFRelative(t *testing.T) {
	today := day("2026-12-01") // a Tuesday in fiscal December 2026
	checkPeriod(t, "last fiscal quarter", nrf.Last(Quarters, today, 1), span("2026-08-02", "2026-10-31"))
	checkPeriod(t, "last fiscal month", nrf.Last(Months, today, 1), span("2026-11-01", "2026-11-28"))
	checkPeriod(t, "last fiscal week", nrf.Last(Weeks, today, 1), span("2026-11-22", "2026-11-28"))
	checkPeriod(t, "last fiscal year", nrf.Last(Years, today, 1), span("2025-02-02", "2026-01-31"))
	fmtd, ok := nrf.ToDate(Months, today)
	if !ok {
		t.Fatal("no fiscal month to date")
	}
	checkPeriod(t, "fiscal month to date", fmtd, span("2026-11-29", "2026-11-30"))
	fytd, _ := nrf.ToDate(Years, today)
	checkPeriod(t, "fiscal year to date", fytd, span("2026-02-01", "2026-11-30"))
	if _, ok := nrf.ToDate(Months, day("2026-11-29")); ok {
		t.Error("fiscal month to date on its first day")
	}
}

func TestNRFYearEarlierAndBefore(t *testing.T) {
	cases := []struct {
		name string
		got  Period
		want Period
	}{
		{"Q3 FY2026 a year earlier", nrf.YearEarlier(nrf.Quarter(2026, 3)), nrf.Quarter(2025, 3)},
		{"after a 53-week year: restated", nrf.YearEarlier(nrf.Quarter(2024, 1)), span("2023-02-05", "2023-05-06")},
		{"53-week January against 4 weeks", nrf.YearEarlier(nrf.Month(2023, 12)), span("2023-01-01", "2023-01-28")},
		{"53-week year against 52", nrf.YearEarlier(nrf.Year(2023)), nrf.Year(2022)},
		{"a week: 52 back", nrf.YearEarlier(span("2026-11-22", "2026-11-28")), span("2025-11-23", "2025-11-29")},
		{"year to date: 52 weeks back", nrf.YearEarlier(span("2026-02-01", "2026-11-30")), span("2025-02-02", "2025-12-01")},
		{"quarter before", nrf.Before(nrf.Quarter(2026, 1)), nrf.Quarter(2025, 4)},
		{"month before", nrf.Before(nrf.Month(2026, 11)), nrf.Month(2026, 10)},
		{"days before", nrf.Before(span("2026-11-29", "2026-11-30")), span("2026-11-27", "2026-11-28")},
	}
	for _, c := range cases {
		checkPeriod(t, c.name, c.got, c.want)
	}
}

func TestCalendarMonthsFiscal(t *testing.T) {
	july := Calendar{Start: time.July}
	checkPeriod(t, "FY2026 from July", july.Year(2026), span("2025-07-01", "2026-06-30"))
	checkPeriod(t, "Q3 FY2026 from July", july.Quarter(2026, 3), span("2026-01-01", "2026-03-31"))
	if got := july.YearOf(day("2026-08-15")); got != 2027 {
		t.Errorf("YearOf(Aug 2026) = %d, want 2027", got)
	}
	cal := Calendar{}
	checkPeriod(t, "calendar year", cal.Year(2026), span("2026-01-01", "2026-12-31"))
	checkPeriod(t, "calendar Q4", cal.Span(Quarters, day("2026-11-18")), span("2026-10-01", "2026-12-31"))
	checkPeriod(t, "calendar week", cal.Span(Weeks, day("2026-11-18")), span("2026-11-16", "2026-11-22"))
	checkPeriod(t, "calendar month a year earlier", cal.YearEarlier(span("2028-02-01", "2028-02-29")), span("2027-02-01", "2027-02-28"))
	checkPeriod(t, "calendar MTD a year earlier", cal.YearEarlier(span("2026-11-01", "2026-11-17")), span("2025-11-01", "2025-11-17"))
	feb := Calendar{Kind: CalendarMonths, Start: time.February}
	checkPeriod(t, "Feb fiscal year", feb.Year(2026), span("2026-02-01", "2027-01-31"))
}

func TestParseCalendarKind(t *testing.T) {
	for s, want := range map[string]CalendarKind{"": CalendarMonths, "calendar": CalendarMonths, "nrf-454": NRF454, "NRF": NRF454, "4-5-4": NRF454} {
		if got, err := ParseCalendarKind(s); err != nil || got != want {
			t.Errorf("ParseCalendarKind(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := ParseCalendarKind("445"); err == nil {
		t.Error("ParseCalendarKind(445) took it")
	}
}
