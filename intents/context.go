package intents

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// trailingDays is the window a single day is measured against.
const trailingDays = 28

// context adds what an executive needs to read a figure: spend against its
// budget, attributed revenue against what the business booked, and a
// single day against its trailing average. Every figure is queried; a
// context that can't be computed is left out.
func (e *Engine) context(ctx context.Context, req question.Request, metric model.MetricID, value *float64) (text, next string, err error) {
	if value == nil {
		return "", "", nil
	}
	var parts []string
	add := func(s string, err error) error {
		if s != "" {
			parts = append(parts, s)
		}
		return err
	}
	switch metric {
	case model.Spend:
		line, n, err := e.budgetContext(ctx, req)
		if err != nil {
			return "", "", err
		}
		add(line, nil)
		next = n
	case model.Revenue, model.ROAS:
		if metric == model.ROAS && hides(req, model.MER) {
			// ROAS over the platforms' share of business revenue is MER:
			// the two side by side would show it.
			break
		}
		if err := add(e.businessContext(ctx, req)); err != nil {
			return "", "", err
		}
	}
	if req.Period.Days() == 1 {
		if err := add(e.trailingContext(ctx, req, metric, value)); err != nil {
			return "", "", err
		}
	}
	for _, p := range parts {
		text += " " + p
	}
	return text, next, nil
}

// pacingNext is the next step for month-to-date spend off its plan, ""
// when on plan. It names the platform with the largest dollar gap in the
// direction of the total's, never the metric.
func pacingNext(rows []model.Row, pacing *float64) string {
	if pacing == nil {
		return ""
	}
	over, under := offPlan(rows)
	switch p := *pacing; {
	case p > 1+pacingBand && len(over) > 0:
		trim := 1 - 1 / *over[0].Values[model.Pacing]
		return wording.Say("next_over", wording.Overspend{Focus: model.PlatformName(over[0].Key[model.DimPlatform]), Trim: wording.OffBy(trim)})
	case p < 1-pacingBand && len(under) > 0:
		return wording.Say("next_under", wording.Next{Focus: model.PlatformName(under[0].Key[model.DimPlatform])})
	}
	return ""
}

// onlyPlatforms reports whether the request is sliced by platform at most:
// budgets and business data have nothing finer.
func onlyPlatforms(req question.Request) bool {
	for d := range req.Filters {
		if d != model.DimPlatform {
			return false
		}
	}
	return true
}

// budgetContext words spend against its plan, and the step it calls for:
// a month to date is paced (and may be trimmed or raised), a closed month
// is reported as closed, one day is set against the plan for that day, and
// any other span is only measured — a week is not a pace to act on.
func (e *Engine) budgetContext(ctx context.Context, req question.Request) (line, next string, err error) {
	if !onlyPlatforms(req) {
		return "", "", nil
	}
	q := query(req)
	q.Metrics, q.GroupBy, q.Compare, q.Limit = []model.MetricID{model.Spend, model.Budget, model.Pacing}, []string{model.DimPlatform}, nil, 0
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return "", "", err
	}
	// A platform whose data is late has not underspent.
	if _, _, err := e.budgetThroughLastDay(ctx, req, res); err != nil {
		return "", "", err
	}
	p, budget := res.Total.Values[model.Pacing], res.Total.Values[model.Budget]
	if p == nil {
		return "", "", nil
	}
	ms := period.MonthStart(req.Period.End)
	me := ms.AddDate(0, 1, -1)
	switch {
	case req.Period.Days() == 1:
		line, err := e.dayPlan(ctx, req, res.Total.Values[model.Spend], res.Rows)
		return line, "", err
	case req.Period.End.Equal(me) && req.Period.Start.Equal(ms):
		return fmt.Sprintf("%s closed at %s of its plan (%s).", ms.Format("January 2006"), wording.Value(model.UnitPercent, p), wording.Metric(model.Budget, budget)), "", nil
	case req.Period.End.Equal(me) && req.Period.Start.After(ms):
		line, err := e.spanPlan(ctx, q, *p, budget, ms, me, req.Period, "That period closed at %s of its pro-rated plan (%s).")
		return line, "", err
	case req.Period.Start.Equal(ms):
		// As a pacing answer does: spend off an even split but on plan
		// against how the same days spent the month a year earlier is not
		// acted on, and the line says why.
		rows, total := res.Rows, *p
		share, ok, err := e.sameDaysShare(ctx, q, period.Period{Start: ms, End: me}, ms, req.Period.End)
		if err != nil {
			return "", "", err
		}
		line = fmt.Sprintf("That is %s of the pro-rated budget (%s).", wording.Value(model.UnitPercent, p), wording.Metric(model.Budget, budget))
		if even := float64(req.Period.Days()) / float64(me.Day()); ok && math.Abs(total-1) > pacingBand && math.Abs(total/(share/even)-1) <= pacingBand {
			rows, _ = onPattern(res.Rows, func(model.Row) float64 { return share / even })
			total /= share / even
			line += " " + fmt.Sprintf("A year earlier the same days took %s of the month's spend, not %s: on that pattern it is %s of plan.",
				wording.Value(model.UnitPercent, &share), wording.Value(model.UnitPercent, &even), wording.Value(model.UnitPercent, &total))
		}
		return line, pacingNext(rows, &total), nil
	}
	if req.Period.Start.After(ms) {
		line, err := e.spanPlan(ctx, q, *p, budget, ms, me, req.Period, "That is %s of the pro-rated budget (%s).")
		return line, next, err
	}
	return fmt.Sprintf("That is %s of the pro-rated budget (%s).", wording.Value(model.UnitPercent, p), wording.Metric(model.Budget, budget)), next, nil
}

