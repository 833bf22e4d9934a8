package question

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word, number or kept symbol of a question, normalised.
type token struct {
	text  string   // lower case, abbreviations expanded, typos corrected
	alts  []string // equally close vocabulary words, when a typo is ambiguous
	dist  int      // edit distance from what was typed to text or alts
	num   int      // the value of a number
	isNum bool
	ord   bool // a number written as an ordinal: "15th"
	start int  // byte span in the question
	end   int
}

// symbols kept as tokens; other punctuation separates words.
const keptSymbols = "-/%"

// tokenize splits text into normalised tokens: words and numbers, with
// letters and digits split apart ("7d" is 7 d, "1st" is 1) except quarter
// and half names ("q3", "h1"), and "-", "/" kept only inside dates.
func tokenize(text string) []token {
	raw := scanTokens(text)
	for k, t := range raw {
		if t.text == "adv" && t.end < len(text) && text[t.end] == '+' {
			raw[k].text = "advantage" // Meta's Advantage+, typed "adv+"
		}
	}
	raw = splitAlnum(raw)
	markMillions(text, raw)
	raw = mergeRatioAbbrev(raw)
	raw = dropLooseSymbols(raw)
	return expandAbbrevs(raw)
}

// markMillions reads the "m" of an amount ("$5m", "$1.5mm") as million,
// not as months: a dollar sign says it is money.
func markMillions(text string, toks []token) {
	for k := 1; k < len(toks); k++ {
		if toks[k].text != "m" && toks[k].text != "mm" || !isDigits(strings.ReplaceAll(toks[k-1].text, ".", "")) {
			continue
		}
		i := toks[k-1].start - 1
		for i >= 0 && text[i] == ' ' {
			i--
		}
		if i >= 0 && text[i] == '$' {
			toks[k].text = "million"
		}
	}
}

// scanTokens cuts text into runs of letters and digits and single symbols.
func scanTokens(text string) []token {
	sc := &scanner{text: text, start: -1}
	for i := 0; i < len(text); {
		i += sc.step(i)
	}
	sc.flush(len(text))
	return sc.out
}

// scanner cuts text into raw tokens.
type scanner struct {
	text  string
	out   []token
	b     strings.Builder // the word being read
	start int             // where it began, or -1
}

func (sc *scanner) flush(end int) {
	if sc.start >= 0 {
		sc.out = append(sc.out, token{text: dropPossessive(sc.b.String()), start: sc.start, end: end})
		sc.b.Reset()
		sc.start = -1
	}
}

func (sc *scanner) emit(text string, start, end int) {
	sc.flush(start)
	sc.out = append(sc.out, token{text: text, start: start, end: end})
}

// step reads the character at i and returns its size.
func (sc *scanner) step(i int) int {
	r, size := utf8.DecodeRuneInString(sc.text[i:])
	if t, n, ok := shortYear(sc.text, i, r, size); ok && sc.start < 0 {
		sc.out = append(sc.out, t)
		return n
	}
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		if sc.start < 0 {
			sc.start = i
		}
		sc.b.WriteRune(unicode.ToLower(r))
	case isWordJoiner(sc.text, i, r, size, &sc.b):
		// apostrophes inside words and decimal points stay in the word
	case r == '–' || r == '—':
		sc.emit("-", i, i+size)
	case strings.ContainsRune(keptSymbols, r):
		sc.emit(string(r), i, i+size)
	case r == '&':
		sc.emit("and", i, i+size)
	default:
		sc.flush(i)
	}
	return size
}

// contractionStems keep their "'s": "what's" and "it's" are not possessives.
var contractionStems = map[string]bool{"it": true, "that": true, "what": true, "who": true, "how": true, "let": true,
	"here": true, "there": true, "where": true, "he": true, "she": true}

// dropPossessive reads "tiktok's" as "tiktok" and "last month's" as "last
// month".
func dropPossessive(w string) string {
	for _, suf := range []string{"'s", "’s"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 2 && !contractionStems[stem] {
			return stem
		}
	}
	return w
}

