package intents

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// Incrementality answers say what the platforms' reported results are
// worth once a test has measured what the ads caused: every figure is a
// test's own or comes from the query layer, and a calibrated figure always
// names the test it rests on.

// platformEvidence is what the tests say of one platform.
type platformEvidence struct {
	platform string
	spend    *float64 // reported, over the answer's period
	revenue  *float64
	roas     *float64

	test   *data.Experiment // the test the answer rests on: the latest platform-wide one, revenue first
	others []data.Experiment
	sig    bool
	stale  bool
	age    int // days from the test's end to the answer's last day

	windowROAS *float64 // what the platform reported over the test's days
	factor     *float64 // test iROAS ÷ windowROAS: set only for a significant revenue test
	calibrated *float64 // roas × factor
	incRevenue *float64 // revenue × factor
}

// usable reports whether the evidence calibrates the platform's figures.
func (pe *platformEvidence) usable() bool { return pe.factor != nil }

func (e *Engine) incrementality(ctx context.Context, req question.Request) (model.Answer, error) {
	ev, err := e.evidence(ctx, req)
	if err != nil {
		return model.Answer{}, err
	}
	a := model.Answer{Question: req.Question, Intent: string(question.IntentIncrementality), Period: dr(req.Period),
		Metrics: evidenceColumns(req.Metrics), Filters: map[string][]string{}, GroupBy: []string{model.DimPlatform}, Rows: []model.Row{}, Notes: req.Notes}
	if ps := req.Filters[model.DimPlatform]; len(ps) > 0 {
		a.Filters[model.DimPlatform] = ps
	}
	if !ev.anyTest() {
		// Nothing to set the platforms' figures against: none is shown,
		// so no one reads a reported ROAS as an incremental one.
		a.Summary = "sowhat has no incrementality data: no geo tests, holdouts or conversion-lift experiments are imported, so it can't say what the ads caused. " +
			"Attributed ROAS and revenue are what the platforms claim, not what is incremental, and brand-lift studies measure brand metrics, not sales."
		if slices.Contains(req.Metrics, model.MROAS) {
			line := mmmLine(ev.mmm, req.Filters[model.DimPlatform])
			if line == "" {
				line = mmmAll(ev.mmm)
			}
			if line == "" {
				line = noMMM
			}
			a.Summary = line + " " + a.Summary
		}
		a.SoWhat = "Next: import the results of the tests you run (sowhat ingest takes the experiments CSV), or " + ev.testNext("")
		return a, nil
	}
	if named := req.Filters[model.DimCampaign]; len(named) == 1 {
		// "Is the brand search campaign incremental?": what its own tests
		// found, never the platform's as if it spoke for the campaign.
		tests, err := e.experiments(ctx, req.AsOf)
		if err != nil {
			return a, err
		}
		a.Filters[model.DimCampaign] = named
		a.Summary, a.SoWhat = campaignEvidence(named[0], tests, ev, req.Period.End)
		a.Withhold(req.Hidden)
		return a, nil
	}
	for _, pe := range ev.platforms {
		a.Rows = append(a.Rows, pe.row())
	}
	a.Total = ev.total()
	if len(ev.platforms) == 1 && len(req.GroupBy) == 0 {
		a.Summary, a.SoWhat = ev.one(ev.platforms[0], req)
	} else {
		a.Summary, a.SoWhat = ev.all(req)
	}
	line := mmmLine(ev.mmm, req.Filters[model.DimPlatform])
	switch asked := slices.Contains(req.Metrics, model.MROAS); {
	case asked && line == "" && len(ev.mmm) > 0:
		line = mmmAll(ev.mmm)
		fallthrough
	case asked && line != "":
		// Asked what the model says: it leads, the tests beside it.
		a.Summary = line + " " + a.Summary
	case asked:
		a.Summary = noMMM + " " + a.Summary
	case line != "":
		a.Notes = append(a.Notes, line)
	}
	// Nothing the reader may not see is written: what names one goes.
	a.Withhold(req.Hidden)
	return a, nil
}

