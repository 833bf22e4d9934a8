package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/data"
)

// TestIngestRecordsFailures imports a good file and a refused one: the
// refusal is counted for its kind, with its error, and nothing of it is
// in the store.
func TestIngestRecordsFailures(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	good := filepath.Join(dir, "good.csv")
	bad := filepath.Join(dir, "bad.csv")
	header := "date,platform,campaign,spend,impressions,clicks,conversions,revenue\n"
	if err := os.WriteFile(good, []byte(header+"2026-11-20,meta,Spring,100,1000,10,2,300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(header+"2026-11-21,meta,Spring,100,1000,10,2,300\n2026-11-22,meta,Spring,lots,1000,10,2,300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := envOf(map[string]string{"SOWHAT_ENV_FILE": ""})
	var stdout, stderr syncBuffer
	if code := run(context.Background(), []string{"ingest", "--db", db, good, bad}, strings.NewReader(""), &stdout, &stderr, env); code == 0 {
		t.Fatalf("a refused file: exit 0\n%s", stderr.String())
	}
	st, err := data.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	totals, err := st.ImportTotals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ads data.ImportTotal
	for _, it := range totals {
		if it.Kind == string(data.KindAds) {
			ads = it
		}
	}
	if ads.Imports != 1 || ads.Rows != 1 || ads.Failures != 1 || ads.LastFailure.IsZero() {
		t.Errorf("ads totals %+v: want 1 import of 1 row and 1 failure", ads)
	}
}
