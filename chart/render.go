package chart

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/wording"
)

// Render draws the chart that fits an answer's first metric: a line chart
// for answers grouped by day, week or month (columns when there are only a
// few periods), and a horizontal bar chart, in the rows' ranked order, for
// answers grouped by anything else, with the comparison as a second, lighter
// bar when rows have compare values. ok is false when the answer has
// nothing worth charting: no group_by, or fewer than 2 rows with a value.
func Render(a model.Answer) (png []byte, ok bool, err error) {
	d, ok := plan(a)
	if !ok {
		return nil, false, nil
	}
	png, err = d.draw()
	if err != nil {
		return nil, false, err
	}
	return png, true, nil
}

// maxColumns is the most periods drawn as columns rather than a line.
const maxColumns = 6

// drawer is a chart ready to draw.
type drawer interface {
	draw() ([]byte, error)
}

// plan chooses the chart for an answer and fills it from the rows.
func plan(a model.Answer) (drawer, bool) {
	if a.Clarify != "" || len(a.Metrics) == 0 || len(a.GroupBy) == 0 || len(a.Rows) < 2 {
		return nil, false
	}
	for _, d := range a.GroupBy {
		if model.IsTimeDimension(d) {
			return planTime(a, d)
		}
	}
	return planBars(a)
}

// metricUnit is the unit of a metric id, count when it is unknown.
func metricUnit(id model.MetricID) model.Unit {
	if mt, ok := model.LookupMetric(id); ok {
		return mt.Unit
	}
	return model.UnitCount
}

// value reads a metric from values, NaN when it is nil.
func value(vs model.Values, metric model.MetricID) float64 {
	if v := vs[metric]; v != nil {
		return *v
	}
	return math.NaN()
}

// chartTitle is "<metric> by <dims>" over the period and filters; the
// period is left out when a legend names it instead.
func chartTitle(a model.Answer, withPeriod bool) string {
	dims := make([]string, len(a.GroupBy))
	for i, d := range a.GroupBy {
		dims[i] = strings.ToLower(wording.DimTitle(d))
	}
	title := wording.MetricName(a.Metrics[0]) + " by " + strings.Join(dims, " and ")
	if withPeriod {
		title = withNote(title, wording.PeriodText(a.Period))
	}
	if f := wording.FiltersText(a.Filters); f != "" {
		title = withNote(title, f)
	}
	return title
}

// periodNames name the current and compared periods in a legend.
func periodNames(a model.Answer) [2]string {
	if a.ComparePeriod == nil {
		return defaultNames
	}
	return [2]string{wording.PeriodText(a.Period), wording.PeriodText(*a.ComparePeriod)}
}

// rowLabel names a row by its values of dims, as people write them.
func rowLabel(r model.Row, dims []string) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = wording.DimValue(d, r.Key[d])
	}
	return strings.Join(parts, " · ")
}

// planBars makes a horizontal bar chart of rows grouped by non-time
// dimensions, in their ranked order.
func planBars(a model.Answer) (drawer, bool) {
	metric := a.Metrics[0]
	b := barChart{unit: metricUnit(metric), names: periodNames(a)}
	for _, r := range a.Rows {
		b.labels = append(b.labels, rowLabel(r, a.GroupBy))
		b.values = append(b.values, value(r.Values, metric))
		b.compare = append(b.compare, value(r.CompareValues, metric))
	}
	if countFinite(b.values) < 2 {
		return nil, false
	}
	if !anyFinite(b.compare) {
		b.compare = nil
	}
	b.title = chartTitle(a, b.compare == nil)
	if metric == model.Spend && slices.Contains(a.Metrics, model.Budget) {
		// Spend against budget: the budget is the second bar.
		b.compare = b.compare[:0]
		for _, r := range a.Rows {
			b.compare = append(b.compare, value(r.Values, model.Budget))
		}
		b.names = [2]string{"Spend", "Budget"}
		b.title = "Spend vs budget by " + strings.ToLower(wording.DimTitle(a.GroupBy[0]))
		b.title = withNote(b.title, wording.PeriodText(a.Period))
		if f := wording.FiltersText(a.Filters); f != "" {
			b.title = withNote(b.title, f)
		}
		if !anyFinite(b.compare) {
			b.compare = nil
		}
	}
	return b, true
}

func countFinite(vs []float64) int {
	n := 0
	for _, v := range vs {
		if finite(v) {
			n++
		}
	}
	return n
}

// timeline is the x axis of a time chart: one slot per period, with no
// period skipped, so a missing row shows as a gap.
type timeline struct {
	labels []string
	index  map[string]int // row key → slot
	ticks  []tickSet      // nil when the keys are not dates
}

