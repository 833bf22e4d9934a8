package question

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// isListWord reports a word that may stand between the names an exclusion
// leaves out: "excluding the meta and all google campaigns".
func isListWord(w string) bool {
	switch w {
	case "the", "all", "any", "of", "our", "my", "both":
		return true
	}
	return false
}

// onlyListWords reports whether tokens [a, b) are all list words.
func (fd *found) onlyListWords(a, b int) bool {
	for k := a; k < b && k < len(fd.toks); k++ {
		if !isListWord(fd.toks[k].text) {
			return false
		}
	}
	return true
}

// dimNoun names a dimension in words.
func dimNoun(dim string) string { return strings.ReplaceAll(dim, "_", " ") }

// dimPlural names a dimension's values in words: "categories".
func dimPlural(dim string) string {
	if dim == "category" {
		return "categories"
	}
	return dimNoun(dim) + "s"
}

// displayName is how a dimension's value reads in a sentence.
func displayName(dim, value string) string {
	if dim == "platform" {
		return model.PlatformName(value)
	}
	return value
}

func displayNames(dim string, values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = displayName(dim, v)
	}
	return out
}

// allValues lists every value of a dimension, and whether every row has
// one of them: every ad row has a platform and a campaign, every business
// row a channel; not every campaign has a category, type or region.
func (fd *found) allValues(dim string) ([]string, bool) {
	switch dim {
	case "platform":
		out := make([]string, len(model.Platforms))
		for i, p := range model.Platforms {
			out[i] = p.ID
		}
		return out, true
	case "channel":
		return fd.vocab.Channels, len(fd.vocab.Channels) > 0
	case "campaign":
		c := fd.vocab.CampaignNames()
		return c, len(c) > 0
	case "category":
		return fd.vocab.Categories, false
	case "region":
		return fd.vocab.Regions, false
	case "campaign_type":
		return fd.vocab.CampaignTypes, false
	}
	return nil, false
}

// applyExclusions reads "spend excluding Meta" as spend on every other
// platform. A dimension that not every row has (category, region, type)
// can only be left out of a list by it ("ROAS by category except Toys"):
// a total without it would silently drop the rows that have none, so
// sowhat asks instead. The other values become sd's filters.
func applyExclusions(fd *found, sd *said, groupBy []string, rm *remarks) {
	for _, dim := range sd.exclOrder {
		out := sd.excluded[dim]
		all, closed := fd.allValues(dim)
		if !closed && !slices.Contains(groupBy, dim) {
			askExclusion(rm, dim, out)
			continue
		}
		keep := all
		if len(sd.filters[dim]) > 0 {
			keep = sd.filters[dim]
		}
		var rest []string
		for _, v := range keep {
			if !slices.Contains(out, v) {
				rest = append(rest, v)
			}
		}
		if len(rest) == 0 {
			rm.ask(fmt.Sprintf("Leaving out %s leaves no %s to show: which do you mean?", wording.JoinOr(displayNames(dim, out)), dimNoun(dim)),
				"{m} by "+dimNoun(dim)+" {p}", "{m} for "+displayName(dim, out[0])+" {p}")
			continue
		}
		if _, ok := sd.filters[dim]; !ok {
			sd.filterOrder = append(sd.filterOrder, dim)
		}
		sd.filters[dim] = rest
		rm.note(fmt.Sprintf("Read as every %s except %s.", dimNoun(dim), strings.Join(displayNames(dim, out), " and ")))
	}
}

func askExclusion(rm *remarks, dim string, out []string) {
	noun := dimNoun(dim)
	names := wording.JoinOr(displayNames(dim, out))
	rm.ask(fmt.Sprintf("sowhat cannot leave out a %s from a total yet (some results have no %s). Show it by %s instead, so you can set %s aside?", noun, noun, noun, names),
		"{m} by "+noun+" {p}", "{m} for "+displayName(dim, out[0])+" {p}")
}

// entitySide is the names on one side of a "vs".
type entitySide struct {
	vals  map[string][]string
	texts []string
}

// side collects the names next to the vs hit at index k of fd.hits,
// going back (dir -1) or forward (+1) over names, metrics and "and",
// with only small words between.
func (fd *found) side(k, dir int) entitySide {
	s := entitySide{vals: map[string][]string{}}
	edge := fd.hits[k].i
	if dir > 0 {
		edge = fd.hits[k].i + fd.hits[k].n
	}
	for j := k + dir; j >= 0 && j < len(fd.hits); j += dir {
		h := fd.hits[j]
		a, b := h.i+h.n, edge
		if dir > 0 {
			a, b = edge, h.i
		}
		if !fd.onlyStopWords(a, b) {
			break
		}
		switch {
		case isEntity(h.kind):
			d := dimOfKind[h.kind]
			s.vals[d] = appendNew(s.vals[d], h.value())
			s.texts = append(s.texts, fd.textOf(h))
		case h.kind == ekMetric || h.is(kwJoin):
		default:
			return s
		}
		edge = h.i
		if dir > 0 {
			edge = h.i + h.n
		}
	}
	return s
}

