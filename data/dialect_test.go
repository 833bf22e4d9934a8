package data

import (
	"os"
	"testing"

	"github.com/sowhat-ai/sowhat/data/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }

// forEachDialect runs f on a fresh SQLite file and a fresh PostgreSQL
// database (see pgtest.EachDialect).
var forEachDialect = pgtest.EachDialect

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

// TestStateSharesThePostgresDatabase: by default the state of a
// PostgreSQL store lives in the same database; both schemas migrate there
// side by side, each with its own history and health row, whichever opens
// first, and reopening applies nothing.
func TestStateSharesThePostgresDatabase(t *testing.T) {
	ctx := t.Context()
	for _, stateFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "store first", true: "state first"}[stateFirst], func(t *testing.T) {
			dsn := pgtest.URL(t)
			var state *State
			openState := func() {
				var err error
				if state, err = OpenState(ctx, dsn); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { state.Close() })
			}
			if stateFirst {
				openState()
			}
			st := openDSN(t, dsn)
			if got := st.StateDSN(); got != dsn {
				t.Fatalf("StateDSN = %q, want the store's own URL", got)
			}
			if !stateFirst {
				openState()
			}
			openDSN(t, dsn) // again: nothing to apply
			if err := st.Check(ctx); err != nil {
				t.Errorf("store Check: %v", err)
			}
			if err := state.Check(ctx); err != nil {
				t.Errorf("state Check: %v", err)
			}
			if ok, err := state.Claim(ctx, "digest:x"); !ok || err != nil {
				t.Errorf("Claim = %v, %v", ok, err)
			}
			for _, table := range []string{"schema_migrations", "state_schema_migrations", "health", "state_health"} {
				var n int
				if err := st.db.Get(&n, `SELECT COUNT(*) FROM `+table); err != nil || n == 0 {
					t.Errorf("%s: %d rows, %v", table, n, err)
				}
			}
		})
	}
}