// newTimeline lays out the periods of rows keyed by ISO dates, filling in
// missing periods of the grain. Keys that are not dates are kept in the
// rows' order, unfilled.
func newTimeline(rows []model.Row, dim string) timeline {
	keys := make([]string, 0, len(rows))
	seen := map[string]bool{}
	var dates []time.Time
	for _, r := range rows {
		k := r.Key[dim]
		if seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
		if t, err := time.Parse(period.DateLayout, k); err == nil {
			dates = append(dates, t)
		}
	}
	if len(dates) < len(keys) {
		t := timeline{labels: keys, index: map[string]int{}}
		for i, k := range keys {
			t.index[k] = i
		}
		return t
	}
	byKey := make(map[string]time.Time, len(keys))
	for i, k := range keys {
		byKey[k] = dates[i]
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	return fillDates(dates, byKey, dim)
}

// maxFill bounds the periods a timeline fills in, against stray dates.
const maxFill = 5000

// fillDates makes one slot per period from the first date to the last;
// keys maps each row key to its date.
func fillDates(dates []time.Time, keys map[string]time.Time, dim string) timeline {
	next := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	switch dim {
	case model.DimWeek:
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	case model.DimMonth:
		next = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	}
	var slots []time.Time
	for t := dates[0]; !t.After(dates[len(dates)-1]) && len(slots) < maxFill; t = next(t) {
		slots = append(slots, t)
	}
	if len(slots) >= maxFill || !covers(slots, dates) {
		slots = dates // periods off the grain: show them as they come
	}
	tl := timeline{index: map[string]int{}, ticks: dateTicks(slots, dim)}
	layout := dateLabelLayout(dim, slots[0], slots[len(slots)-1])
	for i, t := range slots {
		tl.labels = append(tl.labels, t.Format(layout))
		tl.index[t.Format(period.DateLayout)] = i
	}
	for k, t := range keys {
		if i, ok := tl.index[t.Format(period.DateLayout)]; ok {
			tl.index[k] = i
		}
	}
	return tl
}

// covers reports whether every date falls on a slot.
func covers(slots, dates []time.Time) bool {
	on := make(map[time.Time]bool, len(slots))
	for _, s := range slots {
		on[s] = true
	}
	for _, d := range dates {
		if !on[d] {
			return false
		}
	}
	return true
}

// dateLabelLayout writes months as "Oct 2026" and days and weeks (by their
// first day) as "Oct 5", with the year when the axis spans more than one.
func dateLabelLayout(dim string, first, last time.Time) string {
	switch {
	case dim == model.DimMonth:
		return "Jan 2006"
	case first.Year() != last.Year():
		return "Jan 2 '06"
	}
	return "Jan 2"
}

// planTime makes a line or column chart of rows grouped by a time
// dimension, one line per value of the other dimensions.
func planTime(a model.Answer, dim string) (drawer, bool) {
	metric := a.Metrics[0]
	unit := metricUnit(metric)
	tl := newTimeline(a.Rows, dim)
	var others []string
	for _, d := range a.GroupBy {
		if d != dim {
			others = append(others, d)
		}
	}
	if len(others) > 0 {
		return planMultiLine(a, dim, others, tl)
	}
	vals, cmp := nanSlice(len(tl.labels)), nanSlice(len(tl.labels))
	for _, r := range a.Rows {
		if i, ok := tl.index[r.Key[dim]]; ok {
			vals[i], cmp[i] = value(r.Values, metric), value(r.CompareValues, metric)
		}
	}
	if countFinite(vals) < 2 {
		return nil, false
	}
	if !anyFinite(cmp) {
		cmp = nil
	}
	names := periodNames(a)
	title := chartTitle(a, cmp == nil)
	if len(tl.labels) <= maxColumns {
		return barChart{title: title, labels: tl.labels, values: vals, compare: cmp, unit: unit, names: names, vertical: true}, true
	}
	lc := lineChart{title: title, labels: tl.labels, unit: unit, ticks: tl.ticks}
	lc.series = append(lc.series, lineSeries{Series{names[0], vals}, seriesColor(0)})
	if cmp != nil {
		lc.series = append(lc.series, lineSeries{Series{names[1], cmp}, lighter(seriesColor(0), 0.55)})
	}
	return lc, true
}

// planMultiLine draws one line per value of the non-time dimensions, the
// largest (by total) first, at most maxSeries of them.
func planMultiLine(a model.Answer, dim string, others []string, tl timeline) (drawer, bool) {
	metric := a.Metrics[0]
	bySeries := map[string][]float64{}
	totals := map[string]float64{}
	var names []string
	for _, r := range a.Rows {
		slot, ok := tl.index[r.Key[dim]]
		if !ok {
			continue
		}
		name := rowLabel(r, others)
		vals, ok := bySeries[name]
		if !ok {
			vals = nanSlice(len(tl.labels))
			bySeries[name] = vals
			names = append(names, name)
		}
		v := value(r.Values, metric)
		vals[slot] = v
		if finite(v) {
			totals[name] += math.Abs(v)
		}
	}
	sort.SliceStable(names, func(i, j int) bool {
		if totals[names[i]] != totals[names[j]] {
			return totals[names[i]] > totals[names[j]]
		}
		return names[i] < names[j]
	})
	title := chartTitle(a, true)
	if len(names) > maxSeries {
		title = withNote(title, fmt.Sprintf("top %d of %d", maxSeries, len(names)))
		names = names[:maxSeries]
	}
	lc := lineChart{title: title, labels: tl.labels, unit: metricUnit(metric), ticks: tl.ticks}
	n := 0
	for i, name := range names {
		lc.series = append(lc.series, lineSeries{Series{name, bySeries[name]}, seriesColor(i)})
		n += countFinite(bySeries[name])
	}
	if n < 2 {
		return nil, false
	}
	return lc, true
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
