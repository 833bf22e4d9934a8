package intents

import (
	"context"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/wording"
)

func noData(req Request, a *model.Answer, metric string) {
	mt, _ := model.LookupMetric(metric)
	why := ""
	if req.Period.End.After(req.Period.Start) || req.Period.End.Equal(req.Period.Start) {
		why = "nothing has been imported for these days and filters"
	}
	if mt.ID != "" && (metric == "store_visits" || metric == "engagements" || metric == "video_views" || metric == "cost_per_store_visit" || metric == "engagement_rate") {
		why = "the platforms asked about don't report " + strings.ToLower(mt.Name)
	}
	name := metric
	if mt.ID != "" {
		name = mt.Name
	}
	a.Summary = wording.Say("value_nodata", wording.Facts{MetricName: wording.MidSentence(name), SubjectWords: subject(req.Filters), PeriodLabel: periodLabel(req.Period), Why: why})
	a.SoWhat = "No number is better than a wrong one: check that this period's exports were ingested (sowhat ingest) or ask about another period."
}

// run answers a query and starts the answer with its numbers.
func (e *Engine) run(ctx context.Context, req Request, q data.Query) (model.Answer, *data.Result, error) {
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return base(req, q), nil, err
	}
	return fill(base(req, q), q, res), res, nil
}

func fill(a model.Answer, q data.Query, res *data.Result) model.Answer {
	n := data.NewAnswer(q, res)
	n.Question, n.Intent = a.Question, a.Intent
	n.Notes = append(a.Notes, n.Notes...)
	return n
}

// base starts an answer with what the request says.
func base(req Request, q data.Query) model.Answer {
	a := data.NewAnswer(q, nil)
	a.Question = req.Question
	a.Intent = string(req.Intent)
	a.Notes = append(a.Notes, req.Notes...)
	return a
}

func dr(p period.Period) period.Period { return period.Period{Start: p.Start, End: p.End} }

func query(req Request) data.Query {
	q := data.Query{Metrics: append([]string(nil), req.Metrics...), Period: dr(req.Period), Filters: map[string][]string{}, GroupBy: append([]string(nil), req.GroupBy...), Limit: req.Limit, Ascending: req.Ascending}
	for d, v := range req.Filters {
		q.Filters[d] = append([]string(nil), v...)
	}
	if req.Compare != nil {
		c := dr(*req.Compare)
		q.Compare = &c
	}
	q.Having = append([]model.Threshold(nil), req.Having...)
	return q
}
