package demo

import (
	"math/rand/v2"
	"time"
)

// profile is how a kind of campaign turns spend into results.
type profile struct {
	cpm float64 // cost per thousand impressions
	ctr float64 // clicks per impression
	cvr float64 // conversions per click
	vtc float64 // view-through conversions per thousand impressions
}

var (
	brandSearch   = profile{cpm: 55, ctr: 0.052, cvr: 0.10}
	genericSearch = profile{cpm: 70, ctr: 0.035, cvr: 0.032}
	localSearch   = profile{cpm: 55, ctr: 0.045, cvr: 0.022}
	shopping      = profile{cpm: 9, ctr: 0.012, cvr: 0.028}
	pmax          = profile{cpm: 12, ctr: 0.011, cvr: 0.024, vtc: 0.01}
	youtube       = profile{cpm: 11, ctr: 0.003, cvr: 0.006, vtc: 0.03}
	socialProspct = profile{cpm: 9, ctr: 0.011, cvr: 0.014, vtc: 0.02}
	advantagePlus = profile{cpm: 11, ctr: 0.013, cvr: 0.028, vtc: 0.03}
	socialRetarg  = profile{cpm: 15, ctr: 0.013, cvr: 0.045}
	storeTraffic  = profile{cpm: 8, ctr: 0.0095, cvr: 0.008, vtc: 0.01}
	tiktokProf    = profile{cpm: 6.5, ctr: 0.009, cvr: 0.010, vtc: 0.015}
	pinterestProf = profile{cpm: 5.5, ctr: 0.008, cvr: 0.012, vtc: 0.01}
	sponsoredProd = profile{cpm: 4.5, ctr: 0.0045, cvr: 0.09}
	sponsoredBrnd = profile{cpm: 5.5, ctr: 0.004, cvr: 0.07}
	sponsoredDisp = profile{cpm: 5, ctr: 0.0035, cvr: 0.05, vtc: 0.05}
	criteoRetarg  = profile{cpm: 6, ctr: 0.006, cvr: 0.04, vtc: 0.04}
	ctv           = profile{cpm: 32, ctr: 0.0015, cvr: 0.01, vtc: 0.12}
	display       = profile{cpm: 4, ctr: 0.0022, cvr: 0.012, vtc: 0.04}
)

// campaign is one campaign of the catalog.
type campaign struct {
	platform, account, name string
	ctype, category, region string

	daily float64 // planned daily spend at today's scale, on an ordinary day
	prof  profile

	visits   float64 // store visits per thousand impressions; 0: not reported
	newShare float64 // share of conversions from new customers, where reported
	holiday  flight  // a seasonal flight; zero: always on
	liveDays int     // went live this many days before the last day; 0: before the data starts

	aovScale float64 // how far its basket is from its category's, set by tune
}

// tune gives a campaign its own character: no two campaigns of a kind cost,
// click or convert exactly alike.
func (c campaign) tune(r *rand.Rand) campaign {
	spread := func(w float64) float64 { return 1 + w*(2*r.Float64()-1) }
	c.prof.cpm *= spread(0.12)
	c.prof.ctr *= spread(0.12)
	c.prof.cvr *= spread(0.20)
	c.prof.vtc *= spread(0.20)
	c.aovScale = spread(0.08)
	return c
}

// Accounts.
const (
	acctSearch    = "Retail US - Search"
	acctShopping  = "Retail US - Shopping"
	acctYouTube   = "Retail US - YouTube"
	acctMicrosoft = "Retail US - Microsoft"
	acctMeta      = "Retail US - Meta"
	acctTikTok    = "Retail US - TikTok"
	acctPinterest = "Retail US - Pinterest"
	acctAmazon    = "Retail US - Amazon Vendor"
	acctCriteo    = "Retail US - Criteo"
	acctTTD       = "Agency - Programmatic"
)

// categoryAOV is the average order value of each product category; a
// campaign without one sells a mixed basket.
var categoryAOV = map[string]float64{
	"Apparel":     68,
	"Home":        105,
	"Electronics": 120,
	"Beauty":      58,
	"Toys":        62,
	"Kitchen":     64,
	"Outdoor":     96,
	"":            88,
}

