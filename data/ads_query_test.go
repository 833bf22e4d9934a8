package data

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// TestReadsInSlabs: ad sums of more campaigns than readAdSums reads at
// once come out as the facts add up, by Run and by Rank, by place and by
// key, read afresh and shared (ShareReads). The figures are whole, so
// that every order of adding them gives the same sums.
func TestReadsInSlabs(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dsn string) {
		st := openDSN(t, dsn)
		ctx := t.Context()
		plats := []string{"google_ads", "meta", "criteo", "the_trade_desk"}
		var rows []AdRow
		for c := range 3*adSumSlab + 100 {
			for d := range 6 {
				rows = append(rows, AdRow{Date: day("2026-09-28").AddDate(0, 0, d), Platform: plats[c%4], Campaign: fmt.Sprintf("Campaign %04d", c%(3*adSumSlab-100)),
					Category: fmt.Sprint("Category ", c%7), Spend: float64(c%97 + d + 1), Impressions: 100, Clicks: 5, Conversions: 1, Revenue: float64(c%89*3 + d)})
			}
		}
		ingestAds(t, st, rows...)
		p := period.Period{Start: day("2026-09-28"), End: day("2026-10-31")} // days, then a whole month
		want := func(dim string, platforms []string) map[string][2]float64 {
			var b builder
			b.cond("f.day >= ? AND f.day <= ?", epochDay(p.Start), epochDay(p.End))
			if platforms != nil {
				b.in("p.name", platforms)
			}
			col := map[string]string{model.DimCampaign: "c.campaign", model.DimCategory: "c.category"}[dim]
			q := `SELECT ` + col + `, SUM(f.spend), SUM(f.revenue) FROM ad_facts f JOIN campaigns c ON c.id = f.campaign_id JOIN platforms p ON p.id = c.platform_id WHERE ` +
				strings.Join(b.where, " AND ") + ` GROUP BY ` + col
			rs, err := st.db.QueryContext(ctx, st.db.Rebind(q), b.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			out := map[string][2]float64{}
			for rs.Next() {
				var k string
				var s, r float64
				if err := rs.Scan(&k, &s, &r); err != nil {
					t.Fatal(err)
				}
				out[k] = [2]float64{s, r}
			}
			if err := rs.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		shared := ShareReads(ctx)
		for _, tc := range []struct {
			dim       string
			platforms []string
		}{{model.DimCampaign, nil}, {model.DimCampaign, []string{"meta", "criteo"}}, {model.DimCategory, nil}} {
			q := Query{Metrics: []model.MetricID{model.Spend, model.ROAS}, Period: p, GroupBy: []string{tc.dim}, OrderBy: model.ROAS}
			if tc.platforms != nil {
				q.Filters = map[string][]string{model.DimPlatform: tc.platforms}
			}
			w := want(tc.dim, tc.platforms)
			check := func(how string, n int, row func(int) model.Row) {
				t.Helper()
				if n != len(w) {
					t.Fatalf("%s by %s %v: %d groups, the facts have %d", how, tc.dim, tc.platforms, n, len(w))
				}
				for i := range n {
					r := row(i)
					k := r.Key[tc.dim]
					sums, ok := w[k]
					spend, roas := r.Values[model.Spend], r.Values[model.ROAS]
					if !ok || spend == nil || roas == nil || *spend != sums[0] || *roas != sums[1]/sums[0] {
						t.Fatalf("%s by %s %v: %s %v, the facts say spend %v and revenue %v", how, tc.dim, tc.platforms, k, rowString(r), sums[0], sums[1])
					}
				}
			}
			for _, c := range []struct {
				how string
				ctx context.Context
			}{{"afresh", ctx}, {"shared", shared}, {"shared again", shared}} {
				res, err := st.Run(c.ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				check("Run "+c.how, len(res.Rows), func(i int) model.Row { return res.Rows[i] })
				rk, err := st.Rank(c.ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				check("Rank "+c.how, rk.Len(), rk.Row)
			}
		}
	})
}
