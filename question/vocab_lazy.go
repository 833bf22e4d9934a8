package question

import (
	"slices"
	"sort"
	"sync"
)

// lazyIndex is a vocabulary's lexicon, built on the first question that
// could use it. Most questions ("spend last month by platform") name no
// campaign, category or region, and building the lexicon of thousands of
// campaign names costs more than answering them.
type lazyIndex struct {
	words  []string // every word the lexicon knows, sorted
	names  Vocabulary
	tokens []string // the words of each campaign's name, when kept
	once   sync.Once
	lx     *lexicon
}

// emptyLexicon stands in for a vocabulary's lexicon a question cannot use.
var emptyLexicon = sync.OnceValue(newLexicon)

// Words returns, sorted, every word the lexicon of v's names knows: what
// IndexLazily needs to know which questions could use it.
func (v Vocabulary) Words() []string {
	lx := v.lx
	if lx == nil {
		lx = buildVocabLexicon(v)
	}
	out := make([]string, 0, len(lx.known))
	for w := range lx.known {
		out = append(out, w)
	}
	for w := range lx.words.set {
		if !lx.known[w] {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// CampaignTokens returns the words the parser reads in each campaign's
// name, space separated, in the order of v.Campaigns: kept with Words, they
// spare a later process reading every name again (IndexLazily). A name's
// words never hold a space.
func (v Vocabulary) CampaignTokens() []string {
	lx := v.lx
	if lx == nil {
		lx = buildVocabLexicon(v)
	}
	return lx.campaignTokens
}

// TokensVersion names the way names are read into words: what Words and
// CampaignTokens hold. Whoever keeps them keys them by it, so that a
// parser that reads names differently does not use words an older one
// kept. It changes whenever the tokenizer does (TestTokensVersion).
const TokensVersion = "1"

// IndexLazily is Index for names whose Words are already known (kept from
// an earlier process, say): the lexicon is built on the first question that
// has one of those words, or a word the parser does not know (a typo may be
// of a name), and is shared by every copy of v. Questions read the same
// either way. campaignTokens, when there is one for each campaign, are
// their CampaignTokens as kept with the words.
func (v *Vocabulary) IndexLazily(words, campaignTokens []string) {
	names := *v
	names.lx, names.lazy = nil, nil
	// The words stay a sorted list, searched: a set of them was most of
	// what reading a kept vocabulary of 5,000 campaigns cost.
	if !slices.IsSorted(words) {
		words = slices.Clone(words)
		slices.Sort(words)
	}
	li := &lazyIndex{words: words, names: names, tokens: campaignTokens}
	v.lx, v.lazy = nil, li
}

func (li *lazyIndex) lexicon() *lexicon {
	li.once.Do(func() { li.lx = buildVocabLexiconWith(li.names, li.tokens) })
	return li.lx
}

// readVocabWords reads the question's words, and returns them with the
// vocabulary's lexicon they are to be matched against.
func readVocabWords(question string, base *lexicon, vocab Vocabulary) (words, *lexicon) {
	switch {
	case vocab.lx != nil:
		return readWords(question, base, vocab.lx), vocab.lx
	case vocab.lazy == nil:
		vlx := vocabLexicon(vocab)
		return readWords(question, base, vlx), vlx
	}
	w := readWords(question, base, emptyLexicon())
	if !vocab.lazy.needed(w.toks, base) {
		return w, emptyLexicon()
	}
	vlx := vocab.lazy.lexicon()
	return readWords(question, base, vlx), vlx
}

// needed reports whether reading toks could turn out otherwise with the
// vocabulary's lexicon than without it: a token is one of its words, or was
// corrected as a typo, or is a word the base lexicon does not know (that
// the vocabulary might, or might correct it to). Every use of the lexicon —
// typo correction, phrase matching, partial campaign names, unread words —
// looks a token up by these.
func (li *lazyIndex) needed(toks []token, base *lexicon) bool {
	lexes := []*lexicon{base}
	for _, t := range toks {
		if _, known := slices.BinarySearch(li.words, t.text); known || t.dist > 0 || len(t.alts) > 0 {
			return true
		}
		if !t.isNum && len(t.text) >= 3 && !stopWords[t.text] && !knownWord(t.text, lexes) {
			return true
		}
	}
	return false
}
