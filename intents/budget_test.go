package intents

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// TestBudgetGolden: the budget answers on the demo data, as text and JSON
// (without the import times, which change with each run).
func TestBudgetGolden(t *testing.T) {
	eng, _ := demoDB(t)
	for _, tt := range []struct{ name, q string }{
		{"move", "where should we move $50K next month?"},
		{"add", "where should the next $50K go?"},
		{"cut", "what if we cut TTD by 20%?"},
		{"beyond", "what if we double TTD next month?"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := eng.Ask(context.Background(), tt.q, asOf, "")
			if err != nil {
				t.Fatal(err)
			}
			a.Freshness = nil
			js, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".golden", []byte(wording.Text(a)+"\n---\n"+string(js)+"\n"))
		})
	}
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "budget", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./intents -run TestBudgetGolden -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file (run go test ./intents -run TestBudgetGolden -update after checking); got:\n%s", name, got)
	}
}

// The planted platforms, 70 weeks to Sunday Nov 15, 2026.
var (
	plantedSaturated   = datatest.Curve{Platform: "the_trade_desk", Mean: 20000, Half: 4000, Shape: 2, Beta: 90000, Noise: 0.03}
	plantedUnsaturated = datatest.Curve{Platform: "google_ads", Mean: 30000, Half: 150000, Shape: 1, Beta: 800000, Noise: 0.03}
	plantedOverstated  = datatest.Curve{Platform: "meta", Mean: 25000, Half: 40000, Shape: 1, Beta: 150000, Report: 3, Noise: 0.03}
	plantedNoisy       = datatest.Curve{Platform: "tiktok", Mean: 10000, Half: 20000, Shape: 1, Beta: 60000, Noise: 0.7}
)

func plantCurves(t *testing.T, st *datatest.Store, cs ...datatest.Curve) {
	t.Helper()
	st.Curves(70, "2026-11-15", cs...)
}

var sqlTrue, sqlFalse = sql.NullBool{Bool: true, Valid: true}, sql.NullBool{Valid: true}

func budgetStory(t *testing.T, q string, exps ...data.Experiment) model.Answer {
	t.Helper()
	st := datatest.New(t)
	plantCurves(t, st, plantedSaturated, plantedUnsaturated, plantedOverstated, plantedNoisy)
	st.Experiment(exps...)
	return story(t, st, q, "2026-11-22", "cfo")
}

func moves(a model.Answer) map[string]float64 {
	out := map[string]float64{}
	for _, r := range a.Rows {
		if v := r.Values[model.Move]; v != nil {
			out[r.Key[model.DimPlatform]] = *v
		}
	}
	return out
}

// TestJudgementBudgetMovesFromSaturatedToUnsaturated: The Trade Desk is
// saturated (the next dollar returns under $1), Google unsaturated; TikTok
// too noisy to fit. The plan takes money from The Trade Desk to Google,
// leaves TikTok out with the reason, keeps every move within ±30% and sums
// to zero, and states the caveats.
func TestJudgementBudgetMovesFromSaturatedToUnsaturated(t *testing.T) {
	a := budgetStory(t, "where should we move $50K next month?")
	judge(t, a, []string{"from The Trade Desk", "to Google Ads", "Left out of the moves: TikTok", "simulation of the past, not a forecast",
		"No platform is moved outside the weekly spend it has actually had", "Attribution is not incrementality"},
		[]string{"TikTok (+", "TikTok (-", "forecast shows", "guarantee"})
	ms := moves(a)
	if ms["the_trade_desk"] >= 0 || ms["google_ads"] <= 0 {
		t.Errorf("moves %v: want money from The Trade Desk to Google Ads", ms)
	}
	if _, ok := ms["tiktok"]; ok {
		t.Errorf("TikTok, badly fitted, has a move: %v", ms)
	}
	sum := 0.0
	for _, r := range a.Rows {
		m, s := *r.Values[model.Move], *r.Values[model.Spend]
		sum += m
		if math.Abs(m) > 0.3*s+0.01 {
			t.Errorf("%s moved %.0f of %.0f: past ±30%%", r.Key[model.DimPlatform], m, s)
		}
		if lo, hi := r.Values[model.ExpectedChangeLow], r.Values[model.ExpectedChangeHigh]; lo == nil || hi == nil || *lo > *hi {
			t.Errorf("%s expected change %v..%v", r.Key[model.DimPlatform], lo, hi)
		}
	}
	if math.Abs(sum) > 0.01 {
		t.Errorf("moves sum to %.2f, want 0", sum)
	}
	if a.Intent != string(question.IntentBudget) || a.Total.Values[model.ExpectedChangeLow] == nil || *a.Total.Values[model.ExpectedChangeLow] <= 0 {
		t.Errorf("intent %s, total %v", a.Intent, a.Total.Values)
	}
}

