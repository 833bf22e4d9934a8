package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
)

// beginner is a database or a single connection.
type beginner interface {
	BeginTxx(ctx context.Context, opts *sql.TxOptions) (*sqlx.Tx, error)
}

// SQLSTATEs a transaction is retried after: the database gave it up so
// that another could commit, and running it again is expected to succeed.
// A SERIALIZABLE engine (CockroachDB, YugabyteDB, PostgreSQL at that
// level) reports conflicts this way instead of blocking.
const (
	sqlStateSerialization = "40001" // serialization_failure
	sqlStateDeadlock      = "40P01" // deadlock_detected
	sqlStateLockNotAvail  = "55P03" // lock_not_available (FOR UPDATE NOWAIT)
)

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// retryable reports whether err asks for the transaction to be run again.
func retryable(err error) bool {
	c := pgCode(err)
	return c == sqlStateSerialization || c == sqlStateDeadlock
}

// Retries after a serialization failure: up to maxAttempts runs in all,
// waiting retryBase, then twice that, and so on, before each new one.
const (
	maxAttempts = 8
	retryBase   = 5 * time.Millisecond
)

// retry runs fn, and again after a serialization failure or a deadlock,
// with exponential backoff, as long as ctx allows. fn must be safe to run
// again: a whole transaction, or a single statement (which an engine runs
// as a transaction of its own).
func retry(ctx context.Context, fn func() error) error {
	wait := retryBase
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait *= 2
	}
}

// transactOn runs fn in a transaction that commits when fn returns nil and
// rolls back when it returns an error or panics. Every transaction of the
// store goes through it: one the database gave up (SQLSTATE 40001 or
// 40P01) is run again from the start, fn included, so fn must only write
// through tx.
func transactOn(ctx context.Context, db beginner, fn func(tx *sqlx.Tx) error) error {
	return retry(ctx, func() error { return transactOnce(ctx, db, fn) })
}

// transactOnce is transactOn without the retry: for an import, whose rows
// stream through fn once and can't be read again.
func transactOnce(ctx context.Context, db beginner, fn func(tx *sqlx.Tx) error) (err error) {
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
