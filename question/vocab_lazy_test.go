package question

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	for _, list := range [][]parseCase{parseCases, unseenCases, extra, reachCases} {
		cases = append(cases, list...)
	}
	for _, tt := range []struct {
		name  string
		vocab Vocabulary
	}{
		{"retailer", testVocab},
		{"empty", Vocabulary{}},
		{"numbered campaigns", Vocabulary{Campaigns: []string{"Campaign 00001", "Campaign 00002"}, Categories: []string{"Category 1"}}},
		{"shared words", sharedWordsVocab},
		{"many numbered campaigns", numberedVocab(300, 40)},
	} {
		eager := tt.vocab
		eager.Index()
		lazy := tt.vocab
		lazy.IndexLazily(tt.vocab.Words(), tt.vocab.CampaignTokens())
		packed := packedVocab(t, tt.vocab)
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
// name or an unknown word reads no lexicon of the names, and that one with
// them reads only what it can reach: the lexicon of every campaign is not
// built.
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
			lazy := testVocab
			lazy.IndexLazily(testVocab.Words(), testVocab.CampaignTokens())
			packed := packedVocab(t, testVocab)
			for _, v := range []Vocabulary{lazy, packed} {
				_, lx := readVocabWords(tt.q, baseLexicon(), v)
				if read := lx != emptyLexicon(); read != tt.needs {
					t.Errorf("names' lexicon read = %v, want %v", read, tt.needs)
				}
				if tt.needs && lx.reach == nil {
					t.Errorf("read the lexicon of every campaign, want the campaigns %q reaches", tt.q)
				}
				Parse(tt.q, asOfDate(t, ""), v)
				if v.lazy.lx != nil {
					t.Errorf("built the lexicon of every campaign")
				}
			}
		})
	}
}

// TestReachLexiconAnswersAlike checks, word by word, that the lexicon a
// question reaches answers every lookup the question makes as the
// lexicon of all the names does: typo targets of every length, known
// words, partial names, and the full names that can match its words.
func TestReachLexiconAnswersAlike(t *testing.T) {
	for _, vocab := range []Vocabulary{testVocab, sharedWordsVocab, numberedVocab(300, 40)} {
		eager := vocab
		eager.Index()
		packed := packedVocab(t, vocab)
		probe := slices.Concat(vocab.Words(), []string{"", "zzz", "campaigns", "00042", "brands"})
		for _, c := range reachCases {
			w, lx := readVocabWords(c.q, baseLexicon(), packed)
			if lx.reach == nil {
				continue // the question reads no name
			}
			if diff := cmp.Diff(readWords(c.q, baseLexicon(), eager.lx).toks, w.toks, cmp.AllowUnexported(token{})); diff != "" {
				t.Errorf("%q: words (-eager +reached):\n%s", c.q, diff)
			}
			for n := range 40 {
				if diff := cmp.Diff(eager.lx.typoTargets(n), lx.typoTargets(n), emptyEqual); diff != "" {
					t.Errorf("%q: typo targets of length %d (-eager +reached):\n%s", c.q, n, diff)
				}
			}
			for _, word := range slices.Concat(probe, lx.reach.asked) {
				checkReachedWord(t, c.q, word, eager.lx, lx)
			}
			for _, word := range lx.reach.asked {
				want := phrasesOf(eager.lx.entries(word), lx.reach.asked)
				if diff := cmp.Diff(want, phrasesOf(lx.entries(word), nil), emptyEqual); diff != "" {
					t.Errorf("%q: phrases of %q (-eager +reached):\n%s", c.q, word, diff)
				}
			}
		}
	}
}

// checkReachedWord compares what the two lexicons know of word.
func checkReachedWord(t *testing.T, q, word string, eager, reached *lexicon) {
	t.Helper()
	if got, want := reached.knows(word), eager.knows(word); got != want {
		t.Errorf("%q: knows(%q) = %v, want %v", q, word, got, want)
	}
	if got, want := reached.inCampaignNames(word), eager.inCampaignNames(word); got != want {
		t.Errorf("%q: inCampaignNames(%q) = %v, want %v", q, word, got, want)
	}
	if diff := cmp.Diff(eager.campaignsNamed(word), reached.campaignsNamed(word), emptyEqual); diff != "" {
		t.Errorf("%q: campaigns named with %q (-eager +reached):\n%s", q, word, diff)
	}
}

