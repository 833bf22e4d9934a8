package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/ingest"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// benchQuestions are the typical questions the bench times, each next to
// the raw SQL of the same query.
var benchQuestions = []string{
	"spend last month by platform",
	"ROAS last week",
	"how did meta roas change last week",
	"revenue trend over the last 8 weeks",
	"CPA by platform last month",
	"top 5 campaigns by ROAS last month",
	"how is spend pacing this month",
	"conversions yesterday",
}

// benchFlags are sowhat bench's settings.
type benchFlags struct {
	rows, campaigns, rounds, burst int
	loadRate, loadSeconds          int
	dir, pg, out                   string
}

func cmdBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags("bench", e)
	var f benchFlags
	fs.IntVar(&f.rows, "rows", 1_000_000, "canonical ad rows to generate and import (10000000 for the large run)")
	fs.IntVar(&f.campaigns, "campaigns", 5000, "campaigns the rows are spread over")
	fs.IntVar(&f.rounds, "rounds", 20, "times each question is asked")
	fs.IntVar(&f.burst, "burst", 200, "Slack events sent at once for the acknowledgement figure")
	fs.IntVar(&f.loadRate, "load-rate", 50, "varied questions a second for the steady load's peak memory figure")
	fs.IntVar(&f.loadSeconds, "load-seconds", 10, "how long the steady load lasts (0: no steady load)")
	fs.StringVar(&f.dir, "dir", "", "folder for the generated file and databases (default a temporary one, removed after)")
	fs.StringVar(&f.pg, "pg", "", "an empty PostgreSQL database (postgres://…) to run the same figures on")
	fs.StringVar(&f.out, "out", "", "also write the results as Markdown to this file (e.g. docs/benchmarks.md)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.rows < 1 || f.campaigns < 1 || f.rounds < 1 || f.burst < 1 || f.loadRate < 1 || f.loadSeconds < 0 {
		return fmt.Errorf("%w: --rows, --campaigns, --rounds, --burst and --load-rate must be positive, --load-seconds not negative", errUsage)
	}
	dir := f.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "sowhat-bench")
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	r, err := runBench(ctx, e, f, dir)
	if err != nil {
		return err
	}
	r.print(e.stdout)
	if f.out != "" {
		if err := os.WriteFile(f.out, []byte(r.markdown()), 0o644); err != nil {
			return fmt.Errorf("bench: write %s: %w", f.out, err)
		}
		fmt.Fprintf(e.stdout, "\nwrote %s\n", f.out)
	}
	return nil
}

// benchResult is one run's figures.
type benchResult struct {
	rows, campaigns int
	machine         string
	// imports: rows per second, by what imported.
	imports []benchFigure
	// answers, by database.
	answers map[string][]answerFigure
	dbs     []string
	ack     ackFigure
	rssKB   int64 // peak RSS while answering and acknowledging
	load    loadFigure
}

type benchFigure struct {
	what    string
	rowsSec float64
	took    time.Duration
}

type answerFigure struct {
	question      string
	p50, p99, sql time.Duration
	queries       int
}

type ackFigure struct {
	events, answered int
	p50, p99, worst  time.Duration
}

