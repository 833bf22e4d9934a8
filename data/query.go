package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// timeColumns map a time grain onto the stored column.
var timeColumns = map[string]string{model.DimDay: "date", model.DimWeek: "week", model.DimMonth: "month"}

// tableDims lists, per table, the dimensions it can be filtered or grouped by.
var tableDims = map[model.Table]map[string]bool{
	model.TableAds:      {model.DimPlatform: true, model.DimAccount: true, model.DimCampaign: true, model.DimCampaignType: true, model.DimCategory: true, model.DimRegion: true, model.DimDay: true, model.DimWeek: true, model.DimMonth: true},
	model.TableBusiness: {model.DimChannel: true, model.DimDay: true, model.DimWeek: true, model.DimMonth: true},
	model.TableBudget:   {model.DimPlatform: true, model.DimCampaign: true, model.DimDay: true, model.DimWeek: true, model.DimMonth: true},
}

// ErrBadQuery is wrapped by every error about a query's shape. Each such
// error is also a *model.UserError saying what is wrong in words for the
// asker.
var ErrBadQuery = errors.New("bad query")

// badQuery is an error about a query's shape: detail for the log, say for
// the asker.
func badQuery(say, detail string) error {
	return model.Tell(say, fmt.Errorf("%w: %s", ErrBadQuery, detail))
}

// Query is a structured question for the store. User text never reaches SQL:
// every value is a bound argument and every name is checked against the
// registry and the dimension list.
type Query struct {
	Metrics   []model.MetricID
	Period    period.Period
	Compare   *period.Period
	Filters   map[string][]string
	GroupBy   []string
	OrderBy   model.MetricID // a metric id; "" orders time groups by time and others by the first metric, highest first
	Ascending bool
	Limit     int // 0 = all
	// OrdersPerCustomerYear is the purchase frequency payback assumes; 0
	// means DefaultOrdersPerCustomerYear.
	OrdersPerCustomerYear float64
	// Having keeps only the groups that pass every threshold; the total
	// stays the total of all groups.
	Having []model.Threshold
}

// Result is what a query returns: rows in the asked order and the total over
// every row (before any limit).
type Result struct {
	Rows  []model.Row
	Total model.Row
	// Inapplicable lists metrics that cannot be computed for this query's
	// filters or grouping (e.g. business revenue by platform).
	Inapplicable []model.MetricID
}

func unknownMetric(m string) error {
	return badQuery(fmt.Sprintf("I don't know a metric called %q.", m), fmt.Sprintf("unknown metric %q", m))
}

func (q Query) validate() error {
	if len(q.Metrics) == 0 {
		return badQuery("Which figure do you want? Name a metric such as spend, ROAS or CPA.", "no metric")
	}
	for _, m := range q.Metrics {
		mt, ok := model.LookupMetric(m)
		if !ok {
			return unknownMetric(string(m))
		}
		if model.FromEvidence(m) {
			return badQuery(fmt.Sprintf("%s comes from incrementality tests, not daily data: ask \"what is Meta's incremental ROAS?\" instead.", mt.Name),
				fmt.Sprintf("%s is read from experiments, not daily data", m))
		}
		if mt.Plan {
			return badQuery(fmt.Sprintf("%s is worked out by a budget plan, not summed from daily data: ask \"where should we move $50K next month?\" instead.", mt.Name),
				fmt.Sprintf("%s is a budget plan's value, not a daily one", m))
		}
		if len(mt.Needs(model.Context{})) == 0 {
			return badQuery(fmt.Sprintf("%s comes from brand-lift studies, not daily data: ask about brand lift instead.", mt.Name),
				fmt.Sprintf("%s is a brand-lift metric, not a daily one", m))
		}
	}
	if q.Period.Start.IsZero() || q.Period.End.Before(q.Period.Start) {
		return badQuery("That period has no days in it: give a start on or before its end.",
			fmt.Sprintf("period %s to %s is empty", q.Period.Start.Format(period.DateLayout), q.Period.End.Format(period.DateLayout)))
	}
	if q.Compare != nil && q.Compare.End.Before(q.Compare.Start) {
		return badQuery("The period to compare with has no days in it.", "comparison period is empty")
	}
	for d := range q.Filters {
		if !model.IsDimension(d) || model.IsTimeDimension(d) {
			return badQuery(fmt.Sprintf("I can't narrow figures down by %s.", d), fmt.Sprintf("cannot filter by %q", d))
		}
	}
	for _, d := range q.GroupBy {
		if !model.IsDimension(d) {
			return badQuery(fmt.Sprintf("I can't break figures down by %s.", d), fmt.Sprintf("cannot group by %q", d))
		}
	}
	if q.OrderBy != "" && !slices.Contains(q.Metrics, q.OrderBy) {
		return badQuery("I can rank only by a metric the question asks for.", fmt.Sprintf("order by %q, which is not among the metrics", q.OrderBy))
	}
	for _, h := range q.Having {
		if !slices.Contains(q.Metrics, h.Metric) {
			return badQuery("I can keep only the rows above or below a metric the question asks for.",
				fmt.Sprintf("threshold on %q, which is not among the metrics", h.Metric))
		}
	}
	return nil
}

