package intents

import (
	"context"
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// compare answers how a figure changed between two periods, or sets groups
// side by side when no second period was asked for.
func (e *Engine) compare(ctx context.Context, req question.Request) (model.Answer, error) {
	if req.Compare == nil && len(req.GroupBy) > 0 {
		return e.compareEntities(ctx, req)
	}
	if req.Compare == nil {
		p := question.Previous(req.Period)
		req.Compare = &p
	}
	o, err := e.open(ctx, req, nil)
	if err != nil {
		return model.Answer{}, err
	}
	alongside := o.weigh(true)
	req = o.req
	a, res, m := o.answer(), o.res, o.m
	cur, old := res.Total.Values[m], res.Total.CompareValues[m]
	if cur == nil && old == nil {
		noData(req, &a, m)
		return a, nil
	}
	c := describeChange(m, cur, old)
	f := wording.PeriodChange{Subject: headSubject(req, m), MetricName: wording.MidSentence(wording.MetricName(m)), PeriodLabel: periodLabel(req.Period),
		Value: wording.Metric(m, cur), CompareValue: wording.Metric(m, old), Direction: c.direction, ChangeAbs: c.abs, CompareLabel: strings.TrimPrefix(periodLabel(*req.Compare), "for ")}
	if !c.ok {
		switch {
		case old == nil:
			a.Summary = fmt.Sprintf("%s %s %s was %s. There is no %s data for %s to compare it with.", f.Subject, f.MetricName, f.PeriodLabel, f.Value, f.MetricName, f.CompareLabel)
		case cur == nil:
			a.Summary = fmt.Sprintf("There is no %s data%s %s; %s it was %s.", f.MetricName, forSubject(req.Filters), f.PeriodLabel, f.CompareLabel, f.CompareValue)
		default:
			a.Summary = fmt.Sprintf("%s %s %s was %s, against %s %s: a change from zero can't be put as a percentage.", f.Subject, f.MetricName, f.PeriodLabel, f.Value, f.CompareValue, f.CompareLabel)
		}
		return a, nil
	}
	a.Summary = wording.Say("compare_periods", f)
	if c.steady {
		a.Summary = wording.Say("compare_steady", f)
	}
	if alongside != "" {
		a.Summary += " Alongside it: " + alongside + "."
	}
	if a.SoWhat, err = e.explainChange(ctx, o.q, res, m, compareLabel(req.Compare), req.Hidden, req.Filters); err != nil {
		return a, err
	}
	more, next, err := e.context(ctx, o.around(), m, cur)
	a.SoWhat = beforeNext(a.SoWhat, more, next)
	return a, err
}

// compareEntities puts platforms, campaigns or categories side by side.
func (e *Engine) compareEntities(ctx context.Context, req question.Request) (model.Answer, error) {
	o, err := e.open(ctx, req, noLimit)
	if err != nil {
		return model.Answer{}, err
	}
	a, res, m, mt := o.answer(), o.res, o.m, o.mt
	dim := req.GroupBy[0]
	var parts []string
	for _, r := range res.Rows {
		parts = append(parts, wording.DimValue(dim, r.Key[dim])+" "+wording.Metric(m, r.Values[m]))
	}
	if len(parts) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	a.Summary = wording.Say("compare_entities", wording.SideBySide{MetricName: mt.Name, PeriodLabel: periodLabel(req.Period), Ranking: strings.Join(parts, " vs ")})
	judged, notes, err := e.dropReach(ctx, o.q, res.Rows, m, dim, "Not judged on "+wording.MidSentence(mt.Name), 0)
	if err != nil {
		return a, err
	}
	a.Notes = append(a.Notes, notes...)
	if a.SoWhat, err = e.judgeRanked(ctx, o.q, mt, dim, judged, req.Hidden); err != nil {
		return a, err
	}
	if m == model.ROAS && dim == model.DimPlatform {
		if s, err := e.roasFooting(ctx, req, judged); err != nil || s != "" {
			a.SoWhat = s
			return a, err
		}
	}
	return a, nil
}
