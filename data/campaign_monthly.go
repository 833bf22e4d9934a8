package data

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"
)

// monthlyColumns are ad_campaign_monthly's sums, named as the measures they
// hold, and how each is summed over ad_facts: the daily platform sums'
// (rollupColumns), and three more that keep the sums depending on which
// rows reported an optional metric, so every ad measure can be read from
// the monthly sums.
var monthlyColumns = func() (c [len(rollupColumns) + 3][2]string) {
	copy(c[:], rollupColumns[:])
	copy(c[len(rollupColumns):], [][2]string{
		{"store_visit_spend", "SUM(CASE WHEN store_visits IS NOT NULL THEN spend END)"},
		{"engagement_impressions", "SUM(CASE WHEN engagements IS NOT NULL THEN impressions END)"},
		{"new_customer_spend", "SUM(CASE WHEN new_customers IS NOT NULL THEN spend END)"},
	})
	return c
}()

// inMonthly reports whether a measure is kept in ad_campaign_monthly.
func inMonthly(measure string) bool {
	for _, c := range monthlyColumns {
		if c[0] == measure {
			return true
		}
	}
	return false
}

// monthKey is one campaign-month of ad_campaign_monthly: the month number
// in the high bits, the campaign id in the low 40. One integer, not a pair:
// a map of pairs was 8% of importing a million rows.
type monthKey int64

func newMonthKey(month, cid int64) monthKey { return monthKey(month<<40 | cid) }

func (k monthKey) month() int64 { return int64(k) >> 40 }
func (k monthKey) cid() int64   { return int64(k) & (1<<40 - 1) }

// monthSums are one campaign-month's sums in monthlyColumns order; a
// nullable sum is valid once any row reported it.
type monthSums struct {
	pid   int64
	v     [len(monthlyColumns)]float64
	valid [len(monthlyColumns)]bool
}

func (s *monthSums) add(r *AdRow) {
	addMeasures(s.v[:], s.valid[:], r)
	n := len(rollupColumns)
	for i, c := range [3]struct {
		reported bool
		v        float64
	}{{r.StoreVisits.Valid, r.Spend}, {r.Engagements.Valid, r.Impressions}, {r.NewCustomers.Valid, r.Spend}} {
		if c.reported {
			s.v[n+i] += c.v
			s.valid[n+i] = true
		}
	}
}

// trackMonth counts r, of day number day, into its campaign-month's sums
// for this import. The sums each campaign was last counted into are kept
// by campaign id as well: rows come a day at a time, campaign after
// campaign, and looking each row's campaign-month up in the map instead
// missed the cache on every row (6% of importing a million rows).
func (ro *rollup) trackMonth(r *AdRow, day, pid, cid int64) {
	if ro.months == nil {
		ro.months = map[monthKey]int32{}
		ro.monthOf = [2]int64{math.MinInt64, 0}
	}
	if ro.monthOf[0] != day {
		ro.monthOf = [2]int64{day, monthNumber(r.Date)}
	}
	month := ro.monthOf[1]
	const dense = 1 << 22 // campaign ids up to this are kept by id
	if cid >= 0 && cid < dense {
		if int(cid) >= len(ro.lastMonth) {
			ro.lastMonth = append(ro.lastMonth, make([]lastMonth, int(cid)+1-len(ro.lastMonth)+1024)...)
		}
		if lm := &ro.lastMonth[cid]; lm.at > 0 && lm.month == month {
			ro.sums[lm.at-1].add(r)
			return
		}
	}
	k := newMonthKey(month, cid)
	at, ok := ro.months[k]
	if !ok {
		ro.sums = append(ro.sums, monthSums{pid: pid})
		at = int32(len(ro.sums) - 1)
		ro.months[k] = at
	}
	if cid >= 0 && cid < dense {
		ro.lastMonth[cid] = lastMonth{month, at + 1}
	}
	ro.sums[at].add(r)
}

// lastMonth is the campaign-month a campaign's last row was counted into:
// its month and its place in rollup.sums plus one (0: none yet).
type lastMonth struct {
	month int64
	at    int32
}

