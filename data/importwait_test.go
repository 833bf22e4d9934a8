package data

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestImportsTakeTurnsWhileReadsGoOn: while one import holds its
// transaction, reads see the data as it was and the bot's state database
// takes writes; a second import waits its turn, says so once, and goes in
// after the first, where the store's busy timeout alone would fail it.
func TestImportsTakeTurnsWhileReadsGoOn(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sowhat.db")
	var waits atomic.Int32
	waited := make(chan string, 4)
	st, err := Open(ctx, path, WithImportWait(func(file string) { waits.Add(1); waited <- file }))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ingestAds(t, st, AdRow{Date: day("2026-11-01"), Platform: "meta", Campaign: "Old", Spend: 100})
	state, err := OpenState(ctx, StatePath(path))
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()

	inFirst, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		_, err := st.Ingest(ctx, Source{File: "first.csv", Kind: KindAds}, func(w *Writer) error {
			if err := w.Ad(AdRow{Date: day("2026-11-02"), Platform: "meta", Campaign: "New", Spend: 50}); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
			close(inFirst)
			<-release
			return nil
		})
		first <- err
	}()
	<-inFirst

	// Reads go on, and see the data before the import.
	r, err := st.DataRange(ctx)
	if err != nil || r.End != day("2026-11-01") {
		t.Fatalf("data range during the import = %v, %v; want it to end 2026-11-01", r, err)
	}
	// The bot's writes go to their own database.
	if got, _, err := state.AcceptEvent(ctx, "slack", "Ev1", nil); err != nil || got != EventNew {
		t.Fatalf("accept event during the import = %v, %v", got, err)
	}

	second := make(chan error, 1)
	go func() {
		_, err := st.Ingest(ctx, Source{File: "second.csv", Kind: KindAds}, func(w *Writer) error {
			return w.Ad(AdRow{Date: day("2026-11-03"), Platform: "meta", Campaign: "Newer", Spend: 25})
		})
		second <- err
	}()
	if f := <-waited; f != "second.csv" {
		t.Fatalf("told that %q waits, want second.csv", f)
	}
	select {
	case err := <-second:
		t.Fatalf("second import finished (%v) while the first held the database", err)
	default:
	}
	// Release the first: then both land, in turn.
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first import: %v", err)
	}
	select {
	case err := <-second:
		if err != nil {
			t.Fatalf("second import: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("second import never went in")
	}
	if n := waits.Load(); n != 1 {
		t.Errorf("told %d times that an import waits, want once", n)
	}
	if r, err := st.DataRange(ctx); err != nil || r.End != day("2026-11-03") {
		t.Fatalf("data range after both = %v, %v; want it to end 2026-11-03", r, err)
	}
}
