package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// Experiments returns every test result, newest end date first (then by
// test, platform, campaign and outcome).
func (s *Store) Experiments(ctx context.Context) ([]Experiment, error) {
	var rows []struct {
		Test         string
		Platform     string
		Campaign     string
		Outcome      string
		CampaignType string          `db:"campaign_type"`
		StartDate    string          `db:"start_date"`
		EndDate      string          `db:"end_date"`
		TestSpend    float64         `db:"test_spend"`
		Incremental  float64         `db:"incremental_outcome"`
		LiftPct      float64         `db:"lift_pct"`
		IROAS        float64         `db:"iroas"`
		CILow        float64         `db:"ci_low"`
		CIHigh       float64         `db:"ci_high"`
		PValue       sql.NullFloat64 `db:"p_value"`
		Significant  *bool
		Method       string
	}
	const q = `SELECT test, platform, campaign, outcome, campaign_type, start_date, end_date, test_spend, incremental_outcome,
lift_pct, iroas, ci_low, ci_high, p_value, significant, method FROM experiments ORDER BY end_date DESC, test, platform, campaign, outcome`
	if err := s.db.SelectContext(ctx, &rows, q); err != nil {
		return nil, fmt.Errorf("read experiments: %w", err)
	}
	out := make([]Experiment, 0, len(rows))
	for _, r := range rows {
		e := Experiment{Test: r.Test, Platform: r.Platform, Outcome: r.Outcome, TestSpend: r.TestSpend, IncrementalOutcome: r.Incremental,
			LiftPct: r.LiftPct, IROAS: r.IROAS, CILow: r.CILow, CIHigh: r.CIHigh, Campaign: r.Campaign, CampaignType: r.CampaignType,
			PValue: r.PValue, Method: r.Method}
		var err error
		if e.Start, err = time.Parse(period.DateLayout, r.StartDate); err != nil {
			return nil, fmt.Errorf("read experiments: test %q: %w", r.Test, err)
		}
		if e.End, err = time.Parse(period.DateLayout, r.EndDate); err != nil {
			return nil, fmt.Errorf("read experiments: test %q: %w", r.Test, err)
		}
		if r.Significant != nil {
			e.Significant = sql.NullBool{Bool: *r.Significant, Valid: true}
		}
		out = append(out, e)
	}
	return out, nil
}

// MMMResults returns every MMM result with its curve (points by spend),
// newest end date first (then by model and channel).
func (s *Store) MMMResults(ctx context.Context) ([]MMMResult, error) {
	var rows []struct {
		Model        string
		Channel      string
		StartDate    string  `db:"start_date"`
		EndDate      string  `db:"end_date"`
		ROI          float64 `db:"roi"`
		MROI         float64 `db:"mroi"`
		Contribution float64
	}
	const q = `SELECT model, channel, start_date, end_date, roi, mroi, contribution FROM mmm_results ORDER BY end_date DESC, model, channel, start_date`
	if err := s.db.SelectContext(ctx, &rows, q); err != nil {
		return nil, fmt.Errorf("read mmm results: %w", err)
	}
	var points []struct {
		Model     string
		Channel   string
		StartDate string `db:"start_date"`
		EndDate   string `db:"end_date"`
		Spend     float64
		Outcome   float64
	}
	const qc = `SELECT model, channel, start_date, end_date, spend, outcome FROM mmm_curve ORDER BY model, channel, start_date, end_date, spend`
	if err := s.db.SelectContext(ctx, &points, qc); err != nil {
		return nil, fmt.Errorf("read mmm curves: %w", err)
	}
	type key struct{ m, c, s, e string }
	curves := map[key][]CurvePoint{}
	for _, p := range points {
		k := key{p.Model, p.Channel, p.StartDate, p.EndDate}
		curves[k] = append(curves[k], CurvePoint{Spend: p.Spend, Outcome: p.Outcome})
	}
	out := make([]MMMResult, 0, len(rows))
	for _, r := range rows {
		m := MMMResult{Model: r.Model, Channel: r.Channel, ROI: r.ROI, MROI: r.MROI, Contribution: r.Contribution,
			Curve: curves[key{r.Model, r.Channel, r.StartDate, r.EndDate}]}
		var err error
		if m.Start, err = time.Parse(period.DateLayout, r.StartDate); err != nil {
			return nil, fmt.Errorf("read mmm results: %s %s: %w", r.Model, r.Channel, err)
		}
		if m.End, err = time.Parse(period.DateLayout, r.EndDate); err != nil {
			return nil, fmt.Errorf("read mmm results: %s %s: %w", r.Model, r.Channel, err)
		}
		out = append(out, m)
	}
	return out, nil
}
