package demo

import (
	"database/sql"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model/period"
)

// adSet is the generated ad performance and what budgets and business
// results are derived from.
type adSet struct {
	byPlatform map[string][]data.AdRow // the rows to write, by platform
	campaigns  int

	dailySpend map[time.Time]float64 // all spend per day, the stale platform's unreported days included
	planned    map[monthKey]*planned // planned spend per platform (campaign "") and per campaign and month
}

type monthKey struct {
	platform, campaign string
	month              time.Time
}

// planned is the spend a month's plan expected on the days that have data:
// the actual spend less any overspend.
type planned struct {
	spend   float64
	days    int
	lastDay time.Time
}

func (a *adSet) plan(k monthKey, d time.Time, spend float64) {
	p := a.planned[k]
	if p == nil {
		p = &planned{}
		a.planned[k] = p
	}
	p.spend += spend
	if !p.lastDay.Equal(d) {
		p.days++
		p.lastDay = d
	}
}

// generateAds builds every campaign's daily rows, day by day. Each campaign
// draws from its own random source so the catalog can grow without changing
// the other campaigns' numbers.
func generateAds(cal calendar) *adSet {
	a := &adSet{
		byPlatform: map[string][]data.AdRow{},
		dailySpend: map[time.Time]float64{},
		planned:    map[monthKey]*planned{},
	}
	rngs := make([]*rand.Rand, len(catalog))
	campaigns := make([]campaign, len(catalog))
	for i, c := range catalog {
		rngs[i] = rand.New(rand.NewPCG(seed, uint64(i+1)))
		campaigns[i] = c.tune(rngs[i])
	}
	seen := map[string]bool{}
	for _, d := range cal.days() {
		s := seasonOf(d)
		for i, c := range campaigns {
			if !c.live(cal, d) {
				continue
			}
			row, plannedSpend := adRow(cal, c, d, s, rngs[i])
			a.dailySpend[d] += row.Spend
			if c.platform == StalePlatform && d.After(cal.staleEnd) {
				continue
			}
			a.byPlatform[c.platform] = append(a.byPlatform[c.platform], row)
			month := period.MonthStart(d)
			a.plan(monthKey{c.platform, "", month}, d, plannedSpend)
			a.plan(monthKey{c.platform, c.name, month}, d, plannedSpend)
			seen[c.name] = true
		}
	}
	a.campaigns = len(seen)
	return a
}

// live reports whether the campaign ran on d.
func (c campaign) live(cal calendar, d time.Time) bool {
	if !c.holiday.on(d) {
		return false
	}
	return c.liveDays == 0 || daysBetween(d, cal.end) < c.liveDays
}

// effect is how the stories bend one campaign's day.
type effect struct {
	planned   float64 // spend multiplier the budget knows about
	overspend float64 // spend multiplier it does not
	cpm, cpc  float64 // cost multipliers
	cvr, aov  float64
	noConv    bool // conversion tracking broken
}

func storyEffect(cal calendar, c campaign, d time.Time) effect {
	e := effect{planned: 1, overspend: 1, cpm: 1, cpc: 1, cvr: 1, aov: 1}
	if c.name == CPAJumpCampaign && cal.inLastWeek(d) {
		// A creative refresh went live with a broken catalog feed: delivery
		// scales up while purchases collapse.
		e.planned, e.cvr = 1.08*cal.jumpSpend, 0.45*cal.jumpCVR
	}
	if c.platform == OverspendPlatform && !d.Before(cal.prevMonth) {
		// A raised bid cap: more spend, pricier impressions, no new budget.
		e.overspend, e.cpm = overspendFactor, 1.10
	}
	if c.category == DecliningCategory {
		k := cal.declineShare(d)
		e.cpm, e.cpc = e.cpm*(1+0.15*k), 1+0.35*k
		e.cvr, e.aov = 1-0.35*k, 1-0.05*k
	}
	if c.name == ZeroConversionCampaign && !d.Before(cal.zeroConvFrom) {
		e.noConv = true
	}
	return e
}

// spendScale brings the catalog's ordinary-day budgets to about $15M a year
// once the seasons are counted.
const spendScale = 1.07

// adRow draws one campaign's day and returns it with its planned spend.
func adRow(cal calendar, c campaign, d time.Time, s season, r *rand.Rand) (data.AdRow, float64) {
	e := storyEffect(cal, c, d)
	base := spendScale * c.daily * cal.growth(d, 0.10) * s.spend * categorySpend(c.category, d.Month()) * jitter(r, 0.06)
	plan := round2(base * e.planned)
	spend := round2(plan * e.overspend)

	cpm := c.prof.cpm * e.cpm * jitter(r, 0.04)
	impressions := math.Round(spend / cpm * 1000)
	clicks := math.Round(impressions * c.prof.ctr * e.cpm / e.cpc * jitter(r, 0.05))
	conv := (clicks*c.prof.cvr + impressions/1000*c.prof.vtc) * s.cvr * e.cvr * jitter(r, 0.08)
	if e.noConv {
		conv = 0
	}
	conv = roundConversions(c.platform, conv)
	row := data.AdRow{
		Date: d, Platform: c.platform, Account: c.account, Campaign: c.name,
		CampaignType: c.ctype, Category: c.category, Region: c.region,
		Spend: spend, Impressions: impressions, Clicks: clicks, Conversions: conv,
		Revenue: round2(conv * orderValue(c) * s.aov * e.aov * jitter(r, 0.04)),
	}
	reported(&row, c, s, r)
	return row, plan
}

// reported fills the metrics only some platforms and campaigns report.
func reported(row *data.AdRow, c campaign, s season, r *rand.Rand) {
	if c.visits > 0 {
		row.StoreVisits = valid(math.Round(row.Impressions / 1000 * c.visits * (0.5 + 0.5*s.store) * jitter(r, 0.10)))
	}
	if rate := engagementRate[c.platform]; rate > 0 {
		row.Engagements = valid(math.Round(row.Impressions * rate * jitter(r, 0.10)))
	}
	if rate := videoViewRate(c); rate > 0 {
		row.VideoViews = valid(math.Min(row.Impressions, math.Round(row.Impressions*rate*jitter(r, 0.03))))
	}
	if reportsNewCustomers[c.platform] {
		row.NewCustomers = valid(math.Min(row.Conversions, roundConversions(c.platform, row.Conversions*c.newShare*jitter(r, 0.10))))
	}
}

func orderValue(c campaign) float64 {
	v := categoryAOV[c.category] * c.aovScale
	if c.platform == "amazon_ads" {
		v *= 0.6 // single items, not baskets
	}
	return v
}

func roundConversions(platform string, v float64) float64 {
	if fractional[platform] {
		return round2(v)
	}
	return math.Round(v)
}

// jitter is multiplicative noise around 1 with standard deviation sd, kept
// within three deviations.
func jitter(r *rand.Rand, sd float64) float64 {
	n := math.Max(-3, math.Min(3, r.NormFloat64()))
	return 1 + sd*n
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func valid(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
