package reports

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
)

// Digest judgement: each test plants a small story in a real store, builds
// one audience's digest as of a day, and asserts what the digest, read as
// that executive would, must and must never say.

// digestStory builds audience's preview digest on the planted store as of
// asOf.
func digestStory(t *testing.T, st *datatest.Store, audience model.Audience, asOf string) (*Digest, string) {
	t.Helper()
	b := NewBuilder(engine(st.Import()), fakeChart, quietLog())
	d, err := b.Build(context.Background(), PreviewConfig(audience), datatest.Day(t, asOf))
	if err != nil {
		t.Fatalf("build %s digest: %v", audience, err)
	}
	return d, Text(d)
}

// judgeDigest fails unless the digest's text holds every phrase in must and
// none in never (case-insensitive), and fits its line budget.
func judgeDigest(t *testing.T, text string, must, never []string) {
	t.Helper()
	low := strings.ToLower(text)
	for _, m := range must {
		if !strings.Contains(low, strings.ToLower(m)) {
			t.Errorf("digest must say %q; said:\n%s", m, text)
		}
	}
	for _, n := range never {
		if strings.Contains(low, strings.ToLower(n)) {
			t.Errorf("digest must never say %q; said:\n%s", n, text)
		}
	}
	if n := Lines(text); n > LineBudget {
		t.Errorf("digest is %d lines, over its budget of %d:\n%s", n, LineBudget, text)
	}
}

// adsAcross plants a steady campaign per platform from from to to.
func adsAcross(st *datatest.Store, from, to string, platforms ...string) {
	for _, p := range platforms {
		st.Ads(datatest.Daily{Platform: p, Campaign: model.PlatformName(p) + " - Prospecting", CampaignType: "prospecting", From: from, To: to,
			Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 40, Revenue: 3000})
	}
}

// study plants one brand-lift study's significant results.
func study(t *testing.T, name, platform, start, end string, lifts map[string]float64) []data.BrandLiftRow {
	var out []data.BrandLiftRow
	for m, v := range lifts {
		out = append(out, data.BrandLiftRow{Study: name, Platform: platform, Metric: m, Lift: v, Significant: sql.NullBool{Bool: true, Valid: true},
			StartDate: datatest.Day(t, start), EndDate: datatest.Day(t, end)})
	}
	return out
}

// A brand-lift study that ended months ago was news in its own week: the
// CMO's digest says no new study ended, and does not list its results again.
func TestDigestStaleBrandLiftNotRepeated(t *testing.T) {
	st := datatest.New(t)
	adsAcross(st, "2026-10-01", "2026-11-29", "meta", "google_ads")
	for _, r := range study(t, "Meta Spring Lift", "meta", "2026-07-01", "2026-08-15", map[string]float64{"ad_recall": 0.112, "purchase_intent": 0.021}) {
		st.BrandLift(r)
	}
	_, text := digestStory(t, st, model.AudienceCMO, "2026-11-30")
	judgeDigest(t, text, []string{"No new brand-lift study ended last week", "Meta Spring Lift", "Aug 15, 2026"},
		[]string{"11.2%", "ad_recall", "purchase_intent", "lifted ad recall", "in the last 12 months"})
}

// A study that ended in the digest's week is news: its results are shown,
// with display names for its metrics, and an older study is not.
func TestDigestNewBrandLiftShown(t *testing.T) {
	st := datatest.New(t)
	adsAcross(st, "2026-10-01", "2026-11-29", "tiktok", "google_ads")
	for _, r := range study(t, "TikTok Gen Z Study", "tiktok", "2026-10-20", "2026-11-25", map[string]float64{"ad_recall": 0.118, "purchase_intent": 0.02}) {
		st.BrandLift(r)
	}
	for _, r := range study(t, "Old YouTube Study", "google_ads", "2026-05-01", "2026-06-01", map[string]float64{"awareness": 0.05}) {
		st.BrandLift(r)
	}
	_, text := digestStory(t, st, model.AudienceCMO, "2026-11-30")
	judgeDigest(t, text, []string{"1 brand-lift study ended last week", "TikTok Gen Z Study lifted ad recall by 11.8%"},
		[]string{"Old YouTube Study", "ad_recall", "purchase_intent"})
}

