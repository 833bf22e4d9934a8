package data

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
)

// Ranking is a query's groups of one dimension in rank order, read by
// position: a group's key and values are looked up, and a model.Row is
// made only of the groups an answer shows. Ranking 5,000 campaigns as
// rows was a row of two maps, and a map of sums behind it, for each: most
// of what "top 5 campaigns by ROAS last month" cost past its SQL. The
// groups, their order and every value are those Run returns for the same
// query (TestRankIsRun).
type Ranking struct {
	Dim          string
	Total        model.Row
	Inapplicable []model.MetricID

	metrics []model.MetricID
	names   []string    // the groups' keys, by group
	byKey   []int32     // the groups in key order
	order   []int32     // places in byKey, in rank order
	vals    []float64   // len(metrics) for each place in byKey, in the order of metrics
	has     []bool      // whether the value in vals is there: nil when not
	rows    []model.Row // instead of the above: a query Rank hands to Run
}

// Len is the number of groups.
func (r *Ranking) Len() int {
	if r.rows != nil {
		return len(r.rows)
	}
	return len(r.order)
}

// Key is the i-th group's value of the dimension.
func (r *Ranking) Key(i int) string {
	if r.rows != nil {
		return r.rows[i].Key[r.Dim]
	}
	return r.names[r.byKey[r.order[i]]]
}

// Value is the i-th group's value of metric m, nil when it has none.
func (r *Ranking) Value(i int, m model.MetricID) *float64 {
	if r.rows != nil {
		return r.rows[i].Values[m]
	}
	if j := slices.Index(r.metrics, m); j >= 0 {
		return r.value(i, j)
	}
	return nil
}

// value is the i-th group's value of its j-th metric.
func (r *Ranking) value(i, j int) *float64 {
	if at := int(r.order[i])*len(r.metrics) + j; r.has[at] {
		return &r.vals[at]
	}
	return nil
}

// Row is the i-th group as Run returns it.
func (r *Ranking) Row(i int) model.Row {
	if r.rows != nil {
		return r.rows[i]
	}
	row := model.Row{Key: map[string]string{r.Dim: r.Key(i)}, Values: make(model.Values, len(r.metrics))}
	for j, m := range r.metrics {
		row.Values[m] = r.value(i, j)
	}
	return row
}

// Rank answers a query of one dimension as Run does, its groups read by
// position. A query Rank does not read by columns itself — one with a
// comparison, a threshold, a time grouping or a measure from beyond the
// ad tables — is run by Run, and its rows read the same way.
func (s *Store) Rank(ctx context.Context, q Query) (*Ranking, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	if len(q.GroupBy) != 1 {
		return nil, badQuery("A ranking is of one dimension.", "rank: not one dimension")
	}
	if q.OrdersPerCustomerYear == 0 {
		q.OrdersPerCustomerYear = s.ordersPerCustomerYear
	}
	dim := q.GroupBy[0]
	c := q.context(q.Period.Days())
	need, inapplicable := q.needs(c)
	if q.Compare != nil || len(q.Having) > 0 || model.IsTimeDimension(dim) || len(need) != 1 || len(need[model.TableAds]) == 0 {
		res, err := s.Run(ctx, q)
		if err != nil {
			return nil, err
		}
		return &Ranking{Dim: dim, Total: res.Total, Inapplicable: res.Inapplicable, metrics: q.Metrics, rows: res.Rows}, nil
	}
	measures := need[model.TableAds]
	// Unfiltered, a ranking by campaign sums into the campaigns' places:
	// most campaigns have a row. Filtered, only the groups read are made.
	cols := &columns{dim: dim, n: len(measures), byPlace: dim == model.DimCampaign && len(q.Filters) == 0}
	if err := s.sumAds(ctx, measures, q, q.Period, cols); err != nil {
		return nil, err
	}
	r := &Ranking{Dim: dim, Inapplicable: inapplicable, metrics: q.Metrics}
	metrics := lookupMetrics(q.Metrics)
	// Groups are evaluated, and the total summed, in key order, as Run
	// does, so that every value and the total are the same to the last
	// digit.
	byKey := cols.keyOrder()
	var ev evaluator
	var total model.Sums
	if len(byKey) > 0 {
		total = model.Sums{}
	}
	// Each group's values are kept in one slice, not a pointer of its own
	// and a slice of them for each group: for 5,000 campaigns those were
	// 90 of the 3,200 page faults of `sowhat ask "top 5 campaigns by roas
	// last month"`.
	scratch := make(model.Sums, len(measures))
	nm := len(metrics)
	vals := make([]float64, len(byKey)*nm)
	has := make([]bool, len(byKey)*nm)
	for i, g := range byKey {
		clear(scratch)
		for j, m := range measures {
			if at := int(g)*cols.n + j; cols.has[at] {
				scratch[m] = cols.sums[at]
				total[m] += cols.sums[at]
			}
		}
		for k := range metrics {
			if v, ok := metrics[k].Eval(scratch, c); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals[i*nm+k], has[i*nm+k] = v, true
			}
		}
	}
	r.Total = model.Row{Values: ev.evaluate(metrics, total, c)}
	by := q.OrderBy
	if by == "" {
		by = q.Metrics[0]
	}
	var order []int32 // places in byKey
	if at := slices.Index(q.Metrics, by); at >= 0 {
		order = rankOrder(vals, has, nm, at, q.Ascending)
	} else {
		order = make([]int32, len(byKey))
		for i := range order {
			order[i] = int32(i)
		}
	}
	if q.Limit > 0 && len(order) > q.Limit {
		order = order[:q.Limit]
	}
	r.names, r.byKey, r.order, r.vals, r.has = cols.keys, byKey, order, vals, has
	return r, nil
}

