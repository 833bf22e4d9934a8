package intents

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// pacing answers "are we on budget": month-to-date spend against its
// pro-rated budget, per group and in total, and where the month lands at
// this pace. A month that has ended is reported as closed — its final share
// of plan, nothing left to trim — with the month that has begun since.
func (e *Engine) pacing(ctx context.Context, req question.Request) (model.Answer, error) {
	req.Metrics = []model.MetricID{model.Spend, model.Budget, model.Pacing}
	if len(req.GroupBy) == 0 {
		req.GroupBy = []string{model.DimPlatform}
	}
	dim := req.GroupBy[0]
	o, err := e.open(ctx, req, func(q *data.Query) { q.Compare, q.Limit, q.OrderBy = nil, 0, model.Pacing })
	if err != nil {
		return model.Answer{}, err
	}
	res := o.res
	notes, ends, err := e.budgetThroughLastDay(ctx, req, res)
	if err != nil {
		return model.Answer{}, err
	}
	among, left := budgetedOnly(res, dim)
	a := o.answer(append(notes, left...)...)
	if res.Total.Values[model.Budget] == nil || res.Total.Values[model.Spend] == nil {
		a.Summary = fmt.Sprintf("There is no budget%s to pace against %s.", map[bool]string{true: " or spend", false: ""}[res.Total.Values[model.Spend] == nil], periodLabel(req.Period))
		a.SoWhat = "Next: import monthly budgets (sowhat ingest budgets.csv with month, platform, budget) so pacing can be tracked."
		return a, nil
	}
	monthStart := period.MonthStart(req.Period.End)
	month := period.Period{Start: monthStart, End: monthStart.AddDate(0, 1, -1)}
	monthBudget, monthTotal, err := e.monthBudgets(ctx, o.q, month, dim)
	if err != nil {
		return a, err
	}
	days := float64(month.Days())
	from := maxDay(req.Period.Start, monthStart)
	elapsed := func(r model.Row) float64 { return float64(ends(r).Sub(from).Hours()/24) + 1 }
	spend := *res.Total.Values[model.Spend]
	if req.Period.End.Equal(month.End) {
		// A closed period is the month, or the span asked for ("last
		// quarter") when it is longer.
		label, name := monthStart.Format("January 2006"), monthStart.Format("January")
		if !req.Period.Start.Equal(monthStart) {
			label = wording.PeriodText(dr(req.Period))
			name = label
		}
		spent := func(r model.Row) float64 { return float64(ends(r).Sub(req.Period.Start).Hours()/24) + 1 }
		f := wording.PacingClosed{Month: label, Among: among, Value: wording.Value(model.UnitCurrency, &spend),
			Budget: wording.Metric(model.Budget, res.Total.Values[model.Budget]), Pacing: wording.Value(model.UnitPercent, res.Total.Values[model.Pacing])}
		if mt := wording.Metric(model.Budget, monthTotal); among == "" && monthTotal != nil && mt != f.Budget && req.Period.Start.Equal(monthStart) {
			f.MonthBudget = mt // a late platform's budget counts only through its last day
		}
		a.Summary = wording.Say("pacing_closed", f)
		next, err := e.monthAfter(ctx, req, o.q, month, dim)
		if err != nil {
			return a, err
		}
		if next.summary != "" {
			a.Summary += " " + next.summary
		}
		for _, n := range next.notes {
			if !slices.Contains(a.Notes, n) {
				a.Notes = append(a.Notes, n)
			}
		}
		a.SoWhat = closedSoWhat(dim, name, res.Rows, spent, next)
		return a, nil
	}
	if past, err := e.pastSpan(ctx, req, a, month); err != nil || past != nil {
		return deref(past, a), err
	}
	// The month does not always spend evenly: where a year earlier shows
	// how the same days spent it, each group is judged and projected on
	// that pattern instead of an even share.
	share, ok, shares, err := e.sameDaysShares(ctx, o.q, month, from, req.Period.End, dim)
	if err != nil {
		return a, err
	}
	even := float64(req.Period.End.Sub(from).Hours()/24+1) / days
	factor := 1.0 // the pattern's share of the month so far against an even split's
	if ok && math.Abs(share/even-1) >= pacingBand {
		factor = share / even
	}
	// Each group goes by its own pattern where it spent a year earlier,
	// else by the whole's; a pattern within the band of an even split is
	// an even split.
	factors := map[string]float64{}
	for _, r := range res.Rows {
		f, own := factor, shares[r.Key[dim]]
		if factor != 1 && own > 0 {
			f = own / even
		}
		if math.Abs(f-1) < pacingBand {
			f = 1
		}
		factors[r.Key[dim]] = f
	}
	// Each group is projected from the days its data covers, as its
	// budget is pro-rated; the month lands where its groups do.
	projected := 0.0
	a.Projected = map[string]float64{}
	for _, r := range res.Rows {
		if s := r.Values[model.Spend]; s != nil {
			p := *s / elapsed(r) * days / factors[r.Key[dim]]
			a.Projected[r.Key[dim]] = cents(p)
			if among == "" || r.Values[model.Budget] != nil {
				projected += p
			}
		}
	}
	a.Projected[""] = cents(projected)
	f := wording.Pacing{PeriodLabel: wording.PeriodText(dr(req.Period)), Among: among, Value: wording.Value(model.UnitCurrency, &spend), Budget: wording.Metric(model.Budget, res.Total.Values[model.Budget]),
		Pacing: wording.Value(model.UnitPercent, res.Total.Values[model.Pacing]), Projected: wording.Value(model.UnitCurrency, &projected), MonthBudget: wording.Metric(model.Budget, monthTotal)}
	if factor != 1 {
		f.Pattern = true
	}
	if req.Period.Start.After(monthStart) {
		f.Span = wording.Capitalize(strings.TrimPrefix(periodLabel(req.Period), "for ")) // "Last week (Nov 9–15, 2026)", not "Month to date"
	}
	a.Summary = wording.Say("pacing", f)
	if factor != 1 {
		a.Notes = append(a.Notes, fmt.Sprintf("Month-end projection = month-to-date spend ÷ the share of the month's spend the same days took a year earlier (%s in all; each %s by its own where it spent then, over the days its data covers).", wording.Value(model.UnitPercent, &share), strings.ReplaceAll(dim, "_", " ")))
	} else {
		a.Notes = append(a.Notes, "Month-end projection = month-to-date spend ÷ days elapsed × days in the month (each platform over the days its data covers).")
	}
	// Budgets are pro-rated evenly, but a month rarely spends evenly: a
	// group is judged against how the same days spent the month a year
	// earlier, and one off an even split yet on plan against that is not
	// acted on.
	rows, held := a.Rows, 0
	if factor != 1 {
		rows, held = onPattern(a.Rows, func(r model.Row) float64 { return factors[r.Key[dim]] })
	}
	who := among
	if asked := req.Filters[dim]; who == "" && len(asked) > 0 {
		who = wording.JoinAnd(dimNames(dim, asked)) // "Criteo is within 5% of its plan", not every platform
	}
	a.SoWhat = pacingSoWhat(dim, who, rows, monthBudget, a.Projected, elapsed, days)
	if factor != 1 {
		pf := wording.PacingPattern{Count: held, Dim: pluralN(held, dim), Share: wording.Value(model.UnitPercent, &share), Even: wording.Value(model.UnitPercent, &even)}
		basis := "pacing_pattern"
		if held == 0 {
			basis = "pacing_pattern_basis"
		}
		if len(offPlanRows(rows)) == 0 {
			a.SoWhat = wording.Say(basis, pf) + " " + wording.Say("next_on_pattern", pf)
		} else {
			a.SoWhat = wording.Say(basis, pf) + " " + a.SoWhat
		}
	}
	return a, nil
}

