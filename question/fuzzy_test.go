package question

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"google", "google", 2, 0},
		{"gogle", "google", 2, 1},     // deletion
		{"googel", "google", 2, 1},    // swap of neighbours
		{"facebok", "facebook", 2, 1}, // deletion
		{"electornics", "electronics", 2, 1},
		{"retargetting", "retargeting", 2, 1},
		{"spnd", "spend", 2, 1},
		{"raos", "roas", 2, 1},
		{"kitten", "sitting", 5, 3},
		{"abc", "xyz", 1, 2}, // stops past the limit
		{"", "abc", 5, 3},
		{"a-very-long-word-beyond-the-buffer-size", "a-very-long-word-beyond-the-buffer-size", 2, 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestTypoBudget(t *testing.T) {
	tests := []struct {
		typed, known string
		want         int
	}{
		{"cpa", "cpc", 0},            // short words match exactly
		{"raos", "roas", 1},          // four letters: one edit
		{"tops", "toys", 0},          // everyday four-letter words are not corrected to
		{"spnd", "spend", 1},         // the shorter word decides
		{"yesterdy", "yesterday", 2}, // eight letters: two edits
		{"electornics", "electronics", 2},
	}
	for _, tt := range tests {
		if got := typoBudget(tt.typed, tt.known); got != tt.want {
			t.Errorf("typoBudget(%q, %q) = %d, want %d", tt.typed, tt.known, got, tt.want)
		}
	}
}

func TestCorrectTypos(t *testing.T) {
	lx := vocabLexicon(testVocab)
	tests := []struct {
		text string
		want []string
	}{
		{"spnd on gogle yday", []string{"spend", "on", "google", "yesterday"}},
		{"facebok retargetting electornics", []string{"facebook", "retargeting", "electronics"}},
		{"googel amzn wk mo yr", []string{"google", "amazon", "week", "month", "year"}},
		{"cpc cpa ctr cpm", []string{"cpc", "cpa", "ctr", "cpm"}}, // never corrected into each other
		{"best test rest", []string{"best", "test", "rest"}},      // not "west"
		{"send the numbers", []string{"send", "the", "numbers"}},  // not "spend"
		{"dropping", []string{"dropping"}},                        // a keyword is never a typo
		{"advantge dpa", []string{"advantage", "dpa"}},
	}
	for _, tt := range tests {
		toks := tokenize(tt.text)
		correctTypos(toks, baseLexicon(), lx)
		var got []string
		for _, tk := range toks {
			got = append(got, tk.text)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("correctTypos(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestCorrectTyposTie keeps every equally close word when a typo is
// ambiguous, so the match can ask which.
func TestCorrectTyposTie(t *testing.T) {
	lx := vocabLexicon(Vocabulary{Campaigns: []string{"Holiday Bundles", "Holiday Bundle"}})
	toks := tokenize("bundls")
	correctTypos(toks, baseLexicon(), lx)
	if diff := cmp.Diff([]string{"bundle", "bundles"}, sortedCopy(toks[0].alts)); diff != "" {
		t.Errorf("alts (-want +got):\n%s", diff)
	}
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
