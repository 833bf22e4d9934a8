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
	words  Packed   // every word the lexicon knows, sorted
	list   []string // the same, when they could not be packed
	names  Vocabulary
	tokens []string // the words of each campaign's name, when kept
	// packed holds the campaigns and their words, when kept packed (set):
	// they are read (load, once) and split on first use.
	packed struct {
		set               bool
		load              func() (campaigns, tokens Packed)
		once              sync.Once
		campaigns, tokens Packed
	}
	splitOnce sync.Once
	once      sync.Once
	lx        *lexicon
	// For the lexicons of single questions (questionLexicon): the lexicon
	// of the names other than campaigns, the campaigns and their words
	// packed, when every campaign's are kept, and the typo targets by
	// length.
	short  func() *lexicon
	kept   func() (keptCampaigns, bool)
	typoMu sync.Mutex
	typos  map[int][]string
}

// emptyLexicon stands in for a vocabulary's lexicon a question cannot use.
var emptyLexicon = sync.OnceValue(newLexicon)

// Words returns, sorted, every word the lexicon of v's names knows: what
// IndexLazily needs to know which questions could use it.
func (v Vocabulary) Words() []string {
	lx := v.lexicon()
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
	lx := v.lexicon()
	return lx.campaignTokens
}

// TokensVersion names the way names are read into words: what Words and
// CampaignTokens hold. Whoever keeps them keys them by it, so that a
// parser that reads names differently does not use words an older one
// kept. It changes whenever the tokenizer does (TestTokensVersion).
const TokensVersion = "1"

// IndexLazily is Index for names whose Words are already known (kept from
// an earlier process, say): only a question that has one of those words,
// or a word the parser does not know (a typo may be of a name), reads the
// names. With campaignTokens, one for each campaign as CampaignTokens gave
// them, it reads only the campaigns its words can reach (questionLexicon);
// without, the lexicon of every name is built on the first such question
// and shared by every copy of v. Questions read the same either way.
func (v *Vocabulary) IndexLazily(words, campaignTokens []string) {
	names := *v
	names.lx, names.lazy = nil, nil
	if !slices.IsSorted(words) {
		words = slices.Clone(words)
		slices.Sort(words)
	}
	li := &lazyIndex{names: names, tokens: campaignTokens}
	// The words stay a sorted list, searched: a set of them was most of
	// what reading a kept vocabulary of 5,000 campaigns cost.
	if p, ok := Pack(words); ok {
		li.words = p
	} else {
		li.list = words
	}
	li.splitOnce.Do(func() {}) // the campaigns are names.Campaigns
	li.newReachState()
	v.lx, v.lazy = nil, li
}

// IndexPacked is IndexLazily for a vocabulary kept packed, whose campaigns
// (v.Campaigns, which is to be nil) are split from campaigns only when a
// question needs them: the lexicon of every name is built, or every
// campaign is listed. A question's lexicon reads them in place.
// words are sorted; campaignTokens, when there is one for each campaign,
// are their CampaignTokens.
func (v *Vocabulary) IndexPacked(campaigns, words, campaignTokens Packed) {
	v.IndexPackedLater(words, func() (Packed, Packed) { return campaigns, campaignTokens })
}

// IndexPackedLater is IndexPacked for campaigns kept apart from the words,
// which campaigns returns: it is called once, on the first question that
// needs them, and not at all for one that names no campaign, category or
// region. Kept apart, a vocabulary of 5,000 campaigns reads 31 KB rather
// than 181 KB for such a question.
func (v *Vocabulary) IndexPackedLater(words Packed, campaigns func() (names, campaignTokens Packed)) {
	names := *v
	names.lx, names.lazy = nil, nil
	li := &lazyIndex{words: words, names: names}
	li.packed.set, li.packed.load = true, campaigns
	li.newReachState()
	v.lx, v.lazy = nil, li
}

// packedCampaigns returns the campaigns kept packed and their words, read
// on first use.
func (li *lazyIndex) packedCampaigns() (campaigns, tokens Packed) {
	li.packed.once.Do(func() {
		if li.packed.load != nil {
			li.packed.campaigns, li.packed.tokens = li.packed.load()
		}
	})
	return li.packed.campaigns, li.packed.tokens
}

// lexicon returns the lexicon of v's names, built now unless v holds it.
func (v Vocabulary) lexicon() *lexicon {
	switch {
	case v.lx != nil:
		return v.lx
	case v.lazy != nil:
		return v.lazy.lexicon()
	}
	return buildVocabLexicon(v)
}

// CampaignNames returns v's campaigns: v.Campaigns, or those kept packed
// (IndexPacked).
func (v Vocabulary) CampaignNames() []string {
	if v.Campaigns == nil && v.lazy != nil {
		return v.lazy.split().Campaigns
	}
	return v.Campaigns
}

// split returns the names with their campaigns, split from the packed list
// on first use.
func (li *lazyIndex) split() *Vocabulary {
	li.splitOnce.Do(func() {
		campaigns, tokens := li.packedCampaigns()
		li.names.Campaigns = campaigns.List()
		if tokens.Len() == len(li.names.Campaigns) {
			li.tokens = tokens.List()
		}
	})
	return &li.names
}

// hasWord reports whether w is one of the words of the lexicon.
func (li *lazyIndex) hasWord(w string) bool {
	if li.list != nil {
		_, ok := slices.BinarySearch(li.list, w)
		return ok
	}
	return li.words.searchSorted(w)
}

func (li *lazyIndex) lexicon() *lexicon {
	li.once.Do(func() { li.lx = buildVocabLexiconWith(*li.split(), li.tokens) })
	return li.lx
}

// readVocabWords reads the question's words, and returns them with the
// vocabulary's lexicon they are to be matched against: of a lazily indexed
// vocabulary, none when the question needs none, or what it can reach.
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
	if vocab.lazy.reachable() {
		vlx := vocab.lazy.questionLexicon()
		w = readWords(question, base, vlx)
		vlx.reach.reach(w.toks)
		return w, vlx
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
		if li.hasWord(t.text) || t.dist > 0 || len(t.alts) > 0 {
			return true
		}
		if !t.isNum && len(t.text) >= 3 && !isStopWord(t.text) && !knownWord(t.text, lexes) {
			return true
		}
	}
	return false
}
