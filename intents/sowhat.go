package intents

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// steadyBelow is the relative change under which a metric "held steady".
const steadyBelow = 0.02

// change describes a metric's move between two values for wording.
type change struct {
	rel       float64
	ok        bool
	direction string
	abs       string // "12.4%" or "0.50 pts"
	signed    string // "+12.4%" or "-0.50 pts"
	good      bool
	steady    bool
}

// describeChange words the move of metric from old to cur.
func describeChange(metric model.MetricID, cur, old *float64) change {
	rel, ok := wording.RelChange(cur, old)
	c := change{rel: rel, ok: ok}
	if !ok {
		return c
	}
	c.direction = "up"
	if rel < 0 {
		c.direction = "down"
	}
	mt, _ := model.LookupMetric(metric)
	c.signed = wording.Change(metric, cur, old)
	c.abs = wording.Unsigned(c.signed)
	c.steady = math.Abs(rel) < steadyBelow
	c.good = (rel > 0) == mt.HigherIsBetter
	if c.steady {
		c.direction = "flat"
	}
	return c
}

// driver finds the group that contributed most to a change.
type driver struct {
	name  string
	delta string
	dim   string
	key   string
}

// topDriver splits the change of metric over q's comparison by dim and
// returns the biggest contributor in the direction of the change.
func (e *Engine) topDriver(ctx context.Context, q data.Query, metric model.MetricID, dim string) (driver, []data.Contribution, error) {
	cs, err := e.st.Drivers(ctx, q, metric, dim)
	if err != nil || len(cs) == 0 {
		return driver{}, cs, err
	}
	total := 0.0
	for _, c := range cs {
		total += c.Delta
	}
	reach, _, err := e.reachCampaigns(ctx, q, metric, dim)
	if err != nil {
		return driver{}, cs, err
	}
	late, err := e.lateIn(ctx, q, dim)
	if err != nil {
		return driver{}, cs, err
	}
	top := cs[0]
	var gap *data.Contribution // a late export's missing days, moving the total
	for i, c := range cs {
		if late[c.Key] != "" && gap == nil && c.Delta != 0 && (c.Delta > 0) == (total > 0) {
			gap = &cs[i] // missing days are no driver
			continue
		}
		if reach == nil || reach(c.Key) == "" {
			top = c // a campaign is not judged on what it is not bought for
			break
		}
	}
	if gap != nil && top.Key == gap.Key {
		return driver{}, cs, nil
	}
	if total == 0 || top.Delta == 0 || (total > 0) != (top.Delta > 0) {
		return driver{}, cs, nil
	}
	mt, _ := model.LookupMetric(metric)
	delta := shareOfChange(mt, top.Delta, total)
	if gap != nil && math.Abs(gap.Delta) > math.Abs(top.Delta) {
		delta += fmt.Sprintf("; %s %s is days its export has not reached: %s data ends %s", wording.Possessive(wording.DimValue(dim, gap.Key)), signedValue(mt, gap.Delta), wording.DimValue(dim, gap.Key), late[gap.Key])
	}
	if top.Delta/total > 1.05 {
		// More than the whole change: name what moved the other way.
		if off := cs[len(cs)-1]; off.Delta != 0 && (off.Delta > 0) != (total > 0) {
			delta += ": " + wording.DimValue(dim, off.Key) + " moved the other way by " + signedValue(mt, off.Delta)
		}
	}
	return driver{
		name:  wording.DimValue(dim, top.Key),
		delta: delta,
		dim:   dim,
		key:   top.Key,
	}, cs, nil
}

// lateIn returns, by platform, the last day of the platforms whose data
// ends part way through q's period ("Nov 17"), when dim is the platform:
// the days they miss read as a fall of theirs against a whole earlier
// period, which their own figures do not show.
func (e *Engine) lateIn(ctx context.Context, q data.Query, dim string) (map[string]string, error) {
	if dim != model.DimPlatform || q.Compare == nil {
		return nil, nil
	}
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return nil, err
	}
	late := map[string]string{}
	for _, f := range fresh {
		if f.Source != "business" && !f.LastDay.Before(q.Period.Start) && f.LastDay.Before(q.Period.End) && !f.LastDay.Before(q.Compare.End) {
			late[f.Source] = f.LastDay.Format("Jan 2")
		}
	}
	return late, nil
}

