package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Config is every setting, read once from the environment (and an optional
// .env file) and handed down explicitly.
type Config struct {
	// DatabaseURL is a SQLite file path (DATABASE_URL); PostgreSQL is not
	// supported yet.
	DatabaseURL string
	// DatabaseDefaulted is true when DATABASE_URL was not set and the demo
	// database in the user's data directory is used.
	DatabaseDefaulted bool
	Currency          string         // REPORTING_CURRENCY, default USD
	Location          *time.Location // REPORTING_TZ, default UTC
	LogLevel          slog.Level     // LOG_LEVEL: debug, info, warn, error
	AsOf              string         // SOWHAT_AS_OF: pin "today" (YYYY-MM-DD), for demos and tests
	// OrdersPerCustomerYear is the purchase frequency CAC payback assumes
	// (PAYBACK_ORDERS_PER_CUSTOMER_YEAR).
	OrdersPerCustomerYear float64

	OpenAIKey     string // OPENAI_API_KEY: enables the LLM when set
	OpenAIBaseURL string // OPENAI_BASE_URL: any OpenAI-compatible endpoint
	OpenAIModel   string // OPENAI_MODEL

	Env func(string) string // the environment it was read from, for adapters
}

// loadEnvFile reads .env (or SOWHAT_ENV_FILE) into a getenv that prefers the
// real environment: a variable set in the shell wins over the file.
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
		return nil, fmt.Errorf("read %s (SOWHAT_ENV_FILE): %w", path, err)
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return vals[k]
	}, nil
}

// LoadConfig reads and validates the configuration. Errors name the variable
// and what it should look like.
func LoadConfig(getenv func(string) string) (Config, error) {
	getenv, err := loadEnvFile(getenv)
	if err != nil {
		return Config{}, err
	}
	c := Config{
		DatabaseURL:   getenv("DATABASE_URL"),
		Currency:      strings.ToUpper(strings.TrimSpace(getenv("REPORTING_CURRENCY"))),
		AsOf:          getenv("SOWHAT_AS_OF"),
		OpenAIKey:     getenv("OPENAI_API_KEY"),
		OpenAIBaseURL: getenv("OPENAI_BASE_URL"),
		OpenAIModel:   getenv("OPENAI_MODEL"),
		Env:           getenv,
	}
	if c.Currency == "" {
		c.Currency = "USD"
	}
	if len(c.Currency) != 3 {
		return Config{}, fmt.Errorf("REPORTING_CURRENCY=%q: want a three-letter ISO 4217 code such as USD", c.Currency)
	}
	tz := getenv("REPORTING_TZ")
	if tz == "" {
		tz = "UTC"
	}
	if c.Location, err = time.LoadLocation(tz); err != nil {
		return Config{}, fmt.Errorf("REPORTING_TZ=%q: want an IANA time zone such as Europe/London: %w", tz, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(defaultString(getenv("LOG_LEVEL"), "info"))); err != nil {
		return Config{}, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", getenv("LOG_LEVEL"))
	}
	if c.AsOf != "" {
		if _, err := time.Parse("2006-01-02", c.AsOf); err != nil {
			return Config{}, fmt.Errorf("SOWHAT_AS_OF=%q: want a date as YYYY-MM-DD", c.AsOf)
		}
	}
	if v := getenv("PAYBACK_ORDERS_PER_CUSTOMER_YEAR"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 365 {
			return Config{}, fmt.Errorf("PAYBACK_ORDERS_PER_CUSTOMER_YEAR=%q: want a positive number of orders a customer places in a year, such as 4", v)
		}
		c.OrdersPerCustomerYear = f
	}
	if c.OpenAIModel == "" {
		c.OpenAIModel = "gpt-4o-mini"
	}
	if c.DatabaseURL == "" {
		dir, err := dataDir(getenv)
		if err != nil {
			return Config{}, fmt.Errorf("DATABASE_URL is not set and there is no user data directory for the demo database: %w", err)
		}
		c.DatabaseURL = filepath.Join(dir, "sowhat", "demo.db")
		c.DatabaseDefaulted = true
	}
	return c, nil
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