// spanPlan sets a span of days inside one month (a week, the last 7 days)
// against its budget: pro-rated evenly, and, where the same days a year
// earlier took another share of the month's spend, against that pattern
// too. Black Friday week spends half again an even week's share: 152% of
// an even split is about its plan. lead words the even figure.
func (e *Engine) spanPlan(ctx context.Context, q data.Query, pacing float64, budget *float64, ms, me time.Time, p period.Period, lead string) (string, error) {
	line := fmt.Sprintf(lead, wording.Value(model.UnitPercent, &pacing), wording.Metric(model.Budget, budget))
	share, ok, err := e.sameDaysShare(ctx, q, period.Period{Start: ms, End: me}, p.Start, p.End)
	if err != nil || !ok {
		return line, err
	}
	even := float64(p.Days()) / float64(me.Day())
	if math.Abs(share/even-1) < pacingBand {
		return line, nil
	}
	on := pacing / (share / even)
	return line + " " + fmt.Sprintf("A year earlier the same days took %s of the month's spend, not %s: on that pattern it is %s of plan.",
		wording.Value(model.UnitPercent, &share), wording.Value(model.UnitPercent, &even), wording.Value(model.UnitPercent, &on)), nil
}

// dayPlan sets one day's spend against the plan for that day. Budgets are
// monthly; a day's share of its month is taken from the same weeks a year
// earlier (52 weeks back, so Cyber Monday meets Cyber Monday), which is
// how the month's spend really falls. Without that year, the day is set
// against an even share and said not to be a pace.
//
// rows are the day's spend and budget by platform; a platform whose data
// does not reach the day is left out of the plan, as its spend is.
func (e *Engine) dayPlan(ctx context.Context, req question.Request, spend *float64, rows []model.Row) (string, error) {
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return "", err
	}
	last := map[string]time.Time{}
	for _, f := range fresh {
		last[f.Source] = f.LastDay
	}
	var in []string
	share := 0.0
	for _, r := range rows {
		p := r.Key[model.DimPlatform]
		if l, ok := last[p]; (ok && l.Before(req.Period.Start)) || r.Values[model.Budget] == nil {
			continue
		}
		in = append(in, p)
		share += *r.Values[model.Budget]
	}
	if spend == nil || share == 0 {
		return "", nil
	}
	evenShare := &share
	ms := period.MonthStart(req.Period.Start)
	month := period.Period{Start: ms, End: ms.AddDate(0, 1, -1)}
	q := query(req)
	q.Metrics, q.GroupBy, q.Compare, q.Limit = []model.MetricID{model.Budget}, nil, nil, 0
	q.Period = month
	q.Filters[model.DimPlatform] = in
	mres, err := e.st.Run(ctx, q)
	if err != nil {
		return "", err
	}
	monthBudget := mres.Total.Values[model.Budget]
	even := fmt.Sprintf("That is %s of an even day's share of the %s budget (%s); one day is not a pace, so it is not judged as one.",
		wording.Value(model.UnitPercent, model.Float(*spend / *evenShare)), ms.Format("January"), wording.Metric(model.Budget, evenShare))
	if monthBudget == nil {
		return even, nil
	}
	back := func(d time.Time) time.Time { return d.AddDate(0, 0, -364) }
	window := period.Period{Start: back(month.Start), End: back(month.End)}
	if start, err := e.dataStart(ctx, req); err != nil || start.IsZero() || window.Start.Before(start) {
		return even, err
	}
	q.Metrics = []model.MetricID{model.Spend}
	q.Period = window
	wres, err := e.st.Run(ctx, q)
	if err != nil {
		return "", err
	}
	q.Period = period.Period{Start: back(req.Period.Start), End: back(req.Period.Start)}
	dres, err := e.st.Run(ctx, q)
	if err != nil {
		return "", err
	}
	ws, ds := wres.Total.Values[model.Spend], dres.Total.Values[model.Spend]
	if ws == nil || ds == nil || *ws == 0 || *ds == 0 {
		return even, nil
	}
	plan := *monthBudget * *ds / *ws
	return fmt.Sprintf("That is %s of the plan for that day (%s: the %s budget spread over its days as the same weeks a year earlier spent).",
		wording.Value(model.UnitPercent, model.Float(*spend/plan)), wording.Value(model.UnitCurrency, &plan), ms.Format("January")), nil
}

