package intents

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// A change's next step moves budget only on a figure a budget is moved on,
// and only on the footing that figure stands on:
//   - a volume (conversions, clicks, attributed revenue, store visits) is
//     bought with spend, so a gain in it says nothing of where the next
//     dollar does best until it is set against what it cost;
//   - a diagnostic (CTR, CPC, CPM, conversion rate) points at creative,
//     targeting and placements, never at the budget;
//   - a platform's gain in ROAS is what it reports: while another
//     platform's test measured what its ads add and its own did not, the
//     gain is a reason to test it, not to shift budget toward it.

// volumePartners are the budget signals a volume is set against: what each
// unit of it costs, or what each dollar of spend returns.
var volumePartners = map[model.MetricID]model.MetricID{
	model.Conversions: model.CPA,
	model.Revenue:     model.ROAS,
	model.StoreVisits: model.CostPerStoreVisit,
}

// isVolume reports whether a metric is a sum of what ads bring in, which
// more spend buys more of: not spend or impressions themselves, not the
// business's own results, not a test's or a plan's figures.
func isVolume(mt model.Metric) bool {
	if mt.ID == "" || mt.Ratio != nil || mt.Plan || model.IsNeutral(mt.ID) || mt.FromBusiness() || mt.Needs == nil {
		return false
	}
	return len(mt.Needs(model.Context{})) == 1
}

// isDiagnostic reports whether a ratio is read to fix what is bought, not
// to move money: a rate of clicks, a price of clicks or impressions.
func isDiagnostic(mt model.Metric) bool {
	return mt.Ratio != nil && !slices.Contains(budgetSignals, mt.ID) && !mt.FromBusiness() && !onBusinessRevenue(mt)
}

// gainFooting returns what a change's so-what adds before its next step,
// and the next step in place of its own ("" keeps it), when the move is in
// a volume, in a diagnostic, or in a platform's ROAS. focus is who the
// next step is about: the driver, or the question's subject (said, the
// filters the question named).
func (e *Engine) gainFooting(ctx context.Context, q data.Query, metric model.MetricID, c change, d driver, hidden []model.MetricID, said map[string][]string) (more, next string, err error) {
	mt, _ := model.LookupMetric(metric)
	if !c.ok || c.steady || q.Compare == nil {
		return "", "", nil
	}
	focus, own := d.name, d.name
	if d.name == "" || d.delta == "" {
		focus, own = subject(said), subject(said)
		d = driver{}
		if named := q.Filters[model.DimCampaign]; len(named) == 1 && len(q.Filters) == 1 {
			// The question is about one campaign: it is the one to judge.
			d = driver{name: wording.DimValue(model.DimCampaign, named[0]), delta: "asked", dim: model.DimCampaign, key: named[0]}
			own = ""
		}
	}
	if focus == "" {
		focus = largestCampaigns
	}
	name := wording.MidSentence(mt.Name)
	switch {
	case (metric == model.CAC || metric == model.PaybackMonths) && mt.RestsOnBusinessIn(model.Context{ByAdDimension: q.ByAdDimension()}):
		return "", blendedNext(mt, c, hidden), nil
	case isDiagnostic(mt) && c.good:
		return "", fmt.Sprintf("Next: %s is a diagnostic, not a return: see what changed in %s creative and targeting, and move budget on %s.", name, possessiveOf(focus), returnSignals(hidden)), nil
	case isDiagnostic(mt):
		return "", fmt.Sprintf("Next: check %s creative, targeting and placements; %s is a diagnostic, so move budget on %s, not on it.", possessiveOf(focus), name, returnSignals(hidden)), nil
	case isVolume(mt) && c.good:
		return e.boughtGain(ctx, q, mt, c, d, own, focus, hidden)
	case metric == model.ROAS && c.good && (d.dim == model.DimPlatform || d.dim == model.DimCampaign):
		next, err := e.roasGainFooting(ctx, q, d, hidden)
		return "", next, err
	}
	return "", "", nil
}

