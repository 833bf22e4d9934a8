package wording

import (
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

func TestValue(t *testing.T) {
	f := model.Float
	tests := []struct {
		unit model.Unit
		v    *float64
		want string
	}{
		{model.UnitCurrency, f(150682.4), "$150,682"},
		{model.UnitCurrency, f(23.456), "$23.46"},
		{model.UnitCurrency, f(-1234567), "-$1,234,567"},
		{model.UnitRatio, f(3.2149), "3.21x"},
		{model.UnitPercent, f(0.024), "2.40%"},
		{model.UnitPercent, f(0.1234), "12.3%"},
		{model.UnitCount, f(1204330), "1,204,330"},
		{model.UnitCount, f(12.5), "12.5"},
		{model.UnitMonths, f(2.345), "2.3 months"},
		{model.UnitCurrency, nil, "n/a"},
	}
	for _, tt := range tests {
		if got := Value(tt.unit, tt.v); got != tt.want {
			t.Errorf("Value(%s, %v) = %q, want %q", tt.unit, tt.v, got, tt.want)
		}
	}
}

func TestChange(t *testing.T) {
	f := model.Float
	tests := []struct {
		id       model.MetricID
		cur, old *float64
		want     string
	}{
		{model.Spend, f(110), f(100), "+10.0%"},
		{model.CPA, f(50), f(100), "-50.0%"},
		{model.CTR, f(0.025), f(0.02), "+0.50 pts"},
		{model.Spend, f(10), f(0), ""},
		{model.Spend, nil, f(1), ""},
		{model.ROAS, f(9), f(3), "+200%"},
	}
	for _, tt := range tests {
		if got := Change(tt.id, tt.cur, tt.old); got != tt.want {
			t.Errorf("Change(%s) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestCompact(t *testing.T) {
	if got := Compact(model.UnitCurrency, model.Float(1234567)); got != "$1.2M" {
		t.Errorf("Compact = %q", got)
	}
	if got := Compact(model.UnitCount, model.Float(48300)); got != "48.3K" {
		t.Errorf("Compact = %q", got)
	}
}

func TestFreshnessText(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	fresh := func(pairs ...any) []model.Freshness {
		var fs []model.Freshness
		for i := 0; i < len(pairs); i += 2 {
			fs = append(fs, model.Freshness{Source: pairs[i].(string), LastDay: day(pairs[i+1].(int))})
		}
		return fs
	}
	for _, c := range []struct {
		name string
		fs   []model.Freshness
		want string
	}{
		{"none", nil, ""},
		{"one source", fresh("meta", 22), "data through Nov 22"},
		{"all alike", fresh("meta", 22, "google_ads", 22, "business", 22), "data through Nov 22"},
		{"one late", fresh("meta", 22, "criteo", 20, "google_ads", 22), "data through Nov 22, Criteo through Nov 20"},
		{"two late on a day", fresh("meta", 22, "criteo", 20, "tiktok", 20, "google_ads", 22, "business", 22),
			"data through Nov 22, Criteo and TikTok through Nov 20"},
		{"most are late", fresh("meta", 22, "criteo", 20, "tiktok", 20, "pinterest", 20), "data through Nov 20, Meta through Nov 22"},
		{"a tie goes to the later day", fresh("meta", 22, "criteo", 20), "data through Nov 22, Criteo through Nov 20"},
		{"same day, other zones", []model.Freshness{{Source: "meta", LastDay: day(22)}, {Source: "criteo", LastDay: day(22).In(time.FixedZone("x", 0))}},
			"data through Nov 22"},
	} {
		if got := freshnessText(c.fs); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestChangeSign(t *testing.T) {
	f := model.Float
	for _, c := range []struct {
		metric   model.MetricID
		cur, old float64
		want     string
	}{
		{model.Spend, 101.3, 100, "+1.3%"},
		{model.Spend, 98.7, 100, "-1.3%"},
		{model.Spend, 100.01, 100, "0.0%"},
		{model.Spend, 99.99, 100, "0.0%"},
		{model.Spend, 250, 100, "+150%"},
		{model.CTR, 0.0210, 0.0200, "+0.10 pts"},
		{model.CTR, 0.020000, 0.020001, "0.00 pts"},
	} {
		if got := Change(c.metric, f(c.cur), f(c.old)); got != c.want {
			t.Errorf("Change(%s, %v, %v) = %q, want %q", c.metric, c.cur, c.old, got, c.want)
		}
	}
}

func TestUnsigned(t *testing.T) {
	for in, want := range map[string]string{"+12.4%": "12.4%", "-0.50 pts": "0.50 pts", "3.1%": "3.1%", "": ""} {
		if got := Unsigned(in); got != want {
			t.Errorf("Unsigned(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOneChangeOneRounding: a change reads the same whichever way it was
// computed — (a-b)/b through Change, a/b-1 through ChangePct — and its
// unsigned form is the same figure.
func TestOneChangeOneRounding(t *testing.T) {
	for _, c := range [][2]float64{{130.35, 100}, {1.3035, 1}, {143419.12, 121600}, {86.4, 100}, {0.07, 0.1}, {250, 100}} {
		cur, old := c[0], c[1]
		a := Change(model.Spend, &cur, &old)
		b := ChangePct(cur/old - 1)
		if a != b {
			t.Errorf("%v vs %v: Change %q, ChangePct %q", cur, old, a, b)
		}
	}
}

// TestMoneyRoundsTheSameWhateverTheLastBits checks that sums equal but for
// their last bits, as two databases add them up, print the same.
func TestMoneyRoundsTheSameWhateverTheLastBits(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{42924.5, "$42,925"},
		{42924.49999999999, "$42,925"},
		{42924.50000000001, "$42,925"},
		{42924.4, "$42,924"},
		{-42924.5, "-$42,925"},
		{12.345, "$12.35"},
		{12.344999999999, "$12.35"},
	} {
		if got := Value(model.UnitCurrency, &tt.x); got != tt.want {
			t.Errorf("Value(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
