package question

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
)

func metricName(id model.MetricID) string {
	if mt, ok := model.LookupMetric(id); ok {
		return mt.Name
	}
	return string(id)
}

// resolveChannelGroup reads "by channel" as by ad platform unless the
// metrics are first-party business results, which have a channel; gives a
// breakdown without a dimension one; and drops a channel filter that ad
// metrics cannot use.
func resolveChannelGroup(req *Request, sd *said, groupBy []string, rm *remarks) []string {
	business := allBusiness(req.Metrics)
	for k, d := range groupBy {
		if d == "channel" && !business && len(req.Metrics) > 0 {
			groupBy[k] = "platform"
			rm.note("Channel read as ad platform.")
		}
	}
	groupBy = dedupe(groupBy)
	groupBy = shareOfOne(req, sd, groupBy, rm)
	if (sd.breakdown || sd.mix) && len(groupBy) == 0 && sd.grain == "" && len(req.Metrics) > 0 && !slices.Contains(req.Metrics, model.Pacing) {
		d := "platform"
		if business {
			d = "channel"
		}
		groupBy = []string{d}
		rm.note(fmt.Sprintf("No dimension named: split by %s.", d))
	}
	if len(req.Filters["channel"]) > 0 && !business && len(req.Metrics) > 0 && !anyBusiness(req.Metrics) {
		delete(req.Filters, "channel")
		if len(req.Filters) == 0 {
			req.Filters = nil
		}
		rm.note("Store and online channels apply to business results only, so the channel was left out.")
	}
	return groupBy
}

// shareOfOne reads "what share of spend went to Google" as the split by
// platform: a share needs every platform, so the filter is dropped.
func shareOfOne(req *Request, sd *said, groupBy []string, rm *remarks) []string {
	if !sd.mix || len(groupBy) > 0 || slices.Contains(req.Metrics, model.Pacing) {
		return groupBy
	}
	for _, d := range []string{"platform", "channel", "category", "campaign_type", "region", "campaign"} {
		if len(req.Filters[d]) != 1 {
			continue
		}
		rm.note(fmt.Sprintf("A share needs every %s, so all are shown.", dimNoun(d)))
		delete(req.Filters, d)
		if len(req.Filters) == 0 {
			req.Filters = nil
		}
		return []string{d}
	}
	return groupBy
}

// ranker orders and limits a top-N list from what was said, the grouping
// and the threshold, noting what it assumes.
type ranker struct {
	*said
	fd      *found
	groupBy []string
	th      threshold
	*remarks
}

// rankByThreshold keeps the groups past a threshold and ranks them in its
// direction: "campaigns with CPA above 40" lists those campaigns, highest
// CPA first.
func (rk *ranker) rankByThreshold(req *Request) {
	if rk.th.dir == "" || len(req.Metrics) == 0 {
		return
	}
	if _, given := rk.countGiven(); !given {
		req.Limit = 0
	}
	if len(rk.sups) == 0 {
		req.Ascending = rk.th.dir == "low"
	}
	v, ok := rk.thresholdValue(req.Metrics[0])
	if !ok {
		rk.note("The threshold's number could not be read: every group is listed.")
		return
	}
	req.Having = append(req.Having, model.Threshold{Metric: req.Metrics[0], Above: rk.th.dir == "high", Value: v})
}

// thresholdValue reads the threshold's number as written ("$40", "2.5",
// "1,200", "2%") in the metric's raw unit: a rate's 2% or 2 is 0.02.
func (rk *ranker) thresholdValue(metric model.MetricID) (float64, bool) {
	t := rk.fd.toks[rk.th.at]
	i := t.start
	for i < len(rk.fd.q) && (rk.fd.q[i] == '$' || rk.fd.q[i] == ' ') {
		i++
	}
	j := i
	for j < len(rk.fd.q) && (rk.fd.q[j] >= '0' && rk.fd.q[j] <= '9' || rk.fd.q[j] == '.' || rk.fd.q[j] == ',') {
		j++
	}
	v, err := strconv.ParseFloat(strings.TrimRight(strings.ReplaceAll(rk.fd.q[i:j], ",", ""), "."), 64)
	if err != nil {
		return 0, false
	}
	percent := j < len(rk.fd.q) && rk.fd.q[j] == '%'
	switch unit := strings.ToLower(wordAt(rk.fd.q, j)); {
	case unit == "k":
		v *= 1000
	case (unit == "m" || unit == "mm") && i > 0 && strings.Contains(rk.fd.q[max(0, t.start-2):i], "$"):
		v *= 1e6 // "$5m"; a bare "5m" is asked back (read_absurd.go)
	}
	if mt, ok := model.LookupMetric(metric); ok && mt.Unit == model.UnitPercent && (percent || v > 1) {
		v /= 100
	}
	return v, true
}

