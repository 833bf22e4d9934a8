package data

import (
	"database/sql"
	"time"
)

// AdRow is one day of one campaign on one platform: what the platform reports.
// Optional metrics are invalid (NULL) when the platform did not report them,
// which is different from a reported zero.
type AdRow struct {
	Date         time.Time // a calendar day, UTC midnight
	Platform     string    // a platform id, see Platforms
	Account      string    // optional
	Campaign     string
	CampaignType string // optional: search, shopping, prospecting, retargeting, ctv ...
	Category     string // optional: product category
	Region       string // optional

	Spend       float64
	Impressions float64
	Clicks      float64
	Conversions float64
	Revenue     float64 // platform-attributed conversion value

	StoreVisits  sql.NullFloat64
	Engagements  sql.NullFloat64
	VideoViews   sql.NullFloat64
	NewCustomers sql.NullFloat64 // platform-reported new customers
}

// BusinessRow is one day of first-party business results for one channel
// (online, store).
type BusinessRow struct {
	Date         time.Time
	Channel      string
	Orders       float64
	Revenue      float64
	NewCustomers float64
	GrossProfit  sql.NullFloat64
}

// BudgetRow is the planned spend for a month on a platform, or on one of its
// campaigns when Campaign is set.
type BudgetRow struct {
	Month    time.Time // first day of the month
	Platform string
	Campaign string // "" for the platform's whole budget
	Budget   float64
}

// BrandLiftRow is one metric of one brand-lift study.
type BrandLiftRow struct {
	Study       string
	Platform    string
	StartDate   time.Time
	EndDate     time.Time
	Metric      string  // ad_recall, awareness, consideration ...
	Lift        float64 // relative lift as a fraction: 0.074 is 7.4%
	Significant sql.NullBool
}

// Kind names what a file holds.
type Kind string

// The kinds of data sowhat stores.
const (
	KindAds       Kind = "ads"
	KindBusiness  Kind = "business"
	KindBudgets   Kind = "budgets"
	KindBrandLift Kind = "brand_lift"
)

// Source says where a batch of records came from.
type Source struct {
	File     string // the file's path as given
	Kind     Kind
	Platform string // the platform id when the file is one platform's export
	Format   string // canonical, google_ads, meta, ...
	// Sync names the configured source (SOURCES_CONFIG) whose sync this
	// is, "" for a file imported by hand.
	Sync string
	// At is when the import ran, as recorded; zero means now. A sync
	// records the time of its own clock.
	At time.Time
}
