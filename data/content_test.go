package data

import (
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"
)

// importCount is how many imports the store has recorded.
func importCount(t *testing.T, st *Store) int {
	t.Helper()
	var n int
	if err := st.Transact(t.Context(), func(tx *sqlx.Tx) error { return tx.Get(&n, `SELECT COUNT(*) FROM imports`) }); err != nil {
		t.Fatalf("count imports: %v", err)
	}
	return n
}

func TestContentHashImportsOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		st := openDSN(t, dsn)
		const h = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
		row := AdRow{Date: day("2026-11-02"), Platform: "meta", Campaign: "Holiday", Spend: 100, Impressions: 1000, Clicks: 10}
		write := func(w *Writer) error { return w.Ad(row) }
		if ok, err := st.Imported(ctx, h); err != nil || ok {
			t.Fatalf("Imported before any import = %v, %v; want false", ok, err)
		}
		if _, err := st.Ingest(ctx, Source{File: "a.csv", Kind: KindAds, Hash: h}, write); err != nil {
			t.Fatalf("first import: %v", err)
		}
		if ok, err := st.Imported(ctx, h); err != nil || !ok {
			t.Fatalf("Imported after the import = %v, %v; want true", ok, err)
		}
		called := false
		_, err := st.Ingest(ctx, Source{File: "copy.csv", Kind: KindAds, Hash: h}, func(w *Writer) error { called = true; return write(w) })
		if !errors.Is(err, ErrAlreadyImported) {
			t.Fatalf("second import of the same hash: %v; want ErrAlreadyImported", err)
		}
		if called || importCount(t, st) != 1 {
			t.Errorf("the refused import read rows (%v) or was recorded (%d imports)", called, importCount(t, st))
		}
		// Imports without a hash (sowhat ingest) are never refused as repeats.
		for i := 0; i < 2; i++ {
			if _, err := st.Ingest(ctx, Source{File: "b.csv", Kind: KindAds}, write); err != nil {
				t.Fatalf("import without a hash #%d: %v", i+1, err)
			}
		}
		if n := importCount(t, st); n != 3 {
			t.Errorf("%d imports recorded, want 3", n)
		}
	})
}

func TestNoteRefusedFirstOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		r := Refusal{Hash: "ab12", Source: "drop", File: "/in/bad.csv", Error: "ingest /in/bad.csv line 3: bad value"}
		for i, want := range []bool{true, false, false} {
			if i == 2 {
				r.File = "/in/copy-of-bad.csv"
			}
			first, err := st.NoteRefused(t.Context(), r)
			if err != nil || first != want {
				t.Errorf("NoteRefused #%d = %v, %v; want %v", i+1, first, err, want)
			}
		}
		other := r
		other.Hash = "cd34"
		if first, err := st.NoteRefused(t.Context(), other); err != nil || !first {
			t.Errorf("NoteRefused of another content = %v, %v; want true", first, err)
		}
	})
}

func TestMigrationInGapApplied(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		ms, err := readMigrations(st.schema.dir)
		if err != nil {
			t.Fatal(err)
		}
		var applied []int
		if err := st.db.Select(&applied, `SELECT version FROM `+st.schema.versions+` ORDER BY version`); err != nil {
			t.Fatal(err)
		}
		if len(applied) != len(ms) {
			t.Fatalf("applied versions %v; want every one of the %d migrations", applied, len(ms))
		}
		// A database that missed 0005, written after a later migration it
		// has: the next open applies 0005.
		if _, err := st.db.Exec(`DROP TABLE generation_cache`); err != nil {
			t.Fatal(err)
		}
		if _, err := st.db.Exec(`DELETE FROM ` + st.schema.versions + ` WHERE version = 5`); err != nil {
			t.Fatal(err)
		}
		st.Close()
		st = openDSN(t, dsn)
		var n int
		if err := st.db.Get(&n, `SELECT COUNT(*) FROM generation_cache`); err != nil {
			t.Errorf("migration 0005 not applied in the gap: %v", err)
		}
	})
}
