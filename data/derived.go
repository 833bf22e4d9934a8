package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Derived returns what SaveDerived kept under name for import generation
// gen, and whether it is there: something read from the data that costs
// more to work out again than to read (the names vocabulary), kept until
// the next import.
func (s *Store) Derived(ctx context.Context, name string, gen int64) (string, bool, error) {
	var body string
	err := s.db.QueryRowContext(ctx, s.db.Rebind(`SELECT body FROM generation_cache WHERE name = ? AND generation = ?`), name, gen).Scan(&body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read %s: %w", name, err)
	}
	return body, true, nil
}

// SaveDerived keeps body under name for import generation gen, replacing
// what an earlier generation kept.
func (s *Store) SaveDerived(ctx context.Context, name string, gen int64, body string) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`INSERT INTO generation_cache (name, generation, body) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET generation = excluded.generation, body = excluded.body`), name, gen, body)
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}
