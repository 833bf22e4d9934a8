package data

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sowhat-ai/sowhat/data/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }

// forEachDialect runs f as two subtests, sqlite and postgres, each with
// the DSN of a fresh, empty database: a file in the test's temporary
// folder, or a database of its own on the test server (see pgtest).
func forEachDialect(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "sowhat.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, pgtest.URL(t)) })
}

// openDSN opens the store at dsn, closed when the test ends.
func openDSN(t *testing.T, dsn string, opts ...Option) *Store {
	t.Helper()
	st, err := Open(t.Context(), dsn, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/tmp/sowhat.db", "/tmp/sowhat.db"},
		{"postgres://u:hunter2@db:5432/sowhat", "postgres://u:xxxxx@db:5432/sowhat"},
		{"postgres://u@db/sowhat?password=hunter2&sslmode=disable", "postgres://u@db/sowhat?password=xxxxx&sslmode=disable"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
