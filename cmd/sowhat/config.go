package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/sources"
)

// Config is every setting, read once from the environment (and an optional
// .env file) by LoadConfig and handed down explicitly: no other code reads
// the environment.
type Config struct {
	// DatabaseURL is a SQLite file path or a postgres:// URL
	// (DATABASE_URL).
	DatabaseURL string
	// DatabaseDefaulted is true when DATABASE_URL was not set and the demo
	// database in the user's data directory is used.
	DatabaseDefaulted bool
	// StateDatabaseURL is the bot's own state database
	// (STATE_DATABASE_URL), a SQLite file path or a postgres:// URL; empty
	// means beside the analytics database ("sowhat.db" →
	// "sowhat-state.db"), or, for PostgreSQL, in it.
	StateDatabaseURL string
	// Lease is how long a replica's heartbeat stays good (REPLICA_LEASE):
	// work a replica took and left unfinished is taken over by another
	// this long after it went silent.
	Lease    time.Duration
	Currency string         // REPORTING_CURRENCY, default USD
	Location *time.Location // REPORTING_TZ, default UTC
	LogLevel slog.Level     // LOG_LEVEL: debug, info, warn, error
	// LogFormat is LOG_FORMAT: text or json; empty, text on a terminal
	// and JSON otherwise.
	LogFormat string
	AsOf      string // SOWHAT_AS_OF: pin "today" (YYYY-MM-DD), for demos and tests
	// OrdersPerCustomerYear is the purchase frequency CAC payback assumes
	// (PAYBACK_ORDERS_PER_CUSTOMER_YEAR); 0 is the default.
	OrdersPerCustomerYear float64
	// Fiscal is the business's fiscal calendar (FISCAL_CALENDAR,
	// FISCAL_YEAR_START), nil when neither is set: "fiscal Q3" is then read
	// as the calendar quarter and the answer asks whether that is meant.
	Fiscal *period.Calendar

	// LLM is the optional language model: off unless OPENAI_API_KEY or
	// OPENAI_BASE_URL is set.
	LLM LLMSettings

	// Reports chooses the digest and alert configuration.
	Reports ReportsSettings
	// Slack is how to reach Slack and whom to answer there. Its
	// credentials are checked only by the commands that use them.
	Slack SlackSettings
	// Teams is how to reach Microsoft Teams, checked likewise.
	Teams TeamsSettings
	// Sources are the sources synced into the store (SOURCES_CONFIG),
	// their url_env variables resolved; none when it is unset.
	Sources sources.Config
	// SourcesFile is SOURCES_CONFIG as set, even when it can't be read.
	SourcesFile string
}

// LLMSettings are how to reach the optional OpenAI-compatible model and
// which halves of it to use.
type LLMSettings struct {
	Key        string // OPENAI_API_KEY: empty for a local server
	BaseURL    string // OPENAI_BASE_URL: any OpenAI-compatible endpoint
	Model      string // OPENAI_MODEL
	Azure      bool   // OPENAI_API_TYPE=azure
	APIVersion string // OPENAI_API_VERSION (Azure)
	Deployment string // OPENAI_DEPLOYMENT (Azure): default the model name
	Understand bool   // SOWHAT_LLM_UNDERSTAND, on unless "off"
	Writing    bool   // SOWHAT_LLM_WRITING, on unless "off"
}

// Enabled reports whether a model is configured.
func (s LLMSettings) Enabled() bool { return s.Key != "" || s.BaseURL != "" }

// ReportsSettings choose the digest and alert configuration.
type ReportsSettings struct {
	File    string // REPORTS_CONFIG: the configuration file
	Channel string // REPORTS_CHANNEL: where the built-in defaults post, checked
}

// Variables whose values are secrets: errors name them and never show
// their values.
const (
	varSlackBotToken      = "SLACK_BOT_TOKEN"
	varSlackAppToken      = "SLACK_APP_TOKEN"
	varSlackSigningSecret = "SLACK_SIGNING_SECRET"
	varOpenAIKey          = "OPENAI_API_KEY"
)

