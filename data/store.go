package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // the embedded default database
	"github.com/sowhat-ai/sowhat/model"
)

//go:embed migrations
var migrationFS embed.FS

// ErrSchemaTooNew means the database was migrated by a newer sowhat.
var ErrSchemaTooNew = errors.New("database schema is newer than this sowhat")

// Store wraps the database. Only the store holds the handle; every other
// package reads and writes through its methods.
type Store struct {
	db    *sqlx.DB
	cache dimCache
	sumMu sync.Mutex
	sum   *summary
	genMu sync.Mutex
	gen   int64
	genAt time.Time
	// ordersPerCustomerYear is the purchase frequency payback assumes.
	ordersPerCustomerYear float64
}

// Option configures a Store when it is opened.
type Option func(*Store)

// WithOrdersPerCustomerYear sets the purchase frequency CAC payback assumes
// when a query does not give its own; 0 (or less) keeps the default,
// model.DefaultOrdersPerCustomerYear.
func WithOrdersPerCustomerYear(v float64) Option {
	return func(s *Store) { s.ordersPerCustomerYear = max(v, 0) }
}

// OrdersPerCustomerYear returns the purchase frequency payback assumes.
func (s *Store) OrdersPerCustomerYear() float64 {
	if s.ordersPerCustomerYear <= 0 {
		return model.DefaultOrdersPerCustomerYear
	}
	return s.ordersPerCustomerYear
}

// Open opens (creating if need be) the database named by dsn and brings its
// schema up to date. dsn is a SQLite file path; a postgres:// or
// postgresql:// URL is refused, as PostgreSQL is not supported yet.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("open database: no database path or URL given")
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, errors.New("open database: PostgreSQL is not supported yet; set DATABASE_URL to a SQLite file path")
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open database %s: %w", dsn, err)
		}
	}
	conn := "file:" + dsn + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_stmt_cache_size=64"
	db, err := sqlx.Open("sqlite3", conn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", dsn, err)
	}
	s := &Store{db: db}
	for _, o := range opts {
		o(s)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", dsn, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	return s.db.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Transact runs fn in a transaction that commits when fn returns nil and rolls
// back when it returns an error or panics.
func (s *Store) Transact(ctx context.Context, fn func(tx *sqlx.Tx) error) (err error) {
	return transactOn(ctx, s.db, fn)
}

// beginner is a database or a single connection.
type beginner interface {
	BeginTxx(ctx context.Context, opts *sql.TxOptions) (*sqlx.Tx, error)
}

func transactOn(ctx context.Context, db beginner, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
			return
		}
		if cerr := tx.Commit(); cerr != nil {
			err = fmt.Errorf("commit: %w", cerr)
		}
	}()
	return fn(tx)
}

type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrations() ([]migration, error) {
	const dir = "migrations/sqlite"
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, e.Name(), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion returns the version the database is migrated to.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.GetContext(ctx, &v, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`)
	return v, err
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations the database has not seen. It refuses a database migrated by a
// newer binary.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := s.migrations()
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	latest := ms[len(ms)-1].version
	if current > latest {
		return fmt.Errorf("%w: database is at version %d, this binary knows up to %d", ErrSchemaTooNew, current, latest)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		err := s.Transact(ctx, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, nowUTC())
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
	}
	return nil
}
