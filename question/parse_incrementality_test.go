package question

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sowhat-ai/sowhat/model"
)

// incrementalityCases are questions answered from incrementality tests, as
// of Sunday 2026-11-22; the period is the window reported figures are
// calibrated over.
var incrementalityCases = []parseCase{
	{aud: "cfo", q: "what's Meta's incremental ROAS?", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, filters: fl("platform", "meta")},
	{aud: "cfo", q: "is Google really driving sales?", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, filters: fl("platform", "google_ads")},
	{aud: "cfo", q: "how much of Criteo's reported revenue is incremental?", intent: IntentIncrementality, metrics: ms(model.IncrementalRevenue), period: pL30, filters: fl("platform", "criteo")},
	{aud: "cfo", q: "which channels have we never tested?", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, group: gb("platform")},
	{aud: "cfo", q: "are we getting credit for sales that would have happened anyway?", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, group: gb("platform")},
	{aud: "cfo", q: "iroas by platform last month", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pOct, group: gb("platform")},
	{aud: "cmo", q: "what did the geo test on tiktok show", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, filters: fl("platform", "tiktok")},
	{aud: "cmo", q: "incremental revenue from the trade desk last quarter", intent: IntentIncrementality, metrics: ms(model.IncrementalRevenue), period: pQ3, filters: fl("platform", "the_trade_desk")},
	{aud: "cmo", q: "calibrated roas for meta", intent: IntentIncrementality, metrics: ms(model.CalibratedROAS), period: pL30, filters: fl("platform", "meta")},
	{aud: "team", q: "what should we test next", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, group: gb("platform")},
	{aud: "team", q: "is pinterest actually working", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, filters: fl("platform", "pinterest")},
	{aud: "ceo", q: "how incremental is amazon", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, filters: fl("platform", "amazon_ads")},
	{aud: "cfo", q: "what is our incremental ROAS", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, group: gb("platform")},
	{aud: "cfo", q: "iroas last month", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pOct, group: gb("platform")},
	{aud: "cfo", q: "incrementality of meta last quarter", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pQ3, filters: fl("platform", "meta")},
	{aud: "cmo", q: "geo test results", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, group: gb("platform")},
	{aud: "cmo", q: "did the holdout show lift on tiktok", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, filters: fl("platform", "tiktok")},
	{aud: "cfo", q: "holdout results for meta vs google", intent: IntentIncrementality, metrics: ms(model.IROAS), period: pL30, filters: fl("platform", "meta|google_ads"), group: gb("platform")},
}

func TestParseIncrementality(t *testing.T) {
	for _, c := range incrementalityCases {
		t.Run(c.aud+"/"+c.q, func(t *testing.T) {
			r := Parse(c.q, asOfDate(t, c.asOf), testVocab)
			if diff := cmp.Diff(c.want(), parseSummary(r, c.period != ""), emptyEqual); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s\nnotes: %q clarify: %q", c.q, diff, r.Notes, r.Clarify)
			}
			checkInvariants(t, r)
		})
	}
}

// TestParseNotIncrementality: the words of incrementality questions do
// not take over questions that are about something else.
func TestParseNotIncrementality(t *testing.T) {
	for _, q := range []string{"roas by platform last month", "what drove the cpa jump on meta", "store visit lift last week", "brand lift results", "spend on tiktok yesterday"} {
		if r := Parse(q, asOfDate(t, ""), testVocab); r.Intent == IntentIncrementality {
			t.Errorf("Parse(%q) is an incrementality question", q)
		}
	}
}

// TestParseTestResults: "the Criteo test result" asks what the test found.
func TestParseTestResults(t *testing.T) {
	for _, q := range []string{"whats the criteo test result", "what did the meta test show"} {
		if r := Parse(q, asOfDate(t, ""), Vocabulary{}); r.Intent != IntentIncrementality {
			t.Errorf("Parse(%q) = %s, want incrementality", q, r.Intent)
		}
	}
}

// TestParseMixModel: what the marketing-mix model says is asked of the
// evidence, whose answer carries the imported model's results.
func TestParseMixModel(t *testing.T) {
	for _, q := range []string{"what is the ROI of TikTok according to the MMM?", "what does the marketing mix model say about meta"} {
		r := Parse(q, asOfDate(t, ""), Vocabulary{})
		if r.Intent != IntentIncrementality || !slices.Contains(r.Metrics, model.MROAS) || r.Clarify != "" {
			t.Errorf("Parse(%q) = %s %v (clarify %q), want incrementality with marginal ROAS", q, r.Intent, r.Metrics, r.Clarify)
		}
	}
}
