// Package datatest plants small stories in a real store for tests: a fresh
// SQLite file in the test's temporary directory, filled day by day from
// compact descriptions, so a test can say "Meta spent $1,000 a day in
// November at a CPA of $40, then $1,500 a day at $60" and check what an
// answer or a digest makes of it.
//
// It is for tests only; nothing in the binary imports it.
package datatest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Store is a store being planted.
type Store struct {
	t  testing.TB
	St *data.Store

	ads      []data.AdRow
	business []data.BusinessRow
	budgets  []data.BudgetRow
	lifts    []data.BrandLiftRow
	tests    []data.Experiment
	mmm      []data.MMMResult
}

// New opens a new, empty store in t's temporary directory, closed when the
// test ends.
func New(t testing.TB, opts ...data.Option) *Store {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "story.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Store{t: t, St: st}
}

// Day parses an ISO date, failing the test on a bad one.
func Day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(period.DateLayout, s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

// Daily is one campaign's day: what each day from From to To (ISO dates,
// both included) reports. Rates are per day; Fill may vary them by day.
type Daily struct {
	Platform, Campaign, CampaignType, Category, Region string
	From, To                                           string

	Spend, Impressions, Clicks, Conversions, Revenue float64
	// Optional measures: NaN-free, set only when the platform reports them.
	StoreVisits, NewCustomers *float64

	// Fill, when set, adjusts each day's row after the fields above are
	// copied in (seasonality, a jump on one day).
	Fill func(d time.Time, r *data.AdRow)
}

// Ads plants each day of every Daily.
func (s *Store) Ads(ds ...Daily) *Store {
	s.t.Helper()
	for _, d := range ds {
		from, to := Day(s.t, d.From), Day(s.t, d.To)
		for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
			r := data.AdRow{Date: day, Platform: d.Platform, Campaign: d.Campaign, CampaignType: d.CampaignType,
				Category: d.Category, Region: d.Region, Spend: d.Spend, Impressions: d.Impressions, Clicks: d.Clicks,
				Conversions: d.Conversions, Revenue: d.Revenue}
			if d.StoreVisits != nil {
				r.StoreVisits = sql.NullFloat64{Float64: *d.StoreVisits, Valid: true}
			}
			if d.NewCustomers != nil {
				r.NewCustomers = sql.NullFloat64{Float64: *d.NewCustomers, Valid: true}
			}
			if d.Fill != nil {
				d.Fill(day, &r)
			}
			s.ads = append(s.ads, r)
		}
	}
	return s
}

// Business plants first-party results for each day from from to to (ISO
// dates) in one channel; fill, when set, adjusts each day's row.
func (s *Store) Business(channel, from, to string, orders, revenue, newCustomers float64, fill func(d time.Time, r *data.BusinessRow)) *Store {
	s.t.Helper()
	for day := Day(s.t, from); !day.After(Day(s.t, to)); day = day.AddDate(0, 0, 1) {
		r := data.BusinessRow{Date: day, Channel: channel, Orders: orders, Revenue: revenue, NewCustomers: newCustomers}
		if fill != nil {
			fill(day, &r)
		}
		s.business = append(s.business, r)
	}
	return s
}

// Budget plants a month's budget ("2026-11") for a platform, or for one of
// its campaigns when campaign is not "".
func (s *Store) Budget(month, platform, campaign string, budget float64) *Store {
	s.t.Helper()
	s.budgets = append(s.budgets, data.BudgetRow{Month: Day(s.t, month+"-01"), Platform: platform, Campaign: campaign, Budget: budget})
	return s
}

// BrandLift plants a brand-lift study.
func (s *Store) BrandLift(r data.BrandLiftRow) *Store { s.lifts = append(s.lifts, r); return s }

// Experiment plants incrementality test results.
func (s *Store) Experiment(rs ...data.Experiment) *Store { s.tests = append(s.tests, rs...); return s }

// MMM plants MMM results.
func (s *Store) MMM(rs ...data.MMMResult) *Store { s.mmm = append(s.mmm, rs...); return s }

// Import writes everything planted so far, one import per kind, as files
// would be, and returns the store.
func (s *Store) Import() *data.Store {
	s.t.Helper()
	ctx := context.Background()
	write := func(kind data.Kind, n int, fn func(w *data.Writer) error) {
		if n == 0 {
			return
		}
		if _, err := s.St.Ingest(ctx, data.Source{File: string(kind) + ".csv", Kind: kind}, fn); err != nil {
			s.t.Fatalf("import %s: %v", kind, err)
		}
	}
	write(data.KindAds, len(s.ads), func(w *data.Writer) error {
		for _, r := range s.ads {
			if err := w.Ad(r); err != nil {
				return err
			}
		}
		return nil
	})
	write(data.KindBusiness, len(s.business), func(w *data.Writer) error {
		for _, r := range s.business {
			if err := w.Business(r); err != nil {
				return err
			}
		}
		return nil
	})
	write(data.KindBudgets, len(s.budgets), func(w *data.Writer) error {
		for _, r := range s.budgets {
			if err := w.Budget(r); err != nil {
				return err
			}
		}
		return nil
	})
	write(data.KindBrandLift, len(s.lifts), func(w *data.Writer) error {
		for _, r := range s.lifts {
			if err := w.BrandLift(r); err != nil {
				return err
			}
		}
		return nil
	})
	write(data.KindExperiments, len(s.tests), func(w *data.Writer) error {
		for _, r := range s.tests {
			if err := w.Experiment(r); err != nil {
				return err
			}
		}
		return nil
	})
	write(data.KindMMM, len(s.mmm), func(w *data.Writer) error {
		for _, r := range s.mmm {
			if err := w.MMM(r); err != nil {
				return err
			}
		}
		return nil
	})
	s.ads, s.business, s.budgets, s.lifts, s.tests, s.mmm = nil, nil, nil, nil, nil, nil
	return s.St
}

// F returns a pointer to v, for the optional measures of Daily.
func F(v float64) *float64 { return &v }
