package data

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
)

// NewAnswer fills an answer's numbers from a query and its result; the
// caller adds the question, intent and wording.
func NewAnswer(q Query, res *Result) model.Answer {
	a := model.Answer{
		Metrics:       append([]model.MetricID(nil), q.Metrics...),
		Period:        q.Period,
		ComparePeriod: q.Compare,
		Filters:       map[string][]string{},
		GroupBy:       append([]string{}, q.GroupBy...),
		Rows:          []model.Row{},
	}
	for d, v := range q.Filters {
		a.Filters[d] = append([]string(nil), v...)
	}
	if res != nil {
		a.Rows = append(a.Rows, res.Rows...)
		a.Total = res.Total
		for _, m := range res.Inapplicable {
			a.Notes = append(a.Notes, InapplicableNote(m, q))
		}
	}
	return a
}

// InapplicableNote says why a metric has no value for a query's slicing.
func InapplicableNote(metric model.MetricID, q Query) string {
	mt, _ := model.LookupMetric(metric)
	name := string(metric)
	if mt.ID != "" {
		name = mt.Name
	}
	var dims []string
	for d := range q.Filters {
		dims = append(dims, d)
	}
	dims = append(dims, q.GroupBy...)
	sort.Strings(dims)
	return fmt.Sprintf("%s can't be split by %s: its data has no such breakdown, so it is left blank rather than guessed.", name, strings.Join(dims, " or "))
}
