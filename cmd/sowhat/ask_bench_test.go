package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
)

var (
	askDB   = flag.String("askdb", "", "database the ask benchmarks read (default: one of -rows rows, generated once into the temp folder)")
	askRows = flag.Int("rows", 100_000, "rows of the generated database: 5,000 campaigns on 8 platforms, a day per 5,000 rows")
)

// askAsOf is the day the benchmark questions are asked on: the day after
// the generated data ends.
const askAsOf = "2025-12-01"

// askQuestions are typical questions: two read the daily platform sums,
// two the campaign facts, and one no data at all.
var askQuestions = []string{
	"spend last month by platform",
	"how did meta roas change last week",
	"top 5 campaigns by roas last month",
	"why did roas drop last week",
	"help",
}

// benchEnv is the environment a benchmark process is run with.
func benchEnv(extra ...string) []string {
	return append(os.Environ(), append([]string{"SOWHAT_ENV_FILE=" + os.DevNull, "SOWHAT_AS_OF=" + askAsOf}, extra...)...)
}

func benchGetenv(extra map[string]string) func(string) string {
	return func(k string) string {
		switch v, ok := extra[k]; {
		case ok:
			return v
		case k == "SOWHAT_ENV_FILE":
			return os.DevNull
		case k == "SOWHAT_AS_OF":
			return askAsOf
		}
		return os.Getenv(k)
	}
}

var benchDBs sync.Map // rows → path

// benchDatabase returns the database the ask benchmarks read: -askdb, or
// one of -rows rows generated (once, and kept in the temp folder for the
// next run) the way the issue measured it.
func benchDatabase(b *testing.B) string {
	b.Helper()
	if *askDB != "" {
		return *askDB
	}
	if p, ok := benchDBs.Load(*askRows); ok {
		return p.(string)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("sowhat-askbench-%d.db", *askRows))
	if _, err := os.Stat(path); err != nil {
		csv := filepath.Join(b.TempDir(), "ads.csv")
		if err := writeBenchCSV(csv, *askRows); err != nil {
			b.Fatal(err)
		}
		tmp := path + ".tmp"
		os.Remove(tmp)
		var stderr bytes.Buffer
		if code := run(context.Background(), []string{"ingest", "--db", tmp, csv}, nil, io.Discard, &stderr, benchGetenv(nil)); code != 0 {
			b.Fatalf("ingest: %s", stderr.String())
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	benchDBs.Store(*askRows, path)
	return path
}

// writeBenchCSV writes rows canonical ad rows: 5,000 campaigns a day,
// back from 2025-11-30.
func writeBenchCSV(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	plats := []string{"google_ads", "meta", "amazon_ads", "the_trade_desk", "criteo", "pinterest", "microsoft_ads", "tiktok"}
	types := []string{"search", "shopping", "prospecting", "retargeting", "ctv"}
	const camps = 5000
	last := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	fmt.Fprintln(w, "date,platform,account,campaign,campaign_type,category,spend,impressions,clicks,conversions,revenue")
	for i := range rows {
		c := i % camps
		day := last.AddDate(0, 0, -i/camps).Format("2006-01-02")
		imps := 1000 + (i*7919)%90000
		clicks := imps / 50
		fmt.Fprintf(w, "%s,%s,Acme %d,Campaign %05d,%s,Category %d,%d.%02d,%d,%d,%d,%d.%02d\n",
			day, plats[c%8], c%7, c, types[c%5], c%40, clicks/2, i%100, imps, clicks, clicks/40, clicks*3, (i*13)%100)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// BenchmarkAskInProcess answers each question as `sowhat ask` does, store
// opened and closed, without the process: for profiles.
func BenchmarkAskInProcess(b *testing.B) {
	db := benchDatabase(b)
	for _, q := range askQuestions {
		b.Run(benchName(q), func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				var stderr bytes.Buffer
				if code := run(context.Background(), []string{"ask", "--db", db, q}, nil, io.Discard, &stderr, benchGetenv(nil)); code != 0 {
					b.Fatalf("ask %q: %s", q, stderr.String())
				}
			}
			b.ReportMetric(ms(cpuTime()-start)/float64(b.N), "cpu-ms/op")
		})
	}
}

func benchName(q string) string { return strings.ReplaceAll(q, " ", "_") }

// sowhatBinary builds the binary once per benchmark run.
var sowhatBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sowhat-bench-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "sowhat")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build sowhat: %w: %s", err, out)
	}
	return bin, nil
})

