package intents

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

var update = flag.Bool("update", false, "rewrite the golden answers in testdata")

// incrementalityGolden are the incrementality questions, one of each kind,
// asked of the demo data; their answers, as text and JSON, are golden.
var incrementalityGolden = []struct{ name, q string }{
	{"incremental_roas", "what's Meta's incremental ROAS?"},
	{"really_driving", "is Google really driving sales?"},
	{"how_much_incremental", "how much of Criteo's reported revenue is incremental?"},
	{"never_tested", "which channels have we never tested?"},
	{"not_significant", "is tiktok really driving sales?"},
	{"stale", "the trade desk incremental roas"},
	{"untested_platform", "how incremental is amazon?"},
}

func TestIncrementalityGolden(t *testing.T) {
	e, _ := demoDB(t)
	for _, g := range incrementalityGolden {
		t.Run(g.name, func(t *testing.T) {
			a := ask(t, e, g.q)
			for i := range a.Freshness {
				a.Freshness[i].ImportedAt = time.Time{} // when the test built the demo
			}
			js, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got := wording.Text(a) + "\n---\n" + string(js) + "\n"
			path := filepath.Join("testdata", "incrementality", g.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./intents -run TestIncrementalityGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestIncrementalityMatchesIndependentSQL: the calibrated ROAS and the
// incremental revenue are the reported figures over the answer's days
// times the test's iROAS over the ROAS reported over the test's days, all
// worked out here in SQL from the demo database.
func TestIncrementalityMatchesIndependentSQL(t *testing.T) {
	e, db := demoDB(t)
	a := ask(t, e, "what's Meta's incremental ROAS?")
	start, end := a.Period.Start.Format("2006-01-02"), a.Period.End.Format("2006-01-02")
	var test, from, to string
	var iroas float64
	if err := db.QueryRow(`SELECT test, start_date, end_date, iroas FROM experiments WHERE platform = 'meta' AND campaign = '' AND outcome = 'revenue' ORDER BY end_date DESC LIMIT 1`).Scan(&test, &from, &to, &iroas); err != nil {
		t.Fatal(err)
	}
	window := one(t, db, `SELECT SUM(revenue)/SUM(spend) FROM ad_daily WHERE platform = 'meta' AND date BETWEEN ? AND ?`, from, to)
	roas := one(t, db, `SELECT SUM(revenue)/SUM(spend) FROM ad_daily WHERE platform = 'meta' AND date BETWEEN ? AND ?`, start, end)
	revenue := one(t, db, `SELECT SUM(revenue) FROM ad_daily WHERE platform = 'meta' AND date BETWEEN ? AND ?`, start, end)
	approx(t, "iroas", a.Rows[0].Values[model.IROAS], iroas)
	approx(t, "roas", a.Total.Values[model.ROAS], roas)
	approx(t, "calibrated roas", a.Total.Values[model.CalibratedROAS], roas*iroas/window)
	approx(t, "incremental revenue", a.Total.Values[model.IncrementalRevenue], revenue*iroas/window)
	if !strings.Contains(a.Summary, test) || a.Rows[0].Key["test"] != test {
		t.Errorf("the answer does not rest on %q: %s", test, a.Summary)
	}

	all := ask(t, e, "which channels have we never tested?")
	var untested []string
	for _, r := range all.Rows {
		if r.Key["status"] == "never tested" {
			untested = append(untested, r.Key["platform"])
		}
	}
	if diff := cmp.Diff(demo.UntestedPlatforms, untested); diff != "" {
		t.Errorf("untested platforms (-want +got):\n%s", diff)
	}
	if !strings.Contains(all.SoWhat, "Stale") || !strings.Contains(all.SoWhat, demo.StaleTest) {
		t.Errorf("the stale test is not flagged: %s", all.SoWhat)
	}
}
