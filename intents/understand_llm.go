package intents

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
)

// Understander fills the structured request for a question the parser
// could not read with confidence — a language model behind one tool call.
// It gets the question as data and only the names it needs (metrics and
// dimension values, never rows) and returns a draft the engine checks.
type Understander interface {
	Understand(ctx context.Context, in question.DraftInput) (question.Draft, error)
}

// DefaultModelBudget bounds each model call an answer waits for: the
// understanding, then the writing, so a slow model never holds an answer
// back by more than about three seconds in all.
const DefaultModelBudget = 1400 * time.Millisecond

// WithUnderstander lets a model fill the request when the parser is unsure
// or doesn't understand. What it returns is checked against the registry
// and the data; anything unknown or contradictory is refused and the
// parser's reply (a question back, or help) stands.
func WithUnderstander(u Understander) Option { return func(e *Engine) { e.understand = u } }

// WithModelBudget sets how long each model call may take before the
// deterministic answer goes out without it.
func WithModelBudget(d time.Duration) Option {
	return func(e *Engine) {
		if d > 0 {
			e.budget = d
		}
	}
}

// errDraft is a model's request refused.
var errDraft = errors.New("model's request refused")

// unsure reports whether the parser's reading is one a model may improve:
// it did not understand, it is asking back, or it found no metric it knows
// in the question and chose the default ones.
func unsure(req question.Request) bool {
	return req.Intent == question.IntentUnknown || req.Clarify != "" ||
		req.MetricsDefaulted && req.Intent != question.IntentPacing && req.Intent != question.IntentBrandLift && req.Intent != question.IntentHelp
}

// readNothing reports whether a follow-up's own parse found nothing to
// change: no metric, period, filter or grouping.
func readNothing(next question.Request) bool {
	return next.Intent == question.IntentUnknown && len(next.Filters) == 0 && len(next.GroupBy) == 0 &&
		(next.PeriodDefaulted || next.Period.Start.IsZero()) && next.Compare == nil &&
		(len(next.Metrics) == 0 || next.MetricsDefaulted)
}

// modelRequest asks the understander for the request, within the budget,
// and keeps it only if every field checks out; otherwise req stands.
func (e *Engine) modelRequest(ctx context.Context, req question.Request, asOf time.Time, prev *question.Request, hidden []model.MetricID) question.Request {
	names, err := e.draftNames(ctx, asOf, hidden)
	if err != nil {
		e.log.Warn("model understanding: names", slog.Any("error", err))
		return req
	}
	in := question.DraftInput{Question: req.Question, Names: names}
	if prev != nil && prev.Intent != question.IntentHelp && prev.Intent != question.IntentUnknown {
		d := question.DraftOf(*prev)
		in.Previous = &d
	}
	ctx, cancel := context.WithTimeout(ctx, e.budget)
	defer cancel()
	d, err := e.understand.Understand(ctx, in)
	if err != nil {
		e.log.Info("model understanding unavailable", slog.Any("error", err))
		return req
	}
	got, err := fromDraft(d, names, req.Question, asOf)
	if err != nil {
		e.log.Info("model understanding refused", slog.Any("error", err))
		return req
	}
	return got
}

// draftNames are the names the model may choose from: the metrics the
// reader may see and the data's own dimension values.
func (e *Engine) draftNames(ctx context.Context, asOf time.Time, hidden []model.MetricID) (question.DraftNames, error) {
	n, err := e.st.Names(ctx)
	if err != nil {
		return question.DraftNames{}, fmt.Errorf("names: %w", err)
	}
	dr, err := e.st.DataRange(ctx)
	if err != nil {
		return question.DraftNames{}, fmt.Errorf("data range: %w", err)
	}
	today := period.Day(asOf)
	out := question.DraftNames{
		Today:     today.Format(period.DateLayout),
		DataStart: dr.Start.Format(period.DateLayout),
		DataEnd:   today.AddDate(0, 0, -1).Format(period.DateLayout),
		Intents: []string{string(question.IntentValue), string(question.IntentCompare), string(question.IntentBreakdown), string(question.IntentTop),
			string(question.IntentTrend), string(question.IntentWhy), string(question.IntentPacing), string(question.IntentBrandLift), string(question.IntentIncrementality), string(question.IntentUnknown)},
		GroupBy: []string{model.DimPlatform, model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimRegion, model.DimChannel, model.DimDay, model.DimWeek, model.DimMonth},
		Values: map[string][]string{
			model.DimPlatform: n.Platforms, model.DimCampaign: n.Campaigns, model.DimCampaignType: n.CampaignTypes,
			model.DimCategory: n.Categories, model.DimRegion: n.Regions, model.DimChannel: n.Channels,
		},
	}
	for dim, v := range out.Values {
		if len(v) == 0 {
			delete(out.Values, dim)
		}
	}
	for _, mt := range model.Metrics() {
		if !slices.Contains(hidden, mt.ID) && !mt.Plan { // a plan's values are not asked for
			out.Metrics = append(out.Metrics, string(mt.ID))
		}
	}
	return out, nil
}