func runBench(ctx context.Context, e *env, f benchFlags, dir string) (*benchResult, error) {
	r := &benchResult{rows: f.rows, campaigns: f.campaigns, machine: machineLine(), answers: map[string][]answerFigure{}}
	csv := filepath.Join(dir, "ads.csv")
	end := period.Day(e.cfg.Today(e.now()))
	fmt.Fprintf(e.stderr, "sowhat bench: writing %d rows over %d campaigns to %s\n", f.rows, f.campaigns, csv)
	if err := writeBenchAds(csv, f.rows, f.campaigns, end); err != nil {
		return nil, err
	}
	sqlitePath := filepath.Join(dir, "bench.db")
	stores := map[string]*data.Store{}
	trace := &queryTrace{}
	open := func(dsn string) (*data.Store, error) {
		return data.Open(ctx, dsn, data.WithQueryLog(slog.New(trace)), data.WithOrdersPerCustomerYear(e.cfg.OrdersPerCustomerYear))
	}
	targets := []struct{ name, dsn string }{{"SQLite", sqlitePath}}
	if f.pg != "" {
		targets = append(targets, struct{ name, dsn string }{"PostgreSQL", f.pg})
	}
	for _, t := range targets {
		st, err := open(t.dsn)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		if gen, err := st.Generation(ctx); err != nil || gen > 0 {
			return nil, fmt.Errorf("bench: the %s database %s is not empty: give an empty one (%v)", t.name, data.Redact(t.dsn), err)
		}
		fmt.Fprintf(e.stderr, "sowhat bench: importing into %s\n", t.name)
		start := time.Now()
		res, err := ingest.File(ctx, st, csv, ingest.Options{})
		if err != nil {
			return nil, fmt.Errorf("bench: import into %s: %w", t.name, err)
		}
		took := time.Since(start)
		r.imports = append(r.imports, benchFigure{"sowhat ingest into " + t.name, float64(res.Stats.Rows) / took.Seconds(), took})
		stores[t.name] = st
		r.dbs = append(r.dbs, t.name)
	}
	if shell, err := exec.LookPath("sqlite3"); err == nil {
		took, err := shellImport(ctx, shell, csv, filepath.Join(dir, "shell.db"))
		if err != nil {
			return nil, err
		}
		r.imports = append(r.imports, benchFigure{"sqlite3 .import of the same file", float64(f.rows) / took.Seconds(), took})
	}
	for _, name := range r.dbs {
		if err := stores[name].Settle(ctx); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
	}
	resetPeakRSS()
	for _, name := range r.dbs {
		fmt.Fprintf(e.stderr, "sowhat bench: asking %d questions %d times on %s\n", len(benchQuestions), f.rounds, name)
		figs, err := benchAnswers(ctx, stores[name], trace, end, f.rounds)
		if err != nil {
			return nil, fmt.Errorf("bench: answers on %s: %w", name, err)
		}
		r.answers[name] = figs
	}
	fmt.Fprintf(e.stderr, "sowhat bench: %d Slack events at once\n", f.burst)
	ack, err := benchAcks(ctx, stores["SQLite"], sqlitePath, end, f.burst)
	if err != nil {
		return nil, fmt.Errorf("bench: acknowledgements: %w", err)
	}
	r.ack = ack
	r.rssKB = peakRSSKB()
	if f.loadSeconds > 0 {
		fmt.Fprintf(e.stderr, "sowhat bench: %d varied questions a second for %d s\n", f.loadRate, f.loadSeconds)
		load, err := benchLoad(ctx, stores["SQLite"], sqlitePath, end, f.loadRate, f.loadSeconds)
		if err != nil {
			return nil, fmt.Errorf("bench: steady load: %w", err)
		}
		r.load = load
	}
	return r, nil
}

// writeBenchAds writes a canonical ads file: rows spread over campaigns
// (8 platforms, 40 categories, 5 campaign types), one row a campaign a
// day, the last day the day before end.
func writeBenchAds(path string, rows, campaigns int, end time.Time) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	w := bufio.NewWriterSize(fh, 1<<20)
	fmt.Fprintln(w, "date,platform,account,campaign,campaign_type,category,spend,impressions,clicks,conversions,revenue")
	types := []string{"search", "shopping", "prospecting", "retargeting", "ctv"}
	for i := range rows {
		c := i % campaigns
		day := end.AddDate(0, 0, -1-i/campaigns).Format(period.DateLayout)
		imps := 1000 + (i*7919)%90000
		clicks := imps / 50
		fmt.Fprintf(w, "%s,%s,Acme %d,Campaign %05d,%s,Category %d,%d.%02d,%d,%d,%d,%d.%02d\n",
			day, model.Platforms[c%len(model.Platforms)].ID, c%7, c, types[c%len(types)], c%40, clicks/2, i%100, imps, clicks, clicks/40, clicks*3, (i*13)%100)
	}
	if err := w.Flush(); err != nil {
		fh.Close()
		return fmt.Errorf("bench: write %s: %w", path, err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("bench: write %s: %w", path, err)
	}
	return nil
}

