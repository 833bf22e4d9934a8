package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// epochDay is the day number of a date: whole days since 1970-01-01.
func epochDay(d time.Time) int64 { return period.Day(d).Unix() / 86400 }

// dayDate is the date of a day number.
func dayDate(n int64) time.Time { return time.Unix(n*86400, 0).UTC() }

// monthNumber is year*100+month, as ad_facts stores it.
func monthNumber(d time.Time) int64 { return int64(d.Year()*100 + int(d.Month())) }

// campaignInfo is one campaign's dimensions.
type campaignInfo struct {
	Platform     string
	PlatformID   int64
	Account      string
	Campaign     string
	CampaignType string
	Category     string
	Region       string
}

// dim returns the campaign's value of an ad dimension.
func (c campaignInfo) dim(d string) string {
	switch d {
	case model.DimPlatform:
		return c.Platform
	case model.DimAccount:
		return c.Account
	case model.DimCampaign:
		return c.Campaign
	case model.DimCampaignType:
		return c.CampaignType
	case model.DimCategory:
		return c.Category
	case model.DimRegion:
		return c.Region
	}
	return ""
}

type campaignKey struct {
	platformID        int64
	account, campaign string
}

// dims holds the platform and campaign dimension tables in memory. They are
// small (hundreds of campaigns), and keeping them here lets facts be pure
// numbers.
type dims struct {
	gen        int64
	platformID map[string]int64
	platforms  map[int64]string
	campaignID map[campaignKey]campaignRef // made by indexCampaigns, for an import
	campaigns  map[int64]campaignInfo

	// byName caches byCampaign's maps of these campaigns, by attribute,
	// and order their names in order (campaignOrder).
	byNameMu sync.Mutex
	byName   map[string]map[string][]string
	order    *nameOrder
}

// nameOrder is the campaigns' names in order, and each campaign's place
// in it: a ranking by campaign sums each campaign into its name's place,
// so its groups are in key order without a map of names or a sort of them.
type nameOrder struct {
	names []string        // distinct, sorted as Go compares strings, "" first
	place map[int64]int32 // campaign id → its name's place in names
}

