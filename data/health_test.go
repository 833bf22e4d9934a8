package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/sowhat-ai/sowhat/data/pgtest"
)

// TestCheck: the readiness check passes on a healthy store, without the
// health table growing, and names what fails otherwise.
func TestCheck(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		breaks func(t *testing.T, st *Store, path string)
		want   error
	}{
		{"ok", func(*testing.T, *Store, string) {}, nil},
		{"closed", func(_ *testing.T, st *Store, _ string) { st.db.Close() }, ErrCannotRead},
		{"read-only connection", func(t *testing.T, st *Store, path string) {
			ro, err := sqlx.Open("sqlite3", "file:"+path+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			st.db.Close()
			st.db = ro
		}, ErrCannotWrite},
		{"schema behind", func(t *testing.T, st *Store, _ string) {
			if _, err := st.db.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
				t.Fatal(err)
			}
		}, ErrSchemaMismatch},
		{"schema ahead", func(t *testing.T, st *Store, _ string) {
			if _, err := st.db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')`); err != nil {
				t.Fatal(err)
			}
		}, ErrSchemaMismatch},
	}
	forEachDialect(t, func(t *testing.T, dsn string) {
		for _, tt := range tests {
			if tt.name == "read-only connection" && IsPostgresURL(dsn) {
				continue // a SQLite file opened read-only
			}
			t.Run(tt.name, func(t *testing.T) {
				if IsPostgresURL(dsn) {
					dsn = pgtest.URL(t)
				} else {
					dsn = filepath.Join(t.TempDir(), "sowhat.db")
				}
				st := openDSN(t, dsn)
				tt.breaks(t, st, dsn)
				if err := st.Check(ctx); !errors.Is(err, tt.want) || (tt.want != nil && err == nil) {
					t.Fatalf("Check = %v, want %v", err, tt.want)
				}
			})
		}
	})
}

func TestCheckDoesNotGrow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := openDSN(t, dsn)
		for range 5 {
			if err := st.Check(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := st.db.Get(&n, `SELECT COUNT(*) FROM health`); err != nil || n != 1 {
			t.Fatalf("health rows = %d, %v; want 1", n, err)
		}
	})
}
