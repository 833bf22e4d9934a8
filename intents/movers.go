package intents

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// A ranking of movers ("which categories grew the most vs last month",
// "which campaign's CPA rose the most") ranks groups by how far their
// value moved from the comparison period, not by where it ended: ranking
// by level answered "which category had the biggest drop in revenue" with
// the category of the highest revenue. Only groups with a value in both
// periods are ranked (a campaign that started or stopped did not move, it
// appeared or went), a ratio leaves out groups too small for it to mean
// anything, as a ranking does, and a group is not judged on what it is not
// bought for.

// moverVerbs say how each way of moving reads.
var moverVerbs = map[string]string{"up": "rose", "down": "fell", "better": "improved", "worse": "worsened", "either": "moved"}

type mover struct {
	row   model.Row
	delta float64
	key   float64 // what it is ranked by: delta, or delta over where it started
}

// movers answers a ranking by change (req.Change).
func (e *Engine) movers(ctx context.Context, req question.Request, limit int) (model.Answer, error) {
	if model.IsTimeDimension(req.GroupBy[0]) {
		return e.moversInTime(ctx, req, limit)
	}
	o, err := e.open(ctx, req, rankedBy)
	if err != nil {
		return model.Answer{}, err
	}
	res, m, mt, dim := o.res, o.m, o.mt, req.GroupBy[0]
	if o.q.Compare == nil {
		// The period before holds no data: nothing moved from anything.
		a := o.answer()
		a.Rows = nil
		a.Summary = fmt.Sprintf("There is no data %s to measure how each %s's %s moved against, so it cannot be ranked by change.",
			strings.Replace(compareLabel(req.Compare), "vs ", "for ", 1), strings.ReplaceAll(dim, "_", " "), wording.MidSentence(mt.Name))
		return a, nil
	}
	notes := dropSmall(res, mt, dim)
	rows, reachNotes, err := e.dropReach(ctx, o.q, res.Rows, m, dim, "Not ranked", 0)
	if err != nil {
		return model.Answer{}, err
	}
	notes = append(notes, reachNotes...)
	// A rate of growth ("grew fastest") from a small start is noise: a
	// sum is rated only from 0.5% of the period before's total up, as a
	// ratio's groups are kept only above the noise floor (dropSmall).
	floor := 0.0
	if old := res.Total.CompareValues[m]; req.Relative && mt.Ratio == nil && old != nil && *old > 0 {
		floor = *old * minSpendShare
	}
	var ms []mover
	oneSided, small := 0, 0
	for _, r := range rows {
		if r.Key[dim] == "" || wording.Unassigned(r.Key[dim]) {
			continue
		}
		cur, old := r.Values[m], r.CompareValues[m]
		if cur == nil || old == nil {
			oneSided++
			continue
		}
		d := *cur - *old
		key := d
		if req.Relative {
			if *old == 0 || math.Abs(*old) < floor {
				small++
				continue
			}
			key = d / math.Abs(*old)
		}
		if movesAsAsked(req.Change, mt, d) {
			ms = append(ms, mover{r, d, key})
		}
	}
	slices.SortStableFunc(ms, func(a, b mover) int { return compareMoves(req.Change, a.key, b.key) })
	if small > 0 {
		notes = append(notes, fmt.Sprintf("Left out %s %s with under %s of %s %s (0.5%% of the total), whose rate of change is noise.",
			wording.Value(model.UnitCount, model.Float(float64(small))), pluralN(small, dim), wording.Metric(m, &floor), wording.MidSentence(mt.Name),
			strings.Replace(compareLabel(o.q.Compare), "vs ", "in ", 1)))
	}
	if oneSided > 0 {
		notes = append(notes, fmt.Sprintf("%s with %s in only one of the two periods %s not ranked: %s started or stopped rather than moved.",
			wording.Capitalize(wording.Value(model.UnitCount, model.Float(float64(oneSided)))+" "+pluralN(oneSided, dim)), wording.MidSentence(mt.Name),
			pluralWord(oneSided, "is", "are"), pluralWord(oneSided, "it", "they")))
	}
	if len(ms) > limit {
		ms = ms[:limit]
	}
	shown := make([]model.Row, len(ms))
	for i, mv := range ms {
		shown[i] = mv.row
	}
	res.Rows = shown
	a := o.answer(notes...)
	if a.Summary = moversSummary(req, mt, dim, " "+compareLabel(o.q.Compare), ms); len(ms) == 0 {
		return a, nil
	}
	a.SoWhat = moverSoWhat(mt, dim, ms[0], res.Total, req.Hidden)
	return a, nil
}

