package question

import (
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
	kept := r.li.keptCampaigns()
	for i, w := range r.asked {
		r.named[i] = kept.has(w)
	}
	for i, w := range r.asked {
		if r.named[i] {
			r.addNames(kept, w)
		}
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

// addNames keeps the full names whose first word is w and whose other
// words are asked too, in the vocabulary's order. Every campaign may begin
// with w ("Campaign 00042"): their names are looked up only for those kept.
func (r *reachLexicon) addNames(kept keptCampaigns, w string) {
	c := campaignCursor{k: kept}
	for at := range kept.at(w, true) {
		words := upToSep(kept.tokens[at:])
		if !r.allAsked(words[len(w):]) {
			continue
		}
		c.seek(at)
		name, _ := c.current()
		e := &lexEntry{words: strings.Split(words, " "), kind: ekCampaign, value: name}
		if r.first == nil {
			r.first = map[string][]*lexEntry{}
		}
		r.first[w] = append(r.first[w], e)
	}
}

// allAsked reports whether every word of rest, each after a single space,
// is asked.
func (r *reachLexicon) allAsked(rest string) bool {
	for rest != "" {
		rest = rest[1:]
		w := rest
		if i := strings.IndexByte(rest, ' '); i >= 0 {
			w, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		if _, ok := r.askedIndex(w); !ok {
			return false
		}
	}
	return true
}

// askedIndex returns where w is among the asked words, if it is one: a
// question has few words, and looking each over is quicker than
// searching.
func (r *reachLexicon) askedIndex(w string) (int, bool) {
	if len(r.asked) > 16 {
		return slices.BinarySearch(r.asked, w)
	}
	i := slices.Index(r.asked, w)
	return i, i >= 0
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
	if i, ok := r.askedIndex(w); ok {
		return r.named[i]
	}
	return r.li.keptCampaigns().has(w)
}

// campaignsNamed returns, in the vocabulary's order, the campaigns whose
// name has the word w.
func (r *reachLexicon) campaignsNamed(w string) []string {
	if !r.inCampaignNames(w) {
		return nil
	}
	var out []string
	for name := range r.li.keptCampaigns().with(w, false) {
		out = append(out, name)
	}
	return out
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
		for w := range li.keptCampaigns().words() {
			if len(w) == n && !isDigits(w) {
				add(w)
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

// reachable reports whether the words of every campaign are kept, so that
// a question's lexicon can be a reachLexicon.
func (li *lazyIndex) reachable() bool {
	_, ok := li.kept()
	return ok
}

// keptCampaigns returns the campaigns and their words, packed; they are
// reachable.
func (li *lazyIndex) keptCampaigns() keptCampaigns {
	k, _ := li.kept()
	return k
}

// keepCampaigns returns the campaigns and their words, packed, and reports
// whether the words of every campaign are kept as CampaignTokens gives
// them.
func (li *lazyIndex) keepCampaigns() (keptCampaigns, bool) {
	if li.packed.set {
		campaigns, tokens := li.packedCampaigns()
		k := keptCampaigns{names: string(campaigns), tokens: string(tokens)}
		return k, tokens.Len() == campaigns.Len() && plainWords(k.tokens)
	}
	if len(li.tokens) != len(li.names.Campaigns) {
		return keptCampaigns{}, false
	}
	names, okNames := Pack(li.names.Campaigns)
	tokens, okTokens := Pack(li.tokens)
	k := keptCampaigns{names: string(names), tokens: string(tokens)}
	return k, okNames && okTokens && tokens.Len() == names.Len() && plainWords(k.tokens)
}

// newReachState readies what reachLexicon shares across questions.
func (li *lazyIndex) newReachState() {
	li.short = sync.OnceValue(li.shortLexicon)
	li.kept = sync.OnceValues(li.keepCampaigns)
}
