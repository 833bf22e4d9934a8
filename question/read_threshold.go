package question

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
			dir = thresholdWords[fd.toks[k-1].text]
		}
		if dir == "" && k > 1 {
			dir = thresholdPairs[fd.toks[k-2].text+" "+fd.toks[k-1].text]
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

// thresholdWords compare with a number: "roas below 2", "cpa over $40".
var thresholdWords = map[string]string{"above": "high", "over": "high", "exceeding": "high", "exceeds": "high",
	"below": "low", "under": "low", "beneath": "low"}

var thresholdPairs = map[string]string{"more than": "high", "greater than": "high", "higher than": "high",
	"bigger than": "high", "at least": "high", "less than": "low", "lower than": "low", "fewer than": "low",
	"smaller than": "low", "at most": "low"}

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