// sameDaysShare is the share of a month's spend that the same days took a
// year earlier (52 weeks back, so weekdays and holidays line up), over the
// same filters; ok is false without a whole year-earlier month to go by.
func (e *Engine) sameDaysShare(ctx context.Context, q data.Query, month period.Period, from, to time.Time) (float64, bool, error) {
	share, ok, _, err := e.sameDaysShares(ctx, q, month, from, to, "")
	return share, ok, err
}

// sameDaysShares is sameDaysShare in total and, split by dim ("" for
// none), for each group that spent on both the month and the days a year
// earlier: a platform that spends evenly is not judged by a month that
// spends late.
func (e *Engine) sameDaysShares(ctx context.Context, q data.Query, month period.Period, from, to time.Time, dim string) (float64, bool, map[string]float64, error) {
	back := func(d time.Time) time.Time { return d.AddDate(0, 0, -364) }
	q.Metrics, q.GroupBy, q.OrderBy, q.Compare, q.Limit = []model.MetricID{model.Spend}, nil, "", nil, 0
	if dim != "" {
		q.GroupBy = []string{dim}
	}
	start, err := e.dataStart(ctx, question.Request{Metrics: q.Metrics, Filters: q.Filters})
	if err != nil || start.IsZero() || back(month.Start).Before(start) {
		return 0, false, nil, err
	}
	q.Period = period.Period{Start: back(month.Start), End: back(month.End)}
	whole, err := e.st.Run(ctx, q)
	if err != nil {
		return 0, false, nil, err
	}
	q.Period = period.Period{Start: back(from), End: back(to)}
	part, err := e.st.Run(ctx, q)
	if err != nil {
		return 0, false, nil, err
	}
	w, p := whole.Total.Values[model.Spend], part.Total.Values[model.Spend]
	if w == nil || p == nil || *w <= 0 || *p <= 0 {
		return 0, false, nil, nil
	}
	var groups map[string]float64
	if dim != "" {
		wholes := map[string]float64{}
		for _, r := range whole.Rows {
			if v := r.Values[model.Spend]; v != nil {
				wholes[r.Key[dim]] = *v
			}
		}
		groups = map[string]float64{}
		for _, r := range part.Rows {
			if v, w := r.Values[model.Spend], wholes[r.Key[dim]]; v != nil && *v > 0 && w > 0 {
				groups[r.Key[dim]] = *v / w
			}
		}
	}
	return *p / *w, true, groups, nil
}

