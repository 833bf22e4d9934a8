package intents

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// minSpendShare keeps rankings by a ratio honest: groups with less than this
// share of spend are left out, so a campaign with $12 and one conversion
// does not "win" on CPA.
const minSpendShare = 0.005

// top ranks groups by a metric: the best or worst few, or those past a
// threshold.
func (e *Engine) top(ctx context.Context, req question.Request) (model.Answer, error) {
	if len(req.GroupBy) == 0 {
		req.GroupBy = []string{model.DimCampaign}
	}
	limit := req.Limit
	switch {
	case limit <= 0 && len(req.Having) > 0:
		limit = 1 << 30 // every group past the threshold
	case limit <= 0:
		limit = 5
	}
	stopped := noneOf(req.Having, model.Spend)
	if req.Change != "" && len(req.Having) == 0 && (req.Compare != nil || model.IsTimeDimension(req.GroupBy[0])) {
		return e.movers(ctx, req, limit)
	}
	if len(req.Having) == 0 && len(req.GroupBy) == 1 && !e.rankByRows {
		return e.rank(ctx, req, limit)
	}
	o, err := e.open(ctx, req, func(q *data.Query) {
		rankedBy(q)
		if stopped {
			// A group that stopped spending has no rows now: the period
			// before finds it.
			c := dr(question.Previous(req.Period))
			q.Compare = &c
		}
	})
	if err != nil {
		return model.Answer{}, err
	}
	res, m, mt, dim := o.res, o.m, o.mt, req.GroupBy[0]
	for _, h := range req.Having {
		if h.None && slices.Contains(res.Inapplicable, h.Metric) {
			// None of a figure the grouping cannot have is every group:
			// no answer at all.
			a := o.answer()
			a.Rows = nil
			noData(req, &a, h.Metric)
			return a, nil
		}
	}
	all := slices.Clone(res.Rows)
	notes := dropSmall(res, mt, dim)
	if len(notes) > 0 && len(contenders(slices.Clone(res.Rows), m, dim, 1)) == 0 {
		// The floor never empties a ranking: when no group above it has a
		// value, every group is ranked, and the answer says they are small.
		res.Rows = all
		notes = []string{everySmallNote(mt, dim)}
	}
	// A ranking leaves out the campaigns not bought for its metric; a list
	// past a threshold lists them, as asked, but does not judge them.
	judged := res.Rows
	var reachNotes []string
	if len(req.Having) == 0 {
		if res.Rows, reachNotes, err = e.dropReach(ctx, o.q, res.Rows, m, dim, "Not ranked", shownOf(stopped, limit)); err != nil {
			return model.Answer{}, err
		}
	} else if judged, reachNotes, err = e.dropReach(ctx, o.q, slices.Clone(res.Rows), m, dim, "Listed but not judged on "+wording.MidSentence(mt.Name), 0); err != nil {
		return model.Answer{}, err
	}
	notes = append(notes, reachNotes...)
	if stopped {
		res.Rows = stoppedRows(res.Rows, dim)
		var late []string
		if res.Rows, late, err = e.notLate(ctx, res.Rows, dim, req.Period.End); err != nil {
			return model.Answer{}, err
		}
		notes = append(notes, late...)
	} else {
		res.Rows = contenders(res.Rows, m, dim, limit)
	}
	a := o.answer(notes...)
	if len(req.Having) == 0 {
		return e.rankingAnswer(ctx, req, mt, dim, limit, a, res.Rows, res.Total)
	}
	a.Summary = thresholdSummary(req, mt, dim, res.Rows)
	switch {
	case len(res.Rows) > 0 && hasNone(req.Having):
		a.SoWhat = noneSoWhat(req, dim, res.Rows, res.Total)
	case len(res.Rows) > 0:
		if judged = contenders(judged, m, dim, limit); len(judged) > 0 {
			a.SoWhat = topSoWhat(mt, dim, judged[0], res.Total, req.Ascending, req.Hidden)
		}
	}
	return a, nil
}

