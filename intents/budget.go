package intents

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/curves"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// The caveats every budget answer carries: what its method can and cannot
// say.
const (
	caveatSimulation = "This is a simulation of the past, not a forecast: the curves say how each platform's return moved with its spend over the weeks fitted, and assume the next period behaves like them."
	caveatRange      = "No platform is moved outside the weekly spend it has actually had, nor more than 30% from its current spend: the curves say nothing beyond what was observed."
	caveatAttributed = "Attribution is not incrementality: %s %s on platform-reported revenue with no experiment to anchor %s, so %s what the platform claims, not what it adds."
)

// budgetMetrics are the values of each row of a budget answer.
var budgetMetrics = []model.MetricID{model.Spend, model.Move, model.MROAS, model.ExpectedChangeLow, model.ExpectedChangeHigh}

// budgetMoves answers where money should move (or new money go), or what one
// platform's change of spend would do, from the fitted response curves.
func (e *Engine) budgetMoves(ctx context.Context, req question.Request) (model.Answer, error) {
	a := model.Answer{Question: req.Question, Intent: string(question.IntentBudget), Metrics: budgetMetrics, Period: req.Period,
		Filters: map[string][]string{}, GroupBy: []string{model.DimPlatform}, Rows: []model.Row{}, Notes: append([]string(nil), req.Notes...)}
	for k, v := range req.Filters {
		a.Filters[k] = append([]string(nil), v...)
	}
	fit, err := e.Curves(ctx)
	if err != nil {
		return a, err
	}
	cs := fit.Curves
	if ps := req.Filters[model.DimPlatform]; len(ps) > 0 {
		cs = slices.DeleteFunc(slices.Clone(cs), func(c curves.Curve) bool { return !slices.Contains(ps, c.Platform) })
	}
	if len(cs) == 0 {
		a.Summary = "There is no spend history to fit response curves on yet."
		a.SoWhat = "Next: import at least six months of daily spend and revenue per platform, then ask again."
		return a, nil
	}
	weeks := float64(req.Period.Days()) / 7
	mv := req.Move
	if mv == nil {
		mv = &question.Move{Kind: question.MoveReallocate}
	}
	var p curves.Plan
	switch mv.Kind {
	case question.MoveScenario:
		return e.budgetScenario(a, fit, cs, *mv, weeks)
	case question.MoveAdd:
		p = curves.Add(cs, mv.Amount, weeks)
	default:
		p = curves.Reallocate(cs, mv.Amount, weeks)
	}
	planRows(&a, p)
	usable := usableCurves(cs)
	switch {
	case len(usable) == 0:
		a.Summary = "No platform's response curve fits its history well enough to plan moves on."
		a.SoWhat = "Next: keep the current split, and run a geo holdout on the largest platform to measure what it adds."
	case mv.Kind == question.MoveReallocate && len(usable) < 2:
		a.Summary = fmt.Sprintf("Only %s has a response curve good enough to plan on, so there is nowhere to move money to or from.", model.PlatformName(usable[0].Platform))
		a.SoWhat = "Next: keep the current split; the platforms left out need steadier history or an experiment first."
	case p.Moved() == 0 && len(p.Held) > 0:
		a.Summary = fmt.Sprintf("Keep the current split %s: %s", periodLabel(req.Period), heldReason(p, fit, mv.Kind == question.MoveAdd))
		a.SoWhat = fmt.Sprintf("Next: run a geo holdout on %s; once its curve is anchored too, the platforms can be weighed against each other.", model.PlatformName(untestedHeld(p.Held, cs)))
	case p.Moved() == 0 && len(p.Limited) > 0:
		a.Summary = fmt.Sprintf("Keep the current split %s: the platforms whose next dollar returns most are already at their limit (%s), so no move stays within them.",
			periodLabel(req.Period), wording.JoinAnd(dimNames(model.DimPlatform, p.Limited)))
		a.SoWhat = "Next: test a higher spend on one of them in a few regions: it would show whether the return holds beyond the spend it has had."
	case p.Moved() == 0:
		lo, hi := mroasRange(usable)
		a.Summary = fmt.Sprintf("Keep the current split %s: moving money between %s would not raise revenue — the next dollar returns about the same everywhere (marginal ROAS %s to %s).",
			periodLabel(req.Period), wording.JoinAnd(platformNames(usable)), wording.Value(model.UnitRatio, &lo), wording.Value(model.UnitRatio, &hi))
		a.SoWhat = "Next: test before moving: a geo holdout on the largest platform says whether its return is what its reports claim."
	default:
		a.Summary = planSummary(p, mv, req.Period)
		a.SoWhat = planNext(p, fit)
		if n := basisNote(p, fit, mv.Kind == question.MoveAdd); n != "" {
			a.Notes = append(a.Notes, n)
		}
		if mv.Amount > 0 && p.Moved() < mv.Amount*0.999 {
			a.Notes = append(a.Notes, fmt.Sprintf("Only %s of the %s can move within the limits (±30%% of each platform's spend, within the weekly spend it has had)%s.",
				estimate(p.Moved()), estimate(mv.Amount), limitedBy(p)))
		}
	}
	a.Notes = append(a.Notes, evidence(fit, cs)...)
	a.Notes = append(a.Notes, caveats(cs, true)...)
	e.planFreshness(ctx, &a)
	return a, nil
}