// cents rounds an amount of money to the cent.
func cents(x float64) float64 { return math.Round(x*100) / 100 }

// onPattern judges the rows against their patterns (factorOf: the share of
// the month the same days took a year earlier over an even share; 1 for an
// even one). A row on
// plan against it has its pacing cleared, so the so-what does not act on
// it; held is how many of those are off an even split. A row off plan
// against it too gets its pacing and its budget to date on the pattern, so
// the so-what says how far off the pattern it is: a platform at 103% of an
// even split is 19% over a month that spends late.
func onPattern(rows []model.Row, factorOf func(model.Row) float64) (out []model.Row, held int) {
	out = make([]model.Row, len(rows))
	for i, r := range rows {
		out[i] = r
		p, b := r.Values[model.Pacing], r.Values[model.Budget]
		factor := factorOf(r)
		if p == nil || factor == 0 {
			continue
		}
		c := model.Row{Key: r.Key, Values: model.Values{}}
		for k, v := range r.Values {
			c.Values[k] = v
		}
		onPlan := *p / factor
		if math.Abs(onPlan-1) <= pacingBand {
			if math.Abs(*p-1) > pacingBand {
				held++
			}
			c.Values[model.Pacing] = nil
		} else {
			// Off plan on the pattern too: its plan to date is the
			// pattern's share of its budget.
			c.Values[model.Pacing] = model.Float(onPlan)
			if b != nil {
				c.Values[model.Budget] = model.Float(*b * factor)
			}
		}
		out[i] = c
	}
	return out, held
}

// offPlanRows are the rows outside the band either way.
func offPlanRows(rows []model.Row) []model.Row {
	over, under := offPlan(rows)
	return append(over, under...)
}

// nextMonth is what a pacing answer on a closed month says of the month
// after it: its budget, or its own pacing when it has data.
type nextMonth struct {
	name    string             // "December"
	budgets map[string]float64 // by group
	days    float64
	summary string
	soWhat  string // the month's own so-what, when it has data
	notes   []string
}

