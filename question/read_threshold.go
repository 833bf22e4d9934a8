package question

import (
	"slices"

	"github.com/sowhat-ai/sowhat/model"
)

// threshold is a bound on a metric said with a number: "CPA above $40",
// "ROAS less than 2".
type threshold struct {
	dir string // "high" for above, "low" for below; empty for none
	at  int    // the token of the number, or -1
}

// readThreshold finds a comparison with a number ("campaigns with CPA
// above 40"), the first free number after a threshold word or symbol. A
// "more than" or "less than" is then no comparison of periods: its "than"
// is taken from sd's vs cues, and the change it seemed to ask about is
// dropped unless a change word says so.
func readThreshold(fd *found, sd *said) threshold {
	for k, t := range fd.toks {
		if !t.isNum {
			continue
		}
		if _, claimed := fd.hitAt(k); claimed {
			continue
		}
		dir := fd.symbolBefore(t)
		if dir == "" && k > 0 {
			dir = thresholdWord(fd.toks[k-1].text)
		}
		if dir == "" && k > 1 {
			dir = thresholdPair(fd.toks[k-2].text + " " + fd.toks[k-1].text)
			if dir != "" && !fd.changeWord() {
				sd.change, sd.comparative = false, ""
			}
			if dir != "" {
				sd.dropVsAt(k - 1)
			}
		}
		if dir != "" {
			return threshold{dir: dir, at: k}
		}
	}
	return threshold{at: -1}
}

// thresholdWord is the direction of a word that compares with a number:
// "roas below 2", "cpa over $40"; "" for any other word.
func thresholdWord(w string) string {
	switch w {
	case "above", "over", "exceeding", "exceeds":
		return "high"
	case "below", "under", "beneath":
		return "low"
	}
	return ""
}

// thresholdPair is the direction of two words that compare with a number:
// "more than 40", "at most 2"; "" for any others.
func thresholdPair(w string) string {
	switch w {
	case "more than", "greater than", "higher than", "bigger than", "at least":
		return "high"
	case "less than", "lower than", "fewer than", "smaller than", "at most":
		return "low"
	}
	return ""
}

// symbolBefore reads "> 40" and "<$2".
func (fd *found) symbolBefore(t token) string {
	for a := t.start - 1; a >= 0; a-- {
		switch fd.q[a] {
		case ' ', '$', '=':
			continue
		case '>':
			return "high"
		case '<':
			return "low"
		}
		return ""
	}
	return ""
}

// readNone finds the metrics a question asks to have none of: "no
// conversions", "zero revenue", "0 orders", "without conversions", "not
// spending", "stopped spending". Each is a filter of its own: the groups
// with none of the metric, not a ranking of all of them.
func readNone(fd *found) []model.MetricID {
	var out []model.MetricID
	for _, h := range fd.hits {
		if h.kind != ekMetric || h.i == 0 {
			continue
		}
		id := model.MetricID(h.value())
		if mt, ok := model.LookupMetric(id); !ok || mt.Ratio != nil {
			continue // "no ROAS" is not a count of nothing
		}
		prev := fd.toks[h.i-1]
		none := noneWords[prev.text] || prev.isNum && prev.num == 0 && prev.text == "0"
		if !none && h.i > 1 && noneWords[fd.toks[h.i-2].text] && fillerWords[prev.text] {
			none = true // "no attributed revenue", "without any conversions"
		}
		if !none && id == model.Spend && stoppedWords[prev.text] {
			none = true // "not spending", "stopped spending"
		}
		if none && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// noneWords say there was none of what follows.
var noneWords = map[string]bool{"no": true, "zero": true, "without": true, "nil": true}

// fillerWords may stand between a none word and its metric.
var fillerWords = map[string]bool{"any": true, "attributed": true, "reported": true, "tracked": true}

// stoppedWords say spending stopped.
var stoppedWords = map[string]bool{"not": true, "stopped": true, "never": true, "didnt": true, "isnt": true, "arent": true}

// rankNone lists the groups with none of each metric in none: the lead
// metric is spend when the none is of a result ("spent money but had no
// conversions": what they spent for nothing, biggest first, among those
// that spent), and every group past the filter is listed.
func (rk *ranker) rankNone(req *Request, none []model.MetricID) {
	if len(none) == 0 {
		return
	}
	if _, given := rk.countGiven(); !given {
		req.Limit = 0
	}
	req.Ascending = false
	results := false
	for _, m := range none {
		if !slices.Contains(req.Metrics, m) {
			req.Metrics = append(req.Metrics, m)
		}
		results = results || m != model.Spend
		req.Having = append(req.Having, model.Threshold{Metric: m, None: true})
	}
	if results {
		req.Metrics = append([]model.MetricID{model.Spend}, slices.DeleteFunc(req.Metrics, func(m model.MetricID) bool { return m == model.Spend })...)
		req.Having = append(req.Having, model.Threshold{Metric: model.Spend, Above: true, Value: 0})
	}
}