// Around Thanksgiving the CEO's digest compares with the same weekdays 52
// weeks earlier, not with the quiet week before, and gives no budget advice
// about business revenue.
func TestDigestCEOHolidayWeekYearOverYear(t *testing.T) {
	st := datatest.New(t)
	adsAcross(st, "2025-10-01", "2026-11-29", "meta", "google_ads")
	// Black Friday week triples sales, both years; this year is 5% up.
	fill := func(d time.Time, r *data.BusinessRow) {
		bf := datatest.Day(t, "2026-11-23")
		if d.Year() == 2025 {
			bf = datatest.Day(t, "2025-11-24")
		}
		if !d.Before(bf) && d.Before(bf.AddDate(0, 0, 7)) {
			r.Revenue *= 3
			r.Orders *= 3
		}
		if d.Year() == 2026 {
			r.Revenue *= 1.05
		}
	}
	st.Business("store", "2025-10-01", "2026-11-29", 1000, 100000, 50, fill)
	st.Business("online", "2025-10-01", "2026-11-29", 200, 20000, 20, fill)
	d, text := digestStory(t, st, model.AudienceCEO, "2026-11-30")
	if d.ComparePeriod == nil || d.ComparePeriod.Start.Format(time.DateOnly) != "2025-11-24" || d.ComparePeriod.Start.Weekday() != d.Period.Start.Weekday() {
		t.Errorf("compare period %v, want the same weekdays 52 weeks earlier (from Mon 2025-11-24)", d.ComparePeriod)
	}
	judgeDigest(t, text, []string{"52 weeks earlier", "Business revenue up 5.0%", "Thanksgiving"},
		[]string{"the week before (Nov 16", "shifting budget toward", "up 200%", "up 215%"})
	if !strings.Contains(d.Highlights[0].Text, "same days last year") {
		t.Errorf("first highlight %q should lead with the year-over-year change", d.Highlights[0].Text)
	}
}

// A week without a holiday keeps the week before as its comparison.
func TestDigestCEOOrdinaryWeekWeekOverWeek(t *testing.T) {
	st := datatest.New(t)
	adsAcross(st, "2025-10-01", "2026-10-25", "meta")
	st.Business("store", "2025-10-01", "2026-10-25", 1000, 100000, 50, nil)
	d, text := digestStory(t, st, model.AudienceCEO, "2026-10-19")
	if d.ComparePeriod == nil || d.ComparePeriod.Start.Format(time.DateOnly) != "2026-10-05" {
		t.Errorf("compare period %v, want the week before (Oct 5–11)", d.ComparePeriod)
	}
	judgeDigest(t, text, []string{"the week before"}, []string{"52 weeks earlier", "shifting budget toward"})
}