// rankingAnswer finishes the answer of a ranking: rows are the groups it
// shows, in order. A leader by ROAS among platforms, or a campaign on a
// platform, whose ROAS is what it claims while another platform's is
// measured, is not put up for more budget (roasLeadFooting).
func (e *Engine) rankingAnswer(ctx context.Context, req question.Request, mt model.Metric, dim string, limit int, a model.Answer, rows []model.Row, total model.Row) (model.Answer, error) {
	a = rankingText(req, mt, dim, limit, a, rows, total)
	if len(rows) > 0 && slices.Contains(budgetSignals, mt.ID) && !businessFigure(mt, dim) {
		s, err := e.leadTag(ctx, req, mt, dim, rows, total)
		if err != nil || s != "" {
			a.SoWhat = s
			return a, err
		}
	}
	if mt.ID == model.ROAS && (dim == model.DimPlatform || dim == model.DimCampaign) && len(rows) > 0 {
		s, err := e.roasLeadFooting(ctx, req, dim, rows[0], total)
		if s != "" {
			a.SoWhat = s
		}
		return a, err
	}
	return a, nil
}

// rankingText writes a ranking's summary and so-what.
func rankingText(req question.Request, mt model.Metric, dim string, limit int, a model.Answer, rows []model.Row, total model.Row) model.Answer {
	m := mt.ID
	if len(rows) == 0 {
		noData(req, &a, m)
		return a
	}
	extreme, extremes := "highest", "Top"
	if req.Ascending {
		extreme, extremes = "lowest", "Bottom"
	}
	var parts []string
	for i, r := range rows {
		parts = append(parts, fmt.Sprintf("%d. %s %s", i+1, wording.DimValue(dim, r.Key[dim]), wording.Metric(m, r.Values[m])))
	}
	lead := rows[0]
	a.Summary = wording.Say("top", wording.Top{Limit: limit, Leader: wording.DimValue(dim, lead.Key[dim]), Extreme: extreme, MetricName: wording.MidSentence(mt.Name),
		PeriodLabel: periodLabel(req.Period), LeaderValue: wording.Metric(m, lead.Values[m]), Extremes: extremes, Count: len(rows), DimPlural: plural(dim), Ranking: strings.Join(parts, ", ")})
	a.SoWhat = topSoWhat(mt, dim, lead, total, req.Ascending, req.Hidden)
	return a
}

// rank answers a ranking with no threshold: its groups are read by
// position (data.Ranking) and only those shown become rows. It says what
// top says of the same request by rows (TestRankSaysWhatRowsSay).
func (e *Engine) rank(ctx context.Context, req question.Request, limit int) (model.Answer, error) {
	q, err := e.shape(ctx, req, rankedBy)
	if err != nil {
		return model.Answer{}, err
	}
	rk, err := e.st.Rank(ctx, q)
	if err != nil {
		return model.Answer{}, err
	}
	m, dim := req.Metrics[0], req.GroupBy[0]
	mt, _ := model.LookupMetric(m)
	all := make([]int, rk.Len())
	for i := range all {
		all[i] = i
	}
	kept, notes := dropSmallRanked(rk, all, mt, dim)
	if len(notes) > 0 && len(contendersRanked(rk, kept, m, 1)) == 0 {
		kept, notes = all, []string{everySmallNote(mt, dim)}
	}
	kept, reachNotes, err := e.dropReachRanked(ctx, q, rk, kept, m, dim, "Not ranked", limit)
	if err != nil {
		return model.Answer{}, err
	}
	notes = append(notes, reachNotes...)
	var rows []model.Row
	for _, i := range contendersRanked(rk, kept, m, limit) {
		rows = append(rows, rk.Row(i))
	}
	o := &opening{req: req, q: q, res: &data.Result{Rows: rows, Total: rk.Total, Inapplicable: rk.Inapplicable}, m: m, mt: mt}
	return e.rankingAnswer(ctx, req, mt, dim, limit, o.answer(notes...), rows, rk.Total)
}