// monthAfter looks at the month after a closed one when it is the month
// under way: its pacing to date when its data has begun, else its budget
// and what it plans a day. A month after that has closed too says nothing:
// the closed month was asked about for itself.
func (e *Engine) monthAfter(ctx context.Context, req question.Request, q data.Query, closed period.Period, dim string) (nextMonth, error) {
	start := closed.End.AddDate(0, 0, 1)
	month := period.Period{Start: start, End: start.AddDate(0, 1, -1)}
	nm := nextMonth{name: start.Format("January"), days: float64(month.Days())}
	last, err := e.latestDay(ctx)
	if err != nil || !last.Before(month.End) {
		return nextMonth{}, err
	}
	budgets, total, err := e.monthBudgets(ctx, q, month, dim)
	if err != nil || total == nil {
		return nm, err
	}
	nm.budgets = budgets
	if !last.Before(start) {
		cur := req
		cur.Period = period.Period{Start: start, End: minDay(last, month.End), Label: "this month to date"}
		a, err := e.pacing(ctx, cur)
		if err != nil {
			return nm, err
		}
		nm.summary, nm.soWhat, nm.notes = a.Summary, a.SoWhat, a.Notes
		return nm, nil
	}
	nm.summary = wording.Say("pacing_month_begun", wording.MonthBegun{Month: start.Format("January 2006"), MonthBudget: wording.Metric(model.Budget, total),
		Daily: wording.Value(model.UnitCurrency, model.Float(*total/nm.days))})
	return nm, nil
}

// pastSpan answers the pacing of a span inside a month that later days of
// data have since followed ("last week", asked on a Tuesday): the span
// against its pro-rated budget, then where the month stands now (closed,
// or to date and where it lands), whose so-what it takes. A month is never
// projected from a span that is over, and a month that has closed since is
// given no trim. nil when req's span is not such a one.
func (e *Engine) pastSpan(ctx context.Context, req question.Request, a model.Answer, month period.Period) (*model.Answer, error) {
	if !req.Period.Start.After(month.Start) {
		return nil, nil
	}
	latest, err := e.latestDay(ctx)
	if err != nil {
		return nil, err
	}
	if !req.AsOf.IsZero() {
		latest = minDay(latest, req.AsOf.AddDate(0, 0, -1))
	}
	if !req.Period.End.Before(latest) {
		return nil, nil
	}
	sub := req
	sub.Period = period.Period{Start: month.Start, End: minDay(latest, month.End)}
	if sub.Period.End.Equal(month.End) {
		sub.Period.Label = month.Start.Format("January 2006")
	} else {
		sub.Period.Label = "this month to date"
	}
	now, err := e.pacing(ctx, sub)
	if err != nil {
		return nil, err
	}
	res := a.Total.Values
	f := wording.Pacing{Span: wording.Capitalize(strings.TrimPrefix(periodLabel(req.Period), "for ")), Value: wording.Metric(model.Spend, res[model.Spend]),
		Budget: wording.Metric(model.Budget, res[model.Budget]), Pacing: wording.Value(model.UnitPercent, res[model.Pacing])}
	a.Summary = wording.Say("pacing_span", f) + " " + now.Summary
	a.SoWhat, a.Projected = now.SoWhat, now.Projected
	for _, n := range now.Notes {
		if !slices.Contains(a.Notes, n) {
			a.Notes = append(a.Notes, n)
		}
	}
	return &a, nil
}

func deref(a *model.Answer, or model.Answer) model.Answer {
	if a == nil {
		return or
	}
	return *a
}

// latestDay is the last day any source has data for.
func (e *Engine) latestDay(ctx context.Context) (time.Time, error) {
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, f := range fresh {
		last = maxDay(last, f.LastDay)
	}
	return last, nil
}