// context derives the formula context of a query.
func (q Query) context(days int) model.Context {
	c := model.Context{Days: days, OrdersPerCustomerYear: q.OrdersPerCustomerYear}
	for d := range q.Filters {
		c.ByAdDimension = c.ByAdDimension || model.IsAdDimension(d)
	}
	for _, d := range q.GroupBy {
		c.ByAdDimension = c.ByAdDimension || model.IsAdDimension(d)
	}
	return c
}

// ByAdDimension reports whether the query is filtered or grouped by an
// ad-only dimension (platform, campaign ...): then metrics such as CAC
// rest on what the platforms report, not on the business's figures.
func (q Query) ByAdDimension() bool { return q.context(0).ByAdDimension }

// applicable reports whether a table's measures can be computed under the
// query's filters and grouping.
func (q Query) applicable(t model.Table) bool {
	for d := range q.Filters {
		if !tableDims[t][d] {
			return false
		}
	}
	for _, d := range q.GroupBy {
		if !tableDims[t][d] {
			return false
		}
	}
	return true
}

// group holds the sums of one key.
type group struct {
	key  []string
	sums model.Sums
}

type sums map[string]*group

func (g sums) add(key []string, id string, v float64) {
	k := strings.Join(key, "\x00")
	e, ok := g[k]
	if !ok {
		e = &group{key: key, sums: model.Sums{}}
		g[k] = e
	}
	e.sums[id] += v
}

