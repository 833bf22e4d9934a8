package intents

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// breakdown splits a figure by a dimension and names its leader.
func (e *Engine) breakdown(ctx context.Context, req question.Request) (model.Answer, error) {
	o, err := e.open(ctx, req, noLimit)
	if err != nil {
		return model.Answer{}, err
	}
	a, res, m, mt := o.answer(), o.res, o.m, o.mt
	if len(res.Rows) == 0 || len(req.GroupBy) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	dim := req.GroupBy[0]
	var dropped int
	a.Rows, a.Notes, dropped = withValues(a.Rows, a.Notes, m, dim)
	if len(a.Rows) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	// An unassigned bucket ("(no region)") never leads a breakdown.
	wording.UnassignedLast(a.Rows, dim)
	res.Rows = a.Rows
	lead := res.Rows[0]
	f := wording.Breakdown{Subject: headSubject(req, m), MetricName: wording.MidSentence(mt.Name), PeriodLabel: periodLabel(req.Period), Dim: strings.ReplaceAll(dim, "_", " "),
		Total: wording.Metric(m, res.Total.Values[m]), Leader: wording.DimValue(dim, lead.Key[dim]), LeaderValue: wording.Metric(m, lead.Values[m])}
	if mt.Ratio == nil && lead.Values[m] != nil && res.Total.Values[m] != nil && *res.Total.Values[m] != 0 {
		f.LeaderShare = wording.Value(model.UnitPercent, model.Float(*lead.Values[m] / *res.Total.Values[m]))
	}
	switch {
	case mt.Ratio != nil && dropped > 0:
		// The overall figure covers the groups shown, and says so.
		f.Total = wording.Metric(m, res.Total.Values[m]) + " across the " + population(len(a.Rows), dim, m)
	case mt.Ratio != nil:
		f.Total = wording.Metric(m, res.Total.Values[m]) + " overall"
	default:
		f.Total += " in all"
	}
	a.Summary = wording.Say("breakdown", f)
	if m == model.CAC && model.IsAdDimension(dim) && len(req.Filters) == 0 {
		note, err := e.blendedCAC(ctx, o.q)
		if err != nil {
			return a, err
		}
		if note != "" {
			a.Notes = append(a.Notes, note)
		}
	}
	if mt.Ratio != nil {
		note, err := e.untiedSpend(ctx, o.q, dim, res.Rows)
		if err != nil {
			return a, err
		}
		if note != "" {
			a.Notes = append(a.Notes, note)
		}
	}
	judged, notes, err := e.dropReach(ctx, o.q, res.Rows, m, dim, "Not judged on "+wording.MidSentence(mt.Name), 0)
	if err != nil {
		return a, err
	}
	a.Notes = append(a.Notes, notes...)
	if len(judged) > 1 {
		if a.SoWhat, err = e.judgeRanked(ctx, o.q, mt, dim, judged, req.Hidden); err != nil {
			return a, err
		}
		if m == model.ROAS && dim == model.DimPlatform {
			if s, err := e.roasFooting(ctx, req, judged); err != nil || s != "" {
				a.SoWhat = s
				return a, err
			}
		}
	}
	return a, nil
}

// withValues drops the groups that have no value for the metric (a platform
// that does not report store visits) and says how many were left out.
func withValues(rows []model.Row, notes []string, metric model.MetricID, dim string) ([]model.Row, []string, int) {
	kept := rows[:0:0]
	dropped := 0
	for _, r := range rows {
		if r.Values[metric] == nil {
			dropped++
			continue
		}
		kept = append(kept, r)
	}
	if dropped > 0 {
		note := fmt.Sprintf("%d %s with no %s data %s not shown", dropped, pluralN(dropped, dim), wording.MidSentence(wording.MetricName(metric)), pluralWord(dropped, "is", "are"))
		if what, ok := reportedMeasure[metric]; ok {
			note = fmt.Sprintf("%d %s that %s %s %s not shown", dropped, pluralN(dropped, dim), pluralWord(dropped, "doesn't report", "don't report"), what, pluralWord(dropped, "is", "are"))
		}
		if mt, _ := model.LookupMetric(metric); mt.Ratio != nil {
			note += ", and none of " + pluralWord(dropped, "its", "their") + " figures is in the overall " + wording.MidSentence(mt.Name)
		}
		notes = append(notes, note+".")
	}
	return kept, notes, dropped
}

