package question

import (
	"fmt"
	"testing"
)

// BenchmarkBaseLexicon builds the base lexicon from its sources as
// TestBaseLexiconTable does; a process reads the compiled table instead.
func BenchmarkBaseLexicon(b *testing.B) {
	for b.Loop() {
		buildBaseLexicon(phraseWords)
	}
}

// BenchmarkVocabLexicon builds the lexicon of 5,000 campaigns (and 40
// categories) from their kept words, as the first campaign question of a
// process does.
func BenchmarkVocabLexicon(b *testing.B) {
	var v Vocabulary
	for i := range 5000 {
		v.Campaigns = append(v.Campaigns, fmt.Sprintf("Campaign %05d", i))
	}
	for i := range 40 {
		v.Categories = append(v.Categories, fmt.Sprintf("Category %d", i))
	}
	v.CampaignTypes = []string{"search", "shopping", "prospecting", "retargeting", "ctv"}
	tokens := v.CampaignTokens()
	b.ReportAllocs()
	for b.Loop() {
		buildVocabLexiconWith(v, tokens)
	}
}
