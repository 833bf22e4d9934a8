package intents

import (
	"testing"

	"github.com/sowhat-ai/sowhat/data/datatest"
)

// Scenarios for the so-what templates the other judgement scenarios leave
// unreached: each plants the one move that calls for its next step.

// twoWeeks plants Meta's week of Nov 9–15 and then Nov 16–22, a day each.
func twoWeeks(t *testing.T, was, now datatest.Daily) *datatest.Store {
	was.Platform, was.Campaign, was.From, was.To = "meta", "Meta Prospecting", "2026-11-09", "2026-11-15"
	now.Platform, now.Campaign, now.From, now.To = "meta", "Meta Prospecting", "2026-11-16", "2026-11-22"
	return datatest.New(t).Ads(was, now)
}

// TestJudgementROASFallReviewsBeforeAddingBudget: ROAS falls 4.00x → 3.00x
// on the same spend: a warning, and no budget added before a review.
func TestJudgementROASFallReviewsBeforeAddingBudget(t *testing.T) {
	st := twoWeeks(t, datatest.Daily{Spend: 1000, Impressions: 1e5, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Spend: 1000, Impressions: 1e5, Clicks: 1000, Conversions: 25, Revenue: 3000})
	a := story(t, st, "how did Meta ROAS change last week?", "2026-11-23", "cmo")
	judge(t, a, []string{"down 25.0%", "a warning sign", "before adding budget"}, []string{"good news", "shifting budget toward"})
}

// TestJudgementCPAFallIsGoodNews: CPA falls $40 → $32: good news, and budget
// may follow it.
func TestJudgementCPAFallIsGoodNews(t *testing.T) {
	st := twoWeeks(t, datatest.Daily{Spend: 1000, Impressions: 1e5, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Spend: 1000, Impressions: 1e5, Clicks: 1000, Conversions: 31.25, Revenue: 4000})
	a := story(t, st, "how did Meta CPA change last week?", "2026-11-23", "cmo")
	judge(t, a, []string{"$32.00", "down 20.0%", "good news", "shifting budget toward"}, []string{"warning sign", "check Meta"})
}

// TestJudgementFlatSpendNeedsNoAction: spend within 2% week on week held
// steady; nothing to do.
func TestJudgementFlatSpendNeedsNoAction(t *testing.T) {
	st := twoWeeks(t, datatest.Daily{Spend: 1000, Impressions: 1e5, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Spend: 1010, Impressions: 1e5, Clicks: 1000, Conversions: 25, Revenue: 4000})
	a := story(t, st, "how did Meta spend change last week?", "2026-11-23", "team")
	judge(t, a, []string{"held steady (+1.0%)", "no action needed"}, []string{"warning sign", "trim"})
}

// TestJudgementConversionsFallChecksDelivery: conversions halve on the same
// spend: check budget, delivery or tracking.
func TestJudgementConversionsFallChecksDelivery(t *testing.T) {
	st := twoWeeks(t, datatest.Daily{Spend: 1000, Impressions: 1e5, Clicks: 1000, Conversions: 40, Revenue: 4000},
		datatest.Daily{Spend: 1000, Impressions: 1e5, Clicks: 1000, Conversions: 20, Revenue: 4000})
	a := story(t, st, "how did Meta conversions change last week?", "2026-11-23", "team")
	judge(t, a, []string{"down 50.0%", "lost budget, delivery or tracking"}, []string{"good news", "no action needed"})
}

// TestJudgementOnPlanMonthNeedsNoChange: every platform within 5% of plan
// mid-month: no change.
func TestJudgementOnPlanMonthNeedsNoChange(t *testing.T) {
	st := datatest.New(t).Ads(daily("meta", "2026-11-01", "2026-11-15", 1000), daily("google_ads", "2026-11-01", "2026-11-15", 2000)).
		Budget("2026-11", "meta", "", 30600).Budget("2026-11", "google_ads", "", 59000)
	a := story(t, st, "are we on budget this month?", "2026-11-16", "cfo")
	judge(t, a, []string{"Every platform is within 5% of its plan", "spend is on plan; no change needed"}, []string{"trim", "underspending", "is closed"})
}