// shareOfChange words one part of a change against the whole: "+$1,825 of
// the +$10,958 change"; "-0.49x, essentially all of the change" when the part is
// the whole; "+$11.40, more than the +$11.12 change" when the rest moved the
// other way.
func shareOfChange(mt model.Metric, part, total float64) string {
	p, t := signedValue(mt, part), signedValue(mt, total)
	switch r := part / total; {
	case p == t || (r >= 0.95 && r <= 1.05):
		return p + ", essentially all of the change"
	case r > 1:
		return p + ", more than the " + t + " change"
	}
	return p + " of the " + t + " change"
}

// signedValue writes an amount of a metric with its sign: "+$1,825", "-0.50 pts".
func signedValue(mt model.Metric, v float64) string {
	s := wording.Value(mt.Unit, model.Float(math.Abs(v)))
	if mt.Unit == model.UnitPercent {
		s = fmt.Sprintf("%.2f pts", math.Abs(v)*100)
	}
	if strings.Trim(s, "0.$xpts ") == "" {
		return s // rounds to zero: no sign, never "-0.00x"
	}
	if v < 0 {
		return "-" + s
	}
	return "+" + s
}

// soWhat words a change with its driver and one next step. focus is who
// the step is about without a driver, focusDim its dimension when it is
// one campaign.
//
// hidden are the metrics the reader may not see: the next step names none.
func soWhat(metric model.MetricID, c change, compareLbl string, d driver, focus, focusDim string, hidden []model.MetricID) string {
	mt, _ := model.LookupMetric(metric)
	if !c.ok {
		return ""
	}
	f := wording.ChangeSoWhat{MetricName: mt.Name, Direction: c.direction, ChangeAbs: c.abs, Change: c.signed, Good: c.good, Steady: c.steady, CompareLabel: compareLbl, Driver: d.name, DriverDelta: d.delta}
	text := wording.Say("sowhat_change", f)
	if model.IsNeutral(metric) {
		text = wording.Capitalize(mt.Name) + " " + wording.Is(mt.Name) + " " + c.direction + " " + c.abs
		if compareLbl != "" {
			text += " " + compareLbl
		}
		text += "."
		if c.steady {
			text = mt.Name + " held steady (" + c.signed + ")."
		}
		if d.name != "" && d.delta != "" {
			text += " The biggest driver is " + d.name + " (" + d.delta + ")."
		}
	}
	dim := ""
	if d.name != "" && d.delta != "" {
		focus, dim = d.name, d.dim
	}
	if focus == "" {
		focus, dim = largestCampaigns, model.DimCampaign // "review the largest campaigns' bids", not "— pause its weakest campaigns"
	}
	if dim == "" && d.name == "" {
		dim = focusDim // "review Meta Advantage+ Shopping's bids": a campaign has no campaigns to pause
	}
	if firstParty(metric) && c.steady {
		// The business's own results have no campaign to watch.
		return text + " " + wording.Say("next_steady", wording.Next{Focus: wording.MidSentence(mt.Name)})
	}
	return text + " " + wording.Say(nextStep(metric, c), wording.Next{Focus: focus, Dim: dim, NoMER: slices.Contains(hidden, model.MER) || metric == model.MER})
}

// nextStep picks the next-step template for a change.
func nextStep(metric model.MetricID, c change) string {
	mt, _ := model.LookupMetric(metric)
	switch {
	case c.steady:
		return "next_steady"
	case mt.ID != "" && (mt.FromBusiness() || onBusinessRevenue(mt)):
		// The business's own results, blended over all spend (MER): no
		// budget move follows from them alone.
		return "next_business"
	case model.IsNeutral(metric) && c.rel < 0:
		return "next_volume_down"
	case model.IsNeutral(metric):
		return "next_steady"
	case c.good:
		return "next_good"
	case !mt.HigherIsBetter:
		return "next_bad_cost"
	case isVolume(mt):
		return "next_volume_down"
	default:
		return "next_bad_return"
	}
}