// shortYear reads "'25" as the year 2025.
func shortYear(text string, i int, r rune, size int) (token, int, bool) {
	j := i + size
	if (r != '\'' && r != '’') || j+2 > len(text) || !isDigitByte(text[j]) || !isDigitByte(text[j+1]) ||
		(j+2 < len(text) && isDigitByte(text[j+2])) {
		return token{}, 0, false
	}
	n, _ := strconv.Atoi(text[j : j+2])
	return token{text: strconv.Itoa(2000 + n), num: 2000 + n, isNum: true, start: i, end: j + 2}, size + 2, true
}

// isWordJoiner reports whether r joins the word being read: an apostrophe
// between letters ("what's"), or a decimal point between digits ("1.5").
func isWordJoiner(text string, i int, r rune, size int, b *strings.Builder) bool {
	if b.Len() == 0 || i+size >= len(text) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[i+size:])
	prev := b.String()
	last, _ := utf8.DecodeLastRuneInString(prev)
	switch r {
	case '\'', '’':
		return unicode.IsLetter(last) && unicode.IsLetter(next)
	case '.':
		if unicode.IsDigit(last) && unicode.IsDigit(next) {
			b.WriteRune('.')
			return true
		}
	}
	return false
}

// splitAlnum splits letter–digit runs: "l7d" is l 7 d, "top3" is top 3,
// "1st" is 1; "q3" and "h1" stay whole.
func splitAlnum(in []token) []token {
	out := make([]token, 0, len(in))
	for _, t := range in {
		parts := alnumParts(t.text)
		if len(parts) == 1 {
			out = append(out, numbered(t))
			continue
		}
		for k, p := range parts {
			if k > 0 && isOrdinalSuffix(p) && isDigits(parts[k-1]) {
				out[len(out)-1].ord = true
				continue
			}
			out = append(out, numbered(token{text: p, start: t.start, end: t.end}))
		}
	}
	return out
}

func alnumParts(s string) []string {
	var parts []string
	last := 0
	for i := 1; i < len(s); i++ {
		if isDigitByte(s[i]) != isDigitByte(s[i-1]) && s[i] != '.' && s[i-1] != '.' {
			parts = append(parts, s[last:i])
			last = i
		}
	}
	parts = append(parts, s[last:])
	return mergePeriodNames(parts)
}

// mergePeriodNames joins "q" or "h" with the digit that follows: q3, h1.
func mergePeriodNames(parts []string) []string {
	out := parts[:0:0]
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if (p == "q" || p == "h") && i+1 < len(parts) && len(parts[i+1]) == 1 && isDigits(parts[i+1]) {
			p += parts[i+1]
			i++
		}
		out = append(out, p)
	}
	return out
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return true
}

func isOrdinalSuffix(s string) bool { return s == "st" || s == "nd" || s == "rd" || s == "th" }

func numbered(t token) token {
	if isDigits(t.text) && len(t.text) <= 6 {
		t.num, _ = strconv.Atoi(t.text)
		t.isNum = true
	}
	// A decimal ("2.5") is a number too; num keeps its whole part, and a
	// threshold reads the exact value from the question.
	if whole, frac, ok := strings.Cut(t.text, "."); ok && isDigits(whole) && isDigits(frac) && whole != "" && frac != "" && len(whole) <= 6 {
		t.num, _ = strconv.Atoi(whole)
		t.isNum = true
	}
	return t
}

// mergeRatioAbbrev reads "w/w", "m/m", "q/q", "y/y" and "d/d" as wow, mom,
// qoq, yoy and dod.
func mergeRatioAbbrev(in []token) []token {
	names := map[string]string{"w": "wow", "m": "mom", "q": "qoq", "y": "yoy", "d": "dod"}
	out := in[:0:0]
	for i := 0; i < len(in); i++ {
		if i+2 < len(in) && in[i+1].text == "/" && in[i].text == in[i+2].text && names[in[i].text] != "" {
			out = append(out, token{text: names[in[i].text], start: in[i].start, end: in[i+2].end})
			i += 2
			continue
		}
		out = append(out, in[i])
	}
	return out
}