// blendedNext is the next step of a move in blended CAC or payback: the
// business's new customers (and margin) are no campaign's, so the split by
// platform says where acquisition moved.
func blendedNext(mt model.Metric, c change, hidden []model.MetricID) string {
	name := wording.MidSentence(mt.Name)
	own := "new customers"
	if mt.ID == model.PaybackMonths {
		own = "new customers and its margin"
	}
	split := "each platform's acquisition cost"
	for _, m := range []model.MetricID{model.CAC, model.CPA} {
		if !slices.Contains(hidden, m) {
			split = wording.MetricName(m) + " by platform"
			break
		}
	}
	if c.good {
		return fmt.Sprintf("Next: blended %s rests on all of the company's %s, which no campaign owns: ask for %s before moving budget toward any of them.", name, own, split)
	}
	return fmt.Sprintf("Next: blended %s rests on all of the company's %s: ask for %s to see where acquisition got dearer before moving budget.", name, own, split)
}

// largestCampaigns is who a next step is about when no group drove the
// change: no campaign of that name exists.
const largestCampaigns = "the largest campaigns"

// possessiveOf is "Meta's", and "the largest campaigns'".
func possessiveOf(focus string) string {
	if focus == largestCampaigns {
		return largestCampaigns + "'"
	}
	return wording.Possessive(focus)
}

// boughtGain sets a gain in a volume against the spend that bought it, for
// the driver when there is one, else for the whole question: the volume's
// partner (CPA for conversions, ROAS for attributed revenue) says whether
// the gain was earned or only bought.
func (e *Engine) boughtGain(ctx context.Context, q data.Query, mt model.Metric, c change, d driver, own, focus string, hidden []model.MetricID) (more, next string, err error) {
	partner, ok := volumePartners[mt.ID]
	if ok && slices.Contains(hidden, partner) {
		ok = false
	}
	bq := data.Query{Metrics: []model.MetricID{model.Spend}, Period: q.Period, Compare: q.Compare, Filters: maps.Clone(q.Filters)}
	if bq.Filters == nil {
		bq.Filters = map[string][]string{}
	}
	if d.key != "" {
		bq.Filters[d.dim] = []string{d.key}
	}
	if ok {
		bq.Metrics = append(bq.Metrics, partner)
	}
	res, err := e.st.Run(ctx, bq)
	if err != nil {
		return "", "", err
	}
	whose := "Spend"
	if own != "" {
		whose = wording.Possessive(own) + " spend"
	}
	vname := wording.MidSentence(mt.Name)
	judgeOn := returnSignals(hidden)
	if ok {
		judgeOn = "its " + wording.MidSentence(wording.MetricName(partner))
		if v := res.Total.Values[partner]; v != nil {
			judgeOn += " (" + wording.Metric(partner, v) + ")"
		}
	}
	if cur, old := res.Total.Values[model.Spend], res.Total.CompareValues[model.Spend]; cur != nil && *cur > 0 && (old == nil || *old == 0) {
		// Started in the period: all of its gain is new spend.
		had := "There was no spend in the period before: all of the gain is new spend."
		if own != "" {
			had = own + " had no spend in the period before: all of its gain is new spend."
		}
		return " " + had,
			fmt.Sprintf("Next: judge %s on %s, not on %s, before adding budget.", focus, judgeOn, vname), nil
	}
	spend := describeChange(model.Spend, res.Total.Values[model.Spend], res.Total.CompareValues[model.Spend])
	if !spend.ok {
		return "", "", nil
	}
	switch {
	case spend.steady:
		more = fmt.Sprintf(" %s barely moved (%s)", whose, spend.signed)
	case spend.rel > 0:
		more = fmt.Sprintf(" %s rose %s too", whose, spend.abs)
	default:
		more = fmt.Sprintf(" %s fell %s", whose, spend.abs)
	}
	if !ok {
		return more + ".", fmt.Sprintf("Next: %s are not a return: see whether %s %s held as they grew before moving budget.", vname, possessiveOf(focus), returnSignals(hidden)), nil
	}
	pc := describeChange(partner, res.Total.Values[partner], res.Total.CompareValues[partner])
	if !pc.ok {
		return more + ".", "", nil
	}
	pname := wording.MidSentence(wording.MetricName(partner))
	from, to := wording.Metric(partner, res.Total.CompareValues[partner]), wording.Metric(partner, res.Total.Values[partner])
	its := "its " + pname
	if own == "" {
		its = pname
	}
	switch {
	case pc.steady:
		more += fmt.Sprintf(", and %s held at %s (%s): the gain came with the spend.", its, to, pc.signed)
		return more, fmt.Sprintf("Next: judge more budget for %s on %s, not on %s: add it only while %s holds at the higher spend.", focus, its, vname, pname), nil
	case !pc.good:
		more += fmt.Sprintf(", and %s worsened from %s to %s.", its, from, to)
		which := "which campaigns"
		switch d.dim {
		case model.DimPlatform:
			which = "which of its campaigns"
		case model.DimCampaign:
			which = "what"
		}
		return more, fmt.Sprintf("Next: add no budget to %s for %s: %s worsened as it grew; find %s pushed it first.", focus, vname, its, which), nil
	}
	more += fmt.Sprintf(", and %s improved from %s to %s.", its, from, to)
	next = fmt.Sprintf("Next: consider shifting budget toward %s while %s holds.", focus, its)
	if partner == model.ROAS && (d.dim == model.DimPlatform || d.dim == model.DimCampaign) {
		if f, err := e.roasGainFooting(ctx, q, d, hidden); err != nil || f != "" {
			return more, f, err
		}
	}
	return more, next, nil
}

