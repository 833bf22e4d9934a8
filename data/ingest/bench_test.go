package ingest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/pgtest"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// rowsFlag is how many rows the ingest benchmarks generate, e.g. for the
// one-million-row figure:
//
//	go test ./data/ingest/ -run '^$' -bench Canonical -benchtime 1x -rows 1000000
var rowsFlag = flag.Int("rows", 100_000, "rows the ingest benchmarks generate")

// benchRows is how many rows the ingest benchmarks generate.
func benchRows(b *testing.B) int {
	if *rowsFlag <= 0 {
		b.Fatalf("-rows %d is not a positive number", *rowsFlag)
	}
	return *rowsFlag
}

// writeCanonicalAds writes a canonical ads CSV of n rows, each a distinct
// day × platform × campaign, and returns its path.
func writeCanonicalAds(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "ads.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "date,platform,account,campaign,campaign_type,spend,impressions,clicks,conversions,revenue")
	types := []string{"search", "shopping", "prospecting", "retargeting", "ctv"}
	day0 := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	const campaigns = 1000
	for i := 0; i < n; i++ {
		c := i % campaigns
		pl := model.Platforms[c%len(model.Platforms)].ID
		day := day0.AddDate(0, 0, i/campaigns).Format(period.DateLayout)
		imps := 1000 + (i*7919)%90000
		clicks := imps / 50
		fmt.Fprintf(w, "%s,%s,Acme %d,Campaign %04d,%s,%d.%02d,%d,%d,%d,%d.%02d\n",
			day, pl, c%7, c, types[c%len(types)], clicks/2, i%100, imps, clicks, clicks/40, clicks*3, (i*13)%100)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkIngestCanonical measures a canonical ads CSV going end to end
// into a fresh database, SQLite (a file) and PostgreSQL (a database of its
// own on the test server, see pgtest): reading, parsing and the store's
// writer, the rows COPYed into PostgreSQL.
func BenchmarkIngestCanonical(b *testing.B) {
	n := benchRows(b)
	path := writeCanonicalAds(b, n)
	for _, db := range []struct {
		name string
		dsn  func(b *testing.B, i int) string
	}{
		{"sqlite", func(b *testing.B, i int) string { return filepath.Join(b.TempDir(), fmt.Sprintf("s%d.db", i)) }},
		{"postgres", func(b *testing.B, _ int) string { return pgtest.URL(b) }},
	} {
		b.Run(db.name, func(b *testing.B) { benchIngest(b, path, n, db.dsn) })
	}
}

func benchIngest(b *testing.B, path string, n int, dsn func(b *testing.B, i int) string) {
	ctx := context.Background()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		st, err := data.Open(ctx, dsn(b, i))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		res, err := File(ctx, st, path, Options{})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if res.Stats.Rows != n {
			b.Fatalf("ingested %d rows, want %d", res.Stats.Rows, n)
		}
		st.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "rows/s")
}

// BenchmarkParseCanonical measures the same file parsed without a database:
// what this package costs on its own.
func BenchmarkParseCanonical(b *testing.B) {
	n := benchRows(b)
	path := writeCanonicalAds(b, n)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		if _, err := Parse(ctx, path, f, Options{}, func(Record) error { rows++; return nil }); err != nil {
			b.Fatal(err)
		}
		f.Close()
		if rows != n {
			b.Fatalf("parsed %d rows, want %d", rows, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkImportSQLiteShell imports the same file with the sqlite3 shell's
// .import into a fresh file, the yardstick BenchmarkIngestCanonical is held
// to (no more than 1.5 times its time); skipped without sqlite3 on PATH.
func BenchmarkImportSQLiteShell(b *testing.B) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("no sqlite3 shell on PATH")
	}
	n := benchRows(b)
	path := writeCanonicalAds(b, n)
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		db := filepath.Join(b.TempDir(), fmt.Sprintf("shell%d.db", i))
		start := time.Now()
		out, err := exec.Command(shell, db, ".mode csv", ".import "+path+" ads").CombinedOutput()
		elapsed += time.Since(start)
		if err != nil {
			b.Fatalf("sqlite3 .import: %v: %s", err, out)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "rows/s")
}
