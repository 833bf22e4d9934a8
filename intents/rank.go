package intents

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

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
	o, err := e.open(ctx, req, rankedBy)
	if err != nil {
		return model.Answer{}, err
	}
	res, m, mt, dim := o.res, o.m, o.mt, req.GroupBy[0]
	notes := dropSmall(res, mt, dim)
	res.Rows = contenders(res.Rows, m, dim, limit)
	a := o.answer(notes...)
	if len(req.Having) > 0 {
		a.Summary = thresholdSummary(req, mt, dim, res.Rows)
		if len(res.Rows) > 0 {
			a.SoWhat = topSoWhat(mt, dim, res.Rows[0], res.Total, req.Ascending)
		}
		return a, nil
	}
	if len(res.Rows) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	extreme, extremes := "highest", "Top"
	if req.Ascending {
		extreme, extremes = "lowest", "Bottom"
	}
	var parts []string
	for i, r := range res.Rows {
		parts = append(parts, fmt.Sprintf("%d. %s %s", i+1, wording.DimValue(dim, r.Key[dim]), wording.Metric(m, r.Values[m])))
	}
	lead := res.Rows[0]
	a.Summary = wording.Say("top", wording.Top{Limit: limit, Leader: wording.DimValue(dim, lead.Key[dim]), Extreme: extreme, MetricName: wording.MidSentence(mt.Name),
		PeriodLabel: periodLabel(req.Period), LeaderValue: wording.Metric(m, lead.Values[m]), Extremes: extremes, Count: len(res.Rows), DimPlural: plural(dim), Ranking: strings.Join(parts, ", ")})
	a.SoWhat = topSoWhat(mt, dim, lead, res.Total, req.Ascending)
	return a, nil
}

// dropSmall leaves out of a ranking by a ratio the groups with too little
// spend for it to mean anything, and says how many.
func dropSmall(res *data.Result, mt model.Metric, dim string) (notes []string) {
	if mt.Ratio == nil || res.Total.Values[model.Spend] == nil {
		return nil
	}
	floor := *res.Total.Values[model.Spend] * minSpendShare
	kept := res.Rows[:0]
	dropped := 0
	for _, r := range res.Rows {
		if r.Values[model.Spend] != nil && *r.Values[model.Spend] < floor {
			dropped++
			continue
		}
		kept = append(kept, r)
	}
	res.Rows = kept
	if dropped == 0 {
		return nil
	}
	return []string{fmt.Sprintf("Left out %d %s with under %.1f%% of spend, whose %s is noise.", dropped, plural(dim), minSpendShare*100, mt.Name)}
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
func topSoWhat(mt model.Metric, dim string, lead model.Row, total model.Row, asc bool) string {
	name := wording.DimValue(dim, lead.Key[dim])
	v, t := lead.Values[mt.ID], total.Values[mt.ID]
	if v == nil || t == nil {
		return ""
	}
	if mt.Ratio == nil {
		if *t == 0 {
			return ""
		}
		return fmt.Sprintf("%s alone is %s of the total %s. Next: make sure it is not capped by budget, and that its results hold up in incrementality tests.", name, wording.Value(model.UnitPercent, model.Float(*v / *t)), wording.Metric(mt.ID, t))
	}
	good := mt.HigherIsBetter != asc
	name = wording.Possessive(name)
	if good {
		return fmt.Sprintf("%s %s of %s compares with %s overall. Next: it is the first candidate for more budget if it has headroom.", name, mt.Name, wording.Metric(mt.ID, v), wording.Metric(mt.ID, t))
	}
	return fmt.Sprintf("%s %s of %s compares with %s overall. Next: review its bids, audiences and creative, or cap its budget until it recovers.", name, mt.Name, wording.Metric(mt.ID, v), wording.Metric(mt.ID, t))
}

// thresholdSummary lists the groups past a threshold: "3 campaigns had CPA
// above $40.00 last week: 1. … ".
func thresholdSummary(req question.Request, mt model.Metric, dim string, rows []model.Row) string {
	var conds []string
	for _, h := range req.Having {
		side := "below"
		if h.Above {
			side = "above"
		}
		conds = append(conds, fmt.Sprintf("%s %s %s", wording.MetricName(h.Metric), side, wording.Metric(h.Metric, &h.Value)))
	}
	when := strings.TrimPrefix(periodLabel(req.Period), "for ")
	if len(rows) == 0 {
		return fmt.Sprintf("No %s had %s %s.", plural(dim), wording.JoinAnd(conds), when)
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
func bestWorst(mt model.Metric, rows []model.Row) (best, worst *model.Row) {
	for i := range rows {
		v := rows[i].Values[mt.ID]
		if v == nil {
			continue
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
// concentrated a sum is.
func rankSoWhat(mt model.Metric, dim string, rows []model.Row) string {
	best, worst := bestWorst(mt, rows)
	if best == nil || worst == nil || best == worst {
		return ""
	}
	bv, wv := *best.Values[mt.ID], *worst.Values[mt.ID]
	bn, wn := wording.DimValue(dim, best.Key[dim]), wording.DimValue(dim, worst.Key[dim])
	if mt.Ratio == nil {
		return concentration(mt, dim, rows)
	}
	gap := math.Abs(bv-wv) / math.Max(math.Abs(wv), 1e-9)
	if !mt.HigherIsBetter {
		gap = math.Abs(wv-bv) / math.Max(math.Abs(bv), 1e-9)
	}
	name := wording.MidSentence(mt.Name)
	return fmt.Sprintf("%s is the most efficient on %s (%s vs %s for %s: a gap of %.0f%%). Next: test moving incremental budget from %s to %s and watch whether its %s holds at higher spend.",
		wording.Capitalize(bn), name, wording.Metric(mt.ID, best.Values[mt.ID]), wording.Metric(mt.ID, worst.Values[mt.ID]), wn, gap*100, wn, bn, name)
}

// concentration says how much of a total its biggest groups hold.
func concentration(mt model.Metric, dim string, rows []model.Row) string {
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
	text := fmt.Sprintf("%s holds %s of %s.", wording.Capitalize(wording.DimValue(dim, top.Key[dim])), wording.Value(model.UnitPercent, model.Float(*top.Values[mt.ID]/total)), strings.ToLower(mt.Name))
	if len(vals) > 3 {
		top3 := vals[0] + vals[1] + vals[2]
		text += fmt.Sprintf(" The top three %s hold %s.", plural(dim), wording.Value(model.UnitPercent, model.Float(top3/total)))
	}
	if mt.ID == model.Spend {
		if next := spendVsReturn(dim, rows, total); next != "" {
			return text + next
		}
		return text + " Next: check that spend follows return — ask for ROAS by " + strings.ReplaceAll(dim, "_", " ") + " to compare."
	}
	if mt.FromBusiness() {
		// The business's own results: no budget follows from the split.
		return text + " Next: ask what ads drove (MER, attributed revenue) before reading the split as a marketing result."
	}
	return text + " Next: ask why the leader leads before moving budget."
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
