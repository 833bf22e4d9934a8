package question

import (
	"testing"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// TestPatternsCompile compiles the package's patterns, which are compiled
// on first use rather than at start-up.
func TestPatternsCompile(t *testing.T) {
	if bad := lazyre.MustCompileAll(); bad != "" {
		t.Fatal(bad)
	}
}

// TestBudgetPatternsNeedTheirWords: readBudget tries each budget pattern
// only on a question holding one of its words; every way each pattern can
// match holds one.
func TestBudgetPatternsNeedTheirWords(t *testing.T) {
	cases := []struct {
		re    interface{ MatchString(string) bool }
		words []string
		says  []string
	}{
		{budgetWhatIf, []string{"if ", "happen", "suppose"}, []string{"what if we cut meta", "what happens if we add", "what would happen if i raise",
			"what happens when we double", "what if i halve", "suppose we boost tiktok"}},
		{budgetWhere, []string{"where ", "best place", "how should", "which platform"}, []string{"where should we move money", "where would the next $50k go",
			"where could we put it", "where shall we spend", "where ought we invest", "where to put the budget", "where is the best place to spend",
			"what's the best place to invest", "what is the best place to put money", "how should we split the budget", "how should i divide spend",
			"which platform should get more", "which platforms should we move to"}},
		{budgetRealloc, []string{"reallocat", "re-allocat", "redistribut", "rebalanc", "budget move", "optimi", "best "}, []string{"reallocate the budget",
			"re-allocating spend", "redistribute money", "rebalance the mix", "budget moves", "budget move", "optimise the budget", "optimize our spend",
			"optimize mix", "best mix", "best budget allocation", "best allocation"}},
	}
	for _, c := range cases {
		for _, q := range c.says {
			if !c.re.MatchString(q) {
				t.Errorf("%q: the pattern does not match it; the case is wrong", q)
			}
			if !containsAny(q, c.words...) {
				t.Errorf("%q matches the pattern but holds none of %q, so readBudget would never try it", q, c.words)
			}
		}
	}
}
