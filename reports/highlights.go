package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/wording"
)

// Thresholds of what is worth a highlight.
const (
	// steadyBelow is the relative change under which a metric held steady.
	steadyBelow = 0.02
	// pacingBand is how far from plan a platform must be to be news.
	pacingBand = 0.05
	// minRowShare keeps rows with under this share of spend out of the
	// highlights: a small platform's swings are noise.
	minRowShare = 0.05
	// neutralDamping weighs a change of spend, which is neither good nor
	// bad by itself, below money earned or lost.
	neutralDamping = 0.25
	// maxChange caps a change's weight, so a metric up from almost nothing
	// does not crowd out everything else.
	maxChange = 3.0
)

// stakes is the money behind a digest's figures: its spend now and in the
// comparison period, in all and by platform. It turns a change of any
// metric into dollars, so highlights rank by their dollar impact.
type stakes struct {
	spend, spendOld       *float64
	platform, platformOld map[string]*float64
}

// at is the spend behind a row keyed by key (all of it for the total), now
// and before; ok is false when it is not known.
func (st stakes) at(key map[string]string, vals, old model.Values) (cur, prev float64, ok bool) {
	if v := vals[model.Spend]; v != nil {
		if o := old[model.Spend]; o != nil {
			return *v, *o, true
		}
		return *v, math.NaN(), true
	}
	if p, isPlatform := key[model.DimPlatform]; isPlatform && len(key) == 1 {
		if v := st.platform[p]; v != nil {
			if o := st.platformOld[p]; o != nil {
				return *v, *o, true
			}
			return *v, math.NaN(), true
		}
		return 0, 0, false
	}
	if len(key) > 0 || st.spend == nil {
		return 0, 0, false
	}
	if st.spendOld == nil {
		return *st.spend, math.NaN(), true
	}
	return *st.spend, *st.spendOld, true
}

// dollarImpact is the size in money of a metric's move from old to cur,
// spend being the spend behind it (now and before; before NaN when not
// known):
//   - money earned (business revenue): the change itself;
//   - revenue the platforms claim: its change beyond spend's;
//   - spend: the change, damped, as more spend is not by itself a gain or
//     a loss;
//   - a return on spend (ROAS, MER): the revenue the change means at the
//     current spend, (cur − old) × spend;
//   - any other rate or cost (CPA, CTR, cost per visit): the share of the
//     spend it makes more or less efficient, |rel| × spend;
//   - a volume (impressions, store visits): what it moved beyond what the
//     spend bought, |rel − spend's rel| × spend.
func dollarImpact(metric model.MetricID, cur, old *float64, spend, spendOld float64, spendKnown bool) float64 {
	rel, ok := wording.RelChange(cur, old)
	if !ok {
		return 0
	}
	rel = math.Max(-maxChange, math.Min(rel, maxChange))
	mt, _ := model.LookupMetric(metric)
	switch {
	case metric == model.Spend || metric == model.Budget:
		return math.Abs(*cur-*old) * neutralDamping
	case metric == model.Revenue:
		// What the platforms claim grows with what they are paid: only its
		// move beyond spend's counts.
		if srel, ok := wording.RelChange(&spend, &spendOld); ok && spendKnown && !math.IsNaN(spendOld) {
			return math.Abs(*cur - *old - srel**old)
		}
		return math.Abs(*cur-*old) * neutralDamping
	case mt.Unit == model.UnitCurrency && mt.Ratio == nil:
		return math.Abs(*cur - *old)
	}
	if !spendKnown {
		return 0
	}
	switch {
	case mt.Unit == model.UnitRatio && mt.HigherIsBetter:
		return math.Abs(*cur-*old) * spend
	case mt.Unit == model.UnitCount && mt.Ratio == nil:
		srel, ok := wording.RelChange(&spend, &spendOld)
		if !ok || math.IsNaN(spendOld) {
			return math.Abs(rel) * spend * neutralDamping
		}
		return math.Abs(rel-srel) * spend
	}
	return math.Abs(rel) * spend
}

