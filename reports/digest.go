package reports

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// Digest is one audience's report for one period: three highlights and the
// sections they were chosen from.
type Digest struct {
	Name          string              `json:"name,omitempty"`
	Audience      model.Audience      `json:"audience"`
	Title         string              `json:"title"`
	AsOf          time.Time           `json:"-"`
	Period        period.Period       `json:"period"`
	ComparePeriod *period.Period      `json:"compare_period,omitempty"`
	Filters       map[string][]string `json:"filters,omitempty"`
	Highlights    []Highlight         `json:"highlights"`
	Sections      []Section           `json:"sections"`
	// Notes are the notes several sections share (stale data, say), said
	// once.
	Notes  []string `json:"notes,omitempty"`
	Charts []Chart  `json:"-"`
	// Withheld are the titles of the sections left out because the
	// digest's readers may not see their metrics (see BuildFor); the
	// digest says only WithheldNote about them.
	Withheld []string `json:"-"`
}

// Section is one part of a digest: the engine's answer to one request, the
// change of its metrics against the comparison period and, for some, a
// table of figures derived from the answer.
type Section struct {
	Title  string       `json:"title"`
	Answer model.Answer `json:"answer"`
	// Change says each metric's change against the comparison period:
	// "vs the week before: CAC $48.20 (+6.1%), Spend $59,480 (+2.8%)".
	Change string `json:"change,omitempty"`
	// Table holds figures derived from the answer, such as projected
	// month-end spend per platform.
	Table *Table `json:"table,omitempty"`
	// Chart names the section's chart among the digest's charts.
	Chart string `json:"chart,omitempty"`
	// Layout is how much of the section the digest shows (see fit).
	Layout Layout `json:"layout,omitzero"`

	period  period.Period
	compare *period.Period
	proj    []projection
	// unassigned is the spend of the unassigned bucket when it is a large
	// share of the total, else 0.
	unassigned     float64
	unassignedText string
	// steady is true when the section's lead figure held steady.
	steady bool
}

// Table is a small table of figures derived from an answer: each cell as
// printed in Rows and, in Values at the same place, the raw number behind
// it (currency in cents, changes as fractions: 0.12 is +12%; null for a
// text cell or an undefined value), so a script never parses "$1,204".
type Table struct {
	Title  string       `json:"title"`
	Header []string     `json:"header"`
	Rows   [][]string   `json:"rows"`
	Values [][]*float64 `json:"values"`
}

// add appends a row: the printed cells and the raw values behind them.
func (t *Table) add(cells []string, values []*float64) {
	t.Rows = append(t.Rows, cells)
	t.Values = append(t.Values, values)
}

// Highlight is one of the three things that matter this period.
type Highlight struct {
	Text    string         `json:"text"`
	Section string         `json:"section"`
	Metric  model.MetricID `json:"metric,omitempty"`
	// Value is the figure the highlight is about; Change its relative
	// change (0.12 is +12%), or its distance from plan for pacing.
	Value   *float64 `json:"value"`
	Change  *float64 `json:"change,omitempty"`
	score   float64
	order   int
	subject string
	steady  bool
}

// ChartFunc renders an answer as a PNG chart; ok is false when the answer
// has nothing worth charting. chart.Render is one.
type ChartFunc func(a model.Answer) (png []byte, ok bool, err error)

// Builder builds digests from the engine's answers.
type Builder struct {
	eng    *intents.Engine
	charts ChartFunc
	log    *slog.Logger
}

// NewBuilder returns a builder answering through eng and charting with
// charts (nil: no charts).
func NewBuilder(eng *intents.Engine, charts ChartFunc, log *slog.Logger) *Builder {
	if log == nil {
		log = slog.Default()
	}
	return &Builder{eng: eng, charts: charts, log: log}
}

// periods are every period a digest's sections may cover.
type periods struct {
	today   time.Time
	main    period.Period
	compare period.Period
	yearAgo period.Period
}

// Build builds the digest d as it reads on day today (its periods end at
// the latest the day before).
func (b *Builder) Build(ctx context.Context, d DigestConfig, today time.Time) (*Digest, error) {
	return b.BuildFor(ctx, d, today, nil)
}