// monthSpill is how many campaign-months an import keeps in memory before
// it writes out those no earlier import has (whose sums only add up).
// A first import of 10M rows (5,000 campaigns over 66 months) kept
// 330,000, for 190 MB more at its peak and a fifth more time.
var monthSpill = 1 << 16

// monthsHad returns, by platform id, the months it had days in before
// this import.
func (w *Writer) monthsHad() map[int64]map[int64]bool {
	had := map[int64]map[int64]bool{}
	for pid, days := range w.roll.existing {
		ms := map[int64]bool{}
		for d := range days {
			ms[monthNumber(dayDate(d))] = true
		}
		had[pid] = ms
	}
	return had
}

// spillMonths writes out, adding to what an earlier spill wrote, the sums
// of the campaign-months no earlier import has, once there are monthSpill
// of them in memory; the others stay until the import's end.
func (w *Writer) spillMonths() error {
	ro := &w.roll
	if len(ro.months) < monthSpill {
		return nil
	}
	had := w.monthsHad()
	var out []monthKey
	for k, at := range ro.months {
		if !had[ro.sums[at].pid][k.month()] {
			out = append(out, k)
		}
	}
	if err := w.writeMonths(out, true); err != nil {
		return err
	}
	months, sums := make(map[monthKey]int32, len(ro.months)-len(out)), make([]monthSums, 0, len(ro.months)-len(out))
	for k, at := range ro.months {
		if had[ro.sums[at].pid][k.month()] {
			months[k] = int32(len(sums))
			sums = append(sums, ro.sums[at])
		}
	}
	ro.months, ro.sums = months, sums
	clear(ro.lastMonth)
	ro.spilled = true
	return nil
}

// finishMonthly writes every campaign-month this import has rows for. A
// campaign-month whose platform had rows in that month before this import
// may hold facts of other imports that this one did not replace: their
// sums are read once, for those months and platforms only, and added.
func (w *Writer) finishMonthly() error {
	ro := &w.roll
	if len(ro.months) == 0 {
		return nil
	}
	had := w.monthsHad()
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	pids := map[int64]bool{}
	var fresh, dirty []monthKey // fresh: campaign-months no earlier import has
	for k, at := range ro.months {
		s := &ro.sums[at]
		if had[s.pid][k.month()] {
			first, last = min(first, k.month()), max(last, k.month())
			pids[s.pid] = true
			dirty = append(dirty, k)
		} else {
			fresh = append(fresh, k)
		}
	}
	if len(pids) > 0 {
		if err := w.addUntouchedMonths(first, last, pids); err != nil {
			return err
		}
	}
	switch {
	case ro.spilled: // some of their sums are written already: add to them
		if err := w.writeMonths(fresh, true); err != nil {
			return err
		}
	case w.pg && len(fresh) > 0:
		// In PostgreSQL new rows are COPYed: upserting 40,000 campaign-months
		// (1M rows over 200 days) cost a tenth of the import.
		if err := w.copyMonths(fresh); err != nil {
			return err
		}
	default:
		dirty = append(dirty, fresh...)
	}
	return w.writeMonths(dirty, false)
}

// writeMonths upserts the sums of the campaign-months keys: adding to the
// stored sums, or replacing them.
func (w *Writer) writeMonths(keys []monthKey, add bool) error {
	ro := &w.roll
	cols := []string{"month", "campaign_id"}
	for _, c := range monthlyColumns {
		cols = append(cols, c[0])
	}
	args := make([]any, 0, 500*len(cols))
	n := 0
	for _, k := range keys {
		s := &ro.sums[ro.months[k]]
		args = append(args, k.month(), k.cid())
		for i := range s.v {
			if s.valid[i] {
				args = append(args, s.v[i])
			} else {
				args = append(args, nil)
			}
		}
		if n++; n == 500 {
			if err := w.upsertSums("ad_campaign_monthly", cols, 2, n, args, add); err != nil {
				return err
			}
			args, n = args[:0], 0
		}
	}
	return w.upsertSums("ad_campaign_monthly", cols, 2, n, args, add)
}

// monthFirstDay is the first day of a month number (year*100+month).
func monthFirstDay(m int64) time.Time {
	return time.Date(int(m/100), time.Month(m%100), 1, 0, 0, 0, 0, time.UTC)
}

