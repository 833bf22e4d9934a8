package reports

import (
	"context"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// The property test asks the demo data a grid of typical questions, as each
// executive would, on several days, and checks what must hold of every
// answer and every digest whatever the figures.

// propertyDemoAsOf is the day the property test's demo data is built for:
// late enough that every day of the grid has its data.
var propertyDemoAsOf = time.Date(2026, 12, 29, 0, 0, 0, 0, time.UTC)

// propertyDays are the days the grid is asked on: a month's first day
// (which is also the Monday after Cyber Monday), the Monday of the
// Thanksgiving week, mid-month, the Monday after Christmas, and a quiet
// month's first day.
var propertyDays = []string{"2026-12-01", "2026-11-23", "2026-11-16", "2026-12-28", "2026-06-01"}

// propertyQuestions are typical questions across every intent, each with
// the audience who would ask it.
var propertyQuestions = []struct{ q, audience string }{
	{"what did we spend yesterday", "cfo"},
	{"ROAS mtd", "cmo"},
	{"spend excluding Meta last month", "cfo"},
	{"meta cpa last week", "team"},
	{"What was our blended CAC last month?", "cfo"},
	{"MER last month", "ceo"},
	{"revenue last month", "ceo"},
	{"CTR last week", "cmo"},
	{"store visits last week", "stores"},
	{"How did Meta ROAS change last week?", "cmo"},
	{"compare google and meta roas last month", "team"},
	{"spend vs last month", "cfo"},
	{"did meta cpa improve last week", "team"},
	{"revenue yoy", "ceo"},
	{"cac vs last year", "cfo"},
	{"spend last 30 days vs the previous period", "cfo"},
	{"how did electronics do last month vs the month before", "merchandising"},
	{"google ads cpa last month vs the month before", "team"},
	{"spend by platform last week", "cmo"},
	{"ROAS by category last month", "merchandising"},
	{"CPA by platform last month", "team"},
	{"CAC by platform last quarter", "cfo"},
	{"store visits by region last week", "stores"},
	{"spend by campaign type last month", "cmo"},
	{"business revenue by channel last month", "ceo"},
	{"ROAS by platform last week", "cfo"},
	{"cost per store visit by platform last month", "stores"},
	{"CTR by platform last week", "cmo"},
	{"top 3 campaigns by revenue last month", "cmo"},
	{"worst category by ROAS last month", "merchandising"},
	{"which categories grew the most vs last month", "merchandising"},
	{"which campaign's cpa increased the most last week", "team"},
	{"campaigns with CPA above $40 last week", "team"},
	{"top 5 campaigns by CPA last month", "team"},
	{"best platform by roas last week", "cfo"},
	{"weekly spend trend for Meta over the last 8 weeks", "cmo"},
	{"daily roas last 14 days", "team"},
	{"weekly store visits trend", "stores"},
	{"monthly business revenue trend this year", "ceo"},
	{"why did CPA go up last week", "team"},
	{"why did meta roas drop last week", "cmo"},
	{"why did ROAS change last month", "merchandising"},
	{"are we on budget this month?", "cfo"},
	{"budget pacing by platform", "team"},
	{"brand lift studies", "cmo"},
	{"how did the tiktok brand lift study do", "cmo"},
	{"what's Meta's incremental ROAS?", "cfo"},
	{"is Google really driving sales?", "cmo"},
	{"how much of Criteo's reported revenue is incremental?", "cfo"},
	{"which channels have we never tested?", "cfo"},
	{"help", "ceo"},
	{"spend by region last month", "stores"},
}

var (
	propOnce sync.Once
	propPath string
	propErr  error
)

// propertyEngine builds the demo database once per test binary.
func propertyEngine(t *testing.T) *intents.Engine {
	t.Helper()
	propOnce.Do(func() {
		var dir string
		if dir, propErr = os.MkdirTemp("", "reports-property-"); propErr == nil {
			propPath, propErr = generateDemo(dir, propertyDemoAsOf)
		}
	})
	if propErr != nil {
		t.Fatalf("build demo database: %v", propErr)
	}
	return engine(openStore(t, propPath))
}

// rawIDs are the ids that must never reach people: platform ids that are
// not their display name, campaign-type ids, metric ids with an underscore
// and brand-lift metric ids.
func rawIDs() []string {
	var ids []string
	for _, p := range model.Platforms {
		if p.ID != p.Name {
			ids = append(ids, p.ID)
		}
	}
	ids = append(ids, "sponsored_products", "sponsored_brands", "sponsored_display", "performance_max", "store_traffic", "ctv", "ad_recall", "purchase_intent")
	for _, mt := range model.Metrics() {
		if strings.Contains(string(mt.ID), "_") {
			ids = append(ids, string(mt.ID))
		}
	}
	return ids
}

var (
	// An id as a word of its own, case-sensitive: "meta" but not "Meta".
	idPattern = func() *regexp.Regexp {
		ids := rawIDs()
		for i, id := range ids {
			ids[i] = regexp.QuoteMeta(id)
		}
		return regexp.MustCompile(`(?:^|[^\w.-])(` + strings.Join(ids, "|") + `)(?:[^\w-]|$)`)
	}()
	doubledPossessive = regexp.MustCompile(`s's\b`)
	negativeZero      = regexp.MustCompile(`-\$?0(?:\.0+)?(?:%| pts|x)?(?:[^\d.]|$)`)
	// A figure with one decimal and a unit: "+30.3%", "2.31x", "$8.55".
	figure = regexp.MustCompile(`[+-]?\$?\d[\d,]*\.\d+(?:%|x| pts)?`)
)

// textProblems lists what text must never hold. It leaves out the question
// as asked (the user's words) and the commands people type.
func textProblems(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if m := idPattern.FindStringSubmatch(line); m != nil {
			out = append(out, fmt.Sprintf("raw id %q in %q", m[1], line))
		}
		if doubledPossessive.MatchString(line) {
			out = append(out, fmt.Sprintf("doubled possessive in %q", line))
		}
		if m := negativeZero.FindString(line); m != "" {
			out = append(out, fmt.Sprintf("negative zero %q in %q", strings.TrimSpace(m), line))
		}
	}
	return out
}

