package wording

import (
	"strings"
	"testing"
)

func TestEveryTemplateRenders(t *testing.T) {
	f := Facts{Subject: "Meta", MetricName: "CPA", PeriodLabel: "last week", Value: "$42.10", CompareValue: "$30.46", Direction: "up", ChangeAbs: "38.2%",
		CompareLabel: "vs the week before", Driver: "Meta Prospecting", DriverDelta: "+$9.80", Dim: "platform", DimPlural: "platforms", Total: "$1", Leader: "Meta",
		LeaderValue: "$1", Ranking: "a, b", Extreme: "highest", Extremes: "Top", Count: 3, Limit: 3, Grain: "weekly", First: "1", FirstLabel: "a", Last: "2", LastLabel: "b",
		Peak: "3", PeakLabel: "c", Budget: "$1", Pacing: "110%", Projected: "$2", MonthBudget: "$3", Focus: "Meta", Trim: "9%"}
	for _, tmpl := range answers.Templates() {
		name := tmpl.Name()
		if name == "answers" || strings.HasSuffix(name, ".tmpl") {
			continue
		}
		out := Say(name, f)
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
