package intents

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// The grounding check: a model's rewrite of an answer is kept only if every
// sentence of it holds figures and names from the answer's facts and
// nothing else. A figure must read exactly as the house writes one of the
// facts (wording.Value or wording.Compact, a change as wording.Change
// writes it, signs aside: "down 8.4%" for "-8.4%"); a platform, campaign,
// category or region it names must be in them. The check runs in the
// engine, on whatever any polisher returns: nothing the model says can
// switch it off.

// numberRE finds figures as the house writes them: $1,204,330, $1.2M,
// 3.21x, 12.4%, +0.8 pts, 2.3 months, 1,204.
var numberRE = lazyre.New(`\$?\d[\d,]*(?:\.\d+)?(?:[KMB]\b)?(?:%|x\b| pts\b| months?\b)?`)

// capitalRE finds capitalised words, which may be names.
var capitalRE = lazyre.New(`\p{Lu}[\p{L}\d&'’+-]*`)

// markup are what a rewrite may not bring that the answer did not have:
// links, mentions, markdown and HTML.
var markup = []string{"http", "www.", "](", "<", ">", "@", "`", "|", "*", "#", "~", "[", "]"}

// maxFactRows bounds the rows the facts list.
const maxFactRows = 25

// grounding is what a rewrite of one answer is checked against.
type grounding struct {
	lines   []string        // the facts, as given to the model
	numbers map[string]bool // every figure in the facts and the answer's own wording
	source  string          // the facts and the answer's wording, lower case
	names   []string        // data names a rewrite could mention
	plain   string          // the answer's own summary and so-what
}

// newGrounding lists an answer's facts: its total and rows with their
// comparison values, changes and shares of the total, projections and
// periods, leaving out the metrics its readers may not see.
func newGrounding(a model.Answer, hidden []model.MetricID, dataNames []string) *grounding {
	g := &grounding{numbers: map[string]bool{}, names: dataNames, plain: a.Summary + " " + a.SoWhat}
	metrics := slices.DeleteFunc(slices.Clone(a.Metrics), func(m model.MetricID) bool { return slices.Contains(hidden, m) })
	g.lines = append(g.lines, "Period: "+wording.PeriodText(a.Period))
	if a.ComparePeriod != nil {
		g.lines = append(g.lines, "Compared with: "+wording.PeriodText(*a.ComparePeriod))
	}
	g.lines = append(g.lines, "Total — "+rowFacts(a.Total, a.Total, metrics, false))
	for i, r := range a.Rows {
		if i == maxFactRows {
			break
		}
		g.lines = append(g.lines, rowName(r, a.GroupBy)+" — "+rowFacts(r, a.Total, metrics, true))
	}
	for k, v := range a.Projected {
		g.lines = append(g.lines, fmt.Sprintf("Projected month-end spend%s: %s", map[bool]string{true: "", false: " of " + k}[k == ""], wording.Value(model.UnitCurrency, &v)))
	}
	texts := append([]string{a.Summary, a.SoWhat}, a.Notes...)
	texts = append(texts, g.lines...)
	for _, t := range texts {
		for _, n := range numberRE.FindAllString(t, -1) {
			g.numbers[normNumber(n)] = true
		}
	}
	g.source = strings.ToLower(strings.Join(texts, "\n"))
	return g
}

// rowName is a row's key in words.
func rowName(r model.Row, groupBy []string) string {
	var parts []string
	for _, d := range groupBy {
		if v, ok := r.Key[d]; ok {
			parts = append(parts, wording.DimValue(d, v))
		}
	}
	if len(parts) == 0 {
		return "Row"
	}
	return strings.Join(parts, " / ")
}

