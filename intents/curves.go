package intents

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/curves"
	"github.com/sowhat-ai/sowhat/model/period"
)

// historyWeeks is how much history curves are fitted on: two years.
const historyWeeks = 104

// Fitted is every platform's response curve on one generation of the data,
// and what they rest on.
type Fitted struct {
	// Curves are by platform, in the order answers show platforms.
	Curves []curves.Curve
	// From and To are the whole weeks fitted on.
	From, To time.Time
	// Stale says which anchoring experiments are stale at To.
	Stale map[string]bool
}

// Curve returns the platform's curve.
func (f *Fitted) Curve(platform string) (curves.Curve, bool) {
	for _, c := range f.Curves {
		if c.Platform == platform {
			return c, true
		}
	}
	return curves.Curve{}, false
}

// curveCache keeps the fitted curves for the data generation they were
// fitted on: fitting costs tens of milliseconds, and a budget answer, a
// budget review digest and the marginal ROAS alert all ask for them.
type curveCache struct {
	mu  sync.Mutex
	gen int64
	fit *Fitted
}

// Curves returns every platform's response curve, fitted on the last two
// years of weekly spend and attributed revenue and anchored to each
// platform's latest significant revenue experiment, cached until the next
// import.
func (e *Engine) Curves(ctx context.Context) (*Fitted, error) {
	gen, err := e.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	e.curves.mu.Lock()
	defer e.curves.mu.Unlock()
	if e.curves.fit != nil && e.curves.gen == gen && !e.uncached {
		return e.curves.fit, nil
	}
	weeks, from, to, err := e.weeklyHistory(ctx)
	if err != nil {
		return nil, err
	}
	exps, err := e.st.Experiments(ctx)
	if err != nil {
		return nil, fmt.Errorf("fit curves: %w", err)
	}
	anchors, stale := latestAnchors(exps, to)
	fit := &Fitted{From: from, To: to, Stale: stale}
	opt := curves.DefaultOptions()
	for _, pl := range platformOrder(weeks) {
		var an *curves.Anchor
		if a, ok := anchors[pl]; ok {
			an = &a
		}
		fit.Curves = append(fit.Curves, curves.Fit(pl, weeks[pl], an, opt))
	}
	e.curves.gen, e.curves.fit = gen, fit
	return fit, nil
}

// weeklyHistory reads each platform's daily spend and attributed revenue
// and sums them into the whole Monday weeks of the last two years of data.
func (e *Engine) weeklyHistory(ctx context.Context) (map[string][]curves.Week, time.Time, time.Time, error) {
	span, err := e.st.DataRange(ctx)
	if err != nil || span.Start.IsZero() {
		return nil, time.Time{}, time.Time{}, err
	}
	// The last whole week ends on the Sunday on or before the last day.
	to := period.WeekStart(span.End.AddDate(0, 0, 1)).AddDate(0, 0, -1)
	from := to.AddDate(0, 0, 1-7*historyWeeks)
	if from.Before(span.Start) {
		from = period.WeekStart(span.Start.AddDate(0, 0, 6))
	}
	if !from.Before(to) {
		return map[string][]curves.Week{}, from, to, nil
	}
	res, err := e.st.Run(ctx, data.Query{Metrics: []model.MetricID{model.Spend, model.Revenue}, Period: period.Period{Start: from, End: to},
		GroupBy: []string{model.DimDay, model.DimPlatform}})
	if err != nil {
		return nil, time.Time{}, time.Time{}, fmt.Errorf("read weekly history: %w", err)
	}
	days := map[string][]curves.Day{}
	for _, r := range res.Rows {
		d, err := time.Parse(period.DateLayout, r.Key[model.DimDay])
		if err != nil {
			return nil, time.Time{}, time.Time{}, fmt.Errorf("read weekly history: day %q: %w", r.Key[model.DimDay], err)
		}
		pl := r.Key[model.DimPlatform]
		days[pl] = append(days[pl], curves.Day{Date: d, Spend: val(r.Values[model.Spend]), Outcome: val(r.Values[model.Revenue])})
	}
	weeks := make(map[string][]curves.Week, len(days))
	for pl, ds := range days {
		weeks[pl] = curves.Weekly(ds, from, to)
	}
	return weeks, from, to, nil
}

// platformOrder lists the platforms with history in the order answers
// show them.
func platformOrder(weeks map[string][]curves.Week) []string {
	rank := map[string]int{}
	for i, p := range model.Platforms {
		rank[p.ID] = i
	}
	out := make([]string, 0, len(weeks))
	for pl := range weeks {
		out = append(out, pl)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, iok := rank[out[i]]
		rj, jok := rank[out[j]]
		if iok != jok {
			return iok
		}
		if ri != rj {
			return ri < rj
		}
		return out[i] < out[j]
	})
	return out
}

// latestAnchors picks, per platform, the newest experiment that can anchor
// a revenue curve: a significant platform-wide revenue test (no one
// campaign or campaign type) with a positive incremental ROAS; stale names
// those of them that are stale on day. Experiments come newest first.
func latestAnchors(exps []data.Experiment, day time.Time) (anchors map[string]curves.Anchor, stale map[string]bool) {
	anchors, stale = map[string]curves.Anchor{}, map[string]bool{}
	for _, x := range exps {
		if _, done := anchors[x.Platform]; done || x.Outcome != data.OutcomeRevenue || x.IROAS <= 0 || x.Campaign != "" || x.CampaignType != "" || !x.IsSignificant() {
			continue
		}
		anchors[x.Platform] = curves.Anchor{Test: x.Test, Start: x.Start, End: x.End, IROAS: x.IROAS, CILow: x.CILow, CIHigh: x.CIHigh}
		stale[x.Test] = x.StaleOn(day)
	}
	return anchors, stale
}

// Backtest fits each platform's curve on its history before the last
// weeks weeks of data and scores the predicted attributed revenue of those
// weeks, at the spend they had, against what the platform reported.
func (e *Engine) Backtest(ctx context.Context, weeks int) ([]curves.Score, error) {
	if weeks <= 0 {
		return nil, fmt.Errorf("backtest: weeks must be positive, got %d", weeks)
	}
	hist, _, _, err := e.weeklyHistory(ctx)
	if err != nil {
		return nil, fmt.Errorf("backtest: %w", err)
	}
	var out []curves.Score
	for _, pl := range platformOrder(hist) {
		w := hist[pl]
		out = append(out, curves.Backtest(pl, w, len(w)-weeks, weeks, curves.DefaultOptions()))
	}
	return out, nil
}
