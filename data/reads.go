package data

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// summary is what every answer asks of the data as a whole, kept until the
// next import: BenchmarkReadCaches reads it in 0.24-0.27 ms, as long as
// BenchmarkQueryMonthByPlatform's query over 1M ad rows (0.18-0.22 ms),
// and takes 0.1 µs from the cache.
type summary struct {
	gen   int64
	fresh []model.Freshness
	ads   period.Period
	biz   period.Period
}

// summary returns the data's freshness and ranges for the current
// generation, read once per import rather than once per answer.
func (s *Store) summary(ctx context.Context) (*summary, error) {
	gen, err := s.Generation(ctx)
	if err != nil {
		return nil, err
	}
	s.sumMu.Lock()
	defer s.sumMu.Unlock()
	if s.sum != nil && s.sum.gen == gen {
		return s.sum, nil
	}
	sm := &summary{gen: gen}
	if sm.fresh, err = s.readFreshness(ctx); err != nil {
		return nil, err
	}
	if sm.ads, err = s.readDataRange(ctx); err != nil {
		return nil, err
	}
	if sm.biz, err = s.readBusinessRange(ctx); err != nil {
		return nil, err
	}
	s.sum = sm
	return sm, nil
}

// Freshness returns, per platform with ad data and for the business data, the
// last day stored and when it was last imported.
func (s *Store) Freshness(ctx context.Context) ([]model.Freshness, error) {
	sm, err := s.summary(ctx)
	if err != nil {
		return nil, err
	}
	return append([]model.Freshness(nil), sm.fresh...), nil
}

// DataRange returns the first and last day of ad data, zero when empty.
func (s *Store) DataRange(ctx context.Context) (period.Period, error) {
	sm, err := s.summary(ctx)
	if err != nil {
		return period.Period{}, err
	}
	return sm.ads, nil
}

// BusinessRange returns the first and last day of business data, zero when
// empty.
func (s *Store) BusinessRange(ctx context.Context) (period.Period, error) {
	sm, err := s.summary(ctx)
	if err != nil {
		return period.Period{}, err
	}
	return sm.biz, nil
}

