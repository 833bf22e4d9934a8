package sources_test

import (
	"context"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/sources"
)

// fakeClock is the time a test sets; Sleep moves it on at once and runs
// onSleep, so a retry's wait costs nothing.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	slept   []time.Duration
	onSleep func(d time.Duration)
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	f := c.onSleep
	c.mu.Unlock()
	if f != nil {
		f(d)
	}
	return nil
}

// notices records what a sync posts.
type notices struct {
	mu  sync.Mutex
	got []sources.Notice
}

func (n *notices) Notify(_ context.Context, x sources.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.got = append(n.got, x)
	return nil
}

func (n *notices) all() []sources.Notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]sources.Notice(nil), n.got...)
}

func configOf(src sources.Source) sources.Config {
	return sources.Config{File: "sources.yaml", Sources: []sources.Source{src}}
}

func openState(t testing.TB, path, owner string, c *fakeClock) *data.State {
	t.Helper()
	st, err := data.OpenState(context.Background(), path, data.WithOwner(owner), data.WithStateClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestRestatedDayPickedUpNextSync(t *testing.T) {
	for _, target := range []string{"sqlite", "postgres"} {
		t.Run(target, func(t *testing.T) { testRestatedDay(t, target) })
	}
}

func testRestatedDay(t *testing.T, target string) {
	ctx := context.Background()
	wh := newWarehouse(t)
	rows := genRows(day0, 20, []string{"facebook_ads", "google_ads"}, 4)
	wh.insert(rows)
	st := sqliteStore(t)
	if target == "postgres" {
		st = pgStore(t)
	}
	// A file imported by hand, of a platform the warehouse does not
	// carry, stays whatever the syncs replace.
	if _, err := st.Ingest(ctx, data.Source{File: "criteo.csv", Kind: data.KindAds}, func(w *data.Writer) error {
		return w.Ad(data.AdRow{Date: day0.AddDate(0, 0, 19), Platform: "criteo", Campaign: "Retargeting", Spend: 77, Impressions: 100, Clicks: 5})
	}); err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{now: time.Date(2026, 10, 21, 6, 0, 0, 0, time.UTC)}
	s, err := sources.NewSyncer(configOf(wh.config(t, "")), st, nil, sources.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.RunOnce(ctx, "warehouse"); err != nil {
		t.Fatal(err)
	}
	// The platform restates the last day's conversions and spend, and a
	// new day arrives.
	last := day0.AddDate(0, 0, 19)
	wh.exec(`UPDATE ad_reporting.ad_reporting__campaign_report SET spend = spend * 2, conversions = conversions + 5 WHERE date_day = $1`, last)
	// And a campaign is renamed, on the last two days: its old name's rows
	// must go, not stay beside the new ones.
	wh.exec(`UPDATE ad_reporting.ad_reporting__campaign_report SET campaign_name = campaign_name || ' (renamed)' WHERE date_day >= $1 AND campaign_name = 'google_ads campaign 1'`, last.AddDate(0, 0, -1))
	for i := range rows {
		if rows[i].day.Equal(last) {
			rows[i].spend *= 2
			rows[i].conversions += 5
		}
	}
	more := genRows(day0.AddDate(0, 0, 20), 1, []string{"facebook_ads", "google_ads"}, 4)
	wh.insert(more)
	rows = append(rows, more...)
	clk.now = clk.now.Add(time.Hour)
	reps, err := s.RunOnce(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := last.AddDate(0, 0, -2); !reps[0].Window.Start.Equal(want) {
		t.Errorf("second sync read from %s, want %s (3 days back from the newest synced)", reps[0].Window.Start.Format("2006-01-02"), want.Format("2006-01-02"))
	}
	if want := 4 * 8; reps[0].Rows != want {
		t.Errorf("second sync read %d rows, want %d (4 days of 8 campaigns)", reps[0].Rows, want)
	}
	want := expected(rows)
	want[last.Format("2006-01-02")+"/criteo"] = sums{spend: 77, impressions: 100, clicks: 5}
	sameSums(t, stored(t, st), want)
	rec, ok, err := st.LastSync(ctx, "warehouse")
	if err != nil || !ok || rec.Syncs != 2 || !rec.At.Equal(clk.now) {
		t.Errorf("last sync = %+v, %v, %v; want 2 syncs, the last at %s", rec, ok, err, clk.now)
	}
}

// TestFailedRunRetriedWithBackoff: the table is missing at first; it is
// created during the wait before the second try, which imports it.
func TestFailedRunRetriedWithBackoff(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	wh.exec(`ALTER TABLE ad_reporting.ad_reporting__campaign_report RENAME TO later`)
	rows := genRows(day0, 3, []string{"google_ads"}, 2)
	st := sqliteStore(t)
	clk := &fakeClock{now: day0}
	var once sync.Once
	clk.onSleep = func(time.Duration) {
		if len(clk.slept) == 2 {
			once.Do(func() {
				wh.exec(`ALTER TABLE ad_reporting.later RENAME TO ad_reporting__campaign_report`)
				wh.insert(rows)
			})
		}
	}
	s, err := sources.NewSyncer(configOf(wh.config(t, "")), st, nil, sources.WithClock(clk), sources.WithRetries(4, 10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.RunOnce(ctx, "warehouse"); err != nil {
		t.Fatal(err)
	}
	if len(clk.slept) != 2 || clk.slept[0] != 10*time.Second || clk.slept[1] != 20*time.Second {
		t.Errorf("waited %v between tries, want [10s 20s]", clk.slept)
	}
	sameSums(t, stored(t, st), expected(rows))

	// Gone for good: every try fails, and the store is as it was.
	wh.exec(`DROP TABLE ad_reporting.ad_reporting__campaign_report`)
	clk.slept = nil
	if _, err := s.RunOnce(ctx, "warehouse"); err == nil || !strings.Contains(err.Error(), "ad_reporting__campaign_report") {
		t.Fatalf("run on a dropped table = %v, want it named", err)
	}
	if len(clk.slept) != 3 {
		t.Errorf("waited %d times, want 3 (4 tries)", len(clk.slept))
	}
	sameSums(t, stored(t, st), expected(rows))
}

// slowDay makes reading one day of the warehouse wait in pg_sleep until
// the test cancels it.
const slowDay = `CREATE FUNCTION slow(d date) RETURNS boolean LANGUAGE sql VOLATILE AS $$
SELECT CASE WHEN d = DATE '2026-10-15' THEN pg_sleep(60) IS NOT NULL ELSE true END $$`

func TestCancelledMidwayWritesNothing(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	rows := genRows(day0, 30, []string{"facebook_ads", "google_ads"}, 5)
	wh.insert(rows)
	wh.exec(slowDay)
	cfg, err := sources.Parse("sources.yaml", []byte(`sources:
  - name: warehouse
    kind: sql
    url_env: WAREHOUSE_URL
    query: SELECT * FROM ad_reporting.ad_reporting__campaign_report WHERE slow(date_day)
    columns: {date: date_day, platform: platform, account: account_name, campaign: campaign_name, spend: spend,
      impressions: impressions, clicks: clicks, conversions: conversions, revenue: conversions_value}
    page_size: 20
    schedule: "0 * * * *"
`), func(string) string { return wh.url })
	if err != nil {
		t.Fatal(err)
	}
	st := sqliteStore(t)
	w, err := sources.NewWarehouse(cfg.Sources[0], st)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	run, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := w.Run(run); done <- err }()
	// Cancel once the read is waiting on the slow day: the pages before it
	// are in the import's transaction by then.
	for {
		var n int
		if err := wh.db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run ended before the slow day: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a cancelled run succeeded")
	}
	if got := stored(t, st); len(got) != 0 {
		t.Errorf("a cancelled run left %d platform-days", len(got))
	}
	if _, ok, err := st.LastSync(ctx, "warehouse"); ok || err != nil {
		t.Errorf("a cancelled run was recorded as a sync (%v)", err)
	}
	wh.exec(`CREATE OR REPLACE FUNCTION slow(d date) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$`)
	if _, err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	sameSums(t, stored(t, st), expected(rows))
}

// TestTwoReplicasSyncOnce: two replicas, each with its own state and
// store handles on the same databases, tick at the same scheduled time;
// one syncs.
func TestTwoReplicasSyncOnce(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	rows := genRows(day0, 10, []string{"facebook_ads", "google_ads"}, 3)
	wh.insert(rows)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sowhat.db")
	clk := &fakeClock{now: time.Date(2026, 10, 11, 7, 0, 30, 0, time.UTC)}
	src := wh.config(t, "")
	var syncers []*sources.Syncer
	var stores []*data.Store
	for _, owner := range []string{"replica-a", "replica-b"} {
		st, err := data.Open(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		state := openState(t, filepath.Join(dir, "state.db"), owner, clk)
		if err := state.Heartbeat(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := sources.NewSyncer(configOf(src), st, state, sources.WithClock(clk))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		syncers, stores = append(syncers, s), append(stores, st)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, s := range syncers {
		wg.Go(func() { errs[i] = s.Tick(ctx, clk.Now()) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rec, ok, err := stores[0].LastSync(ctx, "warehouse")
	if err != nil || !ok || rec.Syncs != 1 {
		t.Fatalf("syncs recorded = %+v, %v, %v; want exactly 1", rec, ok, err)
	}
	// The next tick within the hour does nothing; the next hour syncs once.
	for _, s := range syncers {
		if err := s.Tick(ctx, clk.Now().Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range syncers {
		if err := s.Tick(ctx, clk.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if rec, _, _ := stores[1].LastSync(ctx, "warehouse"); rec.Syncs != 2 {
		t.Errorf("after the next hour: %d syncs, want 2", rec.Syncs)
	}
	sameSums(t, stored(t, stores[1]), expected(rows))
}

// TestUnknownPlatformNamed: LinkedIn and Snapchat, which sowhat has no
// platform for, are imported under their own ids and named in answers,
// with the source the data came from.
func TestUnknownPlatformNamed(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	rows := genRows(day0, 14, []string{"facebook_ads", "linkedin_ads", "snapchat_ads"}, 2)
	wh.insert(rows)
	st := sqliteStore(t)
	clk := &fakeClock{now: time.Date(2026, 10, 15, 6, 0, 0, 0, time.UTC)}
	s, err := sources.NewSyncer(configOf(wh.config(t, "")), st, nil, sources.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.RunOnce(ctx, ""); err != nil {
		t.Fatal(err)
	}
	sameSums(t, stored(t, st), expected(rows))
	a, _, err := intents.New(st).Ask(ctx, "spend by platform last week", time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC), "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range a.Rows {
		names = append(names, r.Key["platform"])
	}
	for _, want := range []string{"linkedin_ads", "snapchat_ads", "meta"} {
		if !contains(names, want) {
			t.Errorf("answer rows %v do not name %s", names, want)
		}
	}
	found := false
	for _, f := range a.Freshness {
		if f.Via == "warehouse" && f.ImportedAt.Equal(clk.now) {
			found = true
		}
	}
	if !found {
		t.Errorf("freshness %+v does not name the warehouse source and its sync time", a.Freshness)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestReconciliationMismatchAlertedOnce: an export of Meta ingested by
// hand beside the sync doubles a day; the next sync says so, once, with
// both figures, and clears when the store agrees again.
func TestReconciliationMismatchAlertedOnce(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	rows := genRows(day0, 10, []string{"facebook_ads", "google_ads"}, 3)
	wh.insert(rows)
	st := sqliteStore(t)
	dir := t.TempDir()
	clk := &fakeClock{now: time.Date(2026, 10, 11, 6, 0, 0, 0, time.UTC)}
	state := openState(t, filepath.Join(dir, "state.db"), "a", clk)
	got := &notices{}
	s, err := sources.NewSyncer(configOf(wh.config(t, "")), st, state, sources.WithClock(clk), sources.WithNotifier(got))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.RunOnce(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if n := got.all(); len(n) != 0 {
		t.Fatalf("a clean sync posted %v", n)
	}
	last := day0.AddDate(0, 0, 9)
	if _, err := st.Ingest(ctx, data.Source{File: "meta.csv", Kind: data.KindAds}, func(w *data.Writer) error {
		return w.Ad(data.AdRow{Date: last, Platform: "meta", Campaign: "Hand-imported", Spend: 1000, Impressions: 1, Clicks: 1})
	}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.RunOnce(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	n := got.all()
	if len(n) != 1 { // spend: a click and an impression more are within 0.5%
		t.Fatalf("posted %d notices, want 1 (once): %+v", len(n), n)
	}
	var meta float64
	for _, r := range rows {
		if r.day.Equal(last) && r.platform == "facebook_ads" {
			meta += r.spend
		}
	}
	want := "Meta spend Oct 10: warehouse $" + commas(meta) + ", sowhat $" + commas(meta+1000)
	if !strings.Contains(n[0].Title, want) {
		t.Errorf("notice %q, want it to say %q", n[0].Title, want)
	}
	incs, err := state.OpenIncidents(ctx, sources.ReconcileRule)
	if err != nil || len(incs) != 1 {
		t.Fatalf("open incidents = %d, %v; want 1", len(incs), err)
	}
	// The warehouse catches up with the hand import: the incidents clear.
	wh.insert([]wrow{{day: last, platform: "facebook_ads", account: "", campaign: "Hand-imported", spend: 1000, impressions: 1, clicks: 1}})
	if _, err := s.RunOnce(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if incs, _ := state.OpenIncidents(ctx, sources.ReconcileRule); len(incs) != 0 {
		t.Errorf("%d incidents still open after the store agrees: %+v", len(incs), incs)
	}
}

func commas(v float64) string {
	d := []byte(strconv.FormatInt(int64(math.Round(v)), 10))
	var out []byte
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	return string(out)
}

// TestReconciliationOfADayPastTheWindow: a mismatch whose day has left the
// look-back window is still checked, each run, by itself: it stays open
// (and is not posted again) while the two still disagree, and clears once
// the store agrees — here, a corrected hand import.
func TestReconciliationOfADayPastTheWindow(t *testing.T) {
	ctx := context.Background()
	wh := newWarehouse(t)
	wh.insert(genRows(day0, 10, []string{"facebook_ads", "google_ads"}, 3))
	st := sqliteStore(t)
	clk := &fakeClock{now: time.Date(2026, 10, 11, 6, 0, 0, 0, time.UTC)}
	state := openState(t, filepath.Join(t.TempDir(), "state.db"), "a", clk)
	got := &notices{}
	s, err := sources.NewSyncer(configOf(wh.config(t, "")), st, state, sources.WithClock(clk), sources.WithNotifier(got))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	last := day0.AddDate(0, 0, 9)
	handImport := func(spend float64) {
		t.Helper()
		if _, err := st.Ingest(ctx, data.Source{File: "meta.csv", Kind: data.KindAds}, func(w *data.Writer) error {
			return w.Ad(data.AdRow{Date: last, Platform: "meta", Campaign: "Hand-imported", Spend: spend, Impressions: 1, Clicks: 1})
		}); err != nil {
			t.Fatal(err)
		}
	}
	sync := func() {
		t.Helper()
		clk.now = clk.now.Add(time.Hour)
		if _, err := s.RunOnce(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	open := func() int {
		t.Helper()
		incs, err := state.OpenIncidents(ctx, sources.ReconcileRule)
		if err != nil {
			t.Fatal(err)
		}
		return len(incs)
	}
	sync()
	handImport(1000)
	sync()
	if open() != 1 || len(got.all()) != 1 {
		t.Fatalf("%d incidents open, %d notices; want the spend mismatch once", open(), len(got.all()))
	}
	// Five new days: the mismatched day is now before the window.
	wh.insert(genRows(day0.AddDate(0, 0, 10), 5, []string{"facebook_ads", "google_ads"}, 3))
	sync()
	sync()
	if open() != 1 || len(got.all()) != 1 {
		t.Errorf("past the window, still mismatched: %d incidents open, %d notices; want 1 open, posted once", open(), len(got.all()))
	}
	// The hand import is corrected: the store agrees, and it clears.
	handImport(0)
	sync()
	if n := open(); n != 0 {
		t.Errorf("past the window, the store agreeing: %d incidents open, want 0", n)
	}
}
