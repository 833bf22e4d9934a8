package question

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// isPeriodModifier reports a word that begins a period: "last week", "this
// month".
func isPeriodModifier(w string) bool {
	switch w {
	case "last", "past", "previous", "prior", "this", "current", "trailing", "rolling":
		return true
	}
	return false
}

// isPastModifier reports a modifier after which only a period can follow
// one edit from a unit word: "last weak" (but "this weak" is "so weak").
func isPastModifier(w string) bool {
	switch w {
	case "last", "past", "previous", "prior":
		return true
	}
	return false
}

// periodWordSet is the set of the words of period expressions, never
// corrected to another one, made on first use.
var periodWordSet = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(periodWords) {
		out[w] = true
	}
	return out
})

// periodUnitWords are what a period modifier or a count is followed by.
var periodUnitWords = []string{"day", "days", "week", "weeks", "weekend", "month", "months", "quarter", "quarters", "year", "years"}

// correctPeriodTypos corrects the period words that general typo
// correction leaves for being short or everyday ("lsat month", "last wek",
// "this mnth", "7 dyas"), with the same one-edit tolerance platform names
// get but only where a period stands: a modifier before a unit word, a unit
// word after a modifier or a count, or both together. Only a word known
// nowhere else is corrected, and only to its one nearest period word.
func correctPeriodTypos(toks []token, lexes []*lexicon) {
	unread := func(i int) bool {
		if i < 0 || i >= len(toks) {
			return false
		}
		t := toks[i]
		return !t.isNum && t.dist == 0 && len(t.alts) == 0 && len(t.text) >= 3 && !isStopWord(t.text) && !knownWord(t.text, lexes)
	}
	isMod := func(i int) bool { return i >= 0 && i < len(toks) && isPeriodModifier(toks[i].text) }
	isUnit := func(i int) bool { return i >= 0 && i < len(toks) && slices.Contains(periodUnitWords, toks[i].text) }
	fix := func(i int, words []string) bool {
		if w, ok := nearestWithin1(toks[i].text, words); ok {
			toks[i].text, toks[i].dist = w, 1
			return true
		}
		return false
	}
	mods := []string{"last", "past", "previous", "prior", "this", "current", "trailing", "rolling"}
	for i := range toks {
		switch {
		case unread(i) && isUnit(i+1):
			fix(i, mods) // "lsat month"
		case unread(i) && (isMod(i-1) || i > 0 && toks[i-1].isNum):
			fix(i, periodUnitWords) // "last wek", "7 dyas"
		case i > 0 && isPastModifier(toks[i-1].text) && !toks[i].isNum && len(toks[i].text) >= 4 && !isUnit(i) && toks[i].dist == 0 && !periodWordSet()[toks[i].text]:
			// "last weak": a word known elsewhere, but after "last" only a
			// unit makes sense of it.
			fix(i, periodUnitWords)
		case unread(i) && unread(i+1):
			if w, ok := nearestWithin1(toks[i+1].text, periodUnitWords); ok && fix(i, mods) {
				toks[i+1].text, toks[i+1].dist = w, 1 // "lsat wek"
			}
		}
	}
}

// nearestWithin1 returns the one word of words a single edit from w.
func nearestWithin1(w string, words []string) (string, bool) {
	found := ""
	for _, k := range words {
		if editDistance(w, k, 1) == 1 {
			if found != "" && !samePeriodWord(found, k) {
				return "", false
			}
			if found == "" {
				found = k
			}
		}
	}
	return found, found != ""
}

// samePeriodWord reports a unit word and its plural: "day" and "days".
func samePeriodWord(a, b string) bool { return a+"s" == b || b+"s" == a }

