package intents

import (
	"context"
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// trend follows a figure day by day, week by week or month by month.
func (e *Engine) trend(ctx context.Context, req question.Request) (model.Answer, error) {
	grain := model.DimWeek
	var rest []string
	for _, d := range req.GroupBy {
		if model.IsTimeDimension(d) {
			grain = d
		} else {
			rest = append(rest, d)
		}
	}
	req.GroupBy = append([]string{grain}, rest...)
	o, err := e.open(ctx, req, func(q *data.Query) { q.Compare, q.Limit = nil, 0 })
	if err != nil {
		return model.Answer{}, err
	}
	a, res, m, mt := o.answer(), o.res, o.m, o.mt
	if len(res.Rows) == 0 || len(rest) > 0 {
		if len(res.Rows) == 0 {
			noData(req, &a, m)
		} else {
			a.Summary = fmt.Sprintf("%s %s %s, by %s and %s.", headSubject(req, m), mt.Name, periodLabel(req.Period), grain, strings.Join(rest, ", "))
		}
		return a, nil
	}
	var pts []model.Row
	for _, r := range res.Rows {
		if r.Values[m] != nil {
			pts = append(pts, r)
		}
	}
	if len(pts) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	first, last := pts[0], pts[len(pts)-1]
	peak := pts[0]
	for _, r := range pts {
		if *r.Values[m] > *peak.Values[m] {
			peak = r
		}
	}
	c := describeChange(m, last.Values[m], first.Values[m])
	grainWord := map[string]string{model.DimDay: "daily", model.DimWeek: "weekly", model.DimMonth: "monthly"}[grain]
	f := wording.Trend{Subject: headSubject(req, m), Grain: grainWord, MetricName: wording.MidSentence(mt.Name), PeriodLabel: periodLabel(req.Period),
		First: wording.Metric(m, first.Values[m]), FirstLabel: wording.DisplayName(grain, first.Key[grain]), Last: wording.Metric(m, last.Values[m]), LastLabel: wording.DisplayName(grain, last.Key[grain]),
		Direction: c.direction, ChangeAbs: c.abs, Peak: wording.Metric(m, peak.Values[m]), PeakLabel: wording.DisplayName(grain, peak.Key[grain])}
	if !c.ok {
		f.Direction, f.ChangeAbs = "a change that", "can't be measured"
	}
	a.Summary = wording.Say("trend", f)
	a.SoWhat = trendSoWhat(mt, pts, c, grainWord)
	return a, nil
}

// trendSoWhat compares the latest point with the average of the others.
func trendSoWhat(mt model.Metric, pts []model.Row, c change, grain string) string {
	if len(pts) < 3 {
		return ""
	}
	sum := 0.0
	for _, r := range pts[:len(pts)-1] {
		sum += *r.Values[mt.ID]
	}
	avg := sum / float64(len(pts)-1)
	last := pts[len(pts)-1].Values[mt.ID]
	vs := describeChange(mt.ID, last, &avg)
	if !vs.ok {
		return ""
	}
	text := fmt.Sprintf("The latest %s is %s the average of the earlier ones (%s)", strings.TrimSuffix(strings.TrimSuffix(grain, "ly"), "i")+"", directionWord(vs), wording.Metric(mt.ID, &avg))
	if grain == "daily" {
		text = fmt.Sprintf("The latest day is %s the average of the earlier ones (%s)", directionWord(vs), wording.Metric(mt.ID, &avg))
	}
	text += "."
	switch {
	case vs.steady || model.IsNeutral(mt.ID):
		return text + " Next: no action needed beyond the usual checks."
	case vs.good:
		return text + " Next: find what changed in the latest period and do more of it."
	default:
		return text + " Next: look at what changed in the latest period — ask \"why\" for the drivers."
	}
}

// directionWord puts a change against a reference: "12.4% above", "in line with".
func directionWord(c change) string {
	switch {
	case c.steady:
		return "in line with"
	case c.rel > 0:
		return c.abs + " above"
	default:
		return c.abs + " below"
	}
}
