package question

import (
	"slices"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Parse turns a question into a Request, relative to asOf ("today" in the
// reporting time zone; the last complete data day is asOf-1).
//
// It is deterministic and reads no data: words are normalised (case,
// punctuation, chat abbreviations, typos within a small edit distance of a
// known word), then matched longest phrase first against the metric
// registry, the platform aliases, the names in vocab and the question
// grammar. Anything it cannot read with confidence becomes a Clarify
// question or an unknown intent with suggestions, never a guess.
func Parse(question string, asOf time.Time, vocab Vocabulary) Request {
	return ParseWith(question, asOf, vocab, Options{})
}

// Options are what a parse needs to know of the business besides the
// names in its data.
type Options struct {
	// Fiscal is the business's fiscal calendar ("fiscal Q3", "fytd"); nil
	// when none is configured: a fiscal period is then read as the
	// calendar one and the reply asks whether that is meant.
	Fiscal *period.Calendar
	// Hidden are the metrics the reader may not see: what the parser
	// suggests or lists as there to ask about leaves them out.
	Hidden []model.MetricID
}

// ParseWith is Parse with the business's options.
func ParseWith(question string, asOf time.Time, vocab Vocabulary, opt Options) Request {
	req := Request{Question: question, Hidden: opt.Hidden}
	if isBareHelp(question) {
		return helpRequest(req)
	}
	if b, ok := readBudget(question, asOf); ok {
		b.Hidden = opt.Hidden
		return b
	}
	rd := newReading(question, period.Day(asOf), vocab, opt)
	switch {
	case rd.hostile || rd.offTopic:
		return unknownRequest(req, rd)
	case rd.isHelp():
		return helpRequest(req)
	}
	rd.build(&req)
	cutWhich(&req)
	return req
}

// cutWords ask which groups to stop or cut.
var cutWords = lazyre.New(`\b(pause|paused|pausing|kill|stop|switch off|turn off|cut|losing money|lose money|wasting money|waste money|wasted)\b`)

// cutWhich reads "which campaigns should we pause" as the worst of them on
// what each dollar returns, not a list of every campaign by spend: lowest
// ROAS first, five of them, with a note saying so.
func cutWhich(req *Request) {
	if req.Intent != IntentBreakdown || !req.MetricsDefaulted || len(req.GroupBy) != 1 || req.Clarify != "" {
		return
	}
	q := strings.ToLower(req.Question)
	if !containsAny(q, "pause", "kill", "stop", "switch off", "turn off", "cut", "losing", "lose money", "wast") || !cutWords.MatchString(q) {
		return
	}
	req.Intent, req.Metrics, req.Ascending, req.Limit = IntentTop, []model.MetricID{model.ROAS}, true, 5
	req.Notes = slices.DeleteFunc(req.Notes, func(n string) bool { return strings.HasPrefix(n, "No metric named") })
	req.Notes = append(req.Notes, "No metric named: ranked by ROAS, lowest first, as what each dollar returns decides what to cut.")
}

// isBareHelp reports whether the question is empty or only a question mark.
func isBareHelp(q string) bool {
	return strings.Trim(q, " \t\r\n?¿!.") == ""
}

// build fills req from what was read: intent, metrics, periods, filters,
// grouping, order and what to clarify.
func (rd *reading) build(req *Request) {
	intent := rd.intent
	applyExclusions(&rd.found, &rd.said, rd.groupBy, &rd.remarks)
	checkVsSides(&rd.found, &rd.said, &rd.remarks)
	if rd.th.dir != "" && len(nonTime(rd.groupBy)) > 0 && !intent.ownTopic() {
		intent = IntentTop // "campaigns with CPA above 40": ranked
	}
	if len(rd.none) > 0 && len(nonTime(rd.groupBy)) > 0 && !intent.ownTopic() && intent != IntentTrend {
		intent = IntentTop // "campaigns with no conversions": those campaigns
	}
	req.Filters = rd.filterMap()
	for _, dim := range rd.exclOrder {
		if len(req.Filters[dim]) > 0 {
			if req.Excluded == nil {
				req.Excluded = map[string][]string{}
			}
			req.Excluded[dim] = append([]string(nil), rd.excluded[dim]...)
		}
	}
	mc := metricChooser{said: &rd.said, fd: &rd.found, groupBy: rd.groupBy, pp: rd.periodPair, remarks: &rd.remarks}
	metrics, ok := mc.chooseMetrics(intent)
	if !ok && !rd.aboutData() && rd.unknownMetric() == "" {
		*req = unknownRequest(*req, rd)
		return
	}
	req.Metrics = metrics
	req.MetricsDefaulted = len(rd.metrics) == 0 && !intent.ownTopic()
	rd.groupBy = resolveChannelGroup(req, &rd.said, rd.groupBy, &rd.remarks)
	req.GroupBy = rd.groupBy
	pd := periodDater{said: &rd.said, fd: &rd.found, pp: rd.periodPair, today: rd.today, fiscal: rd.fiscal, remarks: &rd.remarks}
	pd.setPeriods(req, intent)
	req.Intent = intent
	if intent == IntentTop {
		rk := ranker{said: &rd.said, fd: &rd.found, groupBy: rd.groupBy, th: rd.th, remarks: &rd.remarks}
		rk.setRanking(req)
		rk.rankByThreshold(req)
		rk.rankNone(req, mc.mapMetrics(rd.none, false))
		if rd.changeDir != "" && len(req.Having) == 0 && (req.Compare != nil || len(req.GroupBy) > 0 && model.IsTimeDimension(req.GroupBy[0])) {
			// "which categories grew the most vs last month": ranked by
			// how much each moved, not by where it ended.
			req.Change, req.Ascending = rd.changeDir, false
			req.Relative = len(rd.sups) > 0 && rd.sups[0].e.arg == "fast"
		}
	}
	if !ok {
		clarifyMetric(req, &rd.said)
	}
	clarifyAmbiguity(req, &rd.found, &rd.said)
	rd.foreign = append(rd.foreign, rd.unknownAdPlatforms()...)
	clarifyScope(req, &rd.found, &rd.said, rd.groupBy, &rd.remarks)
	settleIncrementality(req, &rd.said)
	clarifyNotHeld(req, &rd.said)
	clarifyUnknownMetric(req, &rd.found, &rd.said)
	rd.addDefinitions(req)
	req.Notes = append(req.Notes, rd.notes...)
	clarifyAbsurd(req, req.Question)
	if req.Clarify != "" && len(req.Suggestions) == 0 {
		req.Suggestions = suggestions(req)
	}
}

// helpRequest is the answer to "help" and "what can you do".
func helpRequest(req Request) Request {
	req.Intent = IntentHelp
	req.Suggestions = []string{
		"What did we spend yesterday?",
		"ROAS by platform this month",
		"Which campaign had the highest CPA last week?",
		"Are we on budget this month?",
	}
	return req
}

// unknownRequest is the answer to hostile or out-of-scope text, or text
// with nothing about the data: nothing from it is kept but the question.
func unknownRequest(req Request, rd *reading) Request {
	req = Request{Question: req.Question, Intent: IntentUnknown, Suggestions: defaultSuggestions}
	switch {
	case rd.hostile:
		req.Notes = []string{"sowhat only reads ad and business data; it cannot change or run anything."}
	case rd.offTopic:
		req.Notes = []string{"That is outside what sowhat knows: ad-platform and business results."}
	}
	return req
}

// defaultSuggestions are questions anyone can ask.
var defaultSuggestions = []string{
	"What did we spend yesterday?",
	"ROAS by platform this month",
	"Are we on budget this month?",
}