// catalog lists every campaign, about $39K a day on an ordinary day.
var catalog = []campaign{
	{platform: "google_ads", account: acctSearch, name: "Google Search - Brand", ctype: "search", daily: 1300, prof: brandSearch, visits: 2.0, newShare: 0.15},
	{platform: "google_ads", account: acctSearch, name: "Google Search - Generic", ctype: "search", daily: 1600, prof: genericSearch, visits: 1.0, newShare: 0.35},
	{platform: "google_ads", account: acctSearch, name: "Google Search - Generic - Electronics", ctype: "search", category: "Electronics", daily: 700, prof: genericSearch, newShare: 0.35},
	{platform: "google_ads", account: acctSearch, name: "Google Search - Local Stores - US-East", ctype: "search", region: "US-East", daily: 500, prof: localSearch, visits: 4.0, newShare: 0.25},
	{platform: "google_ads", account: acctSearch, name: "Google Search - Local Stores - US-West", ctype: "search", region: "US-West", daily: 450, prof: localSearch, visits: 4.0, newShare: 0.25},
	{platform: "google_ads", account: acctShopping, name: "Google Shopping - Apparel", ctype: "shopping", category: "Apparel", daily: 1700, prof: shopping, newShare: 0.30},
	{platform: "google_ads", account: acctShopping, name: "Google Shopping - Home", ctype: "shopping", category: "Home", daily: 1400, prof: shopping, newShare: 0.30},
	{platform: "google_ads", account: acctShopping, name: "Google Shopping - Electronics", ctype: "shopping", category: "Electronics", daily: 1800, prof: shopping, newShare: 0.30},
	{platform: "google_ads", account: acctShopping, name: "Google Shopping - Beauty", ctype: "shopping", category: "Beauty", daily: 850, prof: shopping, newShare: 0.30},
	{platform: "google_ads", account: acctShopping, name: "Google Shopping - Toys", ctype: "shopping", category: "Toys", daily: 750, prof: shopping, newShare: 0.30},
	{platform: "google_ads", account: acctShopping, name: "Google Shopping - Kitchen", ctype: "shopping", category: "Kitchen", daily: 700, prof: shopping, newShare: 0.30},
	{platform: "google_ads", account: acctShopping, name: "Google Shopping - Outdoor", ctype: "shopping", category: "Outdoor", daily: 650, prof: shopping, newShare: 0.30},
	{platform: "google_ads", account: acctShopping, name: "Google PMax - Store Goals", ctype: "performance_max", daily: 900, prof: pmax, visits: 1.5, newShare: 0.30},
	{platform: "google_ads", account: acctYouTube, name: "YouTube - Brand Awareness", ctype: "video", daily: 800, prof: youtube, newShare: 0.50},

	{platform: "microsoft_ads", account: acctMicrosoft, name: "Microsoft Search - Brand", ctype: "search", daily: 300, prof: brandSearch},
	{platform: "microsoft_ads", account: acctMicrosoft, name: "Microsoft Search - Generic", ctype: "search", daily: 650, prof: genericSearch},
	{platform: "microsoft_ads", account: acctMicrosoft, name: "Microsoft Shopping - Electronics", ctype: "shopping", category: "Electronics", daily: 450, prof: shopping},
	{platform: "microsoft_ads", account: acctMicrosoft, name: "Microsoft Shopping - Home", ctype: "shopping", category: "Home", daily: 350, prof: shopping},

	{platform: "meta", account: acctMeta, name: "Meta Prospecting - Broad", ctype: "prospecting", daily: 1600, prof: socialProspct, visits: 0.08, newShare: 0.45},
	{platform: "meta", account: acctMeta, name: "Meta Prospecting - Loyalty Lookalikes", ctype: "prospecting", daily: 1200, prof: socialProspct, newShare: 0.40},
	{platform: "meta", account: acctMeta, name: CPAJumpCampaign, ctype: "prospecting", daily: 3200, prof: advantagePlus, newShare: 0.32},
	{platform: "meta", account: acctMeta, name: "Meta Retargeting - Cart Abandoners", ctype: "retargeting", daily: 1100, prof: socialRetarg, newShare: 0.08},
	{platform: "meta", account: acctMeta, name: "Meta Store Traffic - US-East", ctype: "store_traffic", region: "US-East", daily: 600, prof: storeTraffic, visits: 0.6, newShare: 0.30},
	{platform: "meta", account: acctMeta, name: "Meta Store Traffic - US-West", ctype: "store_traffic", region: "US-West", daily: 500, prof: storeTraffic, visits: 0.6, newShare: 0.30},
	{platform: "meta", account: acctMeta, name: "Meta Store Traffic - US-South", ctype: "store_traffic", region: "US-South", daily: 450, prof: storeTraffic, visits: 0.6, newShare: 0.30},
	{platform: "meta", account: acctMeta, name: "Meta Reels - Apparel", ctype: "prospecting", category: "Apparel", daily: 700, prof: socialProspct, newShare: 0.45},
	{platform: "meta", account: acctMeta, name: "Meta Holiday Gift Guide", ctype: "prospecting", daily: 1500, prof: socialProspct, newShare: 0.40, holiday: flight{time.November, 1}},

	{platform: "tiktok", account: acctTikTok, name: "TikTok Prospecting - Gen Z", ctype: "prospecting", daily: 1100, prof: tiktokProf, newShare: 0.55},
	{platform: "tiktok", account: acctTikTok, name: ZeroConversionCampaign, ctype: "prospecting", category: "Beauty", daily: 700, prof: tiktokProf, newShare: 0.50},
	{platform: "tiktok", account: acctTikTok, name: "TikTok Creator Partnerships - Apparel", ctype: "prospecting", category: "Apparel", daily: 500, prof: tiktokProf, newShare: 0.55, liveDays: 150},

	{platform: "pinterest", account: acctPinterest, name: "Pinterest Home Decor Inspiration", ctype: "prospecting", category: "Home", daily: 600, prof: pinterestProf},
	{platform: "pinterest", account: acctPinterest, name: "Pinterest Shopping - Apparel", ctype: "shopping", category: "Apparel", daily: 450, prof: pinterestProf},
	{platform: "pinterest", account: acctPinterest, name: "Pinterest Holiday Gifting", ctype: "prospecting", daily: 500, prof: pinterestProf, holiday: flight{time.October, 15}},

	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SP - Electronics", ctype: "sponsored_products", category: "Electronics", daily: 1300, prof: sponsoredProd},
	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SP - Home", ctype: "sponsored_products", category: "Home", daily: 850, prof: sponsoredProd},
	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SP - Kitchen", ctype: "sponsored_products", category: "Kitchen", daily: 700, prof: sponsoredProd},
	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SP - Toys", ctype: "sponsored_products", category: "Toys", daily: 600, prof: sponsoredProd},
	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SP - Beauty", ctype: "sponsored_products", category: "Beauty", daily: 550, prof: sponsoredProd},
	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SP - Outdoor", ctype: "sponsored_products", category: "Outdoor", daily: 400, prof: sponsoredProd},
	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SB - Store Brands", ctype: "sponsored_brands", daily: 700, prof: sponsoredBrnd},
	{platform: "amazon_ads", account: acctAmazon, name: "Amazon SD - Retargeting", ctype: "sponsored_display", daily: 500, prof: sponsoredDisp},

	{platform: "criteo", account: acctCriteo, name: "Criteo Retargeting - Dynamic", ctype: "retargeting", daily: 1300, prof: criteoRetarg},
	{platform: "criteo", account: acctCriteo, name: "Criteo Retargeting - Electronics", ctype: "retargeting", category: "Electronics", daily: 500, prof: criteoRetarg},
	{platform: "criteo", account: acctCriteo, name: "Criteo Retargeting - Apparel", ctype: "retargeting", category: "Apparel", daily: 400, prof: criteoRetarg},

	{platform: "the_trade_desk", account: acctTTD, name: "TTD CTV - Brand Awareness", ctype: "ctv", daily: 1300, prof: ctv, visits: 0.05},
	{platform: "the_trade_desk", account: acctTTD, name: "TTD CTV - Sports Streaming", ctype: "ctv", daily: 600, prof: ctv},
	{platform: "the_trade_desk", account: acctTTD, name: "TTD Display - Prospecting", ctype: "display", daily: 700, prof: display},
	{platform: "the_trade_desk", account: acctTTD, name: "TTD Display - Store Radius - US-Central", ctype: "display", region: "US-Central", daily: 400, prof: display, visits: 0.4},
}

