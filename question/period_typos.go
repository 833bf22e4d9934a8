package question

import (
	"fmt"
	"slices"
)

// periodModifiers begin a period: "last week", "this month".
var periodModifiers = setOf(`last past previous prior this current trailing rolling`)

// pastModifiers are the modifiers after which only a period can follow
// one edit from a unit word: "last weak" (but "this weak" is "so weak").
var pastModifiers = setOf(`last past previous prior`)

// periodWordSet are the words of period expressions, never corrected to
// another one.
var periodWordSet = setOf(periodWords)

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
		return !t.isNum && t.dist == 0 && len(t.alts) == 0 && len(t.text) >= 3 && !stopWords[t.text] && !knownWord(t.text, lexes)
	}
	isMod := func(i int) bool { return i >= 0 && i < len(toks) && periodModifiers[toks[i].text] }
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
		case i > 0 && pastModifiers[toks[i-1].text] && !toks[i].isNum && len(toks[i].text) >= 4 && !isUnit(i) && toks[i].dist == 0 && !periodWordSet[toks[i].text]:
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

// askUnreadPeriod asks which period is meant when a period modifier is
// followed by a word sowhat cannot read ("last wekk", "past fortnite"):
// answering with a default period instead would answer another question.
func askUnreadPeriod(fd *found, rm *remarks) {
	for i := 0; i+1 < len(fd.toks); i++ {
		if !periodModifiers[fd.toks[i].text] {
			continue
		}
		if h, ok := fd.hitAt(i); ok && h.kind == ekPeriod {
			continue
		}
		next := fd.toks[i+1]
		if _, hit := fd.hitAt(i + 1); hit || next.isNum || stopWords[next.text] || len(next.alts) > 0 || knownWord(next.text, []*lexicon{baseLexicon(), fd.lx}) {
			continue
		}
		if fd.toks[i].text == "this" || fd.toks[i].text == "current" {
			if !nearUnit(next.text) {
				continue // "what does this mean"
			}
		}
		said := fd.q[fd.toks[i].start:next.end]
		rm.ask(fmt.Sprintf("Which period do you mean by %q: last week, last month or the last 7 days?", said),
			"{m} last week", "{m} last month", "{m} the last 7 days")
		rm.periodAsked = true
		rm.note(fmt.Sprintf("%q was not read as a period, so no period is assumed.", said))
		return
	}
}

// nearUnit reports a word two edits or fewer from a unit word, with the
// same first letter: "this mnoht".
func nearUnit(w string) bool {
	for _, u := range periodUnitWords {
		if w[0] == u[0] && editDistance(w, u, 2) <= 2 {
			return true
		}
	}
	return false
}
