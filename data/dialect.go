package data

import (
	"net/url"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, the production database
	_ "github.com/mattn/go-sqlite3"    // the embedded default database
)

// dialect is the SQL a database speaks. The two share one schema and the
// same queries (see docs/sql.md); only what must differ is told apart here:
// how a database is opened, its migration folder, and the few statements
// that have no common spelling.
type dialect int

const (
	sqlite dialect = iota
	postgres
)

// dialectOf names the database a dsn points at: a postgres:// or
// postgresql:// URL is PostgreSQL, anything else a SQLite file path.
func dialectOf(dsn string) dialect {
	if IsPostgresURL(dsn) {
		return postgres
	}
	return sqlite
}

// IsPostgresURL reports whether dsn names a PostgreSQL database.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// driver is the database/sql driver name, which is also how sqlx knows
// the placeholders to rebind ? into ($1 for pgx).
func (d dialect) driver() string {
	if d == postgres {
		return "pgx"
	}
	return "sqlite3"
}

// schemaSet is one schema history: its migration folder, the table that
// records what was applied, and the one-row table the health check
// overwrites. In PostgreSQL the bot's state may share the analytics
// database, so its two bookkeeping tables take names of their own there.
type schemaSet struct {
	dir      string
	versions string
	health   string
}

// dataSchema is the analytics data's schema history in the dialect.
func (d dialect) dataSchema() schemaSet {
	if d == postgres {
		return schemaSet{"migrations/postgres", "schema_migrations", "health"}
	}
	return schemaSet{"migrations/sqlite", "schema_migrations", "health"}
}

// stateSchema is the bot's state's schema history in the dialect.
func (d dialect) stateSchema() schemaSet {
	if d == postgres {
		return schemaSet{"migrations/state/postgres", "state_schema_migrations", "state_health"}
	}
	return schemaSet{"migrations/state/sqlite", "schema_migrations", "health"}
}

// Redact returns dsn as it may be shown: a URL with its password replaced
// by xxxxx (a SQLite path as it is). Errors and logs name a database only
// this way.
func Redact(dsn string) string {
	if !IsPostgresURL(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "a postgres:// URL that does not parse"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
