package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
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

// campaignInfo is one campaign's dimensions, as an import adds them.
type campaignInfo struct {
	Platform     string
	PlatformID   int64
	Account      string
	Campaign     string
	CampaignType string
	Category     string
	Region       string
}

type campaignKey struct {
	platformID        int64
	account, campaign string
}

// dims holds the platform and campaign dimension tables in memory. They are
// small (thousands of campaigns), and keeping them here lets facts be pure
// numbers.
type dims struct {
	gen        int64
	platformID map[string]int64
	platforms  map[int64]string
	campaignID map[campaignKey]campaignRef // an import's index, made by loadWriterDims
	campaigns  campaignTable

	// byName caches byCampaign's maps of these campaigns, by attribute,
	// and order their names in order (campaignOrder).
	byNameMu sync.Mutex
	byName   map[string]map[string][]string
	order    *nameOrder
	types    *nameSets
}

// The attributes a campaignTable keeps of each campaign beside its name.
const (
	attrPlatform = iota
	attrAccount
	attrCampaignType
	attrCategory
	attrRegion
	numAttrs
)

// attrOf is the campaignTable attribute of an ad dimension; numAttrs for
// the campaign's name, -1 for any other.
func attrOf(dim string) int {
	switch dim {
	case model.DimPlatform:
		return attrPlatform
	case model.DimAccount:
		return attrAccount
	case model.DimCampaign:
		return numAttrs
	case model.DimCampaignType:
		return attrCampaignType
	case model.DimCategory:
		return attrCategory
	case model.DimRegion:
		return attrRegion
	}
	return -1
}

// campaignTable is every campaign's dimensions by column, in id order:
// the names end to end in one string, and each other attribute a number
// of one of the few values campaigns share. As a map of a struct of
// strings for each campaign, 5,000 campaigns were a sixth of the memory
// `sowhat ask "top 5 campaigns by roas last month"` touched.
type campaignTable struct {
	ids    []int64 // ascending; nil when dense, the i-th campaign's id then first+i
	first  int64
	n      int
	names  string
	ends   []uint32 // the i-th name is names[ends[i-1]:ends[i]]
	attrs  []uint32 // numAttrs for each campaign: values' places
	values []string // every attribute's distinct values, "" first
}

// index is the place of the campaign of an id, ok false for an id the
// table does not hold.
func (t *campaignTable) index(id int64) (i int, ok bool) {
	if t.ids == nil {
		if id < t.first || id-t.first >= int64(t.n) {
			return 0, false
		}
		return int(id - t.first), true
	}
	i, ok = slices.BinarySearch(t.ids, id)
	return i, ok
}

// id is the id of the i-th campaign.
func (t *campaignTable) id(i int) int64 {
	if t.ids == nil {
		return t.first + int64(i)
	}
	return t.ids[i]
}

// name is the i-th campaign's name.
func (t *campaignTable) name(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.names[start:t.ends[i]]
}

// attr is the i-th campaign's value of an attribute (attrOf).
func (t *campaignTable) attr(i, a int) string {
	switch {
	case a == numAttrs:
		return t.name(i)
	case a < 0:
		return ""
	}
	return t.values[t.attrs[i*numAttrs+a]]
}

// dimOf is the value of an ad dimension of the platform (the daily
// platform sums) or campaign of an id; "" for one the dims do not know.
func (d *dims) dimOf(id int64, platforms bool, dim string) string {
	if platforms {
		if dim == model.DimPlatform {
			return d.platforms[id]
		}
		return ""
	}
	i, ok := d.campaigns.index(id)
	if !ok {
		return ""
	}
	return d.campaigns.attr(i, attrOf(dim))
}

// nameOrder is the campaigns' names in order, and each campaign's place
// in it: a ranking by campaign sums each campaign into its name's place,
// so its groups are in key order without a map of names or a sort of them.
type nameOrder struct {
	names []string // distinct, sorted as Go compares strings, "" first
	place []int32  // by the campaign's place in the dims' table: its name's place in names
}

// campaignOrder returns the campaigns' names in order, made on first use.
func (d *dims) campaignOrder() *nameOrder {
	d.byNameMu.Lock()
	defer d.byNameMu.Unlock()
	return d.campaignOrderLocked()
}

