package intents

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// noData words an answer that has no figure for metric, and why.
func noData(req question.Request, a *model.Answer, metric model.MetricID) {
	mt, _ := model.LookupMetric(metric)
	why := ""
	if req.Period.End.After(req.Period.Start) || req.Period.End.Equal(req.Period.Start) {
		why = "nothing has been imported for these days and filters"
	}
	if mt.ID != "" && (metric == model.StoreVisits || metric == model.Engagements || metric == model.VideoViews || metric == model.CostPerStoreVisit || metric == model.EngagementRate) {
		why = "the platforms asked about don't report " + strings.ToLower(mt.Name)
	}
	name := metric
	if mt.ID != "" {
		name = model.MetricID(mt.Name)
	}
	a.Summary = wording.Say("value_nodata", wording.NoData{MetricName: wording.MidSentence(string(name)), SubjectWords: subject(req.Filters), PeriodLabel: periodLabel(req.Period), Why: why})
	a.SoWhat = "No number is better than a wrong one: check that this period's exports were ingested (sowhat ingest) or ask about another period."
}

// opening is where an answer starts: the request, its query as run and the
// result, and the metric the answer leads with.
type opening struct {
	req question.Request
	q   data.Query
	res *data.Result
	m   model.MetricID
	mt  model.Metric
}

// open builds the query for req, lets shape adjust it (nil leaves it as
// built), drops a comparison with days the data does not reach back to, and
// runs it: a change against days never imported is a change against nothing.
func (e *Engine) open(ctx context.Context, req question.Request, shape func(*data.Query)) (*opening, error) {
	q, err := e.shape(ctx, req, shape)
	if err != nil {
		return nil, err
	}
	_, late, err := e.likeForLike(ctx, &q)
	if err != nil {
		return nil, err
	}
	res, err := e.st.Run(ctx, q)
	if err != nil {
		return nil, err
	}
	if late != "" {
		req.Notes = append(slices.Clone(req.Notes), late)
	}
	o := &opening{req: req, q: q, res: res, m: req.Metrics[0]}
	o.mt, _ = model.LookupMetric(o.m)
	return o, nil
}

// shape is the store query of a request, shaped by shape when not nil;
// a comparison period before the data begins is dropped.
func (e *Engine) shape(ctx context.Context, req question.Request, shape func(*data.Query)) (data.Query, error) {
	q := query(req)
	if shape != nil {
		shape(&q)
	}
	if q.Compare != nil {
		start, err := e.dataStart(ctx, req)
		if err != nil {
			return data.Query{}, err
		}
		if !covered(*q.Compare, start) {
			q.Compare = nil
		}
	}
	return q, nil
}

// around is the request a figure's context (its budget, the business's
// results, the trailing days) is read for: the platforms its figure covers,
// those a like-for-like comparison kept when it left a late export out.
func (o *opening) around() question.Request {
	req := o.req
	if len(req.Filters[model.DimPlatform]) == 0 && len(o.q.Filters[model.DimPlatform]) > 0 {
		req.Filters = o.q.Filters
	}
	return req
}

// answer begins the answer with the opening's numbers; notes follow the
// request's own.
func (o *opening) answer(notes ...string) model.Answer {
	a := base(o.req, o.q)
	a.Notes = append(a.Notes, notes...)
	return fill(a, o.q, o.res)
}

// noLimit shapes a query to return every group.
func noLimit(q *data.Query) { q.Limit = 0 }

// fill puts a result's numbers into an answer begun by base.
func fill(a model.Answer, q data.Query, res *data.Result) model.Answer {
	n := data.NewAnswer(q, res)
	n.Question, n.Intent = a.Question, a.Intent
	n.Notes = append(a.Notes, n.Notes...)
	return n
}

// base starts an answer with what the request says.
func base(req question.Request, q data.Query) model.Answer {
	a := data.NewAnswer(q, nil)
	a.Question = req.Question
	a.Intent = string(req.Intent)
	a.Notes = append(a.Notes, req.Notes...)
	return a
}

// dr is a period's dates without its label.
func dr(p period.Period) period.Period { return period.Period{Start: p.Start, End: p.End} }

// query is the store query a request asks for.
func query(req question.Request) data.Query {
	q := data.Query{Metrics: append([]model.MetricID(nil), req.Metrics...), Period: dr(req.Period), Filters: map[string][]string{}, GroupBy: append([]string(nil), req.GroupBy...), Limit: req.Limit, Ascending: req.Ascending}
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

// likeForLike takes out of both periods of a comparison the platforms whose
// data ends before the current period begins, late exports: they have none
// of its days and all of the earlier period's, and would read as a fall
// that is only missing data ("Criteo -$24,769" on a Cyber Monday it had
// not yet exported). Since they have none of the current period's days,
// its figures stay what they were. It applies to figures that rest on ad
// data alone, for a query that names no platform, campaign or account and
// has no threshold (those say how they treat a late export themselves). It
// returns the platforms taken out, "Criteo (its data ends Nov 28)", and the
// answer's note on them, both "" for none. A platform whose data ends part
// way through the period stays in it (see lateDriver).
func (e *Engine) likeForLike(ctx context.Context, q *data.Query) (without, note string, err error) {
	if q.Compare == nil || len(q.Having) > 0 || len(q.Filters[model.DimPlatform]) > 0 || len(q.Filters[model.DimCampaign]) > 0 || len(q.Filters[model.DimAccount]) > 0 || !adsOnly(q.Metrics) {
		return "", "", nil
	}
	fresh, err := e.st.Freshness(ctx)
	if err != nil {
		return "", "", err
	}
	var kept, late, ends, each []string
	for _, f := range fresh {
		switch {
		case f.Source == "business":
		case f.LastDay.Before(q.Period.Start) && !f.LastDay.Before(q.Compare.Start):
			day := f.LastDay.Format("Jan 2")
			late = append(late, sourceName(f.Source))
			ends = append(ends, fmt.Sprintf("%s data ends %s", sourceName(f.Source), day))
			each = append(each, fmt.Sprintf("%s (its data ends %s)", sourceName(f.Source), day))
		default:
			kept = append(kept, f.Source)
		}
	}
	if len(late) == 0 || len(kept) == 0 {
		return "", "", nil
	}
	if q.Filters == nil {
		q.Filters = map[string][]string{}
	}
	q.Filters[model.DimPlatform] = kept
	note = fmt.Sprintf("%s, before these days: %s left out of both periods, so the change is like for like.", strings.Join(ends, "; "), pluralWord(len(late), "it is", "they are"))
	return wording.JoinAnd(each), note, nil
}

// adsOnly reports whether every metric rests on ad data alone, none on the
// business's own results.
func adsOnly(ms []model.MetricID) bool {
	for _, m := range ms {
		mt, ok := model.LookupMetric(m)
		if !ok {
			return false
		}
		for _, n := range mt.Needs(model.Context{}) {
			if model.Measures[n].Table == model.TableBusiness {
				return false
			}
		}
	}
	return true
}
