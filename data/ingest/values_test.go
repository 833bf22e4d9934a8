package ingest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want number
		bad  bool
	}{
		{in: "1234.5", want: number{v: 1234.5}},
		{in: "0", want: number{v: 0}},
		{in: "-12.25", want: number{v: -12.25}},
		{in: ".5", want: number{v: 0.5}},
		{in: "1e3", want: number{v: 1000}},
		{in: " 42 ", want: number{v: 42}},
		{in: "1,234", want: number{v: 1234}},
		{in: "1,234,567.89", want: number{v: 1234567.89}},
		{in: "$1,234.50", want: number{v: 1234.5, symbol: "$"}},
		{in: "-$12.00", want: number{v: -12, symbol: "$"}},
		{in: "$-12.00", want: number{v: -12, symbol: "$"}},
		{in: "($12.00)", want: number{v: -12, symbol: "$"}},
		{in: "€12", want: number{v: 12, symbol: "€"}},
		{in: "12.00 €", want: number{v: 12, symbol: "€"}},
		{in: "£7.10", want: number{v: 7.1, symbol: "£"}},
		{in: "US$5", want: number{v: 5, symbol: "US$"}},
		{in: "USD 1,000.00", want: number{v: 1000, symbol: "USD"}},
		{in: "1000.00 EUR", want: number{v: 1000, symbol: "EUR"}},
		{in: "2.5%", want: number{v: 0.025, pct: true}},
		{in: "-3.1 %", want: number{v: -0.031, pct: true}},
		{in: "1\u00a0234", bad: true},
		{in: "\u00a012.5\u00a0", want: number{v: 12.5}},
		{in: "", want: number{empty: true}},
		{in: "--", want: number{empty: true}},
		{in: " - ", want: number{empty: true}},
		{in: "N/A", want: number{empty: true}},
		{in: "12,3x", bad: true},
		{in: "12,30", bad: true},
		{in: "1.234,56", bad: true},
		{in: ",123", bad: true},
		{in: "1,,234", bad: true},
		{in: "12345,678", bad: true},
		{in: "NaN", bad: true},
		{in: "Inf", bad: true},
		{in: "1e999", bad: true},
		{in: "0x10", bad: true},
		{in: "1_000", bad: true},
		{in: "$", bad: true},
		{in: "%", bad: true},
		{in: "abc", bad: true},
		{in: "1.2.3", bad: true},
	}
	for _, tt := range tests {
		got, err := parseNumber(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("parseNumber(%q) = %+v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseNumber(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(number{}), cmp.Comparer(func(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 })); diff != "" {
			t.Errorf("parseNumber(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseDate(t *testing.T) {
	nov1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	good := map[string]time.Time{
		"2026-11-01":                nov1,
		"2026-11-01T00:00:00":       nov1,
		"2026-11-01 00:00:00":       nov1,
		"2026/11/01":                nov1,
		"11/1/2026":                 nov1,
		"11/01/2026":                nov1,
		"11/1/26":                   nov1,
		"11/1/2026 12:00:00 AM":     nov1,
		"Nov 01, 2026":              nov1,
		"Nov 1, 2026":               nov1,
		"November 1, 2026":          nov1,
		"Sunday, November 1, 2026":  nov1,
		"1 Nov 2026":                nov1,
		"01-Nov-2026":               nov1,
		"Sept 3, 2026":              time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC),
		" 2026-02-28 ":              time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
		"2/29/2028":                 time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC),
		"12/31/2026":                time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		"December 31, 2026":         time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		"Thu, Dec 31, 2026":         time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		"2026-11-01T13:45:00-08:00": nov1,
	}
	for in, want := range good {
		got, err := parseDate(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2026-13-01", "2026-02-30", "31/12/2026", "2026-1-1x", "Nov 2026", "November 1", "Foo 1, 2026", "1/2/3/4", "20261101", "2026-11-01X"} {
		if got, err := parseDate(in); err == nil {
			t.Errorf("parseDate(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseMonth(t *testing.T) {
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"2026-11", "2026/11", "11/2026", "Nov 2026", "November 2026", "2026-11-01", "Nov-2026"} {
		got, err := parseMonth(in)
		if err != nil || !got.Equal(nov) {
			t.Errorf("parseMonth(%q) = %v, %v; want %v", in, got, err, nov)
		}
	}
	for _, in := range []string{"", "2026-13", "2026-11-15", "11", "Nov", "2026"} {
		if got, err := parseMonth(in); err == nil {
			t.Errorf("parseMonth(%q) = %v, want an error", in, got)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := map[string]rune{
		"a,b,c\n1,2,3\n": ',',
		"Report\n\"Nov 1, 2026 - Nov 30, 2026\"\nDay\tCampaign\tCost\n2026-11-01\tA\t1,234.50\n": '\t',
		"a;b;c\n1;2;3\n": ';',
		"Day,Campaign,Cost\n2026-11-01,\"A; B\",1\n": ',',
		"": ',',
	}
	for in, want := range tests {
		if got := sniffDelimiter([]byte(in)); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeaderNames(t *testing.T) {
	got := headerCells([]string{"\ufeffDay", " 7 Day Total Sales ", "Amount spent (USD)", "Clicks (all)", "campaign_type", "CampaignType"})
	want := []headerCell{
		{text: "Day", key: "day"},
		{text: "7 Day Total Sales", key: "7daytotalsales"},
		{text: "Amount spent (USD)", key: "amountspent", currency: "USD"},
		{text: "Clicks (all)", key: "clicks(all)"},
		{text: "campaign_type", key: "campaigntype"},
		{text: "CampaignType", key: "campaigntype"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(headerCell{})); diff != "" {
		t.Errorf("headerCells (-want +got):\n%s", diff)
	}
}