func (d *dims) campaignOrderLocked() *nameOrder {
	if d.order != nil {
		return d.order
	}
	t := &d.campaigns
	// "" is always a place, first: the group of a campaign the dims do
	// not know (imported since they were read), as Run keys it.
	names := make([]string, 0, t.n+1)
	names = append(names, "")
	for i := range t.n {
		names = append(names, t.name(i))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	place := make([]int32, t.n)
	for i := range t.n {
		p, _ := slices.BinarySearch(names, t.name(i))
		place[i] = int32(p)
	}
	d.order = &nameOrder{names: names, place: place}
	return d.order
}

// nameSets is, for each campaign name in the campaignOrder, the distinct,
// sorted, non-empty values one attribute of its campaigns takes: a number
// for each name, of one of the few sets of values.
type nameSets struct {
	order *nameOrder
	at    []uint32   // by the name's place in order: its set
	sets  [][]string // sets[0] is no value
}

// of returns the set of a campaign name: none for a name no campaign has.
func (n *nameSets) of(name string) []string {
	p, ok := slices.BinarySearch(n.order.names, name)
	if !ok {
		return nil
	}
	return n.sets[n.at[p]]
}

// nameSetsLocked makes the nameSets of an attribute; d.byNameMu is held.
func (d *dims) nameSetsLocked(attr int) *nameSets {
	o := d.campaignOrderLocked()
	t := &d.campaigns
	ns := &nameSets{order: o, at: make([]uint32, len(o.names)), sets: [][]string{nil}}
	alone := map[uint32]uint32{} // a value's place in t.values → the set of it alone
	for i := range t.n {
		v := t.attrs[i*numAttrs+attr]
		if v == 0 {
			continue // "", no value
		}
		p, s := o.place[i], t.values[v]
		cur := ns.sets[ns.at[p]]
		switch {
		case slices.Contains(cur, s):
		case len(cur) == 0:
			set, ok := alone[v]
			if !ok {
				set = uint32(len(ns.sets))
				ns.sets = append(ns.sets, []string{s})
				alone[v] = set
			}
			ns.at[p] = set
		default:
			// A name two platforms run as campaigns of different types.
			more := append(slices.Clone(cur), s)
			slices.Sort(more)
			ns.at[p] = uint32(len(ns.sets))
			ns.sets = append(ns.sets, more)
		}
	}
	return ns
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
	Rebind(query string) string
}

// loadPlatforms reads the platforms.
func loadPlatforms(ctx context.Context, q queryer) (*dims, error) {
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
	return d, nil
}

// campaignsQuery reads every campaign's dimensions, in id order.
const campaignsQuery = `SELECT id, platform_id, account, campaign, campaign_type, category, region FROM campaigns ORDER BY id`

// countCampaigns is how many campaigns the store holds, to make room for
// them at once.
func countCampaigns(ctx context.Context, q queryer) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count campaigns: %w", err)
	}
	return n, nil
}

// campaignsJoinedQuery reads what campaignsQuery does, each campaign's
// attributes and then its name in one string, joined by the parameter
// (dimSep, given four times): one string for each campaign rather than
// five. Of `sowhat ask "top 5 campaigns by roas last month"` over 5,000
// campaigns, reading them so cut page faults from 1,770 to 1,680.
const campaignsJoinedQuery = `SELECT id, platform_id, account || ? || campaign_type || ? || category || ? || region || ? || campaign FROM campaigns ORDER BY id`

// dimSep joins a campaign's attributes in campaignsJoinedQuery.
const dimSep = '\x1f'

// errJoinedSep reports a campaign's attribute holding dimSep: its joined
// string cannot be split, and the campaigns are read column by column.
var errJoinedSep = errors.New("a campaign's attribute holds the separator")

// loadDims reads the platforms and, with campaigns, every campaign into
// a campaignTable. Rows are scanned into plain variables rather than
// through sqlx's reflection, which was 70% of loading 5,000 campaigns in
// a profile of `sowhat ask`.
func loadDims(ctx context.Context, q queryer, campaigns bool) (*dims, error) {
	d, err := loadPlatforms(ctx, q)
	if err != nil || !campaigns {
		return d, err
	}
	n, err := countCampaigns(ctx, q)
	if err != nil {
		return nil, err
	}
	err = d.loadCampaigns(ctx, q, n, true)
	if errors.Is(err, errJoinedSep) {
		d.campaigns = campaignTable{}
		err = d.loadCampaigns(ctx, q, n, false)
	}
	if err != nil {
		return nil, fmt.Errorf("read campaigns: %w", err)
	}
	return d, nil
}

