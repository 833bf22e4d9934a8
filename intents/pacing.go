package intents

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/wording"
)

func (e *Engine) pacing(ctx context.Context, req Request) (model.Answer, error) {
	req.Metrics = []string{"spend", "budget", "pacing"}
	if len(req.GroupBy) == 0 {
		req.GroupBy = []string{model.DimPlatform}
	}
	q := query(req)
	q.Compare = nil
	q.Limit = 0
	q.OrderBy = "pacing"
	a := base(req, q)
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return a, err
	}
	notes, err := e.budgetThroughLastDay(ctx, req, res)
	if err != nil {
		return a, err
	}
	a.Notes = append(a.Notes, notes...)
	a = fill(a, q, res)
	if res.Total.Values["budget"] == nil || res.Total.Values["spend"] == nil {
		a.Summary = fmt.Sprintf("There is no budget%s to pace against %s.", map[bool]string{true: " or spend", false: ""}[res.Total.Values["spend"] == nil], periodLabel(req.Period))
		a.SoWhat = "Next: import monthly budgets (sowhat ingest budgets.csv with month, platform, budget) so pacing can be tracked."
		return a, nil
	}
	monthStart := period.MonthStart(req.Period.End)
	month := period.Period{Start: monthStart, End: monthStart.AddDate(0, 1, -1)}
	mq := q
	mq.Period = month
	mq.Metrics, mq.OrderBy = []string{"budget"}, ""
	mres, err := e.st.Run(ctx, mq)
	if err != nil {
		return a, err
	}
	elapsed := float64(req.Period.End.Sub(maxDay(req.Period.Start, monthStart)).Hours()/24) + 1
	days := float64(month.Days())
	spend := *res.Total.Values["spend"]
	projected := spend / elapsed * days
	f := wording.Facts{PeriodLabel: wording.PeriodText(dr(req.Period)), Value: wording.Value(model.UnitCurrency, &spend), Budget: wording.Metric("budget", res.Total.Values["budget"]),
		Pacing: wording.Value(model.UnitPercent, res.Total.Values["pacing"]), Projected: wording.Value(model.UnitCurrency, &projected), MonthBudget: wording.Metric("budget", mres.Total.Values["budget"])}
	a.Summary = wording.Say("pacing", f)
	a.Notes = append(a.Notes, "Month-end projection = month-to-date spend ÷ days elapsed × days in the month.")
	monthBudget := map[string]float64{}
	for _, r := range mres.Rows {
		if v := r.Values["budget"]; v != nil {
			monthBudget[r.Key[model.DimPlatform]] = *v
		}
	}
	a.SoWhat = pacingSoWhat(res.Rows, monthBudget, elapsed, days)
	return a, nil
}

func maxDay(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// pacingBand is how far from plan counts as over or under.
const pacingBand = 0.05

func pacingSoWhat(rows []model.Row, monthBudget map[string]float64, elapsed, days float64) string {
	var over, under []model.Row
	for _, r := range rows {
		p := r.Values["pacing"]
		if p == nil {
			continue
		}
		switch {
		case *p > 1+pacingBand:
			over = append(over, r)
		case *p < 1-pacingBand:
			under = append(under, r)
		}
	}
	sort.SliceStable(over, func(i, j int) bool { return *over[i].Values["pacing"] > *over[j].Values["pacing"] })
	var b strings.Builder
	if len(over) == 0 && len(under) == 0 {
		return "Every platform is within 5% of its plan. " + wording.Say("next_on_plan", wording.Facts{})
	}
	for _, r := range over {
		p := *r.Values["pacing"]
		extra := (*r.Values["spend"] - *r.Values["budget"]) / elapsed
		fmt.Fprintf(&b, "%s is %s over plan (about %s a day more than budgeted). ", model.PlatformName(r.Key[model.DimPlatform]), wording.Value(model.UnitPercent, model.Float(p-1)), wording.Value(model.UnitCurrency, &extra))
	}
	for _, r := range under {
		fmt.Fprintf(&b, "%s is %s under plan. ", model.PlatformName(r.Key[model.DimPlatform]), wording.Value(model.UnitPercent, model.Float(1-*r.Values["pacing"])))
	}
	if len(over) > 0 {
		mb := monthBudget[over[0].Key[model.DimPlatform]]
		trim := trimToLand(over[0], mb, elapsed, days)
		f := wording.Facts{Focus: model.PlatformName(over[0].Key[model.DimPlatform]), Trim: wording.Value(model.UnitPercent, &trim)}
		if mb > 0 && days > elapsed {
			f.MonthBudget = wording.Value(model.UnitCurrency, &mb)
		}
		b.WriteString(wording.Say("next_over", f))
	} else {
		b.WriteString(wording.Say("next_under", wording.Facts{Focus: model.PlatformName(under[0].Key[model.DimPlatform])}))
	}
	return strings.TrimSpace(b.String())
}

// trimToLand is the cut in daily spend that lands the month on its budget:
// what is left of the budget spread over the days left, against today's
// daily run rate. With no days left (or the budget already gone) it is the
// cut that would have kept the pace on plan.
func trimToLand(r model.Row, monthBudget, elapsed, days float64) float64 {
	spend, pacing := *r.Values["spend"], *r.Values["pacing"]
	left := days - elapsed
	rate := spend / elapsed
	if left <= 0 || monthBudget <= spend || rate == 0 {
		return 1 - 1/pacing
	}
	return 1 - (monthBudget-spend)/left/rate
}

// budgetThroughLastDay pro-rates each platform's budget only through the last
// day its data covers: a platform whose export is two days late has not
// underspent, its spend is just not in yet.
func (e *Engine) budgetThroughLastDay(ctx context.Context, req Request, res *data.Result) (notes []string, err error) {
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return nil, err
	}
	last := map[string]time.Time{}
	for _, f := range fresh {
		last[f.Source] = f.LastDay
	}
	days := float64(req.Period.Days())
	var spend, budget float64
	for _, r := range res.Rows {
		p := r.Key[model.DimPlatform]
		if l, ok := last[p]; ok && l.Before(req.Period.End) && !l.Before(req.Period.Start) && r.Values["budget"] != nil {
			covered := float64(l.Sub(req.Period.Start).Hours()/24) + 1
			r.Values["budget"] = model.Float(*r.Values["budget"] * covered / days)
			if r.Values["spend"] != nil && *r.Values["budget"] != 0 {
				r.Values["pacing"] = model.Float(*r.Values["spend"] / *r.Values["budget"])
			}
			notes = append(notes, fmt.Sprintf("%s data ends %s, so its budget is pro-rated through that day.", model.PlatformName(p), l.Format("Jan 2")))
		}
		if r.Values["spend"] != nil {
			spend += *r.Values["spend"]
		}
		if r.Values["budget"] != nil {
			budget += *r.Values["budget"]
		}
	}
	if len(res.Rows) > 0 && res.Total.Values["budget"] != nil {
		res.Total.Values["budget"] = model.Float(budget)
		if budget != 0 {
			res.Total.Values["pacing"] = model.Float(spend / budget)
		}
	}
	sort.SliceStable(res.Rows, func(i, j int) bool {
		a, b := res.Rows[i].Values["pacing"], res.Rows[j].Values["pacing"]
		return a != nil && (b == nil || *a > *b)
	})
	return notes, nil
}
