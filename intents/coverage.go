package intents

import (
	"context"
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// dataStart is the first day every source a request's metrics need has
// data for: before it, missing data is not zero, it is unknown. Zero when a
// source is empty.
func (e *Engine) dataStart(ctx context.Context, req question.Request) (time.Time, error) {
	span, err := e.dataSpan(ctx, req)
	return span.Start, err
}

// dataSpan is the days every source a request's metrics need has data
// for: from the latest first day to the earliest last day. Zero when a
// source is empty.
func (e *Engine) dataSpan(ctx context.Context, req question.Request) (period.Period, error) {
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
	var span period.Period
	within := func(r period.Period, err error) error {
		if err == nil && r.Start.After(span.Start) {
			span.Start = r.Start
		}
		if err == nil && !r.End.IsZero() && (span.End.IsZero() || r.End.Before(span.End)) {
			span.End = r.End
		}
		return err
	}
	if needAds {
		if err := within(e.st.DataRange(ctx)); err != nil {
			return period.Period{}, err
		}
	}
	if needBiz {
		if err := within(e.st.BusinessRange(ctx)); err != nil {
			return period.Period{}, err
		}
	}
	return span, nil
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
	span, err := e.dataSpan(ctx, req)
	start := span.Start
	if err != nil || start.IsZero() {
		return req, err
	}
	if day := req.AsOf.AddDate(0, 0, -1); !req.AsOf.IsZero() && day.Before(span.End) && !day.Before(start) {
		span.End = day // asked as of an earlier day: the days after it are not known yet
	}
	if req.Period.End.Before(start) {
		return beyondTheData(req, span, true), nil
	}
	if req.Intent != question.IntentPacing && req.Period.Start.After(span.End) {
		return beyondTheData(req, span, false), nil
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

// beyondTheData asks back about a period that ends before the data starts
// (before) or starts after it ends, saying what the data covers: nothing
// was imported for those days, and a figure of nothing would be no answer.
func beyondTheData(req question.Request, span period.Period, before bool) question.Request {
	day := func(t time.Time) string { return t.Format("Jan 2, 2006") }
	m := "spend"
	if len(req.Metrics) > 0 {
		m = wording.MidSentence(wording.MetricName(req.Metrics[0]))
	}
	if before {
		req.Clarify = fmt.Sprintf("There is no data %s: nothing that early was imported. The data starts %s and runs to %s. Ask about a period from %s on?",
			periodLabel(req.Period), day(span.Start), day(span.End), day(span.Start))
		req.Suggestions = []string{m + " last 30 days", m + " this year", m + " since " + span.Start.Format(period.DateLayout)}
		return req
	}
	req.Clarify = fmt.Sprintf("There is no data %s yet: the data runs to %s (from %s). Ask about a period up to %s?",
		periodLabel(req.Period), day(span.End), day(span.Start), day(span.End))
	req.Suggestions = []string{m + " yesterday", m + " last week", m + " month to date"}
	return req
}
