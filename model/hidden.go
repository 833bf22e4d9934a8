package model

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// A reader may be kept from some metrics: finance's CAC, payback and MER
// outside the channels cleared for them. The engine is told which, and
// writes nothing that shows them; Answer.Withhold is the last check on
// what it wrote.
//
// The incrementality metrics (iroas, incremental_revenue, lift_pct,
// calibrated_roas, mroas) are not finance's by default: they come from the
// tests and models the marketing team runs and the revenue the platforms
// report, not from the business's own revenue, and reveal none of the
// hidden metrics. Configured as sensitive, they are kept out like any.

// revealedBy lists the metrics from which a reader could work out another:
// CAC payback is CAC over a month of gross profit per order, and gross
// profit per order is shown, so hiding CAC hides payback too.
var revealedBy = map[MetricID][]MetricID{CAC: {PaybackMonths}}

// Concealed returns hidden with every metric that would reveal one of
// them, each once, in the order given.
func Concealed(hidden []MetricID) []MetricID {
	var out []MetricID
	add := func(id MetricID) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, id := range hidden {
		add(id)
		for _, r := range revealedBy[id] {
			add(r)
		}
	}
	return out
}

// Visible returns the metrics of ids that are not hidden, in order.
func Visible(ids, hidden []MetricID) []MetricID {
	if len(hidden) == 0 {
		return ids
	}
	var out []MetricID
	for _, id := range ids {
		if !slices.Contains(hidden, id) {
			out = append(out, id)
		}
	}
	return out
}

// mentionRes caches the pattern that finds a set of metrics named in text.
var mentionRes sync.Map // string (ids joined) → *regexp.Regexp

// mentionRe matches any name a hidden metric goes by, as whole words in any
// case: its id, its name and every synonym in the registry.
func mentionRe(hidden []MetricID) *regexp.Regexp {
	key := strings.Join(MetricIDsText(hidden), ",")
	if re, ok := mentionRes.Load(key); ok {
		return re.(*regexp.Regexp)
	}
	var alts []string
	for _, id := range hidden {
		alts = append(alts, regexp.QuoteMeta(strings.ReplaceAll(string(id), "_", " ")), regexp.QuoteMeta(string(id)))
		if mt, ok := metricByID()[id]; ok {
			alts = append(alts, regexp.QuoteMeta(mt.Name))
			for _, s := range mt.Synonyms {
				alts = append(alts, regexp.QuoteMeta(s))
			}
		}
	}
	// Longest first, so "blended cac" is matched whole.
	slices.SortFunc(alts, func(a, b string) int { return len(b) - len(a) })
	re := regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
	mentionRes.Store(key, re)
	return re
}

// MetricIDsText converts metric ids to their text.
func MetricIDsText(ids []MetricID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// Mentions reports whether text names one of the hidden metrics.
func Mentions(text string, hidden []MetricID) bool {
	if len(hidden) == 0 || text == "" {
		return false
	}
	return mentionRe(hidden).MatchString(text)
}

// Sentences splits text after each full stop, question or exclamation mark
// that a space and a capital, digit or quote follow; "54.28x" and
// "$1,204.50" stay whole.
func Sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if c := text[i]; c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) && text[j] == ' ' {
			j++
		}
		if j == i+1 || j >= len(text) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[j:])
		if unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune(`"“'$(`, r) {
			out = append(out, strings.TrimSpace(text[start:i+1]))
			start = j
		}
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// withoutMentions drops each sentence of text that names a hidden metric,
// and reports whether it dropped any.
func withoutMentions(text string, hidden []MetricID) (string, bool) {
	if !Mentions(text, hidden) {
		return text, false
	}
	var kept []string
	for _, s := range Sentences(text) {
		if !Mentions(s, hidden) {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, " "), true
}

// Withhold takes out of the answer whatever shows a hidden metric: its id
// in Metrics, its values in every row and the total, and each sentence,
// note or suggestion that names it. It returns what it had to take out
// ("so_what", "rows"...): nothing, when the engine was told what is hidden
// and kept to it.
func (a *Answer) Withhold(hidden []MetricID) (leaks []string) {
	if len(hidden) == 0 {
		return nil
	}
	leak := func(where string, did bool) {
		if did && !slices.Contains(leaks, where) {
			leaks = append(leaks, where)
		}
	}
	if kept := Visible(a.Metrics, hidden); len(kept) != len(a.Metrics) {
		a.Metrics = kept
		leak("metrics", true)
	}
	for i := range a.Rows {
		leak("rows", a.Rows[i].withhold(hidden))
	}
	leak("total", a.Total.withhold(hidden))
	for _, f := range []struct {
		where string
		text  *string
	}{{"summary", &a.Summary}, {"so_what", &a.SoWhat}, {"clarify", &a.Clarify}} {
		var did bool
		*f.text, did = withoutMentions(*f.text, hidden)
		leak(f.where, did)
	}
	var did bool
	a.Notes, did = dropMentions(a.Notes, hidden)
	leak("notes", did)
	a.Suggestions, did = dropMentions(a.Suggestions, hidden)
	leak("suggestions", did)
	return leaks
}

// dropMentions keeps the texts that name no hidden metric.
func dropMentions(texts []string, hidden []MetricID) ([]string, bool) {
	kept := slices.DeleteFunc(slices.Clone(texts), func(t string) bool { return Mentions(t, hidden) })
	if len(kept) == len(texts) {
		return texts, false
	}
	return kept, true
}

// withhold deletes the row's values of hidden metrics, and reports whether
// it had any.
func (r *Row) withhold(hidden []MetricID) bool {
	did := false
	for _, v := range []Values{r.Values, r.CompareValues} {
		for _, id := range hidden {
			if _, ok := v[id]; ok {
				delete(v, id)
				did = true
			}
		}
	}
	return did
}