// Run answers a query.
func (s *Store) Run(ctx context.Context, q Query) (*Result, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	if q.OrdersPerCustomerYear == 0 {
		q.OrdersPerCustomerYear = s.ordersPerCustomerYear
	}
	main, inapplicable, err := s.collect(ctx, q, q.Period)
	if err != nil {
		return nil, err
	}
	res := &Result{Inapplicable: inapplicable}
	var cmp sums
	if q.Compare != nil {
		if cmp, _, err = s.collect(ctx, q, *q.Compare); err != nil {
			return nil, err
		}
	}
	mctx := q.context(q.Period.Days())
	var cctx model.Context
	if q.Compare != nil {
		cctx = q.context(q.Compare.Days())
	}
	timeGrouped := false
	for _, d := range q.GroupBy {
		timeGrouped = timeGrouped || model.IsTimeDimension(d)
	}
	metrics := lookupMetrics(q.Metrics)
	var ev evaluator
	if len(main) > 0 {
		res.Rows = make([]model.Row, 0, len(main))
	}
	// Rows are made in key order, the order ties are ranked in, and the
	// main period's total adds them in that order.
	keys := main.sortedKeys()
	for _, k := range keys {
		g := main[k]
		row := model.Row{Values: ev.evaluate(metrics, g.sums, mctx)}
		if len(q.GroupBy) > 0 {
			row.Key = map[string]string{}
			for i, d := range q.GroupBy {
				row.Key[d] = g.key[i]
			}
		}
		if q.Compare != nil && !timeGrouped {
			var cs model.Sums
			if cg, ok := cmp[k]; ok {
				cs = cg.sums
			}
			row.CompareValues = ev.evaluate(metrics, cs, cctx)
		}
		res.Rows = append(res.Rows, row)
	}
	keyOrdered := true
	if q.Compare != nil && !timeGrouped && len(q.GroupBy) > 0 {
		// Groups that existed only in the comparison period still matter: a
		// campaign that stopped is a change.
		for _, k := range cmp.sortedKeys() {
			cg := cmp[k]
			if _, ok := main[k]; ok {
				continue
			}
			keyOrdered = false
			row := model.Row{Key: map[string]string{}, Values: ev.evaluate(metrics, nil, mctx), CompareValues: ev.evaluate(metrics, cg.sums, cctx)}
			for i, d := range q.GroupBy {
				row.Key[d] = cg.key[i]
			}
			res.Rows = append(res.Rows, row)
		}
	}
	res.Total = model.Row{Values: ev.evaluate(metrics, main.total(keys), mctx)}
	if q.Compare != nil {
		res.Total.CompareValues = ev.evaluate(metrics, totalSums(cmp), cctx)
	}
	if len(q.GroupBy) == 0 {
		res.Rows = []model.Row{{Values: res.Total.Values, CompareValues: res.Total.CompareValues}}
		if len(main) == 0 && (q.Compare == nil || len(cmp) == 0) {
			res.Rows = nil
		}
	}
	if len(q.Having) > 0 {
		kept := res.Rows[:0]
		for _, r := range res.Rows {
			ok := true
			for _, h := range q.Having {
				ok = ok && h.Pass(r.Values)
			}
			if ok {
				kept = append(kept, r)
			}
		}
		res.Rows = kept
	}
	sortRows(res.Rows, q, timeGrouped, keyOrdered)
	if q.Limit > 0 && len(res.Rows) > q.Limit {
		res.Rows = res.Rows[:q.Limit]
	}
	return res, nil
}

// totalSums adds the groups' sums in key order, so a total is the same to the
// last digit every time.
func totalSums(g sums) model.Sums { return g.total(g.sortedKeys()) }