// campaignOrder returns the campaigns' names in order, made on first use.
func (d *dims) campaignOrder() *nameOrder {
	d.byNameMu.Lock()
	defer d.byNameMu.Unlock()
	if d.order != nil {
		return d.order
	}
	// "" is always a place, first: the group of a campaign the dims do
	// not know (imported since they were read), as Run keys it.
	names := make([]string, 0, len(d.campaigns)+1)
	names = append(names, "")
	for _, c := range d.campaigns {
		names = append(names, c.Campaign)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	place := make(map[int64]int32, len(d.campaigns))
	for id, c := range d.campaigns {
		i, _ := slices.BinarySearch(names, c.Campaign)
		place[id] = int32(i)
	}
	d.order = &nameOrder{names: names, place: place}
	return d.order
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// loadDims reads the platforms and, with campaigns, every campaign.
// Rows are scanned into plain variables rather than through sqlx's
// reflection, which was 70% of loading 5,000 campaigns in a profile of
// `sowhat ask`.
func loadDims(ctx context.Context, q queryer, campaigns bool) (*dims, error) {
	d := &dims{platformID: map[string]int64{}, platforms: map[int64]string{}}
	if err := eachRow(ctx, q, `SELECT id, name FROM platforms`, func(rows *sql.Rows) error {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		d.platformID[name], d.platforms[id] = id, name
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read platforms: %w", err)
	}
	if !campaigns {
		return d, nil
	}
	// The map is made its full size at once, and the attributes most
	// campaigns share (account, type, category, region) are kept once
	// each: growing the map and a string for each attribute of each
	// campaign were most of the memory `sowhat ask` touched to load 5,000.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns`).Scan(&n); err != nil {
		return nil, fmt.Errorf("count campaigns: %w", err)
	}
	d.campaigns = make(map[int64]campaignInfo, n)
	shared := map[string]string{}
	intern := func(b sql.RawBytes) string {
		if s, ok := shared[string(b)]; ok {
			return s
		}
		s := string(b)
		shared[s] = s
		return s
	}
	var account, ctype, category, region sql.RawBytes
	if err := eachRow(ctx, q, `SELECT id, platform_id, account, campaign, campaign_type, category, region FROM campaigns`, func(rows *sql.Rows) error {
		var id int64
		var c campaignInfo
		if err := rows.Scan(&id, &c.PlatformID, &account, &c.Campaign, &ctype, &category, &region); err != nil {
			return err
		}
		c.Account, c.CampaignType, c.Category, c.Region = intern(account), intern(ctype), intern(category), intern(region)
		c.Platform = d.platforms[c.PlatformID]
		d.campaigns[id] = c
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read campaigns: %w", err)
	}
	return d, nil
}

// campaignRef is a campaign as an import looks it up by its natural key:
// its id and the attributes a later row may restate, in one lookup (a
// second, of the id's attributes, was a twentieth of a 1M-row import).
type campaignRef struct {
	id                             int64
	campaignType, category, region string
}

// indexCampaigns makes the index of campaigns by their natural key, which
// only an import needs.
func (d *dims) indexCampaigns() {
	d.campaignID = make(map[campaignKey]campaignRef, len(d.campaigns))
	for id, c := range d.campaigns {
		d.campaignID[campaignKey{c.PlatformID, c.Account, c.Campaign}] = campaignRef{id, c.CampaignType, c.Category, c.Region}
	}
}

// eachRow runs a query and calls scan for each of its rows.
func eachRow(ctx context.Context, q queryer, query string, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// dimCache keeps the store's dims current: reloaded when an import lands.
// BenchmarkReadCaches (1,000 campaigns): 0.15-0.2 µs from the cache, 2.5-3.4
// ms read afresh, where BenchmarkQueryMonthByPlatform's whole query over
// 1M ad rows takes 0.18-0.22 ms. Questions about platforms alone read only
// the platforms (plat), not every campaign.
type dimCache struct {
	mu   sync.Mutex
	dims *dims
	plat *dims
}

func (s *Store) dims(ctx context.Context) (*dims, error) { return s.loadDimsCached(ctx, true) }

// platformDims returns dims that hold at least the platforms.
func (s *Store) platformDims(ctx context.Context) (*dims, error) { return s.loadDimsCached(ctx, false) }

func (s *Store) loadDimsCached(ctx context.Context, campaigns bool) (*dims, error) {
	gen, err := s.Generation(ctx)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if s.cache.dims != nil && s.cache.dims.gen == gen {
		return s.cache.dims, nil
	}
	if !campaigns && s.cache.plat != nil && s.cache.plat.gen == gen {
		return s.cache.plat, nil
	}
	d, err := loadDims(ctx, s.db, campaigns)
	if err != nil {
		return nil, err
	}
	d.gen = gen
	if campaigns {
		s.cache.dims = d
	} else {
		s.cache.plat = d
	}
	return d, nil
}

// writerDims returns the dimensions as the import's transaction sees
// them, indexed for it.
func (w *Writer) writerDims() (*dims, error) {
	if w.dims == nil {
		d, err := loadDims(w.ctx, w.tx, true)
		if err != nil {
			return nil, err
		}
		d.indexCampaigns()
		w.dims = d
	}
	return w.dims, nil
}

// platformID returns the id of a platform, adding it within the import's
// transaction.
func (w *Writer) platformID(d *dims, name string) (int64, error) {
	if pid, ok := d.platformID[name]; ok {
		return pid, nil
	}
	if err := w.live(); err != nil {
		return 0, err
	}
	var pid int64
	if err := w.tx.QueryRowxContext(w.ctx, w.tx.Rebind(`INSERT INTO platforms (name) VALUES (?) RETURNING id`), name).Scan(&pid); err != nil {
		return 0, fmt.Errorf("add platform %s: %w", name, err)
	}
	d.platformID[name], d.platforms[pid] = pid, name
	return pid, nil
}

// addCampaigns adds, in one statement, the campaigns of a batch the store
// does not have yet, so that resolve finds each of them: a statement (and,
// in PostgreSQL, a round trip) for each new campaign was a quarter of
// importing 1M rows over 5,000 campaigns.
func (w *Writer) addCampaigns(ads []AdRow) error {
	d, err := w.writerDims()
	if err != nil {
		return err
	}
	var fresh []campaignInfo
	var queued map[campaignKey]bool
	for i := range ads {
		r := &ads[i]
		pid, err := w.platformID(d, r.Platform)
		if err != nil {
			return err
		}
		key := campaignKey{pid, r.Account, r.Campaign}
		if _, ok := d.campaignID[key]; ok || queued[key] {
			continue
		}
		if queued == nil {
			queued = map[campaignKey]bool{}
		}
		queued[key] = true
		fresh = append(fresh, campaignInfo{Platform: r.Platform, PlatformID: pid, Account: r.Account, Campaign: r.Campaign, CampaignType: r.CampaignType, Category: r.Category, Region: r.Region})
	}
	if len(fresh) == 0 {
		return nil
	}
	if err := w.live(); err != nil {
		return err
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO campaigns (platform_id, account, campaign, campaign_type, category, region) VALUES `)
	args := make([]any, 0, 6*len(fresh))
	byKey := make(map[campaignKey]campaignInfo, len(fresh))
	for i, c := range fresh {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?)")
		args = append(args, c.PlatformID, c.Account, c.Campaign, c.CampaignType, c.Category, c.Region)
		byKey[campaignKey{c.PlatformID, c.Account, c.Campaign}] = c
	}
	// RETURNING gives no order, so each id comes back with its key.
	q.WriteString(` RETURNING id, platform_id, account, campaign`)
	rows, err := w.tx.QueryContext(w.ctx, w.tx.Rebind(q.String()), args...)
	if err != nil {
		return fmt.Errorf("add %d campaigns: %w", len(fresh), err)
	}
	defer rows.Close()
	added := 0
	for rows.Next() {
		var id int64
		var key campaignKey
		if err := rows.Scan(&id, &key.platformID, &key.account, &key.campaign); err != nil {
			return fmt.Errorf("add %d campaigns: %w", len(fresh), err)
		}
		c, ok := byKey[key]
		if !ok {
			return fmt.Errorf("add %d campaigns: the store returned campaign %q, which was not added", len(fresh), key.campaign)
		}
		d.campaigns[id] = c
		d.campaignID[key] = campaignRef{id, c.CampaignType, c.Category, c.Region}
		added++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("add %d campaigns: %w", len(fresh), err)
	}
	if added != len(fresh) {
		return fmt.Errorf("add %d campaigns: the store returned %d", len(fresh), added)
	}
	return nil
}

// resolve returns the ids of a row's platform and campaign, creating them
// (or restating the campaign's attributes) within the import's transaction.
func (w *Writer) resolve(r *AdRow) (pid, cid int64, err error) {
	d, err := w.writerDims()
	if err != nil {
		return 0, 0, err
	}
	if pid, err = w.platformID(d, r.Platform); err != nil {
		return 0, 0, err
	}
	key := campaignKey{pid, r.Account, r.Campaign}
	ref, ok := d.campaignID[key]
	cid = ref.id
	if ok && ref.campaignType == r.CampaignType && ref.category == r.Category && ref.region == r.Region {
		return pid, cid, nil // the common case: a campaign seen before, unchanged
	}
	info := campaignInfo{Platform: r.Platform, PlatformID: pid, Account: r.Account, Campaign: r.Campaign, CampaignType: r.CampaignType, Category: r.Category, Region: r.Region}
	if err := w.live(); err != nil {
		return 0, 0, err
	}
	switch {
	case !ok:
		err = w.tx.QueryRowxContext(w.ctx, w.tx.Rebind(`INSERT INTO campaigns (platform_id, account, campaign, campaign_type, category, region) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			pid, r.Account, r.Campaign, r.CampaignType, r.Category, r.Region).Scan(&cid)
		if err != nil {
			return 0, 0, fmt.Errorf("add campaign %s: %w", r.Campaign, err)
		}
	default:
		// A later export restates the campaign's type, category or region.
		_, err = w.tx.ExecContext(w.ctx, w.tx.Rebind(`UPDATE campaigns SET campaign_type = ?, category = ?, region = ? WHERE id = ?`), r.CampaignType, r.Category, r.Region, cid)
		if err != nil {
			return 0, 0, fmt.Errorf("update campaign %s: %w", r.Campaign, err)
		}
	}
	d.campaigns[cid] = info
	d.campaignID[key] = campaignRef{cid, r.CampaignType, r.Category, r.Region}
	return pid, cid, nil
}

// rollupColumns are ad_platform_daily's sums and how each is computed from
// ad_facts.
var rollupColumns = [...][2]string{
	{"spend", "SUM(spend)"},
	{"impressions", "SUM(impressions)"},
	{"clicks", "SUM(clicks)"},
	{"conversions", "SUM(conversions)"},
	{"revenue", "SUM(revenue)"},
	{"store_visits", "SUM(store_visits)"},
	{"engagements", "SUM(engagements)"},
	{"video_views", "SUM(video_views)"},
	{"ad_new_customers", "SUM(new_customers)"},
}

// inRollup reports whether a measure is kept in ad_platform_daily. Sums that
// depend on which rows reported an optional metric (spend where store visits
// were reported) are read from the facts, where each row still says so.
func inRollup(measure string) bool {
	for _, c := range rollupColumns {
		if c[0] == measure {
			return true
		}
	}
	return false
}

// rollKey is one platform-day of ad_platform_daily.
type rollKey struct{ day, pid int64 }

// rollSums are one platform-day's sums in rollupColumns order; a nullable
// sum is valid once any row reported it.
type rollSums struct {
	month int64
	v     [len(rollupColumns)]float64
	valid [len(rollupColumns)]bool
}

func (s *rollSums) add(r *AdRow) { addMeasures(s.v[:], s.valid[:], r) }

// addMeasures adds r's measures, in rollupColumns order, into v; valid
// marks each sum some row reported.
func addMeasures(v []float64, valid []bool, r *AdRow) {
	for i, x := range [5]float64{r.Spend, r.Impressions, r.Clicks, r.Conversions, r.Revenue} {
		v[i] += x
		valid[i] = true
	}
	for i, n := range [4]sql.NullFloat64{r.StoreVisits, r.Engagements, r.VideoViews, r.NewCustomers} {
		if n.Valid {
			v[5+i] += n.Float64
			valid[5+i] = true
		}
	}
}

// rollup keeps ad_platform_daily right as an import streams in (and
// tells the PostgreSQL writer which rows no earlier import can hold): each
// platform-day's rows of this import are summed here, in memory, as they
// pass. A platform-day with no rows before this import is written as
// summed; one that had rows (a re-import, an overlapping export) is marked
// dirty, and at the end gets the sums of its rows no import of this one
// replaced added to its own. Recomputing dirty days from ad_facts instead
// summed all their facts again, once per platform: a fifth of re-importing
// a file.
type rollup struct {
	existing map[int64]map[int64]bool // platform id → days already in ad_platform_daily
	fresh    map[rollKey]*rollSums    // this import's sums per platform-day
	dirty    map[int64][2]int64       // platform id → first and last dirty day
	// months places each campaign-month of this import in sums: values
	// without pointers, which the collector need not scan (a map of
	// pointers to 330,000 campaign-months made a 10M-row import 20%
	// slower and four times the memory).
	months  map[monthKey]int32
	sums    []monthSums
	spilled bool     // some campaign-months were written out before the end (spillMonths)
	monthOf [2]int64 // the last day number tracked, and its month
	// lastMonth is, by campaign id, the campaign-month last tracked.
	lastMonth []lastMonth
}

// track counts r into the rollup and reports whether its platform-day
// had rows before this import.
func (w *Writer) track(r *AdRow, day, pid, cid int64) (had bool, err error) {
	ro := &w.roll
	ro.trackMonth(r, day, pid, cid)
	if ro.existing == nil {
		ro.existing, ro.fresh, ro.dirty = map[int64]map[int64]bool{}, map[rollKey]*rollSums{}, map[int64][2]int64{}
	}
	days, ok := ro.existing[pid]
	if !ok {
		var ds []int64
		if err := w.tx.SelectContext(w.ctx, &ds, w.tx.Rebind(`SELECT day FROM ad_platform_daily WHERE platform_id = ?`), pid); err != nil {
			return false, fmt.Errorf("read daily platform sums: %w", err)
		}
		days = make(map[int64]bool, len(ds))
		for _, d := range ds {
			days[d] = true
		}
		ro.existing[pid] = days
	}
	had = days[day]
	if had {
		span, ok := ro.dirty[pid]
		if !ok {
			span = [2]int64{day, day}
		}
		ro.dirty[pid] = [2]int64{min(span[0], day), max(span[1], day)}
	}
	k := rollKey{day, pid}
	sums := ro.fresh[k]
	if sums == nil {
		sums = &rollSums{month: monthNumber(r.Date)}
		ro.fresh[k] = sums
	}
	sums.add(r)
	return had, nil
}

// finishRollup adds to the dirty platform-days the rows other imports left
// there, and writes every platform-day this import has rows for.
func (w *Writer) finishRollup() error {
	if err := w.addUntouched(); err != nil {
		return err
	}
	cols := []string{"day", "platform_id", "month"}
	for _, c := range rollupColumns {
		cols = append(cols, c[0])
	}
	var batch []any
	n := 0
	for k, s := range w.roll.fresh {
		batch = append(batch, k.day, k.pid, s.month)
		for i := range s.v {
			if s.valid[i] {
				batch = append(batch, s.v[i])
			} else {
				batch = append(batch, nil)
			}
		}
		if n++; n == 200 {
			if err := w.upsertSums("ad_platform_daily", cols, 2, n, batch, false); err != nil {
				return err
			}
			batch, n = batch[:0], 0
		}
	}
	return w.upsertSums("ad_platform_daily", cols, 2, n, batch, false)
}

// addUntouched adds to this import's sums of each dirty platform-day the
// sums of its facts from other imports: the rows this import did not
// replace. It reads the dirty days once, and sums only those rows.
func (w *Writer) addUntouched() error {
	if len(w.roll.dirty) == 0 {
		return nil
	}
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	pids := make([]any, 0, len(w.roll.dirty))
	for pid, span := range w.roll.dirty {
		first, last = min(first, span[0]), max(last, span[1])
		pids = append(pids, pid)
	}
	exprs := ""
	for _, c := range rollupColumns {
		exprs += ", " + c[1]
	}
	q := `SELECT day, platform_id` + exprs + ` FROM ad_facts WHERE day >= ? AND day <= ? AND import_id <> ? AND platform_id IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(pids)), ", ") + `) GROUP BY day, platform_id`
	if err := w.live(); err != nil {
		return err
	}
	rows, err := w.tx.QueryContext(w.ctx, w.tx.Rebind(q), append([]any{first, last, w.importID}, pids...)...)
	if err != nil {
		return fmt.Errorf("rebuild daily platform sums: %w", err)
	}
	defer rows.Close()
	var k rollKey
	var vals [9]sql.NullFloat64
	dest := []any{&k.day, &k.pid}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("rebuild daily platform sums: %w", err)
		}
		s := w.roll.fresh[k]
		if s == nil {
			continue // a day this import has no rows for is unchanged
		}
		for i, v := range vals {
			if v.Valid {
				s.v[i] += v.Float64
				s.valid[i] = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rebuild daily platform sums: %w", err)
	}
	return nil
}

var _ queryer = (*sqlx.Tx)(nil)
