package intents

import (
	"context"
	"fmt"
	"math"
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
	grainWord := grainWords[grain]
	f := wording.Trend{Subject: headSubject(req, m), Grain: grainWord, MetricName: wording.MidSentence(mt.Name), PeriodLabel: periodLabel(req.Period),
		First: wording.Metric(m, first.Values[m]), FirstLabel: wording.DisplayName(grain, first.Key[grain]), Last: wording.Metric(m, last.Values[m]), LastLabel: wording.DisplayName(grain, last.Key[grain]),
		Direction: c.direction, ChangeAbs: c.abs, Peak: wording.Metric(m, peak.Values[m]), PeakLabel: wording.DisplayName(grain, peak.Key[grain])}
	if !c.ok {
		f.Direction, f.ChangeAbs = "a change that", "can't be measured"
	}
	a.Summary = wording.Say("trend", f)
	a.SoWhat = trendSoWhat(mt, pts, c, grainWord)
	if a.SoWhat != "" && len(pts) >= 3 {
		if a.SoWhat, err = e.seasonal(ctx, o.q, mt, a.SoWhat, pts, grain, req.Period); err != nil {
			return a, err
		}
	}
	return a, nil
}

// seasonal reads a trend's latest point against the season when it, or
// the points it is set against, hold a retail holiday. A holiday week
// stands apart from the weeks around it in most years, but not always, and
// not always by as much: the latest point is set against the same points
// a year earlier (52 weeks back, a year for months). Where the year before
// moved the same way and about as far, the move is the season's, and
// nothing follows from it; where it did not, the move is beyond the
// season, and is read as one. Without that year, the answer says the
// holiday is there and asks for the comparison, acting on neither. A
// holiday among the earlier points is left out of their average.
func (e *Engine) seasonal(ctx context.Context, q data.Query, mt model.Metric, soWhat string, pts []model.Row, grain string, p period.Period) (string, error) {
	in := period.HolidayIn
	if grain == model.DimMonth {
		in = period.PeakIn // a holiday weekend does not move a month
	}
	unit := grain
	if strings.Contains(soWhat, "in line with") {
		return soWhat, nil // nothing moved: no season to explain it
	}
	if h := in(bucketSpan(grain, pts[len(pts)-1].Key[grain], p)); h != "" {
		holds := "holds"
		if grain == model.DimDay {
			holds = "is part of"
		}
		now, then, ok, err := e.yearEarlierMove(ctx, q, mt, pts, grain)
		if err != nil {
			return "", err
		}
		if !ok {
			return beforeNext(soWhat, fmt.Sprintf(" The latest %s %s %s, which moves a %s in most years.", unit, holds, h, unit),
				fmt.Sprintf("Next: set it against the same %s a year earlier before reading it as a change of trend.", unit)), nil
		}
		beyond := (1+now)/(1+then) - 1
		year := fmt.Sprintf(" The latest %s %s %s; a year earlier the same %s stood %s the ones before it.", unit, holds, h, unit, offWord(then))
		if math.Abs(beyond) < seasonBand {
			return beforeNext(soWhat, year+" The move is the season's, not a change of trend.", "Next: no action beyond the usual checks."), nil
		}
		good := (beyond > 0) == mt.HigherIsBetter
		more := year + fmt.Sprintf(" Set against the same ones, this one stands %s them: %s what the season alone would give.", offWord(now), offWord(beyond))
		if model.IsNeutral(mt.ID) {
			return beforeNext(soWhat, more, "Next: check that the extra spend was planned."), nil
		}
		if good {
			return beforeNext(soWhat, more, "Next: find what did better than last year's season and do more of it."), nil
		}
		return beforeNext(soWhat, more, "Next: look at what changed — ask \"why\" for the drivers; the season does not explain it."), nil
	}
	var kept []model.Row
	var left []string
	for _, r := range pts[:len(pts)-1] {
		if h := in(bucketSpan(grain, r.Key[grain], p)); h != "" {
			left = append(left, wording.DisplayName(grain, r.Key[grain])+" ("+h+")")
			continue
		}
		kept = append(kept, r)
	}
	if len(left) == 0 || len(kept) < 2 {
		return soWhat, nil
	}
	alt := trendSoWhat(mt, append(kept, pts[len(pts)-1]), change{ok: true}, grainWords[grain])
	if alt == "" {
		return soWhat, nil
	}
	head, next := alt, ""
	if i := strings.Index(alt, " Next: "); i >= 0 {
		head, next = alt[:i], alt[i+1:]
	}
	head = strings.Replace(head, "the average of the earlier ones", "the average of the earlier ones outside "+wording.JoinAnd(left), 1)
	return head + " " + next, nil
}

