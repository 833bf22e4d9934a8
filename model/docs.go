package model

import (
	"fmt"
	"strings"
)

// MetricsMarkdown renders every metric's definition from the registry; it is
// what docs/metrics.md holds, so the document cannot drift from the code.
func MetricsMarkdown() string {
	var b strings.Builder
	b.WriteString("# Metric definitions\n\n")
	b.WriteString("Generated from the metric registry (`model/registry.go`) by `sowhat metrics --markdown`; do not edit by hand.\n\n")
	b.WriteString("Every ratio is a ratio of sums over the period and filters asked for, never an average of daily ratios. ")
	b.WriteString("A value whose denominator is zero or whose data is missing is undefined (null), never 0.\n\n")
	b.WriteString("| id | name | formula | unit | better | audiences |\n|---|---|---|---|---|---|\n")
	for _, mt := range registry() {
		better := "lower"
		switch {
		case mt.Plan && IsNeutral(mt.ID):
			better = "neither"
		case mt.HigherIsBetter:
			better = "higher"
		}
		aud := make([]string, len(mt.Audiences))
		for i, a := range mt.Audiences {
			aud[i] = string(a)
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s | %s | %s |\n", mt.ID, mt.Name, mt.Formula, mt.Unit, better, strings.Join(aud, ", "))
	}
	b.WriteString("\n## Details\n")
	for _, mt := range registry() {
		asked := "- Also asked as: " + strings.Join(mt.Synonyms, ", ")
		if mt.Plan {
			asked = "- A value of each row of a budget answer (\"where should we move $50K?\"), not asked for by name"
		}
		fmt.Fprintf(&b, "\n### %s (`%s`)\n\n%s\n\n- Formula: `%s`\n%s\n", mt.Name, mt.ID, mt.Description, mt.Formula, asked)
	}
	return b.String()
}
