package data

import (
	"context"
	"errors"
	"fmt"
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
func (s *Store) LatestSchema() (int, error) {
	ms, err := s.migrations()
	if err != nil {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}

// Check reports whether the store can serve answers: the database is read
// (its schema version), the schema is the one this binary knows, and one
// row of the health table is overwritten and committed. The write is an
// UPSERT of a single row, so the check never grows the database; it is
// committed, not rolled back, because only a commit reaches the disk (the
// write-ahead log), where a full disk or a read-only file shows.
func (s *Store) Check(ctx context.Context) error {
	got, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCannotRead, err)
	}
	want, err := s.LatestSchema()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSchemaMismatch, err)
	}
	switch {
	case got < want:
		return fmt.Errorf("%w: database is at version %d, behind this sowhat's %d", ErrSchemaMismatch, got, want)
	case got > want:
		return fmt.Errorf("%w: database is at version %d, ahead of this sowhat's %d", ErrSchemaMismatch, got, want)
	}
	if s.readOnly {
		return fmt.Errorf("%w: %w", ErrCannotWrite, ErrReadOnly)
	}
	if err := s.writeHealth(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrCannotWrite, err)
	}
	return nil
}

// checkBusyTimeout is how long the health write waits for another writer:
// well under a probe's timeout, where the store's own is 10 s.
const checkBusyTimeout = 1500 // ms

// writeHealth overwrites the health row on a connection of its own that
// waits at most checkBusyTimeout for the write lock.
func (s *Store) writeHealth(ctx context.Context) error {
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", checkBusyTimeout)); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = 10000") //nolint:errcheck // back to the store's own
	_, err = conn.ExecContext(ctx, s.db.Rebind(`INSERT INTO health (id, checked_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`), nowUTC())
	return err
}
