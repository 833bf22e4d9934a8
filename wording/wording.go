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
	Funcs(template.FuncMap{"was": Was, "is": Is, "poss": Possessive}).ParseFS(templateFS, "templates/answers.tmpl"))

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

// The types below are what the answer templates are filled from, one for
// each template or family of templates, named in their doc comments. Every
// number arrives already formatted from a value the query layer computed.

// Figure fills "value": "Meta CPA last week was $42.10."
type Figure struct {
	Subject     string // "Meta", "Google Ads and Meta", "Total", "Overall"
	MetricName  string // as it reads mid-sentence
	PeriodLabel string // "last week (Nov 9–15, 2026)"
	Value       string
}

// NoData fills "value_nodata": there is no figure, and why.
type NoData struct {
	MetricName   string
	SubjectWords string // the subject in a sentence ("Meta", "" for all)
	PeriodLabel  string
	Why          string // "" when there is nothing more to say
}

// PeriodChange fills "compare_periods" and "compare_steady": a figure
// against the same figure for another period.
type PeriodChange struct {
	Subject      string
	MetricName   string
	PeriodLabel  string
	Value        string
	CompareLabel string // "the week before (Nov 2–8, 2026)"
	CompareValue string
	Direction    string // up, down, flat
	ChangeAbs    string // "12.4%", "0.50 pts"
}

// SideBySide fills "compare_entities": "ROAS last month: Meta 3.10x vs
// Google Ads 4.02x."
type SideBySide struct {
	MetricName  string
	PeriodLabel string
	Ranking     string // the groups and their figures, joined
}

// Breakdown fills "breakdown": a total split by a dimension, and its leader.
type Breakdown struct {
	Subject     string
	MetricName  string
	PeriodLabel string
	Dim         string // "platform", "campaign type"
	Total       string // "$12,400 in all", "3.10x overall"
	Leader      string
	LeaderValue string
	LeaderShare string // the leader's share of the total, "" for a ratio
}

// Top fills "top": the leader alone when one was asked for, else the list.
type Top struct {
	Limit       int
	Leader      string
	LeaderValue string
	Extreme     string // highest, lowest
	Extremes    string // Top, Bottom
	Count       int
	DimPlural   string // "campaigns"
	MetricName  string
	PeriodLabel string
	Ranking     string // "1. a $10, 2. b $8"
}

// Trend fills "trend": first, last and peak of a series.
type Trend struct {
	Subject     string
	Grain       string // daily, weekly, monthly
	MetricName  string
	PeriodLabel string
	First       string
	FirstLabel  string
	Last        string
	LastLabel   string
	Direction   string
	ChangeAbs   string
	Peak        string
	PeakLabel   string
}

// Why fills "why": how a figure moved between two periods.
type Why struct {
	Subject      string
	MetricName   string
	Steady       bool
	Change       string // with its sign: "+1.3%", "-0.50 pts"
	Direction    string
	ChangeAbs    string
	PeriodLabel  string // "from the week before (…) to last week (…)"
	CompareValue string
	Value        string
}

// Pacing fills "pacing": month-to-date spend against its pro-rated budget,
// and where the month lands at this pace.
type Pacing struct {
	PeriodLabel string
	Among       string // who the total covers: "the 4 campaigns with a budget", "" for all
	Value       string // the spend
	Budget      string
	Pacing      string
	Projected   string
	MonthBudget string
}

// ChangeSoWhat fills "sowhat_change": whether a change is good news, and
// what drove it.
type ChangeSoWhat struct {
	MetricName   string
	Steady       bool
	Change       string
	Direction    string
	ChangeAbs    string
	CompareLabel string // "vs the week before (…)", "" when said already
	Good         bool
	Driver       string // the group the change moved on, "" for none
	DriverDelta  string // its part of the change, "" when not measured
}

// Next fills the next steps "next_bad_cost", "next_bad_return",
// "next_good", "next_steady", "next_volume_down", "next_under" and
// "next_on_plan".
type Next struct {
	Focus string // what to look at: a campaign, a platform
	Dim   string // the dimension Focus is a value of, "" when it is none
}

// Overspend fills "next_over": the cut in daily budgets that lands on plan.
type Overspend struct {
	Focus       string
	Trim        string // "12.5%"
	MonthBudget string // the budget to land on, "" to land on plan
}

// Say renders the named wording template with its data, on one line.
func Say(name string, data any) string { return OneLine(Execute(answers, name, data)) }

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