// loadEnvFile reads .env (or SOWHAT_ENV_FILE) into a getenv that prefers the
// real environment: a variable set in the shell wins over the file. When the
// file can't be read, it returns the error with the environment alone, so
// that the other settings can still be checked.
func loadEnvFile(getenv func(string) string) (func(string) string, error) {
	path := getenv("SOWHAT_ENV_FILE")
	explicit := path != ""
	if !explicit {
		path = ".env"
	}
	vals, err := godotenv.Read(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return getenv, nil
		}
		if _, ok := errors.AsType[*fs.PathError](err); !ok {
			// The parser quotes the rest of the file from where it stopped,
			// which may hold a secret: say only the line.
			where := "a line"
			if line := envErrorLine(path, err); line > 0 {
				where = fmt.Sprintf("line %d", line)
			}
			err = fmt.Errorf("%s: want KEY=value, with a quoted value closed (the file's contents are not shown: they may hold secrets)", where)
		}
		return getenv, fmt.Errorf("SOWHAT_ENV_FILE: read %s: %w", path, err)
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return vals[k]
	}, nil
}

// envErrorLine finds the line of the .env file at path that godotenv's
// error err is about: its message quotes the rest of the file from there
// ("… near %q"), or the start of a value whose quote is never closed
// ("unterminated quoted value …"). 0 when it can't tell.
func envErrorLine(path string, err error) int {
	b, rerr := os.ReadFile(path)
	if rerr != nil {
		return 0
	}
	content := strings.ReplaceAll(string(b), "\r\n", "\n")
	msg := err.Error()
	var rest string
	if _, q, ok := strings.Cut(msg, " near "); ok {
		if u, uerr := strconv.Unquote(q); uerr == nil {
			rest = u
		}
	} else if r, ok := strings.CutPrefix(msg, "unterminated quoted value "); ok {
		rest = r
	}
	at := len(content) - len(rest)
	if !strings.HasSuffix(content, rest) {
		at = strings.Index(content, rest) // the start of an unterminated value
	}
	if rest == "" || at < 0 {
		return 0
	}
	return 1 + strings.Count(content[:at], "\n")
}

