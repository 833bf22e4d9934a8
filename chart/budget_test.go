package chart

import (
	"testing"

	"github.com/sowhat-ai/sowhat/model"
)

// A pacing answer charts spend against budget, with budget as the second
// bar and a title that says so.
func TestSpendVsBudgetShowsBudget(t *testing.T) {
	a := model.Answer{Metrics: []model.MetricID{model.Spend, model.Budget, model.Pacing}, Period: span("2026-11-01", "2026-11-30"), GroupBy: []string{model.DimPlatform}}
	for _, r := range []struct {
		id            string
		spend, budget float64
	}{{"the_trade_desk", 143419, 121600}, {"meta", 427449, 431900}, {"google_ads", 592912, 593600}} {
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimPlatform: r.id},
			Values: model.Values{model.Spend: model.Float(r.spend), model.Budget: model.Float(r.budget), model.Pacing: model.Float(r.spend / r.budget)}})
	}
	d, ok := plan(a)
	if !ok {
		t.Fatal("no chart for a pacing answer")
	}
	b := d.(barChart)
	if b.names != [2]string{"Spend", "Budget"} {
		t.Errorf("legend %q, want Spend and Budget", b.names)
	}
	if len(b.compare) != 3 || b.compare[0] != 121600 {
		t.Errorf("budget bars %v, want each platform's budget", b.compare)
	}
	if want := "Spend vs budget by platform"; len(b.title) < len(want) || b.title[:len(want)] != want {
		t.Errorf("title %q, want it to start %q", b.title, want)
	}
	if _, ok, err := Render(a); !ok || err != nil {
		t.Fatalf("render: ok %v, err %v", ok, err)
	}
}
