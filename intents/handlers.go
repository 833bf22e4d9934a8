package intents

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// driverDim picks where to look for what drove a change: platforms when the
// question spans several, campaigns when it is about one platform. A
// question about named campaigns is split by the platforms they run on.
func driverDim(filters map[string][]string) string {
	if len(filters[model.DimPlatform]) == 1 && len(filters[model.DimCampaign]) == 0 {
		return model.DimCampaign
	}
	return model.DimPlatform
}

// explainChange runs the query with a comparison and words the change of the
// lead metric and its driver. q must have Compare set.
func (e *Engine) explainChange(ctx context.Context, q data.Query, res *data.Result, metric, compareLbl string) (string, error) {
	c := describeChange(metric, res.Total.Values[metric], res.Total.CompareValues[metric])
	if !c.ok {
		return "", nil
	}
	var d driver
	if !c.steady && len(q.GroupBy) == 0 {
		var err error
		if d, _, err = e.topDriver(ctx, q, metric, driverDim(q.Filters)); err != nil {
			return "", err
		}
		if d.name == "" {
			// No campaign split for a blended metric: say which side of
			// the ratio moved.
			if d.name, err = e.parts(ctx, q, metric); err != nil {
				return "", err
			}
			d.delta = ""
		}
	}
	return soWhat(metric, c, compareLbl, d, subject(q.Filters)), nil
}

// ratioParts names the two metrics a blended ratio is made of.
var ratioParts = map[string][2]string{
	"cac":            {"spend", "new_customers"},
	"mer":            {"business_revenue", "spend"},
	"payback_months": {"cac", "new_customers"},
	"aov":            {"business_revenue", "orders"},
}

// parts describes how the parts of a blended ratio moved: "spend (+0.1%)
// against new customers (+3.7%)".
func (e *Engine) parts(ctx context.Context, q data.Query, metric string) (string, error) {
	p, ok := ratioParts[metric]
	if !ok {
		return "", nil
	}
	pq := q
	pq.Metrics, pq.GroupBy, pq.OrderBy, pq.Limit = []string{p[0], p[1]}, nil, "", 0
	res, err := e.st.Run(ctx, pq)
	if err != nil {
		return "", err
	}
	var out []string
	for _, m := range p {
		ch := wording.Change(m, res.Total.Values[m], res.Total.CompareValues[m])
		if ch == "" {
			return "", nil
		}
		out = append(out, fmt.Sprintf("%s (%s)", wording.MidSentence(wording.MetricName(m)), ch))
	}
	return out[0] + " against " + out[1], nil
}

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