// closedSoWhat words a closed month: who finished off plan, by how many
// dollars, and a next step about the month under way — never a trim in the
// month that is over.
func closedSoWhat(dim, month string, rows []model.Row, elapsed func(model.Row) float64, next nextMonth) string {
	over, under := offPlan(rows)
	name := func(r model.Row) string { return wording.DimValue(dim, r.Key[dim]) }
	var b strings.Builder
	for _, r := range firstN(over, maxNamed) {
		fmt.Fprintf(&b, "%s finished %s over plan (%s more than budgeted). ", name(r), wording.OffBy(*r.Values[model.Pacing]-1), wording.Value(model.UnitCurrency, model.Float(gap(r))))
	}
	for _, r := range firstN(under, maxNamed) {
		fmt.Fprintf(&b, "%s finished %s under plan (%s of its budget unspent). ", name(r), wording.OffBy(*r.Values[model.Pacing]-1), wording.Value(model.UnitCurrency, model.Float(-gap(r))))
	}
	b.WriteString(moreOffPlan(len(over) + len(under) - len(firstN(over, maxNamed)) - len(firstN(under, maxNamed))))
	if next.soWhat != "" {
		b.WriteString(next.soWhat)
		return strings.TrimSpace(b.String())
	}
	f := wording.ClosedNext{Month: month, NextMonth: next.name}
	switch {
	case len(over) > 0:
		r := over[0]
		f.Focus = name(r)
		f.WasDaily = wording.Value(model.UnitCurrency, model.Float(*r.Values[model.Spend]/elapsed(r)))
		if nb, ok := next.budgets[r.Key[dim]]; ok && next.days > 0 {
			f.NextBudget, f.NextDaily = wording.Value(model.UnitCurrency, &nb), wording.Value(model.UnitCurrency, model.Float(nb/next.days))
		}
		b.WriteString(wording.Say("next_closed_over", f))
	case len(under) > 0:
		r := under[0]
		f.Focus, f.Gap = name(r), wording.Value(model.UnitCurrency, model.Float(-gap(r)))
		if nb, ok := next.budgets[r.Key[dim]]; ok {
			f.NextBudget = wording.Value(model.UnitCurrency, &nb)
		}
		b.WriteString(wording.Say("next_closed_under", f))
	default:
		b.WriteString("Every " + strings.ReplaceAll(dim, "_", " ") + " finished within 5% of its plan. ")
		b.WriteString(wording.Say("next_closed_on_plan", f))
	}
	return strings.TrimSpace(b.String())
}

// maxNamed is how many groups off plan a so-what names on each side.
const maxNamed = 3

func firstN(rows []model.Row, n int) []model.Row {
	if len(rows) > n {
		return rows[:n]
	}
	return rows
}

// moreOffPlan says how many more groups are off plan than were named.
func moreOffPlan(n int) string {
	switch {
	case n == 1:
		return "One more is off plan (see the table). "
	case n > 1:
		return fmt.Sprintf("%d more are off plan (see the table). ", n)
	}
	return ""
}

// gap is a row's spend less its budget: over plan above zero.
func gap(r model.Row) float64 {
	s, b := r.Values[model.Spend], r.Values[model.Budget]
	if s == nil || b == nil {
		return 0
	}
	return *s - *b
}

