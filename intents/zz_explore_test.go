package intents

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZExplore(t *testing.T) {
	path := os.Getenv("EXPLORE")
	if path == "" {
		t.Skip()
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		aud, q, _ := strings.Cut(line, "|")
		r := Parse(q, asOfDate(t, ""), testVocab)
		cmpS := spanText(r.Compare)
		fmt.Printf("%3d [%s] %s\n    => %s m=%v p=%s(%s) c=%s f=%v g=%v lim=%d asc=%v\n", n, aud, q, r.Intent, r.Metrics, spanText(&r.Period), r.Period.Label, cmpS, r.Filters, r.GroupBy, r.Limit, r.Ascending)
		if r.Clarify != "" {
			fmt.Printf("    CLARIFY: %s\n", r.Clarify)
		}
		if len(r.Notes) > 0 {
			fmt.Printf("    notes: %q\n", r.Notes)
		}
	}
}
