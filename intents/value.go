package intents

import (
	"context"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// value answers "what was X": the figure, with its change on the period
// before and its context in the so-what.
func (e *Engine) value(ctx context.Context, req question.Request) (model.Answer, error) {
	prev := question.Previous(req.Period)
	o, err := e.open(ctx, req, func(q *data.Query) { c := dr(prev); q.Compare = &c })
	if err != nil {
		return model.Answer{}, err
	}
	alongside := o.weigh(false)
	req = o.req
	a, res, m := alone(o.answer()), o.res, o.m
	if res.Total.Values[m] == nil {
		noData(req, &a, m)
		return a, nil
	}
	a.Summary = wording.Say("value", wording.Figure{Subject: headSubject(req, m), MetricName: wording.MidSentence(wording.MetricName(m)), PeriodLabel: periodLabel(req.Period), Value: wording.Metric(m, res.Total.Values[m])})
	if len(req.Metrics) > 1 {
		var more []string
		for _, x := range req.Metrics[1:] {
			more = append(more, wording.MetricName(x)+" "+wording.Metric(x, res.Total.Values[x]))
		}
		a.Summary += " " + strings.Join(more, ", ") + "."
	}
	if alongside != "" {
		a.Summary += " Against the period before: " + alongside + "."
	}
	if a.SoWhat, err = e.explainChange(ctx, o.q, res, m, compareLabel(&prev), req.Hidden, req.Filters); err != nil {
		return a, err
	}
	if note, err := e.covers(ctx, o.q, m); err != nil {
		return a, err
	} else if note != "" {
		a.Notes = append(a.Notes, note)
	}
	more, next, err := e.context(ctx, o.around(), m, res.Total.Values[m])
	a.SoWhat = beforeNext(a.SoWhat, more, next)
	return a, err
}

// alone takes the comparison out of an answer whose figures stand by
// themselves: the period before only feeds its so-what.
func alone(a model.Answer) model.Answer {
	a.ComparePeriod = nil
	a.Total.CompareValues = nil
	for i := range a.Rows {
		a.Rows[i].CompareValues = nil
	}
	return a
}
