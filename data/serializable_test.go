package data

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sowhat-ai/sowhat/data/pgtest"
)

// serializableDB returns a fresh PostgreSQL database whose transactions
// run at SERIALIZABLE, as CockroachDB's and YugabyteDB's do by default.
func serializableDB(t *testing.T) string {
	t.Helper()
	dsn := pgtest.URL(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlx.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := strings.TrimPrefix(u.Path, "/")
	if _, err := db.Exec(fmt.Sprintf(`ALTER DATABASE %q SET default_transaction_isolation TO 'serializable'`, name)); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// TestRetriesASerializationFailure: at SERIALIZABLE, a transaction whose
// row another transaction changed after it read it is refused with SQLSTATE
// 40001; transactOn runs it again from the start, and the second run sees
// the other's write and commits.
func TestRetriesASerializationFailure(t *testing.T) {
	ctx := context.Background()
	dsn := serializableDB(t)
	db := sqlx.MustOpen("pgx", dsn)
	defer db.Close()
	other := sqlx.MustOpen("pgx", dsn)
	defer other.Close()
	db.MustExec(`CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)`)
	db.MustExec(`INSERT INTO counter VALUES (1, 0)`)

	attempts := 0
	err := transactOn(ctx, db, func(tx *sqlx.Tx) error {
		attempts++
		var level string
		if err := tx.GetContext(ctx, &level, `SHOW transaction_isolation`); err != nil {
			return err
		}
		if level != "serializable" {
			t.Fatalf("transaction at %q, want serializable", level)
		}
		var v int
		if err := tx.GetContext(ctx, &v, `SELECT v FROM counter WHERE id = 1`); err != nil {
			return err
		}
		if attempts == 1 {
			if _, err := other.ExecContext(ctx, `UPDATE counter SET v = v + 10 WHERE id = 1`); err != nil {
				t.Fatal(err)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE counter SET v = $1 WHERE id = 1`, v+1)
		return err
	})
	if err != nil {
		t.Fatalf("transactOn: %v", err)
	}
	if attempts != 2 {
		t.Fatalf("ran %d times, want 2 (the first refused with 40001)", attempts)
	}
	var v int
	db.Get(&v, `SELECT v FROM counter WHERE id = 1`)
	if v != 11 {
		t.Fatalf("v = %d, want 11: the retry lost the other transaction's write", v)
	}
}

// TestClaimsAtSerializable: three replicas' state on one SERIALIZABLE
// database race for the same events, claims and incidents; each is taken
// by exactly one of them, and none sees an error.
func TestClaimsAtSerializable(t *testing.T) {
	ctx := context.Background()
	dsn := serializableDB(t)
	var states []*State
	for _, owner := range []string{"a", "b", "c"} {
		s, err := OpenState(ctx, dsn, WithOwner(owner))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		states = append(states, s)
	}
	const n = 40
	var mu sync.Mutex
	events, claims, incidents := map[string]int{}, map[string]int{}, map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, s := range states {
		for g := range 4 {
			wg.Go(func() {
				<-start
				for i := range n {
					k := (i + g*7) % n
					id := fmt.Sprintf("Ev%03d", k)
					a, _, err := s.AcceptEvent(ctx, "slack", id, []byte(`{}`))
					if err != nil {
						t.Errorf("%s accept %s: %v", s.Owner(), id, err)
						return
					}
					won, err := s.Claim(ctx, "digest:cfo:"+id)
					if err != nil {
						t.Errorf("%s claim %s: %v", s.Owner(), id, err)
						return
					}
					opened, err := s.OpenIncident(ctx, "overspend", id, "over plan", time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
					if err != nil {
						t.Errorf("%s open incident %s: %v", s.Owner(), id, err)
						return
					}
					mu.Lock()
					if a == EventNew {
						events[id]++
					}
					if won {
						claims[id]++
					}
					if opened {
						incidents[id]++
					}
					mu.Unlock()
				}
			})
		}
	}
	close(start)
	wg.Wait()
	for i := range n {
		id := fmt.Sprintf("Ev%03d", i)
		if events[id] != 1 || claims[id] != 1 || incidents[id] != 1 {
			t.Errorf("%s: accepted as new %d times, claimed %d, incident opened %d; want once each", id, events[id], claims[id], incidents[id])
		}
	}
}