// highlightsOf lists a section's candidate highlights, each scored by its
// dollar impact.
func highlightsOf(spec sectionSpec, sec Section, st stakes) []Highlight {
	a := sec.Answer
	if a.Clarify != "" {
		return nil
	}
	switch spec.kind {
	case kindChange, kindMovers:
		if h, ok := totalHighlight(spec, sec, st); ok {
			return []Highlight{h}
		}
	case kindBreakdown:
		out := breakdownHighlights(spec, sec, st)
		if sec.unassigned > 0 {
			out = append(out, Highlight{Text: sec.unassignedText, Section: spec.title, Metric: model.Spend, Value: &sec.unassigned,
				score: sec.unassigned * neutralDamping, subject: "unassigned"})
		}
		return out
	case kindPacing:
		return pacingHighlights(spec, sec)
	case kindTrend:
		if h, ok := trendHighlight(spec, a, st); ok {
			return []Highlight{h}
		}
	case kindZeroConv:
		if h, ok := zeroHighlight(spec, a); ok {
			return []Highlight{h}
		}
	case kindBudget:
		if h, ok := budgetHighlight(spec, a); ok {
			return []Highlight{h}
		}
	}
	return nil
}

// changeHighlight words one value's change; ok is false when it cannot be
// measured or held steady.
// A steady change is still a candidate, worded as such: it is picked only
// when fewer than three things moved.
func changeHighlight(spec sectionSpec, sec Section, subject string, metric model.MetricID, cur, old *float64, driver string, impact float64) (Highlight, bool) {
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
	f := highlightChange{Subject: subject, Metric: name, Direction: dir, Change: wording.Unsigned(wording.Change(metric, cur, old)), Value: wording.Metric(metric, cur),
		Old: wording.Metric(metric, old), Compare: compare, Driver: driver}
	tmpl := "highlight_change"
	if steady {
		tmpl = "highlight_steady"
	}
	return Highlight{Text: wording.Capitalize(say(tmpl, f)), Section: spec.title, Metric: metric, Value: cur, Change: model.Float(rel), score: impact, steady: steady, subject: subject}, true
}

func totalHighlight(spec sectionSpec, sec Section, st stakes) (Highlight, bool) {
	a := sec.Answer
	if len(a.Metrics) == 0 || a.Total.CompareValues == nil {
		return Highlight{}, false
	}
	m := a.Metrics[0]
	driver := ""
	if spec.kind == kindMovers && len(a.Rows) > 0 {
		driver = a.Rows[0].Key[model.DimCampaign]
	}
	sp, spOld, known := st.at(nil, a.Total.Values, a.Total.CompareValues)
	if spec.blended && a.Total.Values[model.Spend] == nil {
		sp, spOld, known = st.at(nil, nil, nil)
	}
	impact := dollarImpact(m, a.Total.Values[m], a.Total.CompareValues[m], sp, spOld, known)
	subject := ""
	for dim, vals := range spec.filters {
		subject = wording.JoinAnd(wording.DisplayNames(dim, vals))
	}
	return changeHighlight(spec, sec, subject, m, a.Total.Values[m], a.Total.CompareValues[m], driver, impact)
}

