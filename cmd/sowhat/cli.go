package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/metrics"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// env is what every command gets: the configuration, the streams and a
// logger. Commands open the store themselves, only when they need it.
type env struct {
	cfg    Config
	cfgErr error // the configuration's problems, which only doctor and healthcheck run with
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	now    func() time.Time
	// metrics counts what serve does, for /metrics; nil elsewhere.
	metrics *metrics.Metrics
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"ask", "answer a question in plain English", cmdAsk},
		{"query", "run a structured query (for scripts and checking the data)", cmdQuery},
		{"ingest", "import platform exports and canonical CSVs", cmdIngest},
		{"sync", "sync the sources of SOURCES_CONFIG into the store: on their schedules, or --once", cmdSync},
		{"serve", "answer in Slack (Socket Mode or HTTP), post digests and alerts; /healthz on --addr", cmdServe},
		{"demo", "build the demo database", cmdDemo},
		{"digest", "preview or send an executive digest", cmdDigest},
		{"metrics", "list metric definitions (--markdown for docs/metrics.md)", cmdMetrics},
		{"doctor", "check the configuration, databases, Slack, the LLM and the reports; exit 1 on a problem", cmdDoctor},
		{"healthcheck", "GET --url (default the local /healthz); exit 0 on 200, else 1 (for container health checks)", cmdHealthcheck},
		{"bench", "measure imports, answers next to their raw SQL, Slack acknowledgements and memory on a generated dataset (--rows)", cmdBench},
		{"eval", "measure how questions are read: the parser alone, or with the model (--llm)", cmdEval},
		{"backtest", "fit each platform's response curve before the latest weeks and print how far it missed them (--weeks)", cmdBacktest},
		{"teams-package", "write the Microsoft Teams app package an admin uploads (--endpoint, --out)", cmdTeamsPackage},
	}
}

// errUsage marks an error that should be followed by the command's usage.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	cfg, err := LoadConfig(getenv)
	if err != nil && args[0] != "doctor" && args[0] != "healthcheck" {
		fmt.Fprintf(stderr, "sowhat: %s\n", configProblems(err))
		return 2
	}
	e := &env{cfg: cfg, cfgErr: err, stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now, log: newLogger(stderr, cfg)}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		if err := c.run(ctx, e, args[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			var ce configError
			if errors.As(err, &ce) {
				fmt.Fprintf(stderr, "sowhat %s: %s\n", c.name, configProblems(ce.err))
				return 2
			}
			if errors.Is(err, errUsage) {
				fmt.Fprintf(stderr, "sowhat %s: %v\n", c.name, err)
				return 2
			}
			fmt.Fprintf(stderr, "sowhat %s: %s\n", c.name, bot.ExplainLog(ctx, e.log.With(slog.String("command", c.name)), err))
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "sowhat: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sowhat: trustworthy answers about marketing performance.\n\nUsage: sowhat COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'sowhat COMMAND -h' for a command's flags. Settings come from the environment and .env (see .env.example).")
}

// parseFlags parses flags placed anywhere among the arguments and returns
// the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlags(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("sowhat "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// dbUse is what a command does with its database, which decides what it
// may do to it: only the commands that import write, and only `sowhat
// demo` and the first run of `sowhat ask` write the demo database.
type dbUse int

const (
	// reads: the database must exist and hold data (query, digest).
	reads dbUse = iota
	// asks: reads; with no database named, the demo database is built or
	// refreshed first (the first-run bootstrap).
	asks
	// serves: reads, and keeps Slack events and alert state, so the
	// database must be writable.
	serves
	// imports: writes into a named database, creating it when missing.
	imports
)

// errNoDatabaseNamed: an import with no database named would land in the
// demo database.
var errNoDatabaseNamed = fmt.Errorf("%w: name the database to import into, with --db PATH or DATABASE_URL=PATH (e.g. sowhat ingest --db ./sowhat.db FILE): "+
	"without one I won't write your data into the demo database", errUsage)

// openState opens the bot's state database: STATE_DATABASE_URL, else the
// file beside st's, or st's PostgreSQL database itself.
func (e *env) openState(ctx context.Context, st *data.Store) (*data.State, error) {
	dsn := e.cfg.StateDatabaseURL
	if dsn == "" {
		dsn = st.StateDSN()
	}
	return data.OpenState(ctx, dsn, data.WithLease(e.cfg.Lease), data.WithStateClock(e.now))
}

