package reports

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

func dayText(d time.Time) string { return d.Format("Mon Jan 2") }

// overspend compares each platform's spend yesterday with its pro-rated
// daily budget.
func (ac *alertContext) overspend(ctx context.Context, r AlertRule) (*evaluation, error) {
	req := question.Request{Question: "Spend vs budget by platform yesterday", Intent: question.IntentBreakdown, Metrics: []model.MetricID{model.Pacing, model.Spend, model.Budget},
		GroupBy: []string{model.DimPlatform}, Period: span(ac.yday, ac.yday, "yesterday"), Filters: platformsOf(r)}
	a, err := ac.eng.Answer(ctx, req)
	if err != nil {
		return nil, err
	}
	// A day's plan is its month's budget spread as the same days a year
	// earlier spent it: Black Friday at three times an even day is on plan.
	plans, err := ac.eng.DayPlans(ctx, ac.yday, platformsOf(r))
	if err != nil {
		return nil, err
	}
	ev := newEvaluation()
	for _, row := range a.Rows {
		pl := row.Key[model.DimPlatform]
		pace, spend, budget := row.Values[model.Pacing], row.Values[model.Spend], row.Values[model.Budget]
		if pace == nil || spend == nil || budget == nil {
			ev.unknown[pl] = true
			continue
		}
		basis, why := "a pro-rated plan", ""
		if plan, ok := plans[pl]; ok && plan > 0 {
			budget, pace = &plan, model.Float(*spend/plan)
			basis, why = "its plan for the day", ac.yday.Format("January")+"'s budget spread as the same days a year earlier spent"
		}
		f := overspend{Platform: model.PlatformName(pl), Day: dayText(ac.yday), Spend: wording.Metric(model.Spend, spend), Plan: wording.Metric(model.Budget, budget), Basis: basis, Why: why,
			Over: wording.OffBy(*pace - 1), Threshold: wording.Value(model.UnitPercent, &r.Threshold),
			Excess: wording.Value(model.UnitCurrency, model.Float(math.Abs(*spend-*budget)))}
		if *pace <= 1+r.Threshold || *spend-*budget < r.MinAmount {
			ev.fine[pl] = say("overspend_fine", f)
			continue
		}
		cause, focus, err := ac.spendCause(ctx, pl, *spend)
		if err != nil {
			return nil, err
		}
		f.Trim, f.Campaign = wording.OffBy(1 - *budget / *spend), focus
		ev.breach[pl] = finding{title: say("overspend_title", f), what: say("overspend_what", f), cause: cause, next: say("overspend_next", f)}
	}
	return ev, nil
}

// spendCause names the campaign behind a platform's spend yesterday: the
// one that added most against the same day last week, or else the largest.
func (ac *alertContext) spendCause(ctx context.Context, platform string, total float64) (cause, focus string, err error) {
	weekAgo := period.Period{Start: ac.yday.AddDate(0, 0, -7), End: ac.yday.AddDate(0, 0, -7)}
	q := data.Query{Metrics: []model.MetricID{model.Spend}, Period: period.Period{Start: ac.yday, End: ac.yday}, Compare: &weekAgo, Filters: map[string][]string{model.DimPlatform: {platform}}}
	cs, err := ac.st.Drivers(ctx, q, model.Spend, model.DimCampaign)
	if err != nil || len(cs) == 0 {
		return "", "its campaigns", err
	}
	if top := cs[0]; top.Delta > 0.05*total {
		return say("cause_spend_added", spendAdded{Campaign: top.Key, Spend: wording.Metric(model.Spend, top.Value), Change: signed(model.UnitCurrency, top.Delta)}), top.Key, nil
	}
	largest := cs[0]
	for _, c := range cs {
		if c.Value != nil && (largest.Value == nil || *c.Value > *largest.Value) {
			largest = c
		}
	}
	if largest.Value == nil {
		return "", "its campaigns", nil
	}
	return say("cause_spend_largest", spendLargest{Campaign: largest.Key, Spend: wording.Metric(model.Spend, largest.Value),
		Share: wording.Value(model.UnitPercent, model.Float(*largest.Value/total))}), largest.Key, nil
}

// signed writes a change with its sign: +$1,234, -0.42x.
func signed(unit model.Unit, v float64) string {
	s := wording.Value(unit, model.Float(math.Abs(v)))
	if v < 0 {
		return "-" + s
	}
	return "+" + s
}

