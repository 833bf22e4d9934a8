package data

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
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

	dialect   dialect
	schema    schemaSet
	dsn       string // as given: a PostgreSQL URL may hold a password
	path      string // the database file, or the URL with its password hidden
	mustExist bool   // refuse to create the file
	readOnly  bool   // opened read-only: the file can't be written to

	// importWait, when set, hears that an import waits for another to
	// finish.
	importWait func(file string)

	// onImportConn, when set, runs on an import's connection before its
	// transaction begins (tests use it to cap the database's size).
	onImportConn func(ctx context.Context, conn *sqlx.Conn) error

	// queryLog, when set, hears each statement an answer runs (WithQueryLog).
	queryLog *slog.Logger
}

// Option configures a Store when it is opened.
type Option func(*Store)

// WithOrdersPerCustomerYear sets the purchase frequency CAC payback assumes
// when a query does not give its own; 0 (or less) keeps the default,
// model.DefaultOrdersPerCustomerYear.
func WithOrdersPerCustomerYear(v float64) Option {
	return func(s *Store) { s.ordersPerCustomerYear = max(v, 0) }
}

// WithImportWait sets what is told, once per import, that the import waits
// its turn behind another one writing to the same database.
func WithImportWait(f func(file string)) Option { return func(s *Store) { s.importWait = f } }

// OrdersPerCustomerYear returns the purchase frequency payback assumes.
func (s *Store) OrdersPerCustomerYear() float64 {
	if s.ordersPerCustomerYear <= 0 {
		return model.DefaultOrdersPerCustomerYear
	}
	return s.ordersPerCustomerYear
}

// Errors Open refuses a database with. Each comes wrapped in a sentence
// that names the path (a *model.UserError).
var (
	// ErrNoFolder: the database's folder does not exist. Open never makes
	// one: a mistyped path is an error, not a new folder.
	ErrNoFolder = errors.New("database folder does not exist")
	// ErrNoDatabase: there is no database at the path, and the store was
	// opened with MustExist.
	ErrNoDatabase = errors.New("no database at this path")
	// ErrReadOnly: the database can't be written to.
	ErrReadOnly = errors.New("database is read-only")
)

// MustExist makes Open refuse a path where there is no database yet,
// rather than create one there: for the commands that only read.
func MustExist() Option { return func(s *Store) { s.mustExist = true } }

// Open opens the database named by dsn and brings its schema up to date,
// creating the file when there is none yet (unless MustExist), in a folder
// that must exist. A file that can't be written to is opened read-only:
// it answers questions, and any write fails with ErrReadOnly. dsn is a
// SQLite file path or a postgres:// (postgresql://) URL, whose database
// must exist; its password is never shown in an error.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("open database: no database path or URL given")
	}
	d := dialectOf(dsn)
	s := &Store{dialect: d, schema: d.dataSchema(), dsn: dsn, path: Redact(dsn)}
	for _, o := range opts {
		o(s)
	}
	if d == postgres {
		return s.openPostgres(ctx)
	}
	if err := s.checkPath(); err != nil {
		return nil, err
	}
	conn := "file:" + dsn + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_stmt_cache_size=64"
	if s.readOnly {
		conn = "file:" + dsn + "?mode=ro&_busy_timeout=10000&_foreign_keys=on&_stmt_cache_size=64"
		if _, err := os.Stat(dsn + "-wal"); errors.Is(err, os.ErrNotExist) {
			// Nothing is being written to it: read it as it is, leaving no
			// write-ahead log or shared-memory file beside it.
			conn += "&immutable=1"
		}
	}
	db, err := sqlx.Open("sqlite3", conn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", dsn, err)
	}
	s.db = db
	if err := s.migrate(ctx); err != nil {
		db.Close()
		if s.readOnly {
			return nil, model.Tell(fmt.Sprintf("The database %s is read-only and needs an upgrade this sowhat can't write: make it writable and run the command again.", dsn), fmt.Errorf("open database %s: %w: %w", dsn, ErrReadOnly, err))
		}
		return nil, fmt.Errorf("open database %s: %w", dsn, err)
	}
	return s, nil
}

// openPostgres opens the PostgreSQL database at s.dsn and migrates it.
func (s *Store) openPostgres(ctx context.Context) (*Store, error) {
	db, err := openPostgresDB(ctx, s.dsn)
	if err != nil {
		return nil, model.Tell(fmt.Sprintf("The PostgreSQL database %s does not answer: check the URL, and that the server is up and the database exists.", s.path),
			fmt.Errorf("open database %s: %w", s.path, err))
	}
	s.db = db
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", s.path, err)
	}
	return s, nil
}

