package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DB returns the store's connection pool, for its statistics
// (sql.DB.Stats); queries go through the Store's methods.
func (s *Store) DB() *sql.DB { return s.db.DB }

// DB returns the state's connection pool, for its statistics.
func (s *State) DB() *sql.DB { return s.db.DB }

// ImportTotal is what the recorded imports of one kind add up to.
type ImportTotal struct {
	Kind    string
	Imports int64
	Rows    int64
	// Last is when the last of them was recorded.
	Last time.Time
}

// ImportTotals sums the imports recorded, per kind. A refused file is
// never recorded.
func (s *Store) ImportTotals(ctx context.Context) ([]ImportTotal, error) {
	var rows []struct {
		Kind    string
		Imports int64
		Rows    int64
		Last    string
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT kind, COUNT(*) AS imports, COALESCE(SUM(rows), 0) AS rows, MAX(imported_at) AS last FROM imports GROUP BY kind ORDER BY kind`); err != nil {
		return nil, fmt.Errorf("read import totals: %w", err)
	}
	out := make([]ImportTotal, 0, len(rows))
	for _, r := range rows {
		t := ImportTotal{Kind: r.Kind, Imports: r.Imports, Rows: r.Rows}
		if last, err := time.Parse(time.RFC3339, r.Last); err == nil {
			t.Last = last
		}
		out = append(out, t)
	}
	return out, nil
}
