package question

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/model"
)

func TestParseBudget(t *testing.T) {
	asOf := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		q       string
		move    Move
		start   string // the planning period's first and last days
		end     string
		filters []string // platforms the plan is kept to
		clarify bool
	}{
		{q: "where should we move $50K next month?", move: Move{Kind: MoveReallocate, Amount: 50000}, start: "2026-12-01", end: "2026-12-31"},
		{q: "Where should we shift 50k?", move: Move{Kind: MoveReallocate, Amount: 50000}, start: "2026-12-01", end: "2026-12-31"},
		{q: "how should we reallocate $1.2m next quarter", move: Move{Kind: MoveReallocate, Amount: 1.2e6}, start: "2027-01-01", end: "2027-03-31"},
		{q: "how should we reallocate budget between google and meta?", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31", filters: []string{"google_ads", "meta"}},
		{q: "where should the next $50,000 go?", move: Move{Kind: MoveAdd, Amount: 50000}, start: "2026-12-01", end: "2026-12-31"},
		{q: "what if we cut TTD by 20%?", move: Move{Kind: MoveScenario, Platform: "the_trade_desk", Factor: 0.8}, start: "2026-12-01", end: "2026-12-31", filters: []string{"the_trade_desk"}},
		{q: "What if we cut The Trade Desk by 20 percent next week", move: Move{Kind: MoveScenario, Platform: "the_trade_desk", Factor: 0.8}, start: "2026-11-23", end: "2026-11-29", filters: []string{"the_trade_desk"}},
		{q: "what happens if we increase meta spend by $10k next quarter", move: Move{Kind: MoveScenario, Platform: "meta", Delta: 10000}, start: "2027-01-01", end: "2027-03-31", filters: []string{"meta"}},
		{q: "what if we double tiktok?", move: Move{Kind: MoveScenario, Platform: "tiktok", Factor: 2}, start: "2026-12-01", end: "2026-12-31", filters: []string{"tiktok"}},
		{q: "what if we cut ttd", move: Move{Kind: MoveScenario, Platform: "the_trade_desk"}, start: "2026-12-01", end: "2026-12-31", filters: []string{"the_trade_desk"}, clarify: true},
		{q: "what if we cut spend by 20%", move: Move{Kind: MoveScenario, Factor: 0.8}, start: "2026-12-01", end: "2026-12-31", clarify: true},
		{q: "what if we cut meta and google by 10%", move: Move{Kind: MoveScenario, Platform: "meta", Factor: 0.9}, start: "2026-12-01", end: "2026-12-31", filters: []string{"meta"}, clarify: true},
		{q: "where would an extra $100k do the most good next month", move: Move{Kind: MoveAdd, Amount: 100000}, start: "2026-12-01", end: "2026-12-31"},
		{q: "where should the next money go", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31"},
		{q: "Should we move budget from Meta to Google?", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31", filters: []string{"meta", "google_ads"}},
		{q: "what would happen if we moved $50k from TTD to Google?", move: Move{Kind: MoveReallocate, Amount: 50000}, start: "2026-12-01", end: "2026-12-31", filters: []string{"the_trade_desk", "google_ads"}},
		{q: "should we increase Amazon's budget?", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31"},
		{q: "should we cut tiktok spend", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31"},
		{q: "Should we cut The Trade Desk?", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31"},
		{q: "Should we move budget away from TikTok?", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31"},
		{q: "should we shift spend off pinterest", move: Move{Kind: MoveReallocate}, start: "2026-12-01", end: "2026-12-31"},
		{q: "where should we put an extra $100k in march?", move: Move{Kind: MoveAdd, Amount: 100000}, start: "2027-03-01", end: "2027-03-31"},
		{q: "where should we move budget in november?", move: Move{Kind: MoveReallocate}, start: "2026-11-01", end: "2026-11-30"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			r := Parse(tt.q, asOf, Vocabulary{})
			if r.Intent != IntentBudget || r.Move == nil {
				t.Fatalf("intent %s, move %v: want a budget question", r.Intent, r.Move)
			}
			if d := cmp.Diff(tt.move, *r.Move); d != "" {
				t.Errorf("move (-want +got):\n%s", d)
			}
			if got := r.Period.Start.Format("2006-01-02") + " " + r.Period.End.Format("2006-01-02"); got != tt.start+" "+tt.end {
				t.Errorf("period %s, want %s %s", got, tt.start, tt.end)
			}
			if d := cmp.Diff(tt.filters, r.Filters[model.DimPlatform]); d != "" {
				t.Errorf("platforms (-want +got):\n%s", d)
			}
			if (r.Clarify != "") != tt.clarify {
				t.Errorf("clarify %q, want a question back: %v", r.Clarify, tt.clarify)
			}
		})
	}
}

// TestParseNotBudget: questions that share its words are read as before.
func TestParseNotBudget(t *testing.T) {
	asOf := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, q := range []string{
		"how much did we spend on meta last week?",
		"where did we spend the most?",
		"what if ROAS drops 20%?",
		"spend by platform next month",
		"are we on budget this month?",
		"what moved CPA last week",
		"which platform should I look at for CPA",
		"spend from meta to google last week",
		"how did spend move from october to november",
		"should we worry that meta cpa went up?",
		"should we cut meta's cpa?",
		"should we cut meta cpa",
		"how do we cut costs on tiktok",
		"which campaigns should we move off meta",
	} {
		if r := Parse(q, asOf, Vocabulary{}); r.Intent == IntentBudget {
			t.Errorf("%q read as a budget question: %+v", q, r.Move)
		}
	}
}

// TestParseBudgetOnTheFirst: on the first of a month the month ahead is
// the one just begun: on Dec 1, December, not January.
func TestParseBudgetOnTheFirst(t *testing.T) {
	r := Parse("where should we move budget", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Vocabulary{})
	if got := r.Period.Start.Format("2006-01-02") + "/" + r.Period.End.Format("2006-01-02"); got != "2026-12-01/2026-12-31" || r.Intent != IntentBudget {
		t.Errorf("period %s (intent %s), want December 2026", got, r.Intent)
	}
	if !slices.Contains(r.Notes, "No period given: planned for this month.") {
		t.Errorf("notes %q, want the month planned for", r.Notes)
	}
}