// budgetScenario answers "what if we cut TTD by 20%?".
func (e *Engine) budgetScenario(a model.Answer, fit *Fitted, cs []curves.Curve, mv question.Move, weeks float64) (model.Answer, error) {
	c, ok := fit.Curve(mv.Platform)
	name := model.PlatformName(mv.Platform)
	if !ok {
		a.Summary = fmt.Sprintf("%s has no spend in the last two years of data, so there is no curve to ask.", name)
		a.SoWhat = "Next: ask where money should move among the platforms you run."
		return a, nil
	}
	factor := mv.Factor
	if factor == 0 && c.Current > 0 {
		factor = 1 + mv.Delta/(c.Current*weeks)
	}
	a.Filters[model.DimPlatform] = []string{mv.Platform}
	p, err := curves.Scenario(cs, mv.Platform, factor, weeks)
	var out *curves.ErrOutOfRange
	switch {
	case errors.As(err, &out):
		side, edge := "more", out.Max
		if out.Below {
			side, edge = "less", out.Min
		}
		a.Summary = fmt.Sprintf("%s has never spent that much in a week (%s; its weeks ranged %s to %s), so its curve cannot say what that would do.",
			name, estimate(out.Weekly), estimate(out.Min), estimate(out.Max))
		if side == "less" {
			a.Summary = fmt.Sprintf("%s has never spent that little a week (%s; its weeks ranged %s to %s), so its curve cannot say what that would do.",
				name, estimate(out.Weekly), estimate(out.Min), estimate(out.Max))
		}
		a.SoWhat = fmt.Sprintf("Next: ask about a change within that range, such as a move to %s a week, or test the bigger change on a few regions first.", estimate(edge))
		a.Notes = append(a.Notes, caveatRange)
		return a, nil
	case err != nil:
		return a, err
	case len(p.Left) > 0:
		a.Summary = fmt.Sprintf("%s's response curve is not reliable enough to say: %s.", name, p.Left[0].Reason)
		a.SoWhat = fmt.Sprintf("Next: run a geo holdout on %s; its result says what its spend adds better than its history can.", name)
		a.Notes = append(a.Notes, caveats(cs, false)...)
		return a, nil
	}
	planRows(&a, p)
	m := p.Moves[0]
	verb := "Cutting"
	if m.Move > 0 {
		verb = "Raising"
	}
	a.Summary = fmt.Sprintf("%s %s by %s %s, from %s to %s, is expected to change its revenue by %s to %s (%s at the curve's best estimate).",
		verb, name, pctText(factor-1), periodLabel(a.Period), estimate(m.Spend), estimate(m.Spend+m.Move),
		signedEstimate(m.Low), signedEstimate(m.High), signedEstimate(m.Change))
	lostPer := math.Abs(m.Change / m.Move)
	switch {
	case m.Move < 0 && lostPer < 1:
		a.SoWhat = fmt.Sprintf("Each dollar cut loses about %s of revenue: the cut pays. Next: ask where the %s would return more.", wording.Value(model.UnitCurrency, &lostPer), estimate(-m.Move))
	case m.Move < 0:
		a.SoWhat = fmt.Sprintf("Each dollar cut loses about %s of revenue: %s still returns more than it costs at the margin. Next: cut elsewhere first, where the next dollar returns least.", wording.Value(model.UnitCurrency, &lostPer), name)
	case lostPer >= 1:
		a.SoWhat = fmt.Sprintf("Each dollar added returns about %s. Next: move it in steps and check the first month against the curve.", wording.Value(model.UnitCurrency, &lostPer))
	default:
		a.SoWhat = fmt.Sprintf("Each dollar added returns only about %s: %s is past the point where more pays. Next: ask where the money would return more.", wording.Value(model.UnitCurrency, &lostPer), name)
	}
	if math.Abs(factor-1) > curves.Cap+1e-9 {
		a.Notes = append(a.Notes, fmt.Sprintf("A change of more than %.0f%% is beyond what sowhat would recommend in one step, though within the spend %s has had.", curves.Cap*100, name))
	}
	a.Notes = append(a.Notes, evidence(fit, []curves.Curve{c})...)
	a.Notes = append(a.Notes, caveats([]curves.Curve{c}, false)...)
	return a, nil
}

