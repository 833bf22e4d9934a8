package intents

import (
	"context"
	"fmt"
	"strings"

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
	a.Rows, a.Notes = withValues(a.Rows, a.Notes, m, dim)
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
	if mt.Ratio != nil {
		f.Total = wording.Metric(m, res.Total.Values[m]) + " overall"
	} else {
		f.Total += " in all"
	}
	a.Summary = wording.Say("breakdown", f)
	if len(res.Rows) > 1 {
		a.SoWhat = rankSoWhat(mt, dim, res.Rows)
	}
	return a, nil
}

// withValues drops the groups that have no value for the metric (a platform
// that does not report store visits) and says how many were left out.
func withValues(rows []model.Row, notes []string, metric model.MetricID, dim string) ([]model.Row, []string) {
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
		notes = append(notes, fmt.Sprintf("%d %s with no %s data are not shown.", dropped, pluralN(dropped, dim), strings.ToLower(wording.MetricName(metric))))
	}
	return kept, notes
}