// anomaly compares each platform's CPA or ROAS yesterday with its daily
// values over the window before.
func (ac *alertContext) anomaly(ctx context.Context, r AlertRule) (*evaluation, error) {
	start := ac.yday.AddDate(0, 0, -r.WindowDays)
	req := question.Request{Question: fmt.Sprintf("Daily %s by platform", r.Metric), Intent: question.IntentTrend, Metrics: []model.MetricID{r.Metric},
		GroupBy: []string{model.DimDay, model.DimPlatform}, Period: span(start, ac.yday, ""), Filters: platformsOf(r)}
	a, err := ac.eng.Answer(ctx, req)
	if err != nil {
		return nil, err
	}
	yday := ac.yday.Format(period.DateLayout)
	history := map[string][]float64{}
	latest := map[string]*float64{}
	for _, row := range a.Rows {
		pl, v := row.Key[model.DimPlatform], row.Values[r.Metric]
		switch {
		case row.Key[model.DimDay] == yday:
			latest[pl] = v
		case v != nil:
			history[pl] = append(history[pl], *v)
		}
	}
	ev := newEvaluation()
	for _, pl := range sortedKeys(history) {
		if err := ac.judge(ctx, r, ev, pl, history[pl], latest[pl]); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// minSpread is the least daily spread, as a share of the average, an
// anomaly rule reads a history as having.
const minSpread = 0.02

// minHistory is the share of the window that must have values for its
// standard deviation to mean anything.
const minHistory = 0.5

func (ac *alertContext) judge(ctx context.Context, r AlertRule, ev *evaluation, pl string, hist []float64, v *float64) error {
	if v == nil || float64(len(hist)) < minHistory*float64(r.WindowDays) {
		ev.unknown[pl] = true
		return nil
	}
	mean, sd := meanSD(hist)
	mt, _ := model.LookupMetric(r.Metric)
	f := anomaly{Platform: model.PlatformName(pl), Metric: mt.Name, Day: dayText(ac.yday), Value: wording.Metric(r.Metric, v), Mean: wording.Metric(r.Metric, &mean),
		Days: r.WindowDays, SD: wording.Metric(r.Metric, &sd), Threshold: fmt.Sprintf("%g", r.Sigma)}
	// A history that barely varied (a fixed bid, planted or steady data)
	// is read as varying by at least minSpread of its average: a day far
	// off it is unusual, however small its standard deviation.
	spread, flat := sd, sd < minSpread*math.Abs(mean)
	if flat {
		spread = minSpread * math.Abs(mean)
	}
	if spread == 0 {
		ev.fine[pl] = say("anomaly_fine", f)
		return nil
	}
	z := (*v - mean) / spread
	worse := (z > 0) != mt.HigherIsBetter
	f.Sigmas, f.Direction = fmt.Sprintf("%.1f", math.Abs(z)), "above"
	if z < 0 {
		f.Direction = "below"
	}
	if math.Abs(z) <= r.Sigma || (r.Direction != "both" && !worse) {
		ev.fine[pl] = say("anomaly_fine", f)
		return nil
	}
	cause, focus, dim, silent, err := ac.ratioCause(ctx, r.Metric, pl)
	if err != nil {
		return err
	}
	next := "next_good"
	switch {
	case worse && !mt.HigherIsBetter:
		next = "next_bad_cost"
	case worse:
		next = "next_bad_return"
	}
	step := wording.Capitalize(strings.TrimPrefix(wording.Say(next, wording.Next{Focus: focus, Dim: dim}), "Next: "))
	if worse && silent {
		// A campaign that spent and recorded nothing has lost its
		// tracking more often than its audience: bids are not the fix.
		step = say("anomaly_next_silent", silentCampaign{Campaign: focus})
	}
	title, what := say("anomaly_title", f), say("anomaly_what", f)
	if flat {
		off := math.Abs(*v/mean - 1)
		f.Off = wording.Value(model.UnitPercent, &off)
		f.Floor = wording.Value(model.UnitPercent, model.Float(minSpread))
		title, what = say("anomaly_title_flat", f), say("anomaly_what_flat", f)
	}
	ev.breach[pl] = finding{title: title, what: what, cause: cause, next: step}
	return nil
}

func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

// ratioCause names the campaign that moved a platform's metric most
// between the same day last week and yesterday.
//
// dim is the focus's dimension (campaign, or "" for the platform's largest
// campaigns), and silent reports a campaign that recorded no conversion or
// no revenue yesterday, for which the metric could not be worked out or
// came to zero.
func (ac *alertContext) ratioCause(ctx context.Context, metric model.MetricID, platform string) (cause, focus, dim string, silent bool, err error) {
	weekAgo := period.Period{Start: ac.yday.AddDate(0, 0, -7), End: ac.yday.AddDate(0, 0, -7)}
	q := data.Query{Metrics: []model.MetricID{metric}, Period: period.Period{Start: ac.yday, End: ac.yday}, Compare: &weekAgo, Filters: map[string][]string{model.DimPlatform: {platform}}}
	cs, err := ac.st.Drivers(ctx, q, metric, model.DimCampaign)
	if err != nil || len(cs) == 0 || cs[0].Delta == 0 {
		return "", "the largest " + model.PlatformName(platform) + " campaigns", "", false, err
	}
	total := 0.0
	for _, c := range cs {
		total += c.Delta
	}
	mt, _ := model.LookupMetric(metric)
	top := cs[0]
	f := ratioCause{Campaign: top.Key, Metric: mt.Name, Part: signed(mt.Unit, top.Delta), Change: signed(mt.Unit, total),
		Value: wording.Metric(metric, top.Value), WeekAgo: wording.Metric(metric, top.CompareValue)}
	silent = top.CompareValue != nil && (top.Value == nil || *top.Value == 0) && slices.Contains([]model.MetricID{model.CPA, model.ROAS, model.CVR}, metric)
	return say("cause_ratio", f), top.Key, model.DimCampaign, silent, nil
}

// zeroConversions finds campaigns that spent over the last days with no
// conversion.
func (ac *alertContext) zeroConversions(ctx context.Context, r AlertRule) (*evaluation, error) {
	p := span(ac.yday.AddDate(0, 0, 1-r.Days), ac.yday, fmt.Sprintf("the last %d days", r.Days))
	req := question.Request{Question: "Spend, conversions and clicks by campaign " + p.Label, Intent: question.IntentBreakdown, Metrics: []model.MetricID{model.Spend, model.Conversions, model.Clicks},
		GroupBy: []string{model.DimCampaign, model.DimPlatform}, Period: p, Filters: platformsOf(r)}
	a, err := ac.eng.Answer(ctx, req)
	if err != nil {
		return nil, err
	}
	ev := newEvaluation()
	for _, row := range a.Rows {
		pl, c := row.Key[model.DimPlatform], row.Key[model.DimCampaign]
		subject := pl + "/" + c
		spend, conv, clicks := row.Values[model.Spend], row.Values[model.Conversions], row.Values[model.Clicks]
		f := zeroAlert{Campaign: c, Platform: model.PlatformName(pl), Period: p.Label + " (" + wording.PeriodText(dr(p)) + ")", Spend: wording.Metric(model.Spend, spend),
			Clicks: wording.Metric(model.Clicks, clicks), Conversions: wording.Metric(model.Conversions, conv), Days: r.Days}
		if spend == nil || conv == nil {
			ev.unknown[subject] = true
			continue
		}
		if *conv > 0 || *spend < r.MinAmount {
			ev.fine[subject] = say("zero_fine", f)
			continue
		}
		cause := "zero_cause_tracking"
		if clicks == nil || *clicks == 0 {
			cause = "zero_cause_reach"
		}
		ev.breach[subject] = finding{title: say("zero_title", f), what: say("zero_what", f), cause: say(cause, f), next: say("zero_next", f)}
	}
	return ev, nil
}

func dr(p period.Period) period.Period { return period.Period{Start: p.Start, End: p.End} }

// stale finds sources whose last day of data ended more than the rule's
// hours ago.
func (ac *alertContext) stale(r AlertRule) *evaluation {
	ev := newEvaluation()
	for _, src := range sortedKeys(ac.fresh) {
		if len(r.Platforms) > 0 && !slices.Contains(r.Platforms, src) {
			continue
		}
		fr := ac.fresh[src]
		y, m, d := fr.LastDay.Date()
		end := time.Date(y, m, d+1, 0, 0, 0, 0, ac.loc)
		age := ac.now.Sub(end)
		name := model.PlatformName(src)
		if src == "business" {
			name = "Business results"
		}
		f := staleAlert{Source: name, LastDay: dayText(fr.LastDay), Hours: fmt.Sprintf("%.0f", age.Hours()), Threshold: fmt.Sprintf("%g", r.Hours), Via: fr.Via}
		if age.Hours() <= r.Hours {
			ev.fine[src] = say("stale_fine", f)
			continue
		}
		cause := "stale_cause_stopped"
		if !fr.ImportedAt.IsZero() {
			f.Imported = fr.ImportedAt.In(ac.loc).Format("Mon Jan 2 15:04 MST")
			if fr.ImportedAt.After(end) {
				cause = "stale_cause_lagging"
			}
		}
		ev.breach[src] = finding{title: say("stale_title", f), what: say("stale_what", f), cause: say(cause, f), next: say("stale_next", f)}
	}
	if len(r.Platforms) == 0 {
		ac.staleSyncs(r, ev)
	}
	return ev
}

// syncSubject is the stale-data subject of a configured source (SOURCES_CONFIG).
const syncSubject = "sync:"

// staleSyncs finds the configured sources that have not synced for more
// than the rule's hours: a source that stops delivering is named even
// while its platforms' data still looks recent.
func (ac *alertContext) staleSyncs(r AlertRule, ev *evaluation) {
	for _, rec := range ac.syncs {
		age := ac.now.Sub(rec.At)
		f := staleAlert{Source: rec.Source, Hours: fmt.Sprintf("%.0f", age.Hours()), Threshold: fmt.Sprintf("%g", r.Hours),
			Imported: rec.At.In(ac.loc).Format("Mon Jan 2 15:04 MST")}
		if !rec.LastDay.IsZero() {
			f.LastDay = dayText(rec.LastDay)
		}
		subject := syncSubject + rec.Source
		if age.Hours() <= r.Hours {
			ev.fine[subject] = say("stale_sync_fine", f)
			continue
		}
		ev.breach[subject] = finding{title: say("stale_sync_title", f), what: say("stale_sync_what", f), cause: say("stale_sync_cause", f), next: say("stale_sync_next", f)}
	}
	// A source taken out of the configuration is no longer synced, on
	// purpose: its incident, if one is open, clears.
	for _, rec := range ac.removed {
		ev.fine[syncSubject+rec.Source] = say("stale_sync_removed", staleAlert{Source: rec.Source})
	}
}
