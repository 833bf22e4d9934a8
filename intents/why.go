package intents

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// why explains a change: how the total moved, and the platforms, campaigns
// and categories that moved it.
func (e *Engine) why(ctx context.Context, req question.Request) (model.Answer, error) {
	if req.Compare == nil {
		p := question.Previous(req.Period)
		req.Compare = &p
	}
	o, err := e.open(ctx, req, func(q *data.Query) { q.GroupBy, q.Limit = nil, 0 })
	if err != nil {
		return model.Answer{}, err
	}
	// "Why did electronics do worse": explain the move that made it worse.
	o.weigh(true)
	req = o.req
	q, m, mt := o.q, o.m, o.mt
	cur, old := o.res.Total.Values[m], o.res.Total.CompareValues[m]
	c := describeChange(m, cur, old)
	// The answer's rows are the campaigns behind the change, in order of
	// their contribution.
	rq := q
	rq.GroupBy = []string{model.DimCampaign}
	a := base(req, rq)
	a.Total = o.res.Total
	a.Metrics = []model.MetricID{m} // the rows are the campaigns' contributions to m alone
	if cur == nil || old == nil || !c.ok {
		noData(req, &a, m)
		if cur != nil {
			a.Summary = fmt.Sprintf("%s %s %s %s %s, but there is no comparable figure %s to explain a change against.", headSubject(req, m), wording.MidSentence(mt.Name), periodLabel(req.Period), wording.Was(mt.Name), wording.Metric(m, cur), compareLabel(req.Compare))
		}
		return a, nil
	}
	a.Summary = wording.Say("why", wording.Why{Subject: headSubject(req, m), MetricName: wording.MidSentence(mt.Name), Direction: c.direction, ChangeAbs: c.abs, Change: c.signed, Steady: c.steady,
		PeriodLabel: strings.Replace(compareLabel(req.Compare), "vs ", "from ", 1) + " to " + strings.TrimPrefix(periodLabel(req.Period), "for "), Value: wording.Metric(m, cur), CompareValue: wording.Metric(m, old)})
	if c.steady {
		a.Summary += " That is within normal variation."
	}
	lines, campaigns, err := e.driverLines(ctx, req, q, mt)
	if err != nil {
		return a, err
	}
	for i, ctb := range campaigns {
		if i == 5 {
			break
		}
		v, old := ctb.Value, ctb.CompareValue
		if mt.Ratio == nil && v == nil && old != nil {
			v = model.Float(0) // a campaign that stopped spent, sold, converted nothing: 0, not n/a
		}
		if mt.Ratio == nil && old == nil && v != nil {
			old = model.Float(0)
		}
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimCampaign: ctb.Key}, Values: model.Values{m: v}, CompareValues: model.Values{m: old}})
	}
	focus := wording.Next{Focus: largestCampaigns, Dim: model.DimCampaign}
	reach, _, err := e.reachCampaigns(ctx, q, m, model.DimCampaign)
	if err != nil {
		return a, err
	}
	for _, ctb := range campaigns {
		if ctb.Delta == 0 {
			break
		}
		if reach != nil && reach(ctb.Key) != "" {
			continue // not bought for this metric: no next step on it
		}
		focus = wording.Next{Focus: ctb.Key, Dim: model.DimCampaign}
		break
	}
	if named := req.Filters[model.DimCampaign]; len(named) == 1 {
		focus = wording.Next{Focus: named[0], Dim: model.DimCampaign} // "why did X stop converting": X
	}
	focus.NoMER = hides(req, model.MER) || m == model.MER // a move of MER is not explained by MER
	next := wording.Say(nextStep(m, c), focus)
	var d driver
	if focus.Focus != largestCampaigns {
		d = driver{name: wording.DimValue(model.DimCampaign, focus.Focus), delta: "named", dim: model.DimCampaign, key: focus.Focus}
	}
	if silent, err := e.silentCampaign(ctx, q, m, c, focus.Focus); err != nil {
		return a, err
	} else if silent != "" {
		a.SoWhat = strings.TrimSpace(strings.Join(lines, " ") + " " + silent)
		return a, nil
	}
	if more, nx, err := e.gainFooting(ctx, q, m, c, d, req.Hidden, req.Filters); err != nil {
		return a, err
	} else if nx != "" {
		// A volume is set against what it cost, a diagnostic moves no
		// budget: as a change's so-what does.
		if more = strings.TrimSpace(more); more != "" {
			lines = append(lines, more)
		}
		next = nx
	}
	if len(lines) == 0 && !c.steady {
		// A blended ratio has no platform split: say which of its parts
		// moved it.
		p, err := e.parts(ctx, q, m)
		if err != nil {
			return a, err
		}
		if p != "" {
			lines = append(lines, "It moved on "+p+".")
		}
		if m == model.PaybackMonths {
			more, nx, err := e.paybackMargin(ctx, q, c)
			if err != nil {
				return a, err
			}
			lines = append(lines, strings.TrimSpace(more))
			if nx != "" {
				next = nx
			}
		}
	}
	a.SoWhat = strings.Join(lines, " ") + " " + next
	a.SoWhat = strings.TrimSpace(a.SoWhat)
	return a, nil
}

