package data_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
)

func TestImportTotals(t *testing.T) {
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, err := st.ImportTotals(ctx); err != nil || len(got) != 0 {
		t.Fatalf("a new store: %v, %v; want no imports", got, err)
	}
	before := time.Now().Add(-time.Second)
	sum, err := demo.Generate(ctx, st, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.ImportTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, it := range got {
		rows[it.Kind] = it.Rows
		if it.Imports == 0 || it.Last.Before(before) {
			t.Errorf("%s: %d imports, last at %s", it.Kind, it.Imports, it.Last)
		}
	}
	want := map[string]int64{string(data.KindAds): int64(sum.AdRows), string(data.KindBusiness): int64(sum.BusinessRows),
		string(data.KindBudgets): int64(sum.BudgetRows), string(data.KindBrandLift): int64(sum.BrandLiftRows),
		string(data.KindExperiments): int64(sum.Experiments), string(data.KindMMM): int64(sum.MMMResults)}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows per kind (-want +got):\n%s", diff)
	}
	if st.DB().Stats().MaxOpenConnections < 0 {
		t.Error("no pool stats")
	}
}
