package intents

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// silentDays is how far back from a period's end lostTracking looks for
// campaigns that stopped recording conversions: a tag lost for longer than
// two weeks shows in every figure, not only in the last days.
const silentDays = 14

// silence is what a group's campaigns spent over the last days of a period
// on clicks that recorded no conversion at all: a lost conversion tag more
// often than a lost audience. Its days count in the group's CPA or ROAS as
// spend that bought nothing, and make the group look worse than it is.
type silence struct {
	campaigns []string // largest silent spend first
	since     string   // the first silent day of the first campaign
	spend     float64
	// num and den are the ratio's sums over the silent days, taken out
	// of the group's to read its figure without them.
	num, den float64
}

// lostTracking finds the campaigns of the group key of dim that, in q's
// period, spent on clicks and recorded no conversion on each of their last
// two or more days up to the last day of the data, and sums those days.
// num and den are the sums of the metric's ratio.
func (e *Engine) lostTracking(ctx context.Context, q data.Query, dim, key, num, den string) (silence, error) {
	sq := data.Query{Metrics: dedupeMetrics(model.Spend, model.Clicks, model.Conversions, model.MetricID(num), model.MetricID(den)),
		Period: q.Period, Filters: maps.Clone(q.Filters), GroupBy: []string{model.DimCampaign, model.DimDay}}
	if from := q.Period.End.AddDate(0, 0, 1-silentDays); from.After(sq.Period.Start) {
		sq.Period.Start = from
	}
	if sq.Filters == nil {
		sq.Filters = map[string][]string{}
	}
	sq.Filters[dim] = []string{key}
	res, err := e.st.Run(ctx, sq)
	if err != nil {
		return silence{}, fmt.Errorf("read silent campaigns: %w", err)
	}
	last := ""
	byCampaign := map[string][]model.Row{}
	for _, r := range res.Rows {
		c, d := r.Key[model.DimCampaign], r.Key[model.DimDay]
		byCampaign[c] = append(byCampaign[c], r)
		last = max(last, d)
	}
	type run struct {
		campaign, since string
		spend, num, den float64
	}
	var runs []run
	for c, rows := range byCampaign {
		sort.Slice(rows, func(i, j int) bool { return rows[i].Key[model.DimDay] < rows[j].Key[model.DimDay] })
		if rows[len(rows)-1].Key[model.DimDay] != last {
			continue // it stopped spending: no ongoing loss
		}
		cur, days := run{campaign: c}, 0
		for k := len(rows) - 1; k >= 0; k-- {
			s, cl, cv := rows[k].Values[model.Spend], rows[k].Values[model.Clicks], rows[k].Values[model.Conversions]
			if s == nil || cl == nil || cv == nil || *s <= 0 || *cl <= 0 || *cv > 0 {
				break
			}
			days++
			cur.since, cur.spend = rows[k].Key[model.DimDay], cur.spend+*s
			cur.num += val(rows[k].Values[model.MetricID(num)])
			cur.den += val(rows[k].Values[model.MetricID(den)])
		}
		if days >= 2 {
			runs = append(runs, cur)
		}
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].spend > runs[j].spend })
	var out silence
	for _, r := range runs {
		if out.since == "" {
			out.since = r.since
		}
		out.campaigns = append(out.campaigns, r.campaign)
		out.spend, out.num, out.den = out.spend+r.spend, out.num+r.num, out.den+r.den
	}
	return out, nil
}

