package data

import (
	"context"
	"fmt"
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
	var rows []struct {
		Source  string
		At      string
		LastDay *string `db:"last_day"`
		N       int
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("read syncs: %w", err)
	}
	out := make([]SyncRecord, 0, len(rows))
	for _, r := range rows {
		rec := SyncRecord{Source: r.Source, Syncs: r.N}
		rec.At, _ = time.Parse(time.RFC3339, r.At)
		if r.LastDay != nil {
			rec.LastDay, _ = time.Parse(period.DateLayout, *r.LastDay)
		}
		out = append(out, rec)
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
