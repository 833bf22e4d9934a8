package data

import (
	"context"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// BenchmarkRank ranks a month's campaigns by ROAS over 1M ad rows of
// 1,000 campaigns, as a server does with its dimensions read: by place,
// and filtered to two platforms (by key), reading every group's key and
// spend as an answer's noise floor does.
func BenchmarkRank(b *testing.B) {
	st := bigStore(b, 1_000_000)
	ctx := context.Background()
	month := period.Period{Start: day("2026-06-01"), End: day("2026-06-30")}
	for _, bc := range []struct {
		name    string
		filters map[string][]string
	}{{"campaigns", nil}, {"campaigns-of-two-platforms", map[string][]string{model.DimPlatform: {model.Platforms[0].ID, model.Platforms[1].ID}}}} {
		q := Query{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: month, GroupBy: []string{model.DimCampaign}, OrderBy: model.ROAS, Filters: bc.filters}
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rk, err := st.Rank(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				for i := range rk.Len() {
					_, _ = rk.Key(i), rk.Value(i, model.Spend)
				}
			}
		})
	}
}