// openStore opens the database a command works on: --db, else
// DATABASE_URL, else the demo database in the user's data directory. A
// command that reads refuses a database that does not exist or holds no
// data, saying how to import; one that writes refuses a read-only one.
func (e *env) openStore(ctx context.Context, dbFlag string, use dbUse) (*data.Store, error) {
	url := e.cfg.DatabaseURL
	defaulted := e.cfg.DatabaseDefaulted
	if dbFlag != "" {
		url, defaulted = dbFlag, false
	}
	switch {
	case use == imports && defaulted:
		return nil, errNoDatabaseNamed
	case use == asks && defaulted:
		return e.bootstrapDemo(ctx, url)
	case use == imports:
		st, err := e.open(ctx, url)
		if err != nil {
			return nil, err
		}
		if err := st.CheckWritable("ingest"); err != nil {
			st.Close()
			return nil, err
		}
		return st, nil
	}
	st, err := e.open(ctx, url, data.MustExist())
	if err != nil {
		if defaulted && (errors.Is(err, data.ErrNoDatabase) || errors.Is(err, data.ErrNoFolder)) {
			return nil, model.Tell(fmt.Sprintf("DATABASE_URL is not set and the demo database at %s has not been built yet: run `sowhat demo` to build it, or name your database with --db PATH.", url), err)
		}
		return nil, err
	}
	check := func() error {
		if err := st.CheckHasData(ctx); err != nil {
			return err
		}
		if use == serves {
			return st.CheckWritable("serve")
		}
		return nil
	}
	if err := check(); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// bootstrapDemo opens the demo database at url, building (or refreshing)
// it first and saying so, so that a fresh machine can ask questions at
// once.
func (e *env) bootstrapDemo(ctx context.Context, url string) (*data.Store, error) {
	if err := os.MkdirAll(filepath.Dir(url), 0o755); err != nil {
		return nil, fmt.Errorf("make the folder of the demo database %s: %w", url, err)
	}
	st, err := e.open(ctx, url)
	if err != nil {
		return nil, err
	}
	asOf := e.cfg.Today(e.now())
	r, err := st.DataRange(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if !r.End.IsZero() && !r.End.Before(asOf.AddDate(0, 0, -1)) || st.ReadOnly() && !r.End.IsZero() {
		return st, nil
	}
	if err := st.CheckWritable("the demo build"); err != nil {
		st.Close()
		return nil, err
	}
	verb := "created"
	if !r.End.IsZero() {
		verb = "refreshed"
	}
	sum, err := demo.Generate(ctx, st, asOf)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("build the demo database at %s: %w", url, err)
	}
	fmt.Fprintf(e.stderr, "sowhat: DATABASE_URL is not set, so I %s the demo database at %s (%d platforms, %d campaigns, %s to %s).\n",
		verb, url, sum.Platforms, sum.Campaigns, sum.Start.Format(period.DateLayout), sum.End.Format(period.DateLayout))
	return st, nil
}

// open opens the database at url with the configured definitions.
func (e *env) open(ctx context.Context, url string, opts ...data.Option) (*data.Store, error) {
	wait := data.WithImportWait(func(file string) {
		fmt.Fprintf(e.stderr, "sowhat: another import is writing to %s; %s waits its turn (questions are still answered meanwhile).\n", url, file)
	})
	return data.Open(ctx, url, append(opts, data.WithOrdersPerCustomerYear(e.cfg.OrdersPerCustomerYear), wait, data.WithQueryLog(e.log))...)
}

func (e *env) asOf(flagValue string) (time.Time, error) {
	if flagValue == "" {
		return e.cfg.Today(e.now()), nil
	}
	d, err := time.Parse(period.DateLayout, flagValue)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: --as-of %q: want YYYY-MM-DD", errUsage, flagValue)
	}
	return d, nil
}

func cmdMetrics(ctx context.Context, e *env, args []string) error {
	fs := newFlags("metrics", e)
	md := fs.Bool("markdown", false, "print docs/metrics.md")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *md {
		fmt.Fprint(e.stdout, model.MetricsMarkdown())
		return nil
	}
	ids := make([]string, 0, len(model.Metrics()))
	for _, m := range model.Metrics() {
		ids = append(ids, fmt.Sprintf("%-22s %-22s %s", m.ID, m.Name, m.Formula))
	}
	sort.Strings(ids)
	fmt.Fprintln(e.stdout, strings.Join(ids, "\n"))
	return nil
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags("demo", e)
	db := fs.String("db", "", "database path or URL (default DATABASE_URL, else the demo database)")
	asOfFlag := fs.String("as-of", "", "build data ending the day before this date (YYYY-MM-DD)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	asOf, err := e.asOf(*asOfFlag)
	if err != nil {
		return err
	}
	url := *db
	if url == "" {
		url = e.cfg.DatabaseURL
		if e.cfg.DatabaseDefaulted {
			if err := os.MkdirAll(filepath.Dir(url), 0o755); err != nil {
				return fmt.Errorf("make the folder of the demo database %s: %w", url, err)
			}
		}
	}
	st, err := e.open(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckWritable("demo"); err != nil {
		return err
	}
	start := time.Now()
	sum, err := demo.Generate(ctx, st, asOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Built the demo database at %s in %s: %d platforms, %d campaigns, %s to %s, %d ad rows, %d business rows, %d budget rows, %d brand-lift results.\n",
		url, time.Since(start).Round(time.Millisecond), sum.Platforms, sum.Campaigns, sum.Start.Format(period.DateLayout), sum.End.Format(period.DateLayout),
		sum.AdRows, sum.BusinessRows, sum.BudgetRows, sum.BrandLiftRows)
	for _, s := range sum.Stories {
		fmt.Fprintf(e.stdout, "  - %s\n", s)
	}
	return nil
}

func closeQuietly(c io.Closer) { _ = c.Close() }