// planRows puts the plan's moves in the answer: a row per platform, the
// total with the plan's range.
func planRows(a *model.Answer, p curves.Plan) {
	var spend, move float64
	for _, m := range p.Moves {
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimPlatform: m.Platform}, Values: model.Values{
			model.Spend: model.Float(m.Spend), model.Move: model.Float(m.Move), model.MROAS: model.Float(m.MROAS),
			model.ExpectedChangeLow: model.Float(m.Low), model.ExpectedChangeHigh: model.Float(m.High)}})
		spend += m.Spend
		move += m.Move
	}
	if math.Abs(move) < 1e-6 {
		move = 0
	}
	a.Total = model.Row{Values: model.Values{model.Spend: model.Float(spend), model.Move: model.Float(move), model.MROAS: nil,
		model.ExpectedChangeLow: model.Float(p.Low), model.ExpectedChangeHigh: model.Float(p.High)}}
}

// planSummary says the moves and what they are expected to do.
func planSummary(p curves.Plan, mv *question.Move, per period.Period) string {
	var from, to []string
	for _, m := range byMove(p.Moves) {
		switch {
		case m.Move < 0:
			from = append(from, fmt.Sprintf("%s (%s)", model.PlatformName(m.Platform), signedEstimate(m.Move)))
		case m.Move > 0:
			to = append(to, fmt.Sprintf("%s (%s)", model.PlatformName(m.Platform), signedEstimate(m.Move)))
		}
	}
	head := fmt.Sprintf("Move %s %s from %s to %s", estimate(p.Moved()), periodLabel(per), wording.JoinAnd(from), wording.JoinAnd(to))
	if mv.Kind == question.MoveAdd {
		head = fmt.Sprintf("Put the %s %s into %s", estimate(p.Moved()), periodLabel(per), wording.JoinAnd(to))
	}
	return fmt.Sprintf("%s: expected %s to %s in revenue (%s at the curves' best estimate).", head, signedEstimate(p.Low), signedEstimate(p.High), signedEstimate(p.Change))
}

// byMove orders moves largest cut first, then largest increase first.
func byMove(ms []curves.Move) []curves.Move {
	out := slices.Clone(ms)
	slices.SortStableFunc(out, func(a, b curves.Move) int {
		switch {
		case a.Move < 0 && b.Move < 0 || a.Move > 0 && b.Move > 0:
			if math.Abs(a.Move) > math.Abs(b.Move) {
				return -1
			}
			if math.Abs(a.Move) < math.Abs(b.Move) {
				return 1
			}
		}
		return 0
	})
	return out
}

// basisNote says, when an experiment anchors some of the plan's curves and
// not the others, that money moved only within each kind: why the platform
// whose reported return looks best did not take the measured ones' money.
func basisNote(p curves.Plan, fit *Fitted, add bool) string {
	if len(p.Held) > 0 {
		return "Kept at their spend: " + heldReason(p, fit, add)
	}
	anchored, raw := byBasis(p, fit)
	if len(anchored) == 0 || len(raw) == 0 {
		return ""
	}
	return fmt.Sprintf("Money moves only between platforms measured the same way: among %s, whose curves experiments anchor to the revenue they add, and among %s, whose curves rest on what each platform reports. A reported return can be several times what a platform adds, so the two are not weighed against each other.",
		wording.JoinAnd(anchored), wording.JoinAnd(raw))
}

