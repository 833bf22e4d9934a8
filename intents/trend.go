package intents

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
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
	if grain != model.DimDay && len(pts) > 1 {
		// A week or month the data stops partway into would read as a
		// fall: it is shown, but the trend is read to the last whole one.
		span, err := e.dataSpan(ctx, req)
		if err != nil {
			return a, err
		}
		end := req.Period.End
		if !span.End.IsZero() && span.End.Before(end) {
			end = span.End
		}
		key := pts[len(pts)-1].Key[grain]
		if whole := bucketSpan(grain, key, period.Period{End: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}); whole.End.After(end) {
			days := int(end.Sub(whole.Start).Hours()/24) + 1
			a.Notes = append(a.Notes, fmt.Sprintf("The trend is read to the last whole %s: the data stops %s, %d of the %d days of the %s.",
				grain, end.Format("Jan 2"), days, int(whole.End.Sub(whole.Start).Hours()/24)+1, wording.DisplayName(grain, key)))
			pts = pts[:len(pts)-1]
		}
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
	if a.SoWhat != "" {
		a.SoWhat = seasonal(a.SoWhat, pts, grain, req.Period)
	}
	return a, nil
}

// seasonal says when a trend's latest point, or the points it is set
// against, hold a retail holiday: a holiday week stands above the weeks
// around it every year, so it is set against the same week a year earlier
// before it is read as a change of trend, and no next step acts on it.
func seasonal(soWhat string, pts []model.Row, grain string, p period.Period) string {
	unit := grain
	latest := bucketSpan(grain, pts[len(pts)-1].Key[grain], p)
	if strings.Contains(soWhat, "in line with") {
		return soWhat
	}
	in := period.HolidayIn
	if grain == model.DimMonth {
		in = period.PeakIn // a holiday weekend does not move a month
	}
	if h := in(latest); h != "" {
		holds := "holds"
		if grain == model.DimDay {
			holds = "is part of"
		}
		return beforeNext(soWhat, fmt.Sprintf(" The latest %s %s %s, which moves it every year: a seasonal swing, not a trend.", unit, holds, h),
			fmt.Sprintf("Next: set it against the same %s a year earlier before acting on it.", unit))
	}
	var earlier []period.Period
	for _, r := range pts[:len(pts)-1] {
		earlier = append(earlier, bucketSpan(grain, r.Key[grain], p))
	}
	if h := in(earlier...); h != "" {
		return beforeNext(soWhat, fmt.Sprintf(" The earlier %ss hold %s, which moves their average.", unit, h),
			fmt.Sprintf("Next: set the latest %s against the same %s a year earlier before acting on it.", unit, unit))
	}
	return soWhat
}

// bucketSpan is the days a time bucket's key stands for, inside p: a day,
// the week from its Monday, the month from its first.
func bucketSpan(grain, key string, p period.Period) period.Period {
	d, err := time.Parse(period.DateLayout, key)
	if err != nil {
		return period.Period{Start: p.End.AddDate(0, 0, 1), End: p.End} // no days
	}
	end := d
	switch grain {
	case model.DimWeek:
		end = d.AddDate(0, 0, 6)
	case model.DimMonth:
		end = d.AddDate(0, 1, -1)
	}
	if d.Before(p.Start) {
		d = p.Start
	}
	if end.After(p.End) {
		end = p.End
	}
	return period.Period{Start: d, End: end}
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