func (fd *found) onlyStopWords(a, b int) bool {
	for k := a; k < b && k < len(fd.toks); k++ {
		if !isStopWord(fd.toks[k].text) {
			return false
		}
	}
	return true
}

// textOf is the question's text of a hit.
func (fd *found) textOf(h hit) string {
	a, b := fd.toks[h.i].start, fd.toks[h.i+h.n-1].end
	if a < 0 || b > len(fd.q) || a >= b {
		return h.value()
	}
	return fd.q[a:b]
}

// checkVsSides asks back when "X vs Y" names things that cannot be set
// side by side: the same thing twice ("ig vs fb": both are Meta), or
// things of different kinds ("pmax vs search": a platform and a campaign
// type).
func checkVsSides(fd *found, sd *said, rm *remarks) {
	for _, v := range sd.vsAt {
		k := fd.owner[v]
		left, right := fd.side(k, -1), fd.side(k, 1)
		if len(left.vals) == 0 || len(right.vals) == 0 {
			continue
		}
		shared, differ := "", false
		for d, lv := range left.vals {
			if rv, ok := right.vals[d]; ok {
				shared = d
				differ = differ || !sameSet(lv, rv)
			}
		}
		if differ {
			continue
		}
		l, r := strings.Join(left.texts, " "), strings.Join(right.texts, " ")
		if shared != "" {
			name := wording.JoinOr(displayNames(shared, left.vals[shared]))
			rm.ask(fmt.Sprintf("%q and %q are both %s in the data, so sowhat cannot split them. Compare %s with another %s?", l, r, name, name, dimNoun(shared)),
				"{m} for "+name+" {p}", "{m} by "+dimNoun(shared)+" {p}")
			return
		}
		rm.ask(fmt.Sprintf("sowhat compares like with like: %q and %q are different kinds of thing. Compare %s, or %s?", l, r,
			kindsOf(left.vals), kindsOf(right.vals)), "{m} by "+firstKind(left.vals)+" {p}", "{m} by "+firstKind(right.vals)+" {p}")
		return
	}
}

// firstKind is the first dimension named on a side, in words.
func firstKind(vals map[string][]string) string {
	for _, d := range []string{"platform", "campaign_type", "category", "region", "channel", "campaign"} {
		if len(vals[d]) > 0 {
			return dimNoun(d)
		}
	}
	return "platform"
}