// shellImport times the sqlite3 shell's .import of the file into a new
// database.
func shellImport(ctx context.Context, shell, csv, db string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, shell, "-batch", db)
	cmd.Stdin = strings.NewReader(".mode csv\n.import " + csv + " ads\n")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("bench: sqlite3 .import: %w: %s", err, strings.TrimSpace(out.String()))
	}
	return time.Since(start), nil
}

// benchAnswers asks each question rounds times on one engine (warmed, as
// serve's is), and times the raw SQL the answer ran, run again on the
// same database by itself. The statements are read from the query log of
// an untimed ask before each timed one: the log's records were part of the
// timed answer otherwise.
func benchAnswers(ctx context.Context, st *data.Store, trace *queryTrace, asOf time.Time, rounds int) ([]answerFigure, error) {
	eng := intents.New(st, intents.WithLogger(slog.New(slog.DiscardHandler)), intents.WithoutCache())
	if err := eng.Warm(ctx); err != nil {
		return nil, err
	}
	var out []answerFigure
	for _, q := range benchQuestions {
		var took, raw []time.Duration
		fig := answerFigure{question: q}
		for range rounds {
			// The statements come from an ask with the query log on; the
			// answer is timed with it off, as serve runs.
			trace.start()
			if _, _, err := eng.Ask(ctx, q, asOf, ""); err != nil {
				return nil, fmt.Errorf("%q: %w", q, err)
			}
			qs := trace.stop()
			start := time.Now()
			if _, _, err := eng.Ask(ctx, q, asOf, ""); err != nil {
				return nil, fmt.Errorf("%q: %w", q, err)
			}
			took = append(took, time.Since(start))
			fig.queries = len(qs)
			d, err := runRaw(ctx, st, qs)
			if err != nil {
				return nil, fmt.Errorf("%q: raw SQL: %w", q, err)
			}
			raw = append(raw, d)
		}
		fig.p50, fig.p99 = quantile(took, 0.5), quantile(took, 0.99)
		fig.sql = quantile(raw, 0.5)
		out = append(out, fig)
	}
	return out, nil
}

// runRaw runs the statements by themselves, reading every row, and
// returns how long they took together.
func runRaw(ctx context.Context, st *data.Store, qs []tracedQuery) (time.Duration, error) {
	start := time.Now()
	for _, q := range qs {
		rows, err := st.DB().QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			return 0, err
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return 0, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// queryTrace is a log handler that keeps the store's query log lines
// (data.WithQueryLog) while it is started.
type queryTrace struct {
	mu      sync.Mutex
	on      bool
	queries []tracedQuery
}

type tracedQuery struct {
	sql  string
	args []any
}

func (t *queryTrace) start() {
	t.mu.Lock()
	t.on, t.queries = true, nil
	t.mu.Unlock()
}

func (t *queryTrace) stop() []tracedQuery {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.on = false
	return t.queries
}

func (t *queryTrace) Enabled(context.Context, slog.Level) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.on
}

func (t *queryTrace) Handle(_ context.Context, rec slog.Record) error {
	var q tracedQuery
	rec.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "sql":
			q.sql = a.Value.String()
		case "args":
			q.args, _ = a.Value.Any().([]any)
		}
		return true
	})
	if q.sql == "" || !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q.sql)), "SELECT") && !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q.sql)), "WITH") {
		return nil
	}
	t.mu.Lock()
	if t.on {
		t.queries = append(t.queries, q)
	}
	t.mu.Unlock()
	return nil
}

func (t *queryTrace) WithAttrs([]slog.Attr) slog.Handler { return t }
func (t *queryTrace) WithGroup(string) slog.Handler      { return t }

// quantile returns the q-quantile of ds (nearest rank).
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// resetPeakRSS hands the memory the imports used back to the system and
// resets the process's peak resident set (Linux: writing 5 to
// /proc/self/clear_refs), so the figure read after is the serving phase's
// alone, as a serve that never imported would have it. Elsewhere the peak
// is the run's.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSKB reads the process's peak resident set (VmHWM) in KiB, 0 when
// the system does not say.
func peakRSSKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb
		}
	}
	return 0
}

