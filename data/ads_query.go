package data

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// factsExpr is how each ad measure is summed over ad_facts; over
// ad_platform_daily every measure is a column of its own name.
var factsExpr = map[string]string{
	"ad_new_customers":       "SUM(new_customers)",
	"store_visit_spend":      "SUM(CASE WHEN store_visits IS NOT NULL THEN spend END)",
	"engagement_impressions": "SUM(CASE WHEN engagements IS NOT NULL THEN impressions END)",
	"new_customer_spend":     "SUM(CASE WHEN new_customers IS NOT NULL THEN spend END)",
}

// timeExpr groups day numbers by a time dimension: the day itself, its
// Monday (1970-01-01 was a Thursday) or its month number.
var timeExpr = map[string]string{model.DimDay: "day", model.DimWeek: "(day - (day + 3) % 7)", model.DimMonth: "month"}

// sumAds sums ad measures for one period. Questions about platforms and time
// only read the daily platform sums; anything about campaigns or their
// attributes reads the facts grouped by campaign, and the campaign's
// dimensions are mapped in memory.
func (s *Store) sumAds(ctx context.Context, measures []string, q Query, p period.Period, out sums) error {
	rollup := true
	for _, m := range measures {
		rollup = rollup && inRollup(m)
	}
	for dim := range q.Filters {
		rollup = rollup && dim == model.DimPlatform
	}
	var timeDim string
	for _, dim := range q.GroupBy {
		switch {
		case model.IsTimeDimension(dim):
			timeDim = dim
		case dim != model.DimPlatform:
			rollup = false
		}
	}
	load := s.platformDims // the daily platform sums need no campaign
	if !rollup {
		load = s.dims
	}
	d, err := load(ctx)
	if err != nil {
		return err
	}
	var b builder
	b.cond("day >= ? AND day <= ?", epochDay(p.Start), epochDay(p.End))
	table, unit := "ad_platform_daily", "platform_id"
	if !rollup {
		table, unit = "ad_facts", "campaign_id"
	}
	if ids, all := matchingIDs(d, q.Filters, rollup); !all {
		if len(ids) == 0 {
			return nil // nothing matches the filters
		}
		b.inAny(unit, ids)
	}
	cols := []string{unit}
	group := []string{unit}
	if timeDim != "" {
		cols = append(cols, timeExpr[timeDim])
		group = append(group, timeExpr[timeDim])
	}
	for _, m := range measures {
		switch {
		case rollup:
			cols = append(cols, "SUM("+m+")")
		case factsExpr[m] != "":
			cols = append(cols, factsExpr[m])
		default:
			cols = append(cols, "SUM("+model.Measures[m].Expr+")")
		}
	}
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s GROUP BY %s", strings.Join(cols, ", "), table, strings.Join(b.where, " AND "), strings.Join(group, ", "))
	read, err := s.readAdSums(ctx, sql, b.args, timeDim != "", len(measures))
	if err != nil {
		return err
	}
	for _, r := range read {
		var info campaignInfo
		if rollup {
			info = campaignInfo{Platform: d.platforms[r.id]}
		} else {
			info = d.campaigns[r.id]
		}
		key := make([]string, len(q.GroupBy))
		for i, dim := range q.GroupBy {
			if model.IsTimeDimension(dim) {
				key[i] = timeKey(dim, r.t)
			} else {
				key[i] = info.dim(dim)
			}
		}
		out.ensure(key)
		for i, m := range measures {
			if r.vals[i] != nil {
				out.add(key, m, *r.vals[i])
			}
		}
	}
	return nil
}

// adSum is one row of an ad sums statement: a platform or campaign id, the
// time group when there is one, and the sums.
type adSum struct {
	id, t int64
	vals  []*float64
}

// readAdSums runs an ad sums statement, or takes its rows from an earlier
// run of the same statement within a ShareReads context.
func (s *Store) readAdSums(ctx context.Context, query string, args []any, hasTime bool, n int) ([]adSum, error) {
	memo, _ := ctx.Value(sharedReadsKey{}).(*sharedReads)
	key := ""
	if memo != nil {
		key = query + fmt.Sprint(args...)
		if rows, ok := memo.get(key); ok {
			return rows, nil
		}
	}
	defer s.traceQuery(ctx, time.Now(), query, args)
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("query ad sums: %w", err)
	}
	defer rows.Close()
	var out []adSum
	for rows.Next() {
		r := adSum{vals: make([]*float64, n)}
		dest := []any{&r.id}
		if hasTime {
			dest = append(dest, &r.t)
		}
		for i := range r.vals {
			dest = append(dest, &r.vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan ad sums: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ad sums: %w", err)
	}
	if memo != nil {
		memo.put(key, out)
	}
	return out, nil
}

// timeKey writes a time group as the ISO date of its first day.
func timeKey(dim string, v int64) string {
	if dim == model.DimMonth {
		return fmt.Sprintf("%04d-%02d-01", v/100, v%100)
	}
	return dayDate(v).Format(period.DateLayout)
}

// matchingIDs returns the platform (rollup) or campaign ids that pass the
// filters; all is true when there is no filter to apply.
func matchingIDs(d *dims, filters map[string][]string, rollup bool) (ids []any, all bool) {
	if len(filters) == 0 {
		return nil, true
	}
	if rollup {
		for _, p := range filters[model.DimPlatform] {
			if id, ok := d.platformID[p]; ok {
				ids = append(ids, id)
			}
		}
		return ids, false
	}
	for id, c := range d.campaigns {
		ok := true
		for dim, vals := range filters {
			ok = ok && containsFold(vals, c.dim(dim))
		}
		if ok {
			ids = append(ids, id)
		}
	}
	return ids, false
}

// containsFold matches dimension values without regard to case, as names
// arrive from people and exports spelled either way.
func containsFold(vals []string, v string) bool {
	for _, x := range vals {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
