package question

import (
	"sort"
)

// ekPeriod marks a hit that is a period expression.
const ekPeriod entryKind = 255

// hit is a phrase found in the question: tokens [i, i+n).
type hit struct {
	i, n int
	kind entryKind
	e    *lexEntry // nil for periods
	span spanInfo  // for periods
	dist int       // typo edits needed
}

func (h hit) value() string {
	if h.e == nil {
		return ""
	}
	return h.e.value
}

func (h hit) is(key kw) bool { return h.kind == ekKeyword && h.e.key == key }

// matchPhrases finds every phrase and period in toks and keeps the best
// non-overlapping ones: longest first, then fewest typos, then by kind.
// Two entity names that match the same words equally are both kept when
// they are of different kinds ("sponsored products" is a platform and a
// campaign type); of the same kind they are reported as ambiguous.
func matchPhrases(toks []token, ps *periodScan, lexes []*lexicon) (hits []hit, ambiguous []ambiguity) {
	cands := candidates(toks, ps, lexes)
	sort.SliceStable(cands, func(a, b int) bool { return better(cands[a], cands[b]) })
	owner := make([]int, len(toks))
	for i := range owner {
		owner[i] = -1
	}
	for _, c := range cands {
		if o, free := claimable(owner, c); free {
			for k := c.i; k < c.i+c.n; k++ {
				owner[k] = len(hits)
			}
			hits = append(hits, c)
		} else if o >= 0 && sameSpan(hits[o], c) {
			hits, ambiguous = coHit(hits, o, c, ambiguous)
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].i < hits[b].i })
	return hits, ambiguous
}

func better(a, b hit) bool {
	if a.n != b.n {
		return a.n > b.n
	}
	if a.dist != b.dist {
		return a.dist < b.dist
	}
	if kindRank(a.kind) != kindRank(b.kind) {
		return kindRank(a.kind) < kindRank(b.kind)
	}
	return a.i < b.i
}

func kindRank(k entryKind) int {
	if k == ekPeriod {
		return -1
	}
	return int(k)
}

// claimable reports whether c's tokens are all free, or else the hit that
// owns its first token.
func claimable(owner []int, c hit) (int, bool) {
	for k := c.i; k < c.i+c.n; k++ {
		if owner[k] >= 0 {
			return owner[k], false
		}
	}
	return -1, true
}

func sameSpan(h, c hit) bool { return h.i == c.i && h.n == c.n && h.dist == c.dist }

func isEntity(k entryKind) bool {
	return k == ekPlatform || k == ekCampaignType || k == ekCategory || k == ekRegion || k == ekChannel || k == ekCampaign
}

// ambiguity is a name that matched several things of one kind.
type ambiguity struct {
	dim   string
	names []string
}

// dimOfKind is the filter dimension of an entity kind.
var dimOfKind = map[entryKind]string{
	ekPlatform: "platform", ekCampaignType: "campaign_type", ekCategory: "category", ekRegion: "region",
	ekChannel: "channel", ekCampaign: "campaign",
}

// coHit handles a candidate that matches the same words as an earlier hit.
func coHit(hits []hit, o int, c hit, ambiguous []ambiguity) ([]hit, []ambiguity) {
	h := hits[o]
	if !isEntity(h.kind) || !isEntity(c.kind) || h.value() == c.value() {
		return hits, ambiguous
	}
	if h.kind != c.kind {
		return append(hits, c), ambiguous
	}
	for k, a := range ambiguous {
		if a.names[0] == h.value() {
			ambiguous[k].names = appendNew(a.names, c.value())
			return hits, ambiguous
		}
	}
	return hits, append(ambiguous, ambiguity{dim: dimOfKind[h.kind], names: []string{h.value(), c.value()}})
}

func appendNew[T comparable](xs []T, x T) []T {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// candidates lists every phrase and period that starts at each token.
func candidates(toks []token, ps *periodScan, lexes []*lexicon) []hit {
	var out []hit
	for i := range toks {
		if s, n := ps.at(i); n > 0 {
			out = append(out, hit{i: i, n: n, kind: ekPeriod, span: s})
		}
		for _, lx := range lexes {
			out = lexCandidates(out, toks, i, lx)
		}
	}
	return out
}

// lexCandidates adds the phrases of lx that match at token i.
func lexCandidates(out []hit, toks []token, i int, lx *lexicon) []hit {
	forms := wordForms(toks[i])
	for k, w := range forms {
		for _, e := range lx.entries(w) {
			if k > 0 && startsWithAny(e.words[0], forms[:k]) {
				continue // already tried under an earlier form
			}
			if dist, ok := phraseAt(toks, i, e.words); ok {
				out = append(out, hit{i: i, n: len(e.words), kind: e.kind, e: e, dist: dist})
			}
		}
	}
	return out
}

func startsWithAny(w string, forms []string) bool {
	for _, f := range forms {
		if f == w {
			return true
		}
	}
	return false
}

// wordForms are the words a token may stand for: its text, or the equally
// close corrections of a typo.
func wordForms(t token) []string {
	if len(t.alts) > 0 {
		return t.alts
	}
	return []string{t.text}
}

// phraseAt reports whether words appear at toks[i:], and the typo edits
// that took.
func phraseAt(toks []token, i int, words []string) (int, bool) {
	if i+len(words) > len(toks) {
		return 0, false
	}
	dist := 0
	for k, w := range words {
		t := toks[i+k]
		if !tokenIs(t, w) {
			return 0, false
		}
		dist += t.dist
	}
	return dist, true
}

func tokenIs(t token, w string) bool {
	if t.text == w {
		return true
	}
	for _, a := range t.alts {
		if a == w {
			return true
		}
	}
	return false
}
