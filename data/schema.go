package data

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

type migration struct {
	version int
	name    string
	path    string // in migrationFS, read only to apply it
}

// readMigrations returns the embedded migrations in dir, in order.
func readMigrations(dir string) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		out = append(out, migration{v, e.Name(), dir + "/" + e.Name()})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no migrations in %s", dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// latestSchema returns the version the migrations in dir end at.
func latestSchema(dir string) (int, error) {
	ms, err := readMigrations(dir)
	if err != nil {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}

func schemaVersion(ctx context.Context, db *sqlx.DB, set schemaSet) (int, error) {
	var v int
	err := db.GetContext(ctx, &v, `SELECT COALESCE(MAX(version), 0) FROM `+set.versions)
	return v, err
}

// migrateDB applies, in order and each in its own transaction, the
// migrations of set the database has not seen, wherever they are numbered. It refuses a database
// migrated by a newer binary. Each migration's transaction first claims
// its version, inserting its row with ON CONFLICT DO NOTHING: of two
// processes starting at once, the second waits for the first's commit,
// finds the version taken, and skips it.
func migrateDB(ctx context.Context, db *sqlx.DB, set schemaSet) error {
	ms, err := readMigrations(set.dir)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	// A database at the latest schema is told by one read: most opens
	// (every `sowhat ask`) change nothing.
	applied, err := appliedVersions(ctx, db, set)
	if err != nil {
		if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+set.versions+` (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("create %s: %w", set.versions, err)
		}
		if applied, err = appliedVersions(ctx, db, set); err != nil {
			return fmt.Errorf("read schema versions: %w", err)
		}
	}
	latest := ms[len(ms)-1].version
	for v := range applied {
		if v > latest {
			return fmt.Errorf("%w: database is at version %d, this binary knows up to %d", ErrSchemaTooNew, maxKey(applied), latest)
		}
	}
	for _, m := range ms {
		// A version below the newest applied one may still be missing: the
		// numbers of migrations written side by side need not arrive in
		// order, so each is looked for rather than the newest alone.
		if applied[m.version] {
			continue
		}
		err := transactOn(ctx, db, func(tx *sqlx.Tx) error {
			res, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO `+set.versions+` (version, name, applied_at) VALUES (?, ?, ?) ON CONFLICT (version) DO NOTHING`), m.version, m.name, nowUTC())
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err // applied by another process meanwhile
			}
			sql, err := fs.ReadFile(migrationFS, m.path)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, string(sql))
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
	}
	return nil
}

// maxKey is the largest version in a set of them.
func maxKey(vs map[int]bool) int {
	m := 0
	for v := range vs {
		m = max(m, v)
	}
	return m
}

// appliedVersions returns the versions of set the database has applied.
func appliedVersions(ctx context.Context, db *sqlx.DB, set schemaSet) (map[int]bool, error) {
	var vs []int
	if err := db.SelectContext(ctx, &vs, `SELECT version FROM `+set.versions); err != nil {
		return nil, err
	}
	out := make(map[int]bool, len(vs))
	for _, v := range vs {
		out[v] = true
	}
	return out, nil
}

// checkSchema reports whether the database's schema is the one set ends at,
// with none of the versions before it missing.
func checkSchema(ctx context.Context, db *sqlx.DB, set schemaSet) error {
	got, err := schemaVersion(ctx, db, set)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCannotRead, err)
	}
	ms, err := readMigrations(set.dir)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSchemaMismatch, err)
	}
	want := ms[len(ms)-1].version
	switch {
	case got < want:
		return fmt.Errorf("%w: database is at version %d, behind this sowhat's %d", ErrSchemaMismatch, got, want)
	case got > want:
		return fmt.Errorf("%w: database is at version %d, ahead of this sowhat's %d", ErrSchemaMismatch, got, want)
	}
	applied, err := appliedVersions(ctx, db, set)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCannotRead, err)
	}
	for _, m := range ms {
		if !applied[m.version] {
			return fmt.Errorf("%w: database lacks migration %s", ErrSchemaMismatch, m.name)
		}
	}
	return nil
}