// Most spend carries no category: merchandising is told, the unassigned
// bucket ranks last, and no section repeats the category table's rows.
func TestDigestMerchandisingFlagsUncategorisedSpend(t *testing.T) {
	st := datatest.New(t)
	st.Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Broad", CampaignType: "prospecting", From: "2026-10-01", To: "2026-11-29", Spend: 6000, Impressions: 500000, Clicks: 5000, Conversions: 100, Revenue: 30000},
		datatest.Daily{Platform: "google_ads", Campaign: "Shopping - Home", CampaignType: "shopping", Category: "Home", From: "2026-10-01", To: "2026-11-29", Spend: 1000, Impressions: 50000, Clicks: 900, Conversions: 60, Revenue: 4000},
		datatest.Daily{Platform: "google_ads", Campaign: "Shopping - Toys", CampaignType: "shopping", Category: "Toys", From: "2026-10-01", To: "2026-11-29", Spend: 1000, Impressions: 50000, Clicks: 900, Conversions: 30, Revenue: 2500},
		datatest.Daily{Platform: "amazon_ads", Campaign: "SP - Beauty", CampaignType: "sponsored_products", Category: "Beauty", From: "2026-10-01", To: "2026-11-29", Spend: 800, Impressions: 40000, Clicks: 700, Conversions: 40, Revenue: 3200,
			Fill: func(d time.Time, r *data.AdRow) {
				if !d.Before(datatest.Day(t, "2026-11-23")) {
					r.Revenue = 1600
				}
			}},
	)
	d, text := digestStory(t, st, model.AudienceMerchandising, "2026-11-30")
	judgeDigest(t, text, []string{"(no category) holds 68.2% of spend", "speak for only part of the money"},
		[]string{"Best categories", "Worst categories", "sponsored_products"})
	if len(d.Highlights) != 3 {
		t.Errorf("%d highlights, want the three promised", len(d.Highlights))
	}
	rows := d.Sections[0].Answer.Rows
	if len(rows) == 0 || rows[len(rows)-1].Key[model.DimCategory] != "" {
		t.Errorf("the unassigned bucket should rank last: %v", rows)
	}
}

// The head of stores sees what the stores took (store-channel business
// revenue, not online) and store visits by region with their cost, the
// unassigned region last.
func TestDigestStoresShowsStoreRevenueAndRegions(t *testing.T) {
	st := datatest.New(t)
	for _, r := range []struct {
		region string
		visits float64
	}{{"US-East", 300}, {"US-West", 200}, {"", 900}} {
		st.Ads(datatest.Daily{Platform: "google_ads", Campaign: "Local - " + r.region, CampaignType: "store_traffic", Region: r.region, From: "2026-10-01", To: "2026-11-29",
			Spend: 3000, Impressions: 100000, Clicks: 2000, Conversions: 10, Revenue: 500, StoreVisits: datatest.F(r.visits)})
	}
	st.Business("store", "2026-10-01", "2026-11-29", 1000, 123456, 30, nil)
	st.Business("online", "2026-10-01", "2026-11-29", 400, 54321, 20, nil)
	_, text := digestStory(t, st, model.AudienceStores, "2026-11-30")
	judgeDigest(t, text, []string{"Store revenue", "$864,192", "Store visits by region", "US-East", "Cost per store visit"},
		[]string{"$1,244,439", "(no region) is highest", "(no region) holds", "store_traffic", "google_ads"})
	if i, j := strings.Index(text, "US-East"), strings.Index(text, "(no region)"); j >= 0 && j < i {
		t.Errorf("(no region) leads the region breakdown:\n%s", text)
	}
}

// Highlights rank by dollar impact: a ROAS collapse on the largest
// platform's spend comes before a bigger percentage jump in impressions
// bought with a matching rise in spend.
func TestDigestHighlightsRankByDollarImpact(t *testing.T) {
	st := datatest.New(t)
	st.Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Advantage+", CampaignType: "prospecting", From: "2026-10-01", To: "2026-11-29", Spend: 20000, Impressions: 2000000, Clicks: 20000, Conversions: 500, Revenue: 60000,
			Fill: func(d time.Time, r *data.AdRow) {
				if !d.Before(datatest.Day(t, "2026-11-23")) {
					r.Revenue = 40000 // ROAS 3.00x → 2.00x on $140K a week
				}
			}},
		datatest.Daily{Platform: "tiktok", Campaign: "TikTok Spark", CampaignType: "video", From: "2026-10-01", To: "2026-11-29", Spend: 500, Impressions: 100000, Clicks: 500, Conversions: 5, Revenue: 600,
			Fill: func(d time.Time, r *data.AdRow) {
				if !d.Before(datatest.Day(t, "2026-11-23")) {
					r.Spend, r.Impressions = 1500, 300000 // tripled, as bought
				}
			}},
	)
	d, text := digestStory(t, st, model.AudienceCMO, "2026-11-30")
	if len(d.Highlights) == 0 || !strings.Contains(d.Highlights[0].Text, "ROAS") {
		t.Errorf("first highlight should be the ROAS fall, the largest in dollars; got:\n%s", text)
	}
	for _, h := range d.Highlights {
		if strings.HasPrefix(h.Text, "TikTok impressions") {
			t.Errorf("impressions bought with matching spend are no highlight: %q", h.Text)
		}
	}
	judgeDigest(t, text, nil, []string{"ask for ROAS by platform", "video,", "ctv"})
}