func dedupeMetrics(ids ...model.MetricID) []model.MetricID {
	var out []model.MetricID
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// judgeRanked is rankSoWhat, checked against lost tracking: a move of
// budget away from the weakest group on CPA or ROAS waits when that group's
// figure counts days its campaigns spent on clicks that recorded no
// conversion (a broken tag, named in the zero-conversion alert), unless it
// stays the weakest, by as wide a margin, without those days.
func (e *Engine) judgeRanked(ctx context.Context, q data.Query, mt model.Metric, dim string, rows []model.Row, hidden []model.MetricID) (string, error) {
	soWhat := rankSoWhat(mt, dim, rows, hidden)
	best, worst := bestWorst(mt, dim, rows)
	if best == nil || worst == nil || best == worst || (mt.ID != model.CPA && mt.ID != model.ROAS) || mt.Ratio == nil {
		return soWhat, nil
	}
	bv, wv := *best.Values[mt.ID], *worst.Values[mt.ID]
	if gapOf(mt, bv, wv) < minBudgetGap {
		return soWhat, nil
	}
	key := worst.Key[dim]
	tag, err := e.tagged(ctx, q, mt, dim, key, wv)
	if err != nil || tag == nil {
		return soWhat, err
	}
	lost, without, what := tag.lost, tag.without, tag.what
	gn, wn := wording.DimValue(dim, key), wording.DimValue(dim, best.Key[dim])
	name := wording.MidSentence(mt.Name)
	fix := fmt.Sprintf("fix the conversion tracking of %s", campaignsNamed(lost.campaigns))
	var weaker *model.Row // the group that is weakest without those days
	for i, r := range rows {
		v := r.Values[mt.ID]
		if r.Key[dim] == key || v == nil || wording.Unassigned(r.Key[dim]) {
			continue
		}
		if mt.HigherIsBetter == (*v < without) && *v != without && (weaker == nil || mt.HigherIsBetter == (*v < *weaker.Values[mt.ID])) {
			weaker = &rows[i]
		}
	}
	switch {
	case weaker != nil:
		what += fmt.Sprintf(", better than %s (%s)", wording.DimValue(dim, weaker.Key[dim]), wording.Metric(mt.ID, weaker.Values[mt.ID]))
	case gapOf(mt, bv, without) < minBudgetGap:
		what += fmt.Sprintf(", within %.0f%% of %s", minBudgetGap*100, wn)
	default:
		return beforeNext(soWhat, what+", still the weakest.", fmt.Sprintf("Next: %s first; then test moving incremental budget from %s to %s and watch whether its %s holds at higher spend.", fix, gn, wn, name)), nil
	}
	return beforeNext(soWhat, " But"+what+", so the gap may be the tag, not the spend.", fmt.Sprintf("Next: %s and compare again before moving budget from %s.", fix, gn)), nil
}

// lostTag is a group's figure read without the days its campaigns lost
// their conversion tag.
type lostTag struct {
	lost    silence
	without float64 // the figure without those days
	what    string  // " TikTok's CPA counts $5,506 that … it is $49.72"
}

// tagged reads the figure v of the group key of dim (CPA or ROAS) without
// the days its campaigns spent on clicks that recorded no conversion, nil
// when there are none or too few to move it by 2%.
func (e *Engine) tagged(ctx context.Context, q data.Query, mt model.Metric, dim, key string, v float64) (*lostTag, error) {
	num, den, scale, ok := mt.Ratio(model.Context{ByAdDimension: true})
	if !ok || (mt.ID != model.CPA && mt.ID != model.ROAS) {
		return nil, nil
	}
	lost, err := e.lostTracking(ctx, q, dim, key, num, den)
	if err != nil || lost.spend == 0 {
		return nil, err
	}
	tq := data.Query{Metrics: []model.MetricID{model.MetricID(num), model.MetricID(den)}, Period: q.Period, Filters: maps.Clone(q.Filters)}
	if tq.Filters == nil {
		tq.Filters = map[string][]string{}
	}
	tq.Filters[dim] = []string{key}
	tot, err := e.st.Run(ctx, tq)
	if err != nil {
		return nil, fmt.Errorf("read %s without its silent days: %w", key, err)
	}
	n, d := val(tot.Total.Values[model.MetricID(num)])-lost.num, val(tot.Total.Values[model.MetricID(den)])-lost.den
	if d <= 0 {
		return nil, nil
	}
	without := scale * n / d
	if math.Abs(without-v) < 0.02*math.Abs(v) {
		return nil, nil // too little of its spend to move the figure
	}
	spender := campaignsNamed(lost.campaigns)
	if dim == model.DimCampaign {
		spender = "it"
	}
	what := fmt.Sprintf(" %s %s counts %s that %s spent from %s on clicks that recorded no conversion (%s tracking looks broken); without those days it is %s",
		wording.Possessive(wording.DimValue(dim, key)), wording.MidSentence(mt.Name), wording.Metric(model.Spend, &lost.spend), spender, wording.DisplayName(model.DimDay, lost.since),
		pluralWord(len(lost.campaigns), "its", "their"), wording.Metric(mt.ID, &without))
	return &lostTag{lost: lost, without: without, what: what}, nil
}

// leadTag is the so-what of a ranking led by its weakest group on CPA or
// ROAS ("which campaigns should we pause", "worst CPA by platform") when
// that group's figure counts days of a lost conversion tag: the tag is
// fixed before its bids or budget are judged. "" otherwise.
func (e *Engine) leadTag(ctx context.Context, req question.Request, mt model.Metric, dim string, rows []model.Row, total model.Row) (string, error) {
	lead := rows[0]
	v, t := lead.Values[mt.ID], total.Values[mt.ID]
	if v == nil || t == nil || mt.HigherIsBetter != (*v < *t) || *v == *t {
		return "", nil // not the weakest: nothing would be cut
	}
	tag, err := e.tagged(ctx, query(req), mt, dim, lead.Key[dim], *v)
	if err != nil || tag == nil {
		return "", err
	}
	what := strings.TrimSpace(tag.what) + ", against " + wording.Metric(mt.ID, t) + " overall"
	if len(rows) > 1 {
		if next := rows[1].Values[mt.ID]; next != nil && mt.HigherIsBetter == (tag.without > *next) && tag.without != *next {
			what += fmt.Sprintf(", better than %s (%s)", wording.DimValue(dim, rows[1].Key[dim]), wording.Metric(mt.ID, next))
		}
	}
	if dim == model.DimCampaign {
		return what + ". Next: fix its conversion tracking before judging its bids or budget.", nil
	}
	return what + fmt.Sprintf(". Next: fix the conversion tracking of %s before judging %s bids or budget.",
		campaignsNamed(tag.lost.campaigns), wording.Possessive(wording.DimValue(dim, lead.Key[dim]))), nil
}

// gapOf is the gap between the best and the worst value of a ratio, as
// rankSoWhat reads it.
func gapOf(mt model.Metric, best, worst float64) float64 {
	if mt.HigherIsBetter {
		return math.Abs(best-worst) / math.Max(math.Abs(worst), 1e-9)
	}
	return math.Abs(worst-best) / math.Max(math.Abs(best), 1e-9)
}

// campaignsNamed names up to two campaigns and counts the rest.
func campaignsNamed(cs []string) string {
	var names []string
	for i, c := range cs {
		if i == 2 {
			return fmt.Sprintf("%s and %d other %s", strings.Join(names, ", "), len(cs)-2, pluralWord(len(cs)-2, "campaign", "campaigns"))
		}
		names = append(names, wording.DimValue(model.DimCampaign, c))
	}
	return wording.JoinAnd(names)
}
