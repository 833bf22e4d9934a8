package data

import (
	"context"
	"database/sql"
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
func (s *Store) sumAds(ctx context.Context, measures []string, q Query, p period.Period, out adSink) error {
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
	ids, all := matchingIDs(d, q.Filters, rollup)
	if !all && len(ids) == 0 {
		return nil // nothing matches the filters
	}
	for _, sg := range adSegments(p, rollup, timeDim, measures) {
		if err := s.sumAdSegment(ctx, sg, measures, q, d, ids, all, timeDim, out); err != nil {
			return err
		}
	}
	return nil
}

// adSegment is a run of days read from one table: the daily platform sums,
// the facts, or the monthly campaign sums (first and last are then month
// numbers).
type adSegment struct {
	table, unit string
	first, last int64
}

// adSegments splits a period into the reads that answer it. Platform
// questions read the daily platform sums. Campaign questions not grouped
// by day or week read whole months from the monthly campaign sums and only
// the days before the first whole month and after the last from the
// facts: "last month" by campaign is a row per campaign, not 30.
func adSegments(p period.Period, rollup bool, timeDim string, measures []string) []adSegment {
	first, last := epochDay(p.Start), epochDay(p.End)
	if rollup {
		return []adSegment{{"ad_platform_daily", "platform_id", first, last}}
	}
	facts := func(a, b int64) adSegment { return adSegment{"ad_facts", "campaign_id", a, b} }
	monthly := timeDim == "" || timeDim == model.DimMonth
	for _, m := range measures {
		monthly = monthly && inMonthly(m)
	}
	start, end := period.Day(p.Start), period.Day(p.End)
	from := period.MonthStart(start)
	if !from.Equal(start) {
		from = from.AddDate(0, 1, 0)
	}
	to := period.MonthStart(end.AddDate(0, 0, 1)).AddDate(0, 0, -1) // the last day of the last whole month
	if !monthly || to.Before(from) {
		return []adSegment{facts(first, last)}
	}
	var out []adSegment
	if f := epochDay(from); f > first {
		out = append(out, facts(first, f-1))
	}
	out = append(out, adSegment{"ad_campaign_monthly", "campaign_id", monthNumber(from), monthNumber(to)})
	if t := epochDay(to); t < last {
		out = append(out, facts(t+1, last))
	}
	return out
}

// adSink takes the rows of an ad sums statement: a result's groups
// (sums) or a ranking's columns.
type adSink interface {
	// addAds adds the rows read, which are of the daily platform sums
	// when platforms, else of campaigns, grouped by the query's dimensions.
	// A statement's rows may come in several calls; addAds keeps none of
	// them.
	addAds(read []adSum, measures []string, q Query, d *dims, platforms bool)
}

// sumAdSegment sums the measures over one segment into out.
func (s *Store) sumAdSegment(ctx context.Context, sg adSegment, measures []string, q Query, d *dims, ids []any, all bool, timeDim string, out adSink) error {
	var b builder
	if sg.table == "ad_campaign_monthly" {
		b.cond("month >= ? AND month <= ?", sg.first, sg.last)
	} else {
		b.cond("day >= ? AND day <= ?", sg.first, sg.last)
	}
	if !all {
		b.inIDs(sg.unit, ids)
	}
	cols := []string{sg.unit}
	group := []string{sg.unit}
	if timeDim != "" {
		cols = append(cols, timeExpr[timeDim])
		group = append(group, timeExpr[timeDim])
	}
	for _, m := range measures {
		switch {
		case sg.table != "ad_facts":
			cols = append(cols, "SUM("+m+")")
		case factsExpr[m] != "":
			cols = append(cols, factsExpr[m])
		default:
			cols = append(cols, "SUM("+model.Measures[m].Expr+")")
		}
	}
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s GROUP BY %s", strings.Join(cols, ", "), sg.table, strings.Join(b.where, " AND "), strings.Join(group, ", "))
	platforms := sg.table == "ad_platform_daily"
	return s.readAdSums(ctx, sql, b.args, timeDim != "", len(measures), func(read []adSum) {
		out.addAds(read, measures, q, d, platforms)
	})
}

func (g sums) addAds(read []adSum, measures []string, q Query, d *dims, platforms bool) {
	// One key and one joined key are reused for every row; a group copies
	// them when it is made (a key of its own for each row was an
	// allocation or two per row read).
	key := make([]string, len(q.GroupBy))
	var joined []byte
	for i := range read {
		r := &read[i]
		for i, dim := range q.GroupBy {
			if model.IsTimeDimension(dim) {
				key[i] = timeKey(dim, r.t)
			} else {
				key[i] = d.dimOf(r.id, platforms, dim)
			}
		}
		g, buf := g.groupOf(key, joined, len(measures))
		joined = buf
		for i, m := range measures {
			if v := r.vals[i]; v.Valid {
				g.sums[m] += v.Float64
			}
		}
	}
}

// adSum is one row of an ad sums statement: a platform or campaign id, the
// time group when there is one, and the sums (not Valid where the
// statement's SUM is NULL).
type adSum struct {
	id, t int64
	vals  []sql.NullFloat64
}

// adSumSlab is how many rows readAdSums reads before it hands them on.
const adSumSlab = 512

// readAdSums runs an ad sums statement and hands its rows to add, up to
// adSumSlab at a time in rows add must not keep, or takes its rows from an
// earlier run of the same statement within a ShareReads context (and then
// hands them on together). Reading every row before handing any on was,
// for 5,000 campaigns, 210 of the 3,200 page faults of `sowhat ask "top 5
// campaigns by roas last month"`: the rows, and the copies of a growing
// slice of them.
func (s *Store) readAdSums(ctx context.Context, query string, args []any, hasTime bool, n int, add func([]adSum)) error {
	memo, _ := ctx.Value(sharedReadsKey{}).(*sharedReads)
	key := ""
	if memo != nil {
		key = query + fmt.Sprint(args...)
		if blocks, ok := memo.get(key); ok {
			for _, rows := range blocks {
				add(rows)
			}
			return nil
		}
	}
	defer s.traceQuery(ctx, time.Now(), query, args)
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return fmt.Errorf("query ad sums: %w", err)
	}
	defer rows.Close()
	// Rows are scanned into one row's variables and copied out, their sums
	// into a slab of adSumSlab rows: a row of its own and a pointer for
	// each sum were a third of the allocations of ranking 5,000
	// campaigns.
	var r adSum
	r.vals = make([]sql.NullFloat64, n)
	dest := []any{&r.id}
	if hasTime {
		dest = append(dest, &r.t)
	}
	for i := range r.vals {
		dest = append(dest, &r.vals[i])
	}
	var kept [][]adSum // with memo: every block of rows read
	buf := make([]adSum, 0, adSumSlab)
	slab := make([]sql.NullFloat64, n*adSumSlab)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan ad sums: %w", err)
		}
		at := len(buf) * n
		row := adSum{id: r.id, t: r.t, vals: slab[at : at+n : at+n]}
		copy(row.vals, r.vals)
		if buf = append(buf, row); len(buf) < adSumSlab {
			continue
		}
		add(buf)
		if memo != nil {
			kept = append(kept, buf)
			buf, slab = make([]adSum, 0, adSumSlab), make([]sql.NullFloat64, n*adSumSlab)
			continue
		}
		buf = buf[:0]
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read ad sums: %w", err)
	}
	if len(buf) > 0 {
		add(buf)
		kept = append(kept, buf)
	}
	if memo != nil {
		memo.put(key, kept)
	}
	return nil
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
	t := &d.campaigns
	for i := range t.n {
		ok := true
		for dim, vals := range filters {
			ok = ok && containsFold(vals, t.attr(i, attrOf(dim)))
		}
		if ok {
			ids = append(ids, t.id(i))
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
