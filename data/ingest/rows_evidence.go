package ingest

import (
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// experiment reads one test result: a lift study or geo holdout.
func (p *parser) experiment(row []string, line int, r *data.Experiment) error {
	*r = data.Experiment{}
	var err error
	if r.Test, r.Platform, r.Start, r.End, err = p.dated(row, line, fTest, "test"); err != nil {
		return err
	}
	switch r.Outcome = p.label(row, fOutcome); r.Outcome {
	case data.OutcomeRevenue, data.OutcomeConversions:
	case "":
		return p.empty(line, fOutcome)
	default:
		return p.bad(line, fOutcome, ErrBadValue, "%q is not an outcome sowhat knows; write revenue or conversions", p.text(row, fOutcome))
	}
	if err := p.currency(row, line); err != nil {
		return err
	}
	for _, m := range [...]struct {
		f   field
		dst *float64
	}{{fTestSpend, &r.TestSpend}, {fIncremental, &r.IncrementalOutcome}, {fIROAS, &r.IROAS}, {fCILow, &r.CILow}, {fCIHigh, &r.CIHigh}} {
		if *m.dst, _, err = p.amount(row, line, m.f); err != nil {
			return err
		}
	}
	if r.LiftPct, err = p.lift(row, line); err != nil {
		return err
	}
	if r.CILow > r.IROAS {
		return p.bad(line, fCILow, ErrBadValue, "the interval's low end (%s) is above the iroas (%s)", p.text(row, fCILow), p.text(row, fIROAS))
	}
	if r.CIHigh < r.IROAS {
		return p.bad(line, fCIHigh, ErrBadValue, "the interval's high end (%s) is below the iroas (%s)", p.text(row, fCIHigh), p.text(row, fIROAS))
	}
	r.Campaign = p.text(row, fCampaign)
	r.CampaignType = p.label(row, fCampaignType)
	r.Method = p.label(row, fMethod)
	if r.PValue.Float64, r.PValue.Valid, err = p.amount(row, line, fPValue); err != nil {
		return err
	}
	if r.PValue.Valid && r.PValue.Float64 > 1 {
		return p.bad(line, fPValue, ErrBadValue, "%q is not a p-value (between 0 and 1)", p.text(row, fPValue))
	}
	r.Significant, err = p.significant(row, line)
	return err
}

// mmm reads one row of an MMM's output: a channel's results over a period,
// and optionally one point of its response curve.
func (p *parser) mmm(row []string, line int, r *data.MMMResult) error {
	*r = data.MMMResult{}
	if r.Model = p.text(row, fModel); r.Model == "" {
		return p.empty(line, fModel)
	}
	ch := p.text(row, fChannel)
	if ch == "" {
		return p.empty(line, fChannel)
	}
	if id, ok := model.NormalizePlatform(ch); ok {
		r.Channel = id
	} else {
		r.Channel = p.label(row, fChannel) // a channel of its own: tv, radio, direct_mail
	}
	var err error
	if r.Start, r.End, err = p.span(row, line, "period"); err != nil {
		return err
	}
	if err := p.currency(row, line); err != nil {
		return err
	}
	for _, m := range [...]struct {
		f   field
		dst *float64
	}{{fROI, &r.ROI}, {fMROI, &r.MROI}, {fContribution, &r.Contribution}} {
		if *m.dst, _, err = p.amount(row, line, m.f); err != nil {
			return err
		}
	}
	spend, hasSpend, err := p.amount(row, line, fCurveSpend)
	if err != nil {
		return err
	}
	outcome, hasOutcome, err := p.amount(row, line, fCurveOutcome)
	if err != nil {
		return err
	}
	switch {
	case hasSpend && !hasOutcome:
		return p.bad(line, fCurveOutcome, ErrBadValue, "the cell is empty but curve_spend is given; a curve point needs both")
	case hasOutcome && !hasSpend:
		return p.bad(line, fCurveSpend, ErrBadValue, "the cell is empty but curve_outcome is given; a curve point needs both")
	case hasSpend:
		r.Curve = []data.CurvePoint{{Spend: spend, Outcome: outcome}}
	}
	return nil
}

// dated reads how a study or test row starts: its name (the column f),
// platform, and start and end dates; what names it in messages.
func (p *parser) dated(row []string, line int, f field, what string) (name, platform string, start, end time.Time, err error) {
	if name = p.text(row, f); name == "" {
		return "", "", start, end, p.empty(line, f)
	}
	if platform, err = p.platform(row, line); err != nil {
		return "", "", start, end, err
	}
	start, end, err = p.span(row, line, what)
	return name, platform, start, end, err
}

// span reads a row's start_date and end_date, refusing an end before the
// start; what names the row's span in the message ("test", "period").
func (p *parser) span(row []string, line int, what string) (start, end time.Time, err error) {
	if start, err = p.date(row, line, fStart); err != nil {
		return start, end, err
	}
	if end, err = p.date(row, line, fEnd); err != nil {
		return start, end, err
	}
	if end.Before(start) {
		return start, end, p.bad(line, fEnd, ErrBadValue, "the %s ends (%s) before it starts (%s)", what, end.Format(period.DateLayout), start.Format(period.DateLayout))
	}
	return start, end, nil
}
