package question

import (
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
	v := numberedVocab(5000, 40)
	tokens := v.CampaignTokens()
	b.ReportAllocs()
	for b.Loop() {
		buildVocabLexiconWith(v, tokens)
	}
}

// BenchmarkQuestionLexicon reads a question's words and the lexicon of the
// 5,000 campaigns it can reach, kept packed as a process reads them from
// the store: "campaign" is a word of every name.
func BenchmarkQuestionLexicon(b *testing.B) {
	v := numberedVocab(5000, 40)
	p, _ := Pack(v.Campaigns)
	words, _ := Pack(v.Words())
	tokens, _ := Pack(v.CampaignTokens())
	v.Campaigns = nil
	v.IndexPacked(p, words, tokens)
	for _, q := range []string{"top 5 campaigns by roas last month", "spend on campaign 00042 last month", "spend on campaing 00042 last month"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				readVocabWords(q, baseLexicon(), v)
			}
		})
	}
}
