package question

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLazyVocabularyReadsAlike parses every case, and typos of names, with
// the vocabulary's lexicon built up front and built only when needed: the
// requests must be the same.
func TestLazyVocabularyReadsAlike(t *testing.T) {
	extra := []parseCase{
		{q: "spend on holdiay shopping 2026 last week"},
		{q: "roas for apparell last month"},
		{q: "us-est revenue yesterday"},
		{q: "spend by campaign excluding retargeting"},
		{q: "which categroy grew fastest"},
		{q: "cpa of the holiday campaign"},
		{q: "spend last weak"},
		{q: "xy spend"},
		{q: "2026 spend on dpa"},
	}
	var cases []parseCase
	for _, list := range [][]parseCase{parseCases, unseenCases, extra} {
		cases = append(cases, list...)
	}
	for _, tt := range []struct {
		name  string
		vocab Vocabulary
	}{
		{"retailer", testVocab},
		{"empty", Vocabulary{}},
		{"numbered campaigns", Vocabulary{Campaigns: []string{"Campaign 00001", "Campaign 00002"}, Categories: []string{"Category 1"}}},
	} {
		eager := tt.vocab
		eager.Index()
		lazy := tt.vocab
		lazy.IndexLazily(tt.vocab.Words(), tt.vocab.CampaignTokens())
		packed := tt.vocab
		packed.Campaigns = nil
		packed.IndexPacked(mustPack(t, tt.vocab.Campaigns), mustPack(t, tt.vocab.Words()), mustPack(t, tt.vocab.CampaignTokens()))
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range cases {
				asOf := asOfDate(t, c.asOf)
				want, got, fromPacked := Parse(c.q, asOf, eager), Parse(c.q, asOf, lazy), Parse(c.q, asOf, packed)
				if diff := cmp.Diff(want, got, emptyEqual); diff != "" {
					t.Errorf("Parse(%q) with a lazy vocabulary (-eager +lazy):\n%s", c.q, diff)
				}
				if diff := cmp.Diff(want, fromPacked, emptyEqual); diff != "" {
					t.Errorf("Parse(%q) with a packed vocabulary (-eager +packed):\n%s", c.q, diff)
				}
			}
			if diff := cmp.Diff(tt.vocab.Campaigns, packed.CampaignNames(), emptyEqual); diff != "" {
				t.Errorf("campaigns of a packed vocabulary (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLazyVocabularySkipsPlainQuestions checks that a question without a
// name or an unknown word does not build the names' lexicon.
func TestLazyVocabularySkipsPlainQuestions(t *testing.T) {
	for _, tt := range []struct {
		q     string
		needs bool
	}{
		{"spend last month by platform", false},
		{"help", false},
		{"how did tiktok roas change last week", false},
		{"how did meta roas change last week", true}, // "Meta Retargeting - DPA"
		{"roas for apparel last month", true},
		{"roas for apparell last month", true},
		{"spend on the holiday shopping campaign", true},
	} {
		t.Run(tt.q, func(t *testing.T) {
			v := testVocab
			v.IndexLazily(testVocab.Words(), testVocab.CampaignTokens())
			Parse(tt.q, asOfDate(t, ""), v)
			if built := v.lazy.lx != nil; built != tt.needs {
				t.Errorf("lexicon built = %v, want %v", built, tt.needs)
			}
			p := testVocab
			p.Campaigns = nil
			p.IndexPacked(mustPack(t, testVocab.Campaigns), mustPack(t, testVocab.Words()), mustPack(t, testVocab.CampaignTokens()))
			Parse(tt.q, asOfDate(t, ""), p)
			if built := p.lazy.lx != nil; built != tt.needs {
				t.Errorf("packed: lexicon built = %v, want %v", built, tt.needs)
			}
		})
	}
}

func mustPack(t *testing.T, list []string) Packed {
	t.Helper()
	p, ok := Pack(list)
	if !ok {
		t.Fatalf("cannot pack %q", list)
	}
	return p
}
