package intents

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// Polisher rewrites an answer's wording for its reader (audience), from
// the answer and its facts (every figure and name it holds, written the
// house way). The engine keeps the rewrite only if it passes the grounding
// check (see ground.go).
type Polisher interface {
	Polish(ctx context.Context, a model.Answer, audience string, facts []string) (summary, soWhat string, err error)
}

// Engine answers questions from a store.
type Engine struct {
	st         *data.Store
	log        *slog.Logger
	understand Understander
	polish     Polisher
	// budget bounds each call to a model (understanding, then writing):
	// a late model is not waited for.
	budget time.Duration
	// parse is what questions are read with besides their words: the
	// business's fiscal calendar.
	parse question.Options
	// rankByRows ranks every ranking by rows, as rankings with a
	// threshold are: what a ranking by columns is checked against.
	rankByRows bool

	mu    sync.Mutex
	gen   int64
	vocab question.Vocabulary

	cache  answerCache
	curves curveCache
	// uncached computes the curves afresh for each question, as the
	// answers are (WithoutCache).
	uncached bool
}

// Option configures an Engine.
type Option func(*Engine)

// WithPolisher lets an LLM rewrite wording; every number and name is
// checked against the answer's facts.
func WithPolisher(p Polisher) Option { return func(e *Engine) { e.polish = p } }