// seasonBand is how far beyond last year's holiday move a move still
// counts as the season's.
const seasonBand = 0.10

// offWord is a relative move in words: "38.5% above", "12.0% below",
// "in line with".
func offWord(v float64) string {
	switch {
	case math.Abs(v) < steadyBelow:
		return "in line with"
	case v > 0:
		return wording.OffBy(v) + " above"
	}
	return wording.OffBy(-v) + " below"
}

// latestMove is the trend's latest point against the average of the
// others, as a relative move.
func latestMove(mt model.Metric, pts []model.Row, grain string) (float64, bool) {
	sum := 0.0
	for _, r := range pts[:len(pts)-1] {
		sum += *r.Values[mt.ID]
	}
	avg := sum / float64(len(pts)-1)
	last := *pts[len(pts)-1].Values[mt.ID]
	if avg == 0 {
		return 0, false
	}
	return last/avg - 1, true
}

// yearEarlierMove sets the trend's latest point against the others, now
// and over the same points a year earlier (52 weeks back for days and
// weeks, so weekdays and holidays line up; a year back for months), on the
// points both years have whole: now and then are relative moves. ok is
// false without the latest point's year-earlier one and two others.
func (e *Engine) yearEarlierMove(ctx context.Context, q data.Query, mt model.Metric, pts []model.Row, grain string) (now, then float64, ok bool, err error) {
	back := func(d time.Time) time.Time { return d.AddDate(0, 0, -364) }
	if grain == model.DimMonth {
		back = func(d time.Time) time.Time { return d.AddDate(-1, 0, 0) }
	}
	start, err := e.dataStart(ctx, question.Request{Metrics: q.Metrics, Filters: q.Filters})
	if err != nil || start.IsZero() {
		return 0, 0, false, err
	}
	forever := period.Period{End: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}
	first, err1 := time.Parse(period.DateLayout, pts[0].Key[grain])
	last, err2 := time.Parse(period.DateLayout, pts[len(pts)-1].Key[grain])
	if err1 != nil || err2 != nil {
		return 0, 0, false, nil
	}
	yq := q
	yq.Period = period.Period{Start: back(first), End: bucketSpan(grain, back(last).Format(period.DateLayout), forever).End}
	yq.Compare, yq.Limit = nil, 0
	res, err := e.st.Run(ctx, yq)
	if err != nil {
		return 0, 0, false, err
	}
	byKey := map[string]model.Row{}
	for _, r := range res.Rows {
		// Only a point the data covers whole: the first week of the data
		// may hold a day or two.
		if r.Values[mt.ID] != nil && !bucketSpan(grain, r.Key[grain], forever).Start.Before(start) {
			byKey[r.Key[grain]] = r
		}
	}
	var cur, old []model.Row
	for _, r := range pts {
		d, err := time.Parse(period.DateLayout, r.Key[grain])
		if err != nil {
			return 0, 0, false, nil
		}
		if y, ok := byKey[back(d).Format(period.DateLayout)]; ok {
			cur, old = append(cur, r), append(old, y)
		}
	}
	if len(cur) < 3 || cur[len(cur)-1].Key[grain] != pts[len(pts)-1].Key[grain] {
		return 0, 0, false, nil
	}
	now, ok1 := latestMove(mt, cur, grain)
	then, ok2 := latestMove(mt, old, grain)
	return now, then, ok1 && ok2, nil
}

// grainWords are the adjectives of a trend's grains.
var grainWords = map[string]string{model.DimDay: "daily", model.DimWeek: "weekly", model.DimMonth: "monthly"}

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
