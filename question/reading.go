package question

import (
	"fmt"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// reading is what the stages read in one question, before the last one
// makes it a Request: each embedded part is one stage's output.
type reading struct {
	found
	said
	today      time.Time
	fiscal     *period.Calendar // the business's fiscal calendar, or nil
	periodPair periodPair
	th         threshold
	none       []model.MetricID // "no conversions": the groups with none
	groupBy    []string
	intent     Intent
	remarks
}

// newReading runs the stages of reading a question in order, each on what
// the stages before it gave (see the package documentation): words,
// entities, what was said, periods and threshold, grouping, intent.
func newReading(question string, today time.Time, vocab Vocabulary, opt Options) *reading {
	base := baseLexicon()
	w, vlx := readVocabWords(question, base, vocab)
	rd := &reading{today: today, fiscal: opt.Fiscal}
	if w.cut {
		rd.note(fmt.Sprintf("Only the first %d words were read.", maxTokens))
	}
	rd.found = findEntities(w, newPeriodScan(w.toks, today, opt.Fiscal), vocab, base, vlx)

	rd.said = collectSaid(&rd.found)
	rd.hostile = rd.hostile || looksLikeSQL(question, rd.toks) || looksLikeInjection(rd.toks)
	askOddPeriod(&rd.said, &rd.remarks)
	askUnreadPeriod(&rd.found, &rd.remarks)

	settleYears(&rd.found, &rd.said, today)
	rd.th = readThreshold(&rd.found, &rd.said)
	rd.none = readNone(&rd.found)
	checkSince(&rd.found, &rd.remarks)
	rd.periodPair = pairPeriods(&rd.found, &rd.said)

	rd.groupBy, rd.grain = readGroupBy(&rd.found, &rd.said)
	rd.intent = chooseIntent(&rd.said, rd.groupBy, rd.periodPair)
	return rd
}

// looksLikeSQL catches SQL and script text that has no keyword of its own.
func looksLikeSQL(q string, toks []token) bool {
	lq := strings.ToLower(q)
	for _, s := range []string{"--", "';", "/*", "<script", "1=1", "' or '", "xp_"} {
		if strings.Contains(lq, s) {
			return true
		}
	}
	has := map[string]bool{}
	for _, t := range toks {
		has[t.text] = true
	}
	return has["select"] && (has["from"] || strings.Contains(lq, "*")) || has["update"] && has["set"] ||
		has["insert"] && has["into"]
}

// askOddPeriod asks for the dates of the first period that cannot be read
// as said: Prime Day moves every year, and a fiscal year is read as the
// calendar year.
func askOddPeriod(sd *said, rm *remarks) {
	if len(sd.oddPeriods) == 0 {
		return
	}
	if s := sd.oddPeriods[0].span; s.holiday == "prime_day" {
		rm.ask("Prime Day moves every year: which dates? For example \"{m} jul 8-11 2025\".",
			"{m} jul 8-11 2025", "{m} last July", "{m} last 30 days")
	} else {
		rm.ask(fmt.Sprintf("sowhat reports calendar periods: is %s (calendar) what you mean?", s.Label),
			"{m} "+s.Label, "{m} this year to date", "{m} last year")
	}
}

// adDims are the dimensions that only ad data has.
var adDims = map[string]bool{"platform": true, "campaign": true, "campaign_type": true, "category": true, "region": true}

// byAdDimension reports whether the question is about one part of the ad
// side: a platform, campaign, type, category or region.
func byAdDimension(filters map[string][]string, groupBy []string) bool {
	for d := range filters {
		if adDims[d] {
			return true
		}
	}
	for _, d := range groupBy {
		if adDims[d] {
			return true
		}
	}
	return false
}

func (sd *said) filterMap() map[string][]string {
	if len(sd.filters) == 0 {
		return nil
	}
	out := make(map[string][]string, len(sd.filters))
	for d, v := range sd.filters {
		out[d] = append([]string(nil), v...)
	}
	return out
}