// reportedMeasure names what some platforms report and others do not, for
// the metrics that rest on it.
var reportedMeasure = map[model.MetricID]string{
	model.CAC: "new customers", model.NewCustomers: "new customers",
	model.CostPerStoreVisit: "store visits", model.StoreVisits: "store visits",
	model.EngagementRate: "engagements", model.Engagements: "engagements", model.VideoViews: "video views",
}

// population names the groups a ratio covers: "3 platforms that report new
// customers", "2 campaigns shown".
func population(n int, dim string, metric model.MetricID) string {
	if what, ok := reportedMeasure[metric]; ok {
		return fmt.Sprintf("%d %s that %s %s", n, pluralN(n, dim), pluralWord(n, "reports", "report"), what)
	}
	return fmt.Sprintf("%d %s shown", n, pluralN(n, dim))
}

// blendedCAC sets a CAC split by platform or campaign, which counts the new
// customers each platform claims, beside the blended CAC: all ad spend over
// the business's own new customers.
func (e *Engine) blendedCAC(ctx context.Context, q data.Query) (string, error) {
	q.GroupBy, q.Filters, q.Compare, q.Having, q.OrderBy, q.Limit = nil, nil, nil, nil, "", 0
	q.Metrics = []model.MetricID{model.CAC}
	res, err := e.st.Run(ctx, q)
	if err != nil || res.Total.Values[model.CAC] == nil {
		return "", err
	}
	return fmt.Sprintf("CAC by platform or campaign counts the new customers each platform reports; blended CAC, all ad spend over the new customers the business itself counts, was %s.", wording.Metric(model.CAC, res.Total.Values[model.CAC])), nil
}

// covers says which platforms a figure over several covers when some of
// them don't report what it rests on: "Pinterest doesn't report new
// customers, so this CAC covers Meta only."
func (e *Engine) covers(ctx context.Context, q data.Query, metric model.MetricID) (string, error) {
	what, ok := reportedMeasure[metric]
	if !ok || len(q.Filters[model.DimPlatform]) == 1 || !q.ByAdDimension() {
		return "", nil
	}
	q.GroupBy, q.Compare, q.Having, q.OrderBy, q.Limit = []string{model.DimPlatform}, nil, nil, "", 0
	q.Metrics = []model.MetricID{metric}
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return "", err
	}
	var in, out []string
	for _, r := range res.Rows {
		name := wording.DimValue(model.DimPlatform, r.Key[model.DimPlatform])
		if r.Values[metric] == nil {
			out = append(out, name)
		} else {
			in = append(in, name)
		}
	}
	if len(out) == 0 || len(in) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s %s %s, so this %s covers %s only.", wording.JoinAnd(out), pluralWord(len(out), "doesn't report", "don't report"), what,
		wording.MidSentence(wording.MetricName(metric)), wording.JoinAnd(in)), nil
}

// untiedLarge is the share of spend above which a split's unassigned
// bucket ("(no category)") is flagged: the split then speaks for too little
// of the money.
const untiedLarge = 0.2

// untiedSpend says when a split of a ratio has an unassigned bucket
// holding a large share of spend: the groups then cover only part of the
// money, and the overall figure is mostly the bucket's ("2.72x overall;
// US-Central is highest at 1.52x" when nine tenths of spend has no
// region). "" when it does not.
func (e *Engine) untiedSpend(ctx context.Context, q data.Query, dim string, rows []model.Row) (string, error) {
	if !slices.ContainsFunc(rows, func(r model.Row) bool { return wording.Unassigned(r.Key[dim]) }) {
		return "", nil
	}
	sq := data.Query{Metrics: []model.MetricID{model.Spend}, Period: q.Period, Filters: q.Filters, GroupBy: []string{dim}}
	res, err := e.st.Run(ctx, sq)
	if err != nil {
		return "", err
	}
	total := res.Total.Values[model.Spend]
	if total == nil || *total <= 0 {
		return "", nil
	}
	for _, r := range res.Rows {
		s := r.Values[model.Spend]
		if !wording.Unassigned(r.Key[dim]) || s == nil || *s / *total < untiedLarge {
			continue
		}
		d := strings.ReplaceAll(dim, "_", " ")
		return fmt.Sprintf("%s holds %s of spend (%s): campaigns with no %s set, so the %s figures speak for only part of the money. Tag those campaigns with a %s to see where it goes.",
			wording.DimValue(dim, r.Key[dim]), wording.Value(model.UnitPercent, model.Float(*s / *total)), wording.Metric(model.Spend, s), d, d, d), nil
	}
	return "", nil
}
