package question

import (
	"time"
	"unicode/utf8"
)

// words is what the first stage reads: the question as read and its
// tokens, normalised (case, punctuation, abbreviations) and corrected
// (typos within a small edit distance of a known word).
type words struct {
	q    string // the question as read, clipped to maxBytes
	toks []token
	cut  bool // the question had more than maxTokens words
}

// maxTokens bounds the words read from one question: questions are
// short, and this keeps the parser's time small whatever is pasted in.
const maxTokens = 120

// maxBytes bounds the text tokenized, for the same reason.
const maxBytes = 2000

// clip cuts s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// readWords tokenizes a question, keeps at most maxTokens words, and
// corrects typos against the lexicons.
func readWords(question string, lexes ...*lexicon) words {
	w := words{q: clip(question, maxBytes)}
	w.toks = tokenize(w.q)
	if len(w.toks) > maxTokens {
		w.toks, w.cut = w.toks[:maxTokens], true
	}
	correctTypos(w.toks, lexes...)
	return w
}

// found is what the second stage finds in the words: every phrase matched,
// longest first — metric, platform and vocabulary names, periods, grammar
// keywords — and the campaigns named by part of their name.
type found struct {
	words
	hits      []hit
	owner     []int // the hit covering each token, or -1
	ambiguous []ambiguity
	lx        *lexicon // the vocabulary's names
	vocab     Vocabulary
}

// findEntities matches the words against the base lexicon (metrics,
// platforms, grammar), the vocabulary's lexicon vlx and the period
// grammar, relative to today.
func findEntities(w words, today time.Time, vocab Vocabulary, base, vlx *lexicon) found {
	fd := found{words: w, lx: vlx, vocab: vocab}
	fd.hits, fd.ambiguous = matchPhrases(w.toks, newPeriodScan(w.toks, today), []*lexicon{base, vlx})
	fd.indexHits()
	fd.findPartialCampaigns()
	return fd
}

// hitAt returns the hit that covers token i.
func (fd *found) hitAt(i int) (hit, bool) {
	if i < 0 || i >= len(fd.owner) || fd.owner[i] < 0 {
		return hit{}, false
	}
	return fd.hits[fd.owner[i]], true
}

// indexHits records which hit covers each token, for hitAt.
func (fd *found) indexHits() {
	if len(fd.owner) != len(fd.toks) {
		fd.owner = make([]int, len(fd.toks))
	}
	for i := range fd.owner {
		fd.owner[i] = -1
	}
	for k, h := range fd.hits {
		for i := h.i; i < h.i+h.n; i++ {
			if fd.owner[i] < 0 {
				fd.owner[i] = k
			}
		}
	}
}