func (e *Engine) value(ctx context.Context, req Request) (model.Answer, error) {
	q := query(req)
	a := base(req, q)
	prev := previous(req.Period)
	pq := q
	c := dr(prev)
	pq.Compare = &c
	res, err := e.st.Run(ctx, pq)
	if err != nil {
		return a, err
	}
	for i := range res.Rows {
		res.Rows[i].CompareValues = nil
	}
	cmp := res.Total.CompareValues
	res.Total.CompareValues = nil
	a = fill(a, q, res)
	m := req.Metrics[0]
	if res.Total.Values[m] == nil {
		noData(req, &a, m)
		return a, nil
	}
	a.Summary = wording.Say("value", wording.Facts{Subject: headSubject(req, m), MetricName: wording.MidSentence(wording.MetricName(m)), PeriodLabel: periodLabel(req.Period), Value: wording.Metric(m, res.Total.Values[m])})
	if len(req.Metrics) > 1 {
		var more []string
		for _, o := range req.Metrics[1:] {
			more = append(more, wording.MetricName(o)+" "+wording.Metric(o, res.Total.Values[o]))
		}
		a.Summary += " " + strings.Join(more, ", ") + "."
	}
	res.Total.CompareValues = cmp
	start, err := e.dataStart(ctx, req)
	if err != nil {
		return a, err
	}
	if !covered(prev, start) {
		res.Total.CompareValues = nil // the period before is not in the data: no change to tell
	}
	if a.SoWhat, err = e.explainChange(ctx, pq, res, m, compareLabel(&prev)); err != nil {
		return a, err
	}
	more, next, err := e.context(ctx, req, m, res.Total.Values[m])
	a.SoWhat = beforeNext(a.SoWhat, more, next)
	return a, err
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

func (e *Engine) compare(ctx context.Context, req Request) (model.Answer, error) {
	if req.Compare == nil && len(req.GroupBy) > 0 {
		return e.compareEntities(ctx, req)
	}
	if req.Compare == nil {
		p := previous(req.Period)
		req.Compare = &p
	}
	q := query(req)
	a, res, err := e.run(ctx, req, q)
	if err != nil {
		return a, err
	}
	m := req.Metrics[0]
	cur, old := res.Total.Values[m], res.Total.CompareValues[m]
	if cur == nil && old == nil {
		noData(req, &a, m)
		return a, nil
	}
	c := describeChange(m, cur, old)
	f := wording.Facts{Subject: headSubject(req, m), MetricName: wording.MidSentence(wording.MetricName(m)), PeriodLabel: periodLabel(req.Period),
		Value: wording.Metric(m, cur), CompareValue: wording.Metric(m, old), Direction: c.direction, ChangeAbs: c.abs, CompareLabel: strings.TrimPrefix(periodLabel(*req.Compare), "for ")}
	if !c.ok {
		switch {
		case old == nil:
			a.Summary = fmt.Sprintf("%s %s %s was %s. There is no %s data for %s to compare it with.", f.Subject, f.MetricName, f.PeriodLabel, f.Value, f.MetricName, f.CompareLabel)
		case cur == nil:
			a.Summary = fmt.Sprintf("There is no %s data%s %s; %s it was %s.", f.MetricName, forSubject(req.Filters), f.PeriodLabel, f.CompareLabel, f.CompareValue)
		default:
			a.Summary = fmt.Sprintf("%s %s %s was %s, against %s %s: a change from zero can't be put as a percentage.", f.Subject, f.MetricName, f.PeriodLabel, f.Value, f.CompareValue, f.CompareLabel)
		}
		return a, nil
	}
	a.Summary = wording.Say("compare_periods", f)
	if c.steady {
		a.Summary = wording.Say("compare_steady", f)
	}
	if a.SoWhat, err = e.explainChange(ctx, q, res, m, compareLabel(req.Compare)); err != nil {
		return a, err
	}
	more, next, err := e.context(ctx, req, m, cur)
	a.SoWhat = beforeNext(a.SoWhat, more, next)
	return a, err
}

// compareEntities puts platforms, campaigns or categories side by side.
func (e *Engine) compareEntities(ctx context.Context, req Request) (model.Answer, error) {
	q := query(req)
	q.Limit = 0
	a, res, err := e.run(ctx, req, q)
	if err != nil {
		return a, err
	}
	m := req.Metrics[0]
	mt, _ := model.LookupMetric(m)
	dim := req.GroupBy[0]
	var parts []string
	for _, r := range res.Rows {
		parts = append(parts, wording.DimValue(dim, r.Key[dim])+" "+wording.Metric(m, r.Values[m]))
	}
	if len(parts) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	a.Summary = wording.Say("compare_entities", wording.Facts{MetricName: mt.Name, PeriodLabel: periodLabel(req.Period), Ranking: strings.Join(parts, " vs ")})
	a.SoWhat = rankSoWhat(mt, dim, res.Rows)
	return a, nil
}

// best and worst rows by a metric, honouring whether higher is better.
func bestWorst(mt model.Metric, rows []model.Row) (best, worst *model.Row) {
	for i := range rows {
		v := rows[i].Values[mt.ID]
		if v == nil {
			continue
		}
		if best == nil || (mt.HigherIsBetter == (*v > *best.Values[mt.ID])) && *v != *best.Values[mt.ID] {
			best = &rows[i]
		}
		if worst == nil || (mt.HigherIsBetter == (*v < *worst.Values[mt.ID])) && *v != *worst.Values[mt.ID] {
			worst = &rows[i]
		}
	}
	return best, worst
}

func rankSoWhat(mt model.Metric, dim string, rows []model.Row) string {
	best, worst := bestWorst(mt, rows)
	if best == nil || worst == nil || best == worst {
		return ""
	}
	bv, wv := *best.Values[mt.ID], *worst.Values[mt.ID]
	bn, wn := wording.DimValue(dim, best.Key[dim]), wording.DimValue(dim, worst.Key[dim])
	if mt.Ratio == nil {
		return concentration(mt, dim, rows)
	}
	gap := math.Abs(bv-wv) / math.Max(math.Abs(wv), 1e-9)
	if !mt.HigherIsBetter {
		gap = math.Abs(wv-bv) / math.Max(math.Abs(bv), 1e-9)
	}
	name := wording.MidSentence(mt.Name)
	return fmt.Sprintf("%s is the most efficient on %s (%s vs %s for %s: a gap of %.0f%%). Next: test moving incremental budget from %s to %s and watch whether its %s holds at higher spend.",
		wording.Capitalize(bn), name, wording.Metric(mt.ID, best.Values[mt.ID]), wording.Metric(mt.ID, worst.Values[mt.ID]), wn, gap*100, wn, bn, name)
}

// concentration says how much of a total its biggest groups hold.
func concentration(mt model.Metric, dim string, rows []model.Row) string {
	total := 0.0
	var vals []float64
	for _, r := range rows {
		if v := r.Values[mt.ID]; v != nil && *v > 0 {
			total += *v
			vals = append(vals, *v)
		}
	}
	if total == 0 || len(vals) < 2 {
		return ""
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(vals)))
	top := rows[0]
	for _, r := range rows {
		if r.Values[mt.ID] != nil && *r.Values[mt.ID] == vals[0] {
			top = r
			break
		}
	}
	text := fmt.Sprintf("%s holds %s of %s.", wording.Capitalize(wording.DimValue(dim, top.Key[dim])), wording.Value(model.UnitPercent, model.Float(vals[0]/total)), strings.ToLower(mt.Name))
	if len(vals) > 3 {
		top3 := vals[0] + vals[1] + vals[2]
		text += fmt.Sprintf(" The top three %s hold %s.", plural(dim), wording.Value(model.UnitPercent, model.Float(top3/total)))
	}
	if mt.ID == "spend" {
		return text + " Next: check that spend follows return — ask for ROAS by " + strings.ReplaceAll(dim, "_", " ") + " to compare."
	}
	return text + " Next: ask why the leader leads before moving budget."
}