// storeSQL returns the statements `sowhat ask` runs to answer q, with their
// arguments written in, from its query log.
func storeSQL(b *testing.B, bin, db, q string) string {
	b.Helper()
	cmd := exec.Command(bin, "ask", "--db", db, q)
	cmd.Env = benchEnv("LOG_LEVEL=debug", "LOG_FORMAT=text") // queryLine reads the text form
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("ask %q: %v: %s", q, err, stderr.String())
	}
	var stmts []string
	for _, line := range strings.Split(stderr.String(), "\n") {
		if m := queryLine.FindStringSubmatch(line); m != nil {
			stmts = append(stmts, inlineArgs(m[1], strings.Fields(m[2]))+";")
		}
	}
	if len(stmts) == 0 {
		return "SELECT 1;" // a question answered without the data ("help"): the shell opening the database
	}
	return strings.Join(stmts, "\n")
}

var queryLine = regexp.MustCompile(`msg=query sql="((?:[^"\\]|\\.)*)" args="\[([^\]]*)\]"`)

// inlineArgs writes numeric arguments into a statement's placeholders.
func inlineArgs(sql string, args []string) string {
	sql = strings.ReplaceAll(sql, `\"`, `"`)
	var out strings.Builder
	for _, r := range sql {
		if r == '?' && len(args) > 0 {
			out.WriteString(args[0])
			args = args[1:]
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}

// BenchmarkAskProcess runs `sowhat ask` as a whole process beside the
// sqlite3 shell running the statements it logs for the same question, and
// a Go program that does no more than run them (testdata/floor), and
// reports the three and the ratios to the shell. The binaries are built
// from this tree.
//
//	go test ./cmd/sowhat -run '^$' -bench AskProcess -rows 1000000 -benchtime 10x
func BenchmarkAskProcess(b *testing.B) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("no sqlite3 shell")
	}
	bin, err := sowhatBinary()
	if err != nil {
		b.Fatal(err)
	}
	floor, err := floorBinary()
	if err != nil {
		b.Fatal(err)
	}
	db := benchDatabase(b)
	for _, q := range askQuestions {
		b.Run(benchName(q), func(b *testing.B) {
			sql := storeSQL(b, bin, db, q)
			var ask, raw, least, askCPU, rawCPU []time.Duration
			for b.Loop() {
				w, c := timeProcess(b, benchEnv(), bin, "ask", "--db", db, q)
				ask, askCPU = append(ask, w), append(askCPU, c)
				w, c = timeProcess(b, nil, shell, db, sql)
				raw, rawCPU = append(raw, w), append(rawCPU, c)
				w, _ = timeProcess(b, nil, floor, db, sql)
				least = append(least, w)
			}
			a, r, f := median(ask), median(raw), median(least)
			b.ReportMetric(ms(a), "ask-ms")
			b.ReportMetric(ms(r), "sqlite3-ms")
			b.ReportMetric(ms(f), "go-floor-ms")
			b.ReportMetric(float64(a)/float64(r), "x-sqlite3")
			b.ReportMetric(float64(f)/float64(r), "floor-x-sqlite3")
			ac, rc := median(askCPU), median(rawCPU)
			b.ReportMetric(ms(ac), "ask-cpu-ms")
			b.ReportMetric(ms(rc), "sqlite3-cpu-ms")
		})
	}
}

// floorBinary builds testdata/floor once per benchmark run: the least a Go
// program answering from SQLite does (open the database with sowhat's
// driver, run the same statements, print the rows), the floor under any
// whole-process figure of sowhat ask.
var floorBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sowhat-bench-floor")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "floor")
	out, err := exec.Command("go", "build", "-o", bin, "./testdata/floor").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build the floor program: %w: %s", err, out)
	}
	return bin, nil
})

// timeProcess runs a process and returns its wall and CPU (user and
// system) time: on a shared machine the CPU time varies less.
func timeProcess(b *testing.B, env []string, name string, args ...string) (wall, cpu time.Duration) {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s %q: %v: %s", name, args, err, stderr.String())
	}
	return time.Since(start), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// cpuTime is this process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(ds []time.Duration) time.Duration { return percentile(ds, 50) }

// percentile returns the p-th percentile of ds (nearest rank).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := (p*len(s) + 99) / 100
	return s[max(k-1, 0)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkAnswers answers varied questions from one engine, as a server
// does: each round of the questions asked a week earlier than the last, so
// that "last week" and, mostly, "last month" are new periods and few answers
// come from the cache. It reports the 50th and 99th percentile of an answer.
func BenchmarkAnswers(b *testing.B) {
	db := benchDatabase(b)
	ctx := context.Background()
	st, err := data.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	e := intents.New(st)
	if err := e.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	last, err := time.Parse("2006-01-02", askAsOf)
	if err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		q := askQuestions[i%len(askQuestions)]
		asOf := last.AddDate(0, 0, -7*(i/len(askQuestions)))
		i++
		start := time.Now()
		if _, _, err := e.Ask(ctx, q, asOf, ""); err != nil {
			b.Fatalf("ask %q: %v", q, err)
		}
		took = append(took, time.Since(start))
	}
	b.ReportMetric(ms(percentile(took, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(took, 99)), "p99-ms")
}
