package intents

import (
	"context"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
)

// followUpLead are the words that open a follow-up in a thread: "and for
// Google?", "what about last month?", "same for ROAS", "by campaign".
var followUpLead = []string{"and ", "what about ", "how about ", "same for ", "same ", "now ", "ok ", "okay ", "also ", "for ", "by ", "vs ", "versus ", "compared to ", "only ", "just ", "split ", "break it down", "drill"}

// IsFollowUp reports whether text reads as a follow-up to an earlier
// question rather than a question of its own.
func IsFollowUp(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	for _, l := range followUpLead {
		if strings.HasPrefix(t, l) {
			return true
		}
	}
	return len(strings.Fields(t)) <= 3
}

// AskFollowUp answers a question asked in a conversation whose last request
// was prev (nil for a fresh conversation). A follow-up keeps what it does
// not change: "and for Google?" swaps the platform, "what about last month?"
// the period, "by campaign" adds a breakdown.
func (e *Engine) AskFollowUp(ctx context.Context, text string, asOf time.Time, audience string, prev *question.Request) (model.Answer, question.Request, error) {
	req, err := e.Understand(ctx, text, asOf, question.Reader{Audience: audience}, prev)
	if err != nil {
		return model.Answer{}, question.Request{}, err
	}
	a, err := e.Answer(ctx, req)
	return a, req, err
}

// Understand reads a question in its conversation into the request that
// would be answered, without querying anything: callers check what it asks
// for (access to sensitive metrics) before any number is computed. The
// request carries the reader's hidden metrics, and every metric that would
// reveal one (model.Concealed): its answer shows none of them.
func (e *Engine) Understand(ctx context.Context, text string, asOf time.Time, r question.Reader, prev *question.Request) (question.Request, error) {
	vocab, err := e.Vocabulary(ctx)
	if err != nil {
		return question.Request{}, err
	}
	opt := e.parse
	opt.Hidden = model.Concealed(r.Hidden)
	var req question.Request
	if prev == nil || !IsFollowUp(text) || prev.Intent == question.IntentHelp || prev.Intent == question.IntentUnknown {
		req = question.ParseWith(text, asOf, vocab, opt)
		if e.understand != nil && unsure(req) {
			req = e.modelRequest(ctx, req, asOf, prev, opt.Hidden)
		}
	} else {
		next := question.ParseWith(text, asOf, vocab, opt)
		req = Merge(*prev, next)
		if e.understand != nil && readNothing(next) {
			req = e.modelRequest(ctx, req, asOf, prev, opt.Hidden)
		}
	}
	req.Audience = r.Audience
	req.Hidden = opt.Hidden
	req.AsOf = period.Day(asOf)
	return revenueForAudience(req), nil
}

// Merge applies a follow-up's parse onto the previous request.
func Merge(prev, next question.Request) question.Request {
	out := prev
	out.Question = next.Question
	out.Notes = nil
	out.Clarify, out.Suggestions = "", nil
	explicitMetrics := len(next.Metrics) > 0 && !next.MetricsDefaulted && next.Intent != question.IntentUnknown && next.Intent != question.IntentHelp
	if explicitMetrics && !(next.Intent == question.IntentPacing || next.Intent == question.IntentBrandLift) {
		out.Metrics = next.Metrics
	}
	if !next.PeriodDefaulted && !next.Period.Start.IsZero() {
		out.Period = next.Period
		out.PeriodDefaulted = false
		if next.Compare != nil {
			out.Compare = next.Compare
		} else if prev.Compare != nil {
			p := question.Previous(next.Period)
			out.Compare = &p
		}
	} else if next.Compare != nil {
		out.Compare = next.Compare
	}
	if len(next.Filters) > 0 {
		out.Filters = map[string][]string{}
		for d, v := range prev.Filters {
			out.Filters[d] = v
		}
		for d, v := range next.Filters {
			out.Filters[d] = v
		}
	}
	if len(next.GroupBy) > 0 {
		out.GroupBy = next.GroupBy
		out.Limit = next.Limit
		out.Ascending = next.Ascending
		switch {
		case prev.Change != "" && (next.Intent == question.IntentUnknown || next.Intent == question.IntentValue || next.Intent == question.IntentBreakdown):
			// "and by platform?" after a ranking of movers: the movers of
			// each platform.
			out.Intent, out.Limit, out.Ascending = question.IntentTop, prev.Limit, false
		case next.Intent != question.IntentUnknown && next.Intent != question.IntentValue:
			out.Intent, out.Change, out.Relative = next.Intent, next.Change, next.Relative
		default:
			out.Intent, out.Change, out.Relative = question.IntentBreakdown, "", false
		}
		if out.Intent == question.IntentBreakdown || out.Intent == question.IntentTop && out.Change == "" {
			out.Compare = nil
		}
	} else if next.Intent == question.IntentWhy || next.Intent == question.IntentTrend || next.Intent == question.IntentTop || (next.Intent == question.IntentCompare && next.Compare != nil) {
		out.Intent, out.Change, out.Relative = next.Intent, next.Change, next.Relative
	}
	if out.Intent == question.IntentCompare && len(out.GroupBy) > 0 && len(next.Filters[model.DimPlatform]) == 1 && len(prev.GroupBy) > 0 && prev.GroupBy[0] == model.DimPlatform {
		// "and for Google?" after "compare google and meta": just Google.
		out.Intent, out.GroupBy = question.IntentValue, nil
	}
	return out
}
