package curves

import (
	"testing"
	"time"
)

// BenchmarkFitTwoYearsDaily fits every platform's curve (eight platforms)
// from two years of daily spend and outcome: aggregation to weeks, the grid
// search with its cross-validation, and the bootstrap.
func BenchmarkFitTwoYearsDaily(b *testing.B) {
	trs := []truth{saturated, unsaturated, overstated, noisy, saturated, unsaturated, overstated, noisy}
	from := start
	to := from.AddDate(2, 0, -1)
	daily := make([][]Day, len(trs))
	for i, tr := range trs {
		weeks := tr.history(105, uint64(i+1))
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			w := weeks[int(d.Sub(from)/(7*24*time.Hour))]
			daily[i] = append(daily[i], Day{Date: d, Spend: w.Spend / 7, Outcome: w.Outcome / 7})
		}
	}
	opt := DefaultOptions()
	b.ResetTimer()
	for b.Loop() {
		for i, days := range daily {
			c := Fit(trs[i].name, Weekly(days, from, to), nil, opt)
			if c.Weeks < 100 {
				b.Fatalf("%d weeks", c.Weeks)
			}
		}
	}
}