// BuildFor builds the digest d for readers who may not see the hidden
// metrics: the sections that show one are left out, the digest notes that
// finance figures are posted only where cleared (WithheldNote), and the
// other sections' answers show nothing of them.
func (b *Builder) BuildFor(ctx context.Context, d DigestConfig, today time.Time, hidden []model.MetricID) (*Digest, error) {
	specs, ok := sectionsOf(d)
	if !ok {
		return nil, fmt.Errorf("build digest %s: unknown audience %q (want one of %s)", d.Name, d.Audience, audienceList())
	}
	hidden = model.Concealed(hidden)
	specs, withheld := clearedSections(specs, hidden)
	today = period.Day(today)
	var ps periods
	var err error
	if ps.main, ps.compare, err = Periods(d.Period, d.Compare, today); err != nil {
		return nil, fmt.Errorf("build digest %s: %w", d.Name, err)
	}
	_, ps.yearAgo, _ = Periods(d.Period, CompareLastYear, today)
	ps.today = today
	holidayNote := ""
	if d.Compare == ComparePrevious && d.Kind != DigestBudgetReview {
		if h := period.HolidayIn(ps.main, ps.compare); h != "" && b.yearAgoCovered(ctx, d, ps) {
			// Against a week without the holiday every figure would jump
			// (CAC falls, store visits double) and every audience's digest
			// would call the season good news or a warning sign: compare
			// with the same weekdays 52 weeks earlier instead.
			ps.compare = ps.yearAgo
			holidayNote = say("holiday_note", holidayCompare{Holiday: h, Compare: wording.PeriodText(dr(ps.yearAgo))})
			var kept []sectionSpec
			for _, s := range specs {
				if s.period != periodYearAgo {
					kept = append(kept, s)
				}
			}
			specs = kept
		}
	}
	cmp := ps.compare
	dg := &Digest{Name: d.Name, Audience: d.Audience, Title: digestTitle(d), AsOf: today, Period: ps.main, ComparePeriod: &cmp, Filters: d.Filters}
	if len(dg.Filters) == 0 {
		dg.Filters = nil
	}
	st, err := b.stakes(ctx, d, ps)
	if err != nil {
		return nil, fmt.Errorf("build digest %s: %w", d.Name, err)
	}
	for _, w := range withheld {
		dg.Withheld = append(dg.Withheld, w.title)
	}
	var cands []Highlight
	for i, spec := range specs {
		sec, err := b.section(ctx, spec, d, ps, hidden)
		if err != nil {
			return nil, fmt.Errorf("build digest %s section %q: %w", d.Name, spec.title, err)
		}
		if spec.chart {
			if err := b.chart(dg, &sec); err != nil {
				return nil, fmt.Errorf("build digest %s chart %q: %w", d.Name, spec.title, err)
			}
		}
		for _, h := range highlightsOf(spec, sec, st) {
			h.order = i
			cands = append(cands, h)
		}
		dg.Sections = append(dg.Sections, sec)
	}
	dg.Highlights = pickHighlights(cands, 3)
	dg.Notes = sharedNotes(dg.Sections)
	if holidayNote != "" {
		dg.Notes = append([]string{holidayNote}, dg.Notes...)
	}
	if len(withheld) > 0 {
		dg.Notes = append(dg.Notes, WithheldNote)
	}
	if leaks := withhold(dg, hidden); len(leaks) > 0 {
		b.log.Error("digest showed a hidden metric; taken out before posting", slog.String("digest", d.Name), slog.Any("where", leaks))
	}
	weights := make([]float64, len(specs))
	for i, spec := range specs {
		weights[i] = spec.weight
	}
	fit(dg, weights)
	return dg, nil
}

// yearAgoCovered reports whether the digest's period a year earlier has
// business results to compare with.
func (b *Builder) yearAgoCovered(ctx context.Context, d DigestConfig, ps periods) bool {
	spec := change("Business revenue", 0, model.BusinessRevenue).blend().yearAgo()
	a, err := b.eng.Answer(ctx, spec.request(d, ps))
	return err == nil && a.Total.CompareValues[model.BusinessRevenue] != nil
}

// stakes asks the engine for the digest's spend by platform, now and in the
// comparison period: the money its highlights' dollar impact is measured on.
func (b *Builder) stakes(ctx context.Context, d DigestConfig, ps periods) (stakes, error) {
	spec := breakdown("Spend by platform", model.DimPlatform, 0, model.Spend)
	a, err := b.eng.Answer(ctx, spec.request(d, ps))
	if err != nil {
		return stakes{}, err
	}
	st := stakes{spend: a.Total.Values[model.Spend], spendOld: a.Total.CompareValues[model.Spend], platform: map[string]*float64{}, platformOld: map[string]*float64{}}
	for _, r := range a.Rows {
		st.platform[r.Key[model.DimPlatform]] = r.Values[model.Spend]
		st.platformOld[r.Key[model.DimPlatform]] = r.CompareValues[model.Spend]
	}
	return st, nil
}

func digestTitle(d DigestConfig) string {
	switch {
	case d.Title != "":
		return d.Title
	case d.Kind == DigestBudgetReview:
		return budgetReviewTitle
	}
	return audienceTitles[d.Audience]
}

