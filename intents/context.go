package intents

import (
	"context"
	"fmt"

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
		line, pacing, err := e.budgetContext(ctx, req)
		if err != nil {
			return "", "", err
		}
		add(line, nil)
		next = pacingNext(req, pacing)
	case model.Revenue, model.ROAS:
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

// pacingNext is the next step for spend off its plan, "" when on plan.
func pacingNext(req question.Request, pacing *float64) string {
	if pacing == nil {
		return ""
	}
	focus := subject(req.Filters)
	if focus == "" {
		focus = "the platforms over plan"
	}
	switch p := *pacing; {
	case p > 1+pacingBand:
		trim := 1 - 1/p
		return wording.Say("next_over", wording.Overspend{Focus: focus, Trim: wording.Value(model.UnitPercent, &trim)})
	case p < 1-pacingBand:
		if focus == "the platforms over plan" {
			focus = "Spend"
		}
		return wording.Say("next_under", wording.Next{Focus: focus})
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

func (e *Engine) budgetContext(ctx context.Context, req question.Request) (string, *float64, error) {
	if !onlyPlatforms(req) {
		return "", nil, nil
	}
	q := query(req)
	q.Metrics, q.GroupBy, q.Compare, q.Limit = []model.MetricID{model.Spend, model.Budget, model.Pacing}, []string{model.DimPlatform}, nil, 0
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return "", nil, err
	}
	// A platform whose data is late has not underspent.
	if _, err := e.budgetThroughLastDay(ctx, req, res); err != nil {
		return "", nil, err
	}
	p := res.Total.Values[model.Pacing]
	if p == nil {
		return "", nil, nil
	}
	return fmt.Sprintf("That is %s of the pro-rated budget (%s).", wording.Value(model.UnitPercent, p), wording.Metric(model.Budget, res.Total.Values[model.Budget])), p, nil
}

// businessContext sets what the platforms claim against what the business
// booked: only for an answer about every platform, as the business's
// revenue has no platform, campaign or category to set a part against.
func (e *Engine) businessContext(ctx context.Context, req question.Request) (string, error) {
	if len(req.Filters) > 0 {
		return "", nil
	}
	q := query(req)
	q.Metrics, q.GroupBy, q.Compare, q.Limit = []model.MetricID{model.Revenue, model.BusinessRevenue, model.MER}, nil, nil, 0
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
	if len(req.Filters) == 0 && all.Total.Values[model.MER] != nil {
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
