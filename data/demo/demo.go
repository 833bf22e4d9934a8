// Package demo generates a realistic, deterministic demo dataset: about 13
// months of daily ad performance for a US retailer with stores and
// e-commerce (~$15M a year across eight platforms), its online and store
// business results, monthly budgets, brand-lift studies, incrementality
// tests (a few per platform over the last year, one stale, two platforms
// never tested) and a marketing-mix model's results.
//
// Everything is dated relative to an as-of day, so the data always ends
// yesterday and its stories are always recent: a Meta campaign whose CPA
// doubled last week, The Trade Desk overspending its budget, Electronics
// losing efficiency over six weeks, a TikTok campaign spending without
// conversions, and Criteo's export running two days behind. The same as-of
// day always gives byte-identical data.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
)

// Days is how many days of data Generate writes, ending the day before asOf.
const Days = 400

// The stories the dataset tells, by the names they carry in the data.
const (
	// CPAJumpCampaign is the Meta campaign whose CPA roughly doubles in the
	// last complete Monday–Sunday week before asOf.
	CPAJumpCampaign = "Meta Advantage+ Shopping"
	// OverspendPlatform spends about 20% above its budget since the first
	// day of the month before asOf's month.
	OverspendPlatform = "the_trade_desk"
	// DecliningCategory loses efficiency (CPC up, CVR down) over the last
	// DeclineDays days, on every platform carrying it.
	DecliningCategory = "Electronics"
	// ZeroConversionCampaign spends with zero conversions for the last
	// ZeroConversionDays days.
	ZeroConversionCampaign = "TikTok Spark Ads - Beauty"
	// StalePlatform's data ends StaleDays days before the other platforms'.
	StalePlatform = "criteo"
)

// Story sizes.
const (
	DeclineDays        = 42
	ZeroConversionDays = 5
	StaleDays          = 2
	overspendFactor    = 1.20
)

// Summary says what Generate wrote.
type Summary struct {
	Start, End    time.Time // first and last day of data (End is the day before asOf)
	Platforms     int
	Campaigns     int
	AdRows        int
	BusinessRows  int
	BudgetRows    int
	BrandLiftRows int
	Experiments   int      // incrementality test results
	MMMResults    int      // MMM results, one per platform
	Stories       []string // the stories worth finding, with their names and dates
}

// seed makes every run draw the same numbers.
const seed = 20_240_917

// Generate writes the demo dataset ending the day before asOf into st.
// Deterministic: the same asOf gives byte-identical data.
func Generate(ctx context.Context, st *data.Store, asOf time.Time) (Summary, error) {
	cal := newCalendar(asOf)
	ads := generateAds(cal)
	sum := Summary{Start: cal.start, End: cal.end}

	for _, p := range model.Platforms {
		rows := ads.byPlatform[p.ID]
		if len(rows) == 0 {
			continue
		}
		src := data.Source{File: "demo", Kind: data.KindAds, Format: "demo", Platform: p.ID}
		if err := ingest(ctx, st, src, rows, (*data.Writer).Ad); err != nil {
			return Summary{}, err
		}
		sum.Platforms++
		sum.AdRows += len(rows)
	}
	sum.Campaigns = ads.campaigns

	business := generateBusiness(cal, ads.dailySpend)
	if err := ingest(ctx, st, data.Source{File: "demo", Kind: data.KindBusiness, Format: "demo"}, business, (*data.Writer).Business); err != nil {
		return Summary{}, err
	}
	sum.BusinessRows = len(business)

	budgets := generateBudgets(cal, ads.planned)
	if err := ingest(ctx, st, data.Source{File: "demo", Kind: data.KindBudgets, Format: "demo"}, budgets, (*data.Writer).Budget); err != nil {
		return Summary{}, err
	}
	sum.BudgetRows = len(budgets)

	lifts := brandLift(cal)
	if err := ingest(ctx, st, data.Source{File: "demo", Kind: data.KindBrandLift, Format: "demo"}, lifts, (*data.Writer).BrandLift); err != nil {
		return Summary{}, err
	}
	sum.BrandLiftRows = len(lifts)

	tests := experiments(cal, ads)
	if err := ingest(ctx, st, data.Source{File: "demo", Kind: data.KindExperiments, Format: "demo"}, tests, (*data.Writer).Experiment); err != nil {
		return Summary{}, err
	}
	sum.Experiments = len(tests)
	results := mmm(cal, ads)
	if err := ingest(ctx, st, data.Source{File: "demo", Kind: data.KindMMM, Format: "demo"}, results, (*data.Writer).MMM); err != nil {
		return Summary{}, err
	}
	sum.MMMResults = len(results)

	sum.Stories = stories(cal, ads, budgets)
	return sum, nil
}

// ingest writes rows as one import of src.
func ingest[R any](ctx context.Context, st *data.Store, src data.Source, rows []R, add func(*data.Writer, R) error) error {
	_, err := st.Ingest(ctx, src, func(w *data.Writer) error {
		for _, r := range rows {
			if err := add(w, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo %s %s: %w", src.Kind, src.Platform, err)
	}
	return nil
}
