package intents

import (
	"context"
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
)

// dataStart is the first day every source a request's metrics need has
// data for: before it, missing data is not zero, it is unknown. Zero when a
// source is empty.
func (e *Engine) dataStart(ctx context.Context, req question.Request) (time.Time, error) {
	needAds, needBiz := false, false
	c := model.Context{ByAdDimension: len(req.Filters[model.DimPlatform]) > 0 || len(req.Filters[model.DimCampaign]) > 0}
	for _, m := range req.Metrics {
		mt, ok := model.LookupMetric(m)
		if !ok {
			continue
		}
		for _, n := range mt.Needs(c) {
			switch model.Measures[n].Table {
			case model.TableBusiness:
				needBiz = true
			case model.TableAds:
				needAds = true
			}
		}
	}
	var start time.Time
	later := func(r period.Period, err error) error {
		if err == nil && r.Start.After(start) {
			start = r.Start
		}
		return err
	}
	if needAds {
		if err := later(e.st.DataRange(ctx)); err != nil {
			return time.Time{}, err
		}
	}
	if needBiz {
		if err := later(e.st.BusinessRange(ctx)); err != nil {
			return time.Time{}, err
		}
	}
	return start, nil
}

// covered reports whether the data reaches back to the start of p.
func covered(p period.Period, start time.Time) bool { return start.IsZero() || !p.Start.Before(start) }

// clampToHistory starts a period no earlier than the data does, and drops a
// comparison with days the data does not reach: a change against days that
// were never imported would be a change against nothing.
func (e *Engine) clampToHistory(ctx context.Context, req question.Request) (question.Request, error) {
	if req.Intent == question.IntentBrandLift || req.Intent == question.IntentHelp || req.Intent == question.IntentUnknown || len(req.Metrics) == 0 {
		return req, nil
	}
	start, err := e.dataStart(ctx, req)
	if err != nil || start.IsZero() || req.Period.End.Before(start) {
		return req, err
	}
	notes := append([]string(nil), req.Notes...)
	if req.Period.Start.Before(start) {
		req.Period.Start, req.Period.Label = start, ""
		notes = append(notes, fmt.Sprintf("The data starts %s, so this covers %s onwards only.", start.Format("Jan 2, 2006"), start.Format("Jan 2")))
	}
	if req.Compare != nil && !covered(*req.Compare, start) {
		notes = append(notes, fmt.Sprintf("The data starts %s, so there is nothing complete to compare with %s.", start.Format("Jan 2, 2006"), periodLabel(*req.Compare)))
		req.Compare = nil
		if req.Intent == question.IntentCompare && len(req.GroupBy) == 0 || req.Intent == question.IntentWhy {
			req.Intent = question.IntentValue
		}
	}
	req.Notes = notes
	return req, nil
}