// shownOf is how many groups a ranking shows: limit, or every one for a
// list of the groups that stopped spending.
func shownOf(stopped bool, limit int) int {
	if stopped {
		return 0
	}
	return limit
}

// everySmallNote says a ranking kept every group because none above the
// noise floor had a value.
func everySmallNote(mt model.Metric, dim string) string {
	return fmt.Sprintf("Every %s with %s is small (under %s of spend each), so read this ranking with care.", strings.ReplaceAll(dim, "_", " "), mt.Name, wording.Value(model.UnitPercent, model.Float(minSpendShare)))
}

// dropSmall leaves out of a ranking by a ratio the groups with too little
// spend for it to mean anything, and says how many and how much spend they
// hold. The floor is 0.5% of spend, lowered when the spend is spread so thin
// that the groups above it would not hold most of it (5,000 campaigns of
// 0.02% each): a floor never empties a ranking, it only drops the tail of
// small groups that together hold the last fifth of spend.
func dropSmall(res *data.Result, mt model.Metric, dim string) (notes []string) {
	var spends []float64
	for _, r := range res.Rows {
		if v := r.Values[model.Spend]; v != nil && *v > 0 {
			spends = append(spends, *v)
		}
	}
	floor, ok := noiseFloor(mt, res.Total, spends)
	if !ok {
		return nil
	}
	kept := res.Rows[:0]
	dropped, droppedSpend := 0, 0.0
	for _, r := range res.Rows {
		if r.Values[model.Spend] != nil && *r.Values[model.Spend] < floor {
			dropped++
			droppedSpend += *r.Values[model.Spend]
			continue
		}
		kept = append(kept, r)
	}
	res.Rows = kept
	return smallNote(mt, dim, floor, *res.Total.Values[model.Spend], dropped, droppedSpend)
}

// dropSmallRanked is dropSmall for the groups at idx of a ranking: it
// returns the places of those it keeps.
func dropSmallRanked(rk *data.Ranking, idx []int, mt model.Metric, dim string) ([]int, []string) {
	spends := make([]float64, 0, len(idx)) // room at once: grown from nothing, 5,000 spends touched twice the pages
	for _, i := range idx {
		if v := rk.Value(i, model.Spend); v != nil && *v > 0 {
			spends = append(spends, *v)
		}
	}
	floor, ok := noiseFloor(mt, rk.Total, spends)
	if !ok {
		return idx, nil
	}
	kept := make([]int, 0, len(idx))
	dropped, droppedSpend := 0, 0.0
	for _, i := range idx {
		if v := rk.Value(i, model.Spend); v != nil && *v < floor {
			dropped++
			droppedSpend += *v
			continue
		}
		kept = append(kept, i)
	}
	return kept, smallNote(mt, dim, floor, *rk.Total.Values[model.Spend], dropped, droppedSpend)
}

// noiseFloor is the spend under which a group's value of a ratio is
// noise, given the total and every group's spend (those above zero); ok
// is false for a metric that is no ratio, or a ranking with no spend.
func noiseFloor(mt model.Metric, total model.Row, spends []float64) (floor float64, ok bool) {
	if mt.Ratio == nil || total.Values[model.Spend] == nil || *total.Values[model.Spend] <= 0 {
		return 0, false
	}
	t := *total.Values[model.Spend]
	return math.Min(t*minSpendShare, spendCover(spends, t*minSpendCover)), true
}

// smallNote says how many groups the noise floor left out, and how much
// spend they hold; none when it left none out.
func smallNote(mt model.Metric, dim string, floor, total float64, dropped int, droppedSpend float64) []string {
	if dropped == 0 {
		return nil
	}
	return []string{fmt.Sprintf("Left out %s %s with under %s of spend each (%s in all, %s of spend), whose %s is noise.",
		wording.Value(model.UnitCount, model.Float(float64(dropped))), pluralN(dropped, dim), wording.Value(model.UnitCurrency, &floor), wording.Value(model.UnitCurrency, &droppedSpend),
		wording.Value(model.UnitPercent, model.Float(droppedSpend/total)), mt.Name)}
}

