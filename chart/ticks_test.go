package chart

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sowhat-ai/sowhat/model"
)

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lo, hi float64
		target int
		want   []float64
	}{
		{"zero to round", 0, 100, 5, []float64{0, 20, 40, 60, 80, 100}},
		{"zero to odd", 0, 48300, 5, []float64{0, 10000, 20000, 30000, 40000, 50000}},
		{"fractions", 0, 0.0237, 5, []float64{0, 0.005, 0.01, 0.015, 0.02, 0.025}},
		{"decimal steps", 0, 0.3, 3, []float64{0, 0.1, 0.2, 0.3}},
		{"off zero", 2.1, 5.8, 4, []float64{2, 3, 4, 5, 6}},
		{"negative", -240, 412, 6, []float64{-300, -200, -100, 0, 100, 200, 300, 400, 500}},
		{"all negative", -7, -1, 3, []float64{-8, -6, -4, -2, 0}},
		{"flat", 5, 5, 4, []float64{4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6}},
		{"nothing", 0, 0, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"reversed", 10, 0, 2, []float64{0, 5, 10}},
		{"millions", 3.86e6, 4.93e6, 5, []float64{3.8e6, 4e6, 4.2e6, 4.4e6, 4.6e6, 4.8e6, 5e6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, niceTicks(tc.lo, tc.hi, tc.target)); diff != "" {
				t.Errorf("niceTicks(%v, %v, %d) (-want +got):\n%s", tc.lo, tc.hi, tc.target, diff)
			}
		})
	}
}

func TestTickLabels(t *testing.T) {
	for _, tc := range []struct {
		unit  model.Unit
		ticks []float64
		want  []string
	}{
		{model.UnitCurrency, []float64{0, 50000, 100000, 150000}, []string{"$0", "$50K", "$100K", "$150K"}},
		{model.UnitCurrency, []float64{0, 2.5, 5, 7.5}, []string{"$0", "$2.50", "$5", "$7.50"}},
		{model.UnitCurrency, []float64{0, 2000, 4000}, []string{"$0", "$2,000", "$4,000"}},
		{model.UnitPercent, []float64{0.02, 0.025, 0.03}, []string{"2%", "2.5%", "3%"}},
		{model.UnitRatio, []float64{0, 1.5, 3}, []string{"0x", "1.5x", "3x"}},
		{model.UnitCount, []float64{-200, 0, 1.2e6}, []string{"-200", "0", "1.2M"}},
		// Compact would read 1.0M twice: fall back to full numbers.
		{model.UnitCount, []float64{1000000, 1000500, 1001000}, []string{"1,000,000", "1,000,500", "1,001,000"}},
	} {
		if diff := cmp.Diff(tc.want, tickLabels(tc.unit, tc.ticks)); diff != "" {
			t.Errorf("tickLabels(%s, %v) (-want +got):\n%s", tc.unit, tc.ticks, diff)
		}
	}
}