// askUnreadPeriod asks which period is meant when a period word cannot be
// read — a modifier followed by a word sowhat does not know ("last wekk",
// "last 2 wkes"), a vague count ("the last few weeks"), "fiscal" with no
// unit, or a word two edits from a long period word ("ystrday") — since
// answering with a default period instead would answer another question.
func askUnreadPeriod(fd *found, rm *remarks) {
	ask := func(q, said string) {
		rm.ask(q, "{m} last week", "{m} last month", "{m} the last 7 days")
		rm.periodAsked = true
		rm.note(fmt.Sprintf("%q was not read as a period, so no period is assumed.", said))
	}
	for i := 0; i < len(fd.toks); i++ {
		if h, ok := fd.hitAt(i); ok && h.kind == ekPeriod {
			i = h.i + h.n - 1
			continue
		}
		t := fd.toks[i]
		switch {
		case isPeriodModifier(t.text) && isVagueCount(fd.word(i+1)) && slices.Contains(periodUnitWords, fd.word(i+2)):
			said := fd.q[t.start:fd.toks[i+2].end]
			ask(fmt.Sprintf("How many %s do you mean by %q? For example \"the last 4 %s\".", plural(fd.word(i+2)), said, plural(fd.word(i+2))), said)
			return
		case func() bool { _, ok := fd.unreadAfterModifier(i); return ok }():
			said, _ := fd.unreadAfterModifier(i)
			ask(fmt.Sprintf("Which period do you mean by %q: last week, last month or the last 7 days?", said), said)
			return
		case t.text == "fiscal" && !fd.covered(i):
			said := fd.q[t.start:t.end]
			if i > 0 && isPeriodModifier(fd.word(i-1)) {
				said = fd.q[fd.toks[i-1].start:t.end]
			}
			rm.ask(fmt.Sprintf("Which fiscal period do you mean by %q: fiscal year to date, last fiscal quarter or last fiscal month?", said),
				"{m} fiscal year to date", "{m} last fiscal quarter", "{m} last fiscal month")
			rm.periodAsked = true
			rm.note(fmt.Sprintf("%q was not read as a period, so no period is assumed.", said))
			return
		case !fd.readAnyPeriod() && fd.unreadWord(i) && nearLongPeriodWord(t.text):
			said := fd.q[t.start:t.end]
			ask(fmt.Sprintf("Which period do you mean by %q: yesterday, last week or last month?", said), said)
			return
		}
	}
}

// isVagueCount reports a count that says no number: "the last few weeks".
func isVagueCount(w string) bool {
	switch w {
	case "few", "several", "some", "recent":
		return true
	}
	return false
}

func plural(unit string) string {
	if unit[len(unit)-1] == 's' {
		return unit
	}
	return unit + "s"
}

func (fd *found) word(i int) string {
	if i < 0 || i >= len(fd.toks) {
		return ""
	}
	return fd.toks[i].text
}

// unreadWord reports a word no lexicon knows and no match covers.
func (fd *found) unreadWord(i int) bool {
	if i < 0 || i >= len(fd.toks) {
		return false
	}
	t := fd.toks[i]
	if _, hit := fd.hitAt(i); hit || t.isNum || isStopWord(t.text) || len(t.alts) > 0 {
		return false
	}
	return !knownWord(t.text, []*lexicon{baseLexicon(), fd.lx})
}

// covered reports whether a match covers token i.
func (fd *found) covered(i int) bool {
	_, ok := fd.hitAt(i)
	return ok
}

// readAnyPeriod reports whether some period was read in the question.
func (fd *found) readAnyPeriod() bool {
	for _, h := range fd.hits {
		if h.kind == ekPeriod {
			return true
		}
	}
	return false
}

// unreadAfterModifier returns the words from a period modifier at token i
// to the unknown word after it (a count may stand between: "last 2
// wkes"), when there is one.
func (fd *found) unreadAfterModifier(i int) (string, bool) {
	t := fd.toks[i]
	if !isPeriodModifier(t.text) {
		return "", false
	}
	j := i + 1
	if j < len(fd.toks) && fd.toks[j].isNum {
		if _, hit := fd.hitAt(j); !hit {
			j++
		}
	}
	if !fd.unreadWord(j) {
		return "", false
	}
	if (t.text == "this" || t.text == "current") && !nearUnit(fd.toks[j].text) {
		return "", false // "what does this mean"
	}
	return fd.q[t.start:fd.toks[j].end], true
}

// nearUnit reports a word two edits or fewer from a unit word, with the
// same first letter: "this mnoht".
func nearUnit(w string) bool {
	if w == "" {
		return false
	}
	for _, u := range periodUnitWords {
		if w[0] == u[0] && editDistance(w, u, 2) <= 2 {
			return true
		}
	}
	return false
}

// longPeriodWords are the period words long enough that a word two edits
// from one, with its first letter, is taken for a typo of it.
var longPeriodWords = []string{"yesterday", "weekend", "quarter", "quarters", "january", "february", "september",
	"october", "november", "december", "tuesday", "wednesday", "thursday", "saturday"}

// nearLongPeriodWord reports a word of 6 letters or more two edits or
// fewer from a long period word, with its first letter: "ystrday".
func nearLongPeriodWord(w string) bool {
	if len(w) < 6 {
		return false
	}
	for _, p := range longPeriodWords {
		if w[0] == p[0] && editDistance(w, p, 2) <= 2 {
			return true
		}
	}
	return false
}