// driverLines names what drove the change of q's lead metric on each
// dimension the question does not pin to one value, and returns the
// campaigns' contributions too.
func (e *Engine) driverLines(ctx context.Context, req question.Request, q data.Query, mt model.Metric) (lines []string, campaigns []data.Contribution, err error) {
	ctx = data.ShareReads(ctx) // the campaign and category splits read the same facts
	for _, dim := range []string{model.DimPlatform, model.DimCampaign, model.DimCategory} {
		if len(req.Filters[dim]) == 1 {
			continue
		}
		cs, err := e.st.Drivers(ctx, q, mt.ID, dim)
		if err != nil {
			return nil, nil, err
		}
		if dim == model.DimCampaign {
			campaigns = cs
		}
		if line := driverLine(mt, dim, cs); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, campaigns, nil
}

// driverLine names the top contributors of one dimension. When the parts
// named add up to more than the change, others moved the other way: they
// are named as the offset, so no part reads as bigger than its whole.
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
	var parts, offsets []string
	named, offset := 0.0, 0.0
	for _, c := range cs {
		if len(parts) == 2 || (c.Delta > 0) != (total > 0) || c.Delta == 0 {
			break
		}
		if c.Key == "" {
			continue // campaigns with no category are not a category
		}
		if roundsToZero(mt, c.Delta) {
			break // "-0.00x" is no driver
		}
		parts = append(parts, fmt.Sprintf("%s %s", wording.DimValue(dim, c.Key), signedValue(mt, c.Delta)))
		named += c.Delta
	}
	if len(parts) == 0 {
		return ""
	}
	by := strings.ReplaceAll(dim, "_", " ")
	if named/total <= 1.05 {
		return fmt.Sprintf("By %s: %s of the %s change.", by, strings.Join(parts, ", "), signedValue(mt, total))
	}
	// The biggest moves the other way, largest first.
	for i := len(cs) - 1; i >= 0 && len(offsets) < 2; i-- {
		c := cs[i]
		if c.Delta == 0 || (c.Delta > 0) == (total > 0) || c.Key == "" || roundsToZero(mt, c.Delta) {
			continue
		}
		offsets = append(offsets, fmt.Sprintf("%s %s", wording.DimValue(dim, c.Key), signedValue(mt, c.Delta)))
		offset += c.Delta
	}
	if len(offsets) == 0 {
		return fmt.Sprintf("By %s: %s, for a %s change in all.", by, wording.JoinAnd(parts), signedValue(mt, total))
	}
	return fmt.Sprintf("By %s: %s, partly offset by %s, for a %s change in all.", by, wording.JoinAnd(parts), wording.JoinAnd(offsets), signedValue(mt, total))
}

// roundsToZero reports whether a part of a change is written as zero:
// "+0.00x", "-$0.00", "+0.00 pts".
func roundsToZero(mt model.Metric, v float64) bool {
	return strings.Trim(signedValue(mt, v), "+-$0.,x pts") == ""
}

// silentCampaign is the so-what's ending when the campaign a fall in
// conversions, or in what rests on them, comes down to has spent on clicks
// and recorded no conversion at all for the last days of the period (two
// or more): a lost tag does that more often than a lost audience, so its
// tracking is checked before its bids. "" otherwise.
func (e *Engine) silentCampaign(ctx context.Context, q data.Query, metric model.MetricID, c change, campaign string) (string, error) {
	if c.good || c.steady || campaign == "" || campaign == largestCampaigns ||
		!slices.Contains([]model.MetricID{model.Conversions, model.CPA, model.ROAS, model.CVR, model.Revenue}, metric) {
		return "", nil
	}
	sq := data.Query{Metrics: []model.MetricID{model.Spend, model.Clicks, model.Conversions}, Period: q.Period, Filters: maps.Clone(q.Filters), GroupBy: []string{model.DimDay}}
	if sq.Filters == nil {
		sq.Filters = map[string][]string{}
	}
	sq.Filters[model.DimCampaign] = []string{campaign}
	res, err := e.st.Run(ctx, sq)
	if err != nil {
		return "", err
	}
	days, since := 0, ""
	spent, clicked := 0.0, 0.0
	for k := len(res.Rows) - 1; k >= 0; k-- {
		r := res.Rows[k]
		s, cl, cv := r.Values[model.Spend], r.Values[model.Clicks], r.Values[model.Conversions]
		if s == nil || cl == nil || cv == nil || *s <= 0 || *cl <= 0 || *cv > 0 {
			break
		}
		days, since = days+1, r.Key[model.DimDay]
		spent, clicked = spent+*s, clicked+*cl
	}
	if days < 2 {
		return "", nil
	}
	name := wording.DimValue(model.DimCampaign, campaign)
	return fmt.Sprintf("%s has recorded no conversion since %s (%d days) while it spent %s on %s clicks. Next: check %s conversion tracking (the pixel or conversion tag) and landing page before its bids, and pause it if conversions do not come back within a day.",
		name, wording.DisplayName(model.DimDay, since), days, wording.Metric(model.Spend, &spent), wording.Metric(model.Clicks, &clicked), wording.Possessive(name)), nil
}
