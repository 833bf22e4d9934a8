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

// Experiment is one outcome of one incrementality test (a conversion lift
// study, a geo holdout) on one platform, or on one of its campaigns.
type Experiment struct {
	Test     string
	Platform string // a platform id
	Start    time.Time
	End      time.Time
	Outcome  string // revenue or conversions

	TestSpend          float64 // what the treated side spent over the test
	IncrementalOutcome float64 // the outcome the test credits to the ads
	LiftPct            float64 // incremental outcome over the baseline, as a fraction
	IROAS              float64 // incremental outcome per dollar: revenue per dollar, or conversions per dollar
	CILow, CIHigh      float64 // the interval the test gives IROAS

	Campaign     string // "" when the test covers the whole platform
	CampaignType string
	PValue       sql.NullFloat64
	Significant  sql.NullBool
	Method       string // geo_holdout, conversion_lift, ...
}

// SignificanceLevel is the p-value below which a test without its own
// verdict is significant.
const SignificanceLevel = 0.05

// StaleAfterDays is how long a test is taken as current: one that ended
// more than this many days before the day figures are read for is stale.
const StaleAfterDays = 365

// IsSignificant reports whether the test showed an effect: the file's
// verdict when it gives one, else a p-value below SignificanceLevel, else
// an interval above zero.
func (e Experiment) IsSignificant() bool {
	switch {
	case e.Significant.Valid:
		return e.Significant.Bool
	case e.PValue.Valid:
		return e.PValue.Float64 < SignificanceLevel
	}
	return e.CILow > 0
}

// StaleOn reports whether the test ended more than StaleAfterDays before day.
func (e Experiment) StaleOn(day time.Time) bool {
	return day.Sub(e.End) > StaleAfterDays*24*time.Hour
}

// Outcomes an experiment measures.
const (
	OutcomeRevenue     = "revenue"
	OutcomeConversions = "conversions"
)

// MMMResult is what a marketing mix model says of one channel over one
// period: outcome per dollar on average (ROI) and at the margin (MROI), the
// outcome it credits the channel with, and optionally its response curve.
type MMMResult struct {
	Model        string // the run's name: "Meridian 2026-H1"
	Channel      string // a platform id when the channel is one, else the model's own label (tv, radio)
	Start, End   time.Time
	ROI          float64
	MROI         float64
	Contribution float64 // the outcome over the period the model credits the channel with
	Curve        []CurvePoint
}

// CurvePoint is one point of a response curve: the outcome expected from a
// spend over the curve's period.
type CurvePoint struct {
	Spend, Outcome float64
}

// Kind names what a file holds.
type Kind string

// The kinds of data sowhat stores.
const (
	KindAds         Kind = "ads"
	KindBusiness    Kind = "business"
	KindBudgets     Kind = "budgets"
	KindBrandLift   Kind = "brand_lift"
	KindExperiments Kind = "experiments"
	KindMMM         Kind = "mmm"
)

// Source says where a batch of records came from.
type Source struct {
	File     string // the file's path as given
	Kind     Kind
	Platform string // the platform id when the file is one platform's export
	Format   string // canonical, google_ads, meta, ...
}
