package data

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Freshness returns, per platform with ad data and for the business data, the
// last day stored and when it was last imported.
func (s *Store) Freshness(ctx context.Context) ([]Freshness, error) {
	var rows []struct {
		Source     string `db:"source"`
		LastDay    string `db:"last_day"`
		ImportedAt string `db:"imported_at"`
	}
	const q = `
SELECT a.platform AS source, a.last_day, COALESCE(i.imported_at, '') AS imported_at
FROM (SELECT platform, MAX(date) AS last_day FROM ad_daily GROUP BY platform) a
LEFT JOIN (SELECT platform, MAX(imported_at) AS imported_at FROM imports WHERE kind = 'ads' GROUP BY platform) i ON i.platform = a.platform
UNION ALL
SELECT 'business', MAX(date), (SELECT COALESCE(MAX(imported_at), '') FROM imports WHERE kind = 'business') FROM business_daily HAVING COUNT(*) > 0`
	if err := s.db.SelectContext(ctx, &rows, q); err != nil {
		return nil, fmt.Errorf("read freshness: %w", err)
	}
	out := make([]Freshness, 0, len(rows))
	for _, r := range rows {
		f := Freshness{Source: r.Source}
		var err error
		if f.LastDay, err = time.Parse(DateLayout, r.LastDay); err != nil {
			return nil, fmt.Errorf("read freshness of %s: %w", r.Source, err)
		}
		f.ImportedAt, _ = time.Parse(time.RFC3339, r.ImportedAt)
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, nil
}

// Names are the distinct values of each named dimension in the data.
type Names struct {
	Platforms     []string
	Campaigns     []string
	CampaignTypes []string
	Categories    []string
	Regions       []string
	Channels      []string
}

// Names returns the distinct values of every named dimension, sorted.
func (s *Store) Names(ctx context.Context) (Names, error) {
	var n Names
	for _, c := range []struct {
		dst   *[]string
		query string
	}{
		{&n.Platforms, `SELECT DISTINCT platform FROM ad_daily ORDER BY 1`},
		{&n.Campaigns, `SELECT DISTINCT campaign FROM ad_daily ORDER BY 1`},
		{&n.CampaignTypes, `SELECT DISTINCT campaign_type FROM ad_daily WHERE campaign_type <> '' ORDER BY 1`},
		{&n.Categories, `SELECT DISTINCT category FROM ad_daily WHERE category <> '' ORDER BY 1`},
		{&n.Regions, `SELECT DISTINCT region FROM ad_daily WHERE region <> '' ORDER BY 1`},
		{&n.Channels, `SELECT DISTINCT channel FROM business_daily ORDER BY 1`},
	} {
		if err := s.db.SelectContext(ctx, c.dst, c.query); err != nil {
			return Names{}, fmt.Errorf("read names: %w", err)
		}
	}
	return n, nil
}

// CampaignPlatforms maps each campaign name to the platforms running it.
func (s *Store) CampaignPlatforms(ctx context.Context) (map[string][]string, error) {
	var rows []struct{ Campaign, Platform string }
	if err := s.db.SelectContext(ctx, &rows, `SELECT DISTINCT campaign, platform FROM ad_daily ORDER BY 1, 2`); err != nil {
		return nil, fmt.Errorf("read campaigns: %w", err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.Campaign] = append(out[r.Campaign], r.Platform)
	}
	return out, nil
}

// BrandLift returns the brand-lift results of studies that ended within the
// range, newest first, optionally for some platforms only.
func (s *Store) BrandLift(ctx context.Context, r DateRange, platforms []string) ([]BrandLiftRow, error) {
	var b builder
	b.cond("end_date >= ? AND end_date <= ?", r.Start.Format(DateLayout), r.End.Format(DateLayout))
	if len(platforms) > 0 {
		b.in("platform", platforms)
	}
	var rows []struct {
		Study       string
		Platform    string
		StartDate   string `db:"start_date"`
		EndDate     string `db:"end_date"`
		Metric      string
		Lift        float64
		Significant *bool
	}
	q := `SELECT study, platform, start_date, end_date, metric, lift, significant FROM brand_lift WHERE ` + strings.Join(b.where, " AND ") + ` ORDER BY end_date DESC, study, metric`
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), b.args...); err != nil {
		return nil, fmt.Errorf("read brand lift: %w", err)
	}
	out := make([]BrandLiftRow, 0, len(rows))
	for _, r := range rows {
		l := BrandLiftRow{Study: r.Study, Platform: r.Platform, Metric: r.Metric, Lift: r.Lift}
		l.StartDate, _ = time.Parse(DateLayout, r.StartDate)
		l.EndDate, _ = time.Parse(DateLayout, r.EndDate)
		if r.Significant != nil {
			l.Significant.Valid, l.Significant.Bool = true, *r.Significant
		}
		out = append(out, l)
	}
	return out, nil
}

// DataRange returns the first and last day of ad data, zero when empty.
func (s *Store) DataRange(ctx context.Context) (DateRange, error) {
	var first, last *string
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(date), MAX(date) FROM ad_daily`).Scan(&first, &last); err != nil {
		return DateRange{}, fmt.Errorf("read data range: %w", err)
	}
	if first == nil || last == nil {
		return DateRange{}, nil
	}
	f, _ := time.Parse(DateLayout, *first)
	l, _ := time.Parse(DateLayout, *last)
	return DateRange{f, l}, nil
}

// Generation changes whenever data is imported: callers cache what they
// derive from the data (names, vocabularies) against it.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.GetContext(ctx, &id, `SELECT COALESCE(MAX(id), 0) FROM imports`); err != nil {
		return 0, fmt.Errorf("read import generation: %w", err)
	}
	return id, nil
}