// sortedKeys returns the groups' keys in order: the order of their key
// values, dimension by dimension ("\x00", which joins them, sorts first).
func (g sums) sortedKeys() []string {
	keys := make([]string, 0, len(g))
	for k := range g {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// total adds the groups' sums in the order of keys, all of g's.
func (g sums) total(keys []string) model.Sums {
	if len(g) == 0 {
		return nil
	}
	t := model.Sums{}
	for _, k := range keys {
		for id, v := range g[k].sums {
			t[id] += v
		}
	}
	return t
}

// evaluator evaluates metrics for the rows of one result, handing out
// their values from blocks rather than one allocation each: the values of
// 5,000 campaigns were an eighth of what ranking them allocated.
type evaluator struct{ free []float64 }

func (ev *evaluator) float(v float64) *float64 {
	if len(ev.free) == 0 {
		ev.free = make([]float64, 256)
	}
	p := &ev.free[0]
	*p = v
	ev.free = ev.free[1:]
	return p
}

func (ev *evaluator) evaluate(metrics []model.Metric, s model.Sums, c model.Context) model.Values {
	out := make(model.Values, len(metrics))
	for i := range metrics {
		mt := &metrics[i]
		if v, ok := mt.Eval(s, c); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[mt.ID] = ev.float(v)
		} else {
			out[mt.ID] = nil
		}
	}
	return out
}

// lookupMetrics returns the registry's metrics for ids, looked up once for
// every row a query evaluates (a lookup copies the metric).
func lookupMetrics(ids []model.MetricID) []model.Metric {
	out := make([]model.Metric, len(ids))
	for i, id := range ids {
		out[i], _ = model.LookupMetric(id)
		out[i].ID = id
	}
	return out
}

// sortRows orders rows by the query's order (its first metric unless
// OrderBy), ties and time groupings by key. keyOrdered says the rows are in
// key order already, so ties keep their places.
func sortRows(rows []model.Row, q Query, timeGrouped, keyOrdered bool) {
	by := q.OrderBy
	if by == "" && timeGrouped {
		if !keyOrdered {
			sort.SliceStable(rows, func(i, j int) bool { return keyLess(rows[i], rows[j], q.GroupBy) })
		}
		return
	}
	if by == "" {
		by = q.Metrics[0]
	}
	// Each row's value and key are read out of its maps once, not at each
	// comparison: sorting 5,000 campaigns by their maps was a fifth of
	// answering "top 5 campaigns by ROAS last month".
	vals := make([]*float64, len(rows))
	var keys [][]string
	if !keyOrdered {
		keys = make([][]string, len(rows))
	}
	for i, r := range rows {
		vals[i] = r.Values[by]
		if keys != nil {
			keys[i] = make([]string, len(q.GroupBy))
			for j, d := range q.GroupBy {
				keys[i][j] = r.Key[d]
			}
		}
	}
	order := make([]int32, len(rows))
	for i := range order {
		order[i] = int32(i)
	}
	asc := q.Ascending
	slices.SortStableFunc(order, func(i, j int32) int {
		if c := valueOrder(vals[i], vals[j], asc); c != 0 || keys == nil {
			return c // a tie of rows in key order keeps its order: the sort is stable
		}
		return slices.Compare(keys[i], keys[j])
	})
	sorted := make([]model.Row, len(rows))
	for i, k := range order {
		sorted[i] = rows[k]
	}
	copy(rows, sorted)
}

// valueOrder orders two values of a ranking: the highest first, or the
// lowest when asc, and no value after every value; 0 for a tie.
func valueOrder(a, b *float64, asc bool) int {
	switch {
	case a == nil && b == nil, a != nil && b != nil && *a == *b:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	case asc == (*a < *b):
		return -1
	default:
		return 1
	}
}

func keyLess(a, b model.Row, dims []string) bool {
	for _, d := range dims {
		if a.Key[d] != b.Key[d] {
			return a.Key[d] < b.Key[d]
		}
	}
	return false
}

// needs returns the measures the query's metrics are computed from, by
// the table they are summed from, and the metrics the query's filters or
// grouping leave without a value.
func (q Query) needs(c model.Context) (need map[model.Table][]string, inapplicable []model.MetricID) {
	need = map[model.Table][]string{}
	seen := map[string]bool{}
	for _, id := range q.Metrics {
		mt, _ := model.LookupMetric(id)
		ok := true
		for _, n := range mt.Needs(c) {
			if !q.applicable(model.Measures[n].Table) {
				ok = false
			}
		}
		if !ok {
			inapplicable = append(inapplicable, id)
			continue
		}
		for _, n := range mt.Needs(c) {
			if !seen[n] {
				seen[n] = true
				need[model.Measures[n].Table] = append(need[model.Measures[n].Table], n)
			}
		}
	}
	return need, inapplicable
}

// collect sums every needed measure for one period, grouped by the query's
// dimensions, across the tables they come from.
func (s *Store) collect(ctx context.Context, q Query, p period.Period) (sums, []model.MetricID, error) {
	need, inapplicable := q.needs(q.context(p.Days()))
	out := sums{}
	if len(need[model.TableAds]) > 0 {
		if err := s.sumAds(ctx, need[model.TableAds], q, p, out); err != nil {
			return nil, nil, err
		}
	}
	if len(need[model.TableBusiness]) > 0 {
		if err := s.sumTable(ctx, model.TableBusiness, need[model.TableBusiness], q, p, out); err != nil {
			return nil, nil, err
		}
	}
	if len(need[model.TableBudget]) > 0 {
		if err := s.sumBudgets(ctx, q, p, out); err != nil {
			return nil, nil, err
		}
	}
	return out, inapplicable, nil
}

var tableName = map[model.Table]string{model.TableAds: "ad_daily", model.TableBusiness: "business_daily"}

func dimColumn(d string) string {
	if c, ok := timeColumns[d]; ok {
		return c
	}
	return d
}

// builder numbers nothing itself: it collects ? placeholders and their
// arguments, and the store rebinds them for its dialect.
type builder struct {
	where []string
	args  []any
}

func (b *builder) cond(sql string, args ...any) {
	b.where = append(b.where, sql)
	b.args = append(b.args, args...)
}

func (b *builder) in(col string, vals []string) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	b.inAny(col, args)
}