// TestJudgementBudgetNeverPastTheCaps: asked to move far more than the
// caps allow, the plan moves what they allow and says so.
func TestJudgementBudgetNeverPastTheCaps(t *testing.T) {
	a := budgetStory(t, "where should we move $5M next month?")
	judge(t, a, []string{"can move within the limits", "reached a limit"}, []string{"Move $5,000,000"})
	for _, r := range a.Rows {
		m, s := *r.Values[model.Move], *r.Values[model.Spend]
		if math.Abs(m) > 0.3*s+0.01 {
			t.Errorf("%s moved %.0f of %.0f: past ±30%%", r.Key[model.DimPlatform], m, s)
		}
	}
}

// TestJudgementBudgetAnchoredToTheExperiment: Meta reports three times
// what a significant geo holdout measured; anchored, its marginal ROAS is
// the experiment's, the answer names the test, and the attribution caveat
// no longer names Meta. A test that was not significant anchors nothing.
func TestJudgementBudgetAnchoredToTheExperiment(t *testing.T) {
	holdout := data.Experiment{Test: "Meta Q3 geo holdout", Platform: "meta", Start: datatest.Day(t, "2026-08-03"), End: datatest.Day(t, "2026-08-30"),
		Outcome: "revenue", TestSpend: 100000, IncrementalOutcome: 0, LiftPct: 0.1, IROAS: 0, Significant: sqlTrue, Method: "geo holdout"}
	// The true incremental ROAS at Meta's spend in the window is about
	// beta/(half+x) with x near its mean: measured as the test would.
	ir := plantedOverstated.Response(plantedOverstated.Mean) / plantedOverstated.Mean
	holdout.IROAS, holdout.CILow, holdout.CIHigh, holdout.IncrementalOutcome = ir, ir*0.8, ir*1.2, ir*100000
	a := budgetStory(t, "where should we move $50K next month?", holdout)
	judge(t, a, []string{"Anchored to experiments: Meta to Meta Q3 geo holdout"}, []string{"the curves of Google Ads, Meta"})
	unanchored := budgetStory(t, "where should we move $50K next month?")
	var got, raw float64
	for _, r := range a.Rows {
		if r.Key[model.DimPlatform] == "meta" {
			got = *r.Values[model.MROAS]
		}
	}
	for _, r := range unanchored.Rows {
		if r.Key[model.DimPlatform] == "meta" {
			raw = *r.Values[model.MROAS]
		}
	}
	if r := raw / got; r < 2.3 || r > 3.8 {
		t.Errorf("Meta's marginal ROAS %.2f anchored vs %.2f as reported: want about a third", got, raw)
	}
	holdout.Significant = sqlFalse
	a = budgetStory(t, "where should we move $50K next month?", holdout)
	judge(t, a, []string{"Attribution is not incrementality"}, []string{"Anchored to experiments"})
}

// plantedTest is a significant geo holdout of c's platform that measured
// its true incremental ROAS near its mean spend.
func plantedTest(t *testing.T, c datatest.Curve, name string) data.Experiment {
	t.Helper()
	ir := c.Response(c.Mean) / c.Mean
	return data.Experiment{Test: name, Platform: c.Platform, Start: datatest.Day(t, "2026-08-03"), End: datatest.Day(t, "2026-08-30"),
		Outcome: "revenue", TestSpend: 100000, IncrementalOutcome: ir * 100000, LiftPct: 0.1, IROAS: ir, CILow: ir * 0.8, CIHigh: ir * 1.2,
		Significant: sqlTrue, Method: "geo holdout"}
}

// TestJudgementBudgetNeverTradesMeasuredForReported: The Trade Desk and
// Google are tested; Meta, untested, reports three times what it adds, so
// its next dollar looks the best of all. A plan never moves the tested
// platforms' money to Meta, nor gives it new money: it keeps Meta's spend,
// says why, and the next step is to test Meta.
func TestJudgementBudgetNeverTradesMeasuredForReported(t *testing.T) {
	ttd, google := plantedTest(t, plantedSaturated, "TTD geo holdout"), plantedTest(t, plantedUnsaturated, "Google geo holdout")
	for _, q := range []string{"where should we move $50K next month?", "where should the next $50K go?"} {
		a := budgetStory(t, q, ttd, google)
		judge(t, a, []string{"Kept at their spend", "Meta", "rests on what it reports", "geo holdout on Meta"},
			[]string{"to Meta", "into Meta", "Meta (+", "Meta (-"})
		ms := moves(a)
		if ms["meta"] != 0 {
			t.Errorf("%q: Meta moved %+.0f; want its spend kept", q, ms["meta"])
		}
		if ms["google_ads"] <= 0 {
			t.Errorf("%q: moves %v; want money into Google, the tested platform whose next dollar returns most", q, ms)
		}
	}
}