// flight is a seasonal flight from a month and day to December 24th.
type flight struct {
	month time.Month
	day   int
}

// on reports whether d falls in f; the zero flight is always on.
func (f flight) on(d time.Time) bool {
	if f == (flight{}) {
		return true
	}
	from := time.Date(d.Year(), f.month, f.day, 0, 0, 0, 0, time.UTC)
	to := time.Date(d.Year(), time.December, 24, 0, 0, 0, 0, time.UTC)
	return !d.Before(from) && !d.After(to)
}

// reportsNewCustomers: the platforms that report new customers.
var reportsNewCustomers = map[string]bool{"google_ads": true, "meta": true, "tiktok": true}

// engagementRate is engagements per impression where the platform reports them.
var engagementRate = map[string]float64{"meta": 0.030, "tiktok": 0.050, "pinterest": 0.025}

// videoViewRate is video views per impression for video-carrying campaigns.
func videoViewRate(c campaign) float64 {
	switch {
	case c.platform == "meta":
		return 0.12
	case c.platform == "tiktok":
		return 0.30
	case c.platform == "pinterest":
		return 0.05
	case c.ctype == "ctv":
		return 0.95 // completed views
	case c.ctype == "video":
		return 0.28
	}
	return 0
}

// fractional: platforms whose data-driven attribution reports fractional
// conversions.
var fractional = map[string]bool{"google_ads": true, "microsoft_ads": true}