// loadCampaigns reads the n or so campaigns into d.campaigns, joined
// (campaignsJoinedQuery) or column by column (campaignsQuery); joined, it
// returns errJoinedSep for a campaign it cannot split.
func (d *dims) loadCampaigns(ctx context.Context, q queryer, n int, joined bool) error {
	t := &d.campaigns
	t.ends = make([]uint32, 0, n)
	t.attrs = make([]uint32, 0, n*numAttrs)
	t.values = []string{""}
	// The names are written end to end into a Builder, whose String is
	// its bytes, not a copy of them: 18 of the page faults of reading
	// 5,000 campaigns.
	var names strings.Builder
	names.Grow(n * 16)
	places := map[string]uint32{"": 0}
	intern := func(b []byte) uint32 {
		if v, ok := places[string(b)]; ok {
			return v
		}
		s := string(b)
		v := uint32(len(t.values))
		t.values = append(t.values, s)
		places[s] = v
		return v
	}
	platform := map[int64]uint32{}
	var id, pid int64
	var account, campaign, ctype, category, region, row sql.RawBytes
	dest := []any{&id, &pid, &account, &campaign, &ctype, &category, &region}
	query, args := campaignsQuery, []any(nil)
	if joined {
		dest = []any{&id, &pid, &row}
		query, args = campaignsJoinedQuery, []any{string(dimSep), string(dimSep), string(dimSep), string(dimSep)}
	}
	err := eachRowArgs(ctx, q, query, args, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if joined {
			var ok bool
			if account, ctype, category, region, campaign, ok = splitJoined(row); !ok {
				return errJoinedSep
			}
		}
		switch {
		case t.n == 0:
			t.first = id
		case t.ids == nil && id != t.first+int64(t.n):
			// A gap in the ids: they are kept from here on.
			t.ids = make([]int64, t.n, max(n, t.n+1))
			for i := range t.ids {
				t.ids[i] = t.first + int64(i)
			}
		}
		if t.ids != nil {
			t.ids = append(t.ids, id)
		}
		p, ok := platform[pid]
		if !ok {
			p = intern([]byte(d.platforms[pid]))
			platform[pid] = p
		}
		names.Write(campaign)
		t.ends = append(t.ends, uint32(names.Len()))
		t.attrs = append(t.attrs, p, intern(account), intern(ctype), intern(category), intern(region))
		t.n++
		return nil
	})
	if err != nil {
		return err
	}
	t.names = names.String()
	return nil
}

// splitJoined splits a row of campaignsJoinedQuery into the account,
// campaign type, category, region and name, or reports false when it does
// not hold exactly four separators (an attribute holds one).
func splitJoined(row []byte) (account, ctype, category, region, campaign []byte, ok bool) {
	var parts [5][]byte
	rest := row
	for i := range 4 {
		j := bytes.IndexByte(rest, dimSep)
		if j < 0 {
			return nil, nil, nil, nil, nil, false
		}
		parts[i], rest = rest[:j], rest[j+1:]
	}
	if bytes.IndexByte(rest, dimSep) >= 0 {
		return nil, nil, nil, nil, nil, false
	}
	return parts[0], parts[1], parts[2], parts[3], rest, true
}

// campaignRef is a campaign as an import looks it up by its natural key:
// its id and the attributes a later row may restate, in one lookup (a
// second, of the id's attributes, was a twentieth of a 1M-row import).
type campaignRef struct {
	id                             int64
	campaignType, category, region string
}

// loadWriterDims reads the platforms and the index of campaigns by their
// natural key, which only an import needs.
func loadWriterDims(ctx context.Context, q queryer) (*dims, error) {
	d, err := loadPlatforms(ctx, q)
	if err != nil {
		return nil, err
	}
	n, err := countCampaigns(ctx, q)
	if err != nil {
		return nil, err
	}
	d.campaignID = make(map[campaignKey]campaignRef, n)
	// The attributes most campaigns share are kept once each.
	shared := map[string]string{}
	intern := func(b sql.RawBytes) string {
		if s, ok := shared[string(b)]; ok {
			return s
		}
		s := string(b)
		shared[s] = s
		return s
	}
	var id, pid int64
	var account, campaign, ctype, category, region sql.RawBytes
	if err := eachRow(ctx, q, campaignsQuery, func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &pid, &account, &campaign, &ctype, &category, &region); err != nil {
			return err
		}
		d.campaignID[campaignKey{pid, intern(account), string(campaign)}] = campaignRef{id, intern(ctype), intern(category), intern(region)}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read campaigns: %w", err)
	}
	return d, nil
}

// eachRow runs a query and calls scan for each of its rows.
func eachRow(ctx context.Context, q queryer, query string, scan func(*sql.Rows) error) error {
	return eachRowArgs(ctx, q, query, nil, scan)
}

// eachRowArgs is eachRow for a query with args, in ? form: rebound for the
// store.
func eachRowArgs(ctx context.Context, q queryer, query string, args []any, scan func(*sql.Rows) error) error {
	if len(args) > 0 {
		query = q.Rebind(query)
	}
	rows, err := q.QueryContext(ctx, query, args...)
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
		d, err := loadWriterDims(w.ctx, w.tx)
		if err != nil {
			return nil, err
		}
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