// rowFacts writes a row's metrics the house way: value, compact value,
// comparison value and change, and its share of the total for sums.
func rowFacts(r, total model.Row, metrics []model.MetricID, share bool) string {
	var parts []string
	for _, id := range metrics {
		mt, ok := model.LookupMetric(id)
		v := r.Values[id]
		if !ok || v == nil {
			continue
		}
		s := mt.Name + ": " + wording.Value(mt.Unit, v)
		if c := wording.Compact(mt.Unit, v); c != wording.Value(mt.Unit, v) {
			s += " (" + c + ")"
		}
		if old := r.CompareValues[id]; old != nil {
			s += ", before " + wording.Value(mt.Unit, old)
			if ch := wording.Change(id, v, old); ch != "" {
				s += ", change " + ch
			}
		}
		if t := total.Values[id]; t != nil && *t > 0 && share && (mt.Unit == model.UnitCurrency || mt.Unit == model.UnitCount) && *v != *t {
			s += ", share of total " + wording.Value(model.UnitPercent, model.Float(*v / *t))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// normNumber is a figure without its thousands separators.
func normNumber(n string) string { return strings.ReplaceAll(n, ",", "") }

// check reports why a rewrite may not replace the answer's wording, or nil.
func (g *grounding) check(summary, soWhat string) error {
	if strings.TrimSpace(summary) == "" || strings.TrimSpace(soWhat) == "" && strings.TrimSpace(g.plain) != "" {
		return errors.New("empty rewrite")
	}
	for _, t := range []string{summary, soWhat} {
		if len(t) > 4*len(g.plain)+400 {
			return fmt.Errorf("rewrite too long (%d characters)", len(t))
		}
		if err := g.checkCharacters(t); err != nil {
			return err
		}
		for _, s := range sentences(t) {
			if err := g.checkSentence(s); err != nil {
				return fmt.Errorf("sentence %q: %w", s, err)
			}
		}
	}
	return nil
}

// checkCharacters refuses invisible characters (zero-width, direction
// overrides, controls) and markup the answer did not have.
func (g *grounding) checkCharacters(t string) error {
	if !utf8.ValidString(t) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range t {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) && r != '\n' || unicode.Is(unicode.Co, r) {
			return fmt.Errorf("invisible character %U", r)
		}
	}
	lower := strings.ToLower(t)
	for _, m := range markup {
		if strings.Contains(lower, m) && !strings.Contains(strings.ToLower(g.plain), m) {
			return fmt.Errorf("markup %q", m)
		}
	}
	return nil
}

func (g *grounding) checkSentence(s string) error {
	for _, n := range numberRE.FindAllString(s, -1) {
		if !g.numbers[normNumber(n)] {
			return fmt.Errorf("figure %q is not in the answer's facts", n)
		}
	}
	lower := strings.ToLower(s)
	for _, p := range model.Platforms {
		for _, name := range append([]string{p.Name}, p.Aliases...) {
			if len(name) >= 2 && containsWord(lower, strings.ToLower(name)) && !g.mentionsPlatform(p) {
				return fmt.Errorf("platform %q is not in the answer's facts", name)
			}
		}
	}
	for _, name := range g.names {
		if len(name) >= 3 && containsWord(lower, strings.ToLower(name)) && !containsWord(g.source, strings.ToLower(name)) {
			return fmt.Errorf("name %q is not in the answer's facts", name)
		}
	}
	for _, loc := range capitalRE.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		if sentenceStart(s, loc[0]) || plainWord(w) || strings.Contains(g.source, strings.ToLower(strings.TrimRight(w, "'’s"))) {
			continue
		}
		return fmt.Errorf("name %q is not in the answer's facts", w)
	}
	return nil
}

func (g *grounding) mentionsPlatform(p model.Platform) bool {
	for _, name := range append([]string{p.Name}, p.Aliases...) {
		if containsWord(g.source, strings.ToLower(name)) {
			return true
		}
	}
	return false
}

// plainWords are capitalised words a rewrite may use freely: months,
// weekdays, "I", and the words of metric names. They are listed on first
// use: only a model's rewrite is checked.
var plainWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{"i": true}
	for _, w := range strings.Fields("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday q1 q2 q3 q4 yoy mom wow kpi") {
		m[w] = true
	}
	for _, mt := range model.Metrics() {
		for _, w := range strings.FieldsFunc(mt.Name+" "+strings.Join(mt.Synonyms, " "), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			m[strings.ToLower(w)] = true
		}
	}
	return m
})

func plainWord(w string) bool { return plainWords()[strings.ToLower(strings.TrimRight(w, "'’s"))] }

// sentenceStart reports whether the word at i opens a sentence.
func sentenceStart(s string, i int) bool {
	before := strings.TrimRightFunc(s[:i], unicode.IsSpace)
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".!?:;—(\"“", r)
}

// sentences splits text after each full stop, question or exclamation
// mark that ends a sentence (one followed by a space).
func sentences(t string) []string {
	var out []string
	start := 0
	for i := 0; i < len(t); i++ {
		if strings.ContainsRune(".!?\n", rune(t[i])) && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\n') {
			if s := strings.TrimSpace(t[start : i+1]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(t[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// containsWord reports whether needle occurs in hay as whole words.
func containsWord(hay, needle string) bool {
	for i := 0; ; {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(needle)
		if (at == 0 || !wordRune(lastRune(hay[:at]))) && (end == len(hay) || !wordRune(firstRune(hay[end:]))) {
			return true
		}
		i = at + 1
	}
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }
func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