// evidenceColumns are an incrementality answer's metrics: those asked
// first, then the rest of what it shows.
func evidenceColumns(asked []model.MetricID) []model.MetricID {
	out := slices.Clone(asked)
	for _, m := range []model.MetricID{model.IROAS, model.CalibratedROAS, model.IncrementalRevenue, model.ROAS, model.Spend, model.Revenue} {
		out = appendMissing(out, m)
	}
	return out
}

func appendMissing(ms []model.MetricID, m model.MetricID) []model.MetricID {
	if slices.Contains(ms, m) {
		return ms
	}
	return append(ms, m)
}

// evidenceSet is what the tests say of every platform: those asked about
// (platforms), and all of them, to choose what to test next by (every).
type evidenceSet struct {
	platforms []*platformEvidence
	every     []*platformEvidence
	period    period.Period
	mmm       []data.MMMResult
	hidden    []model.MetricID
}

// anyTest reports whether any platform has a test.
func (ev *evidenceSet) anyTest() bool {
	return slices.ContainsFunc(ev.every, func(pe *platformEvidence) bool { return pe.test != nil })
}

// shows reports whether the reader may see metric.
func (ev *evidenceSet) shows(m model.MetricID) bool { return !slices.Contains(ev.hidden, m) }

// evidence gathers, for each platform asked about (or every platform with
// spend in the period), its reported figures from the query layer and its
// latest test, with the calibration that test supports.
func (e *Engine) evidence(ctx context.Context, req question.Request) (*evidenceSet, error) {
	tests, err := e.experiments(ctx, req.AsOf)
	if err != nil {
		return nil, err
	}
	return e.evidenceOf(ctx, req, tests)
}

// evidenceOf is evidence from tests already read.
func (e *Engine) evidenceOf(ctx context.Context, req question.Request, tests []data.Experiment) (*evidenceSet, error) {
	mmm, err := e.mmmResults(ctx, req.AsOf)
	if err != nil {
		return nil, err
	}
	q := data.Query{Metrics: []model.MetricID{model.Spend, model.Revenue, model.ROAS}, Period: dr(req.Period), GroupBy: []string{model.DimPlatform}}
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return nil, err
	}
	ev := &evidenceSet{period: req.Period, mmm: mmm, hidden: req.Hidden}
	byPlatform := map[string]*platformEvidence{}
	for _, r := range res.Rows {
		pe := &platformEvidence{platform: r.Key[model.DimPlatform], spend: r.Values[model.Spend], revenue: r.Values[model.Revenue], roas: r.Values[model.ROAS]}
		byPlatform[pe.platform] = pe
		ev.every = append(ev.every, pe)
	}
	for _, p := range req.Filters[model.DimPlatform] {
		if byPlatform[p] == nil {
			pe := &platformEvidence{platform: p}
			byPlatform[p] = pe
			ev.every = append(ev.every, pe)
		}
	}
	for _, pe := range ev.every {
		if err := e.weighTests(ctx, pe, tests, req.Period.End); err != nil {
			return nil, err
		}
	}
	// Largest spend first, so the platform to test next leads among equals.
	sort.SliceStable(ev.every, func(i, j int) bool { return val(ev.every[i].spend) > val(ev.every[j].spend) })
	asked := req.Filters[model.DimPlatform]
	for _, pe := range ev.every {
		if len(asked) == 0 || slices.Contains(asked, pe.platform) {
			ev.platforms = append(ev.platforms, pe)
		}
	}
	return ev, nil
}

func val(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}

