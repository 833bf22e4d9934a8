package data

import (
	"context"
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ingestEvidence(t *testing.T, st *Store, tests []Experiment, mmm []MMMResult) {
	t.Helper()
	_, err := st.Ingest(context.Background(), Source{File: "evidence.csv", Kind: KindExperiments}, func(w *Writer) error {
		for _, r := range tests {
			if err := w.Experiment(r); err != nil {
				return err
			}
		}
		for _, r := range mmm {
			if err := w.MMM(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
}

// TestExperimentsAndMMMRoundTrip: what is written is read back the same on
// both databases, tests newest first; a test restated in a later import
// replaces it, and a re-imported MMM result replaces its whole curve.
func TestExperimentsAndMMMRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := openDSN(t, dsn)
		old := Experiment{Test: "Meta geo holdout Q1", Platform: "meta", Start: day("2026-02-02"), End: day("2026-03-01"), Outcome: OutcomeRevenue,
			TestSpend: 120000, IncrementalOutcome: 180000, LiftPct: 0.061, IROAS: 1.5, CILow: 0.9, CIHigh: 2.1, Method: "geo_holdout"}
		newer := Experiment{Test: "Google search lift", Platform: "google_ads", Start: day("2026-09-01"), End: day("2026-09-28"), Outcome: OutcomeConversions,
			TestSpend: 50000, IncrementalOutcome: 400, LiftPct: 0.02, IROAS: 0.008, CILow: -0.001, CIHigh: 0.017,
			Campaign: "Brand search", CampaignType: "search", PValue: sql.NullFloat64{Float64: 0.21, Valid: true},
			Significant: sql.NullBool{Bool: false, Valid: true}, Method: "conversion_lift"}
		res := MMMResult{Model: "Meridian 2026-H1", Channel: "meta", Start: day("2026-01-01"), End: day("2026-06-30"), ROI: 2.4, MROI: 1.1, Contribution: 2.4e6,
			Curve: []CurvePoint{{Spend: 500000, Outcome: 1.5e6}, {Spend: 1000000, Outcome: 2.4e6}}}
		tv := MMMResult{Model: "Meridian 2026-H1", Channel: "tv", Start: day("2026-01-01"), End: day("2026-06-30"), ROI: 0.8, MROI: 0.3, Contribution: 8e5}
		ingestEvidence(t, st, []Experiment{old, newer}, []MMMResult{res, tv})

		got, err := st.Experiments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Experiment{newer, old}, got); diff != "" {
			t.Errorf("Experiments (-want +got):\n%s", diff)
		}
		mmm, err := st.MMMResults(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]MMMResult{res, tv}, mmm); diff != "" {
			t.Errorf("MMMResults (-want +got):\n%s", diff)
		}

		// A later import restates the Q1 test and re-runs the model with
		// a curve given a point at a time, as the CSV's rows give it.
		old.IROAS, old.CILow, old.CIHigh = 1.4, 1.0, 1.8
		old.Significant = sql.NullBool{Bool: true, Valid: true}
		p1, p2 := res, res
		p1.ROI, p2.ROI = 2.2, 2.2
		p1.Curve, p2.Curve = []CurvePoint{{Spend: 250000, Outcome: 900000}}, []CurvePoint{{Spend: 750000, Outcome: 1.9e6}}
		ingestEvidence(t, st, []Experiment{old}, []MMMResult{p1, p2})
		got, err = st.Experiments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Experiment{newer, old}, got); diff != "" {
			t.Errorf("Experiments after the restatement (-want +got):\n%s", diff)
		}
		mmm, err = st.MMMResults(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := p1
		want.Curve = []CurvePoint{{Spend: 250000, Outcome: 900000}, {Spend: 750000, Outcome: 1.9e6}}
		if diff := cmp.Diff([]MMMResult{want, tv}, mmm); diff != "" {
			t.Errorf("MMMResults after the re-run (-want +got):\n%s", diff)
		}
	})
}

// TestMigrationsFillAGap: a database that has a later migration but not an
// earlier one (migrations numbered side by side arrive out of order) gets
// the earlier one applied, and is not taken for up to date before.
func TestMigrationsFillAGap(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := openDSN(t, dsn)
		if err := st.Check(ctx); err != nil {
			t.Fatalf("Check on a fresh store: %v", err)
		}
		// Take out version 5 (the generation cache) as if it had never
		// been applied.
		if _, err := st.db.Exec(`DROP TABLE generation_cache`); err != nil {
			t.Fatal(err)
		}
		if _, err := st.db.Exec(`DELETE FROM schema_migrations WHERE version = 5`); err != nil {
			t.Fatal(err)
		}
		if err := checkSchema(ctx, st.db, st.schema); err == nil {
			t.Fatal("checkSchema passed a database without migration 5")
		}
		st.Close()
		st2 := openDSN(t, dsn)
		if err := checkSchema(ctx, st2.db, st2.schema); err != nil {
			t.Fatalf("after reopening: %v", err)
		}
		var n int
		if err := st2.db.Get(&n, `SELECT COUNT(*) FROM generation_cache`); err != nil {
			t.Fatalf("generation_cache not recreated: %v", err)
		}
	})
}

func TestExperimentVerdicts(t *testing.T) {
	p := func(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
	sig := func(v bool) sql.NullBool { return sql.NullBool{Bool: v, Valid: true} }
	for _, tc := range []struct {
		name string
		e    Experiment
		want bool
	}{
		{"the file's verdict over the p-value", Experiment{Significant: sig(false), PValue: p(0.01), CILow: 0.5}, false},
		{"the file's verdict over the interval", Experiment{Significant: sig(true), CILow: -0.2}, true},
		{"a p-value below 0.05", Experiment{PValue: p(0.049), CILow: -0.1}, true},
		{"a p-value of 0.05", Experiment{PValue: p(0.05), CILow: 0.2}, false},
		{"an interval above zero", Experiment{CILow: 0.01}, true},
		{"an interval touching zero", Experiment{CILow: 0}, false},
	} {
		if got := tc.e.IsSignificant(); got != tc.want {
			t.Errorf("%s: IsSignificant = %v, want %v", tc.name, got, tc.want)
		}
	}
	e := Experiment{End: day("2025-11-30")}
	for _, tc := range []struct {
		day  string
		want bool
	}{{"2026-11-30", false}, {"2026-12-01", true}, {"2025-12-01", false}} {
		if got := e.StaleOn(day(tc.day)); got != tc.want {
			t.Errorf("a test that ended 2025-11-30, on %s: StaleOn = %v, want %v", tc.day, got, tc.want)
		}
	}
}
