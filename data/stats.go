package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// DB returns the store's connection pool, for its statistics
// (sql.DB.Stats); queries go through the Store's methods.
func (s *Store) DB() *sql.DB { return s.db.DB }

// DB returns the state's connection pool, for its statistics.
func (s *State) DB() *sql.DB { return s.db.DB }

// ImportTotal is what the recorded imports of one kind add up to, and
// the failed imports of that kind ("" when a file was refused before its
// kind was known).
type ImportTotal struct {
	Kind        string
	Imports     int64
	Rows        int64
	Last        time.Time
	Failures    int64
	LastFailure time.Time
}

// ImportTotals sums the imports recorded, and the failures, per kind.
func (s *Store) ImportTotals(ctx context.Context) ([]ImportTotal, error) {
	var rows []struct {
		Kind     string
		Imports  int64
		Rows     int64
		Last     sql.NullString
		Failures int64
		Failed   sql.NullString
	}
	const q = `SELECT kind, SUM(imports) AS imports, SUM(rows) AS rows, MAX(last) AS last, SUM(failures) AS failures, MAX(failed) AS failed FROM (
    SELECT kind, COUNT(*) AS imports, COALESCE(SUM(rows), 0) AS rows, MAX(imported_at) AS last, 0 AS failures, NULL AS failed FROM imports GROUP BY kind
    UNION ALL
    SELECT kind, 0, 0, NULL, COUNT(*), MAX(failed_at) FROM import_failures GROUP BY kind
) t GROUP BY kind ORDER BY kind`
	if err := s.db.SelectContext(ctx, &rows, q); err != nil {
		return nil, fmt.Errorf("read import totals: %w", err)
	}
	out := make([]ImportTotal, 0, len(rows))
	for _, r := range rows {
		t := ImportTotal{Kind: r.Kind, Imports: r.Imports, Rows: r.Rows, Failures: r.Failures}
		if last, err := time.Parse(time.RFC3339, r.Last.String); err == nil {
			t.Last = last
		}
		if failed, err := time.Parse(time.RFC3339, r.Failed.String); err == nil {
			t.LastFailure = failed
		}
		out = append(out, t)
	}
	return out, nil
}

// maxFailureText is how much of a failed import's error is kept.
const maxFailureText = 2000

// RecordFailure records that an import of file (of kind, "" when not
// known) failed with err. It is written on its own, after the import's
// transaction was rolled back, and may itself fail (a full disk): the
// caller reports err either way.
func (s *Store) RecordFailure(ctx context.Context, file, kind string, err error) error {
	msg := err.Error()
	if len(msg) > maxFailureText {
		msg = msg[:maxFailureText]
	}
	msg = strings.ToValidUTF8(msg, "?")
	return transactOn(ctx, s.db, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO import_failures (file, kind, error, failed_at) VALUES (?, ?, ?, ?)`), file, kind, msg, nowUTC())
		if err != nil {
			return fmt.Errorf("record failed import of %s: %w", file, err)
		}
		return nil
	})
}
