package intents

import (
	"math"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// A question that names no metric ("how did electronics do last month") is
// answered as an analyst would: efficiency (ROAS, CPA) and volume (spend,
// revenue, conversions) are weighed together, and the answer leads with the
// most important adverse move. Spend rising is no news by itself; ROAS
// falling under it is.

// weighed is what weighing a defaulted question's metrics found.
type weighed struct {
	lead model.MetricID // the metric to lead with
	// others words the other metrics' moves: "spend +52.0% ($155,369 →
	// $236,229), CPA +50.0%".
	others string
	// adverse is true when the lead moved the wrong way.
	adverse bool
}

// weighMetrics picks the lead among metrics by the size of its adverse move
// between old and cur (the change's log, so a halving weighs what a
// doubling does); with no adverse move, the first metric leads.
func weighMetrics(metrics []model.MetricID, cur, old model.Values, fromTo bool) weighed {
	w := weighed{lead: metrics[0]}
	best := 0.0
	for _, m := range metrics {
		mt, ok := model.LookupMetric(m)
		c, o := cur[m], old[m]
		if !ok || model.IsNeutral(m) || c == nil || o == nil || *c <= 0 || *o <= 0 {
			continue
		}
		move := math.Log(*c / *o)
		if math.Abs(move) < math.Log1p(steadyBelow) || (move > 0) == mt.HigherIsBetter {
			continue
		}
		if math.Abs(move) > best {
			best, w.lead, w.adverse = math.Abs(move), m, true
		}
	}
	var parts []string
	for _, m := range metrics {
		if m == w.lead {
			continue
		}
		ch := wording.Change(m, cur[m], old[m])
		if ch == "" {
			continue
		}
		part := wording.MidSentence(wording.MetricName(m)) + " " + ch
		if fromTo && model.IsNeutral(m) {
			part += " (" + wording.Metric(m, old[m]) + " → " + wording.Metric(m, cur[m]) + ")"
		}
		parts = append(parts, part)
	}
	w.others = strings.Join(parts, ", ")
	return w
}

// weighDefaulted reorders a defaulted request's metrics to lead with the
// weighed lead, and returns the other metrics' moves, with spend's from and
// to when fromTo.
func weighDefaulted(req *question.Request, cur, old model.Values, fromTo bool) (others string) {
	if !req.MetricsDefaulted || len(req.Metrics) < 2 || old == nil {
		return ""
	}
	w := weighMetrics(req.Metrics, cur, old, fromTo)
	if w.lead != req.Metrics[0] {
		req.Metrics = append([]model.MetricID{w.lead}, slices.DeleteFunc(slices.Clone(req.Metrics), func(m model.MetricID) bool { return m == w.lead })...)
	}
	return w.others
}

// weigh leads the opening with the weighed lead when its question named no
// metric, and returns the other metrics' moves (see weighDefaulted).
func (o *opening) weigh(fromTo bool) string {
	others := weighDefaulted(&o.req, o.res.Total.Values, o.res.Total.CompareValues, fromTo)
	o.q.Metrics, o.m = slices.Clone(o.req.Metrics), o.req.Metrics[0]
	o.mt, _ = model.LookupMetric(o.m)
	return others
}