// roundingProblems finds one figure written with two roundings in one
// message: for each of the answer's values and changes, a written figure of
// the same unit and precision that is a different rounding of it ("+30.3%"
// and "+30.4%" for a change of +30.35%).
//
// A neighbouring figure that is itself the rendering of another of the
// message's values (two rows at 2.73x and 2.74x) is not a second rounding.
func roundingProblems(text string, as ...model.Answer) []string {
	written := map[string]bool{}
	for _, f := range figure.FindAllString(text, -1) {
		written[f] = true
	}
	canonical := map[string]bool{}
	eachFigure(as, func(m model.MetricID, cur, old *float64) {
		canonical[wording.Metric(m, cur)] = true
		canonical[wording.Metric(m, old)] = true
		canonical[wording.Change(m, cur, old)] = true
	})
	var out []string
	eachFigure(as, func(m model.MetricID, cur, old *float64) {
		for _, s := range []string{wording.Metric(m, cur), wording.Change(m, cur, old)} {
			if !written[s] {
				continue
			}
			for _, alt := range neighbours(s) {
				if written[alt] && !canonical[alt] && sameFigure(s, alt, m, cur, old) {
					out = append(out, fmt.Sprintf("%s written both %s and %s", wording.MetricName(m), s, alt))
				}
			}
		}
	})
	return out
}

// eachFigure calls fn with every metric's value and compared value of
// every answer's total and rows.
func eachFigure(as []model.Answer, fn func(m model.MetricID, cur, old *float64)) {
	for _, a := range as {
		for _, r := range append([]model.Row{{Values: a.Total.Values, CompareValues: a.Total.CompareValues}}, a.Rows...) {
			for _, m := range a.Metrics {
				fn(m, r.Values[m], r.CompareValues[m])
			}
		}
	}
}

// neighbours are a written figure with its last digit one up and one down.
func neighbours(s string) []string {
	i := strings.LastIndexAny(s, "0123456789")
	if i < 0 {
		return nil
	}
	j := strings.LastIndex(s[:i+1], ".")
	if j < 0 {
		return nil
	}
	digits := strings.NewReplacer(",", "", "$", "", "+", "", "-", "").Replace(s[:i+1])
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return nil
	}
	dec := i - j
	step := math.Pow(10, -float64(dec))
	var out []string
	for _, d := range []float64{-step, step} {
		n := strconv.FormatFloat(v+d, 'f', dec, 64)
		if strings.Contains(s[:i+1], ",") {
			continue // big figures with commas are whole; leave them
		}
		out = append(out, strings.Replace(s, s[:i+1], strings.TrimRight(s[:i+1], "0123456789.")+n, 1))
	}
	return out
}

// sameFigure reports whether alt is another rounding of the figure s
// writes.
func sameFigure(s, alt string, m model.MetricID, cur, old *float64) bool {
	parse := func(x string) float64 {
		v, _ := strconv.ParseFloat(strings.NewReplacer(",", "", "$", "", "+", "", "%", "", "x", "", " pts", "").Replace(x), 64)
		return v
	}
	truth := math.NaN()
	if s == wording.Metric(m, cur) && cur != nil {
		truth = *cur
		if mt, _ := model.LookupMetric(m); mt.Unit == model.UnitPercent {
			truth *= 100
		}
	} else if rel, ok := wording.RelChange(cur, old); ok && strings.HasSuffix(s, "%") {
		truth = rel * 100
	}
	if math.IsNaN(truth) {
		return false
	}
	// Both are roundings of the truth to the same precision: each within
	// half a step of it (30.35% written 30.3% and 30.4%).
	step := math.Abs(parse(s) - parse(alt))
	return math.Abs(math.Abs(parse(alt))-math.Abs(truth)) <= step/2+1e-9
}

