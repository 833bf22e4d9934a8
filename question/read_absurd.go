package question

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// What the store does not hold, and inputs no one can mean: the questions
// a confident answer would answer wrongly. Each is asked back, with what is
// there instead, rather than answered as a neighbouring question.

// notHeld words what the store lacks for a measurement a question asks
// about (the arg of a kwNotHeld phrase), and what it has instead.
//
// A marketing-mix model is held: its results are imported and read with
// the tests (marginal ROAS). No measurement is listed today; the table is
// where one the store lacks goes.
var notHeld = map[string]struct{ missing, instead string }{}

// blendedMER is what notHeld's answers add when the reader may see MER.
const blendedMER = ", blended MER from business revenue"

// clarifyNotHeld asks back, saying what is missing and what is there, when
// the question is about a measurement the store does not hold: never the
// neighbouring metric ("incremental ROAS" is not ROAS).
func clarifyNotHeld(req *Request, sd *said) {
	if len(sd.notHeld) == 0 {
		return
	}
	nh := notHeld[sd.notHeld[0]]
	req.Intent, req.Metrics, req.MetricsDefaulted, req.Compare = IntentUnknown, nil, false, nil
	p := suggestionPeriod(req)
	mer := blendedMER
	req.Suggestions = []string{"ROAS by platform " + p, "MER " + p, "brand lift results"}
	if slices.Contains(req.Hidden, model.MER) {
		mer = ""
		req.Suggestions = []string{"ROAS by platform " + p, "revenue by platform " + p, "brand lift results"}
	}
	req.Clarify = nh.missing + "; " + fmt.Sprintf(nh.instead, mer) + ". Show one of those instead?"
}