// request is the question a section asks the engine.
func (spec sectionSpec) request(d DigestConfig, ps periods) question.Request {
	req := question.Request{Intent: spec.intent, Metrics: append([]model.MetricID(nil), spec.metrics...), GroupBy: append([]string(nil), spec.groupBy...),
		Limit: spec.limit, Ascending: spec.ascending, Audience: string(d.Audience), Filters: map[string][]string{}, AsOf: ps.today}
	req.Period = ps.main
	switch spec.period {
	case periodDigest:
		c := ps.compare
		req.Compare = &c
	case periodYearAgo:
		c := ps.yearAgo
		req.Compare = &c
	case periodMTD:
		req.Period = monthToDate(ps.today)
	case periodWeeks:
		req.Period = weeksEnding(ps.main, 8)
	case periodZeroConv:
		req.Period = span(ps.today.AddDate(0, 0, -zeroConvDays), ps.today.AddDate(0, 0, -1), fmt.Sprintf("the last %d days", zeroConvDays))
	case periodNextQuarter:
		start := period.Quarters.Add(period.QuarterStart(ps.today), 1)
		req.Period = span(start, period.Quarters.Add(start, 1).AddDate(0, 0, -1), "next quarter")
	}
	if spec.kind == kindBudget {
		req.Move = &question.Move{Kind: question.MoveReallocate, Amount: d.Amount}
	}
	if !spec.blended {
		for k, v := range d.Filters {
			req.Filters[k] = append([]string(nil), v...)
		}
	}
	for k, v := range spec.filters {
		req.Filters[k] = append([]string(nil), v...)
	}
	req.Question = spec.title + " " + req.Period.Label
	if req.Compare != nil {
		req.Question += " vs " + req.Compare.Label
	}
	return req
}

func (b *Builder) section(ctx context.Context, spec sectionSpec, d DigestConfig, ps periods, hidden []model.MetricID) (Section, error) {
	req := spec.request(d, ps)
	req.Hidden = hidden
	a, err := b.eng.Answer(ctx, req)
	if err != nil {
		return Section{}, err
	}
	sec := Section{Title: spec.title, Answer: a, period: req.Period, compare: req.Compare}
	switch spec.kind {
	case kindPacing:
		if sec.Table, sec.proj, err = b.projection(ctx, req, a); err != nil {
			return Section{}, err
		}
	case kindZeroConv:
		zeroConversions(&sec.Answer, req)
	case kindBrandLift:
		newLiftStudies(&sec.Answer, req.Period)
	case kindBudget:
		if sec.Table, err = b.evidenceTable(ctx, &sec); err != nil {
			return Section{}, err
		}
	case kindIncrementality:
		// One line: the platform table is the incrementality answer's.
		sec.Answer.Rows = []model.Row{}
	case kindChange, kindBreakdown, kindMovers:
		sec.Change = changeLine(a)
		if len(a.Metrics) > 0 && a.Clarify == "" {
			m := a.Metrics[0]
			rel, ok := wording.RelChange(a.Total.Values[m], a.Total.CompareValues[m])
			sec.steady = ok && math.Abs(rel) < steadyBelow
		}
	}
	if spec.unassigned {
		sec.unassigned, sec.unassignedText = unassignedShare(&sec.Answer)
	}
	return sec, nil
}

// changeLine says each metric's total against the comparison period.
func changeLine(a model.Answer) string {
	if a.ComparePeriod == nil || a.Total.CompareValues == nil {
		return ""
	}
	var parts []string
	for _, m := range a.Metrics {
		cur, old := a.Total.Values[m], a.Total.CompareValues[m]
		if cur == nil && old == nil {
			continue
		}
		c := wording.Change(m, cur, old)
		if c == "" {
			c = "was " + wording.Metric(m, old)
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", wording.MetricName(m), wording.Metric(m, cur), c))
	}
	if len(parts) == 0 {
		return ""
	}
	return "vs " + wording.PeriodText(*a.ComparePeriod) + ": " + strings.Join(parts, ", ")
}

func (b *Builder) chart(dg *Digest, sec *Section) error {
	if b.charts == nil || sec.Answer.Clarify != "" || len(sec.Answer.Rows) == 0 {
		return nil
	}
	png, ok, err := b.charts(sec.Answer)
	if err != nil || !ok {
		return err
	}
	name := slug(sec.Title) + ".png"
	dg.Charts = append(dg.Charts, Chart{Name: name, PNG: png})
	sec.Chart = name
	return nil
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// sharedNotes moves the notes that two or more sections carry into the
// digest's notes, so each is said once.
func sharedNotes(secs []Section) []string {
	count := map[string]int{}
	var order []string
	for _, s := range secs {
		for _, n := range dedupeStrings(s.Answer.Notes) {
			if count[n] == 0 {
				order = append(order, n)
			}
			count[n]++
		}
	}
	var shared []string
	for _, n := range order {
		if count[n] > 1 {
			shared = append(shared, n)
		}
	}
	return shared
}

func dedupeStrings(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