// onBusinessRevenue reports whether a ratio's numerator is the business's
// revenue (MER): blended, not earned by any one campaign.
func onBusinessRevenue(mt model.Metric) bool {
	if mt.Ratio == nil {
		return false
	}
	num, _, _, ok := mt.Ratio(model.Context{})
	return ok && num == "business_revenue"
}

// driverDim picks where to look for what drove a change: platforms when the
// question spans several, campaigns when it is about one platform. A
// question about named campaigns is split by the platforms they run on.
func driverDim(filters map[string][]string) string {
	if len(filters[model.DimPlatform]) == 1 && len(filters[model.DimCampaign]) == 0 {
		return model.DimCampaign
	}
	return model.DimPlatform
}

// explainChange runs the query with a comparison and words the change of the
// lead metric and its driver. q must have Compare set; said are the filters
// the question named, which the so-what speaks of (q's may hold more: a late
// export left out of both periods).
func (e *Engine) explainChange(ctx context.Context, q data.Query, res *data.Result, metric model.MetricID, compareLbl string, hidden []model.MetricID, said map[string][]string) (string, error) {
	c := describeChange(metric, res.Total.Values[metric], res.Total.CompareValues[metric])
	if !c.ok {
		return "", nil
	}
	perDay := ""
	if pc, days := dailyChange(metric, q, res); pc.ok && (pc.good != c.good || pc.steady != c.steady) {
		// February's 28 days against January's 31: a sum that fell only
		// because the month is shorter has not fallen.
		c, perDay = pc, days
	}
	var d driver
	dim := driverDim(q.Filters)
	if perDay != "" {
		dim = "" // the split is of the totals, which the days explain
	}
	if named := q.Filters[model.DimCampaign]; len(named) == 1 {
		// One campaign on one platform has no split to name: "the biggest
		// driver is Microsoft Ads, essentially all of the change".
		ps, err := e.st.CampaignPlatforms(ctx)
		if err != nil {
			return "", err
		}
		if len(ps[named[0]]) <= 1 {
			dim = ""
		}
	}
	if !c.steady && len(q.GroupBy) == 0 && dim != "" {
		var err error
		if d, _, err = e.topDriver(ctx, q, metric, dim); err != nil {
			return "", err
		}
		if d.name == "" {
			// No campaign split for a blended metric: say which side of
			// the ratio moved.
			if d.name, err = e.parts(ctx, q, metric); err != nil {
				return "", err
			}
			d.delta = ""
		}
	}
	focusDim := ""
	if len(q.Filters[model.DimCampaign]) == 1 && len(q.Filters) == 1 {
		focusDim = model.DimCampaign
	}
	text := soWhat(metric, c, compareLbl, d, subject(said), focusDim, hidden)
	if perDay != "" {
		first := strings.Fields(text)[0]
		text = "Per day, " + wording.MidSentence(first) + text[len(first):]
		text = beforeNext(text, " "+perDay, "")
	}
	more, next, err := e.gainFooting(ctx, q, metric, c, d, hidden, said)
	if err != nil {
		return "", err
	}
	text = beforeNext(text, more, next)
	if d.dim == model.DimCampaign && d.delta != "" {
		silent, err := e.silentCampaign(ctx, q, metric, c, d.key)
		if err != nil {
			return "", err
		}
		if i := strings.Index(silent, " Next: "); i >= 0 {
			text = beforeNext(text, " "+silent[:i], silent[i+1:])
		}
	}
	if metric == model.PaybackMonths && !c.steady {
		more, next, err := e.paybackMargin(ctx, q, c)
		if err != nil {
			return "", err
		}
		text = beforeNext(text, more, next)
	}
	more, next, err = e.holidayYear(ctx, q, metric, c, res.Total.Values[metric])
	if err != nil {
		return "", err
	}
	return beforeNext(text, more, next), nil
}

