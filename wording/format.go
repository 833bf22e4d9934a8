package wording

import (
	"math"
	"strconv"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
)

// Value writes a metric value for people: $150,682, 3.21x, 2.4%, 1,204,330,
// 2.3 months. A nil value is "n/a".
func Value(unit model.Unit, v *float64) string {
	if v == nil {
		return "n/a"
	}
	x := *v
	switch unit {
	case model.UnitCurrency:
		if math.Abs(x) < 100 {
			return signed(x, "$"+commas(math.Abs(x), 2))
		}
		return signed(x, "$"+commas(math.Abs(x), 0))
	case model.UnitPercent:
		return pct(x)
	case model.UnitRatio:
		return strconv.FormatFloat(x, 'f', 2, 64) + "x"
	case model.UnitMonths:
		return strconv.FormatFloat(x, 'f', 1, 64) + " months"
	default:
		if math.Abs(x-math.Round(x)) < 1e-9 || math.Abs(x) >= 1000 {
			return signed(x, commas(math.Abs(x), 0))
		}
		return signed(x, commas(math.Abs(x), 1))
	}
}

// Metric writes a value of the metric with the given id.
func Metric(id model.MetricID, v *float64) string {
	mt, ok := model.LookupMetric(id)
	if !ok {
		return Value(model.UnitCount, v)
	}
	return Value(mt.Unit, v)
}

// Compact writes large currency and counts short: $1.2M, $48.3K, 3.4M.
func Compact(unit model.Unit, v *float64) string {
	if v == nil {
		return "n/a"
	}
	x := math.Abs(*v)
	if (unit != model.UnitCurrency && unit != model.UnitCount) || x < 10000 {
		return Value(unit, v)
	}
	prefix := ""
	if unit == model.UnitCurrency {
		prefix = "$"
	}
	s := ""
	switch {
	case x >= 1e9:
		s = strconv.FormatFloat(x/1e9, 'f', 1, 64) + "B"
	case x >= 1e6:
		s = strconv.FormatFloat(x/1e6, 'f', 1, 64) + "M"
	default:
		s = strconv.FormatFloat(x/1e3, 'f', 1, 64) + "K"
	}
	return signed(*v, prefix+s)
}

func signed(x float64, s string) string {
	if x < 0 {
		return "-" + s
	}
	return s
}

func pct(x float64) string {
	p := percentPoints(x)
	switch {
	case math.Abs(p) >= 100:
		return strconv.FormatFloat(p, 'f', 0, 64) + "%"
	case math.Abs(p) >= 10:
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	default:
		return strconv.FormatFloat(p, 'f', 2, 64) + "%"
	}
}

// commas writes x with the given decimals and thousands separators.
func commas(x float64, decimals int) string {
	s := strconv.FormatFloat(roundHalfUp(x, decimals), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// roundHalfUp rounds x to decimals places, halves away from zero, after
// snapping it to a millionth: the same sum added up in another order (one
// database or another) differs in its last bits, and a figure of whole
// cents on a half ($42,924.50) must not print as $42,924 from one and
// $42,925 from the other.
func roundHalfUp(x float64, decimals int) float64 {
	if math.Abs(x) >= 1e9 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	x = math.Round(x*1e6) / 1e6
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}

// Unsigned is a change without its sign: "12.4%" for "+12.4%".
func Unsigned(change string) string {
	if len(change) > 0 && (change[0] == '+' || change[0] == '-') {
		return change[1:]
	}
	return change
}

// Change describes the change from old to new for a metric: "+12.4%" for
// most, "+0.8 pts" for percentages (a change of rates is in points). It
// returns "" when either side is missing or old is zero.
func Change(id model.MetricID, cur, old *float64) string {
	if cur == nil || old == nil {
		return ""
	}
	mt, _ := model.LookupMetric(id)
	if mt.ID != "" && mt.Unit == model.UnitPercent {
		return withSign((*cur-*old)*100, 2) + " pts"
	}
	rel, ok := RelChange(cur, old)
	if !ok {
		return ""
	}
	return ChangePct(rel)
}

// ChangePct writes a relative change (0.124 for +12.4%) with its sign, the
// way every change is written: whole percents from 100% up, one decimal
// below. A change worded without its sign ("17.9% over plan") is
// Unsigned(ChangePct(rel)), so one change reads the same everywhere.
func ChangePct(rel float64) string {
	r := percentPoints(rel)
	if math.Abs(r) >= 100 {
		return withSign(r, 0) + "%"
	}
	return withSign(r, 1) + "%"
}

// OffBy writes how far a figure is from its reference, without a sign:
// "17.9%" for 1.179 against 1 — as ChangePct writes the same change, so
// "17.9% over plan" and "+17.9% vs budget" never disagree. Answers and
// digests word every over/under this way.
func OffBy(rel float64) string { return Unsigned(ChangePct(rel)) }

// percentPoints is a fraction in percent, cleaned of the last bits of float
// noise: 0.3035 computed as 1.3035-1 or as (a-b)/b rounds the same way.
func percentPoints(x float64) float64 { return math.Round(x*100*1e9) / 1e9 }

// withSign writes v with its sign and the given decimals; a change that
// rounds to zero has none: "0.0", not "-0.0".
func withSign(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	if strings.Trim(s, "0.") == "" {
		return s
	}
	if v < 0 {
		return "-" + s
	}
	return "+" + s
}

// RelChange returns (cur-old)/|old|, ok false when undefined.
func RelChange(cur, old *float64) (float64, bool) {
	if cur == nil || old == nil || *old == 0 {
		return 0, false
	}
	return (*cur - *old) / math.Abs(*old), true
}

// DimValue writes a dimension value for people: ids become display names
// (see DisplayName).
func DimValue(dim, v string) string { return DisplayName(dim, v) }

// Answers carry each value's printed text beside the raw value.
func init() { model.ValueText = Metric }
