package data

import (
	"context"
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
