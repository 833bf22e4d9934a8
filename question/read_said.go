package question

import (
	"strings"

	"github.com/sowhat-ai/sowhat/model"
)

// said is what the third stage collects from the matches, in the order
// said: what was named, and the grammar cues that later stages read the
// request's shape from.
type said struct {
	named
	cues
}

// named is what a question names: metrics, the names asked about and left
// out, and periods.
type named struct {
	metrics     []model.MetricID
	filters     map[string][]string
	filterOrder []string
	// excluded are the names said after "excluding", "except" ...
	excluded  map[string][]string
	exclOrder []string
	periods   []hit
	// oddPeriods are the periods sowhat cannot read as said: Prime Day,
	// whose dates move, and fiscal years, read as calendar years.
	oddPeriods  []hit
	unsupported []hit    // metrics sowhat does not have ("ROI", "profit")
	foreign     []string // ad platforms sowhat has no data for
	notHeld     []string // measurements the store does not hold: keys of notHeld
}

// cues are the grammar words of a question — "vs", "by", "top", "why",
// "up", "pacing" and the rest — and where they stand.
type cues struct {
	dims        []dimHit
	sups        []hit
	grain       string
	implied     model.MetricID
	comparative string

	vsAt, fromAt                                     []int
	joinOr, compareKw, shift, prev, why, change      bool
	shiftUnit                                        string
	breakdown, mix, level, trend, pacing, brandLift  bool
	help, hostile, offTopic, perf, perfWeak, howMuch bool
	who, which, bareLift                             bool
	define                                           bool // asks what a metric means
	liftStrong                                       bool // a brand-lift phrase, not only "awareness" or "recall"
	incrCues
	addImplied bool // "spend and make": the implied metric is one more
	// changeDir is the way a change was said to go: up, down, better,
	// worse, or either ("changed", or words both ways).
	changeDir string
}

// noteChangeDir records the way a change word goes: "grew" up,
// "dropped" down, "improved" better, "worsened" worse, "changed" either.
func (c *cues) noteChangeDir(e *lexEntry) {
	dir := "either"
	switch w := strings.Join(e.words, " "); {
	case strings.HasPrefix(w, "improv"):
		dir = "better"
	case strings.HasPrefix(w, "worsen"), strings.HasPrefix(w, "deteriorat"), strings.HasSuffix(w, " worse"):
		dir = "worse"
	case e.key == kwUp && w != "up or down":
		dir = "up"
	case e.key == kwDown:
		dir = "down"
	}
	if c.changeDir != "" && c.changeDir != dir {
		dir = "either"
	}
	c.changeDir = dir
}

// dimHit is a dimension noun in the question.
type dimHit struct {
	i      int
	dim    string
	plural bool
}

// collector reads the matches in order into what was said.
type collector struct {
	said
	excluding bool // the last grammar word was an exclusion
	prevEnd   int  // the token after the last hit collected
}

// collectSaid collects what the matches say.
func collectSaid(fd *found) said {
	cl := collector{said: said{named: named{filters: map[string][]string{}}}}
	for _, h := range fd.hits {
		cl.collect(fd, h)
	}
	cl.settleLift()
	return cl.said
}

// collect records one hit.
func (cl *collector) collect(fd *found, h hit) {
	if cl.excluding && !fd.onlyListWords(cl.prevEnd, h.i) {
		cl.excluding = false
	}
	cl.prevEnd = h.i + h.n
	if isEntity(h.kind) {
		if cl.excluding {
			cl.addExcluded(dimOfKind[h.kind], h.value())
			return
		}
		cl.addFilter(dimOfKind[h.kind], h.value())
		return
	}
	if !h.is(kwJoin) {
		cl.excluding = false
	}
	switch h.kind {
	case ekPeriod:
		cl.collectPeriod(h)
	case ekMetric:
		cl.addMetric(h.e)
	case ekKeyword:
		cl.collectKeyword(h)
	}
}

// collectPeriod records a period, and one sowhat cannot read as said.
func (cl *collector) collectPeriod(h hit) {
	switch {
	case h.span.holiday == "prime_day":
		cl.oddPeriods = append(cl.oddPeriods, h)
		return
	case h.span.fiscal:
		cl.oddPeriods = append(cl.oddPeriods, h)
	}
	cl.periods = append(cl.periods, h)
}

func (cl *collector) addMetric(e *lexEntry) {
	if cl.addEvidence(e) {
		return
	}
	if e.value == "brand_lift" {
		// "lift" alone may be a change ("store visit lift"); decided in
		// settleLift once every metric is known.
		bare := len(e.words) == 1 && e.words[0] == "lift"
		cl.bareLift = cl.bareLift || bare
		cl.brandLift = cl.brandLift || !bare
		cl.liftStrong = cl.liftStrong || !bare && len(e.words) > 1
		return
	}
	cl.metrics = appendNew(cl.metrics, model.MetricID(e.value))
	if e.channel != "" {
		cl.addFilter("channel", e.channel)
	}
}