// WithFiscalCalendar reads fiscal periods ("fiscal Q3", "fytd") through
// the business's fiscal calendar; nil leaves them read as calendar ones,
// with a question back.
func WithFiscalCalendar(c *period.Calendar) Option {
	return func(e *Engine) { e.parse.Fiscal = c }
}

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// New returns an engine over st.
func New(st *data.Store, opts ...Option) *Engine {
	e := &Engine{st: st, log: slog.Default(), gen: -1, budget: DefaultModelBudget}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Store returns the engine's store.
func (e *Engine) Store() *data.Store { return e.st }

// Vocabulary returns the names in the data, cached until the next import.
func (e *Engine) Vocabulary(ctx context.Context) (question.Vocabulary, error) {
	gen, err := e.st.Generation(ctx)
	if err != nil {
		return question.Vocabulary{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if gen == e.gen {
		return e.vocab, nil
	}
	v, err := e.loadVocabulary(ctx, gen)
	if err != nil {
		return question.Vocabulary{}, err
	}
	e.vocab, e.gen = v, gen
	return e.vocab, nil
}

// Warm readies what every question needs, so the first one asked doesn't
// wait for it: the names in the data and the parser's word lists. A server
// calls it as it starts.
func (e *Engine) Warm(ctx context.Context) error {
	question.Warm()
	if _, err := e.Vocabulary(ctx); err != nil {
		return fmt.Errorf("warm engine: %w", err)
	}
	return nil
}

// Ask parses a question and answers it. Audience is the asker's role, if
// known. The request is returned too, so a conversation can carry it.
func (e *Engine) Ask(ctx context.Context, text string, asOf time.Time, audience string) (model.Answer, question.Request, error) {
	return e.AskFollowUp(ctx, text, asOf, audience, nil)
}

// Answer answers a parsed request. An answer is kept until the next import:
// the same request on the same data has the same answer, and executives ask
// the same few things, so most repeat questions skip the database.
//
// Metrics in req.Hidden are left out of the answer, silently: a request
// for one of them alone is ErrHidden, to be refused before it is asked.
func (e *Engine) Answer(ctx context.Context, req question.Request) (model.Answer, error) {
	a, err := e.answer(ctx, req)
	if err != nil || len(req.Hidden) == 0 {
		return a, err
	}
	a.Suggestions, err = e.askable(ctx, a.Suggestions, req)
	return a, err
}

func (e *Engine) answer(ctx context.Context, req question.Request) (model.Answer, error) {
	req, err := visibleRequest(req)
	if err != nil {
		return model.Answer{}, err
	}
	if req.Clarify != "" {
		return clarification(req), nil
	}
	gen, err := e.st.Generation(ctx)
	if err != nil {
		return model.Answer{}, err
	}
	if req.Intent != question.IntentBudget { // a plan's period is ahead of the data
		if req, err = e.clampToData(ctx, req); err != nil {
			return model.Answer{}, err
		}
		if req, err = e.clampToHistory(ctx, req); err != nil {
			return model.Answer{}, err
		}
	}
	if req.Clarify != "" {
		return clarification(req), nil
	}
	compute := func() (model.Answer, error) { return e.compute(ctx, req) }
	var a model.Answer
	if e.cache.off {
		a, err = compute()
	} else {
		a, err = e.cache.answer(ctx, cacheKey(req), gen, compute)
	}
	if err != nil {
		return model.Answer{}, err
	}
	a.Question = req.Question
	if e.polish != nil && a.Clarify == "" && a.Summary != "" {
		e.applyPolish(ctx, &a, req)
	}
	return a, nil
}

// clampToData ends a period at the last day the asked-about platforms have
// data for, and the comparison by as many days: a platform whose export is
// late is compared like for like, not a short week against a full one.
func (e *Engine) clampToData(ctx context.Context, req question.Request) (question.Request, error) {
	platforms := req.Filters[model.DimPlatform]
	if len(platforms) == 0 || req.Intent == question.IntentBrandLift || req.Intent == question.IntentHelp || req.Intent == question.IntentUnknown {
		return req, nil
	}
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return req, err
	}
	var last time.Time
	for _, f := range fresh {
		if slices.Contains(platforms, f.Source) && f.LastDay.After(last) {
			last = f.LastDay
		}
	}
	if last.IsZero() || !last.Before(req.Period.End) || last.Before(req.Period.Start) {
		return req, nil
	}
	cut := req.Period.End.Sub(last)
	req.Period.End = last
	req.Period.Label = ""
	if req.Compare != nil {
		c := *req.Compare
		c.End = c.End.Add(-cut)
		c.Label = ""
		req.Compare = &c
	}
	req.Notes = append(append([]string(nil), req.Notes...), fmt.Sprintf("Data for %s ends %s, so this covers the days through then%s.",
		wording.JoinAnd(dimNames(model.DimPlatform, platforms)), last.Format("Jan 2"), map[bool]string{true: ", compared with as many days", false: ""}[req.Compare != nil]))
	return req, nil
}

// compute answers a request from the store.
func (e *Engine) compute(ctx context.Context, req question.Request) (model.Answer, error) {
	var a model.Answer
	var err error
	switch req.Intent {
	case question.IntentValue:
		a, err = e.value(ctx, req)
	case question.IntentCompare:
		a, err = e.compare(ctx, req)
	case question.IntentBreakdown:
		a, err = e.breakdown(ctx, req)
	case question.IntentTop:
		a, err = e.top(ctx, req)
	case question.IntentTrend:
		a, err = e.trend(ctx, req)
	case question.IntentWhy:
		a, err = e.why(ctx, req)
	case question.IntentPacing:
		a, err = e.pacing(ctx, req)
	case question.IntentBrandLift:
		a, err = e.brandLift(ctx, req)
	case question.IntentBudget:
		a, err = e.budgetMoves(ctx, req)
	case question.IntentIncrementality:
		a, err = e.incrementality(ctx, req)
	case question.IntentHelp:
		a = help(req)
	default:
		a = unknown(req)
	}
	if err != nil {
		return model.Answer{}, fmt.Errorf("answer %s question: %w", req.Intent, err)
	}
	if a.Intent != string(question.IntentHelp) && a.Intent != string(question.IntentUnknown) && a.Intent != string(question.IntentBudget) && a.Clarify == "" {
		if err := e.addFreshness(ctx, req, &a); err != nil {
			return model.Answer{}, err
		}
	}
	if slices.Contains(a.Metrics, model.PaybackMonths) {
		a.Notes = append(a.Notes, fmt.Sprintf("CAC payback assumes %.1f orders per customer a year (PAYBACK_ORDERS_PER_CUSTOMER_YEAR).", e.st.OrdersPerCustomerYear()))
	}
	return a, nil
}

// addFreshness lists the sources the answer rests on and notes any whose data
// stops before the period ends.
func (e *Engine) addFreshness(ctx context.Context, req question.Request, a *model.Answer) error {
	all, err := e.st.Freshness(ctx)
	if err != nil {
		return err
	}
	wantBiz, wantAds := false, false
	for _, m := range a.Metrics {
		mt, ok := model.LookupMetric(m)
		if !ok {
			continue
		}
		for _, n := range mt.Needs(model.Context{}) {
			switch model.Measures[n].Table {
			case model.TableBusiness:
				wantBiz = true
			default:
				wantAds = true
			}
		}
	}
	platforms := req.Filters[model.DimPlatform]
	end := a.Period.End
	var stale []string
	for _, f := range all {
		switch {
		case f.Source == "business" && !wantBiz:
			continue
		case f.Source != "business" && (!wantAds || len(platforms) > 0 && !slices.Contains(platforms, f.Source)):
			continue
		}
		a.Freshness = append(a.Freshness, f)
		if f.LastDay.Before(end) && !f.LastDay.Before(a.Period.Start.AddDate(0, 0, -60)) {
			late := fmt.Sprintf("%s data ends %s", sourceName(f.Source), f.LastDay.Format("Jan 2"))
			if !slices.ContainsFunc(a.Notes, func(n string) bool { return strings.HasPrefix(n, late) }) {
				stale = append(stale, late) // unless the handler already said how it dealt with it
			}
		}
	}
	if len(stale) > 0 {
		a.Notes = append(a.Notes, strings.Join(stale, "; ")+", so the latest days are missing from these figures.")
	}
	return nil
}

// sourceName names a data source: a platform, or the business results.
func sourceName(s string) string {
	if s == "business" {
		return "Business"
	}
	return model.PlatformName(s)
}
