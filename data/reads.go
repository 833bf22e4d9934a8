package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// summary is what every answer asks of the data as a whole, kept until the
// next import: BenchmarkReadCaches (100,000 ad rows) reads it in 22-24 µs
// with four statements scanned into plain variables, where six, four of
// them through sqlx, took 32-33 µs side by side; it takes 0.1 µs from the
// cache. In a process that asks one question, the first read would also
// pay for sqlx's reflection over each row type.
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
	if sm.ads, sm.biz, err = s.readRanges(ctx); err != nil {
		return nil, err
	}
	if sm.fresh, err = s.readFreshness(ctx, sm.biz.End); err != nil {
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

// readFreshness reads each platform's last day and when it was imported;
// bizLast, the last day of business data (zero without any), is the
// business's.
func (s *Store) readFreshness(ctx context.Context, bizLast time.Time) ([]model.Freshness, error) {
	// Each platform's last day is read from the end of the rollup's key,
	// not by grouping all of it: 0.06 ms instead of 12.6 ms (CPU, in the
	// sqlite3 shell) over the 16,000 platform-days of 10M ad rows.
	type platformLast struct {
		id       int64
		platform string
		lastDay  sql.NullInt64
	}
	var ads []platformLast
	err := eachRow(ctx, s.db, `SELECT p.id, p.name AS platform,
		(SELECT r.day FROM ad_platform_daily r WHERE r.platform_id = p.id ORDER BY r.day DESC LIMIT 1) AS last_day
		FROM platforms p`, func(rs *sql.Rows) error {
		var a platformLast
		if err := rs.Scan(&a.id, &a.platform, &a.lastDay); err != nil {
			return err
		}
		ads = append(ads, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read freshness: %w", err)
	}
	type lastImport struct{ kind, platform, importedAt string }
	var imports []lastImport
	err = eachRow(ctx, s.db, `SELECT kind, platform, MAX(imported_at) AS imported_at FROM imports GROUP BY kind, platform`, func(rs *sql.Rows) error {
		var i lastImport
		if err := rs.Scan(&i.kind, &i.platform, &i.importedAt); err != nil {
			return err
		}
		imports = append(imports, i)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read freshness: %w", err)
	}
	importedAt := func(kind, platform string) time.Time {
		var last time.Time
		for _, i := range imports {
			if i.kind == kind && (i.platform == platform || i.platform == "") {
				if t, err := time.Parse(time.RFC3339, i.importedAt); err == nil && t.After(last) {
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
		if !a.lastDay.Valid {
			continue // a platform all of whose rows were replaced away
		}
		f := model.Freshness{Source: a.platform, LastDay: dayDate(a.lastDay.Int64), ImportedAt: importedAt(string(KindAds), a.platform)}
		if err := s.viaSync(ctx, &f, a.id, a.lastDay.Int64, syncs); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if !bizLast.IsZero() {
		out = append(out, model.Freshness{Source: "business", LastDay: bizLast, ImportedAt: importedAt(string(KindBusiness), "")})
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
	t := &d.campaigns
	for i := range t.n {
		for _, dim := range []string{model.DimPlatform, model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimRegion} {
			add(dim, t.attr(i, attrOf(dim)))
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
	return s.byCampaign(ctx, model.DimPlatform, attrPlatform)
}

// CampaignTypes returns the campaign types of a campaign name (one, unless
// two platforms run campaigns of one name), sorted; none for a name no
// campaign has. The lists are shared by every caller until the next
// import: read them only. A name's types are looked up among the names
// in order rather than kept in a map of every name: the map of 5,000
// campaigns was 250 of the 3,200 page faults of `sowhat ask "top 5
// campaigns by roas last month"`.
func (s *Store) CampaignTypes(ctx context.Context) (func(name string) []string, error) {
	d, err := s.dims(ctx)
	if err != nil {
		return nil, err
	}
	d.byNameMu.Lock()
	defer d.byNameMu.Unlock()
	if d.types == nil {
		d.types = d.nameSetsLocked(attrCampaignType)
	}
	return d.types.of, nil
}

// byCampaign maps each campaign name to the distinct, sorted, non-empty
// values of one of its attributes, worked out once per import generation:
// ranking campaigns asks for it each time, and building it for 5,000
// campaigns was a sixth of what a ranking allocated.
func (s *Store) byCampaign(ctx context.Context, name string, attr int) (map[string][]string, error) {
	d, err := s.dims(ctx)
	if err != nil {
		return nil, err
	}
	d.byNameMu.Lock()
	defer d.byNameMu.Unlock()
	if m, ok := d.byName[name]; ok {
		return m, nil
	}
	t := &d.campaigns
	out := make(map[string][]string, t.n)
	for i := range t.n {
		c := t.name(i)
		if v := t.attr(i, attr); v != "" && !slices.Contains(out[c], v) {
			out[c] = append(out[c], v)
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

// readRanges reads the first and last day of the ad data and of the
// business data, zero when there is none, in one statement.
func (s *Store) readRanges(ctx context.Context) (ads, biz period.Period, err error) {
	// Subqueries, so that each is read from one end of a key rather than
	// both from a scan: 0.7 ms instead of 6.0 ms (CPU, sqlite3 shell) for
	// the ad data's at 10M ad rows.
	var first, last sql.NullInt64
	var bizFirst, bizLast sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT MIN(day) FROM ad_platform_daily), (SELECT MAX(day) FROM ad_platform_daily),
		(SELECT MIN(date) FROM business_daily), (SELECT MAX(date) FROM business_daily)`).Scan(&first, &last, &bizFirst, &bizLast); err != nil {
		return period.Period{}, period.Period{}, fmt.Errorf("read data ranges: %w", err)
	}
	if first.Valid && last.Valid {
		ads = period.Period{Start: dayDate(first.Int64), End: dayDate(last.Int64)}
	}
	if !bizFirst.Valid || !bizLast.Valid {
		return ads, period.Period{}, nil
	}
	f, err := time.Parse(period.DateLayout, bizFirst.String)
	if err != nil {
		return period.Period{}, period.Period{}, fmt.Errorf("read business data range: %w", err)
	}
	l, err := time.Parse(period.DateLayout, bizLast.String)
	if err != nil {
		return period.Period{}, period.Period{}, fmt.Errorf("read business data range: %w", err)
	}
	return ads, period.Period{Start: f, End: l}, nil
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