// minSpendCover is the share of spend the groups a ranking keeps must hold
// at least.
const minSpendCover = 0.8

// spendCover is the spend of the smallest group among the biggest ones that
// together hold want, given each group's spend above zero: groups with at
// least that much are kept. It sorts spends.
func spendCover(spends []float64, want float64) float64 {
	slices.Sort(spends) // ascending, read from the largest down: sort.Reverse's interface calls were most of this
	sum := 0.0
	for i := len(spends) - 1; i >= 0; i-- {
		sum += spends[i]
		if sum >= want {
			return spends[i]
		}
	}
	return 0
}

// contenders are the first limit rows that can be ranked: rows with no
// value cannot, and a group with no name (the campaigns without a
// category) is not a contender.
func contenders(rows []model.Row, metric model.MetricID, dim string, limit int) []model.Row {
	ranked := rows[:0]
	for _, r := range rows {
		if r.Values[metric] != nil && r.Key[dim] != "" {
			ranked = append(ranked, r)
		}
	}
	if len(ranked) > limit {
		ranked = ranked[:limit]
	}
	return ranked
}

// contendersRanked is contenders for the groups at idx of a ranking.
func contendersRanked(rk *data.Ranking, idx []int, metric model.MetricID, limit int) []int {
	var ranked []int
	for _, i := range idx {
		if len(ranked) == limit {
			break
		}
		if rk.Value(i, metric) != nil && rk.Key(i) != "" {
			ranked = append(ranked, i)
		}
	}
	return ranked
}

// rankedBy shapes a query to rank every group by its lead metric; a ratio
// brings spend along, so groups too small to count can be left out.
func rankedBy(q *data.Query) {
	m := q.Metrics[0]
	q.Limit, q.OrderBy = 0, m
	if mt, _ := model.LookupMetric(m); mt.Ratio != nil && !slices.Contains(q.Metrics, model.Spend) && m != model.Pacing {
		q.Metrics = append(q.Metrics, model.Spend)
	}
}

// topSoWhat sets the leader of a ranking against the whole.
func topSoWhat(mt model.Metric, dim string, lead model.Row, total model.Row, asc bool, hidden []model.MetricID) string {
	name := wording.DimValue(dim, lead.Key[dim])
	v, t := lead.Values[mt.ID], total.Values[mt.ID]
	if v == nil || t == nil {
		return ""
	}
	business := businessFigure(mt, dim)
	if mt.Ratio == nil {
		if *t == 0 {
			return ""
		}
		text := fmt.Sprintf("%s alone is %s of the total %s.", name, wording.Value(model.UnitPercent, model.Float(*v / *t)), wording.Metric(mt.ID, t))
		if business {
			return text + " Next: ask what ads drove (" + droveSignals(hidden) + ") before reading it as a marketing result."
		}
		return text + " Next: make sure it is not capped by budget, and that its results hold up in incrementality tests."
	}
	good := mt.HigherIsBetter != asc
	lead2 := fmt.Sprintf("%s %s of %s compares with %s overall.", wording.Possessive(name), wording.MidSentence(mt.Name), wording.Metric(mt.ID, v), wording.Metric(mt.ID, t))
	switch {
	case business:
		return lead2 + " Next: ask what ads drove (" + droveSignals(hidden) + ") before reading it as a marketing result."
	case !slices.Contains(budgetSignals, mt.ID) && good:
		return lead2 + fmt.Sprintf(" Next: %s is a diagnostic, not a return: see what its creative and targeting do that others' do not, and move budget on %s.", wording.MidSentence(mt.Name), returnSignals(hidden))
	case !slices.Contains(budgetSignals, mt.ID):
		return lead2 + " Next: review its creative, targeting and placements."
	case good && (*v > *t) != mt.HigherIsBetter && *v != *t:
		// The best of those ranked is worse than the whole: groups left
		// out or not tied to any lift the total (no region, reach spend).
		return lead2 + " It leads those ranked, but the overall figure is better, so what is not ranked does better still. Next: see what lifts the overall figure before moving budget toward it."
	case good:
		return lead2 + " Next: it is the first candidate for more budget if it has headroom."
	case (*v > *t) == mt.HigherIsBetter && *v != *t:
		return lead2 + " It is the lowest of those ranked, yet better than the overall figure: no cut follows from the ranking. Next: look at what drags the overall figure down."
	}
	return lead2 + " Next: review its bids, audiences and creative, or cap its budget until it recovers."
}

