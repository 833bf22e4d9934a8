package question

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
)

func metricName(id string) string {
	if mt, ok := model.LookupMetric(id); ok {
		return mt.Name
	}
	return id
}

// resolveChannelGroup reads "by channel" as by ad platform unless the
// metrics are first-party business results, which have a channel; gives a
// breakdown without a dimension one; and drops a channel filter that ad
// metrics cannot use.
func (rd *reading) resolveChannelGroup(req *Request) {
	business := allBusiness(req.Metrics)
	for k, d := range rd.groupBy {
		if d == "channel" && !business && len(req.Metrics) > 0 {
			rd.groupBy[k] = "platform"
			rd.note("Channel read as ad platform.")
		}
	}
	rd.groupBy = dedupe(rd.groupBy)
	rd.shareOfOne(req)
	if (rd.breakdown || rd.mix) && len(rd.groupBy) == 0 && rd.grain == "" && len(req.Metrics) > 0 && !hasString(req.Metrics, "pacing") {
		d := "platform"
		if business {
			d = "channel"
		}
		rd.groupBy = []string{d}
		rd.note(fmt.Sprintf("No dimension named: split by %s.", d))
	}
	if len(req.Filters["channel"]) > 0 && !business && len(req.Metrics) > 0 && !anyBusiness(req.Metrics) {
		delete(req.Filters, "channel")
		if len(req.Filters) == 0 {
			req.Filters = nil
		}
		rd.note("Store and online channels apply to business results only, so the channel was left out.")
	}
}

// shareOfOne reads "what share of spend went to Google" as the split by
// platform: a share needs every platform, so the filter is dropped.
func (rd *reading) shareOfOne(req *Request) {
	if !rd.mix || len(rd.groupBy) > 0 || hasString(req.Metrics, "pacing") {
		return
	}
	for _, d := range []string{"platform", "channel", "category", "campaign_type", "region", "campaign"} {
		if len(req.Filters[d]) != 1 {
			continue
		}
		rd.note(fmt.Sprintf("A share needs every %s, so all are shown.", dimNoun(d)))
		delete(req.Filters, d)
		if len(req.Filters) == 0 {
			req.Filters = nil
		}
		rd.groupBy = []string{d}
		return
	}
}

// rankByThreshold keeps the groups past a threshold and ranks them in its
// direction: "campaigns with CPA above 40" lists those campaigns, highest
// CPA first.
func (rd *reading) rankByThreshold(req *Request) {
	if rd.th.dir == "" || len(req.Metrics) == 0 {
		return
	}
	if _, given := rd.countGiven(); !given {
		req.Limit = 0
	}
	if len(rd.sups) == 0 {
		req.Ascending = rd.th.dir == "low"
	}
	v, ok := rd.thresholdValue(req.Metrics[0])
	if !ok {
		rd.note("The threshold's number could not be read: every group is listed.")
		return
	}
	req.Having = append(req.Having, model.Threshold{Metric: req.Metrics[0], Above: rd.th.dir == "high", Value: v})
}

// thresholdValue reads the threshold's number as written ("$40", "2.5",
// "1,200", "2%") in the metric's raw unit: a rate's 2% or 2 is 0.02.
func (rd *reading) thresholdValue(metric string) (float64, bool) {
	t := rd.toks[rd.th.at]
	i := t.start
	for i < len(rd.q) && (rd.q[i] == '$' || rd.q[i] == ' ') {
		i++
	}
	j := i
	for j < len(rd.q) && (rd.q[j] >= '0' && rd.q[j] <= '9' || rd.q[j] == '.' || rd.q[j] == ',') {
		j++
	}
	v, err := strconv.ParseFloat(strings.TrimRight(strings.ReplaceAll(rd.q[i:j], ",", ""), "."), 64)
	if err != nil {
		return 0, false
	}
	percent := j < len(rd.q) && rd.q[j] == '%'
	if j < len(rd.q) && (rd.q[j] == 'k' || rd.q[j] == 'K') && (j+1 == len(rd.q) || rd.q[j+1] == ' ') {
		v *= 1000
	}
	if mt, ok := model.LookupMetric(metric); ok && mt.Unit == model.UnitPercent && (percent || v > 1) {
		v /= 100
	}
	return v, true
}

