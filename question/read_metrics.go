package question

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
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
var defaultMetrics = []model.MetricID{model.Spend, model.Revenue, model.ROAS, model.CPA}

// chooseMetrics returns the metrics to answer with, and false when the
// question names none and gives no clear topic to default from.
func (mc *metricChooser) chooseMetrics(intent Intent) ([]model.MetricID, bool) {
	switch intent {
	case IntentPacing:
		return []model.MetricID{model.Spend, model.Budget, model.Pacing}, true
	case IntentBrandLift:
		return nil, true
	case IntentIncrementality:
		return mc.evidenceMetrics(), true
	}
	named := mc.metrics
	if mc.addImplied && mc.implied != "" && len(named) > 0 {
		// "how much did we spend and make": spend and revenue.
		named = appendNew(append([]model.MetricID(nil), named...), mc.implied)
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
func (mc *metricChooser) defaultedMetrics(intent Intent) ([]model.MetricID, bool) {
	if mc.implied == "" && mc.fd.mostlyUnknown() {
		return nil, false // too little understood to assume a topic
	}
	switch {
	case mc.implied != "":
		m := mc.mapMetrics([]model.MetricID{mc.implied}, false)
		mc.note(fmt.Sprintf("Read as %s.", metricName(m[0])))
		return m, true
	case intent == IntentTop:
		m := mc.mapMetrics([]model.MetricID{rankDefault(mc.sups)}, false)
		mc.note(fmt.Sprintf("No metric named: ranked by %s.", wording.MidSentence(metricName(m[0]))))
		return m, true
	case mc.mix:
		mc.note("No metric named: showing the spend mix.")
		return []model.MetricID{model.Spend}, true
	case len(mc.filters["channel"]) > 0 && !byAdDimension(mc.filters, mc.groupBy):
		mc.note("No metric named: showing business revenue, orders and AOV.")
		return []model.MetricID{model.BusinessRevenue, model.Orders, model.AOV}, true
	case mc.hasTopic():
		mc.note("No metric named: showing spend, revenue, ROAS and CPA.")
		return append([]model.MetricID(nil), defaultMetrics...), true
	}
	return nil, false
}

// costOf reads "cheapest platform for conversions" as the lowest CPA: a
// cost word with a count means the cost per unit.
func (mc *metricChooser) costOf(ids []model.MetricID) []model.MetricID {
	cheap := mc.implied == model.CPA || len(mc.sups) > 0 && mc.sups[0].e.extra == "cpa"
	// "most efficient platform for new customers": the lowest CAC.
	efficient := mc.implied == model.ROAS || len(mc.sups) > 0 && mc.sups[0].e.extra == "roas"
	if !cheap && !efficient {
		return ids
	}
	out := append([]model.MetricID(nil), ids...)
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
func (mc *metricChooser) mapMetrics(ids []model.MetricID, noteIt bool) []model.MetricID {
	var out []model.MetricID
	byAd := byAdDimension(mc.filters, mc.groupBy)
	channel := len(mc.filters["channel"]) > 0 || slices.Contains(mc.groupBy, "channel")
	for _, id := range ids {
		to := id
		switch {
		case byAd && (id == model.BusinessRevenue || id == model.AOV):
			to = model.Revenue
		case byAd && id == model.Orders:
			to = model.Conversions
		case byAd && id == model.MER:
			to = model.ROAS
		case !byAd && channel && id == model.Revenue:
			to = model.BusinessRevenue
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
var costPer = map[model.MetricID]model.MetricID{model.Conversions: model.CPA, model.Clicks: model.CPC, model.Impressions: model.CPM, model.StoreVisits: model.CostPerStoreVisit,
	model.NewCustomers: model.CAC, model.Orders: model.CPA}

// rankDefault is the metric a ranking with none uses: ROAS for best and
// worst, revenue for top and highest.
func rankDefault(sups []hit) model.MetricID {
	if len(sups) > 0 && sups[0].e.extra != "" {
		return model.MetricID(sups[0].e.extra)
	}
	if len(sups) > 0 && (sups[0].e.arg == "best" || sups[0].e.arg == "worst") {
		return model.ROAS
	}
	return model.Revenue
}

func mappingReason(byAd bool) string {
	if byAd {
		return "platforms and campaigns report attributed results"
	}
	return "store and online results are first-party"
}
