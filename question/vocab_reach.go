package question

import (
	"iter"
	"slices"
	"strings"
	"sync"
)

// reachLexicon stands in, for one question, for the lexicon of a lazily
// indexed vocabulary whose campaigns' words are kept: it holds only what
// the question can reach. A phrase matches only words of the question, and
// a partial name is looked up only by them, so of the campaigns it keeps
// the full names made only of the question's words, and knows which of
// those words some campaign has; the rest it answers from the vocabulary's
// sorted words and by scanning the kept words in place. Building the
// lexicon of 5,000 campaigns for "top 5 campaigns by roas last month" was
// about 700 of a `sowhat ask`'s 3,200 page faults.
type reachLexicon struct {
	li *lazyIndex
	// asked are the words of the question, in all their forms, sorted; named
	// says of each whether a campaign's name has it.
	asked []string
	named []bool
	// first holds the campaign names made only of asked words, by first
	// word, each followed by the other phrases of that first word.
	first map[string][]*lexEntry
}

// questionLexicon returns a lexicon for one question: until its reach is
// called with the question's words it knows only the vocabulary's words,
// which is all that correcting typos needs.
func (li *lazyIndex) questionLexicon() *lexicon {
	return &lexicon{reach: &reachLexicon{li: li}}
}

// reach keeps the campaign names and words that toks, read with typos
// corrected by this lexicon, can reach.
func (r *reachLexicon) reach(toks []token) {
	r.asked = askedWords(toks)
	r.named = make([]bool, len(r.asked))
	for name, words := range r.li.campaigns() {
		r.addCampaign(name, words)
	}
	short := r.li.short()
	for w, es := range r.first {
		r.first[w] = append(es, short.entries(w)...)
	}
}

// askedWords returns every form of the words of toks, sorted, once each.
func askedWords(toks []token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, wordForms(t)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// addCampaign marks the asked words that the campaign's words have, and
// keeps its name when it is made only of asked words.
func (r *reachLexicon) addCampaign(name, words string) {
	all, some := true, false
	for w := range strings.FieldsSeq(words) {
		i, ok := slices.BinarySearch(r.asked, w)
		if !ok {
			all = false
			continue
		}
		r.named[i], some = true, true
	}
	if !all || !some {
		return
	}
	e := &lexEntry{words: strings.Fields(words), kind: ekCampaign, value: name}
	if r.first == nil {
		r.first = map[string][]*lexEntry{}
	}
	r.first[e.words[0]] = append(r.first[e.words[0]], e)
}

// entries returns the phrases whose first word is w that the question can
// match, in the order the vocabulary's lexicon has them.
func (r *reachLexicon) entries(w string) []*lexEntry {
	if es, ok := r.first[w]; ok {
		return es
	}
	return r.li.short().entries(w)
}

// hasCampaigns reports whether a campaign's name has a word of the
// question: otherwise no part of one can be in it.
func (r *reachLexicon) hasCampaigns() bool {
	return slices.Contains(r.named, true)
}

// inCampaignNames reports whether a campaign's name has the word w.
func (r *reachLexicon) inCampaignNames(w string) bool {
	if i, ok := slices.BinarySearch(r.asked, w); ok {
		return r.named[i]
	}
	return len(r.campaignsNamed(w, 1)) > 0
}

// campaignsNamed returns, in the vocabulary's order, up to limit campaigns
// (all of them when limit is 0) whose name has the word w.
func (r *reachLexicon) campaignsNamed(w string, limit int) []string {
	var out []string
	for name, words := range r.li.campaigns() {
		for x := range strings.FieldsSeq(words) {
			if x == w {
				out = append(out, name)
				break
			}
		}
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

// campaigns yields each campaign's name with its words as CampaignTokens
// gave them, in the vocabulary's order, read in place when kept packed.
func (li *lazyIndex) campaigns() iter.Seq2[string, string] {
	return func(yield func(name, words string) bool) {
		if !li.packed.set {
			for i, name := range li.names.Campaigns {
				if !yield(name, li.tokens[i]) {
					return
				}
			}
			return
		}
		names, words := string(li.packed.campaigns), string(li.packed.tokens)
		for more := names != ""; more; {
			var name, w string
			name, names, more = strings.Cut(names, PackSep)
			w, words, _ = strings.Cut(words, PackSep)
			if !yield(name, w) {
				return
			}
		}
	}
}

// reachable reports whether the words of every campaign are kept, so that
// a question's lexicon can be a reachLexicon.
func (li *lazyIndex) reachable() bool {
	if !li.packed.set {
		return len(li.tokens) == len(li.names.Campaigns)
	}
	return li.packedTokensKept()
}

// typoTargets returns the words of length n a typo may be corrected to, in
// the order the vocabulary's lexicon adds them: the campaigns' words, then
// the other names'.
func (li *lazyIndex) typoTargets(n int) []string {
	li.typoMu.Lock()
	defer li.typoMu.Unlock()
	if t, ok := li.typos[n]; ok {
		return t
	}
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	if n >= 4 {
		for _, words := range li.campaigns() {
			for w := range strings.FieldsSeq(words) {
				if len(w) == n && !isDigits(w) {
					add(w)
				}
			}
		}
	}
	for _, w := range li.short().typoTargets(n) {
		add(w)
	}
	if li.typos == nil {
		li.typos = map[int][]string{}
	}
	li.typos[n] = out
	return out
}

// shortLexicon returns the lexicon of the vocabulary's names other than
// its campaigns: categories, regions, campaign types and channels.
func (li *lazyIndex) shortLexicon() *lexicon {
	v := Vocabulary{Categories: li.names.Categories, Regions: li.names.Regions, CampaignTypes: li.names.CampaignTypes, Channels: li.names.Channels}
	return buildVocabLexicon(v)
}

// newReachState readies what reachLexicon shares across questions.
func (li *lazyIndex) newReachState() {
	li.short = sync.OnceValue(li.shortLexicon)
	li.packedTokensKept = sync.OnceValue(func() bool { return li.packed.tokens.Len() == li.packed.campaigns.Len() })
}
