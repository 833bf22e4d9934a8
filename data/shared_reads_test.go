package data

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// countingHandler counts the statements the query log hears.
type countingHandler struct{ n atomic.Int64 }

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "query" {
		h.n.Add(1)
	}
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

// TestShareReadsReadsFactsOnce splits one change by campaign and by category,
// with and without ShareReads: the contributions are the same, and within it
// the facts of each period are read once.
func TestShareReadsReadsFactsOnce(t *testing.T) {
	st, _ := newStore(t)
	seed(t, st)
	h := &countingHandler{}
	st.queryLog = slog.New(h)
	cmp1 := period.Period{Start: day("2026-09-01"), End: day("2026-09-14")}
	q := Query{Metrics: []model.MetricID{model.ROAS}, Period: period.Period{Start: day("2026-09-15"), End: day("2026-09-28")}, Compare: &cmp1}
	for _, tt := range []struct {
		name   string
		ctx    context.Context
		splits int64 // statements run for the two splits
	}{
		{"apart", context.Background(), 4},
		{"shared", ShareReads(context.Background()), 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h.n.Store(0)
			var got [][]Contribution
			for _, dim := range []string{model.DimCampaign, model.DimCategory} {
				cs, err := st.Drivers(tt.ctx, q, model.ROAS, dim)
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) == 0 {
					t.Fatalf("no contributions by %s", dim)
				}
				got = append(got, cs)
			}
			if n := h.n.Load(); n != tt.splits {
				t.Errorf("%d statements, want %d", n, tt.splits)
			}
			want := [][]Contribution{}
			for _, dim := range []string{model.DimCampaign, model.DimCategory} {
				cs, err := st.Drivers(context.Background(), q, model.ROAS, dim)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, cs)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("contributions (-apart +%s):\n%s", tt.name, strings.ReplaceAll(diff, "\n", "\n  "))
			}
		})
	}
}

// TestShareReadsManyRows reads, within ShareReads, a statement of more
// rows than one block holds twice: the second read, handed the rows kept,
// answers as a read apart does.
func TestShareReadsManyRows(t *testing.T) {
	st, _ := newStore(t)
	var rows []AdRow
	for c := range 2*adSumSlab + 7 {
		rows = append(rows, AdRow{Date: day("2026-09-01"), Platform: "meta", Campaign: fmt.Sprintf("Campaign %04d", c),
			Category: fmt.Sprint("Category ", c%13), Spend: float64(c%17 + 1), Revenue: float64(c%23 + 2)})
	}
	ingestAds(t, st, rows...)
	sept1 := period.Period{Start: day("2026-09-01"), End: day("2026-09-01")}
	ctx := ShareReads(context.Background())
	for _, dim := range []string{model.DimCampaign, model.DimCategory} {
		q := Query{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: sept1, GroupBy: []string{dim}}
		want, err := st.Run(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for read := range 2 {
			got, err := st.Run(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("by %s, shared read %d (-apart +shared):\n%s", dim, read+1, diff)
			}
		}
	}
}
