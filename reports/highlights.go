package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// Thresholds of what is worth a highlight.
const (
	// steadyBelow is the relative change under which a metric held steady.
	steadyBelow = 0.02
	// pacingBand is how far from plan a platform must be to be news.
	pacingBand = 0.05
	// rowDamping weighs one platform's or category's change below the
	// total's of the same size.
	rowDamping = 0.5
	// minRowShare keeps rows with under this share of spend out of the
	// highlights: a small platform's swings are noise.
	minRowShare = 0.05
	// neutralDamping weighs volumes whose direction is neither good nor
	// bad by itself (spend, impressions) below efficiency metrics.
	neutralDamping = 0.5
	// maxChange caps a change's weight, so a metric up from almost nothing
	// does not crowd out everything else.
	maxChange = 3.0
)

// highlightsOf lists a section's candidate highlights, each scored by its
// size of change times the section's importance.
func highlightsOf(spec sectionSpec, sec Section) []Highlight {
	a := sec.Answer
	if a.Clarify != "" {
		return nil
	}
	switch spec.kind {
	case kindChange, kindMovers:
		if h, ok := totalHighlight(spec, sec); ok {
			return []Highlight{h}
		}
	case kindBreakdown:
		return breakdownHighlights(spec, sec)
	case kindPacing:
		return pacingHighlights(spec, sec)
	case kindTrend:
		if h, ok := trendHighlight(spec, a); ok {
			return []Highlight{h}
		}
	case kindZeroConv:
		if h, ok := zeroHighlight(spec, a); ok {
			return []Highlight{h}
		}
	}
	return nil
}

// changeHighlight words one value's change; ok is false when it cannot be
// measured or held steady.
// A steady change is still a candidate, worded as such: it is picked only
// when fewer than three things moved.
func changeHighlight(spec sectionSpec, sec Section, subject string, metric model.MetricID, cur, old *float64, driver string) (Highlight, bool) {
	rel, ok := wording.RelChange(cur, old)
	if !ok {
		return Highlight{}, false
	}
	steady := math.Abs(rel) < steadyBelow
	dir := "up"
	switch {
	case steady:
		dir, driver = "held steady", ""
	case rel < 0:
		dir = "down"
	}
	name := wording.MetricName(metric)
	if subject != "" {
		name = wording.MidSentence(name)
	}
	compare := ""
	if sec.compare != nil {
		compare = sec.compare.Label
	}
	f := highlightChange{Subject: subject, Metric: name, Direction: dir, Change: wording.Unsigned(wording.Change(metric, cur, old)), Value: compact(metric, cur),
		Old: compact(metric, old), Compare: compare, Driver: driver}
	tmpl := "highlight_change"
	if steady {
		tmpl = "highlight_steady"
	}
	score := spec.weight * math.Min(math.Abs(rel), maxChange)
	if model.IsNeutral(metric) {
		score *= neutralDamping
	}
	return Highlight{Text: wording.Capitalize(say(tmpl, f)), Section: spec.title, Metric: metric, Value: cur, Change: model.Float(rel), score: score, steady: steady}, true
}

func totalHighlight(spec sectionSpec, sec Section) (Highlight, bool) {
	a := sec.Answer
	if len(a.Metrics) == 0 || a.Total.CompareValues == nil {
		return Highlight{}, false
	}
	m := a.Metrics[0]
	driver := ""
	if spec.kind == kindMovers && len(a.Rows) > 0 {
		driver = a.Rows[0].Key[model.DimCampaign]
	}
	return changeHighlight(spec, sec, "", m, a.Total.Values[m], a.Total.CompareValues[m], driver)
}

// breakdownHighlights are the total's change and, for each sizeable row, the
// change of the lead metric and of every rate (a platform's ROAS in a spend
// mix).
func breakdownHighlights(spec sectionSpec, sec Section) []Highlight {
	a := sec.Answer
	var out []Highlight
	if h, ok := totalHighlight(spec, sec); ok {
		out = append(out, h)
	}
	if len(a.Metrics) == 0 || len(a.GroupBy) == 0 {
		return out
	}
	dim := a.GroupBy[0]
	total := a.Total.Values[model.Spend]
	for _, r := range a.Rows {
		if r.Key[dim] == "" {
			continue // not categorized: no one to act on it
		}
		if total != nil && *total > 0 && r.Values[model.Spend] != nil && *r.Values[model.Spend] / *total < minRowShare {
			continue
		}
		for i, m := range a.Metrics {
			if mt, _ := model.LookupMetric(m); i > 0 && (mt.ID == "" || mt.Ratio == nil || model.IsNeutral(m)) {
				continue
			}
			h, ok := changeHighlight(spec, sec, wording.DimValue(dim, r.Key[dim]), m, r.Values[m], r.CompareValues[m], "")
			if ok && !h.steady {
				h.score *= rowDamping
				out = append(out, h)
			}
		}
	}
	return out
}

