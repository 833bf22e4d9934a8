package wording

import (
	"strings"
	"testing"
)

// samples are a value of each template's type, by template.
var samples = map[string]any{
	"value":        Figure{Subject: "Meta", MetricName: "CPA", PeriodLabel: "last week", Value: "$42.10"},
	"value_nodata": NoData{MetricName: "store visits", SubjectWords: "Meta", PeriodLabel: "last week", Why: "Meta does not report them"},
	"compare_periods": PeriodChange{Subject: "Meta", MetricName: "CPA", PeriodLabel: "last week", Value: "$42.10", CompareLabel: "the week before",
		CompareValue: "$30.46", Direction: "up", ChangeAbs: "38.2%"},
	"compare_steady": PeriodChange{Subject: "Meta", MetricName: "CPA", PeriodLabel: "last week", Value: "$42.10", CompareLabel: "the week before",
		CompareValue: "$42.00", Direction: "flat", ChangeAbs: "0.2%"},
	"compare_entities": SideBySide{MetricName: "ROAS", PeriodLabel: "last month", Ranking: "Meta 3.10x vs Google Ads 4.02x"},
	"breakdown": Breakdown{Subject: "Total", MetricName: "spend", PeriodLabel: "last week", Dim: "platform", Total: "$1,000 in all",
		Leader: "Meta", LeaderValue: "$600", LeaderShare: "60.0%"},
	"top": Top{Limit: 3, Leader: "a", LeaderValue: "$10", Extreme: "highest", Extremes: "Top", Count: 3, DimPlural: "campaigns",
		MetricName: "spend", PeriodLabel: "last week", Ranking: "1. a $10, 2. b $8, 3. c $5"},
	"trend": Trend{Subject: "Total", Grain: "weekly", MetricName: "spend", PeriodLabel: "over the last 8 weeks", First: "$1", FirstLabel: "a",
		Last: "$2", LastLabel: "b", Direction: "up", ChangeAbs: "100%", Peak: "$3", PeakLabel: "c"},
	"why": Why{Subject: "Overall", MetricName: "CPA", Change: "+38.2%", Direction: "up", ChangeAbs: "38.2%", PeriodLabel: "from the week before to last week",
		CompareValue: "$30.46", Value: "$42.10"},
	"pacing_span": Pacing{Span: "Last week (Nov 9–15, 2026)", Value: "$110", Budget: "$100", Pacing: "110%"},
	"pacing": Pacing{PeriodLabel: "Nov 1–21, 2026", Among: "the 4 campaigns with a budget", Value: "$110", Budget: "$100", Pacing: "110%",
		Projected: "$160", MonthBudget: "$150"},
	"sowhat_change": ChangeSoWhat{MetricName: "CPA", Change: "+38.2%", Direction: "up", ChangeAbs: "38.2%", CompareLabel: "vs the week before",
		Driver: "Meta Prospecting", DriverDelta: "+$9.80"},
	"next_bad_cost":        Next{Focus: "Meta Prospecting", Dim: "campaign"},
	"next_bad_return":      Next{Focus: "Meta", Dim: "platform"},
	"next_good":            Next{Focus: "Meta"},
	"next_business":        Next{},
	"next_steady":          Next{Focus: "Meta"},
	"next_volume_down":     Next{Focus: "Meta"},
	"next_over":            Overspend{Focus: "Meta", Trim: "9%", MonthBudget: "$3"},
	"next_under":           Next{Focus: "Meta"},
	"next_over_steep":      Overspend{Focus: "Meta", Trim: "93.0%", MonthBudget: "$3,000", DaysLeft: 3, Left: "$90", Daily: "$30.00"},
	"next_over_spent":      Overspend{Focus: "Meta", Trim: "20.0%", MonthBudget: "$3,000", DaysLeft: 3},
	"next_on_plan":         Next{},
	"pacing_pattern":       PacingPattern{Count: 2, Dim: "platforms", Share: "44.1%", Even: "50.0%"},
	"pacing_pattern_basis": PacingPattern{Share: "44.1%", Even: "50.0%"},
	"next_on_pattern":      PacingPattern{Count: 2, Dim: "platforms", Share: "44.1%", Even: "50.0%"},
	"pacing_closed":        PacingClosed{Month: "November 2026", Value: "$110", Budget: "$100", Pacing: "110%", MonthBudget: "$105"},
	"pacing_month_begun":   MonthBegun{Month: "December 2026", MonthBudget: "$3,100", Daily: "$100"},
	"next_closed_over":     ClosedNext{Month: "November", NextMonth: "December", Focus: "Meta", WasDaily: "$120", NextBudget: "$3,100", NextDaily: "$100"},
	"next_closed_under":    ClosedNext{Month: "November", NextMonth: "December", Focus: "Meta", Gap: "$300"},
	"next_closed_on_plan":  ClosedNext{Month: "November", NextMonth: "December"},
}