// breakdownHighlights are the total's change and, for each sizeable row, the
// change of the lead metric and of every rate (a platform's ROAS in a spend
// mix).
func breakdownHighlights(spec sectionSpec, sec Section, st stakes) []Highlight {
	a := sec.Answer
	var out []Highlight
	if h, ok := totalHighlight(spec, sec, st); ok {
		out = append(out, h)
	}
	if len(a.Metrics) == 0 || len(a.GroupBy) == 0 {
		return out
	}
	dim := a.GroupBy[0]
	total := a.Total.Values[model.Spend]
	for _, r := range a.Rows {
		if wording.Unassigned(r.Key[dim]) {
			continue // not categorized: no one to act on it
		}
		if total != nil && *total > 0 && r.Values[model.Spend] != nil && *r.Values[model.Spend] / *total < minRowShare {
			continue
		}
		for i, m := range a.Metrics {
			// Besides the lead metric, each rate and money earned: not
			// volumes, whose moves follow spend.
			if mt, _ := model.LookupMetric(m); i > 0 && (mt.ID == "" || model.IsNeutral(m) || mt.Ratio == nil && mt.Unit != model.UnitCurrency) {
				continue
			}
			sp, spOld, known := st.at(r.Key, r.Values, r.CompareValues)
			impact := dollarImpact(m, r.Values[m], r.CompareValues[m], sp, spOld, known)
			h, ok := changeHighlight(spec, sec, wording.DimValue(dim, r.Key[dim]), m, r.Values[m], r.CompareValues[m], "", impact)
			if ok && !h.steady {
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
		if p == nil {
			continue
		}
		f := highlightPacing{Platform: wording.DisplayName(model.DimPlatform, r.Key[model.DimPlatform]), Period: sec.period.Label, Spend: wording.Metric(model.Spend, spend), Plan: wording.Metric(model.Budget, budget)}
		// A month under way is judged where it lands, on the projection
		// its answer makes (an even run rate, or how the same days spent
		// the month a year earlier): a platform at 86% of an even split
		// in a month that spends late is on pace, not under.
		dev, impact, name := *p-1, 0.0, "highlight_pacing"
		if spend != nil && budget != nil {
			impact = math.Abs(*spend - *budget)
		}
		if pr, ok := byPlatform[r.Key[model.DimPlatform]]; ok && pr.budget != nil && *pr.budget > 0 {
			f.Projected, f.MonthBudget = wording.Metric(model.Spend, &pr.projected), wording.Metric(model.Budget, pr.budget)
			dev, impact, name = pr.projected / *pr.budget - 1, math.Abs(pr.projected-*pr.budget), "highlight_pacing_landing"
		}
		if math.Abs(dev) < pacingBand {
			continue
		}
		f.Off, f.Direction = wording.OffBy(dev), "over"
		if dev < 0 {
			f.Direction = "under"
		}
		out = append(out, Highlight{Text: say(name, f), Section: spec.title, Metric: model.Pacing, Value: p, Change: model.Float(dev), score: impact})
	}
	return out
}

func trendHighlight(spec sectionSpec, a model.Answer, st stakes) (Highlight, bool) {
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
	// As the answer reads it: to the last whole week, and a holiday week
	// is the season's to explain, in the section, not a highlight's.
	if n := len(pts); n > 0 {
		if d, err := parseDay(pts[n-1].Key[grain]); err == nil && d.AddDate(0, 0, 6).After(a.Period.End) {
			pts = pts[:n-1]
		}
	}
	if len(pts) < 3 {
		return Highlight{}, false
	}
	if d, err := parseDay(pts[len(pts)-1].Key[grain]); err == nil && period.HolidayIn(period.Period{Start: d, End: d.AddDate(0, 0, 6)}) != "" {
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
	f := highlightTrend{Metric: wording.MetricName(m), Period: "the week of " + last.Key[grain], Value: wording.Metric(m, last.Values[m]),
		Change: wording.OffBy(rel), Direction: dir, Weeks: len(pts) - 1, Average: wording.Metric(m, &avg)}
	if d, err := parseDay(last.Key[grain]); err == nil {
		f.Period = "the week of " + d.Format("Jan 2")
	}
	sp, _, known := st.at(nil, nil, nil)
	impact := dollarImpact(m, last.Values[m], &avg, sp, math.NaN(), known)
	return Highlight{Text: say("highlight_trend", f), Section: spec.title, Metric: m, Value: last.Values[m], Change: model.Float(rel), score: impact}, true
}

func zeroHighlight(spec sectionSpec, a model.Answer) (Highlight, bool) {
	if len(a.Rows) == 0 {
		return Highlight{}, false
	}
	spend := 0.0
	for _, r := range a.Rows {
		spend += *r.Values[model.Spend]
	}
	f := highlightZero{Count: len(a.Rows), Spend: wording.Metric(model.Spend, &spend), Period: "the last " + fmt.Sprint(a.Period.Days()) + " days", Campaign: a.Rows[0].Key[model.DimCampaign]}
	// Its dollar impact is the money spent for nothing.
	return Highlight{Text: say("highlight_zero", f), Section: spec.title, Metric: model.Spend, Value: &spend, score: spend}, true
}

// pickHighlights takes the n candidates of largest dollar impact: first what moved, at most one
// per section; then what moved from sections already used; then what held
// steady. Ties go to the earlier section, then to the text, so the choice is
// deterministic. Impacts are compared to the millionth of a dollar: two
// sections stating one figure (a total, and the sum of its breakdown) tie
// however the database happened to add it up.
func pickHighlights(cands []Highlight, n int) []Highlight {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if sa, sb := math.Round(a.score*1e6), math.Round(b.score*1e6); sa != sb {
			return sa > sb
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
		return h.subject + "|" + string(h.Metric) + "|" + h.Text
	}
	return h.subject + "|" + string(h.Metric) + "|" + wording.Metric(h.Metric, h.Value)
}