func minDay(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// monthBudgets are the whole month's budgets of the groups q splits by dim,
// and their total.
func (e *Engine) monthBudgets(ctx context.Context, q data.Query, month period.Period, dim string) (map[string]float64, *float64, error) {
	q.Period = month
	q.Metrics, q.OrderBy = []model.MetricID{model.Budget}, ""
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	byKey := map[string]float64{}
	for _, r := range res.Rows {
		if v := r.Values[model.Budget]; v != nil {
			byKey[r.Key[dim]] = *v
		}
	}
	return byKey, res.Total.Values[model.Budget], nil
}

// budgetedOnly makes the total compare like with like. Most campaigns have
// no budget of their own (their plan is their platform's), so when some
// groups have no budget the total becomes the spend of those that have one
// against their budgets. It returns, in words, the groups the total then
// covers ("" when it covers every group) and a note on those left out.
func budgetedOnly(res *data.Result, dim string) (among string, notes []string) {
	var spend, budget, outSpend float64
	in, out := 0, 0
	for _, r := range res.Rows {
		s := r.Values[model.Spend]
		if r.Values[model.Budget] == nil {
			out++
			if s != nil {
				outSpend += *s
			}
			continue
		}
		in++
		budget += *r.Values[model.Budget]
		if s != nil {
			spend += *s
		}
	}
	if in == 0 || out == 0 {
		return "", nil
	}
	res.Total.Values[model.Spend], res.Total.Values[model.Budget], res.Total.Values[model.Pacing] = model.Float(spend), model.Float(budget), nil
	if budget != 0 {
		res.Total.Values[model.Pacing] = model.Float(spend / budget)
	}
	own, verb := "of their own", "are"
	if out == 1 {
		own, verb = "of its own", "is"
	}
	note := fmt.Sprintf("%d %s with no budget %s (%s of spend) %s left out of the total.", out, pluralN(out, dim), own, wording.Value(model.UnitCurrency, &outSpend), verb)
	if dim == model.DimCampaign {
		note += " Ask for pacing by platform to see all spend against all budgets."
	}
	return fmt.Sprintf("the %d %s with a budget", in, pluralN(in, dim)), []string{note}
}

// budgetPlatforms says which platform's data each row's budget waits on:
// the row's own platform, or for rows by campaign the one platform the
// campaign runs on ("" for a campaign on several). whose words the budgets
// pro-rated for one platform.
func (e *Engine) budgetPlatforms(ctx context.Context, groupBy []string) (platformOf func(model.Row) string, whose string, err error) {
	if slices.Contains(groupBy, model.DimPlatform) || !slices.Contains(groupBy, model.DimCampaign) {
		return func(r model.Row) string { return r.Key[model.DimPlatform] }, "its budget is", nil
	}
	runsOn, err := e.st.CampaignPlatforms(ctx)
	if err != nil {
		return nil, "", err
	}
	return func(r model.Row) string {
		if ps := runsOn[r.Key[model.DimCampaign]]; len(ps) == 1 {
			return ps[0]
		}
		return ""
	}, "its campaigns' budgets are", nil
}

// maxDay is the later of two days.
func maxDay(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// pacingBand is how far from plan counts as over or under.
const pacingBand = 0.05

// offPlan splits the rows whose pacing is outside the band into those over
// plan and those under it, each by the size of its dollar gap, largest
// first: $20,000 over on a big platform matters more than 30% over on a
// small one.
func offPlan(rows []model.Row) (over, under []model.Row) {
	for _, r := range rows {
		p := r.Values[model.Pacing]
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
	sort.SliceStable(over, func(i, j int) bool { return gap(over[i]) > gap(over[j]) })
	sort.SliceStable(under, func(i, j int) bool { return gap(under[i]) < gap(under[j]) })
	return over, under
}

// pacingSoWhat names the groups (split by dim) off their plan, largest
// dollar gap first, and the one step that brings the first back to it.
// among is who the total covers, "" for every group: the groups with a
// budget, or those asked about.
//
// projected is each group's month-end projection (nil: an even run rate).
func pacingSoWhat(dim, among string, rows []model.Row, monthBudget, projected map[string]float64, elapsed func(model.Row) float64, days float64) string {
	over, under := offPlan(rows)
	if len(over) == 0 && len(under) == 0 {
		who := "Every " + strings.ReplaceAll(dim, "_", " ")
		switch {
		case among != "" && len(rows) == 1:
			who = among
		case among != "":
			who = "Every one of " + among
		}
		return who + " is within 5% of its plan. " + wording.Say("next_on_plan", wording.Next{})
	}
	name := func(r model.Row) string { return wording.DimValue(dim, r.Key[dim]) }
	var b strings.Builder
	for _, r := range firstN(over, maxNamed) {
		extra := gap(r) / elapsed(r)
		fmt.Fprintf(&b, "%s is %s over plan (%s over, about %s a day more than budgeted). ", name(r), wording.OffBy(*r.Values[model.Pacing]-1),
			wording.Value(model.UnitCurrency, model.Float(gap(r))), wording.Value(model.UnitCurrency, &extra))
	}
	for _, r := range firstN(under, maxNamed) {
		fmt.Fprintf(&b, "%s is %s under plan (%s short). ", name(r), wording.OffBy(*r.Values[model.Pacing]-1), wording.Value(model.UnitCurrency, model.Float(-gap(r))))
	}
	b.WriteString(moreOffPlan(len(over) + len(under) - len(firstN(over, maxNamed)) - len(firstN(under, maxNamed))))
	if len(over) == 0 {
		b.WriteString(wording.Say("next_under", wording.Next{Focus: name(under[0])}))
		return strings.TrimSpace(b.String())
	}
	mb := monthBudget[over[0].Key[dim]]
	el := elapsed(over[0])
	trim := trimToLand(over[0], mb, projected[over[0].Key[dim]], el, days)
	f := wording.Overspend{Focus: name(over[0]), Trim: wording.OffBy(trim)}
	next := "next_over"
	if mb > 0 && days > el {
		f.MonthBudget = wording.Value(model.UnitCurrency, &mb)
		spent, leftDays := *over[0].Values[model.Spend], days-el
		f.DaysLeft = int(leftDays)
		switch {
		case spent >= mb:
			// Nothing left to land on: a trim in percent would mislead.
			next = "next_over_spent"
		case trim > steepTrim:
			daily := (mb - spent) / leftDays
			next, f.Daily = "next_over_steep", wording.Value(model.UnitCurrency, &daily)
			f.Left = wording.Value(model.UnitCurrency, model.Float(mb-spent))
			f.Hold = daily >= spent/el*(1-pacingBand) // on a late month's pattern, today's rate is already the cut
		}
	}
	b.WriteString(wording.Say(next, f))
	return strings.TrimSpace(b.String())
}

// steepTrim is the cut past which "trim by N%" stops being a trim: the
// next step then says what is left to spend, a day.
const steepTrim = 0.5

// trimToLand is the cut in the rest of the month's spend that lands it on
// its budget: what is left of the budget against what the month would
// still spend at its pace (projected, the month-end projection: an even
// run rate, or last year's pattern for the days left). With no days left
// (or the budget already gone) it is the cut that would have kept the pace
// on plan.
func trimToLand(r model.Row, monthBudget, projected, elapsed, days float64) float64 {
	spend, pacing := *r.Values[model.Spend], *r.Values[model.Pacing]
	if projected <= 0 {
		projected = spend / elapsed * days
	}
	rest := projected - spend
	if days <= elapsed || monthBudget <= spend || rest <= 0 {
		return 1 - 1/pacing
	}
	return 1 - (monthBudget-spend)/rest
}

// budgetThroughLastDay pro-rates each platform's budget, or the budget of
// each campaign on it, only through the last day its data covers: a
// platform whose export is two days late has not underspent, its spend is
// just not in yet.
//
// ends says, for each row, the last day its figures cover.
func (e *Engine) budgetThroughLastDay(ctx context.Context, req question.Request, res *data.Result) (notes []string, ends func(model.Row) time.Time, err error) {
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return nil, nil, err
	}
	last := map[string]time.Time{}
	for _, f := range fresh {
		last[f.Source] = f.LastDay
	}
	platformOf, whose, err := e.budgetPlatforms(ctx, req.GroupBy)
	if err != nil {
		return nil, nil, err
	}
	ends = func(r model.Row) time.Time {
		if l, ok := last[platformOf(r)]; ok && l.Before(req.Period.End) && !l.Before(req.Period.Start) {
			return l
		}
		return req.Period.End
	}
	days := float64(req.Period.Days())
	noted := map[string]bool{}
	var spend, budget float64
	for _, r := range res.Rows {
		p := platformOf(r)
		if l, ok := last[p]; ok && l.Before(req.Period.End) && !l.Before(req.Period.Start) && r.Values[model.Budget] != nil {
			covered := float64(l.Sub(req.Period.Start).Hours()/24) + 1
			r.Values[model.Budget] = model.Float(*r.Values[model.Budget] * covered / days)
			if r.Values[model.Spend] != nil && *r.Values[model.Budget] != 0 {
				r.Values[model.Pacing] = model.Float(*r.Values[model.Spend] / *r.Values[model.Budget])
			}
			if !noted[p] {
				noted[p] = true
				notes = append(notes, fmt.Sprintf("%s data ends %s, so %s pro-rated through that day.", model.PlatformName(p), l.Format("Jan 2"), whose))
			}
		}
		if r.Values[model.Spend] != nil {
			spend += *r.Values[model.Spend]
		}
		if r.Values[model.Budget] != nil {
			budget += *r.Values[model.Budget]
		}
	}
	if len(res.Rows) > 0 && res.Total.Values[model.Budget] != nil {
		res.Total.Values[model.Budget] = model.Float(budget)
		if budget != 0 {
			res.Total.Values[model.Pacing] = model.Float(spend / budget)
		}
	}
	sortByGap(res.Rows)
	return notes, ends, nil
}

// sortByGap puts the largest dollar gap first, over or under plan; rows
// without a budget go last.
func sortByGap(rows []model.Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].Values[model.Pacing], rows[j].Values[model.Pacing]
		if a == nil || b == nil {
			return a != nil
		}
		return math.Abs(gap(rows[i])) > math.Abs(gap(rows[j]))
	})
}