func allBusiness(ids []string) bool {
	for _, id := range ids {
		if mt, ok := model.LookupMetric(id); !ok || !mt.FromBusiness() {
			return false
		}
	}
	return len(ids) > 0
}

func anyBusiness(ids []string) bool {
	for _, id := range ids {
		if mt, ok := model.LookupMetric(id); ok && mt.FromBusiness() {
			return true
		}
	}
	return false
}

// setRanking sets what a top-N list groups by, how many and which way.
func (rd *reading) setRanking(req *Request) {
	if len(nonTime(req.GroupBy)) == 0 && rd.grain == "" {
		req.GroupBy = append(req.GroupBy, "campaign")
		rd.note("No dimension named: ranking campaigns.")
	}
	req.Limit = rd.rankLimit()
	dir := "high"
	if len(rd.sups) > 0 {
		dir = rd.sups[0].e.arg
	} else if rd.comparative == "worse" || rd.comparative == "lower" {
		dir = "worst"
		if rd.comparative == "lower" {
			dir = "low"
		}
	} else if rd.comparative == "better" {
		dir = "best"
	}
	req.Ascending = ascending(dir, req.Metrics)
}

// ascending reports a list ordered lowest first: "lowest", "worst" of a
// higher-is-better metric, "best" of a lower-is-better one.
func ascending(dir string, metrics []string) bool {
	higher := true
	if len(metrics) > 0 {
		if mt, ok := model.LookupMetric(metrics[0]); ok {
			higher = mt.HigherIsBetter
		}
	}
	switch dir {
	case "low":
		return true
	case "best":
		return !higher
	case "worst":
		return higher
	}
	return false
}

// rankLimit is N when said ("top 3", "5 worst"), 1 for a singular ("which
// campaign", "best platform"), else 5.
func (rd *reading) rankLimit() int {
	if n, ok := rd.countGiven(); ok {
		return n
	}
	if len(rd.sups) > 0 && rd.sups[0].e.arg == "rank" {
		return 0 // "rank platforms by ROAS": all of them
	}
	if rd.singularRank() {
		return 1
	}
	return 5
}

// countGiven returns N when the question says it: "top 3", "5 worst",
// "3 campaigns".
func (rd *reading) countGiven() (int, bool) {
	for _, s := range rd.sups {
		if n, ok := rd.countNear(s.i-1, s.i+s.n); ok {
			return n, true
		}
	}
	for _, d := range rd.dims {
		if n, ok := rd.countNear(d.i-1, -1); ok && (d.plural || n == 1) {
			return n, true
		}
	}
	return 0, false
}

// countNear reads a free number at token a or b.
func (rd *reading) countNear(a, b int) (int, bool) {
	for _, k := range []int{b, a} {
		if k < 0 || k >= len(rd.toks) || !rd.toks[k].isNum {
			continue
		}
		if _, claimed := rd.hitAt(k); claimed || k == rd.th.at {
			continue
		}
		if n := rd.toks[k].num; n >= 1 && n <= 100 {
			return n, true
		}
	}
	return 0, false
}

// singularRank reports a ranking that asks for one: "which campaign",
// "best platform", "who spent the most".
func (rd *reading) singularRank() bool {
	for _, d := range rd.dims {
		if hasString(rd.groupBy, d.dim) || d.dim == rd.grain {
			return !d.plural
		}
	}
	return rd.who || rd.which
}

func nonTime(dims []string) []string {
	var out []string
	for _, d := range dims {
		if d != "day" && d != "week" && d != "month" {
			out = append(out, d)
		}
	}
	return out
}

func hasString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
