package reports

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// projection is one platform's month-end projection at the current pace.
type projection struct {
	platform  string
	projected float64
	budget    *float64
}

// projectionOf projects a pacing answer's spend to the end of its month, per
// platform, with the formula the pacing answer states: month-to-date spend ÷
// days elapsed × days in the month. The total is the sum of the platforms'.
func projectionOf(a model.Answer, monthBudget model.Answer) []projection {
	ms := period.MonthStart(a.Period.End)
	start := a.Period.Start
	if start.Before(ms) {
		start = ms
	}
	days := float64(period.Period{Start: ms, End: ms.AddDate(0, 1, -1)}.Days())
	// A platform whose data stops early is projected from the days it
	// covers, as its pacing is.
	last := map[string]time.Time{}
	for _, f := range a.Freshness {
		last[f.Source] = f.LastDay
	}
	elapsed := func(platform string) float64 {
		end := a.Period.End
		if l, ok := last[platform]; ok && l.Before(end) && !l.Before(start) {
			end = l
		}
		return float64(period.Period{Start: start, End: end}.Days())
	}
	budgets := map[string]*float64{}
	for _, r := range monthBudget.Rows {
		budgets[r.Key[model.DimPlatform]] = r.Values[model.Budget]
	}
	var out []projection
	total := 0.0
	for _, r := range a.Rows {
		if s := r.Values[model.Spend]; s != nil {
			p := r.Key[model.DimPlatform]
			pr := projection{platform: p, projected: *s / elapsed(p) * days, budget: budgets[p]}
			if v, ok := a.Projected[p]; ok {
				pr.projected = v // the answer's own figure: one projection per message
			}
			total += pr.projected
			out = append(out, pr)
		}
	}
	if len(out) > 0 {
		out = append(out, projection{projected: total, budget: monthBudget.Total.Values[model.Budget]})
	}
	return out
}

// projection asks the engine for the month's budgets by platform and
// tabulates each platform's projected month end against them.
func (b *Builder) projection(ctx context.Context, req question.Request, a model.Answer) (*Table, []projection, error) {
	if len(a.Rows) == 0 || a.Total.Values[model.Spend] == nil {
		return nil, nil, nil
	}
	ms := period.MonthStart(req.Period.End)
	if req.Period.End.Equal(ms.AddDate(0, 1, -1)) {
		return nil, nil, nil // a month that has ended is not projected: its spend is final
	}
	month := span(ms, ms.AddDate(0, 1, -1), ms.Format("January 2006"))
	mreq := question.Request{Question: "Budget by platform for " + month.Label, Intent: question.IntentBreakdown, Metrics: []model.MetricID{model.Budget},
		GroupBy: []string{model.DimPlatform}, Period: month, Filters: req.Filters, Audience: req.Audience}
	ma, err := b.eng.Answer(ctx, mreq)
	if err != nil {
		return nil, nil, fmt.Errorf("month budgets: %w", err)
	}
	t := &Table{Title: say("projection_title", projectionTitle{Month: month.Label}), Header: []string{"Platform", "Projected", "Month budget", "vs budget"}}
	proj := projectionOf(a, ma)
	for _, p := range proj {
		name := wording.DisplayName(model.DimPlatform, p.platform)
		if p.platform == "" {
			name = "Total"
		}
		vs := wording.Change(model.Spend, &p.projected, p.budget)
		if vs == "" {
			vs = "–"
		}
		var rel *float64
		if p.budget != nil && *p.budget != 0 {
			rel = model.Float(p.projected / *p.budget - 1)
		}
		t.add([]string{name, wording.Value(model.UnitCurrency, &p.projected), wording.Value(model.UnitCurrency, p.budget), vs},
			[]*float64{nil, cents(&p.projected), cents(p.budget), rel})
	}
	return t, proj, nil
}

// zeroConvMinSpend is the least a campaign must spend over the window for
// "no conversions" to mean something.
const zeroConvMinSpend = 100.0

// zeroConversions keeps, of a breakdown of campaigns' spend, conversions and
// clicks, the campaigns that spent with no conversion, and words them.
func zeroConversions(a *model.Answer, req question.Request) {
	if a.Clarify != "" || a.Total.Values[model.Spend] == nil {
		return
	}
	var flagged []model.Row
	var spend, clicks float64
	var names []string
	for _, r := range a.Rows {
		s, c := r.Values[model.Spend], r.Values[model.Conversions]
		if s == nil || c == nil || *c != 0 || *s < zeroConvMinSpend {
			continue
		}
		flagged = append(flagged, r)
		spend += *s
		if cl := r.Values[model.Clicks]; cl != nil {
			clicks += *cl
		}
		names = append(names, fmt.Sprintf("%s on %s (%s)", r.Key[model.DimCampaign], wording.DisplayName(model.DimPlatform, r.Key[model.DimPlatform]), wording.Metric(model.Spend, s)))
	}
	a.Rows = append([]model.Row{}, flagged...)
	f := zeroDigest{Count: len(flagged), Spend: wording.Value(model.UnitCurrency, &spend), Period: req.Period.Label + " (" + wording.PeriodText(dr(req.Period)) + ")",
		Threshold: wording.Value(model.UnitCurrency, model.Float(zeroConvMinSpend))}
	if len(flagged) == 0 {
		a.Summary, a.SoWhat = say("zero_none", f), ""
		return
	}
	f.List = strings.Join(names, "; ")
	a.Summary = say("zero_summary", f)
	f.Campaigns = wording.JoinAnd(campaignNames(flagged))
	if clicks > 0 {
		lead := flagged[0]
		f.Lead, f.LeadClicks = lead.Key[model.DimCampaign], wording.Metric(model.Clicks, lead.Values[model.Clicks])+" clicks"
		a.SoWhat = say("zero_sowhat", f)
		return
	}
	a.SoWhat = say("zero_sowhat_noclicks", f)
}

func campaignNames(rows []model.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Key[model.DimCampaign]
	}
	return out
}

// unassignedLarge is the share of spend above which an unassigned bucket
// ("(no category)") is flagged: the breakdown then speaks for too little of
// the money.
const unassignedLarge = 0.2

// unassignedShare flags a breakdown whose unassigned bucket holds a large
// share of spend (the answer's own note says so): it returns that
// bucket's spend (0 when it is not flagged) and a highlight saying so.
func unassignedShare(a *model.Answer) (float64, string) {
	if a.Clarify != "" || len(a.GroupBy) == 0 {
		return 0, ""
	}
	dim := a.GroupBy[0]
	total := a.Total.Values[model.Spend]
	if total == nil || *total <= 0 {
		return 0, ""
	}
	for _, r := range a.Rows {
		s := r.Values[model.Spend]
		if !wording.Unassigned(r.Key[dim]) || s == nil || *s / *total < unassignedLarge {
			continue
		}
		f := unassignedNote{Bucket: wording.DimValue(dim, r.Key[dim]), Share: wording.Value(model.UnitPercent, model.Float(*s / *total)), Spend: wording.Metric(model.Spend, s),
			Dims: strings.ReplaceAll(dim, "_", " ")}
		return *s, say("highlight_unassigned", f)
	}
	return 0, ""
}

// cents rounds a currency amount to cents, nil staying nil.
func cents(v *float64) *float64 {
	if v == nil {
		return nil
	}
	return model.Float(math.Round(*v*100) / 100)
}
