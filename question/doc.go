// Package question reads a marketing question into a structured Request:
// the intent, the metrics, the period and the comparison, the filters and
// the grouping, or the question to ask back when the text is ambiguous. It
// reads no data and does no I/O; the names it can match beyond the metric
// registry and the platforms come in a Vocabulary.
//
// # Pipeline
//
// Parse runs a fixed series of stages: newReading (reading.go) runs them up
// to the intent, and build makes the Request. Each stage takes what the
// stages before it gave, as arguments, and returns a small value of its
// own:
//
//	text
//	 │ readWords        read_words.go    tokens: case, punctuation, chat
//	 ▼                                   abbreviations, typos corrected
//	words
//	 │ findEntities     read_entities.go phrases matched longest first:
//	 ▼                                   metrics, platforms, names, periods,
//	found                                keywords; campaigns named in part
//	 │ collectSaid      read_said.go     the matches in order: metrics and
//	 ▼                                   names asked about or left out,
//	said                                 periods, grammar cues
//	 │ settleYears, readThreshold,       "black friday last year" as one
//	 │ pairPeriods      read_periods.go  period; "CPA above $40"; which
//	 ▼                  read_threshold.go period is the main one and which
//	periodPair, threshold                the comparison
//	 │ readGroupBy      read_scope.go    the dimensions to group by and the
//	 ▼                                   time grain
//	groupBy, grain
//	 │ chooseIntent     read_intent.go   value, compare, breakdown, top,
//	 ▼                                   trend, why, pacing, brand lift,
//	                                     incrementality (parse_incrementality.go)
//	Intent
//	 │ build            parse.go         exclusions (parse_scope.go), the
//	 │                                   metrics (metricChooser,
//	 │                                   read_metrics.go), the periods in
//	 │                                   dates (periodDater, read_dates.go),
//	 │                                   the ranking (ranker, parse_rank.go),
//	 │                                   what to clarify (parse_clarify.go),
//	 │                                   what the store does not hold and
//	 ▼                                   inputs no one can mean (read_absurd.go)
//	Request
//
// Along the way the stages add to the remarks (remarks.go): notes on what
// was assumed, and the first question to ask back.
//
// Periods are read by their own grammar (period.go and period_*.go): one
// rule per form of period, tried at each word, the longest match winning.
// ParsePeriod runs it alone. The calendar arithmetic itself lives in
// model/period. Fiscal periods are read through the business's fiscal
// calendar, an input (Options, ParseWith) and never read from the
// environment; period words get typo tolerance in context
// (period_typos.go), and one that cannot be read is asked about.
//
// # Adding a phrasing
//
//   - Another way to say something the parser already knows — a synonym of
//     "vs", "top", "why", "pacing" and the like — is one more phrase in
//     keywordDefs (parse_words.go). A metric's or platform's other names
//     belong to the registry in model (or, for phrases only questions use,
//     extraMetricPhrases in parse_lexicon.go); a campaign type's or channel's
//     everyday names to campaignTypeAliases and channelAliases
//     (parse_lexicon.go); a chat abbreviation to abbrev (parse_tokens.go).
//   - Another form of period is a rule in periodRules (period.go).
//   - A new cue, something the question says that changes its shape, is a
//     kw constant and its phrases in parse_words.go, a field of said set in
//     collectKeyword, collectFlag or collectSignal (read_said.go), and the
//     stage that acts on it: chooseIntent for the kind of question,
//     readGroupBy for the grouping, metricChooser for the metrics, build
//     for the rest of the request. A topic of its own may keep its cues
//     and their phrases in a file of its own, as incrementality does
//     (parse_incrementality.go: its keywords join keywordDefs at init).
package question