func kindsOf(vals map[string][]string) string {
	var out []string
	for _, d := range []string{"platform", "campaign_type", "category", "region", "channel", "campaign"} {
		if len(vals[d]) > 0 {
			out = append(out, dimPlural(d))
		}
	}
	return strings.Join(out, " and ")
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// checkSince asks "since when?" for "since" with no date sowhat knows:
// "since launch", "since the price change".
func checkSince(fd *found, rm *remarks) {
	for k, t := range fd.toks {
		if t.text != "since" {
			continue
		}
		if h, ok := fd.hitAt(k); ok && h.kind == ekPeriod {
			continue
		}
		rm.ask("Since when? Give a date or a period, for example \"since nov 1\", \"since black friday\" or \"since last month\".",
			"{m} since nov 1", "{m} last 30 days", "{m} this year to date")
		return
	}
}

// gap is the number of tokens between two hits.
func gap(a *hit, b hit) int {
	if a.i < b.i {
		return b.i - (a.i + a.n)
	}
	return a.i - (b.i + b.n)
}

// isYearWord reports a period that is only a year: "2025", "last year",
// "this year".
func (fd *found) isYearWord(h hit) bool {
	if h.span.unit != unitYear || h.span.n != 1 || h.span.fiscal || h.n > 2 {
		return false
	}
	first := fd.toks[h.i]
	return first.isNum || (h.n == 2 && (first.text == "last" || first.text == "this" || first.text == "previous"))
}

// finishSpan ends a span that is still running at yesterday.
func finishSpan(today time.Time, s spanInfo) spanInfo {
	yday := today.AddDate(0, 0, -1)
	if !s.Start.After(yday) && s.End.After(yday) {
		s.End = yday
		if !s.toDate {
			s.toDate = true
			s.Label += " to date"
		}
	}
	return s
}

// isInjectionVerb and isInjectionObject report the words that make an
// attempt to rewrite the bot's instructions when both are in a question.
func isInjectionObject(w string) bool {
	switch w {
	case "instructions", "instruction", "prompt", "prompts", "rules", "guidelines", "guardrails", "directives":
		return true
	}
	return false
}

// isInjectionVerb: see isInjectionObject.
func isInjectionVerb(w string) bool {
	switch w {
	case "ignore", "disregard", "forget", "override", "bypass":
		return true
	}
	return false
}

// looksLikeInjection catches "ignore all prior instructions" and the like
// that no fixed phrase lists.
func looksLikeInjection(toks []token) bool {
	verb := -1
	for k, t := range toks {
		switch {
		case isInjectionVerb(t.text):
			verb = k
		case isInjectionObject(t.text) && verb >= 0 && k-verb <= 4:
			return true
		}
	}
	return false
}

// unknownWords counts the words of the question that are neither small
// words, numbers nor anything sowhat knows, and the words in all.
func (fd *found) unknownWords() (unknown, content int) {
	for k, t := range fd.toks {
		if t.isNum || len(t.text) < 2 || isStopWord(t.text) || strings.ContainsAny(t.text, "-/%") {
			continue
		}
		content++
		if _, ok := fd.hitAt(k); !ok {
			unknown++
		}
	}
	return unknown, content
}

// mostlyUnknown reports a question sowhat reads too little of to assume
// what it asks: "hola, cuánto gastamos en meta la semana pasada".
func (fd *found) mostlyUnknown() bool {
	unknown, content := fd.unknownWords()
	return unknown >= 3 && 2*unknown >= content
}

// addDefinitions answers "what does ROAS mean" with the value and, in the
// notes, how each metric named is defined.
func (sd *said) addDefinitions(req *Request) {
	if !sd.define {
		return
	}
	for _, id := range req.Metrics {
		if mt, ok := model.LookupMetric(id); ok {
			req.Notes = append(req.Notes, fmt.Sprintf("%s = %s. %s", mt.Name, mt.Formula, mt.Description))
		}
	}
}

// clarifyScope asks back about what the data cannot show: a platform
// sowhat has no data for, payback by platform, a ratio with a metric it
// does not have, or whatever was noted while reading.
func clarifyScope(req *Request, fd *found, sd *said, groupBy []string, rm *remarks) {
	if req.Clarify != "" {
		return
	}
	switch {
	case len(sd.foreign) > 0:
		rm.askBack, rm.askBackSugg = "", nil
		rm.ask(fmt.Sprintf("sowhat has no %s data: it reads %s. Which platform do you mean?", wording.JoinOr(sd.foreign), platformList()),
			"{m} by platform {p}", "{m} for Meta {p}", "{m} for Google Ads {p}")
	case slices.Contains(req.Metrics, model.PaybackMonths) && byAdDimension(sd.filters, groupBy):
		rm.askBack, rm.askBackSugg = "", nil
		subj := subjectOf(req.Filters)
		if subj == "" {
			subj = "each " + dimNoun(firstOr(nonTime(req.GroupBy), "platform"))
		}
		rm.ask(fmt.Sprintf("CAC payback is blended only: business data has no platform or campaign. Show blended payback, or CAC for %s?", subj))
		req.Suggestions = []string{"CAC payback " + suggestionPeriod(req), "CAC for " + subj + " " + suggestionPeriod(req)}
	case unsupportedRatio(fd, sd):
		h := sd.unsupported[0]
		rm.askBack, rm.askBackSugg = "", nil
		rm.ask(fmt.Sprintf("sowhat has no %q metric, so it cannot set it against %s. Show %s on its own?", strings.Join(h.e.words, " "),
			wording.JoinOr(metricNames(req.Metrics)), wording.JoinOr(metricNames(req.Metrics))), "{m} {p}", "{m} by platform {p}")
	}
	if rm.askBack == "" {
		return
	}
	fill := strings.NewReplacer("{m}", metricName(firstOr(req.Metrics, model.Spend)), "{p}", suggestionPeriod(req))
	req.Clarify = fill.Replace(rm.askBack)
	if len(req.Suggestions) > 0 {
		return
	}
	for _, s := range rm.askBackSugg {
		req.Suggestions = append(req.Suggestions, fill.Replace(s))
	}
	if len(req.Suggestions) == 0 {
		req.Suggestions = suggestions(req)
	}
}

func firstOr[T any](xs []T, d T) T {
	if len(xs) > 0 {
		return xs[0]
	}
	return d
}

func platformList() string {
	names := make([]string, len(model.Platforms))
	for i, p := range model.Platforms {
		names[i] = p.Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// unsupportedRatio reports a ratio of a metric sowhat has not with one it
// has: "LTV to CAC", "ltv:cac ratio".
func unsupportedRatio(fd *found, sd *said) bool {
	if len(sd.unsupported) == 0 || len(sd.metrics) == 0 {
		return false
	}
	for k := range fd.toks {
		if fd.toks[k].text == "ratio" {
			return true
		}
	}
	for _, u := range sd.unsupported {
		for _, h := range fd.hits {
			if h.kind != ekMetric {
				continue
			}
			a, b := u.i+u.n, h.i
			if h.i < u.i {
				a, b = h.i+h.n, u.i
			}
			if b-a == 1 && (fd.toks[a].text == "to" || fd.toks[a].text == "vs") {
				return true
			}
			if b == a && b < len(fd.toks) && fd.toks[a-1].end < fd.toks[b].start {
				between := fd.q[fd.toks[a-1].end:fd.toks[b].start]
				if strings.TrimSpace(between) != "" && strings.Trim(between, " /:") == "" {
					return true // "ltv/cac", "ltv : cac"
				}
			}
		}
	}
	return false
}