func pacingHighlights(spec sectionSpec, sec Section) []Highlight {
	a := sec.Answer
	byPlatform := map[string]projection{}
	for _, p := range sec.proj {
		byPlatform[p.platform] = p
	}
	var out []Highlight
	for _, r := range a.Rows {
		p, spend, budget := r.Values[model.Pacing], r.Values[model.Spend], r.Values[model.Budget]
		if p == nil || math.Abs(*p-1) < pacingBand {
			continue
		}
		dir := "over"
		if *p < 1 {
			dir = "under"
		}
		dev := *p - 1
		f := highlightPacing{Platform: model.PlatformName(r.Key[model.DimPlatform]), Off: wording.OffBy(dev), Direction: dir,
			Period: sec.period.Label, Spend: wording.Metric(model.Spend, spend), Plan: wording.Metric(model.Budget, budget)}
		if pr, ok := byPlatform[r.Key[model.DimPlatform]]; ok && pr.budget != nil {
			f.Projected, f.MonthBudget = wording.Metric(model.Spend, &pr.projected), wording.Metric(model.Budget, pr.budget)
		}
		out = append(out, Highlight{Text: say("highlight_pacing", f), Section: spec.title, Metric: model.Pacing, Value: p, Change: model.Float(dev),
			score: spec.weight * math.Min(math.Abs(dev), maxChange)})
	}
	return out
}

func trendHighlight(spec sectionSpec, a model.Answer) (Highlight, bool) {
	if len(a.Metrics) == 0 || len(a.GroupBy) == 0 {
		return Highlight{}, false
	}
	m, grain := a.Metrics[0], a.GroupBy[0]
	var pts []model.Row
	for _, r := range a.Rows {
		if r.Values[m] != nil {
			pts = append(pts, r)
		}
	}
	if len(pts) < 3 {
		return Highlight{}, false
	}
	sum := 0.0
	for _, r := range pts[:len(pts)-1] {
		sum += *r.Values[m]
	}
	avg := sum / float64(len(pts)-1)
	last := pts[len(pts)-1]
	rel, ok := wording.RelChange(last.Values[m], &avg)
	if !ok || math.Abs(rel) < steadyBelow {
		return Highlight{}, false
	}
	dir := "above"
	if rel < 0 {
		dir = "below"
	}
	f := highlightTrend{Metric: wording.MetricName(m), Period: "the week of " + last.Key[grain], Value: compact(m, last.Values[m]),
		Change: wording.OffBy(rel), Direction: dir, Weeks: len(pts) - 1, Average: compact(m, &avg)}
	if d, err := parseDay(last.Key[grain]); err == nil {
		f.Period = "the week of " + d.Format("Jan 2")
	}
	return Highlight{Text: say("highlight_trend", f), Section: spec.title, Metric: m, Value: last.Values[m], Change: model.Float(rel),
		score: spec.weight * math.Min(math.Abs(rel), maxChange)}, true
}

func zeroHighlight(spec sectionSpec, a model.Answer) (Highlight, bool) {
	if len(a.Rows) == 0 {
		return Highlight{}, false
	}
	spend := 0.0
	for _, r := range a.Rows {
		spend += *r.Values[model.Spend]
	}
	f := highlightZero{Count: len(a.Rows), Spend: compact(model.Spend, &spend), Period: "the last " + fmt.Sprint(a.Period.Days()) + " days", Campaign: a.Rows[0].Key[model.DimCampaign]}
	// Money spent for nothing counts as much as a doubling.
	return Highlight{Text: say("highlight_zero", f), Section: spec.title, Metric: model.Spend, Value: &spend, score: spec.weight}, true
}

// pickHighlights takes the n best candidates: first what moved, at most one
// per section; then what moved from sections already used; then what held
// steady. Ties go to the earlier section, then to the text, so the choice is
// deterministic.
func pickHighlights(cands []Highlight, n int) []Highlight {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.order != b.order {
			return a.order < b.order
		}
		return a.Text < b.Text
	})
	out := []Highlight{}
	used := map[int]bool{}
	taken := map[int]bool{}
	said := map[string]bool{}
	passes := []func(h Highlight) bool{
		func(h Highlight) bool { return !h.steady && !used[h.order] },
		func(h Highlight) bool { return !h.steady },
		func(h Highlight) bool { return !used[h.order] },
	}
	for _, ok := range passes {
		for i, c := range cands {
			if len(out) == n {
				return out
			}
			if taken[i] || !ok(c) || said[c.fact()] {
				continue
			}
			taken[i], used[c.order], said[c.fact()] = true, true, true
			out = append(out, c)
		}
	}
	return out
}

// fact identifies the figure a highlight is about, so two sections stating
// the same figure (against different periods, say) give one bullet.
func (h Highlight) fact() string {
	if h.Value == nil {
		return string(h.Metric) + "|" + h.Text
	}
	return string(h.Metric) + "|" + wording.Metric(h.Metric, h.Value)
}

// compact writes big money and counts short ($18.3M) for highlights; the
// sections below carry the full figures.
func compact(metric model.MetricID, v *float64) string {
	mt, ok := model.LookupMetric(metric)
	if !ok {
		return wording.Value(model.UnitCount, v)
	}
	if mt.Unit == model.UnitCurrency || mt.Unit == model.UnitCount {
		return wording.Compact(mt.Unit, v)
	}
	return wording.Value(mt.Unit, v)
}
