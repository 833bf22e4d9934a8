package intents

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// A platform's ROAS is what it reports unless a test measured what its ads
// add: then it stands on another footing. Reported ROAS runs well above the
// incremental one, and by more on some platforms than others (Criteo's 4x
// was a quarter incremental in the demo's test), so a split of ROAS by
// platform moves no money between a platform on one footing and one on
// the other, and between two tested platforms it goes by what the tests
// measured, as budget moves do (model/curves.holdApart).

// roasFooting returns the so-what of a split of ROAS by platform whose
// best and worst do not both stand on what they report: "" when they do
// (or no test is imported), and the split's own so-what stands. rows are
// the platforms judged.
func (e *Engine) roasFooting(ctx context.Context, req question.Request, rows []model.Row) (string, error) {
	mt, _ := model.LookupMetric(model.ROAS)
	best, worst := bestWorst(mt, model.DimPlatform, rows)
	if best == nil || worst == nil || best == worst || !onlyPlatformFilters(req) {
		return "", nil
	}
	ev, err := e.testedEvidence(ctx, req)
	if err != nil || ev == nil {
		return "", err
	}
	b, w := ev.of(best.Key[model.DimPlatform]), ev.of(worst.Key[model.DimPlatform])
	if b == nil || w == nil || !b.usable() && !w.usable() {
		return "", nil
	}
	bn, wn := wording.DimValue(model.DimPlatform, b.platform), wording.DimValue(model.DimPlatform, w.platform)
	highest := "highest"
	if len(rows) == 2 {
		highest = "higher"
	}
	lead := fmt.Sprintf("%s reports the %s ROAS (%s vs %s for %s)", bn, highest, wording.Metric(model.ROAS, best.Values[model.ROAS]), wording.Metric(model.ROAS, worst.Values[model.ROAS]), wn)
	switch {
	case b.usable() && w.usable():
		if b.calibrated == nil || w.calibrated == nil {
			return "", nil
		}
		measured := fmt.Sprintf("on what their tests measured %s returns about %s and %s about %s (estimates from %s and %s)",
			bn, ratioText(*b.calibrated), wn, ratioText(*w.calibrated), testName(b), testName(w))
		if top := max(*b.calibrated, *w.calibrated); top < 1 {
			// Moving money to the better of two that both return less
			// than they cost only loses it more slowly.
			return fmt.Sprintf("%s, but %s: neither returns what it costs. Next: add budget to neither on this evidence; find where the next dollar returns more than it costs (ask where the next dollar should go).", lead, measured), nil
		}
		if *b.calibrated > *w.calibrated {
			return fmt.Sprintf("%s, and %s. Next: test moving incremental budget from %s to %s, and judge it on the tests, not on what the platforms report.", lead, measured, wn, bn), nil
		}
		return fmt.Sprintf("%s, but %s: the order reverses. Next: plan on the tests, not on what the platforms report; move no budget from %s to %s on this split.", lead, measured, wn, bn), nil
	case w.usable() && w.calibrated != nil:
		return fmt.Sprintf("%s, but only %s is measured by a test: %s puts what its ads add at about %s; %s. Next: test %s incrementality before moving budget from %s to it.",
			lead, wording.Possessive(wn), testName(w), ratioText(*w.calibrated), claimed(b), wording.Possessive(bn), wn), nil
	case b.usable() && b.calibrated != nil:
		return fmt.Sprintf("%s, but only %s is measured by a test: %s puts what its ads add at about %s; %s. Next: test %s incrementality before judging it against %s.",
			lead, wording.Possessive(bn), testName(b), ratioText(*b.calibrated), claimed(w), wording.Possessive(wn), bn), nil
	}
	return "", nil
}

// roasLeadFooting returns the so-what of a ranking of platforms, or of
// campaigns, by ROAS whose leader's platform's ROAS is what it reports
// while another's is measured by a test: "" otherwise.
func (e *Engine) roasLeadFooting(ctx context.Context, req question.Request, dim string, lead, total model.Row) (string, error) {
	if req.Ascending || !onlyPlatformFilters(req) || lead.Values[model.ROAS] == nil || total.Values[model.ROAS] == nil {
		return "", nil
	}
	ev, err := e.testedEvidence(ctx, req)
	if err != nil || ev == nil {
		return "", err
	}
	platform := lead.Key[model.DimPlatform]
	if dim == model.DimCampaign {
		ps, err := e.st.CampaignPlatforms(ctx)
		if err != nil || len(ps[lead.Key[dim]]) != 1 {
			return "", err
		}
		platform = ps[lead.Key[dim]][0]
	}
	pe := ev.of(platform)
	if pe == nil || pe.usable() || !slices.ContainsFunc(ev.every, (*platformEvidence).usable) {
		return "", nil
	}
	name := wording.DimValue(model.DimPlatform, pe.platform)
	lv, tv := wording.Metric(model.ROAS, lead.Values[model.ROAS]), wording.Metric(model.ROAS, total.Values[model.ROAS])
	if dim == model.DimCampaign {
		leader := wording.DimValue(dim, lead.Key[dim])
		return fmt.Sprintf("%s ROAS of %s compares with %s overall, but it runs on %s, and %s. Next: test %s incrementality before giving %s more budget.",
			wording.Possessive(leader), lv, tv, name, strings.Replace(claimed(pe), wording.Possessive(name)+" is", wording.Possessive(name)+" ROAS is", 1), wording.Possessive(name), leader), nil
	}
	return fmt.Sprintf("%s ROAS of %s compares with %s overall, but %s. Next: test its incrementality before giving it more budget.",
		wording.Possessive(name), lv, tv, strings.Replace(claimed(pe), wording.Possessive(name)+" is", "it is", 1)), nil
}

// testedEvidence is evidence when any test is imported, nil otherwise:
// without a test every platform stands on what it reports, and the
// platforms' figures are not read.
func (e *Engine) testedEvidence(ctx context.Context, req question.Request) (*evidenceSet, error) {
	tests, err := e.experiments(ctx, req.AsOf)
	if err != nil || len(tests) == 0 {
		return nil, err
	}
	ev, err := e.evidenceOf(ctx, req, tests)
	if err != nil || !ev.anyTest() {
		return nil, err
	}
	return ev, nil
}

// of returns the evidence of a platform, nil when it had no spend.
func (ev *evidenceSet) of(platform string) *platformEvidence {
	for _, pe := range ev.every {
		if pe.platform == platform {
			return pe
		}
	}
	return nil
}

// testName names the test a platform's calibration rests on, flagged when
// stale.
func testName(pe *platformEvidence) string {
	if pe.stale {
		return fmt.Sprintf("the stale %q", pe.test.Test)
	}
	return fmt.Sprintf("%q", pe.test.Test)
}

// claimed says that a platform's ROAS is what it claims, and why no test
// measures it.
func claimed(pe *platformEvidence) string {
	name := wording.Possessive(wording.DimValue(model.DimPlatform, pe.platform))
	switch {
	case pe.test == nil:
		return name + " is what it claims, never tested"
	case !pe.sig:
		return fmt.Sprintf("%s is what it claims: its test, %q, could not tell", name, pe.test.Test)
	}
	return name + " is what it claims: no test measured its revenue across the platform"
}

// onlyPlatformFilters reports whether a request is filtered by platform
// alone, if at all: the tests calibrate whole platforms.
func onlyPlatformFilters(req question.Request) bool {
	for d := range req.Filters {
		if d != model.DimPlatform {
			return false
		}
	}
	return true
}
