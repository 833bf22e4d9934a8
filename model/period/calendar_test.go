package period

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

func span(start, end string) Period { return Period{Start: day(start), End: day(end)} }

func checkPeriod(t *testing.T, name string, got, want Period) {
	t.Helper()
	if !got.Equal(want) || got.Label != want.Label {
		t.Errorf("%s = %s – %s %q, want %s – %s %q", name, got.Start.Format(DateLayout), got.End.Format(DateLayout), got.Label,
			want.Start.Format(DateLayout), want.End.Format(DateLayout), want.Label)
	}
}

func TestUnitStartAndAdd(t *testing.T) {
	cases := []struct {
		u          Unit
		d          string
		n          int
		start, add string
	}{
		{Days, "2026-11-18", 3, "2026-11-18", "2026-11-21"},
		{Weeks, "2026-11-18", -1, "2026-11-16", "2026-11-11"},
		{Weeks, "2026-11-22", 2, "2026-11-16", "2026-12-06"},
		{Months, "2026-03-31", -1, "2026-03-01", "2026-02-28"},
		{Months, "2028-03-31", -1, "2028-03-01", "2028-02-29"},
		{Months, "2026-01-15", -2, "2026-01-01", "2025-11-15"},
		{Quarters, "2026-05-31", -1, "2026-04-01", "2026-02-28"},
		{Quarters, "2026-12-31", 1, "2026-10-01", "2027-03-31"},
		{Years, "2028-02-29", -1, "2028-01-01", "2027-02-28"},
	}
	for _, c := range cases {
		if got := c.u.Start(day(c.d)); !got.Equal(day(c.start)) {
			t.Errorf("unit %d Start(%s) = %s, want %s", c.u, c.d, got.Format(DateLayout), c.start)
		}
		if got := c.u.Add(day(c.d), c.n); !got.Equal(day(c.add)) {
			t.Errorf("unit %d Add(%s, %d) = %s, want %s", c.u, c.d, c.n, got.Format(DateLayout), c.add)
		}
	}
}

func TestQuarterStart(t *testing.T) {
	for d, want := range map[string]string{
		"2026-01-01": "2026-01-01", "2026-03-31": "2026-01-01", "2026-04-01": "2026-04-01",
		"2026-08-15": "2026-07-01", "2026-12-31": "2026-10-01",
	} {
		if got := QuarterStart(day(d)); !got.Equal(day(want)) {
			t.Errorf("QuarterStart(%s) = %s, want %s", d, got.Format(DateLayout), want)
		}
	}
}

func TestLastAndToDate(t *testing.T) {
	today := day("2026-11-18") // a Wednesday
	checkPeriod(t, "LastDays 7", LastDays(today, 7), span("2026-11-11", "2026-11-17"))
	checkPeriod(t, "LastDays 1", LastDays(today, 1), span("2026-11-17", "2026-11-17"))
	checkPeriod(t, "Last week", Last(Weeks, today, 1), span("2026-11-09", "2026-11-15"))
	checkPeriod(t, "Last 3 months", Last(Months, today, 3), span("2026-08-01", "2026-10-31"))
	checkPeriod(t, "Last month in March", Last(Months, day("2026-03-10"), 1), span("2026-02-01", "2026-02-28"))
	checkPeriod(t, "Last quarter", Last(Quarters, today, 1), span("2026-07-01", "2026-09-30"))
	checkPeriod(t, "Last year", Last(Years, today, 1), span("2025-01-01", "2025-12-31"))

	cases := []struct {
		u     Unit
		today string
		want  Period
		ok    bool
	}{
		{Weeks, "2026-11-18", span("2026-11-16", "2026-11-17"), true},
		{Weeks, "2026-11-16", Period{}, false},
		{Months, "2026-11-18", span("2026-11-01", "2026-11-17"), true},
		{Months, "2026-11-01", Period{}, false},
		{Quarters, "2026-11-18", span("2026-10-01", "2026-11-17"), true},
		{Years, "2026-01-02", span("2026-01-01", "2026-01-01"), true},
	}
	for _, c := range cases {
		got, ok := ToDate(c.u, day(c.today))
		if ok != c.ok {
			t.Errorf("ToDate(%d, %s) ok = %v, want %v", c.u, c.today, ok, c.ok)
		}
		checkPeriod(t, "ToDate "+c.today, got, c.want)
	}
}

func TestWeeksEnding(t *testing.T) {
	checkPeriod(t, "ending Sunday", WeeksEnding(day("2026-11-15"), 2), span("2026-11-02", "2026-11-15"))
	checkPeriod(t, "ending Wednesday", WeeksEnding(day("2026-11-18"), 2), span("2026-11-02", "2026-11-15"))
	checkPeriod(t, "ending Monday", WeeksEnding(day("2026-11-16"), 1), span("2026-11-09", "2026-11-15"))
}