// TestJudgementBudgetHeldTestsTheUntested: Google's curve is anchored to
// a test and Meta's rests on what it reports, so no money moves between
// them; the platform to test next is Meta, never Google, which is tested
// already.
func TestJudgementBudgetHeldTestsTheUntested(t *testing.T) {
	google := plantedTest(t, plantedUnsaturated, "Google geo holdout")
	for _, q := range []string{"should we move budget from google to meta?", "should we move budget from meta to google?"} {
		a := budgetStory(t, q, google)
		judge(t, a, []string{"run a geo holdout on Meta"}, []string{"geo holdout on Google Ads"})
	}
}

// TestJudgementBudgetWhatIf: a 20% cut of the saturated platform loses
// less revenue than it saves; a doubling is beyond any week it had, and the
// answer says the curve cannot tell; the noisy platform is not answered.
func TestJudgementBudgetWhatIf(t *testing.T) {
	a := budgetStory(t, "what if we cut TTD by 20%?")
	judge(t, a, []string{"Cutting The Trade Desk by 20%", "the cut pays", "simulation of the past"}, []string{"never spent"})
	if ms := moves(a); len(ms) != 1 || ms["the_trade_desk"] >= 0 {
		t.Errorf("moves %v: want The Trade Desk's cut only", ms)
	}
	a = budgetStory(t, "what if we double TTD?")
	judge(t, a, []string{"has never spent that much in a week", "cannot say"}, []string{"is expected to change"})
	a = budgetStory(t, "what if we increase tiktok by 10%?")
	judge(t, a, []string{"not reliable enough", "misses held-out weeks"}, []string{"is expected to change"})
}

// TestBudgetCurvesCachedPerGeneration: the curves are fitted once per
// import; a new import fits them again.
func TestBudgetCurvesCachedPerGeneration(t *testing.T) {
	st := datatest.New(t)
	plantCurves(t, st, plantedSaturated, plantedUnsaturated)
	eng := New(st.Import())
	ctx := context.Background()
	f1, err := eng.Curves(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f2, _ := eng.Curves(ctx)
	if f1 != f2 {
		t.Error("curves fitted twice on one generation")
	}
	plantCurves(t, st, plantedNoisy)
	st.Import()
	f3, _ := eng.Curves(ctx)
	if f3 == f1 || len(f3.Curves) != 3 {
		t.Errorf("after an import: same fit %v, %d curves", f3 == f1, len(f3.Curves))
	}
}

// TestBacktestOnPlantedCurves: fitted before the last eight weeks, the
// curves predict them within 10% on 3% noise; the noisy platform is
// scored, with its error large.
func TestBacktestOnPlantedCurves(t *testing.T) {
	st := datatest.New(t)
	plantCurves(t, st, plantedSaturated, plantedUnsaturated, plantedNoisy)
	eng := New(st.Import())
	scores, err := eng.Backtest(context.Background(), 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 3 {
		t.Fatalf("%d scores", len(scores))
	}
	for _, s := range scores {
		t.Logf("%s: error %.1f%% over %d weeks", s.Platform, s.Error*100, s.Weeks)
		if s.Weeks != 8 {
			t.Errorf("%s scored %d weeks", s.Platform, s.Weeks)
		}
		switch s.Platform {
		case "tiktok":
			if s.Error < 0.2 {
				t.Errorf("noisy platform error %.2f, implausibly small", s.Error)
			}
		default:
			if s.Error > 0.10 {
				t.Errorf("%s error %.3f, want at most 10%%", s.Platform, s.Error)
			}
		}
	}
	if !strings.Contains(scores[0].Platform, "google") {
		t.Errorf("first platform %s, want answers' order (Google Ads first)", scores[0].Platform)
	}
}

// TestBudgetAnswersConcurrently: questions asked at once share one fit of
// the curves and get the same answer (run with -race).
func TestBudgetAnswersConcurrently(t *testing.T) {
	st := datatest.New(t)
	plantCurves(t, st, plantedSaturated, plantedUnsaturated)
	eng := New(st.Import())
	asOf := datatest.Day(t, "2026-11-22")
	answers := make([]model.Answer, 6)
	errs := make([]error, len(answers))
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := "where should we move $50K next month?"
			if i%2 == 1 {
				q = "what if we cut TTD by 10%?"
			}
			answers[i], _, errs[i] = eng.Ask(context.Background(), q, asOf, "")
		}()
	}
	wg.Wait()
	for i, a := range answers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if a.Summary != answers[i%2].Summary {
			t.Errorf("answer %d differs: %q vs %q", i, a.Summary, answers[i%2].Summary)
		}
	}
}