// byBasis names the plan's platforms whose curves an experiment anchors,
// and the others.
func byBasis(p curves.Plan, fit *Fitted) (anchored, raw []string) {
	for _, m := range p.Moves {
		if c, ok := fit.Curve(m.Platform); ok && c.Anchor != nil {
			anchored = append(anchored, model.PlatformName(m.Platform))
		} else {
			raw = append(raw, model.PlatformName(m.Platform))
		}
	}
	return anchored, raw
}

// heldReason says why the plan kept the held platforms at their spend: an
// experiment anchors some curves to incremental revenue, and the rest rest
// on what each platform reports, which are not weighed against each other.
func heldReason(p curves.Plan, fit *Fitted, add bool) string {
	anchored, raw := byBasis(p, fit)
	held := wording.JoinAnd(dimNames(model.DimPlatform, p.Held))
	if held == wording.JoinAnd(raw) || held == wording.JoinAnd(anchored) {
		held = "they"
	}
	curves, rests := "the curves of", "rest on what each platform reports"
	if len(anchored) == 1 {
		curves = "the curve of"
	}
	if len(raw) == 1 {
		rests = "rests on what it reports"
	}
	basis := fmt.Sprintf("an experiment anchors %s %s to the revenue they add, while %s %s, which can be several times more",
		curves, wording.JoinAnd(anchored), wording.JoinAnd(raw), rests)
	if add {
		return fmt.Sprintf("%s; new money goes only where a test measured the return, so %s get none.", basis, held)
	}
	verb := "keep their spend"
	if len(p.Held) == 1 && held != "they" {
		verb = "keeps its spend"
	}
	return fmt.Sprintf("%s; money moves only between platforms measured the same way, so %s %s.", basis, held, verb)
}

// planNext is the plan's next step: the range crossing zero is a reason to
// wait; an unanchored platform taking money is one to test first.
func planNext(p curves.Plan, fit *Fitted) string {
	if p.Low <= 0 {
		return "The range includes no gain at all, so the case is not proven. Next: move a first step, or test the largest receiving platform with a geo holdout, before moving it all."
	}
	var untested []string
	for _, m := range byMove(p.Moves) {
		if c, _ := fit.Curve(m.Platform); m.Move > 0 && c.Anchor == nil {
			untested = append(untested, model.PlatformName(m.Platform))
		}
	}
	if len(untested) > 0 {
		return fmt.Sprintf("Next: move it in two steps over the period, and run a geo holdout on %s: the money goes where only attributed revenue says it returns more.", untested[0])
	}
	if lead, m := bestHeld(p); lead != "" {
		return fmt.Sprintf("Next: move it in two steps over the period, and run a geo holdout on %s: it reports the highest return of the platforms kept out (%s) but has no test to show what it adds.",
			model.PlatformName(lead), wording.Value(model.UnitRatio, &m))
	}
	return "Next: move it in two steps over the period, and check the first against the curves."
}

// bestHeld is the held platform whose next dollar returns most, by its own
// curve, with that return; "" when none is held.
func bestHeld(p curves.Plan) (string, float64) {
	lead, best := "", 0.0
	for _, m := range p.Moves {
		if slices.Contains(p.Held, m.Platform) && (lead == "" || m.MROAS > best) {
			lead, best = m.Platform, m.MROAS
		}
	}
	return lead, best
}