// phrasesOf describes entries, in order, leaving out the campaigns with a
// word not in asked (none when asked is nil).
func phrasesOf(entries []*lexEntry, asked []string) []string {
	var out []string
	for _, e := range entries {
		if asked != nil && e.kind == ekCampaign && slices.ContainsFunc(e.words, func(w string) bool { return !slices.Contains(asked, w) }) {
			continue
		}
		out = append(out, fmt.Sprintf("%d %q %s", e.kind, e.words, e.value))
	}
	return out
}

// reachCases name campaigns fully, in part, with typos and in the plural,
// next to categories and regions that share their words: what a
// question's lexicon must reach as the lexicon of every name does.
var reachCases = []parseCase{
	{q: "spend on meta retargeting dpa last month"},
	{q: "spend on the meta retargeting campaign"},
	{q: "spend on meta retargetting - dpa"},
	{q: "roas of holidy shopping 2026"},
	{q: "spend on pinterest prospecting home decor"},
	{q: "campaigns with retargeting in the name"},
	{q: "spend on the retargeting campaigns"},
	{q: "spend on the google campaign"},
	{q: "spend on google campaigns last week"},
	{q: "home decor spend"},
	{q: "apparel and home roas"},
	{q: "us east vs us west revenue"},
	{q: "spend on the dpa campaign"},
	{q: "electronic roas last month"},
	{q: "toy sales by region"},
	{q: "spend on advantage+"},
	{q: "youtube campaigns spend"},
	{q: "spend on campaign 00042 last month"},
	{q: "spend on campaing 00042 last month"},
	{q: "top 5 campaigns by roas last month"},
	{q: "spend on campaigns 00042 and 00043"},
	{q: "spend on 00042"},
	{q: "campaigns with 00042 in the name"},
	{q: "spend on category 5 last month"},
	{q: "roas for categroy 5"},
	{q: "spend on categories 5 and 7"},
	{q: "spend on brand awareness q1"},
	{q: "spend on the brand campaigns"},
	{q: "spend on the brand campaign"},
	{q: "campaigns with brand in the name"},
	{q: "campaigns named sale"},
	{q: "summer sales roas"},
	{q: "spend on sumer sale"},
	{q: "roas of the awarness campaign"},
	{q: "spend on the awareness campaigns last week"},
	{q: "spend in north america"},
	{q: "spend in america"},
	{q: "holiday brand spend"},
	{q: "brand brand spend"},
	{q: "spend on sale campaigns last week"},
	{q: "spend on spring sael"},
	{q: "roas of the brand search campaign"},
	{q: "spend on brand search vs holiday brand"},
	{q: "arand opening spend"}, // "brand" or "grand"
	{q: "spend on the arand campaigns"},
	{q: "roas of arand search"},
}

// sharedWordsVocab has words in many campaigns' names, a word twice in a
// name, names that begin alike, a name without words, words a typo is
// equally near, and categories and regions made of campaigns' words.
var sharedWordsVocab = Vocabulary{
	Campaigns: []string{
		"Brand Awareness Q1", "Brand Awareness Q2", "Brand Search", "Holiday Brand", "Brand Brand Sale",
		"Sale", "Summer Sale", "Summer Sales", "Spring Sale", "North America Brand", "Brand Search", "!!!", "Grand Opening",
	},
	Categories:    []string{"Sales", "Awareness", "Brand"},
	Regions:       []string{"North America", "South America"},
	CampaignTypes: []string{"search", "prospecting"},
	Channels:      []string{"online", "store"},
}

// numberedVocab has campaigns "Campaign 00000" on and categories
// "Category 0" on, as the benchmark database does.
func numberedVocab(campaigns, categories int) Vocabulary {
	var v Vocabulary
	for i := range campaigns {
		v.Campaigns = append(v.Campaigns, fmt.Sprintf("Campaign %05d", i))
	}
	for i := range categories {
		v.Categories = append(v.Categories, fmt.Sprintf("Category %d", i))
	}
	v.CampaignTypes = []string{"search", "shopping", "prospecting", "retargeting", "ctv"}
	return v
}

// packedVocab is vocab as a process reads it kept: packed, with its words
// and its campaigns' words.
func packedVocab(t *testing.T, vocab Vocabulary) Vocabulary {
	t.Helper()
	p := vocab
	p.Campaigns = nil
	p.IndexPacked(mustPack(t, vocab.Campaigns), mustPack(t, vocab.Words()), mustPack(t, vocab.CampaignTokens()))
	return p
}