// A digest over many groups fits one screen, and names every platform and
// campaign type by its display name.
func TestDigestFitsOneScreen(t *testing.T) {
	st := datatest.New(t)
	types := []string{"prospecting", "retargeting", "shopping", "search", "sponsored_products", "sponsored_brands", "sponsored_display", "ctv", "display", "video", "performance_max", "store_traffic"}
	for i, p := range model.Platforms {
		for j := 0; j < 3; j++ {
			ct := types[(i*3+j)%len(types)]
			st.Ads(datatest.Daily{Platform: p.ID, Campaign: p.Name + " " + ct, CampaignType: ct, From: "2026-10-01", To: "2026-11-29",
				Spend: float64(500 + 100*i + 10*j), Impressions: 50000, Clicks: 500, Conversions: float64(10 + i), Revenue: float64(1500 + 200*j)})
		}
	}
	for _, aud := range model.Audiences {
		_, text := digestStory(t, st, aud, "2026-11-30")
		never := []string{"sponsored_products", "performance_max", "google_ads", "the_trade_desk", "Ads's"}
		judgeDigest(t, text, nil, never)
	}
}

// TestDigestCFOIncrementality: the CFO digest's incrementality line says
// how much of the spend a test covers and which platforms were never
// tested, gives the calibrated ROAS as an estimate naming its test, and
// names the largest untested spend to test next; a test that is not
// significant calibrates nothing.
func TestDigestCFOIncrementality(t *testing.T) {
	st := datatest.New(t)
	adsAcross(st, "2026-09-01", "2026-11-29", "meta", "google_ads", "tiktok")
	st.Ads(datatest.Daily{Platform: "amazon_ads", Campaign: "Amazon SP", From: "2026-09-01", To: "2026-11-29", Spend: 2000, Impressions: 100000, Clicks: 1000, Conversions: 40, Revenue: 8000})
	test := func(name, platform string, iroas, low float64, sig bool) data.Experiment {
		return data.Experiment{Test: name, Platform: platform, Start: datatest.Day(t, "2026-10-01"), End: datatest.Day(t, "2026-10-28"), Outcome: data.OutcomeRevenue,
			TestSpend: 10000, IncrementalOutcome: 10000 * iroas, LiftPct: 0.04, IROAS: iroas, CILow: low, CIHigh: iroas + 0.5, Significant: sql.NullBool{Bool: sig, Valid: true}}
	}
	st.Experiment(test("Meta Holdout", "meta", 1.5, 1.0, true), test("TikTok Lift", "tiktok", 0.6, -0.3, false))
	_, text := digestStory(t, st, model.AudienceCFO, "2026-11-30")
	judgeDigest(t, text, []string{"Incrementality", "2 of 4 platforms have an incrementality test", "$14,000 of the $35,000 spent", "never tested: Amazon Ads and Google Ads ($21,000)",
		`Calibrated ROAS on the $7,000 that a significant test covers: about 1.50x, against 3.00x reported (an estimate: Meta from "Meta Holdout")`,
		"TikTok (TikTok Lift)", "Next: test Amazon Ads, the largest spend with no test"},
		[]string{"about 0.60x", "proof"})
}

