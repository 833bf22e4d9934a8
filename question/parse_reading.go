package question

import (
	"fmt"
	"strings"
	"time"
)

// reading is what was found in one question, before it is made a Request.
type reading struct {
	found
	today time.Time

	metrics     []string
	filters     map[string][]string
	filterOrder []string
	periods     []hit
	dims        []dimHit
	sups        []hit
	groupBy     []string
	grain       string
	implied     string
	comparative string
	unsupported []hit
	notes       []string

	vsAt, fromAt                                     []int
	joinOr, compareKw, shift, prev, why, change      bool
	shiftUnit                                        string
	breakdown, mix, level, trend, pacing, brandLift  bool
	help, hostile, offTopic, perf, perfWeak, howMuch bool
	who, which, bareLift                             bool
	periodPair                                       periodPair

	// excluded are the names said after "excluding", "except" ...
	excluded   map[string][]string
	exclOrder  []string
	excluding  bool // the last grammar word was an exclusion
	prevEnd    int  // the token after the last hit collected
	define     bool // asks what a metric means
	foreign    []string
	liftStrong bool // a brand-lift phrase, not only "awareness" or "recall"
	addImplied bool // "spend and make": the implied metric is one more
	threshold  string
	thresholdI int // the token of a threshold's number, or -1
	// askBack is a question to ask instead of answering, with suggestions.
	askBack     string
	askBackSugg []string
}

// dimHit is a dimension noun in the question.
type dimHit struct {
	i      int
	dim    string
	plural bool
}

// newReading tokenizes, corrects and matches the question.
func newReading(question string, today time.Time, vocab Vocabulary) *reading {
	base, vlx := baseLexicon(), vocab.lx
	if vlx == nil {
		vlx = vocabLexicon(vocab)
	}
	w := readWords(question, base, vlx)
	rd := &reading{found: findEntities(w, today, vocab, base, vlx), today: today, filters: map[string][]string{}, thresholdI: -1}
	if w.cut {
		rd.note(fmt.Sprintf("Only the first %d words were read.", maxTokens))
	}
	rd.hostile = looksLikeSQL(question, rd.toks) || looksLikeInjection(rd.toks)
	for _, h := range rd.hits {
		rd.collect(h)
	}
	rd.settleLift()
	rd.settleYears()
	rd.findThreshold()
	rd.checkSince()
	rd.periodPair = rd.pairPeriods()
	return rd
}

// settleLift reads a bare "lift" as a change when another metric is named
// ("store visit lift"), else as brand lift.
func (rd *reading) settleLift() {
	switch {
	case rd.brandLift && !rd.liftStrong && len(rd.metrics) > 0:
		// "tiktok is great for awareness, but what was its roas": the
		// metrics named are the question.
		rd.brandLift = false
	case !rd.bareLift || rd.brandLift:
	case len(rd.metrics) > 0:
		rd.change = true
	default:
		rd.brandLift = true
	}
}

// looksLikeSQL catches SQL and script text that has no keyword of its own.
func looksLikeSQL(q string, toks []token) bool {
	lq := strings.ToLower(q)
	for _, s := range []string{"--", "';", "/*", "<script", "1=1", "' or '", "xp_"} {
		if strings.Contains(lq, s) {
			return true
		}
	}
	has := map[string]bool{}
	for _, t := range toks {
		has[t.text] = true
	}
	return has["select"] && (has["from"] || strings.Contains(lq, "*")) || has["update"] && has["set"] ||
		has["insert"] && has["into"]
}

// collect records one hit.
func (rd *reading) collect(h hit) {
	if rd.excluding && !rd.onlyListWords(rd.prevEnd, h.i) {
		rd.excluding = false
	}
	rd.prevEnd = h.i + h.n
	if isEntity(h.kind) {
		if rd.excluding {
			rd.addExcluded(dimOfKind[h.kind], h.value())
			return
		}
		rd.addFilter(dimOfKind[h.kind], h.value())
		return
	}
	if !h.is(kwJoin) {
		rd.excluding = false
	}
	switch h.kind {
	case ekPeriod:
		rd.collectPeriod(h)
	case ekMetric:
		rd.addMetric(h.e)
	case ekKeyword:
		rd.collectKeyword(h)
	}
}

// collectPeriod records a period, or asks for dates sowhat cannot know.
func (rd *reading) collectPeriod(h hit) {
	switch {
	case h.span.holiday == "prime_day":
		rd.ask("Prime Day moves every year: which dates? For example \"{m} jul 8-11 2025\".",
			"{m} jul 8-11 2025", "{m} last July", "{m} last 30 days")
		return
	case h.span.fiscal:
		rd.ask(fmt.Sprintf("sowhat reports calendar periods: is %s (calendar) what you mean?", h.span.Label),
			"{m} "+h.span.Label, "{m} this year to date", "{m} last year")
	}
	rd.periods = append(rd.periods, h)
}