// movesAsAsked reports whether a change of d goes the way asked.
func movesAsAsked(way string, mt model.Metric, d float64) bool {
	switch way {
	case "up":
		return d > 0
	case "down":
		return d < 0
	case "better":
		return d > 0 == mt.HigherIsBetter && d != 0
	case "worse":
		return d < 0 == mt.HigherIsBetter && d != 0
	}
	return d != 0
}

// compareMoves orders the largest move the way asked first: the highest
// rise, the deepest fall, else the largest either way (movesAsAsked kept
// only moves the way asked).
func compareMoves(way string, a, b float64) int {
	switch way {
	case "up":
	case "down":
		a, b = -a, -b
	default:
		a, b = math.Abs(a), math.Abs(b)
	}
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// moveSpan writes a move from its old value to its new one, with the
// relative change: "+86.9%, $108,950 → $203,618".
func moveSpan(m model.MetricID, r model.Row) string {
	span := wording.Metric(m, r.CompareValues[m]) + " → " + wording.Metric(m, r.Values[m])
	if c := wording.Change(m, r.Values[m], r.CompareValues[m]); c != "" {
		return c + ", " + span
	}
	return span
}

// moverSoWhat sets the largest mover against the whole, and says what to
// look at next.
func moverSoWhat(mt model.Metric, dim string, lead mover, total model.Row, hidden []model.MetricID) string {
	name := wording.DimValue(dim, lead.row.Key[dim])
	text := ""
	if cur, old := total.Values[mt.ID], total.CompareValues[mt.ID]; cur != nil && old != nil {
		all := *cur - *old
		if mt.Ratio == nil && all != 0 && (all > 0) == (lead.delta > 0) {
			text = fmt.Sprintf("%s moved %s of the %s change in %s overall.", name, signedValue(mt, lead.delta), signedValue(mt, all), wording.MidSentence(mt.Name))
		} else {
			text = fmt.Sprintf("%s %s moved %s, against %s overall.", wording.Possessive(name), wording.MidSentence(mt.Name), signedValue(mt, lead.delta), signedValue(mt, all))
		}
	}
	switch {
	case businessFigure(mt, dim):
		return strings.TrimSpace(text + " Next: ask what ads drove (" + droveSignals(hidden) + ") before reading the move as a marketing result.")
	case mt.ID == model.Spend && !slices.Contains(hidden, model.ROAS):
		return strings.TrimSpace(text + " Next: check that its return kept up: ask for " + wording.Possessive(name) + " ROAS over the same periods.")
	case mt.ID == model.Spend:
		return strings.TrimSpace(text + " Next: check that what it returns kept up with the spend.")
	case lead.delta > 0 == mt.HigherIsBetter:
		return strings.TrimSpace(text + " Next: find what changed in " + name + " — budget, bids, creative or stock — and whether it holds before adding budget.")
	}
	return strings.TrimSpace(text + " Next: find what changed in " + name + " — budget, bids, creative or stock — before it goes further; ask why for its drivers.")
}

// moversInTime answers "which day had the biggest drop in spend last
// month": each day (week, month) of the period against the one before
// it, not the period against an earlier one. The first of the period has
// none before it in the period and is not ranked.
func (e *Engine) moversInTime(ctx context.Context, req question.Request, limit int) (model.Answer, error) {
	o, err := e.open(ctx, req, func(q *data.Query) { q.Compare, q.Limit, q.OrderBy = nil, 0, "" })
	if err != nil {
		return model.Answer{}, err
	}
	res, m, mt, dim := o.res, o.m, o.mt, req.GroupBy[0]
	unit := strings.ReplaceAll(dim, "_", " ")
	// A week (month) the period holds only part of is not set against a
	// whole one.
	whole := res.Rows[:0:0]
	for _, r := range res.Rows {
		if wholeBucket(dim, r.Key[dim], req.Period) {
			whole = append(whole, r)
		}
	}
	res.Rows = whole
	if len(res.Rows) < 2 {
		a := o.answer()
		a.ComparePeriod, a.Rows = nil, nil
		a.Summary = fmt.Sprintf("%s holds fewer than two whole %ss, so no %s can be set against the one before it.", wording.Capitalize(strings.TrimPrefix(periodLabel(req.Period), "for ")), unit, unit)
		a.Suggestions = []string{fmt.Sprintf("which %s %s the most %s", unit, moverVerbs[req.Change], map[string]string{model.DimDay: "over the last 14 days", model.DimWeek: "over the last 8 weeks", model.DimMonth: "this year"}[dim])}
		return a, nil
	}
	var ms []mover
	for i := 1; i < len(res.Rows); i++ {
		prev, r := res.Rows[i-1], res.Rows[i]
		cur, old := r.Values[m], prev.Values[m]
		if cur == nil || old == nil {
			continue
		}
		row := model.Row{Key: r.Key, Values: r.Values, CompareValues: prev.Values}
		d := *cur - *old
		key := d
		if req.Relative {
			if *old == 0 {
				continue
			}
			key = d / math.Abs(*old)
		}
		if movesAsAsked(req.Change, mt, d) {
			ms = append(ms, mover{row, d, key})
		}
	}
	slices.SortStableFunc(ms, func(a, b mover) int { return compareMoves(req.Change, a.key, b.key) })
	if len(ms) > limit {
		ms = ms[:limit]
	}
	res.Rows = nil
	for _, mv := range ms {
		res.Rows = append(res.Rows, mv.row)
	}
	a := o.answer(fmt.Sprintf("Each %s is set against the %s before it; the first %s of the period has none before it in the period and is not ranked.", unit, unit, unit))
	a.ComparePeriod = nil
	a.Summary = moversSummary(req, mt, dim, ", each against the "+unit+" before", ms)
	return a, nil
}

// moversSummary lists the movers of a ranking by change, each with its
// move and where it started and ended ("Categories whose ROAS fell the
// most last month vs September: 1. …"); against, with its leading space
// or comma, is what each moved against. Or it says none moved as asked.
func moversSummary(req question.Request, mt model.Metric, dim, against string, ms []mover) string {
	m, most := mt.ID, "the most"
	if req.Relative {
		most = "fastest"
	}
	when := strings.TrimPrefix(periodLabel(req.Period), "for ")
	if len(ms) == 0 {
		return fmt.Sprintf("No %s's %s %s %s%s.", strings.ReplaceAll(dim, "_", " "), wording.MidSentence(mt.Name), moverVerbs[req.Change], when, against)
	}
	var parts []string
	for i, mv := range ms {
		name := wording.DimValue(dim, mv.row.Key[dim])
		if c := wording.Change(m, mv.row.Values[m], mv.row.CompareValues[m]); req.Relative && c != "" {
			parts = append(parts, fmt.Sprintf("%d. %s %s (%s, %s → %s)", i+1, name, c, signedValue(mt, mv.delta), wording.Metric(m, mv.row.CompareValues[m]), wording.Metric(m, mv.row.Values[m])))
			continue
		}
		parts = append(parts, fmt.Sprintf("%d. %s %s (%s)", i+1, name, signedValue(mt, mv.delta), moveSpan(m, mv.row)))
	}
	return fmt.Sprintf("%s whose %s %s %s %s%s: %s.", wording.Capitalize(plural(dim)), wording.MidSentence(mt.Name), moverVerbs[req.Change], most, when, against, strings.Join(parts, ", "))
}

// wholeBucket reports whether the day, week (its Monday) or month (its
// first day) keyed key lies wholly within p.
func wholeBucket(dim, key string, p period.Period) bool {
	start, err := time.Parse(period.DateLayout, key)
	if err != nil {
		return false
	}
	end := start
	switch dim {
	case model.DimWeek:
		end = start.AddDate(0, 0, 6)
	case model.DimMonth:
		end = start.AddDate(0, 1, -1)
	}
	return !start.Before(period.Day(p.Start)) && !end.After(period.Day(p.End))
}
