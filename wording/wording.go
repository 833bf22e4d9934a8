package wording

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
	"unicode"

	"github.com/sowhat-ai/sowhat/model"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var answers = template.Must(template.New("answers").Option("missingkey=error").
	Funcs(template.FuncMap{"was": Was, "is": Is}).ParseFS(templateFS, "templates/answers.tmpl"))

// plural reports whether a metric, by its name, is a plural noun: the
// counts are (impressions, clicks, store visits, orders).
func plural(name string) bool {
	for _, mt := range model.Metrics() {
		if strings.EqualFold(mt.Name, name) {
			return mt.Unit == model.UnitCount
		}
	}
	return false
}

// Was is "was", or "were" after a plural metric name: "store visits were".
func Was(metricName string) string {
	if plural(metricName) {
		return "were"
	}
	return "was"
}

// Is is "is", or "are" after a plural metric name: "clicks are up".
func Is(metricName string) string {
	if plural(metricName) {
		return "are"
	}
	return "is"
}

// Facts are what an answer's wording is filled from. Every number arrives
// already formatted from a value the query layer computed.
type Facts struct {
	Subject      string // "Meta", "Google Ads & Meta", "Total" ...
	SubjectWords string // the subject in a sentence ("Meta", "" for all)
	MetricName   string
	PeriodLabel  string
	CompareLabel string
	Value        string
	CompareValue string
	Direction    string // up, down, flat
	ChangeAbs    string // "12.4%", "0.50 pts"
	Change       string // with its sign: "+1.3%", "-0.50 pts"
	Good         bool
	Steady       bool
	Driver       string
	DriverDelta  string
	Why          string
	Dim          string
	DimPlural    string
	Total        string
	Leader       string
	LeaderValue  string
	LeaderShare  string
	Ranking      string
	Extreme      string // highest, lowest
	Extremes     string // Top, Bottom
	Count        int
	Limit        int
	Grain        string
	First        string
	FirstLabel   string
	Last         string
	LastLabel    string
	Peak         string
	PeakLabel    string
	Among        string // who a total covers: "the 4 campaigns with a budget"
	Budget       string
	Pacing       string
	Projected    string
	MonthBudget  string
	Focus        string
	Trim         string
}

// Say renders the named wording template.
func Say(name string, f Facts) string { return OneLine(Execute(answers, name, f)) }

// Execute renders a named template of t. Templates are embedded and tested;
// a failure is a bug, said in place, and the figures beside the wording
// still stand on their own.
func Execute(t *template.Template, name string, v any) string {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, v); err != nil {
		return fmt.Sprintf("[wording %s unavailable: %v]", name, err)
	}
	return b.String()
}

// OneLine folds white space, so a template can be laid out readably.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// JoinAnd lists names as a sentence does: "a", "a and b", "a, b and c".
func JoinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// MidSentence writes a metric name as it reads inside a sentence:
// "business revenue", but "CAC" and "ROAS" stay as they are.
func MidSentence(name string) string {
	r := []rune(name)
	if len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// Capitalize upper-cases the first letter.
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