// LoadConfig reads and validates the configuration from getenv and the
// .env file. Every bad variable is reported, together: each error names
// its variable and what it should look like, and none shows a secret.
// With an error, the Config holds what could be read, for sowhat doctor.
func LoadConfig(getenv func(string) string) (Config, error) {
	getenv, err := loadEnvFile(getenv)
	errs := []error{err}
	c := Config{
		DatabaseURL:      strings.TrimSpace(getenv("DATABASE_URL")),
		StateDatabaseURL: strings.TrimSpace(getenv("STATE_DATABASE_URL")),
		Lease:            data.DefaultLease,
		Currency:         strings.ToUpper(strings.TrimSpace(getenv("REPORTING_CURRENCY"))),
		AsOf:             strings.TrimSpace(getenv("SOWHAT_AS_OF")),
		Reports: ReportsSettings{
			File:    strings.TrimSpace(getenv(reports.EnvConfig)),
			Channel: strings.TrimSpace(getenv(reports.EnvChannel)),
		},
	}
	c.Currency = defaultString(c.Currency, "USD")
	if len(c.Currency) != 3 {
		errs = append(errs, fmt.Errorf("REPORTING_CURRENCY=%q: want a three-letter ISO 4217 code such as USD", c.Currency))
	}
	tz := defaultString(strings.TrimSpace(getenv("REPORTING_TZ")), "UTC")
	if c.Location, err = time.LoadLocation(tz); err != nil {
		errs = append(errs, fmt.Errorf("REPORTING_TZ=%q: want an IANA time zone such as Europe/London: %w", tz, err))
	}
	if lvl := getenv("LOG_LEVEL"); c.LogLevel.UnmarshalText([]byte(defaultString(lvl, "info"))) != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", lvl))
	}
	if c.LogFormat = strings.ToLower(strings.TrimSpace(getenv("LOG_FORMAT"))); c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("LOG_FORMAT=%q: want text or json", c.LogFormat))
	}
	if c.AsOf != "" {
		if _, err := time.Parse("2006-01-02", c.AsOf); err != nil {
			errs = append(errs, fmt.Errorf("SOWHAT_AS_OF=%q: want a date as YYYY-MM-DD", c.AsOf))
		}
	}
	if v := strings.TrimSpace(getenv("REPLICA_LEASE")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > time.Hour {
			errs = append(errs, fmt.Errorf("REPLICA_LEASE=%q: want a duration from 1s to 1h, such as 30s", v))
		}
		c.Lease = d
	}
	if isPostgresURL(c.StateDatabaseURL) {
		errs = append(errs, checkURL("STATE_DATABASE_URL", c.StateDatabaseURL, "a SQLite file path, or a postgres:// URL", "postgres", "postgresql"))
	}
	if v := strings.TrimSpace(getenv("PAYBACK_ORDERS_PER_CUSTOMER_YEAR")); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 365 {
			errs = append(errs, fmt.Errorf("PAYBACK_ORDERS_PER_CUSTOMER_YEAR=%q: want a positive number of orders a customer places in a year, such as 4", v))
		}
		c.OrdersPerCustomerYear = f
	}
	var llmErr error
	c.LLM, llmErr = readLLMSettings(getenv)
	errs = append(errs, llmErr)
	var fiscalErr error
	c.Fiscal, fiscalErr = readFiscal(getenv)
	errs = append(errs, fiscalErr)
	if c.Reports.Channel != "" {
		if err := reports.CheckChannel(c.Reports.Channel); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", reports.EnvChannel, err))
		}
	}
	c.SourcesFile = strings.TrimSpace(getenv(sources.EnvConfig))
	if f := c.SourcesFile; f != "" {
		var srcErr error
		if c.Sources, srcErr = sources.Load(f, getenv); srcErr != nil {
			errs = append(errs, fmt.Errorf("%s=%s: %w", sources.EnvConfig, f, srcErr))
		}
	}
	var slackErr error
	c.Slack, slackErr = readSlackSettings(getenv)
	errs = append(errs, slackErr)
	var teamsErr error
	c.Teams, teamsErr = readTeamsSettings(getenv)
	errs = append(errs, teamsErr)
	c.Slack.Policy.AllowedChannels = append(c.Slack.Policy.AllowedChannels, c.Teams.AllowedChannels...)
	c.Slack.Policy.AllowedUsers = append(c.Slack.Policy.AllowedUsers, c.Teams.AllowedUsers...)
	switch {
	case isPostgresURL(c.DatabaseURL):
		errs = append(errs, checkURL("DATABASE_URL", c.DatabaseURL, "a SQLite file path, or a postgres:// URL", "postgres", "postgresql"))
	case c.DatabaseURL == "":
		dir, err := dataDir(getenv)
		if err != nil {
			errs = append(errs, fmt.Errorf("DATABASE_URL is not set and there is no user data directory for the demo database: %w", err))
			break
		}
		c.DatabaseURL = filepath.Join(dir, "sowhat", "demo.db")
		c.DatabaseDefaulted = true
	}
	return c, errors.Join(errs...)
}