// addUntouchedMonths adds to this import's campaign-months between the
// month numbers first and last, of the given platforms, the sums of their
// facts from other imports.
func (w *Writer) addUntouchedMonths(first, last int64, pids map[int64]bool) error {
	ids := make([]any, 0, len(pids))
	for pid := range pids {
		ids = append(ids, pid)
	}
	exprs := ""
	for _, c := range monthlyColumns {
		exprs += ", " + c[1]
	}
	from, to := monthFirstDay(first), monthFirstDay(last).AddDate(0, 1, -1)
	q := `SELECT month, campaign_id` + exprs + ` FROM ad_facts WHERE day >= ? AND day <= ? AND import_id <> ? AND platform_id IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + `) GROUP BY month, campaign_id`
	if err := w.live(); err != nil {
		return err
	}
	rows, err := w.tx.QueryContext(w.ctx, w.tx.Rebind(q), append([]any{epochDay(from), epochDay(to), w.importID}, ids...)...)
	if err != nil {
		return fmt.Errorf("rebuild monthly campaign sums: %w", err)
	}
	defer rows.Close()
	var month, cid int64
	var vals [len(monthlyColumns)]sql.NullFloat64
	dest := []any{&month, &cid}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("rebuild monthly campaign sums: %w", err)
		}
		at, ok := w.roll.months[newMonthKey(month, cid)]
		if !ok {
			continue // a campaign-month this import has no rows for is unchanged
		}
		s := &w.roll.sums[at]
		for i, v := range vals {
			if v.Valid {
				s.v[i] += v.Float64
				s.valid[i] = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rebuild monthly campaign sums: %w", err)
	}
	return nil
}

// upsertSums writes n rows of a sums table, each binding cols, replacing
// (or, with add, adding to) the sums of a row whose key (the first keyCols
// columns) is stored.
func (w *Writer) upsertSums(table string, cols []string, keyCols, n int, args []any, add bool) error {
	if n == 0 {
		return nil
	}
	if err := w.live(); err != nil {
		return err
	}
	sets := make([]string, 0, len(cols)-keyCols)
	for _, c := range cols[keyCols:] {
		if add {
			sets = append(sets, fmt.Sprintf("%[1]s = CASE WHEN %[2]s.%[1]s IS NULL AND excluded.%[1]s IS NULL THEN NULL ELSE COALESCE(%[2]s.%[1]s, 0) + COALESCE(excluded.%[1]s, 0) END", c, table))
			continue
		}
		sets = append(sets, c+" = excluded."+c)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s ON CONFLICT (%s) DO UPDATE SET %s", table, strings.Join(cols, ", "),
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", "), strings.Join(cols[:keyCols], ", "), strings.Join(sets, ", "))
	if _, err := w.tx.ExecContext(w.ctx, w.tx.Rebind(q), args...); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

// copyMonths COPYs the sums of campaign-months no row of is stored yet.
func (w *Writer) copyMonths(keys []monthKey) error {
	cols := []string{"month", "campaign_id"}
	for _, c := range monthlyColumns {
		cols = append(cols, c[0])
	}
	c := &copyBuf{table: "ad_campaign_monthly", cols: strings.Join(cols, ", ")}
	for _, k := range keys {
		if c.rows == 0 {
			c.buf = append(c.buf[:0], copyHeader...)
		}
		s := &w.roll.sums[w.roll.months[k]]
		b := binary.BigEndian.AppendUint16(c.buf, uint16(len(cols)))
		b = appendInt4(b, k.month())
		b = appendInt8(b, k.cid())
		for i, v := range s.v {
			if !s.valid[i] {
				b = binary.BigEndian.AppendUint32(b, math.MaxUint32) // -1: NULL
				continue
			}
			b = appendFloat8(b, v)
		}
		c.buf = b
		if c.rows++; c.rows == copyEvery {
			if err := w.sendCopy(c); err != nil {
				return err
			}
		}
	}
	if err := w.sendCopy(c); err != nil {
		return err
	}
	return w.live() // the COPY is done before the upserts of the other months
}