func (cl *collector) addFilter(dim, value string) {
	if _, ok := cl.filters[dim]; !ok {
		cl.filterOrder = append(cl.filterOrder, dim)
	}
	cl.filters[dim] = appendNew(cl.filters[dim], value)
}

// collectKeyword records a grammar keyword.
func (cl *collector) collectKeyword(h hit) {
	e := h.e
	switch e.key {
	case kwVs:
		cl.vsAt = append(cl.vsAt, h.i)
	case kwFrom:
		cl.fromAt = append(cl.fromAt, h.i)
	case kwJoin:
		cl.joinOr = cl.joinOr || e.words[0] == "or"
	case kwCompare:
		cl.compareKw = true
	case kwShift:
		cl.shift, cl.shiftUnit = true, e.arg
	case kwPrev:
		cl.prev = true
	case kwWhy:
		cl.why = true
	case kwUp, kwDown, kwChange:
		cl.change = true
		if e.arg != "" {
			cl.comparative = e.arg
		} else {
			cl.noteChangeDir(e)
		}
	case kwTop:
		cl.sups = append(cl.sups, h)
	case kwDim:
		cl.dims = append(cl.dims, dimHit{i: h.i, dim: e.arg, plural: e.extra == "pl"})
	case kwGrain:
		if cl.grain == "" {
			cl.grain = e.arg
		}
	default:
		cl.collectFlag(h)
	}
}

// collectFlag records keywords that only switch something on.
func (cl *collector) collectFlag(h hit) {
	switch h.e.key {
	case kwBreakdown:
		cl.breakdown = true
	case kwMix:
		cl.mix, cl.breakdown = true, true
	case kwLevel:
		cl.level = true
	case kwTrend:
		cl.trend = true
	case kwPacing:
		cl.pacing = true
	case kwBrandLift:
		cl.brandLift = true
		cl.liftStrong = cl.liftStrong || len(h.e.words) > 1
	case kwExclude:
		cl.excluding = true
	case kwDefine:
		cl.define = true
	case kwForeign:
		cl.foreign = appendNew(cl.foreign, h.e.arg)
	case kwNotHeld:
		cl.notHeld = appendNew(cl.notHeld, h.e.arg)
	default:
		cl.collectSignal(h)
	}
}

// collectSignal records keywords about the kind of question.
func (cl *collector) collectSignal(h hit) {
	switch h.e.key {
	case kwHelp:
		cl.help = true
	case kwHostile:
		cl.hostile = true
	case kwOffTopic:
		cl.offTopic = true
	case kwPerf:
		cl.perf = true
	case kwPerfWeak:
		cl.perfWeak = true
	case kwHowMuch:
		cl.howMuch = true
	case kwWho:
		cl.who = true
	case kwWhich:
		cl.which = true
	case kwUnsupported:
		cl.unsupported = append(cl.unsupported, h)
	case kwImplied:
		if cl.implied == "" {
			cl.implied = model.MetricID(h.e.arg)
		}
		cl.addImplied = cl.addImplied || h.e.extra == "add"
	default:
		cl.collectIncrementality(h)
	}
}

// settleLift reads a bare "lift" as a change when another metric is named
// ("store visit lift"), else as brand lift.
func (sd *said) settleLift() {
	switch {
	case sd.brandLift && !sd.liftStrong && len(sd.metrics) > 0:
		// "tiktok is great for awareness, but what was its roas": the
		// metrics named are the question.
		sd.brandLift = false
	case !sd.bareLift || sd.brandLift:
	case len(sd.metrics) > 0:
		sd.change = true
	default:
		sd.brandLift = true
	}
}

func (sd *said) addExcluded(dim, value string) {
	if sd.excluded == nil {
		sd.excluded = map[string][]string{}
	}
	if _, ok := sd.excluded[dim]; !ok {
		sd.exclOrder = append(sd.exclOrder, dim)
	}
	sd.excluded[dim] = appendNew(sd.excluded[dim], value)
}

// isHelp reports a plea for help that names nothing to look up.
func (sd *said) isHelp() bool {
	return sd.help && len(sd.metrics) == 0 && len(sd.filters) == 0 && len(sd.periods) == 0 &&
		!sd.brandLift && !sd.pacing && len(sd.unsupported) == 0 && len(sd.excluded) == 0 && len(sd.foreign) == 0 && len(sd.notHeld) == 0
}