// TestDigestPacingHighlightLandsOnThePattern: a year earlier Meta spent a
// quarter of November in its first half, and does so again: at half an
// even split of its budget it is on pace to land on it. TikTok spent
// evenly a year earlier and this year runs at twice its budget's even
// split. The CFO's "What matters" names TikTok's landing, never Meta as
// under budget.
func TestDigestPacingHighlightLandsOnThePattern(t *testing.T) {
	late := datatest.Daily{Platform: "meta", Campaign: "Meta - Prospecting", CampaignType: "prospecting", From: "2025-11-01", To: "2025-12-01",
		Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 40, Revenue: 3000}
	late.Fill = func(d time.Time, r *data.AdRow) {
		if !d.Before(datatest.Day(t, "2025-11-17")) {
			r.Spend *= 3
		}
	}
	tiktok := func(from, to string, spend float64) datatest.Daily {
		return datatest.Daily{Platform: "tiktok", Campaign: "TikTok - Prospecting", CampaignType: "prospecting", From: from, To: to,
			Spend: spend, Impressions: 100000, Clicks: 1000, Conversions: 40, Revenue: 3000}
	}
	st := datatest.New(t).Ads(late, tiktok("2025-11-01", "2025-12-01", 500),
		datatest.Daily{Platform: "meta", Campaign: "Meta - Prospecting", CampaignType: "prospecting", From: "2026-11-01", To: "2026-11-15", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 40, Revenue: 3000},
		tiktok("2026-11-01", "2026-11-15", 1000)).
		Budget("2026-11", "meta", "", 60000).Budget("2026-11", "tiktok", "", 15000)
	_, text := digestStory(t, st, model.AudienceCFO, "2026-11-16")
	judgeDigest(t, text, []string{"TikTok is on pace to end the month 100% over budget: $30,000 against a $15,000 month"},
		[]string{"Meta is 50.0% under", "Meta is on pace", "Meta is underspending"})
}

// TestDigestHolidayWeekYearOverYearForEveryAudience: ad spend, conversions
// and store visits triple in Black Friday week, both years, as the season
// does. Every audience's digest compares that week with the same weekdays
// 52 weeks earlier, where the same week tripled too, and none calls the
// tripling good news or a warning sign, or highlights it as a trend.
func TestDigestHolidayWeekYearOverYearForEveryAudience(t *testing.T) {
	st := datatest.New(t)
	for _, p := range []string{"meta", "google_ads"} {
		d := datatest.Daily{Platform: p, Campaign: model.PlatformName(p) + " - Prospecting", CampaignType: "prospecting", From: "2025-10-01", To: "2026-11-29",
			Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 40, Revenue: 3000, StoreVisits: datatest.F(50), NewCustomers: datatest.F(10)}
		d.Fill = func(day time.Time, r *data.AdRow) {
			bf := datatest.Day(t, "2026-11-23")
			if day.Year() == 2025 {
				bf = datatest.Day(t, "2025-11-24")
			}
			if !day.Before(bf) && day.Before(bf.AddDate(0, 0, 7)) {
				r.Spend, r.Impressions, r.Clicks, r.Conversions, r.Revenue = r.Spend*3, r.Impressions*3, r.Clicks*3, r.Conversions*3, r.Revenue*3
				r.StoreVisits.Float64 *= 3
			}
		}
		st.Ads(d)
	}
	st.Business("store", "2025-10-01", "2026-11-29", 1000, 100000, 50, nil)
	for _, aud := range []model.Audience{model.AudienceCFO, model.AudienceCMO, model.AudienceStores, model.AudienceMerchandising, model.AudienceTeam} {
		t.Run(string(aud), func(t *testing.T) {
			d, text := digestStory(t, st, aud, "2026-11-30")
			if d.ComparePeriod == nil || d.ComparePeriod.Start.Format(time.DateOnly) != "2025-11-24" {
				t.Errorf("compare period %v, want the same weekdays 52 weeks earlier (from Mon 2025-11-24)", d.ComparePeriod)
			}
			judgeDigest(t, text, []string{"Thanksgiving and Black Friday fall in these weeks"},
				[]string{"good news", "warning sign", "the week before (Nov 16", "the 7 weeks before"})
		})
	}
}
