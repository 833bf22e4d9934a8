package data

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// Health problems Check reports, each wrapped with its cause.
var (
	// ErrCannotRead: a read of the database failed.
	ErrCannotRead = errors.New("cannot read")
	// ErrCannotWrite: a committed write to the database failed (a full
	// disk, a read-only file, a lock held too long).
	ErrCannotWrite = errors.New("cannot write")
	// ErrSchemaMismatch: the database's schema is not the one this binary
	// was built for.
	ErrSchemaMismatch = errors.New("schema mismatch")
)

// LatestSchema returns the schema version this binary migrates to.
func (s *Store) LatestSchema() (int, error) { return latestSchema(s.schema.dir) }

// Check reports whether the store can serve answers: the database is read
// (its schema version), the schema is the one this binary knows, and one
// row of the health table is overwritten and committed (or the write waits
// on another writer, an import, which is fine: answers read the data as it
// was before it). The write is an
// UPSERT of a single row, so the check never grows the database; it is
// committed, not rolled back, because only a commit reaches the disk (the
// write-ahead log), where a full disk or a read-only file shows.
func (s *Store) Check(ctx context.Context) error {
	if err := checkSchema(ctx, s.db, s.schema); err != nil {
		return err
	}
	if s.readOnly {
		return fmt.Errorf("%w: %w", ErrCannotWrite, ErrReadOnly)
	}
	if err := writeHealth(ctx, s.db, s.dialect, s.schema.health); err != nil && !isBusy(err) {
		// Busy is another writer (an import) holding the lock: answers
		// are read from the data as it was, so the store still serves.
		return fmt.Errorf("%w: %w", ErrCannotWrite, err)
	}
	return nil
}

// isBusy reports whether err is SQLite's "another connection is writing"
// or PostgreSQL's "the row is locked" (a lock wait that timed out).
func isBusy(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	return pgCode(err) == sqlStateLockNotAvail
}

// checkBusyTimeout is how long the health write waits for another writer:
// well under a probe's timeout, where the store's own is 10 s.
const checkBusyTimeout = 1500 // ms

// writeHealth overwrites the health row (of the table named) on a
// connection of its own. In SQLite that connection waits at most
// checkBusyTimeout for the write lock; in PostgreSQL nothing but another
// check writes the row, and an import's transaction does not hold it up.
func writeHealth(ctx context.Context, db *sqlx.DB, d dialect, table string) error {
	q := db.Rebind(`INSERT INTO ` + table + ` (id, checked_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`)
	if d == postgres {
		return retry(ctx, func() error {
			_, err := db.ExecContext(ctx, q, nowUTC())
			return err
		})
	}
	conn, err := db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", checkBusyTimeout)); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = 10000") //nolint:errcheck // back to the store's own
	_, err = conn.ExecContext(ctx, q, nowUTC())
	return err
}
