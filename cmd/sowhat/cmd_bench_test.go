package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBench runs sowhat bench on a small dataset: it imports every row,
// asks every question with its raw SQL beside it, has every event of the
// burst and of the steady load acknowledged and answered, and writes the Markdown it was asked
// to. (The figures themselves are a benchmark's, not a test's.)
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a dataset")
	}
	out := filepath.Join(t.TempDir(), "benchmarks.md")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"bench", "--rows", "3000", "--campaigns", "60", "--rounds", "2", "--burst", "20", "--load-rate", "20", "--load-seconds", "1", "--dir", t.TempDir(), "--out", out},
		nil, &stdout, &stderr, envOf(map[string]string{"SOWHAT_ENV_FILE": "", "SOWHAT_AS_OF": "2025-12-01", "XDG_DATA_HOME": t.TempDir()}))
	if code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, stdout.String(), stderr.String())
	}
	got := stdout.String()
	for _, want := range append([]string{"sowhat ingest into SQLite", "answers on SQLite", "20 events at once", "; 20 answered", "3000 rows, 60 campaigns", "steady load, 20 varied questions a second for 1 s (20 different, with their charts): 20 answered"}, benchQuestions...) {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "| question | p50 | p99 | raw SQL |") || strings.Count(string(md), "\n| ") < len(benchQuestions)+2 {
		t.Errorf("markdown:\n%s", md)
	}
}