// postgresConns bounds a PostgreSQL pool: a server takes a hundred
// connections by default, shared by every replica, and a burst of events
// should queue here rather than be refused there.
const postgresConns = 16

// openPostgresDB opens a pool on the PostgreSQL database at dsn and checks
// that it answers. The driver's own errors name the host and user, never
// the password.
func openPostgresDB(ctx context.Context, dsn string) (*sqlx.DB, error) {
	db, err := sqlx.Open(postgres.driver(), dsn)
	if err != nil {
		return nil, errors.New("the URL does not parse") // its error would quote it
	}
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkPath refuses a database whose folder does not exist, or that does
// not exist when it must, and notes whether it can be written to.
func (s *Store) checkPath() error {
	dir := filepath.Dir(s.path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return model.Tell(fmt.Sprintf("There is no folder %s for the database %s: create the folder first, or give a path in a folder that exists.", dir, s.path),
			fmt.Errorf("open database %s: %w", s.path, ErrNoFolder))
	}
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, os.ErrNotExist) && s.mustExist:
		return model.Tell(fmt.Sprintf("There is no database at %s: no data imported yet — run `sowhat ingest --db %s FILE`.", s.path, s.path),
			fmt.Errorf("open database %s: %w", s.path, ErrNoDatabase))
	case err != nil:
		return nil // created by the open, or its error said by it
	}
	s.readOnly = fi.Mode().Perm()&0o222 == 0 || !writable(s.path)
	return nil
}

// writable reports whether this process may write to the file at path.
func writable(path string) bool {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// Path is the database's file.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the database was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// CheckWritable returns ErrReadOnly, in a sentence naming the database,
// when it can't be written to: what writes checks it before starting.
func (s *Store) CheckWritable(what string) error {
	if !s.readOnly {
		return nil
	}
	return model.Tell(fmt.Sprintf("The database %s is read-only, so %s can't write to it: make the file writable, or give another path with --db.", s.path, what),
		fmt.Errorf("%s: database %s: %w", what, s.path, ErrReadOnly))
}

// ErrEmpty: nothing has been imported into the database yet.
var ErrEmpty = errors.New("no data imported yet")

// CheckHasData returns ErrEmpty, in a sentence naming how to import,
// when nothing has been imported into the database.
func (s *Store) CheckHasData(ctx context.Context) error {
	gen, err := s.Generation(ctx)
	if err != nil {
		return err
	}
	if gen > 0 {
		return nil
	}
	return model.Tell(fmt.Sprintf("The database %s is empty: no data imported yet — run `sowhat ingest --db %s FILE`.", s.path, s.path), ErrEmpty)
}

// Settle runs the database's own upkeep after a large import, so that the
// questions after it are not measured against it: in PostgreSQL VACUUM
// (ANALYZE) of the tables an import writes (the planner's statistics
// current, and autovacuum not starting on a million new rows under the
// first questions), in SQLite PRAGMA optimize. `sowhat bench` runs it,
// untimed, after its imports.
func (s *Store) Settle(ctx context.Context) error {
	if s.dialect != postgres {
		if _, err := s.db.ExecContext(ctx, `PRAGMA optimize`); err != nil {
			return fmt.Errorf("settle %s: %w", s.path, err)
		}
		return nil
	}
	for _, t := range []string{"ad_facts", "ad_platform_daily", "ad_campaign_monthly", "campaigns", "business_daily"} {
		if _, err := s.db.ExecContext(ctx, `VACUUM (ANALYZE) `+t); err != nil {
			return fmt.Errorf("settle %s: vacuum %s: %w", s.path, t, err)
		}
	}
	return nil
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

// SchemaVersion returns the version the database is migrated to.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, s.db, s.schema)
}

// migrate brings the database's schema up to date (see migrateDB).
func (s *Store) migrate(ctx context.Context) error { return migrateDB(ctx, s.db, s.schema) }

// StateDSN is where the bot's state lives unless told otherwise: in a
// PostgreSQL database, the same database (in tables of its own); beside a
// SQLite file, a file of its own (see StatePath).
func (s *Store) StateDSN() string {
	if s.dialect == postgres {
		return s.dsn
	}
	return StatePath(s.path)
}
