package question

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestBasePhrasesFile checks base_phrases.txt against the tokenizer: every
// phrase the base lexicon has, with the words phraseWords reads in it now.
func TestBasePhrasesFile(t *testing.T) {
	var b strings.Builder
	seen := map[string]bool{}
	buildBaseLexicon(func(p string) []string {
		words := phraseWords(p)
		if !seen[p] {
			seen[p] = true
			if strings.ContainsAny(p, "\t\n") {
				t.Fatalf("phrase %q holds a tab or newline", p)
			}
			for _, w := range words {
				if strings.ContainsAny(w, " \t\n") {
					t.Fatalf("phrase %q: word %q holds a space", p, w)
				}
			}
			fmt.Fprintf(&b, "%s\t%s\n", p, strings.Join(words, " "))
		}
		return words
	})
	if *update {
		if err := os.WriteFile("base_phrases.txt", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if b.String() != basePhrasesFile {
		t.Fatal("base_phrases.txt is out of date with the registry, the keywords or the tokenizer: run go test ./question -run TestBasePhrasesFile -update")
	}
}

// TestBasePhraseWordsReadsMissingPhrases checks that a phrase the file does
// not have is read, not dropped.
func TestBasePhraseWordsReadsMissingPhrases(t *testing.T) {
	words := basePhraseWords()
	for _, p := range []string{"cost per acquisition", "a phrase nobody kept"} {
		if got, want := strings.Join(words(p), " "), strings.Join(phraseWords(p), " "); got != want {
			t.Errorf("basePhraseWords(%q) = %q, want %q", p, got, want)
		}
	}
}