// evidence says what the plan rests on: each curve's fit, the experiments
// that anchored them, and the platforms left out with the reason.
func evidence(fit *Fitted, cs []curves.Curve) []string {
	var fits, anchored, left []string
	for _, c := range cs {
		name := model.PlatformName(c.Platform)
		if !c.Usable() {
			left = append(left, fmt.Sprintf("%s — %s", name, c.Reason))
			continue
		}
		fits = append(fits, fmt.Sprintf("%s %s", name, wording.Value(model.UnitPercent, &c.Error)))
		if c.Anchor != nil {
			s := fmt.Sprintf("%s to %s (ended %s, incremental ROAS %s)", name, c.Anchor.Test, c.Anchor.End.Format("Jan 2, 2006"), wording.Value(model.UnitRatio, &c.Anchor.IROAS))
			if fit.Stale[c.Anchor.Test] {
				s += ", over a year old"
			}
			anchored = append(anchored, s)
		} else if c.AnchorNote != "" {
			left = append(left, fmt.Sprintf("%s's experiment — %s", name, c.AnchorNote))
		}
	}
	var out []string
	if len(fits) > 0 {
		out = append(out, fmt.Sprintf("Fit: each curve's error on held-out weeks (fitted on %s to %s): %s.", fit.From.Format("Jan 2, 2006"), fit.To.Format("Jan 2, 2006"), strings.Join(fits, ", ")))
	}
	if len(anchored) > 0 {
		out = append(out, "Anchored to experiments: "+strings.Join(anchored, "; ")+".")
	}
	if len(left) > 0 {
		out = append(out, "Left out of the moves: "+strings.Join(left, "; ")+".")
	}
	return out
}

// caveats are the method's limits; plan adds the one about moves.
func caveats(cs []curves.Curve, plan bool) []string {
	out := []string{caveatSimulation}
	if plan {
		out = append(out, caveatRange)
	}
	var raw []string
	for _, c := range cs {
		if c.Usable() && c.Anchor == nil {
			raw = append(raw, model.PlatformName(c.Platform))
		}
	}
	switch len(raw) {
	case 0:
	case 1:
		out = append(out, fmt.Sprintf(caveatAttributed, raw[0]+"'s curve", "rests", "it", "it shows"))
	default:
		out = append(out, fmt.Sprintf(caveatAttributed, "the curves of "+wording.JoinAnd(raw), "rest", "them", "they show"))
	}
	if len(raw) > 0 && len(raw) < len(usableCurves(cs)) {
		out = append(out, "The expected changes so add incremental revenue where a test anchors the curve, and platform-reported revenue elsewhere.")
	}
	return out
}

// planFreshness lists the sources the curves rest on, without the "data
// ends" note: a plan's period is ahead of the data by design.
func (e *Engine) planFreshness(ctx context.Context, a *model.Answer) {
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return
	}
	for _, f := range fresh {
		if f.Source != "business" {
			a.Freshness = append(a.Freshness, f)
		}
	}
}

func usableCurves(cs []curves.Curve) []curves.Curve {
	var out []curves.Curve
	for _, c := range cs {
		if c.Usable() {
			out = append(out, c)
		}
	}
	return out
}

func platformNames(cs []curves.Curve) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = model.PlatformName(c.Platform)
	}
	return out
}

func mroasRange(cs []curves.Curve) (lo, hi float64) {
	lo = math.Inf(1)
	for _, c := range cs {
		m := c.Marginal(c.Current)
		lo, hi = math.Min(lo, m), math.Max(hi, m)
	}
	return lo, hi
}

func limitedBy(p curves.Plan) string {
	if len(p.Limited) == 0 {
		return ""
	}
	return ": " + wording.JoinAnd(dimNames(model.DimPlatform, p.Limited)) + " reached a limit"
}

// estimate writes an estimate of money to the nearest $100: "$50,000".
func estimate(v float64) string {
	return wording.Value(model.UnitCurrency, model.Float(math.Round(v/100)*100))
}

// signedEstimate writes an estimated change with its sign, to the nearest $100.
func signedEstimate(v float64) string {
	r := math.Round(v/100) * 100
	if r == 0 {
		return "$0"
	}
	s := wording.Value(model.UnitCurrency, model.Float(math.Abs(r)))
	if r < 0 {
		return "-" + s
	}
	return "+" + s
}

// pctText writes a relative change without its sign: "20%", "12.5%".
func pctText(rel float64) string {
	return strconv.FormatFloat(math.Round(math.Abs(rel)*1000)/10, 'f', -1, 64) + "%"
}

// untestedHeld is the held platform to test first: the first whose curve
// no experiment anchors (the one weighed on what it reports), else the
// first held.
func untestedHeld(held []string, cs []curves.Curve) string {
	for _, h := range held {
		for _, c := range cs {
			if c.Platform == h && c.Anchor == nil {
				return h
			}
		}
	}
	return held[0]
}
