package question

import (
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
