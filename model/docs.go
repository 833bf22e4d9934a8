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
	for _, mt := range registry {
		better := "lower"
		if mt.HigherIsBetter {
			better = "higher"
		}
		aud := make([]string, len(mt.Audiences))
		for i, a := range mt.Audiences {
			aud[i] = string(a)
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s | %s | %s |\n", mt.ID, mt.Name, mt.Formula, mt.Unit, better, strings.Join(aud, ", "))
	}
	b.WriteString("\n## Details\n")
	for _, mt := range registry {
		fmt.Fprintf(&b, "\n### %s (`%s`)\n\n%s\n\n- Formula: `%s`\n- Also asked as: %s\n", mt.Name, mt.ID, mt.Description, mt.Formula, strings.Join(mt.Synonyms, ", "))
	}
	return b.String()
}
