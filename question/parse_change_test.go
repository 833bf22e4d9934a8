package question

import (
	"testing"

	"github.com/sowhat-ai/sowhat/model"
)

// TestChangeRankings: a ranking by how much each group moved against a
// period before is read as one, the way it moved kept; a ranking of
// values, a threshold list and a plain comparison are not.
func TestChangeRankings(t *testing.T) {
	for _, tc := range []struct {
		q        string
		change   string
		metric   model.MetricID
		dim      string
		relative bool
	}{
		{"which categories grew the most vs last month", "up", model.Revenue, "category", false},
		{"which category had the biggest drop in roas", "down", model.ROAS, "category", false},
		{"which platforms improved roas the most vs last month", "better", model.ROAS, "platform", false},
		{"which campaign's cpa increased the most last week", "up", model.CPA, "campaign", false},
		{"which platform's spend changed the most last month", "either", model.Spend, "platform", false},
		{"biggest campaign movers by cpa last week", "either", model.CPA, "campaign", false},
		{"which category grew fastest last month", "up", model.Revenue, "category", true},
		{"fastest growing platform by spend", "up", model.Spend, "platform", true},
		{"most improved platform by roas", "better", model.ROAS, "platform", false},
		{"which campaign's cpa got worse the most this month vs last month", "worse", model.CPA, "campaign", false},
		{"which platform's roas deteriorated most last month", "worse", model.ROAS, "platform", false},
		{"top 5 campaigns by roas last month", "", model.ROAS, "campaign", false},
		{"campaigns with cpa above 40 last week", "", model.CPA, "campaign", false},
		{"did meta cpa improve last week", "", model.CPA, "", false},
	} {
		t.Run(tc.q, func(t *testing.T) {
			r := Parse(tc.q, asOfDate(t, ""), Vocabulary{})
			if r.Relative != tc.relative {
				t.Fatalf("relative %v, want %v", r.Relative, tc.relative)
			}
			if r.Change != tc.change {
				t.Fatalf("change %q, want %q (request %+v)", r.Change, tc.change, r)
			}
			if len(r.Metrics) == 0 || r.Metrics[0] != tc.metric {
				t.Fatalf("metrics %v, want %s first", r.Metrics, tc.metric)
			}
			if tc.dim != "" && (len(r.GroupBy) == 0 || r.GroupBy[0] != tc.dim) {
				t.Fatalf("group by %v, want %s", r.GroupBy, tc.dim)
			}
			if tc.change != "" && (r.Intent != IntentTop || r.Compare == nil || r.Ascending) {
				t.Fatalf("a change ranking read as intent %s, compare %v, ascending %v", r.Intent, r.Compare, r.Ascending)
			}
		})
	}
}