func TestShifts(t *testing.T) {
	cases := []struct {
		name string
		got  Period
		want Period
	}{
		{"Shift days", span("2026-11-10", "2026-11-16").Shift(Days, -7), span("2026-11-03", "2026-11-09")},
		{"Shift weeks", span("2026-11-16", "2026-11-17").Shift(Weeks, -1), span("2026-11-09", "2026-11-10")},
		{"Shift month cut", span("2026-03-01", "2026-03-31").Shift(Months, -1), span("2026-02-01", "2026-02-28")},
		{"Shift month short", span("2026-11-01", "2026-11-30").Shift(Months, -1), span("2026-10-01", "2026-10-30")},
		{"ShiftWhole month", span("2026-11-01", "2026-11-30").ShiftWhole(Months, -1), span("2026-10-01", "2026-10-31")},
		{"ShiftWhole leap year", span("2029-02-01", "2029-02-28").ShiftWhole(Years, -1), span("2028-02-01", "2028-02-29")},
		{"ShiftWhole quarter", span("2026-04-01", "2026-06-30").ShiftWhole(Quarters, -1), span("2026-01-01", "2026-03-31")},
		{"ShiftWhole weeks", span("2026-11-09", "2026-11-15").ShiftWhole(Weeks, -2), span("2026-10-26", "2026-11-01")},
		{"Before day", span("2026-11-17", "2026-11-17").Before(Days), span("2026-11-16", "2026-11-16")},
		{"Before 7 days", span("2026-11-11", "2026-11-17").Before(Days), span("2026-11-04", "2026-11-10")},
		{"Before week", span("2026-11-09", "2026-11-15").Before(Weeks), span("2026-11-02", "2026-11-08")},
		{"Before month", span("2026-03-01", "2026-03-31").Before(Months), span("2026-02-01", "2026-02-28")},
		{"Before 2 months", span("2026-09-01", "2026-10-31").Before(Months), span("2026-07-01", "2026-08-31")},
		{"Before quarter", span("2026-07-01", "2026-09-30").Before(Quarters), span("2026-04-01", "2026-06-30")},
		{"Before year", span("2025-01-01", "2025-12-31").Before(Years), span("2024-01-01", "2024-12-31")},
		{"YearEarlier days", span("2026-11-11", "2026-11-17").YearEarlier(Days), span("2025-11-12", "2025-11-18")},
		{"YearEarlier week", span("2026-11-09", "2026-11-15").YearEarlier(Weeks), span("2025-11-10", "2025-11-16")},
		{"YearEarlier month", span("2028-02-01", "2028-02-29").YearEarlier(Months), span("2027-02-01", "2027-02-28")},
		{"YearEarlier quarter", span("2026-07-01", "2026-09-30").YearEarlier(Quarters), span("2025-07-01", "2025-09-30")},
		{"DaysFrom", span("2026-11-01", "2026-11-17").DaysFrom(day("2025-11-01")), span("2025-11-01", "2025-11-17")},
		{"ToDateBefore month", span("2026-11-01", "2026-11-17").ToDateBefore(Months), span("2026-10-01", "2026-10-17")},
		{"ToDateBefore month cut", span("2026-03-01", "2026-03-30").ToDateBefore(Months), span("2026-02-01", "2026-02-28")},
		{"ToDateBefore quarter", span("2026-04-01", "2026-05-31").ToDateBefore(Quarters), span("2026-01-01", "2026-03-02")},
		{"Named", span("2026-11-01", "2026-11-17").Named("this month to date"), Period{Start: day("2026-11-01"), End: day("2026-11-17"), Label: "this month to date"}},
	}
	for _, c := range cases {
		checkPeriod(t, c.name, c.got, c.want)
	}
}

func TestAddMonths(t *testing.T) {
	cases := []struct {
		d    string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-05-31", -3, "2026-02-28"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-01-15", -13, "2024-12-15"},
	}
	for _, c := range cases {
		if got := AddMonths(day(c.d), c.n); !got.Equal(day(c.want)) {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", c.d, c.n, got.Format(DateLayout), c.want)
		}
	}
}

// TestYearAgo: the one "a year earlier" of answers and digests.
func TestYearAgo(t *testing.T) {
	cases := []struct {
		name   string
		p      Period
		u      Unit
		toDate bool
		want   Period
	}{
		{"a week: 52 weeks back, Monday to Sunday", span("2026-11-23", "2026-11-29"), Weeks, false, span("2025-11-24", "2025-11-30")},
		{"a day: the same weekday", span("2026-11-27", "2026-11-27"), Days, false, span("2025-11-28", "2025-11-28")},
		{"7 days", span("2026-11-15", "2026-11-21"), Days, false, span("2025-11-16", "2025-11-22")},
		{"a month: the same month", span("2028-02-01", "2028-02-29"), Months, false, span("2027-02-01", "2027-02-28")},
		{"a quarter", span("2026-07-01", "2026-09-30"), Quarters, false, span("2025-07-01", "2025-09-30")},
		{"a month to date: the same dates", span("2026-11-01", "2026-11-21"), Months, true, span("2025-11-01", "2025-11-21")},
		{"a leap month to date", span("2028-02-01", "2028-02-29"), Months, true, span("2027-02-01", "2027-02-28")},
		{"a year to date", span("2026-01-01", "2026-11-21"), Years, true, span("2025-01-01", "2025-11-21")},
	}
	for _, c := range cases {
		checkPeriod(t, c.name, c.p.YearAgo(c.u, c.toDate), c.want)
	}
}
