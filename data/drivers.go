package data

import (
	"context"
	"math"
	"sort"

	"github.com/sowhat-ai/sowhat/model"
)

// Contribution is one group's share of a metric's change between two
// periods. Contributions of all groups add up to the total change exactly.
type Contribution struct {
	Dim          string
	Key          string
	Value        *float64 // the group's own metric value in the period
	CompareValue *float64 // and in the comparison period
	// Delta is how much of the total change this group accounts for, in the
	// metric's unit.
	Delta float64
}

// Drivers splits the change of one metric between q.Period and q.Compare
// into each group of dim's contribution, biggest effect (in the direction of
// the change first) first. For a sum it is the group's own change; for a
// ratio N/D it is (ΔN_g − R_old·ΔD_g)/D_new, which sums exactly to R_new −
// R_old, so a campaign that grew its share of spend at a worse ratio is
// named even when its own ratio did not move.
func (s *Store) Drivers(ctx context.Context, q Query, metric model.MetricID, dim string) ([]Contribution, error) {
	mt, ok := model.LookupMetric(metric)
	if !ok {
		return nil, unknownMetric(string(metric))
	}
	if q.Compare == nil {
		return nil, badQuery("Explaining a change needs a period to compare with.", "drivers need a comparison period")
	}
	if q.OrdersPerCustomerYear == 0 {
		q.OrdersPerCustomerYear = s.ordersPerCustomerYear
	}
	if model.IsAdDimension(dim) && !q.context(0).ByAdDimension {
		// A blended metric that rests on business data (CAC, MER, payback)
		// means something else per platform or campaign: split by one, its
		// parts would not add up to its change.
		if mt.RestsOnBusinessIn(model.Context{}) {
			return nil, nil
		}
	}
	g := q
	g.GroupBy = []string{dim}
	g.OrderBy, g.Limit = "", 0
	c := g.context(q.Period.Days())
	var num, den string
	var scale float64
	isRatio := false
	if mt.Ratio != nil {
		num, den, scale, isRatio = mt.Ratio(c)
	}
	measures := mt.Needs(c)
	if !isRatio && len(measures) != 1 {
		return nil, nil // neither a sum nor a ratio of sums: no exact split
	}
	g.Metrics = []model.MetricID{metric}
	cur, _, err := s.collect(ctx, g, g.Period)
	if err != nil {
		return nil, err
	}
	old, _, err := s.collect(ctx, g, *g.Compare)
	if err != nil {
		return nil, err
	}
	keys := map[string][]string{}
	for k, e := range cur {
		keys[k] = e.key
	}
	for k, e := range old {
		keys[k] = e.key
	}
	curT, oldT := totalSums(cur), totalSums(old)
	var out []Contribution
	for k, key := range keys {
		var cs, os model.Sums
		if e, ok := cur[k]; ok {
			cs = e.sums
		}
		if e, ok := old[k]; ok {
			os = e.sums
		}
		ctb := Contribution{Dim: dim, Key: key[0]}
		if v, ok := mt.Eval(cs, c); ok {
			ctb.Value = model.Float(v)
		}
		if v, ok := mt.Eval(os, g.context(g.Compare.Days())); ok {
			ctb.CompareValue = model.Float(v)
		}
		if isRatio {
			rOld, ok1 := model.DivideSums(oldT, num, den, 1)
			dNew := curT[den]
			if !ok1 || dNew == 0 {
				return nil, nil // the change itself is undefined
			}
			ctb.Delta = ((cs[num] - os[num]) - rOld*(cs[den]-os[den])) / dNew * scale
		} else {
			ctb.Delta = cs[measures[0]] - os[measures[0]]
		}
		out = append(out, ctb)
	}
	total := 0.0
	for _, c := range out {
		total += c.Delta
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Delta, out[j].Delta
		if total < 0 {
			a, b = -a, -b
		}
		if a != b {
			return a > b
		}
		return out[i].Key < out[j].Key
	})
	for i := range out {
		if math.IsNaN(out[i].Delta) || math.IsInf(out[i].Delta, 0) {
			out[i].Delta = 0
		}
	}
	return out, nil
}