// roasGainFooting returns the next step of a gain in ROAS by a platform,
// or by a campaign on one platform, when the gain stands on another
// footing than the tests: "" when it does not. An untested platform, while
// another is measured, is tested before any budget is shifted toward it; a
// measured one whose test puts what its ads add under what they cost gets
// none on what it reports.
func (e *Engine) roasGainFooting(ctx context.Context, q data.Query, d driver, hidden []model.MetricID) (string, error) {
	filters := maps.Clone(q.Filters)
	if d.dim == model.DimCampaign {
		delete(filters, model.DimCampaign) // the campaign asked about is the one judged
	}
	if !onlyPlatformFilters(question.Request{Filters: filters}) {
		return "", nil
	}
	ev, err := e.testedEvidence(ctx, question.Request{Period: q.Period, Hidden: hidden})
	if err != nil || ev == nil {
		return "", err
	}
	platform, toward := d.key, "it"
	if d.dim == model.DimCampaign {
		ps, err := e.st.CampaignPlatforms(ctx)
		if err != nil || len(ps[d.key]) != 1 {
			return "", err
		}
		platform, toward = ps[d.key][0], d.name
	}
	pe := ev.of(platform)
	if pe == nil {
		return "", nil
	}
	name := wording.DimValue(model.DimPlatform, pe.platform)
	own := wording.Possessive(name)
	its := "its"
	if toward != "it" {
		its = own
	}
	switch {
	case !pe.usable() && slices.ContainsFunc(ev.every, (*platformEvidence).usable):
		return fmt.Sprintf("Next: %s, while other platforms' returns are measured: test %s incrementality before shifting budget toward %s.", strings.Replace(claimed(pe), own, own+" ROAS", 1), its, toward), nil
	case pe.usable() && pe.calibrated != nil && *pe.calibrated < 1:
		return fmt.Sprintf("Next: %s puts what %s ads add at about %s, less than they cost: shift no budget toward %s on what it reports.", testName(pe), own, ratioText(*pe.calibrated), toward), nil
	}
	return "", nil
}