// thresholdSummary lists the groups past a threshold: "3 campaigns had CPA
// above $40.00 last week: 1. … ", "1 campaign had spend but no conversions
// yesterday: …".
func thresholdSummary(req question.Request, mt model.Metric, dim string, rows []model.Row) string {
	var conds, some, none []string
	for _, h := range req.Having {
		name := wording.MidSentence(wording.MetricName(h.Metric))
		switch {
		case h.None:
			none = append(none, name)
		case h.Above && h.Value == 0 && hasNone(req.Having):
			some = append(some, name)
		default:
			side := "below"
			if h.Above {
				side = "above"
			}
			conds = append(conds, fmt.Sprintf("%s %s %s", wording.MetricName(h.Metric), side, wording.Metric(h.Metric, &h.Value)))
		}
	}
	if len(none) > 0 {
		cond := "no " + wording.JoinOr(none)
		if len(some) > 0 {
			cond = wording.JoinAnd(some) + " but " + cond
		}
		conds = append([]string{cond}, conds...)
	}
	when := strings.TrimPrefix(periodLabel(req.Period), "for ")
	if len(rows) == 0 {
		return fmt.Sprintf("No %s had %s %s.", plural(dim), wording.JoinAnd(conds), when)
	}
	if noneOf(req.Having, model.Spend) {
		var names []string
		for i, r := range rows {
			if i == 10 {
				names = append(names, fmt.Sprintf("and %d more", len(rows)-10))
				break
			}
			names = append(names, wording.DimValue(dim, r.Key[dim]))
		}
		return fmt.Sprintf("%d %s had no spend %s: %s.", len(rows), pluralN(len(rows), dim), when, strings.Join(names, ", "))
	}
	var parts []string
	for i, r := range rows {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rows)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%d. %s %s", i+1, wording.DimValue(dim, r.Key[dim]), wording.Metric(mt.ID, r.Values[mt.ID])))
	}
	return fmt.Sprintf("%d %s had %s %s: %s.", len(rows), pluralN(len(rows), dim), wording.JoinAnd(conds), when, strings.Join(parts, ", "))
}

// best and worst rows by a metric, honouring whether higher is better.
func bestWorst(mt model.Metric, dim string, rows []model.Row) (best, worst *model.Row) {
	for i := range rows {
		v := rows[i].Values[mt.ID]
		if v == nil || wording.Unassigned(rows[i].Key[dim]) {
			continue // the campaigns with no region are no place to move budget to or from
		}
		if best == nil || (mt.HigherIsBetter == (*v > *best.Values[mt.ID])) && *v != *best.Values[mt.ID] {
			best = &rows[i]
		}
		if worst == nil || (mt.HigherIsBetter == (*v < *worst.Values[mt.ID])) && *v != *worst.Values[mt.ID] {
			worst = &rows[i]
		}
	}
	return best, worst
}