// fromDraft checks a model's draft against the names it was offered and
// the data's dates, and builds the request from it. Every field is
// checked; the first that is unknown or contradicts another refuses the
// whole draft.
func fromDraft(d question.Draft, n question.DraftNames, text string, asOf time.Time) (question.Request, error) {
	if d.Clarify != "" {
		return question.Request{}, fmt.Errorf("%w: the model asked back %q", errDraft, d.Clarify)
	}
	intent := question.Intent(d.Intent)
	if !slices.Contains(n.Intents, d.Intent) || intent == question.IntentUnknown || intent == question.IntentHelp {
		return question.Request{}, fmt.Errorf("%w: intent %q", errDraft, d.Intent)
	}
	req := question.Request{Question: text, Intent: intent, Limit: d.Limit, Ascending: d.Order == "asc",
		Notes: []string{"Read with the language model's help; every figure is computed from the data."}}
	var err error
	if req.Metrics, err = draftMetrics(d, n); err != nil {
		return question.Request{}, err
	}
	if req.Filters, err = draftFilters(d.Filters, n); err != nil {
		return question.Request{}, err
	}
	if req.GroupBy, err = draftGroupBy(d.GroupBy, n); err != nil {
		return question.Request{}, err
	}
	if err := draftPeriods(&req, d, n, asOf); err != nil {
		return question.Request{}, err
	}
	if err := draftShape(&req, d); err != nil {
		return question.Request{}, err
	}
	if d.Change != "" {
		if !slices.Contains([]string{"up", "down", "better", "worse", "either"}, d.Change) || req.Intent != question.IntentTop || req.Compare == nil {
			return question.Request{}, fmt.Errorf("%w: change %q for a %s question", errDraft, d.Change, req.Intent)
		}
		req.Change, req.Ascending, req.Relative = d.Change, false, d.Relative
	} else if d.Relative {
		return question.Request{}, fmt.Errorf("%w: relative without a change", errDraft)
	}
	return req, nil
}

func draftMetrics(d question.Draft, n question.DraftNames) ([]model.MetricID, error) {
	switch question.Intent(d.Intent) {
	case question.IntentPacing:
		return []model.MetricID{model.Spend, model.Budget, model.Pacing}, nil
	case question.IntentBrandLift:
		return nil, nil
	case question.IntentIncrementality:
		return evidenceDraftMetrics(d, n)
	}
	if len(d.Metrics) == 0 {
		return nil, fmt.Errorf("%w: no metric", errDraft)
	}
	var out []model.MetricID
	for _, m := range d.Metrics {
		if _, ok := model.LookupMetric(model.MetricID(m)); !ok || !slices.Contains(n.Metrics, m) {
			return nil, fmt.Errorf("%w: unknown metric %q", errDraft, m)
		}
		if !slices.Contains(out, model.MetricID(m)) {
			out = append(out, model.MetricID(m))
		}
	}
	return out, nil
}

// draftFilters keeps filters whose every value is in the data, spelled
// as the data spells it.
func draftFilters(f map[string][]string, n question.DraftNames) (map[string][]string, error) {
	if len(f) == 0 {
		return nil, nil
	}
	out := map[string][]string{}
	for dim, vals := range f {
		known, ok := n.Values[dim]
		if !ok {
			return nil, fmt.Errorf("%w: unknown filter %q", errDraft, dim)
		}
		for _, v := range vals {
			if dim == model.DimPlatform {
				if id, ok := model.NormalizePlatform(v); ok {
					v = id
				}
			}
			i := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, strings.TrimSpace(v)) })
			if i < 0 {
				return nil, fmt.Errorf("%w: %s %q is not in the data", errDraft, dim, v)
			}
			if !slices.Contains(out[dim], known[i]) {
				out[dim] = append(out[dim], known[i])
			}
		}
		if len(out[dim]) == 0 {
			delete(out, dim)
		}
	}
	return out, nil
}

func draftGroupBy(g []string, n question.DraftNames) ([]string, error) {
	var out []string
	for _, dim := range g {
		if !model.IsDimension(dim) || !slices.Contains(n.GroupBy, dim) {
			return nil, fmt.Errorf("%w: unknown grouping %q", errDraft, dim)
		}
		if !slices.Contains(out, dim) {
			out = append(out, dim)
		}
	}
	return out, nil
}

