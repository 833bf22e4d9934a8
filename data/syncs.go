package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// SyncRecord is what the store holds of one configured source's syncs.
type SyncRecord struct {
	Source  string
	At      time.Time // when its last sync ran
	LastDay time.Time // the newest day any of its syncs delivered; zero when none had rows
	Syncs   int
}

// Syncs returns, per configured source that ever synced, its last sync
// and the newest day it delivered, by name.
func (s *Store) Syncs(ctx context.Context) ([]SyncRecord, error) {
	return s.syncs(ctx, "")
}

// LastSync returns what the store holds of the named source's syncs;
// false when it never synced.
func (s *Store) LastSync(ctx context.Context, source string) (SyncRecord, bool, error) {
	rs, err := s.syncs(ctx, source)
	if err != nil || len(rs) == 0 {
		return SyncRecord{}, false, err
	}
	return rs[0], true, nil
}

func (s *Store) syncs(ctx context.Context, source string) ([]SyncRecord, error) {
	q := `SELECT source, MAX(imported_at) AS at, MAX(max_date) AS last_day, COUNT(*) AS n FROM imports WHERE source <> ''`
	var args []any
	if source != "" {
		q += ` AND source = ?`
		args = append(args, source)
	}
	q += ` GROUP BY source ORDER BY source`
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("read syncs: %w", err)
	}
	defer rows.Close()
	out := []SyncRecord{}
	for rows.Next() {
		var rec SyncRecord
		var at string
		var lastDay sql.NullString
		if err := rows.Scan(&rec.Source, &at, &lastDay, &rec.Syncs); err != nil {
			return nil, fmt.Errorf("read syncs: %w", err)
		}
		rec.At, _ = time.Parse(time.RFC3339, at)
		if lastDay.Valid {
			rec.LastDay, _ = time.Parse(period.DateLayout, lastDay.String)
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read syncs: %w", err)
	}
	return out, nil
}

// PlatformDay is one platform's ad totals on one day, as the store holds
// them.
type PlatformDay struct {
	Day         time.Time
	Platform    string
	Spend       float64
	Impressions float64
	Clicks      float64
	Conversions float64
	Revenue     float64
}

// PlatformDays returns each platform's daily totals over the days of p,
// by day and platform.
func (s *Store) PlatformDays(ctx context.Context, p period.Period) ([]PlatformDay, error) {
	var rows []struct {
		Day         int64
		Platform    string
		Spend       float64
		Impressions float64
		Clicks      float64
		Conversions float64
		Revenue     float64
	}
	err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT r.day, p.name AS platform, r.spend, r.impressions, r.clicks, r.conversions, r.revenue
FROM ad_platform_daily r JOIN platforms p ON p.id = r.platform_id WHERE r.day >= ? AND r.day <= ? ORDER BY r.day, p.name`), epochDay(p.Start), epochDay(p.End))
	if err != nil {
		return nil, fmt.Errorf("read daily platform totals: %w", err)
	}
	out := make([]PlatformDay, len(rows))
	for i, r := range rows {
		out[i] = PlatformDay{Day: dayDate(r.Day), Platform: r.Platform, Spend: r.Spend, Impressions: r.Impressions, Clicks: r.Clicks, Conversions: r.Conversions, Revenue: r.Revenue}
	}
	return out, nil
}

// ReplaceSyncedBusiness takes out, before the import's first row, the
// business results the named source's earlier syncs wrote from day from
// on: a day or channel the source's business query no longer returns (an
// order feed corrected, a channel dropped) goes, rather than staying at
// what it said before. Rows of other imports stay.
func (w *Writer) ReplaceSyncedBusiness(source string, from time.Time) error {
	if w.err != nil {
		return w.err
	}
	if w.stats.Rows > 0 {
		return w.fail(fmt.Errorf("replace %s's synced business days: must come before the import's rows", source))
	}
	if err := w.live(); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(w.ctx, w.tx.Rebind(`DELETE FROM business_daily WHERE date >= ? AND import_id IN (SELECT id FROM imports WHERE source = ? AND id <> ?)`),
		from.Format(period.DateLayout), source, w.importID); err != nil {
		return w.fail(fmt.Errorf("replace %s's synced business days: %w", source, err))
	}
	return nil
}

// ReplaceSynced takes out, before the import's first row, the ad facts the
// named source's earlier syncs wrote from day from on, and rebuilds the
// daily sums of the platforms they were on: what the source says now
// replaces what it said, rows it no longer has (a campaign renamed or
// taken out) included. Facts of other imports (a file imported by hand)
// stay.
func (w *Writer) ReplaceSynced(source string, from time.Time) error {
	if w.err != nil {
		return w.err
	}
	if w.stats.Rows > 0 || w.roll.existing != nil {
		return w.fail(fmt.Errorf("replace %s's synced days: must come before the import's rows", source))
	}
	if err := w.live(); err != nil {
		return err
	}
	d := epochDay(from)
	mine := `import_id IN (SELECT id FROM imports WHERE source = ? AND id <> ?)`
	var pids []int64
	if err := w.tx.SelectContext(w.ctx, &pids, w.tx.Rebind(`SELECT DISTINCT platform_id FROM ad_facts WHERE day >= ? AND `+mine), d, source, w.importID); err != nil {
		return w.fail(fmt.Errorf("replace %s's synced days: %w", source, err))
	}
	if len(pids) == 0 {
		return nil
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(pids)), ", ") + ")"
	args := []any{d}
	for _, p := range pids {
		args = append(args, p)
	}
	cols, exprs := "", ""
	for _, c := range rollupColumns {
		cols += ", " + c[0]
		exprs += ", " + c[1]
	}
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`DELETE FROM ad_facts WHERE day >= ? AND ` + mine, []any{d, source, w.importID}},
		{`DELETE FROM ad_platform_daily WHERE day >= ? AND platform_id IN ` + in, args},
		{`INSERT INTO ad_platform_daily (day, platform_id, month` + cols + `) SELECT day, platform_id, MIN(month)` + exprs +
			` FROM ad_facts WHERE day >= ? AND platform_id IN ` + in + ` GROUP BY day, platform_id`, args},
	} {
		if err := w.live(); err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(w.ctx, w.tx.Rebind(st.q), st.args...); err != nil {
			return w.fail(fmt.Errorf("replace %s's synced days: %w", source, err))
		}
	}
	return nil
}
