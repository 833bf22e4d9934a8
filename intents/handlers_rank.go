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
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// minSpendShare keeps rankings by a ratio honest: groups with less than this
// share of spend are left out, so a campaign with $12 and one conversion
// does not "win" on CPA.
const minSpendShare = 0.005

func plural(dim string) string {
	switch dim {
	case model.DimCategory:
		return "categories"
	case model.DimCampaignType:
		return "campaign types"
	}
	return strings.ReplaceAll(dim, "_", " ") + "s"
}

func (e *Engine) top(ctx context.Context, req question.Request) (model.Answer, error) {
	if len(req.GroupBy) == 0 {
		req.GroupBy = []string{model.DimCampaign}
	}
	limit := req.Limit
	switch {
	case limit <= 0 && len(req.Having) > 0:
		limit = 1 << 30 // every group past the threshold
	case limit <= 0:
		limit = 5
	}
	m := req.Metrics[0]
	mt, _ := model.LookupMetric(m)
	q := query(req)
	q.Limit = 0
	q.OrderBy = m
	if mt.Ratio != nil && !contains(q.Metrics, "spend") && len(req.Filters) >= 0 && m != "pacing" {
		q.Metrics = append(q.Metrics, "spend")
	}
	a := base(req, q)
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return a, err
	}
	dim := req.GroupBy[0]
	if mt.Ratio != nil && res.Total.Values["spend"] != nil {
		floor := *res.Total.Values["spend"] * minSpendShare
		kept := res.Rows[:0]
		dropped := 0
		for _, r := range res.Rows {
			if r.Values["spend"] != nil && *r.Values["spend"] < floor {
				dropped++
				continue
			}
			kept = append(kept, r)
		}
		res.Rows = kept
		if dropped > 0 {
			a.Notes = append(a.Notes, fmt.Sprintf("Left out %d %s with under %.1f%% of spend, whose %s is noise.", dropped, plural(dim), minSpendShare*100, mt.Name))
		}
	}
	// Rows with no value cannot be ranked, and a group with no name (the
	// campaigns without a category) is not a contender.
	ranked := res.Rows[:0]
	for _, r := range res.Rows {
		if r.Values[m] != nil && r.Key[dim] != "" {
			ranked = append(ranked, r)
		}
	}
	res.Rows = ranked
	if len(res.Rows) > limit {
		res.Rows = res.Rows[:limit]
	}
	a = fill(a, q, res)
	if len(req.Having) > 0 {
		a.Summary = thresholdSummary(req, mt, dim, res.Rows)
		if len(res.Rows) > 0 {
			a.SoWhat = topSoWhat(mt, dim, res.Rows[0], res.Total, req.Ascending)
		}
		return a, nil
	}
	if len(res.Rows) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	extreme, extremes := "highest", "Top"
	if req.Ascending {
		extreme, extremes = "lowest", "Bottom"
	}
	var parts []string
	for i, r := range res.Rows {
		parts = append(parts, fmt.Sprintf("%d. %s %s", i+1, wording.DimValue(dim, r.Key[dim]), wording.Metric(m, r.Values[m])))
	}
	lead := res.Rows[0]
	a.Summary = wording.Say("top", wording.Facts{Limit: limit, Leader: wording.DimValue(dim, lead.Key[dim]), Extreme: extreme, MetricName: wording.MidSentence(mt.Name),
		PeriodLabel: periodLabel(req.Period), LeaderValue: wording.Metric(m, lead.Values[m]), Extremes: extremes, Count: len(res.Rows), DimPlural: plural(dim), Ranking: strings.Join(parts, ", ")})
	a.SoWhat = topSoWhat(mt, dim, lead, res.Total, req.Ascending)
	return a, nil
}