// inIDs keeps the rows whose col is one of ids, the store's own int64
// ids, written into the statement in order rather than bound: PostgreSQL
// plans a statement it has run five times once for all values, and
// there a list of a thousand bound ids is searched one by one for every
// row, where a list of constants is hashed ("CPA by platform last month"
// over 5,000 campaigns, 1,000 of them connected TV: 52 ms a question in a
// server, against 4.5 ms once). The ids come from the dims, never from
// the question.
func (b *builder) inIDs(col string, ids []any) {
	ns := make([]int64, 0, len(ids))
	for _, id := range ids {
		ns = append(ns, id.(int64))
	}
	slices.Sort(ns)
	if len(ns) == 0 {
		b.where = append(b.where, "1 = 0")
		return
	}
	var sb strings.Builder
	sb.WriteString(col)
	sb.WriteString(" IN (")
	for i, n := range ns {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.FormatInt(n, 10))
	}
	sb.WriteString(")")
	b.where = append(b.where, sb.String())
}

func (b *builder) inAny(col string, vals []any) {
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")
	b.cond(fmt.Sprintf("%s IN (%s)", col, ph), vals...)
}

// filterDims returns the filter dimensions in a stable order.
func filterDims(f map[string][]string) []string {
	ds := make([]string, 0, len(f))
	for d := range f {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	return ds
}

func (s *Store) sumTable(ctx context.Context, t model.Table, measures []string, q Query, p period.Period, out sums) error {
	cols := make([]string, 0, len(q.GroupBy)+len(measures))
	for _, d := range q.GroupBy {
		cols = append(cols, dimColumn(d))
	}
	for _, m := range measures {
		cols = append(cols, fmt.Sprintf("SUM(%s)", model.Measures[m].Expr))
	}
	var b builder
	b.cond("date >= ? AND date <= ?", p.Start.Format(period.DateLayout), p.End.Format(period.DateLayout))
	for _, d := range filterDims(q.Filters) {
		b.in(dimColumn(d), q.Filters[d])
	}
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s", strings.Join(cols, ", "), tableName[t], strings.Join(b.where, " AND "))
	if len(q.GroupBy) > 0 {
		g := make([]string, len(q.GroupBy))
		for i, d := range q.GroupBy {
			g[i] = dimColumn(d)
		}
		sql += " GROUP BY " + strings.Join(g, ", ")
	} else {
		sql += " HAVING COUNT(*) > 0" // no rows, no group: missing data stays null
	}
	defer s.traceQuery(ctx, time.Now(), sql, b.args)
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(sql), b.args...)
	if err != nil {
		return fmt.Errorf("query %s: %w", tableName[t], err)
	}
	defer rows.Close()
	nd := len(q.GroupBy)
	keys := make([]string, nd)
	vals := make([]*float64, len(measures))
	dest := make([]any, 0, nd+len(measures))
	for i := range keys {
		dest = append(dest, &keys[i])
	}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		for i := range vals {
			vals[i] = nil
		}
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan %s: %w", tableName[t], err)
		}
		key := append([]string(nil), keys...)
		for i, m := range measures {
			if vals[i] != nil {
				out.add(key, m, *vals[i])
			} else {
				out.ensure(key)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", tableName[t], err)
	}
	return nil
}

