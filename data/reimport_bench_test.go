package data

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// cpuTime is the process's user and system time so far: on a shared
// machine it varies less than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWriterAdsReimport imports 200,000 ad rows into a fresh store and
// then the same rows again, as a corrected export is, and reports the CPU
// time of each and their ratio: a re-import replaces every row and
// recomputes every platform-day of the rollup.
func BenchmarkWriterAdsReimport(b *testing.B) {
	const n = 200_000
	rows := make([]AdRow, n)
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		c := i % 1000
		rows[i] = AdRow{Date: day0.AddDate(0, 0, i/1000), Platform: model.Platforms[c%len(model.Platforms)].ID, Account: fmt.Sprint("Acme ", c%7), Campaign: fmt.Sprintf("Campaign %04d", c),
			Spend: float64(i % 977), Impressions: float64(i % 90000), Clicks: float64(i % 1800), Conversions: float64(i % 45), Revenue: float64(i % 5400)}
	}
	ctx := context.Background()
	load := func(st *Store) time.Duration {
		start := cpuTime()
		_, err := st.Ingest(ctx, Source{File: "bench", Kind: KindAds}, func(w *Writer) error {
			for _, r := range rows {
				if err := w.Ad(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		return cpuTime() - start
	}
	var first, again time.Duration
	for b.Loop() {
		st, err := Open(ctx, filepath.Join(b.TempDir(), "w.db"))
		if err != nil {
			b.Fatal(err)
		}
		first += load(st)
		again += load(st)
		st.Close()
	}
	b.ReportMetric(float64(first)/float64(b.N)/1e6, "first-cpu-ms")
	b.ReportMetric(float64(again)/float64(b.N)/1e6, "again-cpu-ms")
	b.ReportMetric(float64(again)/float64(first), "x-first")
}