// machineLine says what the figures came from.
func machineLine() string {
	cpu := runtime.GOARCH
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf(", %.0f GiB", float64(kb)/(1<<20))
		}
	}
	return fmt.Sprintf("%s, %d cores%s, %s/%s, %s", cpu, runtime.NumCPU(), mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

func msText(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (r *benchResult) print(w io.Writer) {
	fmt.Fprintf(w, "sowhat bench: %d rows, %d campaigns — %s\n\n", r.rows, r.campaigns, r.machine)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "import\trows/s\ttook")
	for _, f := range r.imports {
		fmt.Fprintf(tw, "%s\t%.0f\t%s\n", f.what, f.rowsSec, f.took.Round(time.Millisecond))
	}
	tw.Flush()
	for _, db := range r.dbs {
		fmt.Fprintf(w, "\nanswers on %s\n", db)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "question\tp50\tp99\traw SQL\tqueries\tp50 / SQL")
		for _, a := range r.answers[db] {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", a.question, msText(a.p50), msText(a.p99), msText(a.sql), a.queries, ratio(a.p50, a.sql))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nSlack acknowledgements, %d events at once: p50 %s, p99 %s, worst %s; %d answered\n", r.ack.events, msText(r.ack.p50), msText(r.ack.p99), msText(r.ack.worst), r.ack.answered)
	if r.rssKB > 0 {
		fmt.Fprintf(w, "peak RSS answering and acknowledging: %.0f MiB\n", float64(r.rssKB)/1024)
	}
	if l := r.load; l.sent > 0 {
		fmt.Fprintf(w, "steady load, %d varied questions a second for %d s (%d different, with their charts): %d answered, ack p99 %s, peak RSS %.0f MiB\n",
			l.rate, l.seconds, l.distinct, l.answered, msText(l.ackP99), float64(l.rssKB)/1024)
	}
}

func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f×", float64(a)/float64(b))
}

func (r *benchResult) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %d rows, %d campaigns\n\n", r.rows, r.campaigns)
	fmt.Fprintf(&b, "Measured with `sowhat bench --rows %d` on %s.\n\n", r.rows, r.machine)
	b.WriteString("| import | rows/s | took |\n|---|---|---|\n")
	for _, f := range r.imports {
		fmt.Fprintf(&b, "| %s | %.0f | %s |\n", f.what, f.rowsSec, f.took.Round(time.Millisecond))
	}
	for _, db := range r.dbs {
		fmt.Fprintf(&b, "\n**Answers on %s** (warm engine, answer cache off; raw SQL is the same statements run alone on the same database)\n\n", db)
		b.WriteString("| question | p50 | p99 | raw SQL | queries | p50 / SQL |\n|---|---|---|---|---|---|\n")
		for _, a := range r.answers[db] {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %s |\n", a.question, msText(a.p50), msText(a.p99), msText(a.sql), a.queries, ratio(a.p50, a.sql))
		}
	}
	fmt.Fprintf(&b, "\n**Slack acknowledgements**, %d signed events at once over loopback: p50 %s, p99 %s, worst %s; %d answered.\n",
		r.ack.events, msText(r.ack.p50), msText(r.ack.p99), msText(r.ack.worst), r.ack.answered)
	if r.rssKB > 0 {
		fmt.Fprintf(&b, "\n**Peak RSS** while answering and acknowledging: %.0f MiB.\n", float64(r.rssKB)/1024)
	}
	if l := r.load; l.sent > 0 {
		fmt.Fprintf(&b, "\n**Steady load**, %d varied questions a second for %d s over loopback (%d different questions, charts drawn and uploaded): %d of %d answered, acknowledgement p99 %s, **peak RSS %.0f MiB**.\n",
			l.rate, l.seconds, l.distinct, l.answered, l.sent, msText(l.ackP99), float64(l.rssKB)/1024)
	}
	return b.String()
}

var errBenchSlack = errors.New("bench: the loopback Slack did not get every answer")
