package intents

import (
	"context"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
)

// The judgement suite: each scenario plants a small story in a real store
// and checks what the answer must say and what it must never say — the
// so-what is tested like a number.

// story asks q of the planted store as of asOf (ISO) for the audience. The
// so-what templates its answer renders count toward the suite's template
// coverage (judgement_coverage_test.go); a scenario asking some other way
// counts by wrapping its question in judging().
func story(t *testing.T, st *datatest.Store, q, asOf, audience string) model.Answer {
	t.Helper()
	eng := New(st.Import())
	defer judging()()
	a, _, err := eng.Ask(context.Background(), q, datatest.Day(t, asOf), audience)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return a
}

// judge fails unless the answer's text (summary, so-what, notes and
// clarifying question) contains every phrase in must and none in never;
// phrases are matched without regard to case.
func judge(t *testing.T, a model.Answer, must, never []string) {
	t.Helper()
	text := strings.Join(append([]string{a.Summary, a.SoWhat, a.Clarify}, a.Notes...), "\n")
	low := strings.ToLower(text)
	for _, m := range must {
		if !strings.Contains(low, strings.ToLower(m)) {
			t.Errorf("%q: must say %q; said:\n%s", a.Question, m, text)
		}
	}
	for _, n := range never {
		if strings.Contains(low, strings.ToLower(n)) {
			t.Errorf("%q: must never say %q; said:\n%s", a.Question, n, text)
		}
	}
}

// TestJudgementCPAJumpNamesItsPlatform: Meta's CPA jumps from $40 to $60
// while Google holds; "why did CPA go up" puts it down to Meta, not Google.
func TestJudgementCPAJumpNamesItsPlatform(t *testing.T) {
	st := datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-09", To: "2026-11-15", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-16", To: "2026-11-22", Spend: 1200, Impressions: 110000, Clicks: 1100, Conversions: 20, Revenue: 3600},
		datatest.Daily{Platform: "google_ads", Campaign: "Google Search", From: "2026-11-09", To: "2026-11-22", Spend: 800, Impressions: 50000, Clicks: 900, Conversions: 20, Revenue: 3500},
	)
	a := story(t, st, "why did CPA go up last week?", "2026-11-23", "team")
	judge(t, a, []string{"Meta"}, []string{"Google Ads drove", "no action needed"})
}

// TestJudgementBusinessRevenueNeedsNoBudgetMove: the business's own revenue
// rises 20% week over week; the CEO's answer says so and points to where it
// moved, never to shifting ad budget (budgets move platforms' results, not
// the business's directly).
func TestJudgementBusinessRevenueNeedsNoBudgetMove(t *testing.T) {
	st := datatest.New(t).
		Ads(datatest.Daily{Platform: "google_ads", Campaign: "Google Search", From: "2026-11-09", To: "2026-11-22", Spend: 800, Impressions: 50000, Clicks: 900, Conversions: 20, Revenue: 3500}).
		Business("online", "2026-11-09", "2026-11-15", 500, 50000, 100, nil).
		Business("online", "2026-11-16", "2026-11-22", 600, 60000, 120, nil)
	a := story(t, st, "how did business revenue do last week vs the week before?", "2026-11-23", "ceo")
	judge(t, a, []string{"up 20.0%", "stores or online"}, []string{"shifting budget", "trim", "raise its budgets"})
}
