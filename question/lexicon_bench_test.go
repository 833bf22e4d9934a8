package question

import "testing"

// BenchmarkBaseLexicon builds the base lexicon from its sources as
// TestBaseLexiconTable does; a process reads the compiled table instead.
func BenchmarkBaseLexicon(b *testing.B) {
	for b.Loop() {
		buildBaseLexicon(phraseWords)
	}
}