func (e *Engine) breakdown(ctx context.Context, req Request) (model.Answer, error) {
	q := query(req)
	q.Limit = 0
	a, res, err := e.run(ctx, req, q)
	if err != nil {
		return a, err
	}
	m := req.Metrics[0]
	mt, _ := model.LookupMetric(m)
	if len(res.Rows) == 0 || len(req.GroupBy) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	dim := req.GroupBy[0]
	a.Rows, a.Notes = withValues(a.Rows, a.Notes, m, dim)
	if len(a.Rows) == 0 {
		noData(req, &a, m)
		return a, nil
	}
	res.Rows = a.Rows
	lead := res.Rows[0]
	f := wording.Facts{Subject: headSubject(req, m), MetricName: wording.MidSentence(mt.Name), PeriodLabel: periodLabel(req.Period), Dim: strings.ReplaceAll(dim, "_", " "),
		Total: wording.Metric(m, res.Total.Values[m]), Leader: wording.DimValue(dim, lead.Key[dim]), LeaderValue: wording.Metric(m, lead.Values[m])}
	if mt.Ratio == nil && lead.Values[m] != nil && res.Total.Values[m] != nil && *res.Total.Values[m] != 0 {
		f.LeaderShare = wording.Value(model.UnitPercent, model.Float(*lead.Values[m] / *res.Total.Values[m]))
	}
	if mt.Ratio != nil {
		f.Total = wording.Metric(m, res.Total.Values[m]) + " overall"
	} else {
		f.Total += " in all"
	}
	a.Summary = wording.Say("breakdown", f)
	if len(res.Rows) > 1 {
		a.SoWhat = rankSoWhat(mt, dim, res.Rows)
	}
	return a, nil
}

// withValues drops the groups that have no value for the metric (a platform
// that does not report store visits) and says how many were left out.
func withValues(rows []model.Row, notes []string, metric, dim string) ([]model.Row, []string) {
	kept := rows[:0:0]
	dropped := 0
	for _, r := range rows {
		if r.Values[metric] == nil {
			dropped++
			continue
		}
		kept = append(kept, r)
	}
	if dropped > 0 {
		notes = append(notes, fmt.Sprintf("%d %s with no %s data are not shown.", dropped, pluralN(dropped, dim), strings.ToLower(wording.MetricName(metric))))
	}
	return kept, notes
}

func pluralN(n int, dim string) string {
	if n == 1 {
		return strings.ReplaceAll(dim, "_", " ")
	}
	return plural(dim)
}

// beforeNext adds context to a so-what ahead of its next step, which stays
// last; a context's own next step (spend off plan) replaces the change's.
func beforeNext(soWhat, more, next string) string {
	head, tail := soWhat, ""
	if i := strings.Index(soWhat, " Next: "); i >= 0 {
		head, tail = soWhat[:i], soWhat[i:]
	}
	if next != "" {
		tail = " " + next
	}
	return strings.TrimSpace(head + more + tail)
}

func forSubject(filters map[string][]string) string {
	if s := subject(filters); s != "" {
		return " for " + s
	}
	return ""
}
