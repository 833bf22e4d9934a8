package reports

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// evidenceTable is what a budget review's moves rest on, per platform:
// how well its curve predicts held-out weeks, and the experiment that
// anchors it or why it was left out; its last row is all platforms (the
// error weighted by spend). The section's notes that say the same are
// left to the table.
func (b *Builder) evidenceTable(ctx context.Context, sec *Section) (*Table, error) {
	fit, err := b.eng.Curves(ctx)
	if err != nil {
		return nil, err
	}
	a := &sec.Answer
	t := &Table{Title: "What the moves rest on", Header: []string{"Platform", "Held-out error", "Weeks", "Anchored to"}}
	var weighted, spend float64
	anchored, used := 0, 0
	for _, c := range fit.Curves {
		if ps := a.Filters[model.DimPlatform]; len(ps) > 0 && !slices.Contains(ps, c.Platform) {
			continue
		}
		anchor := "none: platform-reported revenue"
		switch {
		case !c.Usable():
			anchor = "left out: " + c.Reason
		case c.Anchor != nil:
			anchor = c.Anchor.Test + " (ended " + c.Anchor.End.Format("Jan 2, 2006") + ")"
			anchored++
		}
		errText, errVal := "n/a", (*float64)(nil)
		if c.Error > 0 && !math.IsInf(c.Error, 0) {
			errText, errVal = wording.Value(model.UnitPercent, model.Float(c.Error)), model.Float(c.Error)
		}
		if c.Usable() {
			weighted += c.Error * c.Current
			spend += c.Current
			used++
		}
		t.add([]string{model.PlatformName(c.Platform), errText, wording.Value(model.UnitCount, model.Float(float64(c.Weeks))), anchor},
			[]*float64{nil, errVal, model.Float(float64(c.Weeks)), nil})
	}
	var all *float64
	allText := "n/a"
	if spend > 0 {
		all = model.Float(weighted / spend)
		allText = wording.Value(model.UnitPercent, all)
	}
	t.add([]string{"All platforms used", allText, "", fmt.Sprintf("%d of %d anchored", anchored, used)}, []*float64{nil, all, nil, nil})
	a.Notes = slices.DeleteFunc(a.Notes, func(n string) bool {
		return strings.HasPrefix(n, "Fit: ") || strings.HasPrefix(n, "Anchored to experiments: ") || strings.HasPrefix(n, "Left out of the moves: ")
	})
	return t, nil
}

// leadScore ranks a highlight above any dollar impact: a budget review
// leads with its moves.
const leadScore = 1e12

// budgetHighlight is a budget review's lead: the moves and their range.
func budgetHighlight(spec sectionSpec, a model.Answer) (Highlight, bool) {
	lo := a.Total.Values[model.ExpectedChangeLow]
	moved := 0.0
	for _, r := range a.Rows {
		if m := r.Values[model.Move]; m != nil && *m > 0 {
			moved += *m
		}
	}
	if lo == nil || moved == 0 || a.Summary == "" {
		return Highlight{}, false
	}
	return Highlight{Text: a.Summary, Section: spec.title, Metric: model.ExpectedChangeLow, Value: lo, score: leadScore, subject: "budget"}, true
}

// marginalROAS finds platforms whose spend is rising while the next dollar
// returns less than the floor: each platform's curve at its latest four
// weeks' spend, against the four weeks before.
func (ac *alertContext) marginalROAS(ctx context.Context, r AlertRule) (*evaluation, error) {
	fit, err := ac.eng.Curves(ctx)
	if err != nil {
		return nil, err
	}
	ev := newEvaluation()
	for _, c := range fit.Curves {
		if len(r.Platforms) > 0 && !slices.Contains(r.Platforms, c.Platform) {
			continue
		}
		if !c.Usable() || c.Previous <= 0 {
			ev.unknown[c.Platform] = true
			continue
		}
		m := c.Marginal(c.Current)
		rise := c.Current/c.Previous - 1
		f := mroasAlert{Platform: model.PlatformName(c.Platform), MROAS: wording.Value(model.UnitRatio, &m), Floor: wording.Value(model.UnitRatio, &r.Floor),
			Spend: wording.Value(model.UnitCurrency, model.Float(math.Round(c.Current))), Before: wording.Value(model.UnitCurrency, model.Float(math.Round(c.Previous))),
			Rise: wording.OffBy(rise), Threshold: wording.Value(model.UnitPercent, &r.Threshold), Error: wording.Value(model.UnitPercent, &c.Error), Basis: "platform-reported revenue"}
		if c.Anchor != nil {
			f.Basis = "incremental revenue, anchored to " + c.Anchor.Test
		}
		if m >= r.Floor || rise <= r.Threshold {
			ev.fine[c.Platform] = say("mroas_fine", f)
			continue
		}
		if lo := c.Min; lo > 0 {
			back := math.Max(c.Previous, lo)
			f.Back = wording.Value(model.UnitCurrency, model.Float(math.Round(back)))
			f.BackMROAS = wording.Value(model.UnitRatio, model.Float(c.Marginal(back)))
		}
		ev.breach[c.Platform] = finding{title: say("mroas_title", f), what: say("mroas_what", f), cause: say("mroas_cause", f), next: say("mroas_next", f)}
	}
	return ev, nil
}
