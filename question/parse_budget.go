package question

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// IntentBudget asks where money should move, or what a change in one
// platform's spend would do: "where should we move $50K next month?",
// "what if we cut TTD by 20%?". The engine answers it from response curves
// fitted to the spend history.
const IntentBudget Intent = "budget"

// Move is what a budget question asks.
type Move struct {
	// Kind is MoveReallocate (move money between platforms, the total
	// unchanged), MoveAdd (where new money should go) or MoveScenario
	// (change one platform's spend, the others unchanged).
	Kind string `json:"kind"`
	// Amount is the money to move or add over the period; 0 for a
	// reallocation moves as much as raises the outcome.
	Amount float64 `json:"amount,omitempty"`
	// Platform, for a scenario, is the platform whose spend changes: by
	// Factor (0.8 for a 20% cut) or by Delta dollars over the period.
	Platform string  `json:"platform,omitempty"`
	Factor   float64 `json:"factor,omitempty"`
	Delta    float64 `json:"delta,omitempty"`
}

// The kinds of budget question.
const (
	MoveReallocate = "reallocate"
	MoveAdd        = "add"
	MoveScenario   = "scenario"
)

var (
	budgetMoney   = lazyre.New(`\$\s?(\d[\d,]*(?:\.\d+)?)\s?(k|m|mm|thousand|million|grand)?\b|\b(\d[\d,]*(?:\.\d+)?)\s?(k|m|mm|thousand|million|grand)\b`)
	budgetPercent = lazyre.New(`\b(\d+(?:\.\d+)?)\s?(%|percent\b|pct\b)`)
	// budgetWhere asks where money should go: "where should we move",
	// "where would the next $50K go", "how should we split the budget",
	// "which platform should get more".
	budgetWhere = lazyre.New(`\b(where (should|would|could|shall|ought|to|is the best place to)|(what'?s|what is) the best place to|how should (we|i)|which platforms? should)\b.*\b(move|moving|shift|shifting|put|putting|spend|invest|allocate|go|reallocate|rebalance|split|divide|get|do|work|return)\b`)
	// budgetRealloc names a reallocation outright.
	budgetRealloc = lazyre.New(`\b(reallocat\w*|re-allocat\w*|redistribut\w*|rebalanc\w*|budget moves?|optimi[sz]e (the |our )?(budget|spend|mix)|best (budget )?(mix|allocation))\b`)
	budgetAdd     = lazyre.New(`\b(next|extra|additional|another|incremental|new)\b\s*\$|\$\s?[\d.,]+\s?(k|m|thousand|million)?\s+(more|extra)\b|\b(more|extra|additional) money\b`)
	// budgetWhatIf is a what-if about what we do: "what if we cut",
	// "what happens if we increase"; not "what if ROAS drops".
	budgetWhatIf = lazyre.New(`\b(what if|what happens if|what would happen if|what happens when|what if i|if we were to|suppose) (we|i)\b`)
	// budgetShift moves money between named platforms: "move budget from
	// Meta to Google", "what if we shifted $50K from TTD to Google".
	budgetShift = lazyre.New(`\b(move|moved|moving|shift|shifted|shifting|reallocate|transfer|transferred)\b.*\bfrom\b.*\bto\b`)
	// budgetShould asks whether to change a platform's budget: "should we
	// increase Amazon's budget", "should we cut TikTok spend".
	budgetShould = lazyre.New(`\b(should|shall|do|would it make sense to|is it worth) (we|i)\b`)
	// budgetAway moves money off one platform, to wherever it does more.
	budgetAway  = lazyre.New(`\b(move|moving|shift|shifting|take|taking|pull|pulling|reallocate|reallocating)\b.*\b(away from|off|out of)\b`)
	budgetVerbs = map[string]float64{"cut": -1, "reduce": -1, "lower": -1, "trim": -1, "decrease": -1, "drop": -1, "pull": -1,
		"increase": 1, "raise": 1, "boost": 1, "add": 1, "grow": 1, "scale": 1, "double": 1, "halve": -1, "triple": 1}
)

