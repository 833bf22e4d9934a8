package data

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkWriterAds measures the store's side of an ingest: rows already in
// memory, upserted and rolled up, into a fresh SQLite file.
func BenchmarkWriterAds(b *testing.B) {
	const n = 200_000
	rows := make([]AdRow, n)
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		c := i % 1000
		rows[i] = AdRow{Date: day0.AddDate(0, 0, i/1000), Platform: Platforms[c%len(Platforms)].ID, Account: fmt.Sprint("Acme ", c%7), Campaign: fmt.Sprintf("Campaign %04d", c),
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
