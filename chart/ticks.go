package chart

import (
	"math"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// niceTicks returns evenly spaced axis ticks at round numbers (1, 2 or 5
// times a power of ten) that cover [lo, hi] with about target intervals.
// The first tick is at or below lo and the last at or above hi.
func niceTicks(lo, hi float64, target int) []float64 {
	if lo > hi {
		lo, hi = hi, lo
	}
	if target < 1 {
		target = 1
	}
	if lo == hi {
		if lo == 0 {
			hi = 1
		} else {
			pad := math.Abs(lo) * 0.1
			lo, hi = lo-pad, hi+pad
		}
	}
	mant, exp := niceStep((hi - lo) / float64(target))
	step := float64(mant) * math.Pow(10, float64(exp))
	first := int64(math.Floor(lo/step + 1e-9))
	last := int64(math.Ceil(hi/step - 1e-9))
	ticks := make([]float64, 0, last-first+1)
	for k := first; k <= last; k++ {
		ticks = append(ticks, tickValue(k*mant, exp))
	}
	return ticks
}

// niceStep returns the round step mant×10^exp nearest to rough (on a log
// scale), with mant 1, 2 or 5. Rounding rather than always rounding up keeps
// the axis from running far past the data.
func niceStep(rough float64) (mant int64, exp int) {
	exp = int(math.Floor(math.Log10(rough)))
	f := rough / math.Pow(10, float64(exp))
	switch {
	case f < math.Sqrt2:
		mant = 1
	case f < math.Sqrt(10):
		mant = 2
	case f < math.Sqrt(50):
		mant = 5
	default:
		mant, exp = 1, exp+1
	}
	return mant, exp
}

// tickValue is n×10^exp, computed so that decimal ticks come out as the
// nearest float to the decimal (0.3, not 0.30000000000000004).
func tickValue(n int64, exp int) float64 {
	if exp < 0 {
		return float64(n) / math.Pow(10, float64(-exp))
	}
	return float64(n) * math.Pow(10, float64(exp))
}

// tickLabels writes axis ticks for people. Ticks are round numbers, so the
// compact form drops zero decimals ("$150K", "2%", "3x"); when that makes two
// ticks read alike (a narrow range of large numbers), the full form is used.
func tickLabels(unit model.Unit, ticks []float64) []string {
	out := make([]string, len(ticks))
	for i, t := range ticks {
		out[i] = tidy(unit, wording.Compact(unit, &t))
	}
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			for j, t := range ticks {
				out[j] = tidy(unit, wording.Value(unit, &t))
			}
			break
		}
	}
	return out
}

// tidy drops trailing zero decimals from a formatted number: "$150.0K" →
// "$150K", "2.50%" → "2.5%", "3.00x" → "3x". Currency keeps its cents
// unless they are zero ("$12.50" stays, "$12.00" → "$12").
func tidy(unit model.Unit, s string) string {
	start := strings.IndexByte(s, '.')
	if start < 0 {
		return s
	}
	end := start + 1
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	frac := s[start+1 : end]
	trimmed := strings.TrimRight(frac, "0")
	if unit == model.UnitCurrency && trimmed != "" {
		return s
	}
	if trimmed == "" {
		return s[:start] + s[end:]
	}
	return s[:start+1] + trimmed + s[end:]
}