// containsAny reports whether s holds any of subs.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// readBudget reads a budget question; ok is false for any other. It runs
// before the general grammar: its questions share words with others
// ("spend", "cut") but mean something else.
func readBudget(question string, today time.Time) (Request, bool) {
	q := strings.ToLower(strings.Join(strings.Fields(question), " "))
	q = strings.NewReplacer("’", "'", "the trade desk", "ttd", "tradedesk", "ttd").Replace(q)
	// Each pattern needs one of the words before it: most questions have
	// none, and do not make the patterns compile (see lazyre).
	whatIf := containsAny(q, "if ", "happen", "suppose") && budgetWhatIf.MatchString(q)
	verb, verbSign := budgetVerb(q)
	if verb == "pull" {
		verb = "pull back"
	}
	where := containsAny(q, "where ", "best place", "how should", "which platform") && budgetWhere.MatchString(q) &&
		(budgetMoney.MatchString(q) || strings.Contains(q, "budget") || strings.Contains(q, "money") || strings.Contains(q, "spend"))
	realloc := containsAny(q, "reallocat", "re-allocat", "redistribut", "rebalanc", "budget move", "optimi", "best ") && budgetRealloc.MatchString(q)
	money := budgetMoney.MatchString(q) || containsAny(q, "budget", "money", "spend")
	// Moving money between two named platforms, or asking whether to
	// change one's budget, is asked of the plan: where the curves say the
	// money does more.
	shift := containsAny(q, " from ") && money && budgetShift.MatchString(q) && len(budgetPlatforms(q)) >= 2
	should := verb != "" && verb != "pull back" && containsAny(q, "should", "shall", "do we", "do i", "worth", "make sense") && budgetShould.MatchString(q) && len(budgetPlatforms(q)) >= 1 &&
		(money || onlyPlatformsLeft(q))
	// Moving money away from one platform asks the plan where it does more:
	// "should we move budget away from TikTok?".
	away := money && containsAny(q, "away from", " off ", "out of") && budgetAway.MatchString(q) && len(budgetPlatforms(q)) >= 1
	if shift || should || away {
		whatIf, realloc = false, true
	}
	if !(whatIf && verb != "") && !where && !realloc {
		return Request{}, false
	}
	req := Request{Question: question, Intent: IntentBudget, Metrics: []model.MetricID{model.Spend, model.MROAS}, Filters: map[string][]string{}}
	req.Period, req.PeriodDefaulted = planningPeriod(q, today)
	platforms := budgetPlatforms(q)
	amount, hasAmount := budgetAmount(q)
	switch {
	case whatIf && verb != "":
		m := Move{Kind: MoveScenario}
		switch {
		case len(platforms) == 0:
			req.Clarify = fmt.Sprintf("Which platform would you %s? For example: what if we %s Meta by 20%%?", verb, verb)
		case len(platforms) > 1:
			req.Clarify = fmt.Sprintf("One platform at a time: what if we %s %s by 20%%?", verb, model.PlatformName(platforms[0]))
		}
		if len(platforms) > 0 {
			m.Platform = platforms[0]
			req.Filters[model.DimPlatform] = []string{m.Platform}
		}
		pct, hasPct := budgetPct(q)
		switch {
		case verb == "double":
			m.Factor = 2
		case verb == "triple":
			m.Factor = 3
		case verb == "halve":
			m.Factor = 0.5
		case hasPct:
			m.Factor = 1 + verbSign*pct
		case hasAmount:
			m.Delta = verbSign * amount
		case req.Clarify == "":
			req.Clarify = fmt.Sprintf("By how much would you %s %s: a share (by 20%%) or an amount (by $10K a month)?", verb, model.PlatformName(m.Platform))
		}
		if m.Factor < 0 {
			req.Clarify = fmt.Sprintf("A cut of more than 100%% leaves nothing to spend: did you mean %s %s by part of its spend, such as 20%%?", verb, model.PlatformName(m.Platform))
		}
		req.Move = &m
	default:
		m := Move{Kind: MoveReallocate}
		if budgetAdd.MatchString(q) {
			m.Kind = MoveAdd
			if !hasAmount {
				req.Clarify = "How much new money: where should the next $50K go next month?"
			}
		}
		if hasAmount {
			m.Amount = amount
		}
		if len(platforms) >= 2 {
			req.Filters[model.DimPlatform] = platforms
		}
		req.Move = &m
	}
	if len(req.Filters) == 0 {
		req.Filters = nil
	}
	if req.Clarify != "" {
		req.Suggestions = []string{"Where should we move $50K next month?", "What if we cut Meta by 20%?", "ROAS by platform last month"}
	}
	if req.PeriodDefaulted {
		req.Notes = append(req.Notes, "No period given: planned for "+req.Period.Label+".")
	}
	return req, true
}

// budgetVerb finds the verb of a what-if ("cut", "increase") and its sign.
func budgetVerb(q string) (string, float64) {
	for _, w := range strings.FieldsFunc(q, func(r rune) bool { return r == ' ' || r == ',' || r == '?' || r == '.' || r == '!' }) {
		if s, ok := budgetVerbs[w]; ok {
			return w, s
		}
	}
	return "", 0
}