func mustPack(t *testing.T, list []string) Packed {
	t.Helper()
	p, ok := Pack(list)
	if !ok {
		t.Fatalf("cannot pack %q", list)
	}
	return p
}

// TestPlainWords checks which kept campaign words a question's lexicon
// reads by splitting at spaces: those that split as strings.Fields splits
// them.
func TestPlainWords(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"campaign 00001" + PackSep + PackSep + "brand search", true},
		{"café crème" + PackSep + "µ", true},
		{"brand  search", false},
		{" brand", false},
		{"brand ", false},
		{"brand " + PackSep + "search", false},
		{"brand" + PackSep + " search", false},
		{"brand\tsearch", false},
		{"brand\u00a0search", false},
		{"brand\u3000search", false},
	} {
		if got := plainWords(tt.s); got != tt.want {
			t.Errorf("plainWords(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// TestUnplainTokensReadAlike checks that campaign words kept with other
// white space are read as the names' lexicon reads them.
func TestUnplainTokensReadAlike(t *testing.T) {
	tokens := slices.Clone(sharedWordsVocab.CampaignTokens())
	for i := range tokens {
		tokens[i] = strings.ReplaceAll(tokens[i], " ", " \t")
	}
	p := sharedWordsVocab
	p.Campaigns = nil
	p.IndexPacked(mustPack(t, sharedWordsVocab.Campaigns), mustPack(t, sharedWordsVocab.Words()), mustPack(t, tokens))
	eager := sharedWordsVocab
	eager.Index()
	for _, c := range reachCases {
		asOf := asOfDate(t, c.asOf)
		if diff := cmp.Diff(Parse(c.q, asOf, eager), Parse(c.q, asOf, p), emptyEqual); diff != "" {
			t.Errorf("Parse(%q) (-eager +packed):\n%s", c.q, diff)
		}
	}
}

// TestQuestionLexiconsShared parses at once, with one packed vocabulary,
// questions that correct typos to its campaigns' words.
func TestQuestionLexiconsShared(t *testing.T) {
	eager := sharedWordsVocab
	eager.Index()
	p := packedVocab(t, sharedWordsVocab)
	asOf := asOfDate(t, "")
	var wg sync.WaitGroup
	for _, c := range reachCases {
		wg.Go(func() {
			if diff := cmp.Diff(Parse(c.q, asOf, eager), Parse(c.q, asOf, p), emptyEqual); diff != "" {
				t.Errorf("Parse(%q) (-eager +packed):\n%s", c.q, diff)
			}
		})
	}
	wg.Wait()
}

// TestIndexPackedLater parses with a vocabulary whose campaigns are read
// only when a question needs them: questions read alike, a question that
// names no campaign, category or region reads none, and the rest read
// them once.
func TestIndexPackedLater(t *testing.T) {
	eager := sharedWordsVocab
	eager.Index()
	var reads atomic.Int32
	later := sharedWordsVocab
	later.Campaigns = nil
	campaigns, tokens := mustPack(t, sharedWordsVocab.Campaigns), mustPack(t, sharedWordsVocab.CampaignTokens())
	later.IndexPackedLater(mustPack(t, sharedWordsVocab.Words()), func() (Packed, Packed) {
		reads.Add(1)
		return campaigns, tokens
	})
	asOf := asOfDate(t, "")
	for _, q := range []string{"spend last month by platform", "cpa by platform last month", "help"} {
		if diff := cmp.Diff(Parse(q, asOf, eager), Parse(q, asOf, later), emptyEqual); diff != "" {
			t.Errorf("Parse(%q) (-eager +later):\n%s", q, diff)
		}
	}
	if n := reads.Load(); n != 0 {
		t.Errorf("questions naming no campaign read the campaigns %d times", n)
	}
	for _, c := range reachCases {
		asOf := asOfDate(t, c.asOf)
		if diff := cmp.Diff(Parse(c.q, asOf, eager), Parse(c.q, asOf, later), emptyEqual); diff != "" {
			t.Errorf("Parse(%q) (-eager +later):\n%s", c.q, diff)
		}
	}
	if diff := cmp.Diff(sharedWordsVocab.Campaigns, later.CampaignNames()); diff != "" {
		t.Errorf("CampaignNames (-want +got):\n%s", diff)
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("campaigns read %d times, want once", n)
	}
}