// fallWord agrees "fall" with a holiday's name: "Christmas falls",
// "Thanksgiving, Black Friday and Cyber Monday fall".
func fallWord(h string) string {
	if strings.Contains(h, " and ") {
		return "fall"
	}
	return "falls"
}

// holidayYear sets a change between a week (or a few days) and the one
// before, when either holds a retail holiday, against the same weekdays 52
// weeks earlier too: Black Friday week stands above the week before every
// year. Where that reading goes the other way, or holds steady, the next
// step waits on it. "" when neither holds a holiday, or the year before is
// not in the data.
func (e *Engine) holidayYear(ctx context.Context, q data.Query, metric model.MetricID, c change, cur *float64) (more, next string, err error) {
	if q.Compare == nil || cur == nil || q.Period.Days() > 14 || q.Compare.End.AddDate(0, 0, 1) != q.Period.Start {
		return "", "", nil
	}
	h := period.HolidayIn(q.Period, *q.Compare)
	if h == "" {
		return "", "", nil
	}
	back := period.Period{Start: q.Period.Start.AddDate(0, 0, -364), End: q.Period.End.AddDate(0, 0, -364)}
	start, err := e.dataStart(ctx, question.Request{Metrics: []model.MetricID{metric}, Filters: q.Filters})
	if err != nil {
		return "", "", err
	}
	if start.IsZero() || back.Start.Before(start) {
		if c.steady {
			return "", "", nil
		}
		return fmt.Sprintf(" %s %s in these days, which moves a week in most years, and the data does not reach back a year to set it against.", h, fallWord(h)),
			"Next: read the move as partly the holiday's before acting on it.", nil
	}
	yq := data.Query{Metrics: []model.MetricID{metric}, Period: q.Period, Compare: &back, Filters: maps.Clone(q.Filters)}
	without, _, err := e.likeForLike(ctx, &yq)
	if err != nil {
		return "", "", err
	}
	yq.Period, yq.Compare = back, nil
	res, err := e.st.Run(ctx, yq)
	if err != nil {
		return "", "", err
	}
	yc := describeChange(metric, cur, res.Total.Values[metric])
	if !yc.ok {
		return "", "", nil
	}
	if without != "" {
		without = ", without " + without + ","
	}
	more = fmt.Sprintf(" %s %s in these days; against the same weekdays 52 weeks earlier (%s)%s it is %s.", h, fallWord(h), wording.PeriodText(back), without, yc.signed)
	if c.steady == yc.steady && (c.steady || c.good == yc.good) {
		return more, "", nil
	}
	return more, "Next: read it against the same weekdays a year earlier, where the holiday falls too, before acting on the week before.", nil
}

// dailyChange is the change of a sum per day when the two periods differ in
// length (a month of 28 days against one of 31), with a sentence saying
// so; ok is false otherwise.
func dailyChange(metric model.MetricID, q data.Query, res *data.Result) (change, string) {
	mt, _ := model.LookupMetric(metric)
	cur, old := res.Total.Values[metric], res.Total.CompareValues[metric]
	if mt.Ratio != nil || q.Compare == nil || cur == nil || old == nil {
		return change{}, ""
	}
	days, cdays := q.Period.Days(), q.Compare.Days()
	if days == cdays || days == 0 || cdays == 0 {
		return change{}, ""
	}
	pc, po := *cur/float64(days), *old/float64(cdays)
	c := describeChange(metric, &pc, &po)
	return c, fmt.Sprintf("The periods differ in length (%d days against %d): in all it moved %s, per day %s.", days, cdays,
		wording.Change(metric, cur, old), c.signed)
}

