package data

import (
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

var experimentUpsert = upsert{
	table: "experiments",
	cols: []string{"test", "platform", "campaign", "outcome", "campaign_type", "start_date", "end_date", "test_spend",
		"incremental_outcome", "lift_pct", "iroas", "ci_low", "ci_high", "p_value", "significant", "method"},
	key: []string{"test", "platform", "campaign", "outcome"},
	replace: []string{"campaign_type", "start_date", "end_date", "test_spend", "incremental_outcome", "lift_pct", "iroas",
		"ci_low", "ci_high", "p_value", "significant", "method"},
}

func (w *Writer) writeExperiments(tests []Experiment) error {
	type key struct{ t, p, c, o string }
	rows := lastByKey(tests, func(r Experiment) key { return key{r.Test, r.Platform, r.Campaign, r.Outcome} })
	args := make([]any, 0, len(rows)*len(experimentUpsert.cols))
	for _, r := range rows {
		args = append(args, r.Test, r.Platform, r.Campaign, r.Outcome, r.CampaignType, r.Start.Format(period.DateLayout), r.End.Format(period.DateLayout),
			r.TestSpend, r.IncrementalOutcome, r.LiftPct, r.IROAS, r.CILow, r.CIHigh, nullable(r.PValue), nullBool(r.Significant), r.Method)
	}
	return w.exec(experimentUpsert, experimentUpsert.cols, len(rows), args)
}

var mmmUpsert = upsert{
	table:   "mmm_results",
	cols:    []string{"model", "channel", "start_date", "end_date", "roi", "mroi", "contribution"},
	key:     []string{"model", "channel", "start_date", "end_date"},
	replace: []string{"roi", "mroi", "contribution"},
}

var curveUpsert = upsert{
	table:   "mmm_curve",
	cols:    []string{"model", "channel", "start_date", "end_date", "spend", "outcome"},
	key:     []string{"model", "channel", "start_date", "end_date", "spend"},
	replace: []string{"outcome"},
}

// mmmKey is an MMM result's natural key.
type mmmKey struct {
	model, channel string
	start, end     time.Time
}

func (w *Writer) writeMMM(results []MMMResult) error {
	idx := map[mmmKey]int{}
	var rows []MMMResult
	type point struct {
		k mmmKey
		p CurvePoint
	}
	var points []point
	pidx := map[point]int{}
	for _, r := range results {
		k := mmmKey{r.Model, r.Channel, r.Start, r.End}
		if i, ok := idx[k]; ok {
			rows[i].ROI, rows[i].MROI, rows[i].Contribution = r.ROI, r.MROI, r.Contribution
		} else {
			idx[k] = len(rows)
			rows = append(rows, r)
		}
		for _, c := range r.Curve {
			pk := point{k, CurvePoint{Spend: c.Spend}}
			if i, ok := pidx[pk]; ok {
				points[i].p = c // a point restated later in the file wins
				continue
			}
			pidx[pk] = len(points)
			points = append(points, point{k, c})
		}
	}
	if w.curves == nil {
		w.curves = map[mmmKey]bool{}
	}
	for _, r := range rows {
		k := mmmKey{r.Model, r.Channel, r.Start, r.End}
		if w.curves[k] {
			continue
		}
		// An earlier import's curve of this result gives way to this one's.
		if err := w.live(); err != nil {
			return err
		}
		_, err := w.tx.ExecContext(w.ctx, w.tx.Rebind(`DELETE FROM mmm_curve WHERE model = ? AND channel = ? AND start_date = ? AND end_date = ?`),
			r.Model, r.Channel, r.Start.Format(period.DateLayout), r.End.Format(period.DateLayout))
		if err != nil {
			return fmt.Errorf("clear mmm curve: %w", err)
		}
		w.curves[k] = true
	}
	args := make([]any, 0, len(rows)*len(mmmUpsert.cols))
	for _, r := range rows {
		args = append(args, r.Model, r.Channel, r.Start.Format(period.DateLayout), r.End.Format(period.DateLayout), r.ROI, r.MROI, r.Contribution)
	}
	if err := w.exec(mmmUpsert, mmmUpsert.cols, len(rows), args); err != nil {
		return err
	}
	if len(points) == 0 {
		return nil
	}
	args = make([]any, 0, len(points)*len(curveUpsert.cols))
	for _, p := range points {
		args = append(args, p.k.model, p.k.channel, p.k.start.Format(period.DateLayout), p.k.end.Format(period.DateLayout), p.p.Spend, p.p.Outcome)
	}
	return w.exec(curveUpsert, curveUpsert.cols, len(points), args)
}
