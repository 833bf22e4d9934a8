package question

import "testing"

// BenchmarkBaseLexicon builds the word lists every process builds before
// its first question: metrics, platforms, keywords and period words.
func BenchmarkBaseLexicon(b *testing.B) {
	for b.Loop() {
		buildBaseLexicon(basePhraseWords())
	}
}