// paybackMargin says which of payback's two parts moved it: CAC, or the
// gross profit per order a customer earns back (payback = CAC ÷ (gross
// profit per order × orders per customer-year ÷ 12)). A fall in gross profit
// per order is a margin squeeze: payback lengthens at the same CAC, and
// acquisition is not where to act first.
func (e *Engine) paybackMargin(ctx context.Context, q data.Query, c change) (more, next string, err error) {
	pq := q
	pq.Metrics, pq.GroupBy, pq.OrderBy, pq.Limit, pq.Having = []model.MetricID{model.CAC, model.GrossProfitPerOrder}, nil, "", 0, nil
	res, err := e.st.Run(ctx, pq)
	if err != nil {
		return "", "", err
	}
	cac := logMove(res.Total.Values[model.CAC], res.Total.CompareValues[model.CAC])
	gpo := logMove(res.Total.Values[model.GrossProfitPerOrder], res.Total.CompareValues[model.GrossProfitPerOrder])
	if math.IsNaN(cac) || math.IsNaN(gpo) {
		return "", "", nil
	}
	// payback's log move is cac − gpo: each part's share of it.
	steady := math.Log1p(steadyBelow)
	gAbs := wording.Unsigned(wording.Change(model.GrossProfitPerOrder, res.Total.Values[model.GrossProfitPerOrder], res.Total.CompareValues[model.GrossProfitPerOrder]))
	cAbs := wording.Unsigned(wording.Change(model.CAC, res.Total.Values[model.CAC], res.Total.CompareValues[model.CAC]))
	switch {
	case !c.good && gpo < -steady && -gpo >= cac:
		return fmt.Sprintf(" The larger part is margin: gross profit per order fell %s while CAC moved %s — a margin squeeze (discounts, product mix or costs) lengthened payback more than acquisition did.", gAbs, cAbs),
			"Next: look at discount depth, product mix and cost of goods with finance before cutting acquisition spend.", nil
	case !c.good && gpo < -steady:
		return fmt.Sprintf(" Gross profit per order fell too (%s): a margin squeeze adds to the higher CAC.", gAbs), "", nil
	case c.good && gpo > steady && gpo >= -cac:
		return fmt.Sprintf(" The larger part is margin: gross profit per order rose %s.", gAbs), "", nil
	}
	return "", "", nil
}

// logMove is the log of cur over old, NaN when either is missing or not
// positive.
func logMove(cur, old *float64) float64 {
	if cur == nil || old == nil || *cur <= 0 || *old <= 0 {
		return math.NaN()
	}
	return math.Log(*cur / *old)
}

// ratioParts names the two metrics a blended ratio is made of.
var ratioParts = map[model.MetricID][2]model.MetricID{
	model.CAC:           {model.Spend, model.NewCustomers},
	model.MER:           {model.BusinessRevenue, model.Spend},
	model.PaybackMonths: {model.CAC, model.GrossProfitPerOrder},
	model.AOV:           {model.BusinessRevenue, model.Orders},
}

// parts describes how the parts of a blended ratio moved: "spend (+0.1%)
// against new customers (+3.7%)".
func (e *Engine) parts(ctx context.Context, q data.Query, metric model.MetricID) (string, error) {
	p, ok := ratioParts[metric]
	if !ok {
		return "", nil
	}
	pq := q
	pq.Metrics, pq.GroupBy, pq.OrderBy, pq.Limit = []model.MetricID{p[0], p[1]}, nil, "", 0
	res, err := e.st.Run(ctx, pq)
	if err != nil {
		return "", err
	}
	var out []string
	for _, m := range p {
		ch := wording.Change(m, res.Total.Values[m], res.Total.CompareValues[m])
		if ch == "" {
			return "", nil
		}
		out = append(out, fmt.Sprintf("%s (%s)", wording.MidSentence(wording.MetricName(m)), ch))
	}
	return out[0] + " against " + out[1], nil
}

// beforeNext adds context to a so-what ahead of its next step, which stays
// last; a context's own next step (spend off plan) replaces the change's.
func beforeNext(soWhat, more, next string) string {
	head, tail := soWhat, ""
	if i := strings.Index(soWhat, " Next: "); i >= 0 {
		head, tail = soWhat[:i], soWhat[i:]
	}
	if next != "" {
		tail = " " + next
	}
	return strings.TrimSpace(head + more + tail)
}

// firstParty reports a metric of the business's own results (revenue,
// orders, order value) that no ad budget is set against.
func firstParty(metric model.MetricID) bool {
	return metric == model.BusinessRevenue || metric == model.Orders || metric == model.AOV
}