// rankOrder returns the places of the groups whose n values each are in
// vals (has says which are there), ranked by their at-th value as Run's
// sortRows ranks rows (valueOrder; a tie, and groups with no value,
// in their order), sorting the values themselves rather than positions
// that point at them: the pointers were most of the sort's time.
func rankOrder(vals []float64, has []bool, n, at int, asc bool) []int32 {
	type ranked struct {
		v   float64
		pos int32
	}
	groups := len(vals) / max(n, 1)
	valued := make([]ranked, 0, groups)
	var none []int32
	for i := range groups {
		if k := i*n + at; has[k] {
			valued = append(valued, ranked{vals[k], int32(i)})
		} else {
			none = append(none, int32(i))
		}
	}
	slices.SortFunc(valued, func(a, b ranked) int {
		switch {
		case a.v == b.v:
			return int(a.pos - b.pos)
		case asc == (a.v < b.v):
			return -1
		default:
			return 1
		}
	})
	order := make([]int32, 0, groups)
	for _, r := range valued {
		order = append(order, r.pos)
	}
	return append(order, none...)
}

// columns sums ad measures by the one dimension of a ranking: a group's
// sums are n places of one slice, not a map of its own.
type columns struct {
	dim   string
	n     int
	index map[string]int32 // a key's group
	keys  []string
	sums  []float64 // n for each group, in the order of the measures
	has   []bool    // whether a row had the sum: a NULL sum is no sum
	// byPlace sums each campaign into its name's place in the dims'
	// campaignOrder (keys), and present says which places had a row.
	byPlace bool
	order   *nameOrder
	present []bool
}

// keyOrder returns the groups in the order of their keys.
func (c *columns) keyOrder() []int32 {
	var out []int32
	if c.byPlace {
		out = make([]int32, 0, len(c.present))
		for g, ok := range c.present {
			if ok {
				out = append(out, int32(g))
			}
		}
		return out
	}
	out = make([]int32, len(c.keys))
	for i := range out {
		out[i] = int32(i)
	}
	slices.SortFunc(out, func(a, b int32) int { return strings.Compare(c.keys[a], c.keys[b]) })
	return out
}

func (c *columns) addAds(read []adSum, measures []string, _ Query, d *dims, platforms bool) {
	if c.byPlace && !platforms {
		c.addByPlace(read, measures, d)
		return
	}
	if c.index == nil {
		// Most reads are the one read of a ranking, a row a group: room
		// for them all at once, rather than growing to it.
		c.index = make(map[string]int32, len(read))
		c.keys = make([]string, 0, len(read))
		c.sums = make([]float64, 0, len(read)*c.n)
		c.has = make([]bool, 0, len(read)*c.n)
	}
	for i := range read {
		r := &read[i]
		key := d.dimOf(r.id, platforms, c.dim)
		g, ok := c.index[key]
		if !ok {
			g = int32(len(c.keys))
			c.index[key] = g
			c.keys = append(c.keys, key)
			c.sums = append(c.sums, make([]float64, c.n)...)
			c.has = append(c.has, make([]bool, c.n)...)
		}
		c.add(r, g, measures)
	}
}

// addByPlace adds campaigns' rows at their names' places.
func (c *columns) addByPlace(read []adSum, measures []string, d *dims) {
	if c.order == nil {
		c.order = d.campaignOrder()
		c.keys = c.order.names
		c.sums = make([]float64, len(c.keys)*c.n)
		c.has = make([]bool, len(c.keys)*c.n)
		c.present = make([]bool, len(c.keys))
	}
	for i := range read {
		r := &read[i]
		var g int32 // 0, the place of "", for a campaign the dims do not know
		if at, ok := d.campaigns.index(r.id); ok {
			g = c.order.place[at]
		}
		c.present[g] = true
		c.add(r, g, measures)
	}
}

func (c *columns) add(r *adSum, g int32, measures []string) {
	base := int(g) * c.n
	for j := range measures {
		if v := r.vals[j]; v.Valid {
			c.sums[base+j] += v.Float64
			c.has[base+j] = true
		}
	}
}