// rankSoWhat sets the best group against the worst on a ratio, or says how
// concentrated a sum is; its next step names no metric in hidden.
func rankSoWhat(mt model.Metric, dim string, rows []model.Row, hidden []model.MetricID) string {
	best, worst := bestWorst(mt, dim, rows)
	if best == nil || worst == nil || best == worst {
		return ""
	}
	bv, wv := *best.Values[mt.ID], *worst.Values[mt.ID]
	bn, wn := wording.DimValue(dim, best.Key[dim]), wording.DimValue(dim, worst.Key[dim])
	if mt.Ratio == nil {
		return concentration(mt, dim, rows, hidden)
	}
	gap := gapOf(mt, bv, wv)
	name := wording.MidSentence(mt.Name)
	if !slices.Contains(budgetSignals, mt.ID) {
		// A rate of clicks or a price of impressions is read to fix what
		// is bought, not to move money to where it is higher; a basket
		// size is the business's own, and no budget follows from it.
		lead := fmt.Sprintf("%s has the best %s (%s vs %s for %s: a gap of %.0f%%).", wording.Capitalize(bn), name, wording.Metric(mt.ID, best.Values[mt.ID]), wording.Metric(mt.ID, worst.Values[mt.ID]), wn, gap*100)
		if businessFigure(mt, dim) {
			return lead + " Next: ask what ads drove (" + droveSignals(hidden) + ") before reading the split as a marketing result."
		}
		return lead + fmt.Sprintf(" Next: %s is a diagnostic, not a return: use it to find weak creative, targeting or placements in %s, and move budget on %s.", name, wn, returnSignals(hidden))
	}
	if gap < minBudgetGap {
		// A few percent is within what a week or a month moves by itself.
		return fmt.Sprintf("%s and %s are close on %s (%s vs %s: a gap of %.0f%%). Next: no budget move follows from a gap this small; watch whether it widens.",
			wording.Capitalize(bn), wn, name, wording.Metric(mt.ID, best.Values[mt.ID]), wording.Metric(mt.ID, worst.Values[mt.ID]), gap*100)
	}
	return fmt.Sprintf("%s is the most efficient on %s (%s vs %s for %s: a gap of %.0f%%). Next: test moving incremental budget from %s to %s and watch whether its %s holds at higher spend.",
		wording.Capitalize(bn), name, wording.Metric(mt.ID, best.Values[mt.ID]), wording.Metric(mt.ID, worst.Values[mt.ID]), wn, gap*100, wn, bn, name)
}

func sum(vs []float64) float64 {
	t := 0.0
	for _, v := range vs {
		t += v
	}
	return t
}

// businessFigure reports whether metric, split by dim, is the business's
// own figure (orders, its revenue, its new customers), not the platforms'.
func businessFigure(mt model.Metric, dim string) bool {
	return mt.FromBusinessIn(model.Context{ByAdDimension: model.IsAdDimension(dim)})
}

// droveSignals names what shows how much of a business result ads drove,
// none of it hidden.
func droveSignals(hidden []model.MetricID) string {
	if slices.Contains(hidden, model.MER) {
		return "attributed revenue"
	}
	return "MER, attributed revenue"
}

// minBudgetGap is the gap between the best and the worst group below which
// a split moves no budget.
const minBudgetGap = 0.10

// budgetSignals are the ratios a budget is moved on: what a dollar of
// spend returns, or what a customer, a conversion or a store visit costs.
// Engagement rate is one too: upper-funnel budget is bought for it.
var budgetSignals = []model.MetricID{model.ROAS, model.CPA, model.CAC, model.CostPerStoreVisit, model.MER, model.PaybackMonths, model.EngagementRate}

// returnSignals names the figures to move budget on, none of them hidden.
func returnSignals(hidden []model.MetricID) string {
	var names []string
	for _, m := range []model.MetricID{model.CPA, model.ROAS} {
		if !slices.Contains(hidden, m) {
			names = append(names, wording.MetricName(m))
		}
	}
	if len(names) == 0 {
		return "what it returns"
	}
	return strings.Join(names, " or ")
}

