package intents

import (
	"context"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

func (e *Engine) value(ctx context.Context, req Request) (model.Answer, error) {
	q := query(req)
	a := base(req, q)
	prev := previous(req.Period)
	pq := q
	c := dr(prev)
	pq.Compare = &c
	res, err := e.st.Run(ctx, pq)
	if err != nil {
		return a, err
	}
	for i := range res.Rows {
		res.Rows[i].CompareValues = nil
	}
	cmp := res.Total.CompareValues
	res.Total.CompareValues = nil
	a = fill(a, q, res)
	m := req.Metrics[0]
	if res.Total.Values[m] == nil {
		noData(req, &a, m)
		return a, nil
	}
	a.Summary = wording.Say("value", wording.Facts{Subject: headSubject(req, m), MetricName: wording.MidSentence(wording.MetricName(m)), PeriodLabel: periodLabel(req.Period), Value: wording.Metric(m, res.Total.Values[m])})
	if len(req.Metrics) > 1 {
		var more []string
		for _, o := range req.Metrics[1:] {
			more = append(more, wording.MetricName(o)+" "+wording.Metric(o, res.Total.Values[o]))
		}
		a.Summary += " " + strings.Join(more, ", ") + "."
	}
	res.Total.CompareValues = cmp
	start, err := e.dataStart(ctx, req)
	if err != nil {
		return a, err
	}
	if !covered(prev, start) {
		res.Total.CompareValues = nil // the period before is not in the data: no change to tell
	}
	if a.SoWhat, err = e.explainChange(ctx, pq, res, m, compareLabel(&prev)); err != nil {
		return a, err
	}
	more, next, err := e.context(ctx, req, m, res.Total.Values[m])
	a.SoWhat = beforeNext(a.SoWhat, more, next)
	return a, err
}