func TestEveryTemplateRenders(t *testing.T) {
	for _, tmpl := range answers().Templates() {
		name := tmpl.Name()
		if name == "answers" || strings.HasSuffix(name, ".tmpl") {
			continue
		}
		data, ok := samples[name]
		if !ok {
			t.Errorf("template %s has no sample", name)
			continue
		}
		out := Say(name, data)
		if strings.Contains(out, "unavailable") || strings.Contains(out, "<no value>") || out == "" {
			t.Errorf("template %s: %q", name, out)
		}
	}
}

func TestVerbAgreesWithMetric(t *testing.T) {
	for _, c := range []struct{ name, was, is string }{
		{"Store visits", "were", "are"},
		{"clicks", "were", "are"},
		{"New customers", "were", "are"},
		{"Spend", "was", "is"},
		{"ROAS", "was", "is"},
		{"CAC payback", "was", "is"},
		{"something else", "was", "is"},
	} {
		if got := Was(c.name); got != c.was {
			t.Errorf("Was(%q) = %q, want %q", c.name, got, c.was)
		}
		if got := Is(c.name); got != c.is {
			t.Errorf("Is(%q) = %q, want %q", c.name, got, c.is)
		}
	}
}

// TestEachDefineParsesAlone: every answer template, parsed on its own as
// Say parses it, is the template of the whole file.
func TestEachDefineParsesAlone(t *testing.T) {
	all := answers()
	defs := answerDefines()
	if len(defs) != len(TemplateNames()) {
		t.Errorf("%d defines split out, want %d", len(defs), len(TemplateNames()))
	}
	for _, name := range TemplateNames() {
		alone := answerTemplate(name).Lookup(name)
		whole := all.Lookup(name)
		if alone == nil || whole == nil {
			t.Errorf("%s: alone %v, in the file %v", name, alone != nil, whole != nil)
			continue
		}
		if a, w := alone.Tree.Root.String(), whole.Tree.Root.String(); a != w {
			t.Errorf("%s alone:\n%s\nin the file:\n%s", name, a, w)
		}
	}
}

// TestOverspendCountsTheDaysLeft: one day left is "the last day", never
// "the 1 days left".
func TestOverspendCountsTheDaysLeft(t *testing.T) {
	for _, c := range []struct {
		name string
		days int
		want string
	}{
		{"next_over_spent", 1, "agree the overspend for the last day."},
		{"next_over_spent", 4, "agree the overspend for the 4 days left."},
		{"next_over_steep", 1, "budget left for 1 day:"},
		{"next_over_steep", 2, "budget left for 2 days:"},
	} {
		got := Say(c.name, Overspend{Focus: "Meta", Trim: "20.0%", MonthBudget: "$3,000", DaysLeft: c.days, Left: "$90", Daily: "$30.00"})
		if !strings.Contains(got, c.want) || strings.Contains(got, " 1 days") {
			t.Errorf("%s with %d days left: %q, want %q", c.name, c.days, got, c.want)
		}
	}
}
