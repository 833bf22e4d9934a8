package question

import (
	"slices"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// Incrementality questions: "what's Meta's incremental ROAS?", "is Google
// really driving sales?", "how much of Criteo's reported revenue is
// incremental?", "which channels have we never tested?". They are
// answered from incrementality tests (IntentIncrementality), never from
// what the platforms report alone. The metric words (iroas, incremental
// revenue, holdout, geo test ...) are the registry's; the phrases below are
// the ones that name no metric.

// Keywords of incrementality questions, numbered apart from the grammar's.
const (
	kwCausal   kw = 100 + iota // really driving, would have happened anyway
	kwUntested                 // never tested, untested
)

var incrementalityDefs = []kwDef{
	kws(kwCausal, "", "really driving", "actually driving", "truly driving", "really drive", "actually drive", "really drives",
		"actually drives", "really driven", "really working", "actually working", "really work", "actually work",
		"would have happened anyway", "happened anyway", "would have bought anyway", "bought anyway", "getting credit",
		"taking credit", "take credit", "takes credit", "claiming credit", "credit for sales", "real impact", "true impact",
		"causal", "caused by the ads", "really incremental", "actually incremental"),
	kws(kwUntested, "", "never tested", "not tested", "untested", "haven't tested", "havent tested", "have not tested",
		"never been tested", "not been tested", "no test", "no tests", "without a test", "without tests", "test next",
		"should we test", "to test next", "tested"),
}

func init() { keywordDefs = append(keywordDefs, incrementalityDefs...) }

// incrCues are what a question says about incrementality.
type incrCues struct {
	evidence []model.MetricID // metrics read from tests: iroas, incremental_revenue ...
	causal   bool             // "really driving", "would have happened anyway"
	untested bool             // "never tested"
}

// addEvidence records a metric read from tests and reports whether e was one.
func (cl *collector) addEvidence(e *lexEntry) bool {
	id := model.MetricID(e.value)
	if !model.FromEvidence(id) {
		return false
	}
	cl.evidence = appendNew(cl.evidence, id)
	return true
}

// collectIncrementality records an incrementality keyword.
func (cl *collector) collectIncrementality(h hit) {
	switch h.e.key {
	case kwCausal:
		cl.causal = true
	case kwUntested:
		cl.untested = true
	}
}

// isIncrementality reports a question answered from incrementality tests.
func (sd *said) isIncrementality() bool {
	return len(sd.evidence) > 0 || sd.causal || sd.untested
}

// evidenceMetrics are the metrics an incrementality answer leads with:
// incremental revenue when the question asks how much of the revenue is
// incremental, else what was named, else incremental ROAS.
func (mc *metricChooser) evidenceMetrics() []model.MetricID {
	revenue := slices.Contains(mc.metrics, model.Revenue) || slices.Contains(mc.metrics, model.BusinessRevenue)
	out := slices.Clone(mc.evidence)
	if revenue && (mc.howMuch || slices.Contains(out, model.IROAS)) && !slices.Contains(out, model.IncrementalRevenue) {
		out = append([]model.MetricID{model.IncrementalRevenue}, slices.DeleteFunc(out, func(m model.MetricID) bool { return m == model.IROAS })...)
	}
	if len(out) == 0 {
		out = []model.MetricID{model.IROAS}
	}
	return out
}

// ownTopic reports an intent that names its own topic and period: it is
// never ranked, compared or read as a change.
func (i Intent) ownTopic() bool {
	return i == IntentPacing || i == IntentBrandLift || i == IntentIncrementality
}

// incrementalityPeriod is the default window reported figures are
// calibrated over: the last 30 days.
func incrementalityPeriod(today time.Time) spanInfo {
	s := lastDays(today, 30)
	s.Label = "the last 30 days"
	return s
}

// settleIncrementality shapes an incrementality request: one platform, or
// every platform side by side ("which channels have we never tested?"),
// with no ranking, threshold or comparison.
func settleIncrementality(req *Request, sd *said) {
	if req.Intent != IntentIncrementality {
		return
	}
	req.Compare, req.Having, req.Limit, req.Ascending, req.MetricsDefaulted = nil, nil, 0, false, false
	req.GroupBy = nil
	if len(req.Filters[model.DimPlatform]) != 1 || sd.untested {
		req.GroupBy = []string{model.DimPlatform}
	}
}
