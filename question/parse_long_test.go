package question

import (
	"strings"
	"testing"
)

// TestParseLongQuestion reads only the start of a very long text, and says so.
func TestParseLongQuestion(t *testing.T) {
	q := strings.Repeat("spend on meta last week vs google holiday campaign by platform ", 500)
	r := Parse(q, pday("2026-11-22"), testVocab)
	if r.Question != q {
		t.Error("the question was not kept whole")
	}
	found := false
	for _, n := range r.Notes {
		found = found || strings.Contains(n, "Only the first")
	}
	if !found {
		t.Errorf("notes %q: want one saying only the start was read", r.Notes)
	}
}
