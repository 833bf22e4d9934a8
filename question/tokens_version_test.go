package question

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestTokensVersion guards TokensVersion: the words the tokenizer reads in
// a corpus of names and phrases are kept in testdata/tokens.golden with the
// version they were read by. When the tokenizer reads any of them
// differently the test fails until TokensVersion changes and -update
// rewrites the file, so that words kept by an older parser (a vocabulary
// in the store) are never used by a newer one.
func TestTokensVersion(t *testing.T) {
	var corpus []string
	corpus = append(corpus, testVocab.Campaigns...)
	corpus = append(corpus, testVocab.Categories...)
	corpus = append(corpus, testVocab.Regions...)
	corpus = append(corpus, "Campaign 00042", "Q4 Adv+ Shopping", "US-East / Brand (2026)", "ROAS 3x test", "Spend $5m", "l7d", "the 2 best", "TikTok_Spark_Ads", "Café crème – FR")
	for _, d := range keywordDefs {
		corpus = append(corpus, d.phrases...)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "version %s\n", TokensVersion)
	for _, s := range corpus {
		words := phraseWords(s)
		for _, w := range words {
			if strings.ContainsAny(w, " \t\n") {
				t.Fatalf("%q: word %q holds a space, which CampaignTokens cannot keep", s, w)
			}
		}
		fmt.Fprintf(&b, "%s\t%s\n", s, strings.Join(words, " "))
	}
	got := b.String()
	path := filepath.Join("testdata", "tokens.golden")
	old, err := os.ReadFile(path)
	if err != nil && !*update {
		t.Fatalf("read %s: %v (run go test ./question -run TestTokensVersion -update)", path, err)
	}
	oldVersion, oldBody, _ := strings.Cut(string(old), "\n")
	_, newBody, _ := strings.Cut(got, "\n")
	if oldVersion == "version "+TokensVersion {
		// Phrases added or taken out change nothing; one read differently
		// does.
		kept := map[string]string{}
		for line := range strings.Lines(oldBody) {
			in, words, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
			kept[in] = words
		}
		for line := range strings.Lines(newBody) {
			in, words, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
			if was, ok := kept[in]; ok && was != words {
				t.Fatalf("the tokenizer reads %q as %q, where %s records %q for version %s: change TokensVersion, then run go test ./question -run TestTokensVersion -update", in, words, path, was, TokensVersion)
			}
		}
	}
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(old) != got {
		t.Fatalf("%s is out of date: run go test ./question -run TestTokensVersion -update", path)
	}
}