func topSoWhat(mt model.Metric, dim string, lead model.Row, total model.Row, asc bool) string {
	name := wording.DimValue(dim, lead.Key[dim])
	v, t := lead.Values[mt.ID], total.Values[mt.ID]
	if v == nil || t == nil {
		return ""
	}
	if mt.Ratio == nil {
		if *t == 0 {
			return ""
		}
		return fmt.Sprintf("%s alone is %s of the total %s. Next: make sure it is not capped by budget, and that its results hold up in incrementality tests.", name, wording.Value(model.UnitPercent, model.Float(*v / *t)), wording.Metric(mt.ID, t))
	}
	good := mt.HigherIsBetter != asc
	if good {
		return fmt.Sprintf("%s's %s of %s compares with %s overall. Next: it is the first candidate for more budget if it has headroom.", name, mt.Name, wording.Metric(mt.ID, v), wording.Metric(mt.ID, t))
	}
	return fmt.Sprintf("%s's %s of %s compares with %s overall. Next: review its bids, audiences and creative, or cap its budget until it recovers.", name, mt.Name, wording.Metric(mt.ID, v), wording.Metric(mt.ID, t))
}

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
	q := query(req)
	q.Compare = nil
	q.Limit = 0
	a, res, err := e.run(ctx, req, q)
	if err != nil {
		return a, err
	}
	m := req.Metrics[0]
	mt, _ := model.LookupMetric(m)
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
	f := wording.Facts{Subject: headSubject(req, m), Grain: grainWord, MetricName: wording.MidSentence(mt.Name), PeriodLabel: periodLabel(req.Period),
		First: wording.Metric(m, first.Values[m]), FirstLabel: grainLabel(grain, first.Key[grain]), Last: wording.Metric(m, last.Values[m]), LastLabel: grainLabel(grain, last.Key[grain]),
		Direction: c.direction, ChangeAbs: c.abs, Peak: wording.Metric(m, peak.Values[m]), PeakLabel: grainLabel(grain, peak.Key[grain])}
	if !c.ok {
		f.Direction, f.ChangeAbs = "a change that", "can't be measured"
	}
	a.Summary = wording.Say("trend", f)
	a.SoWhat = trendSoWhat(mt, pts, c, grainWord)
	return a, nil
}

func grainLabel(grain, key string) string {
	d, err := time.Parse(period.DateLayout, key)
	if err != nil {
		return key
	}
	switch grain {
	case model.DimMonth:
		return d.Format("Jan 2006")
	case model.DimWeek:
		return "week of " + d.Format("Jan 2")
	}
	return d.Format("Mon Jan 2")
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
	case vs.steady || neutral[mt.ID]:
		return text + " Next: no action needed beyond the usual checks."
	case vs.good:
		return text + " Next: find what changed in the latest period and do more of it."
	default:
		return text + " Next: look at what changed in the latest period — ask \"why\" for the drivers."
	}
}

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

