package question

import (
	"fmt"
	"strings"
)

// metricChooser picks the metrics to answer with from what was said, the
// grouping and the periods; what it assumes it notes in the remarks.
type metricChooser struct {
	*said
	fd      *found
	groupBy []string
	pp      periodPair
	*remarks
}

// defaultMetrics are shown when a question about performance names none.
var defaultMetrics = []string{"spend", "revenue", "roas", "cpa"}

// chooseMetrics returns the metrics to answer with, and false when the
// question names none and gives no clear topic to default from.
func (mc *metricChooser) chooseMetrics(intent Intent) ([]string, bool) {
	switch intent {
	case IntentPacing:
		return []string{"spend", "budget", "pacing"}, true
	case IntentBrandLift:
		return nil, true
	}
	named := mc.metrics
	if mc.addImplied && mc.implied != "" && len(named) > 0 {
		// "how much did we spend and make": spend and revenue.
		named = appendNew(append([]string(nil), named...), mc.implied)
	}
	if ms := mc.mapMetrics(named, true); len(ms) > 0 {
		mc.noteUnsupported()
		return mc.costOf(ms), true
	}
	if len(mc.unsupported) > 0 {
		return nil, false
	}
	return mc.defaultedMetrics(intent)
}

// defaultedMetrics picks metrics for a question that names none.
func (mc *metricChooser) defaultedMetrics(intent Intent) ([]string, bool) {
	if mc.implied == "" && mc.fd.mostlyUnknown() {
		return nil, false // too little understood to assume a topic
	}
	switch {
	case mc.implied != "":
		m := mc.mapMetrics([]string{mc.implied}, false)
		mc.note(fmt.Sprintf("Read as %s.", metricName(m[0])))
		return m, true
	case intent == IntentTop:
		m := mc.mapMetrics([]string{rankDefault(mc.sups)}, false)
		mc.note(fmt.Sprintf("No metric named: ranked by %s.", metricName(m[0])))
		return m, true
	case mc.mix:
		mc.note("No metric named: showing the spend mix.")
		return []string{"spend"}, true
	case len(mc.filters["channel"]) > 0 && !byAdDimension(mc.filters, mc.groupBy):
		mc.note("No metric named: showing business revenue, orders and AOV.")
		return []string{"business_revenue", "orders", "aov"}, true
	case mc.hasTopic():
		mc.note("No metric named: showing spend, revenue, ROAS and CPA.")
		return append([]string(nil), defaultMetrics...), true
	}
	return nil, false
}

// costOf reads "cheapest platform for conversions" as the lowest CPA: a
// cost word with a count means the cost per unit.
func (mc *metricChooser) costOf(ids []string) []string {
	cheap := mc.implied == "cpa" || len(mc.sups) > 0 && mc.sups[0].e.extra == "cpa"
	// "most efficient platform for new customers": the lowest CAC.
	efficient := mc.implied == "roas" || len(mc.sups) > 0 && mc.sups[0].e.extra == "roas"
	if !cheap && !efficient {
		return ids
	}
	out := append([]string(nil), ids...)
	if c, ok := costPer[out[0]]; ok {
		mc.note(fmt.Sprintf("Read as %s.", metricName(c)))
		out[0] = c
	}
	return out
}

// hasTopic reports a question about performance in general: "how did
// Meta do last week", "campaign performance", "how are we doing".
func (mc *metricChooser) hasTopic() bool {
	if mc.howMuch && !mc.perf {
		return false
	}
	if mc.perf || len(mc.groupBy) > 0 {
		return true
	}
	for d := range mc.filters {
		if d != "channel" {
			return true
		}
	}
	return mc.perfWeak && (len(mc.periods) > 0 || mc.pp.cmp != nil || mc.change)
}

// mapMetrics makes first-party metrics platform-attributed when the
// question is about a platform or campaign ("amazon sales" is Amazon's
// attributed revenue), and attributed revenue business revenue for a store
// or online channel. With noteIt, each change is noted.
func (mc *metricChooser) mapMetrics(ids []string, noteIt bool) []string {
	var out []string
	byAd := byAdDimension(mc.filters, mc.groupBy)
	channel := len(mc.filters["channel"]) > 0 || hasString(mc.groupBy, "channel")
	for _, id := range ids {
		to := id
		switch {
		case byAd && (id == "business_revenue" || id == "aov"):
			to = "revenue"
		case byAd && id == "orders":
			to = "conversions"
		case byAd && id == "mer":
			to = "roas"
		case !byAd && channel && id == "revenue":
			to = "business_revenue"
		}
		if to != id && noteIt {
			mc.note(fmt.Sprintf("Read %s as %s: %s.", metricName(id), metricName(to), mappingReason(byAd)))
		}
		out = appendNew(out, to)
	}
	return out
}

func (mc *metricChooser) noteUnsupported() {
	for _, h := range mc.unsupported {
		mc.note(fmt.Sprintf("%q is not a metric sowhat has.", strings.Join(h.e.words, " ")))
	}
}

// costPer maps a count onto its cost per unit.
var costPer = map[string]string{"conversions": "cpa", "clicks": "cpc", "impressions": "cpm", "store_visits": "cost_per_store_visit",
	"new_customers": "cac", "orders": "cpa"}

// rankDefault is the metric a ranking with none uses: ROAS for best and
// worst, revenue for top and highest.
func rankDefault(sups []hit) string {
	if len(sups) > 0 && sups[0].e.extra != "" {
		return sups[0].e.extra
	}
	if len(sups) > 0 && (sups[0].e.arg == "best" || sups[0].e.arg == "worst") {
		return "roas"
	}
	return "revenue"
}

func mappingReason(byAd bool) string {
	if byAd {
		return "platforms and campaigns report attributed results"
	}
	return "store and online results are first-party"
}