// shouldFiller are the words of "should we cut TTD?" around its verb and
// platform: a question of nothing more asks about the platform's budget.
var shouldFiller = map[string]bool{"should": true, "shall": true, "we": true, "i": true, "do": true, "it": true, "on": true, "the": true, "our": true,
	"back": true, "down": true, "up": true, "more": true, "now": true}

// onlyPlatformsLeft reports whether q, its platforms, verb and filler words
// taken out, holds nothing: "should we cut ttd?", not "should we cut ttd's
// cpa?".
func onlyPlatformsLeft(q string) bool {
	rest := q
	for _, a := range model.PlatformAliases() {
		rest = regexp.MustCompile(`\b`+regexp.QuoteMeta(a[0])+`('s)?\b`).ReplaceAllString(rest, " ")
	}
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == ',' || r == '?' || r == '.' || r == '!' }) {
		if _, verb := budgetVerbs[w]; !verb && !shouldFiller[w] {
			return false
		}
	}
	return true
}

// budgetPlatforms lists the platforms named, in the order named.
func budgetPlatforms(q string) []string {
	type at struct {
		pos int
		id  string
	}
	var found []at
	taken := make([]bool, len(q))
	for _, a := range model.PlatformAliases() {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(a[0]) + `\b`)
		for _, loc := range re.FindAllStringIndex(q, -1) {
			if slices.Contains(taken[loc[0]:loc[1]], true) {
				continue
			}
			for i := loc[0]; i < loc[1]; i++ {
				taken[i] = true
			}
			found = append(found, at{loc[0], a[1]})
		}
	}
	slices.SortFunc(found, func(a, b at) int { return a.pos - b.pos })
	var out []string
	for _, f := range found {
		if !slices.Contains(out, f.id) {
			out = append(out, f.id)
		}
	}
	return out
}

// budgetAmount reads the money in the question: "$50K", "50k", "$1.2m",
// "$50,000".
func budgetAmount(q string) (float64, bool) {
	m := budgetMoney.FindStringSubmatch(q)
	if m == nil {
		return 0, false
	}
	num, unit := m[1], m[2]
	if num == "" {
		num, unit = m[3], m[4]
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
	if err != nil || v <= 0 {
		return 0, false
	}
	switch unit {
	case "k", "thousand", "grand":
		v *= 1e3
	case "m", "mm", "million":
		v *= 1e6
	}
	return v, true
}

// budgetPct reads a share: "20%", "20 percent", as a fraction.
func budgetPct(q string) (float64, bool) {
	m := budgetPercent.FindStringSubmatch(q)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v / 100, err == nil
}

// planningPeriod is the period the plan is for: next week, month or
// quarter as said, else next month.
func planningPeriod(q string, today time.Time) (period.Period, bool) {
	today = period.Day(today)
	units := []struct {
		words []string
		unit  period.Unit
		label string
	}{
		{[]string{"next week", "coming week"}, period.Weeks, "next week"},
		{[]string{"next quarter", "coming quarter", "next q"}, period.Quarters, "next quarter"},
		{[]string{"next month", "coming month"}, period.Months, "next month"},
		{[]string{"this quarter", "rest of the quarter"}, period.Quarters, "this quarter"},
		{[]string{"this month", "rest of the month"}, period.Months, "this month"},
	}
	for _, u := range units {
		for _, w := range u.words {
			if !regexp.MustCompile(`\b` + w + `\b`).MatchString(q) {
				continue
			}
			start := u.unit.Add(u.unit.Start(today), 1)
			if strings.HasPrefix(u.label, "this") {
				start = u.unit.Start(today)
			}
			return period.Period{Start: start, End: u.unit.Add(start, 1).AddDate(0, 0, -1), Label: u.label}, false
		}
	}
	for _, w := range strings.FieldsFunc(q, func(r rune) bool { return r == ' ' || r == ',' || r == '?' || r == '.' || r == '!' }) {
		// "an extra $100k in December": that month, this one or the next
		// of its name.
		if m, ok := monthNamed(w); ok && w != "may" {
			y := today.Year()
			if m < today.Month() {
				y++
			}
			start := civil(y, m, 1)
			return period.Period{Start: start, End: start.AddDate(0, 1, -1), Label: start.Format("January 2006")}, false
		}
	}
	if today.Day() == 1 {
		// On the first, the month ahead is this one: on Dec 1, December.
		start := period.MonthStart(today)
		return period.Period{Start: start, End: period.Months.Add(start, 1).AddDate(0, 0, -1), Label: "this month"}, true
	}
	start := period.Months.Add(period.MonthStart(today), 1)
	return period.Period{Start: start, End: period.Months.Add(start, 1).AddDate(0, 0, -1), Label: "next month"}, true
}