func (e *Engine) why(ctx context.Context, req question.Request) (model.Answer, error) {
	if req.Compare == nil {
		p := question.Previous(req.Period)
		req.Compare = &p
	}
	m := req.Metrics[0]
	mt, _ := model.LookupMetric(m)
	q := query(req)
	q.GroupBy = nil
	q.Limit = 0
	total, err := e.st.Run(ctx, q)
	if err != nil {
		return model.Answer{}, err
	}
	cur, old := total.Total.Values[m], total.Total.CompareValues[m]
	c := describeChange(m, cur, old)
	// The answer's rows are the campaigns behind the change, in order of
	// their contribution.
	rq := q
	rq.GroupBy = []string{model.DimCampaign}
	a := base(req, rq)
	a.Total = total.Total
	if cur == nil || old == nil || !c.ok {
		noData(req, &a, m)
		if cur != nil {
			a.Summary = fmt.Sprintf("%s %s %s %s %s, but there is no comparable figure %s to explain a change against.", headSubject(req, m), wording.MidSentence(mt.Name), periodLabel(req.Period), wording.Was(mt.Name), wording.Metric(m, cur), compareLabel(req.Compare))
		}
		return a, nil
	}
	a.Summary = wording.Say("why", wording.Facts{Subject: headSubject(req, m), MetricName: wording.MidSentence(mt.Name), Direction: c.direction, ChangeAbs: c.abs, Change: c.signed, Steady: c.steady,
		PeriodLabel: strings.Replace(compareLabel(req.Compare), "vs ", "from ", 1) + " to " + strings.TrimPrefix(periodLabel(req.Period), "for "), Value: wording.Metric(m, cur), CompareValue: wording.Metric(m, old)})
	if c.steady {
		a.Summary += " That is within normal variation."
	}
	var lines []string
	var campaigns []data.Contribution
	for _, dim := range []string{model.DimPlatform, model.DimCampaign, model.DimCategory} {
		if len(req.Filters[dim]) == 1 {
			continue
		}
		cs, err := e.st.Drivers(ctx, q, m, dim)
		if err != nil {
			return a, err
		}
		if dim == model.DimCampaign {
			campaigns = cs
		}
		if line := driverLine(mt, dim, cs); line != "" {
			lines = append(lines, line)
		}
	}
	for i, ctb := range campaigns {
		if i == 5 {
			break
		}
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimCampaign: ctb.Key}, Values: model.Values{m: ctb.Value}, CompareValues: model.Values{m: ctb.CompareValue}})
	}
	focus := wording.Facts{Focus: "the largest campaigns"}
	if len(campaigns) > 0 && campaigns[0].Delta != 0 {
		focus = wording.Facts{Focus: campaigns[0].Key, Dim: model.DimCampaign}
	}
	next := wording.Say(nextStep(m, c), focus)
	a.SoWhat = strings.Join(lines, " ") + " " + next
	a.SoWhat = strings.TrimSpace(a.SoWhat)
	return a, nil
}

// driverLine names the top contributors of one dimension.
func driverLine(mt model.Metric, dim string, cs []data.Contribution) string {
	if len(cs) == 0 {
		return ""
	}
	total := 0.0
	for _, c := range cs {
		total += c.Delta
	}
	if total == 0 {
		return ""
	}
	var parts []string
	for _, c := range cs {
		if len(parts) == 2 || (c.Delta > 0) != (total > 0) || c.Delta == 0 {
			break
		}
		if c.Key == "" {
			continue // campaigns with no category are not a category
		}
		parts = append(parts, fmt.Sprintf("%s %s", wording.DimValue(dim, c.Key), signedValue(mt, c.Delta)))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("By %s: %s of the %s change.", strings.ReplaceAll(dim, "_", " "), strings.Join(parts, ", "), signedValue(mt, total))
}

func (e *Engine) pacing(ctx context.Context, req question.Request) (model.Answer, error) {
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
func (e *Engine) budgetThroughLastDay(ctx context.Context, req question.Request, res *data.Result) (notes []string, err error) {
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

// thresholdSummary lists the groups past a threshold: "3 campaigns had CPA
// above $40.00 last week: 1. … ".
func thresholdSummary(req question.Request, mt model.Metric, dim string, rows []model.Row) string {
	var conds []string
	for _, h := range req.Having {
		side := "below"
		if h.Above {
			side = "above"
		}
		conds = append(conds, fmt.Sprintf("%s %s %s", wording.MetricName(h.Metric), side, wording.Metric(h.Metric, &h.Value)))
	}
	when := strings.TrimPrefix(periodLabel(req.Period), "for ")
	if len(rows) == 0 {
		return fmt.Sprintf("No %s had %s %s.", plural(dim), wording.JoinAnd(conds), when)
	}
	var parts []string
	for i, r := range rows {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rows)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%d. %s %s", i+1, wording.DimValue(dim, r.Key[dim]), wording.Metric(mt.ID, r.Values[mt.ID])))
	}
	return fmt.Sprintf("%d %s had %s %s: %s.", len(rows), pluralN(len(rows), dim), wording.JoinAnd(conds), when, strings.Join(parts, ", "))
}