// totalOutsideRows says when a ratio's total lies outside the range of the
// rows it is computed over: rows that split one population (a breakdown by
// one dimension, a trend's periods).
func totalOutsideRows(a model.Answer) []string {
	if a.Clarify != "" || len(a.GroupBy) != 1 || len(a.Rows) < 2 {
		return nil
	}
	if a.Intent != "breakdown" && a.Intent != "trend" {
		return nil // top and why list some rows, not a partition
	}
	var out []string
	for _, m := range a.Metrics {
		mt, ok := model.LookupMetric(m)
		if !ok || mt.Ratio == nil {
			continue // additive sums: rows are parts of the total
		}
		t := a.Total.Values[m]
		if t == nil {
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, r := range a.Rows {
			if v := r.Values[m]; v != nil {
				lo, hi = math.Min(lo, *v), math.Max(hi, *v)
			}
		}
		eps := 1e-9 * math.Max(1, math.Abs(*t))
		if !math.IsInf(lo, 0) && (*t < lo-eps || *t > hi+eps) {
			out = append(out, fmt.Sprintf("total %s %s outside its rows' range %s – %s", wording.MetricName(m), wording.Metric(m, t), wording.Metric(m, &lo), wording.Metric(m, &hi)))
		}
	}
	return out
}

func TestPropertyAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("the grid asks hundreds of questions")
	}
	e := propertyEngine(t)
	ctx := context.Background()
	for _, day := range propertyDays {
		asOf, _ := time.Parse(time.DateOnly, day)
		for _, pq := range propertyQuestions {
			a, _, err := e.Ask(ctx, pq.q, asOf, pq.audience)
			if err != nil {
				t.Errorf("%s as of %s (%s): %v", pq.q, day, pq.audience, err)
				continue
			}
			text := wording.Text(a)
			var problems []string
			problems = append(problems, totalOutsideRows(a)...)
			problems = append(problems, textProblems(text)...)
			problems = append(problems, roundingProblems(text, a)...)
			for _, p := range problems {
				t.Errorf("%q as of %s (%s): %s", pq.q, day, pq.audience, p)
			}
		}
	}
}

func TestPropertyDigests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every digest on every day of the grid")
	}
	b := NewBuilder(propertyEngine(t), fakeChart, quietLog())
	for _, day := range propertyDays {
		asOf, _ := time.Parse(time.DateOnly, day)
		for _, aud := range model.Audiences {
			d, err := b.Build(context.Background(), PreviewConfig(aud), asOf)
			if err != nil {
				t.Errorf("%s digest as of %s: %v", aud, day, err)
				continue
			}
			text := Text(d)
			if n := Lines(text); n > LineBudget {
				t.Errorf("%s digest as of %s is %d lines, over its budget of %d:\n%s", aud, day, n, LineBudget, text)
			}
			var problems []string
			problems = append(problems, textProblems(text)...)
			var answers []model.Answer
			for _, s := range d.Sections {
				problems = append(problems, totalOutsideRows(s.Answer)...)
				answers = append(answers, s.Answer)
			}
			problems = append(problems, roundingProblems(text, answers...)...)
			if len(d.Highlights) != 3 && !slices.ContainsFunc(d.Sections, func(s Section) bool { return s.Answer.Clarify != "" }) {
				problems = append(problems, fmt.Sprintf("%d highlights, not the three promised", len(d.Highlights)))
			}
			for _, p := range problems {
				t.Errorf("%s digest as of %s: %s", aud, day, p)
			}
		}
	}
}

// The checks catch what they look for, so a green grid means something.
func TestPropertyChecksCatch(t *testing.T) {
	for _, bad := range []string{"Spend on sponsored_products rose", "Google Ads's ROAS", "ctv spend", "CPA changed -0.0%", "a -$0 change",
		"By category: Apparel -0.00x", "google_ads led", "ad_recall rose", "business_revenue fell"} {
		if len(textProblems(bad)) == 0 {
			t.Errorf("textProblems misses %q", bad)
		}
	}
	for _, good := range []string{"Spend on Sponsored Products rose", "Google Ads' ROAS", "CTV spend", "CPA fell -0.5%", "a -$0.50 change", "Meta's CPA"} {
		if p := textProblems(good); len(p) > 0 {
			t.Errorf("textProblems flags %q: %v", good, p)
		}
	}
	a := model.Answer{Metrics: []model.MetricID{model.ROAS}, Total: model.Row{Values: model.Values{model.ROAS: model.Float(1.3035)}, CompareValues: model.Values{model.ROAS: model.Float(1)}}}
	if p := roundingProblems("ROAS up +30.3% … up +30.4%", a); len(p) == 0 {
		t.Error("roundingProblems misses +30.3% and +30.4% for a change of +30.35%")
	}
	rows := model.Answer{Intent: "breakdown", Metrics: []model.MetricID{model.CAC}, GroupBy: []string{model.DimPlatform},
		Total: model.Row{Values: model.Values{model.CAC: model.Float(175)}},
		Rows:  []model.Row{{Values: model.Values{model.CAC: model.Float(100)}}, {Values: model.Values{model.CAC: model.Float(124)}}}}
	if len(totalOutsideRows(rows)) == 0 {
		t.Error("totalOutsideRows misses an overall CAC of $175 over rows of $100–$124")
	}
}
