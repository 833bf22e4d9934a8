package reports

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
)

// alertNow is when the alert tests check: Monday May 4 2026, 09:00 in
// London; yesterday is Sunday May 3.
var alertNow = time.Date(2026, 5, 4, 9, 0, 0, 0, london)

var alertYday = time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC)

// adDay is one synthetic day of one campaign.
type adDay struct {
	platform, campaign string
	day                time.Time
	spend, conv, click float64
}

func (a adDay) row() data.AdRow {
	return data.AdRow{Date: a.day, Platform: a.platform, Campaign: a.campaign, Spend: a.spend, Conversions: a.conv, Clicks: a.click,
		Impressions: a.click * 50, Revenue: a.conv * 80, StoreVisits: sql.NullFloat64{}}
}

func ingestAds(t *testing.T, st *data.Store, days ...adDay) {
	t.Helper()
	byPlatform := map[string][]adDay{}
	for _, d := range days {
		byPlatform[d.platform] = append(byPlatform[d.platform], d)
	}
	for p, ds := range byPlatform {
		_, err := st.Ingest(context.Background(), data.Source{File: "test-" + p, Kind: data.KindAds, Platform: p, Format: "canonical"}, func(w *data.Writer) error {
			for _, d := range ds {
				if err := w.Ad(d.row()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// alertStore holds 40 ordinary days ending yesterday for Meta (two
// campaigns), TikTok and Criteo, with budgets that match their spend.
// Criteo's data ends criteoEnd.
func alertStore(t *testing.T, criteoEnd time.Time) *data.Store {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "alerts.db"))
	var days []adDay
	for i := range 40 {
		d := alertYday.AddDate(0, 0, -i)
		days = append(days,
			adDay{"meta", "Meta A", d, 600, float64(30 + i%5 - 2), 1000},
			adDay{"meta", "Meta B", d, 400, float64(20 + i%3 - 1), 800},
			adDay{"tiktok", "TT A", d, 200, 5, 300})
		if !d.After(criteoEnd) {
			days = append(days, adDay{"criteo", "Criteo A", d, 100, 5, 100})
		}
	}
	ingestAds(t, st, days...)
	_, err := st.Ingest(context.Background(), data.Source{File: "budgets", Kind: data.KindBudgets, Format: "canonical"}, func(w *data.Writer) error {
		for _, m := range []time.Month{time.March, time.April, time.May} {
			month := time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
			n := float64(month.AddDate(0, 1, -1).Day())
			for p, daily := range map[string]float64{"meta": 1000, "tiktok": 200, "criteo": 100} {
				if err := w.Budget(data.BudgetRow{Month: month, Platform: p, Budget: daily * n}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// alertChecker evaluates the rules on st (an engine over it, incidents in
// its state database) at the time given.
func alertChecker(t *testing.T, st *data.Store, rules ...AlertRule) func(at time.Time) []Alert {
	eng := engine(st)
	return func(at time.Time) []Alert {
		t.Helper()
		alerts, err := EvaluateAlerts(context.Background(), eng, openState(st, "a", nil), rules, at, london)
		if err != nil {
			t.Fatal(err)
		}
		return alerts
	}
}

func TestAlertRulesFireOnceAndClear(t *testing.T) {
	tests := []struct {
		name        string
		rule        AlertRule
		criteoEnd   time.Time
		breach, fix []adDay
		subject     string
		what, cause string // substrings of the opened alert
	}{
		{
			name:    "overspend",
			rule:    defaultRule(RuleOverspend, "overspend", []string{"slack:C1"}),
			breach:  []adDay{{"meta", "Meta A", alertYday, 900, 28, 1000}},
			fix:     []adDay{{"meta", "Meta A", alertYday, 600, 28, 1000}},
			subject: "meta",
			what:    "Meta spent $1,300 on Sun May 3 against a pro-rated plan of $1,000: 30.0% over",
			cause:   "Meta A added the most spend",
		},
		{
			name:    "cpa anomaly",
			rule:    withMetric(defaultRule(RuleAnomaly, "cpa-anomaly", []string{"slack:C1"}), model.CPA),
			breach:  []adDay{{"meta", "Meta A", alertYday, 600, 5, 1000}},
			fix:     []adDay{{"meta", "Meta A", alertYday, 600, 30, 1000}},
			subject: "meta",
			what:    "Meta CPA on Sun May 3 was $41.67",
			cause:   "Meta A accounts for",
		},
		{
			name: "roas anomaly",
			rule: withMetric(defaultRule(RuleAnomaly, "roas-anomaly", []string{"slack:C1"}), model.ROAS),
			breach: []adDay{{"meta", "Meta A", alertYday, 600, 3, 1000},
				{"meta", "Meta B", alertYday, 400, 2, 800}},
			fix: []adDay{{"meta", "Meta A", alertYday, 600, 30, 1000},
				{"meta", "Meta B", alertYday, 400, 20, 800}},
			subject: "meta",
			what:    "Meta ROAS on Sun May 3 was 0.40x",
			cause:   "Meta A accounts for",
		},
		{
			name: "zero conversions",
			rule: defaultRule(RuleZeroConversions, "zero-conversions", []string{"slack:C1"}),
			breach: []adDay{{"tiktok", "TT A", alertYday, 200, 0, 300}, {"tiktok", "TT A", alertYday.AddDate(0, 0, -1), 200, 0, 300},
				{"tiktok", "TT A", alertYday.AddDate(0, 0, -2), 200, 0, 300}},
			fix:     []adDay{{"tiktok", "TT A", alertYday, 200, 2, 300}},
			subject: "tiktok/TT A",
			what:    "TT A on TikTok spent $600 over the last 3 days (May 1–3, 2026) with no conversions, on 900 clicks",
			cause:   "Clicks are still coming",
		},
		{
			name:      "stale data",
			rule:      defaultRule(RuleStaleData, "stale-data", []string{"slack:C1"}),
			criteoEnd: alertYday.AddDate(0, 0, -2),
			fix:       []adDay{{"criteo", "Criteo A", alertYday.AddDate(0, 0, -1), 100, 5, 100}, {"criteo", "Criteo A", alertYday, 100, 5, 100}},
			subject:   "criteo",
			what:      "Criteo data ends Fri May 1: nothing newer has arrived for 57 hours",
			cause:     "Criteo",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end := tt.criteoEnd
			if end.IsZero() {
				end = alertYday
			}
			st := alertStore(t, end)
			check := alertChecker(t, st, tt.rule)
			opened := check(alertNow)
			if tt.breach != nil {
				if len(opened) != 0 {
					t.Fatalf("alerts on ordinary data: %+v", opened)
				}
				ingestAds(t, st, tt.breach...)
				opened = check(alertNow)
			}
			if len(opened) != 1 {
				t.Fatalf("%d alerts after the breach, want 1: %+v", len(opened), opened)
			}
			a := opened[0]
			if a.Status != StatusOpened || a.Subject != tt.subject || a.Rule != tt.rule.Name {
				t.Errorf("alert %+v", a)
			}
			if !strings.Contains(a.What, tt.what) || !strings.Contains(a.Cause, tt.cause) || a.Next == "" {
				t.Errorf("alert says\n  what:  %s\n  cause: %s\n  next:  %s\nwant what with %q, cause with %q", a.What, a.Cause, a.Next, tt.what, tt.cause)
			}
			if txt := a.Text(); !strings.Contains(txt, "What happened: ") || !strings.Contains(txt, "Next step: ") {
				t.Errorf("alert text:\n%s", txt)
			}
			if again := check(alertNow.Add(time.Hour)); len(again) != 0 {
				t.Fatalf("the open incident was reported again: %+v", again)
			}
			ingestAds(t, st, tt.fix...)
			cleared := check(alertNow.Add(2 * time.Hour))
			if len(cleared) != 1 || cleared[0].Status != StatusCleared || cleared[0].Subject != tt.subject {
				t.Fatalf("after the fix: %+v, want one cleared alert for %s", cleared, tt.subject)
			}
			if !strings.Contains(cleared[0].What, "This has cleared") || !strings.HasPrefix(cleared[0].Title, "Cleared: ") {
				t.Errorf("cleared alert %+v", cleared[0])
			}
			if again := check(alertNow.Add(3 * time.Hour)); len(again) != 0 {
				t.Fatalf("the cleared incident was reported again: %+v", again)
			}
		})
	}
}

func TestAlertsOnDemoStories(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		tests := []struct {
			name string
			now  time.Time
			want []string
		}{
			// The Trade Desk runs 20% over budget, a TikTok campaign has had
			// no conversion for five days and Criteo's export is two days late.
			{"monday", alertNow, []string{"overspend the_trade_desk", "zero-conversions tiktok/TikTok Spark Ads - Beauty", "stale-data criteo"}},
			// Meta's CPA jumps on the first day of last week.
			{"the day after the CPA jump", time.Date(2026, 4, 28, 9, 0, 0, 0, london), []string{"cpa-anomaly meta"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st, path := demo(t)
				cfg := DefaultConfig(london, "slack:C0123ALERTS")
				pub := &fakePublisher{}
				s := newScheduler(st, pub, cfg, &fakeClock{now: tt.now}, "a")
				alerts, err := s.CheckAlerts(context.Background(), tt.now)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, a := range alerts {
					got = append(got, a.Rule+" "+a.Subject)
					t.Logf("%s", a.Text())
				}
				sort.Strings(got)
				for _, want := range tt.want {
					if !containsString(got, want) {
						t.Errorf("no alert %q among %v", want, got)
					}
				}
				if n := len(pub.all()); n != len(alerts) {
					t.Errorf("%d posts for %d alerts", n, len(alerts))
				}
				// A second process checking the same database an hour later
				// posts nothing: every incident is already open.
				other := newScheduler(openStore(t, path), pub, cfg, &fakeClock{now: tt.now}, "b")
				again, err := other.CheckAlerts(context.Background(), tt.now.Add(time.Hour))
				if err != nil || len(again) != 0 {
					t.Fatalf("second check: %v, %+v", err, again)
				}
			})
		}
	})
}

func TestSchedulerChecksAlertsOnSchedule(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, _ := demo(t)
		cfg := DefaultConfig(london, "slack:C1")
		cfg.Digests = nil
		pub := &fakePublisher{}
		s := newScheduler(st, pub, cfg, &fakeClock{now: alertNow}, "a")
		tick(t, s, alertNow.Add(30*time.Second))
		first := len(pub.all())
		if first == 0 {
			t.Fatal("no alert posted on the hourly check")
		}
		tick(t, s, alertNow.Add(time.Minute))
		tick(t, s, alertNow.Add(time.Hour+time.Minute))
		if n := len(pub.all()); n != first {
			t.Errorf("%d posts after later checks, want still %d", n, first)
		}
	})
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestAlertPostFailureIsRetried: an alert nobody received is not an incident
// anyone knows of, so the next check posts it again — once.
func TestAlertPostFailureIsRetried(t *testing.T) {
	ctx := context.Background()
	st := alertStore(t, alertYday)
	ingestAds(t, st, adDay{"meta", "Meta A", alertYday, 900, 28, 1000})
	pub := &fakePublisher{fail: errors.New("slack is down")}
	cfg := Config{Alerts: AlertsConfig{Location: london, Rules: []AlertRule{defaultRule(RuleOverspend, "overspend", []string{"slack:C1"})}}}
	s := NewScheduler(openState(st, "a", nil), engine(st), pub, cfg, WithLogger(quietLog()))
	if _, err := s.CheckAlerts(ctx, alertNow); err == nil {
		t.Fatal("a failed post should be an error")
	}
	pub.mu.Lock()
	pub.fail = nil
	pub.mu.Unlock()
	alerts, err := s.CheckAlerts(ctx, alertNow.Add(time.Hour))
	if err != nil || len(alerts) != 1 || len(pub.all()) != 1 {
		t.Fatalf("retry: %d alerts, %d posts, err %v; want 1 and 1", len(alerts), len(pub.all()), err)
	}
	if again, _ := s.CheckAlerts(ctx, alertNow.Add(2*time.Hour)); len(again) != 0 || len(pub.all()) != 1 {
		t.Fatalf("posted again after success: %+v", again)
	}
}

// TestStaleSourceNamed: a configured source that stops syncing is an
// alert naming it, even while its platforms' data is recent; a platform
// whose data stops while its source syncs says the source.
func TestStaleSourceNamed(t *testing.T) {
	ctx := context.Background()
	st := alertStore(t, alertYday)
	sync := func(at time.Time) {
		t.Helper()
		src := data.Source{File: "sync:warehouse", Kind: data.KindAds, Format: "dbt_ad_reporting", Sync: "warehouse", At: at}
		if _, err := st.Ingest(ctx, src, func(w *data.Writer) error {
			return w.Ad(data.AdRow{Date: alertYday.AddDate(0, 0, -3), Platform: "linkedin_ads", Campaign: "B2B", Spend: 100, Impressions: 1000, Clicks: 10, Conversions: 1})
		}); err != nil {
			t.Fatal(err)
		}
	}
	find := func(alerts []Alert, subject, status string) *Alert {
		for i := range alerts {
			if alerts[i].Subject == subject && alerts[i].Status == status {
				return &alerts[i]
			}
		}
		return nil
	}
	sync(alertNow.Add(-50 * time.Hour))
	rules := []AlertRule{defaultRule(RuleStaleData, "stale-data", []string{"slack:C1"})}
	state := openState(st, "a", nil)
	alerts, err := EvaluateAlerts(ctx, engine(st), state, rules, alertNow, london)
	if err != nil {
		t.Fatal(err)
	}
	a := find(alerts, "sync:warehouse", StatusOpened)
	if a == nil || !strings.Contains(a.Title, "the warehouse source has stopped syncing") ||
		!strings.Contains(a.What, "last synced Sat May 2 07:00 BST: nothing for 50 hours") || !strings.Contains(a.Next, "sowhat sync --source warehouse --once") {
		t.Fatalf("alerts %+v, want one naming the warehouse source", alerts)
	}
	if l := find(alerts, "linkedin_ads", StatusOpened); l == nil || !strings.Contains(l.Cause, "The warehouse source is syncing (the last at Sat May 2 07:00 BST) but its linkedin_ads data stops at Thu Apr 30") {
		t.Errorf("alerts %+v: want LinkedIn's naming the warehouse source", alerts)
	}
	// It syncs again, but LinkedIn's data still stops on Apr 30: the sync
	// alert clears, and LinkedIn's says the source is syncing.
	sync(alertNow.Add(-time.Hour))
	alerts, err = EvaluateAlerts(ctx, engine(st), state, rules, alertNow, london)
	if err != nil {
		t.Fatal(err)
	}
	if find(alerts, "sync:warehouse", StatusCleared) == nil {
		t.Errorf("alerts %+v: want the sync alert cleared", alerts)
	}
	if fr, _ := st.Freshness(ctx); !slices.ContainsFunc(fr, func(f model.Freshness) bool { return f.Source == "linkedin_ads" && f.Via == "warehouse" }) {
		t.Errorf("freshness %+v does not say LinkedIn comes through the warehouse", fr)
	}
}

// TestRemovedSourceNotWatched: a source taken out of the sources
// configuration stops syncing on purpose. Its open stale-sync incident
// clears once, saying why, and no new one opens; a source still
// configured that stopped is still named.
func TestRemovedSourceNotWatched(t *testing.T) {
	ctx := context.Background()
	st := alertStore(t, alertYday)
	for _, name := range []string{"warehouse", "exports"} {
		src := data.Source{File: "sync:" + name, Kind: data.KindAds, Format: "dbt_ad_reporting", Sync: name, At: alertNow.Add(-50 * time.Hour)}
		if _, err := st.Ingest(ctx, src, func(w *data.Writer) error {
			return w.Ad(data.AdRow{Date: alertYday, Platform: "linkedin_ads", Campaign: "B2B " + name, Spend: 100, Impressions: 1000, Clicks: 10, Conversions: 1})
		}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{Alerts: AlertsConfig{Rules: []AlertRule{defaultRule(RuleStaleData, "stale-data", []string{"slack:C1"})}, Location: london}}
	state := openState(st, "a", nil)
	check := func(sources []string, at time.Time) []Alert {
		t.Helper()
		s := NewScheduler(state, engine(st), &fakePublisher{}, cfg, WithSources(sources))
		alerts, err := s.CheckAlerts(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var out []Alert
		for _, a := range alerts {
			if strings.HasPrefix(a.Subject, syncSubject) {
				out = append(out, a)
			}
		}
		return out
	}
	got := check([]string{"warehouse", "exports"}, alertNow)
	if len(got) != 2 || got[0].Status != StatusOpened || got[1].Status != StatusOpened {
		t.Fatalf("both configured and stopped: %+v, want two opened", got)
	}
	// exports is taken out of the configuration.
	got = check([]string{"warehouse"}, alertNow.Add(time.Hour))
	if len(got) != 1 || got[0].Subject != "sync:exports" || got[0].Status != StatusCleared ||
		!strings.Contains(got[0].What, "no longer in the sources configuration") {
		t.Fatalf("exports removed: %+v, want its incident cleared saying it was removed", got)
	}
	if got = check([]string{"warehouse"}, alertNow.Add(2*time.Hour)); len(got) != 0 {
		t.Errorf("checked again: %+v, want nothing (the warehouse's is still open, exports' cleared)", got)
	}
	// No sources configured at all: the warehouse's clears too, and
	// nothing opens again.
	if got = check(nil, alertNow.Add(3*time.Hour)); len(got) != 1 || got[0].Subject != "sync:warehouse" || got[0].Status != StatusCleared {
		t.Errorf("no sources configured: %+v, want the warehouse's cleared", got)
	}
	if got = check(nil, alertNow.Add(4*time.Hour)); len(got) != 0 {
		t.Errorf("no sources configured, checked again: %+v, want nothing", got)
	}
}

// TestAlertADeadReplicaOpenedIsPosted: a replica opens an incident and
// dies before posting its alert. Once its lease runs out another replica
// posts the alert, once; had the condition ended meanwhile, the incident
// is cleared without a word, since nobody heard it open.
func TestAlertADeadReplicaOpenedIsPosted(t *testing.T) {
	for _, tt := range []struct {
		name      string
		syncAgain bool // the source syncs again before the lease runs out
		failOnce  bool // the first post after the lease is refused
		wantPosts int
	}{
		{"still stale", false, false, 1},
		{"synced since", true, false, 0},
		{"the first post refused", false, true, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := alertStore(t, alertYday)
			sync := func(at time.Time) { t.Helper(); warehouseSync(t, st, at) }
			sync(alertNow.Add(-50 * time.Hour))
			cfg := Config{Alerts: AlertsConfig{Rules: []AlertRule{defaultRule(RuleStaleData, "stale-data", []string{"slack:C1"})}, Location: london}}
			clock := &fakeClock{now: alertNow}
			dead := openState(st, "dead", clock)
			if err := dead.Heartbeat(ctx); err != nil {
				t.Fatal(err)
			}
			// The check a scheduler makes, up to the post: then it dies.
			ac, err := newAlertContext(ctx, engine(st), dead, alertNow, london, []string{"warehouse"})
			if err != nil {
				t.Fatal(err)
			}
			ac.claims = true
			opened, err := ac.applyAll(ctx, cfg.Alerts.Rules)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(opened, func(a Alert) bool { return a.Subject == "sync:warehouse" && a.Key != "" }) {
				t.Fatalf("opened %+v, want the warehouse's stale sync, claimed", opened)
			}
			pub := &fakePublisher{}
			live := NewScheduler(openState(st, "live", clock), engine(st), pub, cfg, WithClock(clock), WithLogger(quietLog()), WithSources([]string{"warehouse"}))
			resume := func() {
				t.Helper()
				if err := live.st.Heartbeat(ctx); err != nil {
					t.Fatal(err)
				}
				if err := live.resume(ctx, clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
			resume()
			if n := len(pub.all()); n != 0 {
				t.Fatalf("%d posts while the dead replica's lease holds, want 0", n)
			}
			if tt.syncAgain {
				sync(alertNow.Add(time.Minute))
			}
			clock.now = alertNow.Add(data.DefaultLease + time.Minute)
			if tt.failOnce {
				pub.mu.Lock()
				pub.fail = errors.New("slack down")
				pub.mu.Unlock()
				if err := live.st.Heartbeat(ctx); err != nil {
					t.Fatal(err)
				}
				if err := live.resume(ctx, clock.Now()); err == nil {
					t.Fatal("a refused post should be an error")
				}
				pub.mu.Lock()
				pub.fail = nil
				pub.mu.Unlock()
			}
			resume()
			resume()
			var posts []post
			for _, p := range pub.all() {
				if p.Msg.Alert != nil && p.Msg.Alert.Subject == "sync:warehouse" {
					posts = append(posts, p)
				}
			}
			if len(posts) != tt.wantPosts {
				t.Fatalf("%d alerts about the warehouse posted, want %d: %+v", len(posts), tt.wantPosts, posts)
			}
			if tt.wantPosts > 0 && (posts[0].Msg.Alert.Status != StatusOpened || !strings.Contains(posts[0].Msg.Alert.Title, "stopped syncing") || posts[0].Msg.Key == "") {
				t.Errorf("posted %+v, want the opened stale-sync alert under its claim", posts[0].Msg.Alert)
			}
			// The next check neither opens it again nor says it cleared.
			alerts, err := live.CheckAlerts(ctx, clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range alerts {
				if a.Subject == "sync:warehouse" {
					t.Errorf("the next check posted %s for the warehouse, want nothing", a.Status)
				}
			}
		})
	}
}

// TestAlertClearingADeadReplicaLeftIsPosted: an incident's condition ends,
// and the replica that clears it dies before saying so. Another posts the
// clearing once the lease runs out, once.
func TestAlertClearingADeadReplicaLeftIsPosted(t *testing.T) {
	ctx := context.Background()
	st := alertStore(t, alertYday)
	sync := func(at time.Time) { t.Helper(); warehouseSync(t, st, at) }
	sync(alertNow.Add(-50 * time.Hour))
	cfg := Config{Alerts: AlertsConfig{Rules: []AlertRule{defaultRule(RuleStaleData, "stale-data", []string{"slack:C1"})}, Location: london}}
	clock := &fakeClock{now: alertNow}
	pub := &fakePublisher{}
	live := NewScheduler(openState(st, "live", clock), engine(st), pub, cfg, WithClock(clock), WithLogger(quietLog()), WithSources([]string{"warehouse"}))
	if _, err := live.CheckAlerts(ctx, alertNow); err != nil {
		t.Fatal(err)
	}
	about := func(status string) int {
		n := 0
		for _, p := range pub.all() {
			if p.Msg.Alert != nil && p.Msg.Alert.Subject == "sync:warehouse" && p.Msg.Alert.Status == status {
				n++
			}
		}
		return n
	}
	if about(StatusOpened) != 1 {
		t.Fatalf("posts %+v, want the stale sync opened", pub.all())
	}
	// The source syncs again; a replica clears the incident and dies.
	sync(alertNow.Add(time.Minute))
	dead := openState(st, "dead", clock)
	if err := dead.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	ac, err := newAlertContext(ctx, engine(st), dead, alertNow.Add(2*time.Minute), london, []string{"warehouse"})
	if err != nil {
		t.Fatal(err)
	}
	ac.claims = true
	if cleared, err := ac.applyAll(ctx, cfg.Alerts.Rules); err != nil || !slices.ContainsFunc(cleared, func(a Alert) bool { return a.Status == StatusCleared && a.Key != "" }) {
		t.Fatalf("cleared %+v, %v; want the warehouse's, claimed", cleared, err)
	}
	clock.now = alertNow.Add(2*time.Minute + data.DefaultLease + time.Minute)
	for range 2 {
		if err := live.st.Heartbeat(ctx); err != nil {
			t.Fatal(err)
		}
		if err := live.resume(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if n := about(StatusCleared); n != 1 {
		t.Errorf("%d clearings of the warehouse's alert posted, want 1", n)
	}
	if alerts, err := live.CheckAlerts(ctx, clock.Now()); err != nil || len(alerts) != 0 {
		t.Errorf("the next check: %+v, %v; want nothing", alerts, err)
	}
}

// warehouseSync records a sync of the warehouse source at at, of one
// LinkedIn row on the day before alertNow.
func warehouseSync(t *testing.T, st *data.Store, at time.Time) {
	t.Helper()
	src := data.Source{File: "sync:warehouse", Kind: data.KindAds, Format: "dbt_ad_reporting", Sync: "warehouse", At: at}
	if _, err := st.Ingest(context.Background(), src, func(w *data.Writer) error {
		return w.Ad(data.AdRow{Date: alertYday, Platform: "linkedin_ads", Campaign: "B2B", Spend: 100, Impressions: 1000, Clicks: 10, Conversions: 1})
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAlertOverspendGoesByTheDaysPlan: a year earlier Meta spent three times
// as much on the Friday after Thanksgiving as on the days around it, and
// does so again this year. The day's plan is the month's budget spread as
// the same days spent it a year earlier, so Black Friday at three times an
// even day is on plan, not an overspend; a platform that triples on a day
// it spent evenly a year earlier is one.
func TestAlertOverspendGoesByTheDaysPlan(t *testing.T) {
	peak := func(platform, from, to string, spend float64, bf time.Time) datatest.Daily {
		d := datatest.Daily{Platform: platform, Campaign: model.PlatformName(platform) + " - Prospecting", CampaignType: "prospecting", From: from, To: to,
			Spend: spend, Impressions: 100000, Clicks: 1000, Conversions: 40, Revenue: 3000}
		d.Fill = func(day time.Time, r *data.AdRow) {
			if day.Equal(bf) {
				r.Spend *= 3
			}
		}
		return d
	}
	bf25, bf26 := datatest.Day(t, "2025-11-28"), datatest.Day(t, "2026-11-27")
	st := datatest.New(t).Ads(
		peak("meta", "2025-10-01", "2025-12-31", 1000, bf25), peak("meta", "2026-11-01", "2026-11-27", 1000, bf26),
		peak("tiktok", "2025-10-01", "2025-12-31", 1000, time.Time{}), peak("tiktok", "2026-11-01", "2026-11-27", 1000, bf26),
	).Budget("2026-11", "meta", "", 32000).Budget("2026-11", "tiktok", "", 32000)
	alerts := checkRuleAt(t, st, defaultRule(RuleOverspend, "overspend", []string{"slack:C1"}), time.Date(2026, 11, 28, 9, 0, 0, 0, london))
	var got []string
	for _, a := range alerts {
		got = append(got, a.Rule+" "+a.Subject)
	}
	if !slices.Equal(got, []string{"overspend tiktok"}) {
		t.Errorf("alerts %v, want only TikTok's overspend", got)
	}
}

// TestAlertAnomalyOfASilentCampaignChecksItsTracking: a TikTok campaign
// converts steadily for four weeks, then spends a day with clicks and not
// one conversion, and the platform's CPA jumps. The step is to check the
// campaign's tracking, not its bids; when its conversions halve instead,
// the step is its bids and audiences, among campaigns.
func TestAlertAnomalyOfASilentCampaignChecksItsTracking(t *testing.T) {
	run := func(t *testing.T, lastConv float64) Alert {
		d := func(c string, conv float64) datatest.Daily {
			return datatest.Daily{Platform: "tiktok", Campaign: c, CampaignType: "prospecting", From: "2026-10-20", To: "2026-11-22",
				Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: conv, Revenue: conv * 50}
		}
		spark := d("TikTok Spark", 20)
		spark.Fill = func(day time.Time, r *data.AdRow) {
			r.Conversions = float64(18 + 2*(day.Day()%3)) // daily noise
			if day.Equal(datatest.Day(t, "2026-11-22")) {
				r.Conversions = lastConv
			}
			r.Revenue = r.Conversions * 50
		}
		st := datatest.New(t).Ads(spark, d("TikTok Steady", 20))
		alerts := checkRuleAt(t, st, withMetric(defaultRule(RuleAnomaly, "cpa-anomaly", []string{"slack:C1"}), model.CPA), time.Date(2026, 11, 23, 9, 0, 0, 0, london))
		if len(alerts) != 1 {
			t.Fatalf("alerts %+v, want one CPA anomaly", alerts)
		}
		return alerts[0]
	}
	silent := run(t, 0).Text()
	for _, must := range []string{"TikTok Spark", "conversion tracking", "pause it if nothing comes back today"} {
		if !strings.Contains(silent, must) {
			t.Errorf("must say %q:\n%s", must, silent)
		}
	}
	if strings.Contains(silent, "bid, budget or audience") {
		t.Errorf("a silent campaign's step is its tracking, not its bids:\n%s", silent)
	}
	halved := run(t, 10).Text()
	if !strings.Contains(halved, "check TikTok Spark for bid, budget or audience changes") && !strings.Contains(halved, "Check TikTok Spark for bid, budget or audience changes") || !strings.Contains(halved, "better-performing campaigns") {
		t.Errorf("a campaign that still converts is checked for bids, among campaigns:\n%s", halved)
	}
	if strings.Contains(halved, "conversion tracking") {
		t.Errorf("a campaign that still converts is not a tracking problem:\n%s", halved)
	}
}

// checkRuleAt checks one alert rule on a planted store at now, on a fresh
// state, and logs what it posts.
func checkRuleAt(t *testing.T, st *datatest.Store, rule AlertRule, now time.Time) []Alert {
	t.Helper()
	cfg := Config{Alerts: AlertsConfig{Location: london, Rules: []AlertRule{rule}}}
	alerts, err := newScheduler(st.Import(), &fakePublisher{}, cfg, &fakeClock{now: now}, "a").CheckAlerts(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		t.Logf("%s", a.Text())
	}
	return alerts
}

// TestAlertAnomalyOnAFlatHistory: Meta's CPA held at exactly $20.00 for
// four weeks (a standard deviation of zero), then reached $29.00: the rule
// fires, saying how far off the flat history the day was. A day 1% off
// the same history, within the spread it is read as having, does not.
func TestAlertAnomalyOnAFlatHistory(t *testing.T) {
	run := func(t *testing.T, lastSpend float64) []Alert {
		d := datatest.Daily{Platform: "meta", Campaign: "Meta Steady", CampaignType: "prospecting", From: "2026-10-20", To: "2026-11-22",
			Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 50, Revenue: 4000,
			Fill: func(day time.Time, r *data.AdRow) {
				if day.Equal(datatest.Day(t, "2026-11-22")) {
					r.Spend = lastSpend
				}
			}}
		return checkRuleAt(t, datatest.New(t).Ads(d), withMetric(defaultRule(RuleAnomaly, "cpa-anomaly", []string{"slack:C1"}), model.CPA), time.Date(2026, 11, 23, 9, 0, 0, 0, london))
	}
	jump := run(t, 1450)
	if len(jump) != 1 {
		t.Fatalf("alerts %+v, want one CPA anomaly", jump)
	}
	text := jump[0].Text()
	for _, must := range []string{"Meta CPA yesterday was 45.0% above a history that barely moved", "$29.00", "average of $20.00", "read as at least 2.00% of the average"} {
		if !strings.Contains(text, must) {
			t.Errorf("must say %q:\n%s", must, text)
		}
	}
	if strings.Contains(text, "Inf") || strings.Contains(text, "NaN") {
		t.Errorf("an infinite number of standard deviations:\n%s", text)
	}
	if quiet := run(t, 1010); len(quiet) != 0 {
		t.Errorf("a day 1%% off a flat history fired: %+v", quiet)
	}
}