// draftPeriods reads the periods, each within the data: from its first
// day to the last complete one. A missing period takes the parser's
// default for the intent.
func draftPeriods(req *question.Request, d question.Draft, n question.DraftNames, asOf time.Time) error {
	first, _ := time.Parse(period.DateLayout, n.DataStart)
	last := period.Day(asOf).AddDate(0, 0, -1)
	read := func(name string, p *question.DraftPeriod) (period.Period, error) {
		s, err1 := time.Parse(period.DateLayout, p.Start)
		e, err2 := time.Parse(period.DateLayout, p.End)
		switch {
		case err1 != nil || err2 != nil:
			return period.Period{}, fmt.Errorf("%w: %s %q–%q is not two dates", errDraft, name, p.Start, p.End)
		case e.Before(s):
			return period.Period{}, fmt.Errorf("%w: %s ends before it starts", errDraft, name)
		case s.Before(first) || e.After(last):
			return period.Period{}, fmt.Errorf("%w: %s %s–%s is outside the data (%s–%s)", errDraft, name, p.Start, p.End, n.DataStart, last.Format(period.DateLayout))
		}
		return period.Period{Start: s, End: e}, nil
	}
	var err error
	if d.Period != nil {
		if req.Period, err = read("period", d.Period); err != nil {
			return err
		}
	} else {
		req.Period, req.PeriodDefaulted = defaultPeriod(req.Intent, asOf), true
		req.Notes = append(req.Notes, "No period given: "+req.Period.Label+".")
	}
	if d.ComparePeriod != nil {
		c, err := read("compare_period", d.ComparePeriod)
		if err != nil {
			return err
		}
		if !c.End.Before(req.Period.Start) && !req.Period.End.Before(c.Start) {
			return fmt.Errorf("%w: compare_period overlaps period", errDraft)
		}
		req.Compare = &c
	}
	return nil
}

// defaultPeriod is the period the parser assumes when none is given.
func defaultPeriod(intent question.Intent, asOf time.Time) period.Period {
	today := period.Day(asOf)
	switch intent {
	case question.IntentTrend:
		return period.Last(period.Weeks, today, 8).Named("the last 8 weeks")
	case question.IntentPacing:
		if p, ok := period.ToDate(period.Months, today); ok {
			return p.Named("this month to date")
		}
		return period.Last(period.Months, today, 1).Named("last month")
	case question.IntentBrandLift:
		return period.LastDays(today, 365).Named("the last 12 months")
	case question.IntentIncrementality:
		return period.LastDays(today, 30).Named("the last 30 days")
	}
	return period.LastDays(today, 7).Named("the last 7 days")
}

// draftShape checks that the fields fit the intent, filling what the
// parser would (a comparison's previous period, a trend's weeks), and
// refuses a shape that contradicts itself.
func draftShape(req *question.Request, d question.Draft) error {
	nonTime := slices.DeleteFunc(slices.Clone(req.GroupBy), model.IsTimeDimension)
	timeDims := len(req.GroupBy) - len(nonTime)
	if d.Order != "" && d.Order != "asc" && d.Order != "desc" {
		return fmt.Errorf("%w: order %q", errDraft, d.Order)
	}
	if d.Limit < 0 || d.Limit > 50 || d.Limit > 0 && req.Intent != question.IntentTop {
		return fmt.Errorf("%w: limit %d for a %s question", errDraft, d.Limit, req.Intent)
	}
	switch req.Intent {
	case question.IntentValue:
		if len(req.GroupBy) > 0 || req.Compare != nil {
			return fmt.Errorf("%w: a value question with a grouping or a comparison", errDraft)
		}
	case question.IntentCompare:
		if req.Compare == nil {
			for dim, v := range req.Filters {
				if len(v) >= 2 && (len(req.GroupBy) == 0 || req.GroupBy[0] == dim) {
					req.GroupBy = []string{dim}
				}
			}
			if len(req.GroupBy) == 0 {
				p := question.Previous(req.Period)
				req.Compare = &p
			}
		}
	case question.IntentBreakdown, question.IntentTop:
		if len(nonTime) == 0 || timeDims > 0 {
			return fmt.Errorf("%w: a %s question needs a grouping by platform, campaign or another dimension", errDraft, req.Intent)
		}
		if req.Compare != nil && (req.Intent != question.IntentTop || d.Change == "") {
			return fmt.Errorf("%w: a %s question with a comparison", errDraft, req.Intent) // only a ranking of movers has one
		}
	case question.IntentTrend:
		if len(nonTime) > 0 {
			return fmt.Errorf("%w: a trend grouped by %s", errDraft, nonTime[0])
		}
		if timeDims == 0 {
			req.GroupBy = []string{model.DimWeek}
		}
	case question.IntentWhy:
		if len(req.GroupBy) > 0 {
			return fmt.Errorf("%w: a why question with a grouping", errDraft)
		}
		if req.Compare == nil {
			p := question.Previous(req.Period)
			req.Compare = &p
		}
	case question.IntentPacing, question.IntentBrandLift, question.IntentIncrementality:
		if req.Compare != nil || timeDims > 0 {
			return fmt.Errorf("%w: a %s question with a comparison or a time grouping", errDraft, req.Intent)
		}
	}
	return nil
}

// evidenceDraftMetrics are a model's metrics for an incrementality
// question: those read from tests, incremental ROAS when it names none.
func evidenceDraftMetrics(d question.Draft, n question.DraftNames) ([]model.MetricID, error) {
	var out []model.MetricID
	for _, m := range d.Metrics {
		id := model.MetricID(m)
		if !model.FromEvidence(id) || !slices.Contains(n.Metrics, m) {
			continue // reported figures come with the answer anyway
		}
		out = appendMissing(out, id)
	}
	if len(out) == 0 {
		out = []model.MetricID{model.IROAS}
	}
	return out, nil
}
