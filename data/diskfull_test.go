package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// dumpTables renders every row of the tables an import writes, in order.
func dumpTables(t *testing.T, st *Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT * FROM campaigns ORDER BY id`,
		`SELECT * FROM platforms ORDER BY id`,
		`SELECT * FROM ad_facts ORDER BY day, campaign_id`,
		`SELECT * FROM ad_platform_daily ORDER BY day, platform_id`,
		`SELECT * FROM imports ORDER BY id`,
	} {
		rows, err := st.db.Queryx(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintln(&b, q)
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		rows.Close()
	}
	return b.String()
}

// capPages makes an import's connection see a database that can grow by
// only a few pages (PRAGMA max_page_count, per connection): SQLITE_FULL, as
// on a full disk. room lifts the cap again on the next import.
func capPages(st *Store, room bool) {
	st.onImportConn = func(ctx context.Context, conn *sqlx.Conn) error {
		var pages int
		if err := conn.GetContext(ctx, &pages, `PRAGMA page_count`); err != nil {
			return err
		}
		max := pages + 2
		if room {
			max = 1 << 30
		}
		_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, max))
		return err
	}
}

// seedDemo imports 20 campaigns of category shoes.
func seedDemo(t *testing.T, st *Store) {
	t.Helper()
	var seed []AdRow
	for i := 0; i < 20; i++ {
		seed = append(seed, AdRow{Date: day("2026-10-01"), Platform: "meta", Campaign: fmt.Sprintf("demo %d", i), Category: "shoes", Spend: 10, Revenue: 30})
	}
	ingestAds(t, st, seed...)
}

// restating is an import that restates the 20 demo campaigns' category,
// adds 10 campaigns and a new platform, over 200 days: 6,200 rows.
func restating() []AdRow {
	var rows []AdRow
	for d := 0; d < 200; d++ {
		for i := 0; i < 30; i++ {
			rows = append(rows, AdRow{Date: day("2026-01-01").AddDate(0, 0, d), Platform: "meta", Campaign: fmt.Sprintf("demo %d", i), Category: "hats", Region: "EU", Spend: float64(d + i), Revenue: 2})
		}
		rows = append(rows, AdRow{Date: day("2026-01-01").AddDate(0, 0, d), Platform: "tiktok", Campaign: "spark", Category: "hats", Spend: 1})
	}
	return rows
}

// checkRoomAgain imports restating into a database with room and checks it
// went in whole.
func checkRoomAgain(t *testing.T, st *Store) {
	t.Helper()
	capPages(st, true)
	stats := ingestAds(t, st, restating()...)
	if stats.Rows != 6200 {
		t.Fatalf("import with room: %d rows, want 6200", stats.Rows)
	}
	var n int
	if err := st.db.Get(&n, `SELECT COUNT(*) FROM campaigns WHERE category = 'hats'`); err != nil || n != 31 {
		t.Fatalf("campaigns of the import: %d (%v), want 31", n, err)
	}
}

// refused seeds a store with the demo campaigns, runs one import through
// fn (into a database with no room left when full), hands its error to
// check, and then asserts that every table is as it was and that the same
// import goes in whole once there is room.
func refused(t *testing.T, full bool, fn func(w *Writer) error, check func(err error)) {
	t.Helper()
	st, _ := newStore(t)
	seedDemo(t, st)
	before := dumpTables(t, st)
	if full {
		capPages(st, false)
	}
	_, err := st.Ingest(context.Background(), Source{File: "refused.csv", Kind: KindAds}, fn)
	check(err)
	if after := dumpTables(t, st); after != before {
		t.Fatalf("a refused import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	checkRoomAgain(t, st)
}

// TestIngestOnFullDiskWritesNothing fills the database in the middle of an
// import that restates known campaigns and adds new ones: the import is
// refused, every table is as it was, and with room the import goes in.
func TestIngestOnFullDiskWritesNothing(t *testing.T) {
	refused(t, true, func(w *Writer) error {
		for _, r := range restating() {
			if err := w.Ad(r); err != nil {
				return err
			}
		}
		return nil
	}, func(err error) {
		if err == nil || !strings.Contains(err.Error(), "database or disk is full") {
			t.Fatalf("import into a full database: err = %v, want database or disk is full", err)
		}
	})
}

// TestIngestWriterErrorIsSticky: a caller that carries on past a write error
// (here SQLITE_FULL) writes nothing more, and the import is refused even
// when the caller reports success.
func TestIngestWriterErrorIsSticky(t *testing.T) {
	var first error
	refused(t, true, func(w *Writer) error {
		for _, r := range restating() {
			if err := w.Ad(r); err != nil && first == nil {
				first = err
			}
		}
		if err := w.Flush(); err != first {
			t.Errorf("Flush after the error: %v, want the first error %v", err, first)
		}
		return nil // carries on as if all went well
	}, func(err error) {
		if first == nil || err == nil || !strings.Contains(err.Error(), first.Error()) {
			t.Fatalf("import that ignored %v: err = %v, want it refused with that error", first, err)
		}
	})
}

// TestIngestStopsWhenTheTransactionIsGone: SQLite rolls a transaction back by
// itself on some errors (a full disk while spilling, an I/O error); no
// statement of the import may then run, as it would commit on its own.
func TestIngestStopsWhenTheTransactionIsGone(t *testing.T) {
	refused(t, false, func(w *Writer) error {
		if _, err := w.tx.ExecContext(w.ctx, `ROLLBACK`); err != nil { // as SQLite does
			t.Fatalf("ROLLBACK: %v", err)
		}
		for _, r := range restating() {
			w.Ad(r) // a caller that does not look
		}
		return nil
	}, func(err error) {
		if !errors.Is(err, errTxGone) {
			t.Fatalf("import whose transaction was rolled back: err = %v, want %v", err, errTxGone)
		}
	})
}