func (s *Store) readFreshness(ctx context.Context) ([]model.Freshness, error) {
	// Each platform's last day is read from the end of the rollup's key,
	// not by grouping all of it: 0.06 ms instead of 12.6 ms (CPU, in the
	// sqlite3 shell) over the 16,000 platform-days of 10M ad rows.
	var ads []struct {
		ID       int64
		Platform string
		LastDay  *int64 `db:"last_day"`
	}
	if err := s.db.SelectContext(ctx, &ads, `SELECT p.id, p.name AS platform,
		(SELECT r.day FROM ad_platform_daily r WHERE r.platform_id = p.id ORDER BY r.day DESC LIMIT 1) AS last_day
		FROM platforms p`); err != nil {
		return nil, fmt.Errorf("read freshness: %w", err)
	}
	var imports []struct {
		Kind       string
		Platform   string
		ImportedAt string `db:"imported_at"`
	}
	if err := s.db.SelectContext(ctx, &imports, `SELECT kind, platform, MAX(imported_at) AS imported_at FROM imports GROUP BY kind, platform`); err != nil {
		return nil, fmt.Errorf("read freshness: %w", err)
	}
	importedAt := func(kind, platform string) time.Time {
		var last time.Time
		for _, i := range imports {
			if i.Kind == kind && (i.Platform == platform || i.Platform == "") {
				if t, err := time.Parse(time.RFC3339, i.ImportedAt); err == nil && t.After(last) {
					last = t
				}
			}
		}
		return last
	}
	recs, err := s.Syncs(ctx)
	if err != nil {
		return nil, fmt.Errorf("read freshness: %w", err)
	}
	syncs := make(map[string]SyncRecord, len(recs))
	for _, r := range recs {
		syncs[r.Source] = r
	}
	out := make([]model.Freshness, 0, len(ads)+1)
	for _, a := range ads {
		if a.LastDay == nil {
			continue // a platform all of whose rows were replaced away
		}
		f := model.Freshness{Source: a.Platform, LastDay: dayDate(*a.LastDay), ImportedAt: importedAt(string(KindAds), a.Platform)}
		if err := s.viaSync(ctx, &f, a.ID, *a.LastDay, syncs); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	var biz *string
	if err := s.db.GetContext(ctx, &biz, `SELECT MAX(date) FROM business_daily`); err != nil {
		return nil, fmt.Errorf("read freshness: %w", err)
	}
	if biz != nil {
		d, err := time.Parse(period.DateLayout, *biz)
		if err != nil {
			return nil, fmt.Errorf("read freshness of business data: %w", err)
		}
		out = append(out, model.Freshness{Source: "business", LastDay: d, ImportedAt: importedAt(string(KindBusiness), "")})
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
	d, err := s.dims(ctx)
	if err != nil {
		return Names{}, err
	}
	sets := map[string]map[string]bool{}
	add := func(dim, v string) {
		if v == "" {
			return
		}
		if sets[dim] == nil {
			sets[dim] = map[string]bool{}
		}
		sets[dim][v] = true
	}
	for _, c := range d.campaigns {
		for _, dim := range []string{model.DimPlatform, model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimRegion} {
			add(dim, c.dim(dim))
		}
	}
	sorted := func(dim string) []string {
		out := make([]string, 0, len(sets[dim]))
		for v := range sets[dim] {
			out = append(out, v)
		}
		sort.Strings(out)
		return out
	}
	n := Names{Platforms: sorted(model.DimPlatform), Campaigns: sorted(model.DimCampaign), CampaignTypes: sorted(model.DimCampaignType), Categories: sorted(model.DimCategory), Regions: sorted(model.DimRegion)}
	if err := s.db.SelectContext(ctx, &n.Channels, `SELECT DISTINCT channel FROM business_daily ORDER BY 1`); err != nil {
		return Names{}, fmt.Errorf("read names: %w", err)
	}
	return n, nil
}

// CampaignPlatforms maps each campaign name to the platforms running it.
// The map is shared by every caller until the next import: read it only.
func (s *Store) CampaignPlatforms(ctx context.Context) (map[string][]string, error) {
	return s.byCampaign(ctx, model.DimPlatform, func(c *campaignInfo) string { return c.Platform })
}

// CampaignTypes maps each campaign name to its campaign types (one, unless
// two platforms run campaigns of one name). The map is shared by every
// caller until the next import: read it only.
func (s *Store) CampaignTypes(ctx context.Context) (map[string][]string, error) {
	return s.byCampaign(ctx, model.DimCampaignType, func(c *campaignInfo) string { return c.CampaignType })
}

// byCampaign maps each campaign name to the distinct, sorted, non-empty
// values of one of its attributes, worked out once per import generation:
// ranking campaigns asks for it each time, and building it for 5,000
// campaigns was a sixth of what a ranking allocated.
func (s *Store) byCampaign(ctx context.Context, name string, attr func(*campaignInfo) string) (map[string][]string, error) {
	d, err := s.dims(ctx)
	if err != nil {
		return nil, err
	}
	d.byNameMu.Lock()
	defer d.byNameMu.Unlock()
	if m, ok := d.byName[name]; ok {
		return m, nil
	}
	out := make(map[string][]string, len(d.campaigns))
	for _, c := range d.campaigns {
		if v := attr(&c); v != "" && !slices.Contains(out[c.Campaign], v) {
			out[c.Campaign] = append(out[c.Campaign], v)
		}
	}
	for _, vs := range out {
		sort.Strings(vs)
	}
	if d.byName == nil {
		d.byName = map[string]map[string][]string{}
	}
	d.byName[name] = out
	return out, nil
}

// BrandLift returns the brand-lift results of studies that ended within the
// range, newest first, optionally for some platforms only.
func (s *Store) BrandLift(ctx context.Context, r period.Period, platforms []string) ([]BrandLiftRow, error) {
	var b builder
	b.cond("end_date >= ? AND end_date <= ?", r.Start.Format(period.DateLayout), r.End.Format(period.DateLayout))
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
		l.StartDate, _ = time.Parse(period.DateLayout, r.StartDate)
		l.EndDate, _ = time.Parse(period.DateLayout, r.EndDate)
		if r.Significant != nil {
			l.Significant.Valid, l.Significant.Bool = true, *r.Significant
		}
		out = append(out, l)
	}
	return out, nil
}

func (s *Store) readDataRange(ctx context.Context) (period.Period, error) {
	// Two subqueries, so that each is read from one end of the key rather
	// than both from a scan: 0.7 ms instead of 6.0 ms (CPU, sqlite3 shell)
	// at 10M ad rows.
	var first, last *int64
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT MIN(day) FROM ad_platform_daily), (SELECT MAX(day) FROM ad_platform_daily)`).Scan(&first, &last); err != nil {
		return period.Period{}, fmt.Errorf("read data range: %w", err)
	}
	if first == nil || last == nil {
		return period.Period{}, nil
	}
	return period.Period{Start: dayDate(*first), End: dayDate(*last)}, nil
}

// Generation changes whenever data is imported: callers cache what they
// derive from the data (names, vocabularies) against it.
//
// The value is reread at most every generationTTL: an import by this store
// is seen at once, one by another process within that time. Every answer
// asks for it more than once (its cache, the dims, the summary):
// BenchmarkReadCaches reads it in 9.7 µs, and takes 50 ns from the cache,
// where BenchmarkAsk answers a cached question in 38-41 µs.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	if !s.genAt.IsZero() && time.Since(s.genAt) < generationTTL {
		return s.gen, nil
	}
	var id int64
	if err := s.db.GetContext(ctx, &id, `SELECT COALESCE(MAX(id), 0) FROM imports`); err != nil {
		return 0, fmt.Errorf("read import generation: %w", err)
	}
	s.gen, s.genAt = id, time.Now()
	return id, nil
}

// generationTTL is how long a read generation is trusted.
const generationTTL = 250 * time.Millisecond

// importedHere makes the next Generation read the database.
func (s *Store) importedHere() {
	s.genMu.Lock()
	s.genAt = time.Time{}
	s.genMu.Unlock()
}

func (s *Store) readBusinessRange(ctx context.Context) (period.Period, error) {
	var first, last *string
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT MIN(date) FROM business_daily), (SELECT MAX(date) FROM business_daily)`).Scan(&first, &last); err != nil {
		return period.Period{}, fmt.Errorf("read business data range: %w", err)
	}
	if first == nil || last == nil {
		return period.Period{}, nil
	}
	f, err := time.Parse(period.DateLayout, *first)
	if err != nil {
		return period.Period{}, fmt.Errorf("read business data range: %w", err)
	}
	l, err := time.Parse(period.DateLayout, *last)
	if err != nil {
		return period.Period{}, fmt.Errorf("read business data range: %w", err)
	}
	return period.Period{Start: f, End: l}, nil
}

// viaSync names, in f, the configured source that delivered the
// platform's last day, when a sync did, with the time that source last
// synced.
func (s *Store) viaSync(ctx context.Context, f *model.Freshness, platformID, day int64, syncs map[string]SyncRecord) error {
	if len(syncs) == 0 {
		return nil
	}
	var src []string
	if err := s.db.SelectContext(ctx, &src, s.db.Rebind(`SELECT i.source FROM ad_facts a JOIN imports i ON i.id = a.import_id
WHERE a.day = ? AND a.platform_id = ? ORDER BY i.id DESC LIMIT 1`), day, platformID); err != nil {
		return fmt.Errorf("read freshness: %w", err)
	}
	if len(src) == 0 || src[0] == "" {
		return nil
	}
	f.Via = src[0]
	if r, ok := syncs[src[0]]; ok {
		f.ImportedAt = r.At
	}
	return nil
}
