package data

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// BenchmarkWriterAds measures the store's side of an ingest: rows already in
// memory, upserted and rolled up, into a fresh SQLite file.
func BenchmarkWriterAds(b *testing.B) {
	const n = 200_000
	rows := make([]AdRow, n)
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		c := i % 1000
		rows[i] = AdRow{Date: day0.AddDate(0, 0, i/1000), Platform: model.Platforms[c%len(model.Platforms)].ID, Account: fmt.Sprint("Acme ", c%7), Campaign: fmt.Sprintf("Campaign %04d", c),
			Spend: float64(i % 977), Impressions: float64(i % 90000), Clicks: float64(i % 1800), Conversions: float64(i % 45), Revenue: float64(i % 5400)}
	}
	ctx := context.Background()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		st, err := Open(ctx, filepath.Join(b.TempDir(), "w.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		_, err = st.Ingest(ctx, Source{File: "bench", Kind: KindAds}, func(w *Writer) error {
			for _, r := range rows {
				if err := w.Ad(r); err != nil {
					return err
				}
			}
			return nil
		})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "rows/s")
}

// bigStore builds a store of n ad rows: 1,000 campaigns over n/1,000 days on
// eight platforms, as the query benchmarks read.
func bigStore(b *testing.B, n int) *Store {
	b.Helper()
	st, err := Open(context.Background(), filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	day0 := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	_, err = st.Ingest(context.Background(), Source{File: "bench", Kind: KindAds}, func(w *Writer) error {
		for i := 0; i < n; i++ {
			c := i % 1000
			r := AdRow{Date: day0.AddDate(0, 0, i/1000), Platform: model.Platforms[c%len(model.Platforms)].ID, Campaign: fmt.Sprintf("Campaign %04d", c),
				Category: fmt.Sprint("Category ", c%12), Spend: float64(i % 977), Impressions: float64(i % 90000), Clicks: float64(i % 1800), Conversions: float64(i % 45), Revenue: float64(i % 5400)}
			if err := w.Ad(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkQueryMonthByPlatform is a one-month, by-platform aggregate over
// one million ad rows (1,000 days of 1,000 campaigns).
func BenchmarkQueryMonthByPlatform(b *testing.B) {
	st := bigStore(b, 1_000_000)
	q := Query{Metrics: []model.MetricID{model.Spend, model.ROAS, model.CPA, model.CTR}, Period: period.Period{Start: day("2026-06-01"), End: day("2026-06-30")}, GroupBy: []string{model.DimPlatform}}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := st.Run(ctx, q)
		if err != nil || len(res.Rows) != len(model.Platforms) {
			b.Fatalf("rows %d, err %v", len(res.Rows), err)
		}
	}
}

// BenchmarkQueryMonthByCategory is the same month grouped by a campaign
// attribute, which reads the facts.
func BenchmarkQueryMonthByCategory(b *testing.B) {
	st := bigStore(b, 1_000_000)
	q := Query{Metrics: []model.MetricID{model.Spend, model.ROAS}, Period: period.Period{Start: day("2026-06-01"), End: day("2026-06-30")}, GroupBy: []string{model.DimCategory}}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.Run(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadCaches reads what every query asks of the store besides its
// facts, over 100,000 ad rows of 1,000 campaigns: the dimension tables, the
// data's summary (freshness and ranges) and the import generation, each
// from the store's cache and read afresh from the database.
func BenchmarkReadCaches(b *testing.B) {
	st := bigStore(b, 100_000)
	ctx := context.Background()
	reads := []struct {
		name string
		read func() error
	}{
		{"dims/cached", func() error { _, err := st.dims(ctx); return err }},
		{"dims/read", func() error { _, err := loadDims(ctx, st.db, true); return err }},
		{"summary/cached", func() error { _, err := st.summary(ctx); return err }},
		{"summary/read", func() error {
			st.sumMu.Lock()
			st.sum = nil
			st.sumMu.Unlock()
			_, err := st.summary(ctx)
			return err
		}},
		{"generation/cached", func() error { _, err := st.Generation(ctx); return err }},
		{"generation/read", func() error { st.importedHere(); _, err := st.Generation(ctx); return err }},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				if err := r.read(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
