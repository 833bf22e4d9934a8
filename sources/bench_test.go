package sources_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sowhat-ai/sowhat/data/ingest"
	"github.com/sowhat-ai/sowhat/data/pgtest"
	"github.com/sowhat-ai/sowhat/sources"
)

// benchRows is how many warehouse rows the benchmarks read
// (SOWHAT_BENCH_ROWS, default 1M): 365 days of 4 platforms' campaigns.
func benchRows(b *testing.B) int {
	if v := os.Getenv("SOWHAT_BENCH_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 1_000_000
}

// benchWarehouse is a dbt_ad_reporting table of n rows, built once per
// size and copied for each benchmark.
func benchWarehouse(b *testing.B, n int) *warehouse {
	perDay := (n + 364) / 365
	u := pgtest.Copy(b, fmt.Sprintf("dbt-%d", n), func(url string) error {
		db, err := sql.Open("pgx", url)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.Exec(dbtTable); err != nil {
			return err
		}
		_, err = db.Exec(fmt.Sprintf(`INSERT INTO ad_reporting.ad_reporting__campaign_report
SELECT '', DATE '2025-11-01' + (i / %[1]d), (ARRAY['facebook_ads', 'google_ads', 'tiktok_ads', 'microsoft_ads'])[1 + i %% 4], 'a' || (i %% 3), 'Account ' || (i %% 3),
    'c' || (i %% %[1]d), 'Campaign ' || (i %% %[1]d), 10 + i %% 50, 1000 + i %% 700, 12.5 + i %% 40, i %% 7, 30 + i %% 90
FROM generate_series(0, %[2]d - 1) AS i; ANALYZE ad_reporting.ad_reporting__campaign_report`, perDay, n))
		return err
	})
	db, err := sql.Open("pgx", u)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return &warehouse{t: b, url: u, db: db}
}

// csvOf writes the warehouse's rows as a canonical ads CSV, as sowhat
// ingest reads it.
func (w *warehouse) csvOf(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "ads.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	conn, err := w.db.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().PgConn().CopyTo(context.Background(), f, `COPY (SELECT date_day AS date,
  CASE platform WHEN 'facebook_ads' THEN 'meta' WHEN 'tiktok_ads' THEN 'tiktok' ELSE platform END AS platform,
  account_name AS account, campaign_name AS campaign, spend, impressions, clicks, conversions, conversions_value AS revenue
FROM ad_reporting.ad_reporting__campaign_report) TO STDOUT WITH (FORMAT csv, HEADER)`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkFirstSync: a first sync of the whole table into a new SQLite
// store, against BenchmarkIngestCSVOfWarehouse (sowhat ingest of the same
// rows as a CSV).
func BenchmarkFirstSync(b *testing.B) {
	wh := benchWarehouse(b, benchRows(b))
	src := wh.config(b, "")
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st := sqliteStore(b)
		w, err := NewWarehouseOrFail(b, src, st)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := w.Run(ctx); err != nil {
			b.Fatal(err)
		}
		w.Close()
	}
}

// BenchmarkIngestCSVOfWarehouse: sowhat ingest of the warehouse's rows,
// written as a canonical CSV, into a new SQLite store.
func BenchmarkIngestCSVOfWarehouse(b *testing.B) {
	wh := benchWarehouse(b, benchRows(b))
	path := wh.csvOf(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st := sqliteStore(b)
		b.StartTimer()
		if _, err := ingest.File(ctx, st, path, ingest.Options{Currency: "USD"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIncrementalSync: a sync (the run and its reconciliation) over
// the look-back window (3 days) of the table, synced once before.
func BenchmarkIncrementalSync(b *testing.B) {
	wh := benchWarehouse(b, benchRows(b))
	src := wh.config(b, "")
	ctx := context.Background()
	st := sqliteStore(b)
	s, err := sources.NewSyncer(configOf(src), st, nil, sources.WithLogger(quiet))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.RunOnce(ctx, ""); err != nil {
		b.Fatal(err)
	}
	var rows int
	for b.Loop() {
		reps, err := s.RunOnce(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		rows = reps[0].Rows
	}
	b.ReportMetric(float64(rows), "rows/run")
}