// wordAt is the run of letters at i in q.
func wordAt(q string, i int) string {
	j := i
	for j < len(q) && (q[j] >= 'a' && q[j] <= 'z' || q[j] >= 'A' && q[j] <= 'Z') {
		j++
	}
	return q[i:j]
}

func allBusiness(ids []model.MetricID) bool {
	for _, id := range ids {
		if mt, ok := model.LookupMetric(id); !ok || !mt.FromBusiness() {
			return false
		}
	}
	return len(ids) > 0
}

func anyBusiness(ids []model.MetricID) bool {
	for _, id := range ids {
		if mt, ok := model.LookupMetric(id); ok && mt.FromBusiness() {
			return true
		}
	}
	return false
}

// setRanking sets what a top-N list groups by, how many and which way.
func (rk *ranker) setRanking(req *Request) {
	if len(nonTime(req.GroupBy)) == 0 && rk.grain == "" {
		req.GroupBy = append(req.GroupBy, "campaign")
		rk.note("No dimension named: ranking campaigns.")
	}
	req.Limit = rk.rankLimit()
	dir := "high"
	if len(rk.sups) > 0 {
		dir = rk.sups[0].e.arg
	} else if rk.comparative == "worse" || rk.comparative == "lower" {
		dir = "worst"
		if rk.comparative == "lower" {
			dir = "low"
		}
	} else if rk.comparative == "better" {
		dir = "best"
	}
	req.Ascending = ascending(dir, req.Metrics)
}

// ascending reports a list ordered lowest first: "lowest", "worst" of a
// higher-is-better metric, "best" of a lower-is-better one.
func ascending(dir string, metrics []model.MetricID) bool {
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
func (rk *ranker) rankLimit() int {
	if n, ok := rk.countGiven(); ok {
		return n
	}
	if len(rk.sups) > 0 && rk.sups[0].e.arg == "rank" {
		return 0 // "rank platforms by ROAS": all of them
	}
	if rk.singularRank() {
		return 1
	}
	return 5
}

// countGiven returns N when the question says it: "top 3", "5 worst",
// "3 campaigns".
func (rk *ranker) countGiven() (int, bool) {
	for _, s := range rk.sups {
		if n, ok := rk.countNear(s.i-1, s.i+s.n); ok {
			return n, true
		}
	}
	for _, d := range rk.dims {
		if n, ok := rk.countNear(d.i-1, -1); ok && (d.plural || n == 1) {
			return n, true
		}
	}
	return 0, false
}

// countNear reads a free number at token a or b.
func (rk *ranker) countNear(a, b int) (int, bool) {
	for _, k := range []int{b, a} {
		if k < 0 || k >= len(rk.fd.toks) || !rk.fd.toks[k].isNum {
			continue
		}
		if _, claimed := rk.fd.hitAt(k); claimed || k == rk.th.at {
			continue
		}
		if n := rk.fd.toks[k].num; n >= 1 && n <= 100 {
			return n, true
		}
	}
	return 0, false
}

// singularRank reports a ranking that asks for one: "which campaign",
// "best platform", "who spent the most".
func (rk *ranker) singularRank() bool {
	for _, d := range rk.dims {
		if slices.Contains(rk.groupBy, d.dim) || d.dim == rk.grain {
			return !d.plural
		}
	}
	return rk.who || rk.which
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