// ask sets the question to ask back, keeping the first one asked. In the
// question and suggestions, {m} stands for the metric asked about and {p}
// for the period.
func (rd *reading) ask(q string, suggestions ...string) {
	if rd.askBack == "" {
		rd.askBack, rd.askBackSugg = q, suggestions
	}
}

func (rd *reading) addMetric(e *lexEntry) {
	if e.value == "brand_lift" {
		// "lift" alone may be a change ("store visit lift"); decided in
		// settleLift once every metric is known.
		bare := len(e.words) == 1 && e.words[0] == "lift"
		rd.bareLift = rd.bareLift || bare
		rd.brandLift = rd.brandLift || !bare
		rd.liftStrong = rd.liftStrong || !bare && len(e.words) > 1
		return
	}
	rd.metrics = appendNew(rd.metrics, e.value)
	if e.channel != "" {
		rd.addFilter("channel", e.channel)
	}
}

func (rd *reading) addFilter(dim, value string) {
	if _, ok := rd.filters[dim]; !ok {
		rd.filterOrder = append(rd.filterOrder, dim)
	}
	rd.filters[dim] = appendNew(rd.filters[dim], value)
}

// collectKeyword records a grammar keyword.
func (rd *reading) collectKeyword(h hit) {
	e := h.e
	switch e.key {
	case kwVs:
		rd.vsAt = append(rd.vsAt, h.i)
	case kwFrom:
		rd.fromAt = append(rd.fromAt, h.i)
	case kwJoin:
		rd.joinOr = rd.joinOr || e.words[0] == "or"
	case kwCompare:
		rd.compareKw = true
	case kwShift:
		rd.shift, rd.shiftUnit = true, e.arg
	case kwPrev:
		rd.prev = true
	case kwWhy:
		rd.why = true
	case kwUp, kwDown, kwChange:
		rd.change = true
		if e.arg != "" {
			rd.comparative = e.arg
		}
	case kwTop:
		rd.sups = append(rd.sups, h)
	case kwDim:
		rd.dims = append(rd.dims, dimHit{i: h.i, dim: e.arg, plural: e.extra == "pl"})
	case kwGrain:
		if rd.grain == "" {
			rd.grain = e.arg
		}
	default:
		rd.collectFlag(h)
	}
}

// collectFlag records keywords that only switch something on.
func (rd *reading) collectFlag(h hit) {
	switch h.e.key {
	case kwBreakdown:
		rd.breakdown = true
	case kwMix:
		rd.mix, rd.breakdown = true, true
	case kwLevel:
		rd.level = true
	case kwTrend:
		rd.trend = true
	case kwPacing:
		rd.pacing = true
	case kwBrandLift:
		rd.brandLift = true
		rd.liftStrong = rd.liftStrong || len(h.e.words) > 1
	case kwExclude:
		rd.excluding = true
	case kwDefine:
		rd.define = true
	case kwForeign:
		rd.foreign = appendNew(rd.foreign, h.e.arg)
	default:
		rd.collectSignal(h)
	}
}

// collectSignal records keywords about the kind of question.
func (rd *reading) collectSignal(h hit) {
	switch h.e.key {
	case kwHelp:
		rd.help = true
	case kwHostile:
		rd.hostile = true
	case kwOffTopic:
		rd.offTopic = true
	case kwPerf:
		rd.perf = true
	case kwPerfWeak:
		rd.perfWeak = true
	case kwHowMuch:
		rd.howMuch = true
	case kwWho:
		rd.who = true
	case kwWhich:
		rd.which = true
	case kwUnsupported:
		rd.unsupported = append(rd.unsupported, h)
	case kwImplied:
		if rd.implied == "" {
			rd.implied = h.e.arg
		}
		rd.addImplied = rd.addImplied || h.e.extra == "add"
	}
}

// isHelp reports a plea for help that names nothing to look up.
func (rd *reading) isHelp() bool {
	return rd.help && len(rd.metrics) == 0 && len(rd.filters) == 0 && len(rd.periods) == 0 &&
		!rd.brandLift && !rd.pacing && len(rd.unsupported) == 0 && len(rd.excluded) == 0 && len(rd.foreign) == 0
}

// adDims are the dimensions that only ad data has.
var adDims = map[string]bool{"platform": true, "campaign": true, "campaign_type": true, "category": true, "region": true}

// byAdDimension reports whether the question is about one part of the ad
// side: a platform, campaign, type, category or region.
func (rd *reading) byAdDimension() bool {
	for d := range rd.filters {
		if adDims[d] {
			return true
		}
	}
	for _, d := range rd.groupBy {
		if adDims[d] {
			return true
		}
	}
	return false
}

func (rd *reading) filterMap() map[string][]string {
	if len(rd.filters) == 0 {
		return nil
	}
	out := make(map[string][]string, len(rd.filters))
	for d, v := range rd.filters {
		out[d] = append([]string(nil), v...)
	}
	return out
}

func (rd *reading) note(s string) {
	for _, n := range rd.notes {
		if n == s {
			return
		}
	}
	rd.notes = append(rd.notes, s)
}