// weighTests picks the platform's test and, when it is a significant
// revenue test, the calibration it gives: the ROAS the platform reported
// over the test's own days, from the query layer.
func (e *Engine) weighTests(ctx context.Context, pe *platformEvidence, tests []data.Experiment, asOf time.Time) error {
	var mine []data.Experiment
	for _, t := range tests {
		if t.Platform == pe.platform {
			mine = append(mine, t)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	// Tests are newest first: the latest platform-wide revenue test leads,
	// then the latest platform-wide one, then the latest of any.
	pick := slices.IndexFunc(mine, func(t data.Experiment) bool { return t.Campaign == "" && t.Outcome == data.OutcomeRevenue })
	if pick < 0 {
		pick = slices.IndexFunc(mine, func(t data.Experiment) bool { return t.Campaign == "" })
	}
	if pick < 0 {
		pick = 0
	}
	t := mine[pick]
	pe.test = &t
	pe.others = slices.Delete(slices.Clone(mine), pick, pick+1)
	pe.sig = t.IsSignificant()
	pe.age = int(asOf.Sub(t.End).Hours() / 24)
	pe.stale = t.StaleOn(asOf)
	if t.Outcome != data.OutcomeRevenue {
		return nil
	}
	q := data.Query{Metrics: []model.MetricID{model.ROAS}, Period: period.Period{Start: t.Start, End: t.End}, Filters: map[string][]string{model.DimPlatform: {t.Platform}}}
	if t.Campaign != "" {
		q.Filters[model.DimCampaign] = []string{t.Campaign}
	}
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return err
	}
	pe.windowROAS = res.Total.Values[model.ROAS]
	if !pe.sig || t.Campaign != "" || pe.windowROAS == nil || *pe.windowROAS <= 0 {
		return nil // a campaign's test does not calibrate its platform
	}
	f := t.IROAS / *pe.windowROAS
	pe.factor = &f
	if pe.roas != nil {
		pe.calibrated = model.Float(*pe.roas * f)
	}
	if pe.revenue != nil {
		pe.incRevenue = model.Float(*pe.revenue * f)
	}
	return nil
}

// status says where a platform stands: never tested, stale, not
// significant, or tested.
func (pe *platformEvidence) status() string {
	switch {
	case pe.test == nil:
		return "never tested"
	case pe.stale:
		return "stale"
	case !pe.sig:
		return "not significant"
	}
	return "tested"
}

func (pe *platformEvidence) row() model.Row {
	r := model.Row{Key: map[string]string{model.DimPlatform: pe.platform, "status": pe.status()},
		Values: model.Values{model.Spend: pe.spend, model.Revenue: pe.revenue, model.ROAS: pe.roas, model.CalibratedROAS: pe.calibrated, model.IncrementalRevenue: pe.incRevenue, model.IROAS: nil}}
	if t := pe.test; t != nil {
		r.Key["test"], r.Key["test_end"] = t.Test, t.End.Format(period.DateLayout)
		r.Key["interval"] = interval(*t)
		if t.Outcome == data.OutcomeRevenue {
			r.Values[model.IROAS] = model.Float(t.IROAS)
		}
		r.Values[model.LiftPct] = model.Float(t.LiftPct)
	}
	return r
}

// total sums what the rows can: spend, tested and untested, and the
// calibrated ROAS over the spend a significant test calibrates.
func (ev *evidenceSet) total() model.Row {
	var spend, revenue, calSpend, calRevenue float64
	for _, pe := range ev.platforms {
		spend += val(pe.spend)
		revenue += val(pe.revenue)
		if pe.usable() && pe.incRevenue != nil {
			calSpend += val(pe.spend)
			calRevenue += *pe.incRevenue
		}
	}
	r := model.Row{Key: map[string]string{}, Values: model.Values{model.Spend: model.Float(spend), model.Revenue: model.Float(revenue), model.ROAS: ratioOf(revenue, spend)}}
	if calSpend > 0 {
		r.Values[model.CalibratedROAS] = model.Float(calRevenue / calSpend)
		r.Values[model.IncrementalRevenue] = model.Float(calRevenue)
	}
	return r
}

func ratioOf(n, d float64) *float64 {
	if d == 0 {
		return nil
	}
	return model.Float(n / d)
}

// interval writes a test's interval: "0.86x–1.59x", or per $1,000 for a
// conversions test.
func interval(t data.Experiment) string {
	if t.Outcome == data.OutcomeRevenue {
		return ratioText(t.CILow) + " to " + ratioText(t.CIHigh)
	}
	return perThousand(t.CILow) + " to " + perThousand(t.CIHigh) + " conversions per $1,000"
}

func ratioText(v float64) string { return wording.Value(model.UnitRatio, &v) }

func perThousand(v float64) string { return fmt.Sprintf("%.1f", v*1000) }

func money(v float64) string { return wording.Value(model.UnitCurrency, &v) }

func dayText(t time.Time) string { return t.Format("Jan 2, 2006") }

// over says a period as the span figures were summed over: "over the last
// 30 days (Oct 26 – Nov 24, 2026)", "in October 2026 (…)".
func over(p period.Period) string {
	l := periodLabel(p)
	if strings.HasPrefix(l, "the ") || strings.HasPrefix(l, "last ") {
		return "over " + l
	}
	return l
}

// testText names a test with its kind and end: `"Meta Geo Holdout Q3" (a
// geo holdout that ended Oct 15, 2026)`.
func testText(t data.Experiment) string {
	kind := "test"
	if t.Method != "" {
		kind = strings.ReplaceAll(t.Method, "_", " ")
	}
	on := ""
	if t.Campaign != "" {
		on = " on " + t.Campaign
	}
	return fmt.Sprintf("%q (a %s%s that ended %s)", t.Test, kind, on, dayText(t.End))
}

// measured says what a test found: its iROAS with the interval, or its
// incremental conversions per $1,000.
func measured(t data.Experiment) string {
	if t.Outcome == data.OutcomeRevenue {
		return fmt.Sprintf("an incremental ROAS of %s (interval %s)", ratioText(t.IROAS), interval(t))
	}
	return fmt.Sprintf("%s incremental conversions per $1,000 (interval %s)", perThousand(t.IROAS), interval(t))
}

// one answers about a single platform.
func (ev *evidenceSet) one(pe *platformEvidence, req question.Request) (summary, soWhat string) {
	name := model.PlatformName(pe.platform)
	if pe.test == nil {
		summary = fmt.Sprintf("%s has never been tested for incrementality: no geo holdout or conversion-lift result for it is imported", name)
		if pe.roas != nil {
			summary += fmt.Sprintf(", so its %s ROAS %s is what %s reports, not what its ads caused", ratioText(*pe.roas), over(ev.period), name)
		}
		summary += "."
		return summary, "Next: " + ev.testNext(pe.platform)
	}
	t := *pe.test
	summary = fmt.Sprintf("%s latest incrementality test, %s, measured %s", wording.Possessive(name), testText(t), measured(t))
	if pe.windowROAS != nil && t.Outcome == data.OutcomeRevenue {
		summary += fmt.Sprintf(", where %s reported %s over the test's days", name, ratioText(*pe.windowROAS))
	}
	summary += "."
	var sw []string
	switch {
	case !pe.sig:
		summary += fmt.Sprintf(" The test is not significant: its interval %s, so it cannot tell whether %s ads drive sales.", spansZero(t), wording.Possessive(name))
		sw = append(sw, fmt.Sprintf("Read %s as what %s claims until a test says otherwise.", reportedText(pe, ev.period), name))
	case pe.usable():
		kept := *pe.factor
		if ev.shows(model.CalibratedROAS) {
			summary += fmt.Sprintf(" Calibrated ROAS %s: about %s, an estimate from that test (%s reports %s).", over(ev.period), ratioText(val(pe.calibrated)), name, ratioText(val(pe.roas)))
		}
		switch {
		case pe.incRevenue == nil || !ev.shows(model.IncrementalRevenue):
			sw = append(sw, fmt.Sprintf("The test is significant: %s ads do drive sales.", wording.Possessive(name)))
		case kept < 1:
			sw = append(sw, fmt.Sprintf("The test is significant: %s ads do drive sales, but only about %s of the %s revenue %s reported is incremental (%s, an estimate from %q).",
				wording.Possessive(name), wording.Value(model.UnitPercent, &kept), money(val(pe.revenue)), name, money(*pe.incRevenue), t.Test))
		default:
			sw = append(sw, fmt.Sprintf("The test is significant: %s ads drive more sales than %s reports, about %s incremental against %s reported (an estimate from %q).",
				wording.Possessive(name), name, money(*pe.incRevenue), money(val(pe.revenue)), t.Test))
		}
	case t.Outcome == data.OutcomeRevenue && t.Campaign == "" && pe.windowROAS == nil:
		summary += fmt.Sprintf(" The test is significant, but no %s data covers its days, so it cannot calibrate what %s reports.", name, name)
	case pe.sig && t.Campaign != "":
		summary += fmt.Sprintf(" The test is significant, but it covered one campaign (%s), so it does not calibrate all of %s.", t.Campaign, name)
	default:
		summary += " The test is significant."
	}
	if pe.stale {
		sw = append(sw, fmt.Sprintf("Stale: the test ended %s, %d days before these figures' last day, more than a year; campaigns and prices have moved since, so retest before relying on it.", dayText(t.End), pe.age))
	}
	for _, o := range pe.others {
		verdict := "significant"
		if !o.IsSignificant() {
			verdict = "not significant"
		}
		sw = append(sw, fmt.Sprintf("Also tested: %s measured %s, %s.", testText(o), measured(o), verdict))
	}
	switch {
	case pe.stale || !pe.sig:
		sw = append(sw, fmt.Sprintf("Next: retest %s with a geo holdout big enough to read (more spend or a longer window).", name))
	case pe.usable() && *pe.factor < 0.8:
		sw = append(sw, fmt.Sprintf("Next: plan %s on what its test measured, not on what it reports, and shift budget only where the test says it pays.", name))
	case pe.usable():
		sw = append(sw, fmt.Sprintf("Next: %s reporting holds up against its test; keep testing it yearly.", wording.Possessive(name)))
	default:
		sw = append(sw, "Next: "+ev.testNext(""))
	}
	return summary, strings.Join(sw, " ")
}

// spansZero says what a test's interval does: "runs from -0.39x to 2.37x,
// including zero".
func spansZero(t data.Experiment) string {
	lo, hi := ratioText(t.CILow), ratioText(t.CIHigh)
	if t.Outcome != data.OutcomeRevenue {
		lo, hi = perThousand(t.CILow), perThousand(t.CIHigh)
	}
	if t.CILow <= 0 {
		return fmt.Sprintf("runs from %s to %s, including zero", lo, hi)
	}
	return fmt.Sprintf("runs from %s to %s and its p-value is too high", lo, hi)
}

// reportedText is a platform's reported ROAS over the period, or "its
// reported ROAS" when it had no spend.
func reportedText(pe *platformEvidence, p period.Period) string {
	if pe.roas == nil {
		return "its reported ROAS"
	}
	return fmt.Sprintf("its %s ROAS %s", ratioText(*pe.roas), over(p))
}

// testNext names what to test next: the largest spend with no test, or,
// when every platform has one, the one whose test is oldest. skip, when
// set, is a platform already named.
func (ev *evidenceSet) testNext(skip string) string {
	for _, pe := range ev.every {
		if pe.test == nil && pe.spend != nil && *pe.spend > 0 {
			if pe.platform == skip {
				return fmt.Sprintf("test %s: with %s of spend %s, it is the largest spend with no test. A geo holdout over 4 weeks says what it adds.", model.PlatformName(pe.platform), money(*pe.spend), over(ev.period))
			}
			if !ev.anyTest() {
				return fmt.Sprintf("start with %s, the largest spend %s: a geo holdout over 4 weeks says what it adds.", model.PlatformName(pe.platform), over(ev.period))
			}
			return fmt.Sprintf("test %s, the largest spend with no test: %s %s.", model.PlatformName(pe.platform), money(*pe.spend), over(ev.period))
		}
	}
	var oldest *platformEvidence
	for _, pe := range ev.every {
		if pe.test != nil && (oldest == nil || pe.test.End.Before(oldest.test.End)) {
			oldest = pe
		}
	}
	if oldest == nil {
		return "run a geo holdout on the largest platform: there is no spend in these days to choose by."
	}
	return fmt.Sprintf("retest %s, whose test is the oldest (%s ended %s).", model.PlatformName(oldest.platform), oldest.test.Test, dayText(oldest.test.End))
}

// all answers about every platform in scope.
func (ev *evidenceSet) all(req question.Request) (summary, soWhat string) {
	var tested, untested, stale, insignificant []string
	var spend, untestedSpend float64
	for _, pe := range ev.platforms {
		spend += val(pe.spend)
		name := model.PlatformName(pe.platform)
		switch pe.status() {
		case "never tested":
			untested = append(untested, name)
			untestedSpend += val(pe.spend)
		case "stale":
			stale = append(stale, fmt.Sprintf("%s (%s ended %s)", name, pe.test.Test, dayText(pe.test.End)))
			tested = append(tested, name)
		case "not significant":
			insignificant = append(insignificant, fmt.Sprintf("%s (%s)", name, pe.test.Test))
			tested = append(tested, name)
		default:
			tested = append(tested, name)
		}
	}
	summary = fmt.Sprintf("%d of %d platforms have an incrementality test", len(tested), len(ev.platforms))
	if spend > 0 {
		summary += fmt.Sprintf(", %s of the %s spent %s (%s)", money(spend-untestedSpend), money(spend), over(ev.period), wording.Value(model.UnitPercent, model.Float((spend-untestedSpend)/spend)))
	}
	if len(untested) > 0 {
		summary += fmt.Sprintf("; never tested: %s (%s)", wording.JoinAnd(untested), money(untestedSpend))
	}
	summary += "."
	tot := ev.total()
	if c := tot.Values[model.CalibratedROAS]; c != nil && ev.shows(model.CalibratedROAS) {
		var calSpend, reported float64
		var sources []string
		for _, pe := range ev.platforms {
			if pe.usable() && pe.incRevenue != nil {
				calSpend += val(pe.spend)
				reported += val(pe.revenue)
				src := fmt.Sprintf("%s from %q", model.PlatformName(pe.platform), pe.test.Test)
				if pe.stale {
					src += " (stale)"
				}
				sources = append(sources, src)
			}
		}
		summary += fmt.Sprintf(" Calibrated ROAS on the %s that a significant test covers: about %s, against %s reported (an estimate: %s).",
			money(calSpend), ratioText(*c), ratioText(reported/calSpend), wording.JoinAnd(sources))
	} else if c == nil {
		summary += " No significant revenue test calibrates the reported figures."
	}
	var sw []string
	if len(insignificant) > 0 {
		sw = append(sw, fmt.Sprintf("Not significant, so they cannot tell whether the ads drive sales: %s.", wording.JoinAnd(insignificant)))
	}
	if len(stale) > 0 {
		sw = append(sw, fmt.Sprintf("Stale (more than a year old): %s.", wording.JoinAnd(stale)))
	}
	sw = append(sw, "Next: "+ev.testNext(""))
	return summary, strings.Join(sw, " ")
}

// mmmLine is what the latest MMM run says of the platform asked about,
// beside the tests: where the two disagree is where to dig.
// noMMM says no marketing-mix model is imported, to a question about one.
const noMMM = "No marketing-mix model results are imported, so sowhat cannot say what one finds; this is what the incrementality tests say."

// mmmAll words every channel's result of the imported model: "The Partner
// MMM FY2026 model (Oct 3, 2025 – Oct 1, 2026) puts ROI at 1.90x for Google
// Ads (marginal 1.10x), 1.34x for Meta (marginal 0.67x) …".
func mmmAll(results []data.MMMResult) string {
	if len(results) == 0 {
		return ""
	}
	r := results[0]
	var parts []string
	for _, x := range results {
		if x.Model == r.Model { // one model's results: two models are not read as one
			parts = append(parts, fmt.Sprintf("%s for %s (marginal %s)", ratioText(x.ROI), model.PlatformName(x.Channel), ratioText(x.MROI)))
		}
	}
	return fmt.Sprintf("The %s model (%s) puts ROI at %s.", r.Model, wording.PeriodText(period.Period{Start: r.Start, End: r.End}), wording.JoinAnd(parts))
}

func mmmLine(results []data.MMMResult, platforms []string) string {
	if len(platforms) != 1 {
		return ""
	}
	for _, r := range results {
		if r.Channel == platforms[0] {
			return fmt.Sprintf("The %s model puts %s ROI at %s and its marginal ROI at %s (%s).", r.Model, wording.Possessive(model.PlatformName(r.Channel)),
				ratioText(r.ROI), ratioText(r.MROI), wording.PeriodText(period.Period{Start: r.Start, End: r.End}))
		}
	}
	return ""
}

// campaignEvidence answers whether one campaign's ads are incremental: its
// own latest test, or, with none, that no test measured it, and what the
// platform's test does and does not say of it.
func campaignEvidence(campaign string, tests []data.Experiment, ev *evidenceSet, asOf time.Time) (summary, soWhat string) {
	var own []data.Experiment
	for _, t := range tests {
		if t.Campaign == campaign {
			own = append(own, t)
		}
	}
	var platformTest *data.Experiment
	var platform string
	for _, pe := range ev.every {
		if pe.test != nil && pe.test.Campaign == "" {
			for _, t := range own {
				if t.Platform == pe.platform {
					platformTest, platform = pe.test, pe.platform
				}
			}
		}
	}
	if len(own) == 0 {
		return fmt.Sprintf("No incrementality test measured %s itself: the tests imported cover whole platforms or other campaigns, and a platform's result does not say what one of its campaigns adds.", campaign),
			fmt.Sprintf("Next: read %s ROAS as what the platform claims, and test the campaign (a geo holdout or a conversion lift on it) before adding budget on it.", wording.Possessive(campaign))
	}
	t := own[0] // newest first
	summary = fmt.Sprintf("%s latest incrementality test, %s, measured %s.", wording.Possessive(campaign), testText(t), measured(t))
	switch {
	case !t.IsSignificant():
		soWhat = "Not significant: the test cannot tell whether the campaign's ads drive sales."
		if platformTest != nil {
			soWhat += fmt.Sprintf(" %s platform-wide %s measured %s, but that does not speak for this campaign.", wording.Possessive(model.PlatformName(platform)), fmt.Sprintf("%q", platformTest.Test), measured(*platformTest))
		}
		soWhat += fmt.Sprintf(" Next: treat %s reported ROAS with caution and rerun the test with more power (longer, or more regions) before adding budget.", wording.Possessive(campaign))
	case t.Outcome == data.OutcomeRevenue && t.IROAS < 1:
		soWhat = fmt.Sprintf("Significant, and under 1x: each dollar on %s adds less than a dollar of sales it would not have had. Next: cut it back toward where its incremental return is at least what it costs.", campaign)
	default:
		soWhat = fmt.Sprintf("Significant: the campaign's ads do drive results. Next: plan %s on what the test measured, not on what the platform reports.", campaign)
	}
	if t.StaleOn(asOf) {
		soWhat = "The test is more than a year old. " + soWhat
	}
	return summary, soWhat
}

// experiments returns the imported test results known on asOf: those that
// ended before it, so that a question asked as of an earlier day (a replay)
// is not answered with a test that had not yet ended. A zero asOf keeps
// them all.
func (e *Engine) experiments(ctx context.Context, asOf time.Time) ([]data.Experiment, error) {
	tests, err := e.st.Experiments(ctx)
	if err != nil || asOf.IsZero() {
		return tests, err
	}
	return slices.DeleteFunc(tests, func(t data.Experiment) bool { return !t.End.Before(asOf) }), nil
}

// mmmResults returns the imported MMM results known on asOf: those of
// models whose window ended before it (all of them for a zero asOf).
func (e *Engine) mmmResults(ctx context.Context, asOf time.Time) ([]data.MMMResult, error) {
	mmm, err := e.st.MMMResults(ctx)
	if err != nil || asOf.IsZero() {
		return mmm, err
	}
	return slices.DeleteFunc(mmm, func(m data.MMMResult) bool { return !m.End.Before(asOf) }), nil
}