// concentration says how much of a total its biggest groups hold.
func concentration(mt model.Metric, dim string, rows []model.Row, hidden []model.MetricID) string {
	total := 0.0
	var vals []float64
	for _, r := range rows {
		if v := r.Values[mt.ID]; v != nil && *v > 0 {
			total += *v
			if !wording.Unassigned(r.Key[dim]) {
				vals = append(vals, *v)
			}
		}
	}
	if total == 0 || len(vals) < 2 {
		return ""
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(vals)))
	// The leader is the largest assigned group: an unassigned bucket ("(no
	// region)") never leads.
	var top *model.Row
	for i, r := range rows {
		if v := r.Values[mt.ID]; v != nil && !wording.Unassigned(r.Key[dim]) && (top == nil || *v > *top.Values[mt.ID]) {
			top = &rows[i]
		}
	}
	if top == nil {
		return ""
	}
	name := strings.ToLower(mt.Name)
	text := fmt.Sprintf("%s holds %s of %s.", wording.Capitalize(wording.DimValue(dim, top.Key[dim])), wording.Value(model.UnitPercent, model.Float(*top.Values[mt.ID]/total)), name)
	of := total
	if assigned := sum(vals); assigned <= total*3/4 {
		// A quarter or more has no region (or category ...): a leader's
		// share of the whole would read as if the split covered it.
		unassigned := total - assigned
		text = fmt.Sprintf("%s of %s (%s) %s not tied to any %s; of the %s that %s, %s holds %s.", wording.Value(model.UnitPercent, model.Float(unassigned/total)), name,
			wording.Metric(mt.ID, &unassigned), wording.Is(mt.Name), strings.ReplaceAll(dim, "_", " "), wording.Metric(mt.ID, &assigned), wording.Is(mt.Name),
			wording.DimValue(dim, top.Key[dim]), wording.Value(model.UnitPercent, model.Float(*top.Values[mt.ID]/assigned)))
		of = assigned
	}
	if len(vals) > 3 {
		top3 := vals[0] + vals[1] + vals[2]
		text += fmt.Sprintf(" The top three %s hold %s.", plural(dim), wording.Value(model.UnitPercent, model.Float(top3/of)))
	}
	if mt.ID == model.Spend {
		if next := spendVsReturn(dim, rows, total); next != "" {
			return text + next
		}
		return text + " Next: check that spend follows return — ask for ROAS by " + strings.ReplaceAll(dim, "_", " ") + " to compare."
	}
	if mt.ID == model.NewCustomers && model.IsAdDimension(dim) && !slices.Contains(hidden, model.CAC) {
		// The customers each platform says it brought: set against what
		// each spent.
		return text + " Next: set them against what each spent — ask for CAC by " + strings.ReplaceAll(dim, "_", " ") + "."
	}
	if businessFigure(mt, dim) {
		// The business's own results: no budget follows from the split.
		return text + " Next: ask what ads drove (" + droveSignals(hidden) + ") before reading the split as a marketing result."
	}
	return text + " Next: ask why the leader leads before moving budget."
}

// hasNone reports a filter on having none of a metric.
func hasNone(hs []model.Threshold) bool {
	return slices.ContainsFunc(hs, func(h model.Threshold) bool { return h.None })
}

// noneOf reports a filter on having none of metric.
func noneOf(hs []model.Threshold, metric model.MetricID) bool {
	return slices.ContainsFunc(hs, func(h model.Threshold) bool { return h.None && h.Metric == metric })
}

// stoppedRows keeps the groups with no spend now that spent in the period
// before: those that stopped. A group with no name is no group.
func stoppedRows(rows []model.Row, dim string) []model.Row {
	kept := rows[:0]
	for _, r := range rows {
		if old := r.CompareValues[model.Spend]; old != nil && *old > 0 && r.Key[dim] != "" {
			kept = append(kept, r)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return *kept[i].CompareValues[model.Spend] > *kept[j].CompareValues[model.Spend] })
	return kept
}