func (g sums) ensure(key []string) { g.group(key, 0) }

// groupOf is group for a key the caller reuses: the key is joined into buf
// (returned, to be passed again), looked up without a string of its own,
// and copied only when its group is made.
func (g sums) groupOf(key []string, buf []byte, n int) (*group, []byte) {
	if len(key) == 1 { // the key is its one value: no joining
		e, ok := g[key[0]]
		if !ok {
			e = &group{key: []string{key[0]}, sums: make(model.Sums, n)}
			g[key[0]] = e
		}
		return e, buf
	}
	buf = buf[:0]
	for i, k := range key {
		if i > 0 {
			buf = append(buf, 0)
		}
		buf = append(buf, k...)
	}
	if e, ok := g[string(buf)]; ok {
		return e, buf
	}
	e := &group{key: slices.Clone(key), sums: make(model.Sums, n)}
	g[string(buf)] = e
	return e, buf
}

// group returns the group of key, made on first use with room for n sums.
func (g sums) group(key []string, n int) *group {
	k := strings.Join(key, "\x00")
	e, ok := g[k]
	if !ok {
		e = &group{key: key, sums: make(model.Sums, n)}
		g[k] = e
	}
	return e
}

// sumBudgets pro-rates monthly budgets over the period's days. Platform-level
// budgets are used unless the query is about campaigns, then campaign ones.
func (s *Store) sumBudgets(ctx context.Context, q Query, p period.Period, out sums) error {
	var b builder
	b.cond("month >= ? AND month <= ?", period.MonthStart(p.Start).Format(period.DateLayout), period.MonthStart(p.End).Format(period.DateLayout))
	byCampaign := len(q.Filters[model.DimCampaign]) > 0 || slices.Contains(q.GroupBy, model.DimCampaign)
	if byCampaign {
		b.cond("campaign <> ''")
	} else {
		b.cond("campaign = ''")
	}
	for _, d := range filterDims(q.Filters) {
		b.in(d, q.Filters[d])
	}
	sql := "SELECT month, platform, campaign, budget FROM budgets WHERE " + strings.Join(b.where, " AND ")
	var rows []struct {
		Month    string
		Platform string
		Campaign string
		Budget   float64
	}
	defer s.traceQuery(ctx, time.Now(), sql, b.args)
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(sql), b.args...); err != nil {
		return fmt.Errorf("query budgets: %w", err)
	}
	for _, r := range rows {
		m, err := time.Parse(period.DateLayout, r.Month)
		if err != nil {
			return fmt.Errorf("budget month %q: %w", r.Month, err)
		}
		daysInMonth := m.AddDate(0, 1, -1).Day()
		perDay := r.Budget / float64(daysInMonth)
		for d := maxTime(m, p.Start); !d.After(p.End) && d.Month() == m.Month(); d = d.AddDate(0, 0, 1) {
			key := make([]string, len(q.GroupBy))
			for i, dim := range q.GroupBy {
				switch dim {
				case model.DimPlatform:
					key[i] = r.Platform
				case model.DimCampaign:
					key[i] = r.Campaign
				case model.DimDay:
					key[i] = d.Format(period.DateLayout)
				case model.DimWeek:
					key[i] = period.WeekStart(d).Format(period.DateLayout)
				case model.DimMonth:
					key[i] = m.Format(period.DateLayout)
				}
			}
			out.add(key, "budget", perDay)
		}
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