// dropLooseSymbols keeps "-" after a number (ranges, ISO dates) and "/"
// between numbers (10/1); elsewhere they only separate words.
func dropLooseSymbols(in []token) []token {
	out := in[:0:0]
	for i, t := range in {
		prevNum := i > 0 && in[i-1].isNum
		nextNum := i+1 < len(in) && in[i+1].isNum
		switch {
		case t.text == "-" && !prevNum && !(i > 0 && i+1 < len(in) && isRangeEnd(in[i-1].text) && isRangeEnd(in[i+1].text)):
			continue
		case t.text == "/" && !(prevNum && nextNum):
			continue
		}
		out = append(out, t)
	}
	return out
}

// isRangeEnd reports a month or quarter name, which "-" joins into a range:
// "jan-mar", "q1-q3".
func isRangeEnd(w string) bool {
	if a, ok := abbrev(w); ok {
		w = a
	}
	_, m := monthNamed(w)
	_, q := quarterNames[w]
	return m || q
}

// abbrev expands a chat abbreviation or fixes a common typo that edit
// distance alone would not catch (or must not, for short words).
func abbrev(w string) (string, bool) {
	switch w {
	case "spnd", "spd":
		return "spend", true
	case "gogle", "googel", "gooogle", "googl", "goog":
		return "google", true
	case "facebok", "facbook", "fbook", "fcbk":
		return "facebook", true
	case "amzn", "amz":
		return "amazon", true
	case "yt":
		return "youtube", true
	case "wk":
		return "week", true
	case "wks":
		return "weeks", true
	case "wkly":
		return "weekly", true
	case "mo", "mnth", "mth":
		return "month", true
	case "mos", "mths", "mnths":
		return "months", true
	case "mthly":
		return "monthly", true
	case "yr":
		return "year", true
	case "yrs":
		return "years", true
	case "qtr":
		return "quarter", true
	case "qtrs":
		return "quarters", true
	case "yday", "yest", "ystd", "ytday":
		return "yesterday", true
	case "tdy", "tday":
		return "today", true
	case "lw", "lastweek":
		return "last week", true
	case "nonbrand", "nonbranded":
		return "non brand", true
	case "lm", "lastmonth":
		return "last month", true
	case "lq", "lastquarter":
		return "last quarter", true
	case "ly", "lastyear":
		return "last year", true
	case "tw", "thisweek":
		return "this week", true
	case "versus", "vrs", "vs":
		return "vs", true
	case "compair":
		return "compare", true
	case "comparision", "comparsion":
		return "comparison", true
	case "u":
		return "you", true
	case "ur":
		return "your", true
	case "r":
		return "are", true
	case "pls", "plz", "pl":
		return "please", true
	case "avg":
		return "average", true
	case "amt":
		return "amount", true
	case "cmpgn", "campgn", "camp":
		return "campaign", true
	case "cmpgns", "camps":
		return "campaigns", true
	case "cats":
		return "categories", true
	case "cat":
		return "category", true
	case "plat":
		return "platform", true
	case "plats":
		return "platforms", true
	case "cust", "custs":
		return "customers", true
	case "perf":
		return "performance", true
	case "eom":
		return "end of month", true
	case "mkt", "mktg":
		return "marketing", true
	case "whats":
		return "what is", true
	case "hows":
		return "how is", true
	case "wheres":
		return "where is", true
	case "thx", "ty", "lol":
		return "", true
	case "ecomm", "ecom":
		return "ecommerce", true
	case "retargetting", "remarketing":
		return "retargeting", true
	case "sept":
		return "sep", true
	case "tues", "tue":
		return "tuesday", true
	case "weds", "wed":
		return "wednesday", true
	case "thurs", "thu":
		return "thursday", true
	case "couple":
		return "2", true
	case "conv":
		return "conversion", true
	case "fortnight":
		return "14 days", true
	case "xmas":
		return "christmas", true
	case "cpo":
		return "cpa", true
	case "lst":
		return "last", true
	case "prev":
		return "previous", true
	case "tt":
		return "tiktok", true
	case "thismonth":
		return "this month", true
	case "thisquarter":
		return "this quarter", true
	case "thisyear":
		return "this year", true
	case "pastweek":
		return "past week", true
	case "pastmonth":
		return "past month", true
	case "wkend", "wknd", "wkd":
		return "weekend", true
	case "fri":
		return "friday", true
	}
	return "", false
}