// notLate leaves out of the groups that stopped spending those whose
// platform's data ends before end: a late export is not a paused campaign.
func (e *Engine) notLate(ctx context.Context, rows []model.Row, dim string, end time.Time) ([]model.Row, []string, error) {
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return nil, nil, err
	}
	lateSet := map[string]bool{}
	for _, f := range fresh {
		if f.Source != "business" && f.LastDay.Before(end) {
			lateSet[f.Source] = true
		}
	}
	if len(lateSet) == 0 {
		return rows, nil, nil
	}
	platformsOf := func(key string) []string { return []string{key} }
	if dim != model.DimPlatform {
		byCampaign, err := e.st.CampaignPlatforms(ctx)
		if err != nil {
			return nil, nil, err
		}
		platformsOf = func(key string) []string { return byCampaign[key] }
	}
	kept := rows[:0]
	dropped := 0
	var names []string
	for _, r := range rows {
		ps := platformsOf(r.Key[dim])
		if len(ps) > 0 && !slices.ContainsFunc(ps, func(p string) bool { return !lateSet[p] }) {
			dropped++
			for _, p := range ps {
				if n := model.PlatformName(p); !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
			continue
		}
		kept = append(kept, r)
	}
	if dropped == 0 {
		return kept, nil, nil
	}
	return kept, []string{fmt.Sprintf("Left out %d %s on %s, whose data ends before these days: a late export is not a paused campaign.", dropped, pluralN(dropped, dim), wording.JoinAnd(names))}, nil
}

// noneSoWhat words what the groups with none of a metric mean: spend with no
// results is money lost or a tag that stopped firing; no spend is a campaign
// paused, out of budget or disapproved.
func noneSoWhat(req question.Request, dim string, rows []model.Row, total model.Row) string {
	lead := wording.DimValue(dim, rows[0].Key[dim])
	if noneOf(req.Having, model.Spend) {
		old, before := rows[0].CompareValues[model.Spend], question.Previous(req.Period)
		return fmt.Sprintf("%s spent %s %s and nothing since. Next: check whether %s paused on purpose, ran out of budget or %s disapproved.",
			wording.Capitalize(lead), wording.Metric(model.Spend, old), strings.TrimPrefix(compareLabel(&before), "vs "),
			pluralWord(len(rows), "it was", "they were"), pluralWord(len(rows), "was", "were"))
	}
	var none []string
	for _, h := range req.Having {
		if h.None {
			none = append(none, wording.MidSentence(wording.MetricName(h.Metric)))
		}
	}
	sum := 0.0
	for _, r := range rows {
		if v := r.Values[model.Spend]; v != nil {
			sum += *v
		}
	}
	text := fmt.Sprintf("%s spent %s with no %s", wording.Capitalize(lead), wording.Metric(model.Spend, rows[0].Values[model.Spend]), wording.JoinOr(none))
	if len(rows) > 1 {
		text += fmt.Sprintf("; the %d %s together spent %s", len(rows), plural(dim), wording.Metric(model.Spend, &sum))
	}
	if t := total.Values[model.Spend]; t != nil && *t > 0 {
		text += fmt.Sprintf(", %s of all spend", wording.Value(model.UnitPercent, model.Float(sum / *t)))
	}
	return text + ". Next: check " + pluralWord(len(rows), "its", "their") + " conversion tracking (pixel, tags, conversion events) first (when clicks carry on without conversions, a tag has usually stopped firing); if tracking is fine, pause " + pluralWord(len(rows), "it", "them") + " or cut " + pluralWord(len(rows), "its", "their") + " budget."
}

// spendVsReturn is the next step of a spend mix whose rows carry ROAS too:
// the group with a sizeable share of spend and the lowest ROAS, "" when the
// rows have no ROAS.
func spendVsReturn(dim string, rows []model.Row, total float64) string {
	var worst *model.Row
	for i, r := range rows {
		s, roas := r.Values[model.Spend], r.Values[model.ROAS]
		if s == nil || roas == nil || *s/total < 0.05 || wording.Unassigned(r.Key[dim]) {
			continue
		}
		if worst == nil || *roas < *worst.Values[model.ROAS] {
			worst = &rows[i]
		}
	}
	if worst == nil {
		return ""
	}
	return fmt.Sprintf(" Next: check that spend follows return — %s takes %s of spend at %s ROAS, the lowest of the larger %s.", wording.DimValue(dim, worst.Key[dim]),
		wording.Value(model.UnitPercent, model.Float(*worst.Values[model.Spend]/total)), wording.Metric(model.ROAS, worst.Values[model.ROAS]), plural(dim))
}
