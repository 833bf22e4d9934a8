package data

import (
	"context"
	"fmt"
)

// Imported reports whether the store holds an import of the content whose
// SHA-256 (hex) is hash (see Source.Hash).
func (s *Store) Imported(ctx context.Context, hash string) (bool, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, s.db.Rebind(`SELECT COUNT(*) FROM imports WHERE hash = ?`), hash); err != nil {
		return false, fmt.Errorf("look up import of %s: %w", hash, err)
	}
	return n > 0, nil
}

// Refusal is a file a source refused, nothing of it written.
type Refusal struct {
	Hash   string // the content's SHA-256 (hex)
	Source string // the source's name
	File   string // where it was
	Error  string // why it was refused
}

// NoteRefused remembers a refused content and reports whether this is its
// first refusal: of any number of copies, processes or replicas refusing
// the same content, exactly one is told first (the primary key on
// refused_files.hash), so the refusal is reported once.
func (s *Store) NoteRefused(ctx context.Context, r Refusal) (first bool, err error) {
	var n int64
	err = retry(ctx, func() error {
		res, err := s.db.ExecContext(ctx, s.db.Rebind(`INSERT INTO refused_files (hash, source, file, error, refused_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`),
			r.Hash, r.Source, r.File, r.Error, nowUTC())
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("note refused file %s: %w", r.File, err)
	}
	return n == 1, nil
}