// numberWords are spelled-out numbers people type.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "ninety": 90,
}

// expandAbbrevs applies abbrev and numberWords, plus the abbreviations
// that depend on a neighbouring number: "l7d" (last 7 days), "30d", "8w",
// and "v" for versus.
func expandAbbrevs(in []token) []token {
	out := make([]token, 0, len(in)+4)
	for i, t := range in {
		prevNum := i > 0 && in[i-1].isNum
		nextNum := i+1 < len(in) && in[i+1].isNum
		if rep, ok := contextualAbbrev(t.text, prevNum, nextNum); ok {
			t.text = rep
			out = append(out, t)
			continue
		}
		if n, ok := numberWords[t.text]; ok {
			t.text, t.num, t.isNum = strconv.Itoa(n), n, true
			out = append(out, t)
			continue
		}
		rep, ok := abbrev(t.text)
		if !ok {
			out = append(out, t)
			continue
		}
		out = appendWords(out, t, rep)
	}
	return dropArticleBeforeCount(out)
}

// contextualAbbrev expands the abbreviations that depend on a number
// before or after them.
func contextualAbbrev(w string, prevNum, nextNum bool) (string, bool) {
	switch {
	case w == "l" && nextNum:
		return "last", true
	case w == "v" && !nextNum:
		return "vs", true
	case prevNum && (w == "d" || w == "ds"):
		return "days", true
	case prevNum && (w == "w" || w == "wk" || w == "wks"):
		return "weeks", true
	case prevNum && (w == "m" || w == "mo" || w == "mos"):
		return "months", true
	case prevNum && (w == "y" || w == "yr" || w == "yrs"):
		return "years", true
	case prevNum && (w == "q" || w == "qtrs"):
		return "quarters", true
	}
	return "", false
}

func appendWords(out []token, t token, rep string) []token {
	for _, w := range strings.Fields(rep) {
		nt := numbered(token{text: w, start: t.start, end: t.end})
		out = append(out, nt)
	}
	return out
}

// dropArticleBeforeCount reads "a couple of weeks" as "2 weeks".
func dropArticleBeforeCount(in []token) []token {
	out := make([]token, 0, len(in))
	for i, t := range in {
		if (t.text == "a" || t.text == "of") && i+1 < len(in) && in[i+1].isNum && i > 0 && (in[i-1].text == "last" || in[i-1].text == "past") {
			continue
		}
		if t.text == "of" && i > 0 && in[i-1].isNum && i+1 < len(in) && isUnitWord(in[i+1].text) {
			continue
		}
		out = append(out, t)
	}
	return out
}

func isUnitWord(w string) bool {
	_, ok := unitWords[w]
	return ok
}

// unitWords map unit words onto calendar units.
var unitWords = map[string]calUnit{
	"day": unitDays, "days": unitDays, "week": unitWeek, "weeks": unitWeek, "month": unitMonth, "months": unitMonth,
	"quarter": unitQuarter, "quarters": unitQuarter, "year": unitYear, "years": unitYear,
	"hours": unitHours, "hrs": unitHours,
}
