package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model/period"
)

// asOfs are the days the tests generate for: an ordinary mid-month
// Wednesday, the first of a month, a Monday, the Sunday of Black Friday
// weekend, just after Cyber Monday and the turn of the year.
var asOfs = []string{"2026-03-18", "2026-07-01", "2026-05-04", "2025-11-30", "2025-12-03", "2026-01-02"}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(period.DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// generate writes the demo for asOf into a fresh SQLite file and returns a
// read-only connection to it.
func generate(t *testing.T, asOf time.Time) (*sql.DB, Summary) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	sum, err := Generate(ctx, st, asOf)
	if err != nil {
		t.Fatalf("Generate(%s): %v", asOf.Format(period.DateLayout), err)
	}
	t.Logf("generated %d ad rows in %v", sum.AdRows, time.Since(start))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, sum
}

// query runs q and returns every row as strings.
func query(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
			if !v.Valid {
				row[i] = "NULL"
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// scalar runs a query returning one number.
func scalar(t *testing.T, db *sql.DB, q string, args ...any) float64 {
	t.Helper()
	var v sql.NullFloat64
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v.Float64
}

func ymd(d time.Time) string { return d.Format(period.DateLayout) }

func TestGenerateIsDeterministic(t *testing.T) {
	asOf := mustDay(t, "2026-03-18")
	db1, sum1 := generate(t, asOf)
	db2, sum2 := generate(t, asOf.Add(15*time.Hour)) // the time of day does not matter
	if !reflect.DeepEqual(sum1, sum2) {
		t.Errorf("summaries differ:\n%+v\n%+v", sum1, sum2)
	}
	for _, q := range []string{
		`SELECT platform, month, ROUND(SUM(spend), 2), SUM(impressions), SUM(clicks), ROUND(SUM(conversions), 2), ROUND(SUM(revenue), 2) FROM ad_daily GROUP BY platform, month ORDER BY platform, month`,
		`SELECT date, platform, account, campaign, campaign_type, category, region, spend, impressions, clicks, conversions, revenue, store_visits, engagements, video_views, new_customers FROM ad_daily ORDER BY date, platform, account, campaign`,
		`SELECT date, channel, orders, revenue, new_customers, gross_profit FROM business_daily ORDER BY date, channel`,
		`SELECT month, platform, campaign, budget FROM budgets ORDER BY month, platform, campaign`,
		`SELECT study, platform, start_date, end_date, metric, lift, significant FROM brand_lift ORDER BY study, metric`,
		`SELECT file, kind, platform, format, rows, min_date, max_date FROM imports ORDER BY id`,
		`SELECT * FROM experiments ORDER BY test, platform, campaign, outcome`,
		`SELECT m.*, c.spend, c.outcome FROM mmm_results m JOIN mmm_curve c ON c.model = m.model AND c.channel = m.channel ORDER BY m.channel, c.spend`,
	} {
		a, b := query(t, db1, q), query(t, db2, q)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the two databases differ (%d vs %d rows)", q, len(a), len(b))
		}
	}

	other, _ := generate(t, asOf.AddDate(0, 0, 1))
	q := `SELECT ROUND(SUM(spend), 2) FROM ad_daily`
	if scalar(t, db1, q) == scalar(t, other, q) {
		t.Error("a different asOf gave the same data")
	}
}

func TestGenerateRanges(t *testing.T) {
	for _, s := range asOfs {
		t.Run(s, func(t *testing.T) {
			asOf := mustDay(t, s)
			db, sum := generate(t, asOf)
			end, start := asOf.AddDate(0, 0, -1), asOf.AddDate(0, 0, -Days)
			if !sum.End.Equal(end) || !sum.Start.Equal(start) {
				t.Errorf("summary range %s to %s, want %s to %s", ymd(sum.Start), ymd(sum.End), ymd(start), ymd(end))
			}
			checkCounts(t, db, sum, start, end)
			checkReporting(t, db)
			checkBudgetsAndLift(t, db, asOf)
		})
	}
}

func checkCounts(t *testing.T, db *sql.DB, sum Summary, start, end time.Time) {
	t.Helper()
	counts := []struct {
		name string
		q    string
		want float64
	}{
		{"platforms", `SELECT COUNT(DISTINCT platform) FROM ad_daily`, 8},
		{"campaigns", `SELECT COUNT(DISTINCT campaign) FROM ad_daily`, float64(sum.Campaigns)},
		{"ad rows", `SELECT COUNT(*) FROM ad_daily`, float64(sum.AdRows)},
		{"business rows", `SELECT COUNT(*) FROM business_daily`, float64(2 * Days)},
		{"business rows reported", `SELECT COUNT(*) FROM business_daily`, float64(sum.BusinessRows)},
		{"store days", `SELECT COUNT(*) FROM business_daily WHERE channel = 'store'`, Days},
		{"online days", `SELECT COUNT(*) FROM business_daily WHERE channel = 'online'`, Days},
		{"budget rows", `SELECT COUNT(*) FROM budgets`, float64(sum.BudgetRows)},
		{"brand-lift rows", `SELECT COUNT(*) FROM brand_lift`, float64(sum.BrandLiftRows)},
		{"ad imports", `SELECT COUNT(*) FROM imports WHERE kind = 'ads' AND platform <> ''`, 8},
	}
	for _, c := range counts {
		if got := scalar(t, db, c.q); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	if months := scalar(t, db, `SELECT COUNT(DISTINCT month) FROM ad_daily`); months < 14 {
		t.Errorf("%v months of data, want 13 and more", months)
	}
	if sum.Platforms < 6 || sum.Campaigns < 40 || sum.AdRows < 18_000 {
		t.Errorf("summary too small: %+v", sum)
	}
	if got := query(t, db, `SELECT MIN(date), MAX(date) FROM ad_daily`); got[0][0] != ymd(start) || got[0][1] != ymd(end) {
		t.Errorf("ad dates %v, want %s to %s", got[0], ymd(start), ymd(end))
	}
	daily := scalar(t, db, `SELECT SUM(spend) / 365 FROM ad_daily WHERE date > ?`, ymd(end.AddDate(-1, 0, 0)))
	if daily < 35_000 || daily > 48_000 {
		t.Errorf("average daily spend over the last year $%.0f, want about $40K", daily)
	}
}

func checkReporting(t *testing.T, db *sql.DB) {
	t.Helper()
	notNull := []struct{ metric, platforms string }{
		{"store_visits", "google_ads,meta,the_trade_desk"},
		{"new_customers", "google_ads,meta,tiktok"},
		{"engagements", "meta,pinterest,tiktok"},
		{"video_views", "google_ads,meta,pinterest,the_trade_desk,tiktok"},
	}
	for _, n := range notNull {
		got := query(t, db, `SELECT GROUP_CONCAT(platform) FROM (SELECT DISTINCT platform FROM ad_daily WHERE `+n.metric+` IS NOT NULL ORDER BY platform)`)
		if got[0][0] != n.platforms {
			t.Errorf("%s reported by %s, want %s", n.metric, got[0][0], n.platforms)
		}
	}
	ctr := []struct {
		types    string
		min, max float64
	}{
		{"'search'", 0.03, 0.06},
		{"'prospecting', 'retargeting', 'store_traffic'", 0.008, 0.015},
		{"'ctv', 'display'", 0.001, 0.003},
	}
	for _, c := range ctr {
		rows := query(t, db, `SELECT platform, campaign_type, SUM(clicks) / SUM(impressions) FROM ad_daily WHERE platform IN ('google_ads', 'microsoft_ads', 'meta', 'the_trade_desk') AND campaign_type IN (`+c.types+`) GROUP BY 1, 2`)
		for _, r := range rows {
			if v := atof(t, r[2]); v < c.min || v > c.max {
				t.Errorf("%s %s CTR %.4f outside [%.3f, %.3f]", r[0], r[1], v, c.min, c.max)
			}
		}
	}
	for _, r := range query(t, db, `SELECT category, SUM(revenue) / SUM(conversions) FROM ad_daily WHERE platform <> 'amazon_ads' GROUP BY category`) {
		if v := atof(t, r[1]); v < 55 || v > 125 {
			t.Errorf("category %q AOV $%.2f outside $55-125", r[0], v)
		}
	}
	for _, r := range query(t, db, `SELECT b.month, b.revenue, a.revenue, b.margin FROM
		(SELECT month, SUM(revenue) AS revenue, SUM(gross_profit) / SUM(revenue) AS margin FROM business_daily WHERE channel = 'online' GROUP BY month) b
		JOIN (SELECT month, SUM(revenue) AS revenue FROM ad_daily GROUP BY month) a USING (month)`) {
		business, attributed, margin := atof(t, r[1]), atof(t, r[2]), atof(t, r[3])
		if business < 1.5*attributed {
			t.Errorf("%s: online revenue %.0f not well above attributed %.0f", r[0], business, attributed)
		}
		if margin < 0.29 || margin > 0.40 {
			t.Errorf("%s: online gross margin %.3f", r[0], margin)
		}
	}
}

func checkBudgetsAndLift(t *testing.T, db *sql.DB, asOf time.Time) {
	t.Helper()
	cur := period.MonthStart(asOf)
	if got := scalar(t, db, `SELECT COUNT(DISTINCT platform) FROM budgets WHERE month = ? AND campaign = ''`, ymd(cur)); got != 8 {
		t.Errorf("%d platforms have a budget for the current month, want 8", int(got))
	}
	if got := scalar(t, db, `SELECT COUNT(*) FROM budgets WHERE month = ? AND campaign <> ''`, ymd(cur)); got < 3 {
		t.Errorf("%d campaign budgets for the current month, want a few", int(got))
	}
	first := period.MonthStart(asOf.AddDate(0, 0, -Days))
	if got := scalar(t, db, `SELECT COUNT(DISTINCT month) FROM budgets WHERE campaign = ''`); got != float64(monthsBetween(first, cur)+1) {
		t.Errorf("budgets for %v months, want every month from %s to %s", got, ymd(first), ymd(cur))
	}
	yearAgo := ymd(asOf.AddDate(-1, 0, 0))
	if got := scalar(t, db, `SELECT COUNT(DISTINCT study) FROM brand_lift WHERE start_date >= ? AND end_date < ?`, yearAgo, ymd(asOf)); got < 5 {
		t.Errorf("%v brand-lift studies in the last year, want 5", got)
	}
	if got := scalar(t, db, `SELECT COUNT(*) FROM brand_lift WHERE lift < 0.02 OR lift > 0.12`); got != 0 {
		t.Errorf("%v lifts outside 2-12%%", got)
	}
	if got := scalar(t, db, `SELECT COUNT(*) FROM brand_lift WHERE significant = 0`); got == 0 {
		t.Error("every lift is significant")
	}
}

// TestEvidence: the tests and the model tell an analyst's story: a few
// tests per tested platform over the last year, some significant and some
// not, one stale, platforms never tested, and each test's iROAS below or
// above what its platform reported over its days, never the same.
func TestEvidence(t *testing.T) {
	asOf := mustDay(t, "2026-11-25")
	db, sum := generate(t, asOf)
	if sum.Experiments != len(tests) || sum.MMMResults != 8 {
		t.Errorf("summary says %d tests and %d MMM results", sum.Experiments, sum.MMMResults)
	}
	yearAgo := ymd(asOf.AddDate(-1, 0, 0))
	if got := scalar(t, db, `SELECT COUNT(DISTINCT platform) FROM experiments WHERE end_date >= ?`, yearAgo); got < 5 {
		t.Errorf("%v platforms tested in the last year, want 5 or more", got)
	}
	if got := query(t, db, `SELECT test FROM experiments WHERE end_date < ?`, yearAgo); len(got) != 1 || got[0][0] != StaleTest {
		t.Errorf("tests older than a year: %v, want only %s", got, StaleTest)
	}
	for _, sig := range []int{0, 1} {
		if got := scalar(t, db, `SELECT COUNT(*) FROM experiments WHERE significant = ?`, sig); got < 2 {
			t.Errorf("%v tests with significant = %d, want a few", got, sig)
		}
	}
	for _, p := range UntestedPlatforms {
		if got := scalar(t, db, `SELECT COUNT(*) FROM experiments WHERE platform = ?`, p); got != 0 {
			t.Errorf("%s has %v tests, want none", p, got)
		}
	}
	for _, r := range query(t, db, `SELECT e.test, e.iroas, e.ci_low, e.ci_high, SUM(a.revenue) / SUM(a.spend) FROM experiments e
JOIN ad_daily a ON a.platform = e.platform AND a.date BETWEEN e.start_date AND e.end_date AND (e.campaign = '' OR a.campaign = e.campaign)
WHERE e.outcome = 'revenue' GROUP BY e.test, e.iroas, e.ci_low, e.ci_high`) {
		iroas, low, high, reported := atof(t, r[1]), atof(t, r[2]), atof(t, r[3]), atof(t, r[4])
		if !(low < iroas && iroas < high) || iroas <= 0 || math.Abs(iroas/reported-1) < 0.05 {
			t.Errorf("%s: iROAS %.3f in [%.3f, %.3f] against a reported ROAS of %.3f", r[0], iroas, low, high, reported)
		}
	}
	if got := scalar(t, db, `SELECT COUNT(*) FROM mmm_results WHERE mroi >= roi OR roi <= 0`); got != 0 {
		t.Errorf("%v MMM results whose marginal ROI is not below a positive average", got)
	}
	if got := scalar(t, db, `SELECT COUNT(*) FROM mmm_curve`); got != 40 {
		t.Errorf("%v curve points, want five per platform", got)
	}
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

func TestStories(t *testing.T) {
	for _, s := range asOfs {
		t.Run(s, func(t *testing.T) {
			asOf := mustDay(t, s)
			db, sum := generate(t, asOf)
			if len(sum.Stories) < 5 {
				t.Errorf("%d stories, want 5", len(sum.Stories))
			}
			for _, st := range sum.Stories {
				t.Log(st)
			}
			t.Run("cpa jump", func(t *testing.T) { checkCPAJump(t, db, asOf) })
			t.Run("overspend", func(t *testing.T) { checkOverspend(t, db, asOf) })
			t.Run("category decline", func(t *testing.T) { checkDecline(t, db, asOf) })
			t.Run("zero conversions", func(t *testing.T) { checkZeroConversions(t, db, asOf) })
			t.Run("stale platform", func(t *testing.T) { checkStale(t, db, asOf) })
			t.Run("black friday", func(t *testing.T) { checkBlackFriday(t, db, asOf) })
		})
	}
}

// checkCPAJump compares the last complete Monday-Sunday week with the one
// before, per Meta campaign. A campaign's contribution to Meta's CPA rise is
// the change in its excess cost: its spend less what its conversions would
// have cost at Meta's CPA of the week before.
func checkCPAJump(t *testing.T, db *sql.DB, asOf time.Time) {
	last := period.WeekStart(asOf).AddDate(0, 0, -7)
	prev := last.AddDate(0, 0, -7)
	rows := query(t, db, `SELECT campaign,
			SUM(CASE WHEN week = :last THEN spend END), SUM(CASE WHEN week = :last THEN conversions END),
			SUM(CASE WHEN week = :prev THEN spend END), SUM(CASE WHEN week = :prev THEN conversions END)
		FROM ad_daily WHERE platform = 'meta' AND week IN (:last, :prev) GROUP BY campaign`,
		sql.Named("last", ymd(last)), sql.Named("prev", ymd(prev)))
	type week struct{ spend, conv float64 }
	camps := map[string][2]week{}
	var meta [2]week
	for _, r := range rows {
		w := [2]week{{atofOr0(r[1]), atofOr0(r[2])}, {atofOr0(r[3]), atofOr0(r[4])}}
		camps[r[0]] = w
		for i := range meta {
			meta[i].spend += w[i].spend
			meta[i].conv += w[i].conv
		}
	}
	metaPrevCPA := meta[1].spend / meta[1].conv
	if ratio := (meta[0].spend / meta[0].conv) / metaPrevCPA; ratio < 1.15 {
		t.Errorf("Meta CPA week over week x%.2f, want a noticeable rise", ratio)
	}
	c := camps[CPAJumpCampaign]
	if ratio := (c[0].spend / c[0].conv) / (c[1].spend / c[1].conv); ratio < 1.6 {
		t.Errorf("%s CPA x%.2f week over week, want >= 1.6", CPAJumpCampaign, ratio)
	}
	if c[0].spend < c[1].spend*0.97 {
		t.Errorf("%s spend fell from %.0f to %.0f, want it holding", CPAJumpCampaign, c[1].spend, c[0].spend)
	}
	excess := func(w week) float64 { return w.spend - w.conv*metaPrevCPA }
	var top string
	var topDelta, second float64
	for name, w := range camps {
		d := excess(w[0]) - excess(w[1])
		switch {
		case top == "" || d > topDelta:
			top, topDelta, second = name, d, topDelta
		case d > second:
			second = d
		}
	}
	if top != CPAJumpCampaign || topDelta < 2*second {
		t.Errorf("largest contributor %s (%.0f, next %.0f), want %s clearly ahead", top, topDelta, second, CPAJumpCampaign)
	}
}

func atofOr0(s string) float64 {
	var v float64
	fmt.Sscan(s, &v)
	return v
}

// checkOverspend paces every platform in the current month to date and in
// the previous month, pro-rating the month's budget through each platform's
// own last day of data.
func checkOverspend(t *testing.T, db *sql.DB, asOf time.Time) {
	cur := period.MonthStart(asOf)
	for _, month := range []time.Time{cur.AddDate(0, -1, 0), cur} {
		rows := query(t, db, `SELECT b.platform, b.budget, a.spend, a.last_day FROM budgets b
			JOIN (SELECT platform, SUM(spend) AS spend, MAX(date) AS last_day FROM ad_daily WHERE month = ? GROUP BY platform) a USING (platform)
			WHERE b.month = ? AND b.campaign = ''`, ymd(month), ymd(month))
		if month.Equal(cur) && asOf.Day() == 1 {
			if len(rows) != 0 {
				t.Errorf("spend in %s before it began", ymd(month))
			}
			continue
		}
		if len(rows) < 6 {
			t.Errorf("%s: only %d platforms paced", ymd(month), len(rows))
		}
		for _, r := range rows {
			budget, spend, last := atof(t, r[1]), atof(t, r[2]), mustDay(t, r[3])
			pace := spend / (budget * float64(last.Day()) / float64(daysIn(month)))
			over := r[0] == OverspendPlatform
			if over && pace <= 1.1 || !over && math.Abs(pace-1) > 0.07 {
				t.Errorf("%s %s: spend %.0f is x%.3f its pro-rated budget", ymd(month), r[0], spend, pace)
			}
		}
	}
}

// checkDecline compares each category's ROAS, CPC and CVR over the last three
// weeks with the three weeks before.
func checkDecline(t *testing.T, db *sql.DB, asOf time.Time) {
	end := asOf.AddDate(0, 0, -1)
	mid, from := end.AddDate(0, 0, -20), end.AddDate(0, 0, -41)
	rows := query(t, db, `SELECT category, recent, recent_clicks, recent_conv, recent_spend, recent_revenue,
			spend - recent_spend, revenue - recent_revenue, clicks - recent_clicks, conv - recent_conv FROM (
		SELECT category, 1 AS recent,
			SUM(CASE WHEN date >= :mid THEN clicks END) AS recent_clicks, SUM(CASE WHEN date >= :mid THEN conversions END) AS recent_conv,
			SUM(CASE WHEN date >= :mid THEN spend END) AS recent_spend, SUM(CASE WHEN date >= :mid THEN revenue END) AS recent_revenue,
			SUM(spend) AS spend, SUM(revenue) AS revenue, SUM(clicks) AS clicks, SUM(conversions) AS conv
		FROM ad_daily WHERE category <> '' AND date BETWEEN :from AND :end GROUP BY category)`,
		sql.Named("mid", ymd(mid)), sql.Named("from", ymd(from)), sql.Named("end", ymd(end)))
	worst, worstChange := "", 0.0
	for _, r := range rows {
		clicks, conv, spend, revenue := atof(t, r[2]), atof(t, r[3]), atof(t, r[4]), atof(t, r[5])
		pSpend, pRevenue, pClicks, pConv := atof(t, r[6]), atof(t, r[7]), atof(t, r[8]), atof(t, r[9])
		change := (revenue/spend)/(pRevenue/pSpend) - 1
		if r[0] == DecliningCategory {
			if change > -0.10 {
				t.Errorf("%s ROAS changed %+.1f%%, want a drop of more than 10%%", r[0], change*100)
			}
			if spend/clicks <= pSpend/pClicks || conv/clicks >= pConv/pClicks {
				t.Errorf("%s CPC %.2f -> %.2f, CVR %.4f -> %.4f: want CPC up and CVR down", r[0], pSpend/pClicks, spend/clicks, pConv/pClicks, conv/clicks)
			}
		}
		if worst == "" || change < worstChange {
			worst, worstChange = r[0], change
		}
	}
	if worst != DecliningCategory {
		t.Errorf("steepest ROAS decline is %s (%+.1f%%), want %s", worst, worstChange*100, DecliningCategory)
	}
}

func checkZeroConversions(t *testing.T, db *sql.DB, asOf time.Time) {
	from := asOf.AddDate(0, 0, -ZeroConversionDays)
	got := query(t, db, `SELECT COUNT(*), SUM(spend), SUM(conversions), SUM(clicks) FROM ad_daily WHERE campaign = ? AND date >= ?`, ZeroConversionCampaign, ymd(from))[0]
	if got[0] != fmt.Sprint(ZeroConversionDays) || atof(t, got[1]) < 1000 || atof(t, got[2]) != 0 || atof(t, got[3]) == 0 {
		t.Errorf("%s over its last %d days: days, spend, conversions, clicks = %v", ZeroConversionCampaign, ZeroConversionDays, got)
	}
	before := scalar(t, db, `SELECT MIN(conversions) FROM ad_daily WHERE campaign = ? AND date BETWEEN ? AND ?`,
		ZeroConversionCampaign, ymd(from.AddDate(0, 0, -14)), ymd(from.AddDate(0, 0, -1)))
	if before == 0 {
		t.Errorf("%s already had zero-conversion days before the story", ZeroConversionCampaign)
	}
}

func checkStale(t *testing.T, db *sql.DB, asOf time.Time) {
	for _, r := range query(t, db, `SELECT platform, MAX(date) FROM ad_daily GROUP BY platform`) {
		want := asOf.AddDate(0, 0, -1)
		if r[0] == StalePlatform {
			want = want.AddDate(0, 0, -StaleDays)
		}
		if r[1] != ymd(want) {
			t.Errorf("%s last day %s, want %s", r[0], r[1], ymd(want))
		}
	}
	if got := query(t, db, `SELECT max_date FROM imports WHERE kind = 'ads' AND platform = ?`, StalePlatform); len(got) != 1 || got[0][0] != ymd(asOf.AddDate(0, 0, -1-StaleDays)) {
		t.Errorf("%s import max_date %v", StalePlatform, got)
	}
}

func checkBlackFriday(t *testing.T, db *sql.DB, asOf time.Time) {
	end := asOf.AddDate(0, 0, -1)
	year := end.Year()
	if blackFriday(year).After(end) {
		year--
	}
	bf := blackFriday(year)
	if bf.Weekday() != time.Friday || bf.Month() != time.November || bf.Day() < 23 || bf.Day() > 29 {
		t.Fatalf("black friday %s", ymd(bf))
	}
	nov := scalar(t, db, `SELECT SUM(spend) / COUNT(DISTINCT date) FROM ad_daily WHERE month = ?`, fmt.Sprintf("%d-11-01", year))
	for _, d := range []time.Time{bf, bf.AddDate(0, 0, 3)} {
		if d.After(end) {
			continue
		}
		peak := scalar(t, db, `SELECT SUM(spend) FROM ad_daily WHERE date = ?`, ymd(d))
		if peak < 1.5*nov {
			t.Errorf("spend on %s %.0f, November average %.0f", ymd(d), peak, nov)
		}
	}
	best := query(t, db, `SELECT date FROM business_daily WHERE channel = 'online' AND date BETWEEN ? AND ? ORDER BY revenue DESC LIMIT 1`,
		fmt.Sprintf("%d-11-01", year), ymd(end))[0][0]
	if best != ymd(bf) && best != ymd(bf.AddDate(0, 0, 3)) {
		t.Errorf("best online day since November 1st %s, want Black Friday or Cyber Monday", best)
	}
}

func TestBlackFriday(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{2023, "2023-11-24"},
		{2024, "2024-11-29"}, // the 5th Friday: Thanksgiving is the 4th Thursday
		{2025, "2025-11-28"},
		{2026, "2026-11-27"},
		{2027, "2027-11-26"},
	}
	for _, tt := range tests {
		if got := ymd(blackFriday(tt.year)); got != tt.want {
			t.Errorf("blackFriday(%d) = %s, want %s", tt.year, got, tt.want)
		}
	}
}

func TestGenerateAgainReplaces(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	asOf := mustDay(t, "2026-03-18")
	first, err := Generate(ctx, st, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(ctx, st, asOf); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := scalar(t, db, `SELECT COUNT(*) FROM ad_daily`); got != float64(first.AdRows) {
		t.Errorf("%v ad rows after generating twice, want %d", got, first.AdRows)
	}
}

func TestGenerateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cancel()
	if _, err := Generate(ctx, st, mustDay(t, "2026-03-18")); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context: %v, want context.Canceled", err)
	}
}

func BenchmarkGenerate(b *testing.B) {
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(b.TempDir(), "demo.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	asOf := time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, err := Generate(ctx, st, asOf); err != nil {
			b.Fatal(err)
		}
	}
}