// businessContext sets what the platforms claim against what the business
// booked: only for an answer about every platform, as the business's
// revenue has no platform, campaign or category to set a part against.
func (e *Engine) businessContext(ctx context.Context, req question.Request) (string, error) {
	if len(req.Filters) > 0 {
		return "", nil
	}
	q := query(req)
	// MER is said beside them only to a reader who may see it.
	q.Metrics, q.GroupBy, q.Compare, q.Limit = model.Visible([]model.MetricID{model.Revenue, model.BusinessRevenue, model.MER}, req.Hidden), nil, nil, 0
	biz := q
	biz.Filters = nil
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return "", err
	}
	all, err := e.st.Run(ctx, biz)
	if err != nil {
		return "", err
	}
	attributed, booked := res.Total.Values[model.Revenue], all.Total.Values[model.BusinessRevenue]
	if attributed == nil || booked == nil || *booked == 0 {
		return "", nil
	}
	s := fmt.Sprintf("Platforms claim %s, %s of the %s the business booked", wording.Metric(model.Revenue, attributed), wording.Value(model.UnitPercent, model.Float(*attributed / *booked)), wording.Metric(model.BusinessRevenue, booked))
	if len(req.Filters) == 0 && !hides(req, model.MER) && all.Total.Values[model.MER] != nil {
		s += fmt.Sprintf("; blended MER is %s", wording.Metric(model.MER, all.Total.Values[model.MER]))
	}
	return s + ".", nil
}

func (e *Engine) trailingContext(ctx context.Context, req question.Request, metric model.MetricID, value *float64) (string, error) {
	day := req.Period.Start
	window := period.Period{Start: day.AddDate(0, 0, -trailingDays), End: day.AddDate(0, 0, -1)}
	if start, err := e.dataStart(ctx, req); err != nil || !covered(window, start) {
		return "", err // a window the data does not fill is no average
	}
	q := query(req)
	q.Metrics, q.GroupBy, q.Compare, q.Limit = []model.MetricID{metric}, nil, nil, 0
	q.Period = dr(window)
	res, err := e.st.Run(ctx, q)
	if err != nil || res.Total.Values[metric] == nil {
		return "", err
	}
	base := *res.Total.Values[metric]
	mt, _ := model.LookupMetric(metric)
	label := "the trailing 28-day rate"
	if mt.Ratio == nil {
		base /= trailingDays // a daily average of a sum
		label = "the trailing 28-day daily average"
	}
	c := describeChange(metric, value, &base)
	if !c.ok {
		return "", nil
	}
	return fmt.Sprintf("That is %s %s (%s).", directionWord(c), label, wording.Metric(metric, &base)), nil
}

// DayPlans is each platform's plan for one day: its month's budget spread
// over the month's days as the same days a year earlier (52 weeks back,
// so Black Friday meets Black Friday) took its spend. A platform with no
// budget for the month, or no spend on that month a year earlier, has no
// entry: its plan is an even share of its budget. filters narrow the
// platforms.
func (e *Engine) DayPlans(ctx context.Context, day time.Time, filters map[string][]string) (map[string]float64, error) {
	ms := period.MonthStart(day)
	month := period.Period{Start: ms, End: ms.AddDate(0, 1, -1)}
	back := func(d time.Time) time.Time { return d.AddDate(0, 0, -364) }
	window := period.Period{Start: back(month.Start), End: back(month.End)}
	start, err := e.dataStart(ctx, question.Request{Metrics: []model.MetricID{model.Spend}, Filters: filters})
	if err != nil || start.IsZero() || window.Start.Before(start) {
		return nil, err
	}
	q := data.Query{Metrics: []model.MetricID{model.Budget}, Period: month, Filters: filters, GroupBy: []string{model.DimPlatform}}
	budgets, err := e.st.Run(ctx, q)
	if err != nil {
		return nil, err
	}
	q.Metrics, q.Period = []model.MetricID{model.Spend}, window
	whole, err := e.st.Run(ctx, q)
	if err != nil {
		return nil, err
	}
	q.Period = period.Period{Start: back(day), End: back(day)}
	then, err := e.st.Run(ctx, q)
	if err != nil {
		return nil, err
	}
	byKey := func(res *data.Result, m model.MetricID) map[string]float64 {
		out := map[string]float64{}
		for _, r := range res.Rows {
			if v := r.Values[m]; v != nil {
				out[r.Key[model.DimPlatform]] = *v
			}
		}
		return out
	}
	b, w, d := byKey(budgets, model.Budget), byKey(whole, model.Spend), byKey(then, model.Spend)
	plans := map[string]float64{}
	for p, budget := range b {
		if w[p] > 0 && d[p] > 0 {
			plans[p] = budget * d[p] / w[p]
		}
	}
	return plans, nil
}