// readLLMSettings reads the optional model's settings.
func readLLMSettings(getenv func(string) string) (LLMSettings, error) {
	s := LLMSettings{
		Key:        strings.TrimSpace(getenv(varOpenAIKey)),
		BaseURL:    strings.TrimSpace(getenv("OPENAI_BASE_URL")),
		Model:      defaultString(strings.TrimSpace(getenv("OPENAI_MODEL")), "gpt-4o-mini"),
		APIVersion: strings.TrimSpace(getenv("OPENAI_API_VERSION")),
		Deployment: strings.TrimSpace(getenv("OPENAI_DEPLOYMENT")),
	}
	errs := []error{checkURL("OPENAI_BASE_URL", s.BaseURL, "an OpenAI-compatible API base URL, such as https://api.openai.com/v1")}
	switch t := strings.ToLower(strings.TrimSpace(getenv("OPENAI_API_TYPE"))); t {
	case "", "openai":
	case "azure":
		s.Azure = true
		if s.BaseURL == "" || s.Key == "" {
			errs = append(errs, errors.New("OPENAI_API_TYPE=azure: set OPENAI_BASE_URL to the resource's endpoint (https://<resource>.openai.azure.com) and OPENAI_API_KEY to its key"))
		}
	default:
		errs = append(errs, fmt.Errorf("OPENAI_API_TYPE=%q: want openai (the default; any OpenAI-compatible server) or azure", t))
	}
	for _, v := range []struct {
		name string
		on   *bool
	}{{"SOWHAT_LLM_UNDERSTAND", &s.Understand}, {"SOWHAT_LLM_WRITING", &s.Writing}} {
		switch x := strings.ToLower(strings.TrimSpace(getenv(v.name))); x {
		case "", "on":
			*v.on = true
		case "off":
		default:
			errs = append(errs, fmt.Errorf("%s=%q: want on or off", v.name, x))
		}
	}
	return s, errors.Join(errs...)
}

// readFiscal reads the fiscal calendar: FISCAL_CALENDAR (calendar, the
// default, or nrf-454) and FISCAL_YEAR_START (the month number the fiscal
// year starts in: 1 for calendar months, 2 for NRF 4-5-4, by default).
func readFiscal(getenv func(string) string) (*period.Calendar, error) {
	kind, start := strings.TrimSpace(getenv("FISCAL_CALENDAR")), strings.TrimSpace(getenv("FISCAL_YEAR_START"))
	if kind == "" && start == "" {
		return nil, nil
	}
	var errs []error
	k, err := period.ParseCalendarKind(kind)
	if err != nil {
		errs = append(errs, fmt.Errorf("FISCAL_CALENDAR=%q: want calendar (calendar months) or nrf-454 (the NRF 4-5-4 retail calendar)", kind))
	}
	cal := &period.Calendar{Kind: k}
	if start != "" {
		m, err := strconv.Atoi(start)
		if err != nil || m < 1 || m > 12 {
			errs = append(errs, fmt.Errorf("FISCAL_YEAR_START=%q: want the month number the fiscal year starts in, 1 to 12 (2 for February)", start))
		}
		cal.Start = time.Month(m)
	}
	return cal, errors.Join(errs...)
}

func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// checkURL checks that v, when set, is a URL with a host and one of the
// schemes (http or https when none is given). The error shows the URL with
// any password replaced, or, when it does not parse, not at all: a URL may
// carry credentials.
func checkURL(name, v, want string, schemes ...string) error {
	if v == "" {
		return nil
	}
	if len(schemes) == 0 {
		schemes = []string{"https", "http"}
	}
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Errorf("%s is not a URL: want %s", name, want)
	}
	if u.Host == "" || !slices.Contains(schemes, u.Scheme) {
		return fmt.Errorf("%s=%q: want %s", name, u.Redacted(), want)
	}
	return nil
}

func defaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// dataDir is the user's data directory: $XDG_DATA_HOME, else
// ~/.local/share (Application Support on macOS, %LocalAppData% on Windows).
func dataDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return d, nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(home, ".local", "share"), nil
}

// Today returns the as-of date: SOWHAT_AS_OF, or today in REPORTING_TZ.
func (c Config) Today(now time.Time) time.Time {
	if c.AsOf != "" {
		d, _ := time.Parse("2006-01-02", c.AsOf)
		return d
	}
	y, m, d := now.In(c.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// configError is a setting a command needs that is missing or malformed:
// the command line says so as it says a bad LoadConfig.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

// configProblems writes a configuration error for the terminal: one
// problem on the line, several one to a line below.
func configProblems(err error) string {
	errs := flatten(err)
	if len(errs) == 1 {
		return "configuration: " + errs[0].Error()
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = "  " + strings.ReplaceAll(e.Error(), "\n", "\n  ")
	}
	return fmt.Sprintf("configuration: %d problems:\n%s", len(errs), strings.Join(lines, "\n"))
}

// flatten lists the errors errors.Join put together, however nested.
func flatten(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, flatten(e)...)
	}
	return out
}
