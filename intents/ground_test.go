package intents

import (
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

func TestGroundingComparesFiguresTheHouseWay(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(period.DateLayout, s); return d }
	a := model.Answer{
		Intent: "compare", Metrics: []model.MetricID{model.Spend, model.ROAS},
		Period: period.Period{Start: day("2026-11-09"), End: day("2026-11-15")}, GroupBy: []string{model.DimPlatform},
		Total: model.Row{Values: model.Values{model.Spend: model.Float(1204330), model.ROAS: model.Float(3.2149)},
			CompareValues: model.Values{model.Spend: model.Float(1100000), model.ROAS: model.Float(3.5)}},
		Rows:    []model.Row{{Key: map[string]string{model.DimPlatform: "meta"}, Values: model.Values{model.Spend: model.Float(602165), model.ROAS: model.Float(2.9)}}},
		Summary: "Spend was $1,204,330 last week, +9.5% vs the week before.",
		SoWhat:  "ROAS fell to 3.21x.",
	}
	g := newGrounding(a, nil, []string{"Meta Advantage+ Shopping", "Electronics"})
	tests := []struct {
		name, text string
		ok         bool
	}{
		{"the house's own figures", "Spend came to $1,204,330, up 9.5%.", true},
		{"compact, as the house writes it", "Spend came to $1.2M.", true},
		{"a change without its sign", "ROAS slipped 8.1% to 3.21x.", true},
		{"a share of the total", "Meta took 50.0% of spend.", true},
		{"rounded another way", "Spend came to 1,200,000.", false},
		{"a ratio rounded another way", "ROAS was 3.2x.", false},
		{"a figure of its own", "Spend came to $1.3M.", false},
		{"a platform not in the answer", "Google carried the week.", false},
		{"a campaign not in the answer", "Meta Advantage+ Shopping carried the week.", false},
		{"a category not in the answer", "Spend on electronics fell.", false},
		{"a capitalised name of its own", "Spend rose on the Holiday Blitz.", false},
		{"a mention", "Spend rose, @channel.", false},
		{"a bidi override", "Spend rose\u202e.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := g.check(tt.text, "Watch ROAS.")
			if (err == nil) != tt.ok {
				t.Errorf("check(%q) = %v, want ok %v; facts %q", tt.text, err, tt.ok, g.lines)
			}
		})
	}
}

// TestTheModelBudgetKeepsAnswersUnderThreeSeconds: understanding and
// writing each wait at most the budget.
func TestTheModelBudgetKeepsAnswersUnderThreeSeconds(t *testing.T) {
	if 2*DefaultModelBudget >= 3*time.Second {
		t.Errorf("two model calls of %s each can hold an answer past 3 s", DefaultModelBudget)
	}
}
