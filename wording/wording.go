package wording

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"unicode"

	"github.com/sowhat-ai/sowhat/model"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// answers are parsed on first use: the commands that word no answer
// (ingest, sync, doctor) start without them.
var answers = sync.OnceValue(func() *template.Template {
	return template.Must(newAnswers().ParseFS(templateFS, "templates/answers.tmpl"))
})

func newAnswers() *template.Template {
	return template.New("answers").Option("missingkey=error").Funcs(template.FuncMap{"was": Was, "is": Is, "poss": Possessive})
}

// answerDefines are the answer templates' sources, each {{define}} on its
// own, by name. A one-question process (sowhat ask) parses only the few it
// says: parsing them all was about 0.2 ms of it. (A define calls no other.)
var answerDefines = sync.OnceValue(func() map[string]string {
	b, err := templateFS.ReadFile("templates/answers.tmpl")
	if err != nil {
		panic(err) // embedded
	}
	src := string(b)
	const open = `{{define "`
	out := map[string]string{}
	for i := strings.Index(src, open); i >= 0; {
		next := strings.Index(src[i+len(open):], open)
		end := len(src)
		if next >= 0 {
			end = i + len(open) + next
		}
		chunk := src[i:end]
		name, _, _ := strings.Cut(chunk[len(open):], `"`)
		out[name] = chunk
		if next < 0 {
			break
		}
		i = end
	}
	return out
})

var parsedDefines sync.Map // name → *template.Template

// answerTemplate is the template holding the named answer template,
// parsed on first use.
func answerTemplate(name string) *template.Template {
	if t, ok := parsedDefines.Load(name); ok {
		return t.(*template.Template)
	}
	src, ok := answerDefines()[name]
	if !ok {
		return answers() // unknown: Execute says so
	}
	t := template.Must(newAnswers().Parse(src))
	parsedDefines.Store(name, t)
	return t
}

// plural reports whether a metric, by its name, is a plural noun: the
// counts are (impressions, clicks, store visits, orders).
func plural(name string) bool { return countNames()[strings.ToLower(name)] }

// countNames are the metrics' names, lowercased, each with whether it is
// a count: read from the registry once, not copied out of it at each "was".
var countNames = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, mt := range model.Metrics() {
		k := strings.ToLower(mt.Name)
		if _, seen := out[k]; !seen { // the first of a name, as the registry's order has it
			out[k] = mt.Unit == model.UnitCount
		}
	}
	return out
})

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
	Pattern     bool   // projected on how the same days spent the month a year earlier
	Span        string // a span inside the month, not its start to date: "Last week (Nov 9–15, 2026)"
}

// PacingClosed fills "pacing_closed": a month that has ended, against its
// plan. Nothing in it can be trimmed any more.
type PacingClosed struct {
	Month  string // "November 2026"
	Among  string // who the total covers, "" for all
	Value  string // the spend
	Budget string // its budget (pro-rated where data stops early)
	Pacing string
	// MonthBudget is the whole month's budget when it differs from Budget
	// (a platform's data stops early), "" otherwise.
	MonthBudget string
}

// PacingPattern fills "pacing_pattern" and "next_on_pattern": groups off an
// even split of their budget but on plan against how the same days spent
// the month a year earlier.
type PacingPattern struct {
	Count int
	Dim   string // "platform", "platforms"
	Share string // the share of the month's spend the same days took
	Even  string // the share an even split gives them
}

// MonthBegun fills "pacing_month_begun": the month under way has a budget
// but no complete day yet.
type MonthBegun struct {
	Month       string // "December 2026"
	MonthBudget string
	Daily       string // the budget per day
}

// ClosedNext fills "next_closed_over", "next_closed_under" and
// "next_closed_on_plan": the step after a closed month, about the month
// under way.
type ClosedNext struct {
	Month      string // "November"
	NextMonth  string // "December"
	Focus      string
	Gap        string // what an underspender left unspent
	WasDaily   string // what an overspender spent a day
	NextBudget string // its budget for the month under way, "" when none
	NextDaily  string // that budget per day, "" when none
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
	// NoMER leaves MER out of what to look at, for readers who may not
	// see it.
	NoMER bool
}

// Overspend fills "next_over": the cut in daily budgets that lands on plan;
// "next_over_steep" when that cut would be most of the spend (it then says
// what is left a day) and "next_over_spent" when the month's budget is gone.
type Overspend struct {
	Focus       string
	Trim        string // "12.5%"
	MonthBudget string // the budget to land on, "" to land on plan
	DaysLeft    int    // days left in the month
	Left        string // what is left of the month's budget
	Daily       string // that spread over the days left
	Hold        bool   // Daily is no less than today's rate: the pattern, not the rate, would overspend
}

// Say renders the named wording template with its data, on one line.
func Say(name string, data any) string {
	if f := sayTrace.Load(); f != nil {
		(*f)(name)
	}
	return OneLine(Execute(answerTemplate(name), name, data))
}

var sayTrace atomic.Pointer[func(name string)]

// TraceSay calls f with the name of every template Say renders from now
// on; nil stops it. It is for tests that check which wording a suite
// reaches.
func TraceSay(f func(name string)) {
	if f == nil {
		sayTrace.Store(nil)
		return
	}
	sayTrace.Store(&f)
}

// TemplateNames lists the answer templates, by name.
func TemplateNames() []string {
	var out []string
	for _, t := range answers().Templates() {
		if n := t.Name(); n != "answers" && n != "answers.tmpl" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

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
func JoinAnd(xs []string) string { return joinList(xs, " and ") }

// JoinOr lists names as alternatives: "a", "a or b", "a, b or c".
func JoinOr(xs []string) string { return joinList(xs, " or ") }

// joinList joins names with commas and last before the final one.
func joinList(xs []string, last string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + last + xs[len(xs)-1]
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
