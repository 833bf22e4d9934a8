package question

// editDistance returns the Damerau–Levenshtein distance (optimal string
// alignment: insertions, deletions, substitutions and swaps of neighbours)
// between a and b, or limit+1 as soon as it must exceed limit.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	var buf [3][32]int
	if len(b)+1 > len(buf[0]) {
		return limit + 1
	}
	prev2, prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cur[j] = editStep(a, b, i, j, prev2, prev, cur)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}

func editStep(a, b string, i, j int, prev2, prev, cur []int) int {
	cost := 1
	if a[i-1] == b[j-1] {
		cost = 0
	}
	d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
	if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
		d = min(d, prev2[j-2]+1)
	}
	return d
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// typoBudget is how many edits a typed word may be from a known word: none
// for words of up to 3 letters, 1 from 4 letters, 2 from 8. The shorter of
// the two words decides, so a long typo never reaches a short word. Most
// four-letter words have too many everyday neighbours ("best" for "west",
// "tops" for "toys") to be corrected to, so only a few are.
func typoBudget(typed, known string) int {
	n := min(len(typed), len(known))
	if len(known) == 4 && !shortTargets[known] {
		return 0
	}
	switch {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// shortTargets are the four-letter words a typo may be corrected to.
var shortTargets = map[string]bool{"roas": true, "meta": true, "week": true, "june": true, "july": true}

// wordList is a set of known words, indexed by length for typo search.
type wordList struct {
	set   map[string]bool
	byLen map[int][]string
}

func newWordList() *wordList { return newWordListSized(0) }

func newWordListSized(n int) *wordList {
	return &wordList{set: make(map[string]bool, n), byLen: make(map[int][]string, 24)}
}

func (w *wordList) add(word string) {
	if word == "" || w.set[word] {
		return
	}
	w.set[word] = true
	w.byLen[len(word)] = append(w.byLen[len(word)], word)
}

// nearest appends to best the words of lx closest to typed within their
// typo budget, and returns them with the distance (best is reset when a
// closer word turns up).
func nearest(lx *lexicon, typed string, best []string, dist int) ([]string, int) {
	for l := len(typed) - 2; l <= len(typed)+2; l++ {
		for _, k := range lx.typoTargets(l) {
			limit := min(typoBudget(typed, k), dist)
			if limit == 0 {
				continue
			}
			d := editDistance(typed, k, limit)
			switch {
			case d > limit:
			case d < dist:
				best, dist = append(best[:0], k), d
			case d == dist:
				best = append(best, k)
			}
		}
	}
	return best, dist
}

// correctTypos replaces each unknown word of 4 letters or more by the
// known word nearest to it (or records the equally near ones in alts).
// Numbers, stop words and words of any phrase are left alone.
func correctTypos(toks []token, lexes ...*lexicon) {
	for i := range toks {
		t := &toks[i]
		if t.isNum || len(t.text) < 4 || isStopWord(t.text) || knownWord(t.text, lexes) {
			continue
		}
		var best []string
		dist := 3
		for _, lx := range lexes {
			best, dist = nearest(lx, t.text, best, dist)
		}
		best = dedupe(best)
		switch len(best) {
		case 0:
		case 1:
			t.text, t.dist = best[0], dist
		default:
			t.alts, t.dist = best, dist
		}
	}
	correctPeriodTypos(toks, lexes)
}

func knownWord(w string, lexes []*lexicon) bool {
	for _, lx := range lexes {
		if lx.knows(w) {
			return true
		}
	}
	return false
}

func dedupe(xs []string) []string {
	out := xs[:0]
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
