package question

import (
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// clarifyMetric asks which metric is meant when none was named (or only
// one sowhat does not have). With no metric the answer cannot be
// confident, so the intent becomes unknown.
func clarifyMetric(req *Request, sd *said) {
	req.Intent = IntentUnknown
	req.Metrics = nil
	if len(sd.unsupported) > 0 {
		h := sd.unsupported[0]
		var alts []model.MetricID
		for _, a := range strings.Split(h.e.arg, ",") {
			alts = append(alts, model.MetricID(a))
		}
		if alts = model.Visible(alts, req.Hidden); len(alts) > 0 {
			req.Clarify = fmt.Sprintf("sowhat has no %q metric. The closest are %s: which one?", strings.Join(h.e.words, " "), wording.JoinOr(metricNames(alts)))
			req.Suggestions = metricSuggestions(req, alts)
			return
		}
	}
	req.Clarify = "Which metric" + aboutWhat(req) + ": spend, revenue, ROAS, CPA or another?"
	req.Suggestions = metricSuggestions(req, []model.MetricID{model.Spend, model.ROAS, model.CPA})
}

// aboutData reports whether anything in the question is about the data: a
// period, a name, a dimension, or a question word of the grammar.
func (sd *said) aboutData() bool {
	return len(sd.periods) > 0 || len(sd.filters) > 0 || len(sd.dims) > 0 || len(sd.sups) > 0 || len(sd.unsupported) > 0 || len(sd.notHeld) > 0 ||
		sd.change || sd.compareKw || sd.trend || sd.breakdown || sd.why || sd.howMuch || sd.perf || sd.shift || sd.grain != ""
}

// clarifyAmbiguity asks which name was meant, or what to compare with.
func clarifyAmbiguity(req *Request, fd *found, sd *said) {
	if len(fd.ambiguous) > 0 {
		a := fd.ambiguous[0]
		names := a.names
		if len(names) > 4 {
			names = names[:4]
		}
		req.Clarify = fmt.Sprintf("Which %s do you mean: %s?", strings.ReplaceAll(a.dim, "_", " "), wording.JoinOr(quoted(names)))
		req.Suggestions = nameSuggestions(req, names)
		return
	}
	if req.Clarify == "" && sd.nothingToCompare(req) {
		req.Clarify = "Compare with what: the period before, last year, or across platforms?"
		req.Suggestions = compareSuggestions(req)
	}
}

// nothingToCompare reports "compare" with only one thing to compare.
func (sd *said) nothingToCompare(req *Request) bool {
	return req.Intent == IntentCompare && sd.compareKw && req.Compare == nil && len(req.GroupBy) == 0
}

// aboutWhat says what the question was about: " for Meta last week".
func aboutWhat(req *Request) string {
	var parts []string
	if subj := subjectOf(req.Filters); subj != "" {
		parts = append(parts, subj)
	}
	if !req.PeriodDefaulted && req.Period.Label != "" {
		parts = append(parts, req.Period.Label)
	}
	if len(parts) == 0 {
		return ""
	}
	return " for " + strings.Join(parts, " ")
}

// subjectOf names the first thing filtered on.
func subjectOf(f map[string][]string) string {
	for _, d := range []string{"campaign", "platform", "category", "campaign_type", "region", "channel"} {
		if v := f[d]; len(v) > 0 {
			if d == "platform" {
				return model.PlatformName(v[0])
			}
			return v[0]
		}
	}
	return ""
}

// suggestionPeriod is the period to put in suggestions.
func suggestionPeriod(req *Request) string {
	if req.PeriodDefaulted || req.Period.Label == "" {
		return "last week"
	}
	return req.Period.Label
}

func metricSuggestions(req *Request, ids []model.MetricID) []string {
	subj := subjectOf(req.Filters)
	var out []string
	for _, id := range ids {
		s := metricName(id)
		if subj != "" {
			s += " for " + subj
		}
		out = append(out, s+" "+suggestionPeriod(req))
	}
	return out
}

func nameSuggestions(req *Request, names []string) []string {
	m := "spend"
	if len(req.Metrics) > 0 {
		m = string(req.Metrics[0])
	}
	var out []string
	for _, n := range names {
		out = append(out, fmt.Sprintf("%s for %s %s", metricName(model.MetricID(m)), n, suggestionPeriod(req)))
	}
	return out
}

func compareSuggestions(req *Request) []string {
	m := "Spend"
	if len(req.Metrics) > 0 {
		m = metricName(req.Metrics[0])
	}
	p := suggestionPeriod(req)
	return []string{
		fmt.Sprintf("%s %s vs the period before", m, p),
		fmt.Sprintf("%s %s vs last year", m, p),
		fmt.Sprintf("%s by platform %s", m, p),
	}
}

// suggestions are questions close to this one that can be answered.
func suggestions(req *Request) []string {
	if len(req.Metrics) == 0 {
		return metricSuggestions(req, []model.MetricID{model.Spend, model.ROAS, model.CPA})
	}
	return compareSuggestions(req)
}

func metricNames(ids []model.MetricID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = metricName(id)
	}
	return out
}

func quoted(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
