package sources

import (
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL and Redshift
)

// Dialect is how one warehouse engine is reached and spoken to through
// database/sql: PostgreSQL and Amazon Redshift (both through pgx) are
// built in; another engine is one more Dialect, with its driver.
type Dialect struct {
	Name    string   // postgres, redshift
	Schemes []string // the URL schemes that pick it
	Driver  string   // the database/sql driver name
	// DSN turns the configured URL into what the driver opens.
	DSN func(u *url.URL) string
	// Placeholder is the n-th (from 1) bound parameter's marker.
	Placeholder func(n int) string
	// Isolation is the isolation level of a sync's read-only
	// transaction: one snapshot across its pages.
	Isolation sql.IsolationLevel
	// Float casts a numeric column to a double.
	Float func(col string) string
}

func doublePrecision(col string) string { return "CAST(" + col + " AS DOUBLE PRECISION)" }

// dialects are the engines sources can read, by name.
var dialects = []Dialect{
	{Name: "postgres", Schemes: []string{"postgres", "postgresql"}, Driver: "pgx", DSN: func(u *url.URL) string { return u.String() },
		Placeholder: dollar, Isolation: sql.LevelRepeatableRead, Float: doublePrecision},
	// Redshift speaks PostgreSQL's wire protocol; its transactions are
	// serializable whatever is asked, so none is asked.
	{Name: "redshift", Schemes: []string{"redshift"}, Driver: "pgx", DSN: func(u *url.URL) string {
		v := *u
		v.Scheme = "postgres"
		if v.Port() == "" {
			v.Host += ":5439"
		}
		return v.String()
	}, Placeholder: dollar, Isolation: sql.LevelDefault, Float: doublePrecision},
}

func dollar(n int) string { return "$" + strconv.Itoa(n) }

// dialectOf picks the dialect of a warehouse URL. Its error never shows
// the URL's password.
func dialectOf(raw string) (Dialect, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Dialect{}, fmt.Errorf("is not a URL (its value is not shown: it may hold a password)")
	}
	var schemes []string
	for _, d := range dialects {
		for _, s := range d.Schemes {
			if strings.EqualFold(u.Scheme, s) {
				if u.Host == "" {
					return Dialect{}, fmt.Errorf("%s has no host: want %s://user@host:port/database", u.Redacted(), s)
				}
				return d, nil
			}
			schemes = append(schemes, s+"://")
		}
	}
	return Dialect{}, fmt.Errorf("%s: want a URL starting %s", u.Redacted(), strings.Join(schemes, ", "))
}

// open opens the source's warehouse.
func open(src Source) (*sql.DB, Dialect, error) {
	d, err := dialectOf(src.URL.Reveal())
	if err != nil {
		return nil, Dialect{}, fmt.Errorf("source %s: url: %w", src.Name, err)
	}
	u, _ := url.Parse(src.URL.Reveal())
	db, err := sql.Open(d.Driver, d.DSN(u))
	if err != nil {
		return nil, Dialect{}, fmt.Errorf("source %s: open %s: %w", src.Name, d.Name, err)
	}
	db.SetMaxOpenConns(2)
	return db, d, nil
}

// date is a day as a bound parameter: the ISO text, which the engine reads
// as the type of the column it is compared with. (A time.Time goes to
// PostgreSQL as a timestamptz, and "date_day >= timestamptz" can't use the
// index on date_day: each page read the whole table.)
func (d Dialect) date(t time.Time) any { return t.Format("2006-01-02") }