// Numbers and dates no one can mean. Those Needing a byte are not
// compiled for a question without it: compiling them was 30 of the 1,680
// page faults of `sowhat ask "top 5 campaigns by roas last month"`.
var (
	isoDate   = lazyre.Needing(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`, "-")
	slashDate = lazyre.Needing(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`, "/")
	monthDay  = lazyre.New(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.? (\d{1,2})(?:st|nd|rd|th)?\b`)
	exponent  = lazyre.Needing(`(?i)(?:^|[^\w.])\$?(\d+(?:\.\d+)?e[+-]?\d+)\b`, "eE")
	bigNumber = lazyre.New(`\d[\d,]{13,}`)
	spanCount = lazyre.New(`(?i)\b(?:last|past|previous|prior|trailing|next|over|in)\s+(?:the\s+)?(\d[\d,]*)\s*(days?|d|weeks?|wks?|w|months?|mos?|m|quarters?|qtrs?|q|years?|yrs?|y)\b`)
	// emptySpan is a span of no days, or fewer: "the last 0 days".
	emptySpan = lazyre.Needing(`(?i)\b(?:last|past|previous|prior|trailing|next)\s+(?:the\s+)?(-\s*\d+|0+)\s*(?:days?|weeks?|months?|quarters?|years?|d|w|m|q|y)\b`, "-0")
	// negativeBound is a threshold below zero on a metric that never is.
	negativeBound = lazyre.Needing(`(?i)(?:\b(?:above|over|below|under|than|least|most|exceeding)|[<>]=?)\s*\$?\s*(-\s*\d[\d,.]*)(?:\s|$|[^\d%])`, "-")
	// rankCount is how many a ranking asks for.
	rankCount = lazyre.New(`(?i)\b(?:top|bottom|best|worst|first|highest|lowest)\s+(\d[\d,]*)\b`)
	// yearWord is a year said as one, for a period.
	yearWord = lazyre.New(`(?i)\b(?:in|for|during|since|from|of|year|fy)\s+(\d{1,4})\b(?:\s*$|[^\d/-])`)
	// amountOrMonths is a number written with a bare "m": $31M or 31
	// months, unless a period word before it says which.
	amountOrMonths = lazyre.New(`(?i)(^|[^\w$.,])(\d+(?:\.\d+)?)m\b`)
	periodLead     = lazyre.New(`(?i)\b(?:last|past|previous|prior|trailing|next)\s*(?:the\s+)?$`)
)

// maxRanked bounds a "top N": more rows than any account has campaigns.
const maxRanked = 100000

// maxSpanDays bounds a "last N days" a question can mean: a century.
const maxSpanDays = 36525

// spanUnitDays is the length of a period unit, in days, as written.
func spanUnitDays(unit string) float64 {
	switch strings.ToLower(unit)[0] {
	case 'w':
		return 7
	case 'm':
		return 30.4
	case 'q':
		return 91.3
	case 'y':
		return 365.25
	}
	return 1
}

// absurdInput returns the question to ask back about a date that does not
// exist, a number too large to mean anything, a span longer than any data,
// or a number that reads as money or as months, and whether it is about
// the period; "" when there is none.
func absurdInput(q string) (string, bool) {
	if !strings.ContainsAny(q, "0123456789") {
		return "", false // every pattern below needs a digit (\d is ASCII)
	}
	for _, m := range isoDate.FindAllStringSubmatch(q, -1) {
		if msg := badDate(m[0], atoi(m[1]), atoi(m[2]), atoi(m[3])); msg != "" {
			return msg, true
		}
		if y := atoi(m[1]); y < 1990 || y > 2100 {
			return fmt.Sprintf("%s is outside any data: the year %d is no year sowhat has data for. Which day do you mean?", m[0], y), true
		}
	}
	for _, m := range slashDate.FindAllStringSubmatch(q, -1) {
		if msg := badDate(m[0], atoi(m[3]), atoi(m[1]), atoi(m[2])); msg != "" && badDate(m[0], atoi(m[3]), atoi(m[2]), atoi(m[1])) != "" {
			return msg, true // neither month/day nor day/month
		}
	}
	for _, m := range monthDay.FindAllStringSubmatch(q, -1) {
		month := monthNumber(m[1])
		if month > 0 && atoi(m[2]) > 0 {
			if msg := badDate(m[0], 2024, month, atoi(m[2])); msg != "" { // a leap year: Feb 29 may exist
				return msg, true
			}
		}
	}
	if m := exponent.FindStringSubmatch(q); m != nil {
		return fmt.Sprintf("I can't use %q as a number: write it in full, as $40 or $1.5M. What amount do you mean?", m[1]), false
	}
	if m := bigNumber.FindString(q); m != "" {
		return fmt.Sprintf("%s is larger than any figure in marketing data, so I won't guess what it stands for. What amount do you mean?", m), false
	}
	for _, m := range spanCount.FindAllStringSubmatch(q, -1) {
		n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
		if err != nil || n*spanUnitDays(m[2]) > maxSpanDays {
			return fmt.Sprintf("%q reaches back further than any data could: the data covers a few years at most. Which period do you mean: the last 12 months, this year, or since a date?", strings.TrimSpace(m[0])), true
		}
	}
	if m := emptySpan.FindStringSubmatch(q); m != nil {
		return fmt.Sprintf("%q is no period: it covers no days. Which period do you mean: yesterday, last week, or the last 30 days?", strings.TrimSpace(m[0])), true
	}
	if m := negativeBound.FindStringSubmatch(q); m != nil {
		return fmt.Sprintf("I can't use %s as a threshold: spend, ROAS and the other metrics are never below zero. What threshold do you mean?", strings.ReplaceAll(m[1], " ", "")), false
	}
	for _, m := range rankCount.FindAllStringSubmatch(q, -1) {
		if n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); err != nil || n == 0 || n > maxRanked {
			return fmt.Sprintf("%q asks for %s: how many do you want ranked? Say \"top 5\", or \"all\" for every one.", m[0], map[bool]string{true: "none", false: "more than any account has"}[n == 0]), false
		}
	}
	for _, m := range yearWord.FindAllStringSubmatch(q, -1) {
		if y := atoi(m[1]); y >= 0 && (y < 2000 || y > 2099) && (len(m[1]) == 4 || y == 0) {
			return fmt.Sprintf("I can't read %s as a year of data: no data reaches it. Which period do you mean?", m[1]), true
		}
	}
	for _, m := range amountOrMonths.FindAllStringSubmatchIndex(q, -1) {
		if periodLead.MatchString(q[:m[4]]) {
			continue // "last 3m": months
		}
		n := q[m[4]:m[5]]
		return fmt.Sprintf("Does %q mean $%sM or %s months? Say \"$%sM\" for an amount or \"the last %s months\" for a period.", n+"m", n, n, n, n), true
	}
	return "", false
}

// badDate says why year-month-day is not a date, or "" when it is one.
func badDate(said string, y, m, d int) string {
	if m < 1 || m > 12 {
		return fmt.Sprintf("%s is not a date: there is no month %d. Which day do you mean?", said, m)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d >= 1 && t.Day() == d {
		return ""
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	days := strconv.Itoa(last)
	if m == 2 && !strings.Contains(said, strconv.Itoa(y)) {
		days = "28 (29 in a leap year)"
	}
	return fmt.Sprintf("%s is not a date: %s has %s days. Which day do you mean?", said, monthOfYear(said, y, m), days)
}

// monthOfYear names the month of a bad date, with its year when the date
// gave one.
func monthOfYear(said string, y, m int) string {
	name := time.Month(m).String()
	if strings.Contains(said, strconv.Itoa(y)) {
		return name + " " + strconv.Itoa(y)
	}
	return name
}

func monthNumber(s string) int {
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), strings.ToLower(s[:3])) {
			return int(m)
		}
	}
	return 0
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// clarifyAbsurd asks back about an input no one can mean, whatever else
// was read: an answer to it would answer a different question. A period
// read around it is not settled, and not shown as understood.
func clarifyAbsurd(req *Request, q string) {
	msg, aboutPeriod := absurdInput(q)
	if msg == "" {
		return
	}
	req.Clarify = msg
	req.Having = nil
	if aboutPeriod {
		req.PeriodDefaulted, req.Compare = true, nil
		req.Notes = slices.DeleteFunc(req.Notes, func(n string) bool { return strings.HasPrefix(n, "No period given") })
	}
	m := metricName(firstOr(req.Metrics, model.Spend))
	req.Suggestions = []string{m + " last week", m + " last 30 days", m + " this year"}
}

// adWords follow the name of an ad platform: "Acme Ads", "Acme advertising".
var adWords = map[string]bool{"ads": true, "ad": true, "advertising": true}

// isGenericAdWord reports a word that says what kind of ads, not whose:
// "search ads", "our ads".
func isGenericAdWord(w string) bool {
	switch w {
	case "new", "old", "our", "your", "their", "my", "paid", "search", "social", "display", "video", "shopping",
		"native", "digital", "online", "brand", "branded", "retargeting", "prospecting", "top", "best", "worst",
		"these", "those", "which", "what", "running", "active", "live", "current", "all", "any", "many", "more",
		"most", "fewer", "less", "some", "other", "such", "same", "each", "every", "text", "image", "static",
		"dynamic", "responsive", "performance", "sponsored", "mobile", "app", "desktop", "tv", "ctv", "audio",
		"podcast", "radio", "print", "outdoor", "ooh", "banner", "carousel", "story", "stories", "reels",
		"remarketing", "local", "holiday", "seasonal", "sale", "promo", "promotional", "awareness", "conversion",
		"traffic", "good", "bad", "cheap", "expensive", "underperforming", "winning", "losing", "meta-owned",
		"platform", "platforms", "channel", "channels", "campaign", "campaigns", "category", "categories":
		return true
	}
	return false
}

// unknownAdPlatforms are the words sowhat knows nothing of said as the
// name of an ad platform ("spend on Acme Ads"): a platform never imported,
// named as the platforms sowhat has no data for are.
func (fd *found) unknownAdPlatforms() []string {
	var out []string
	for k := 0; k+1 < len(fd.toks); k++ {
		t := fd.toks[k]
		if !adWords[fd.toks[k+1].text] || t.isNum || len(t.text) < 3 || isStopWord(t.text) || isGenericAdWord(t.text) || t.dist > 0 {
			continue
		}
		if _, known := fd.hitAt(k); known || strings.ContainsAny(t.text, "-/%") {
			continue
		}
		out = appendNew(out, strings.ToUpper(t.text[:1])+t.text[1:]+" Ads")
	}
	return out
}

// metricShapes are words that make a metric of the word beside them:
// "cost per download", "spend per subscriber", "download rate", "LTV ratio".
var (
	perHeads  = map[string]bool{"cost": true, "spend": true, "price": true, "revenue": true}
	rateTails = map[string]bool{"rate": true, "ratio": true}
)

// unknownMetric returns a metric said in the shape of one ("cost per X",
// "X rate") whose X sowhat knows nothing of, or "" when there is none: a
// question about it is not a question about spend.
func (fd *found) unknownMetric() string {
	unknown := func(k int) bool {
		if k < 0 || k >= len(fd.toks) {
			return false
		}
		t := fd.toks[k]
		_, known := fd.hitAt(k)
		return !known && !t.isNum && len(t.text) >= 3 && !isStopWord(t.text) && t.dist == 0 && !strings.ContainsAny(t.text, "-/%")
	}
	for k, t := range fd.toks {
		if _, known := fd.hitAt(k); known && !perHeads[t.text] && !rateTails[t.text] {
			continue
		}
		switch {
		case perHeads[t.text] && k+2 < len(fd.toks) && fd.toks[k+1].text == "per" && unknown(k+2):
			name := t.text + " per " + fd.toks[k+2].text
			if unknown(k + 3) {
				name += " " + fd.toks[k+3].text // "cost per engaged visitor"
			}
			return name
		case rateTails[t.text] && unknown(k-1):
			if _, known := fd.hitAt(k); known {
				continue // "conversion rate" is a metric
			}
			return fd.toks[k-1].text + " " + t.text
		}
	}
	return ""
}

// heldMeasures says what the store holds, for a question about a metric it
// does not.
func heldMeasures(hidden []model.MetricID) string {
	var names []string
	for _, m := range madeMeasures {
		if !slices.Contains(hidden, m.id) {
			names = append(names, m.word)
		}
	}
	return "the data holds spend, impressions, clicks, conversions, revenue and new customers (store visits, engagements and video views where platforms report them), and what they make: " + wording.JoinAnd(names)
}

// madeMeasures are the metrics heldMeasures lists as made from the sums.
var madeMeasures = []struct {
	id   model.MetricID
	word string
}{{model.CPA, "CPA"}, {model.CPC, "CPC"}, {model.CPM, "CPM"}, {model.CTR, "CTR"}, {model.CVR, "conversion rate"}, {model.ROAS, "ROAS"}, {model.AOV, "AOV"}, {model.CAC, "CAC"}, {model.MER, "MER"}}

// clarifyUnknownMetric asks back about a metric-shaped phrase sowhat has
// no metric for, rather than answer the metric word beside it.
func clarifyUnknownMetric(req *Request, fd *found, sd *said) {
	if len(sd.notHeld) > 0 || len(sd.unsupported) > 0 {
		return
	}
	name := fd.unknownMetric()
	if name == "" {
		return
	}
	req.Intent, req.Metrics, req.MetricsDefaulted, req.Compare = IntentUnknown, nil, false, nil
	req.Clarify = fmt.Sprintf("sowhat has no %q metric: %s. Which of those do you mean?", name, heldMeasures(req.Hidden))
	p := suggestionPeriod(req)
	req.Suggestions = []string{"CPA " + p, "conversion rate " + p, "ROAS " + p}
}
