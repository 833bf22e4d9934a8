package intents

import (
	"testing"

	"github.com/sowhat-ai/sowhat/model"
)

func TestShareOfChange(t *testing.T) {
	spend, _ := model.LookupMetric(model.Spend)
	roas, _ := model.LookupMetric(model.ROAS)
	for _, c := range []struct {
		mt          model.Metric
		part, total float64
		want        string
	}{
		{spend, 1825, 10958, "+$1,825 of the +$10,958 change"},
		{spend, 11.40, 11.12, "+$11.40, essentially all of the change"},
		{spend, 15, 10, "+$15.00, more than the +$10.00 change"},
		{roas, -0.49, -0.49, "-0.49x, essentially all of the change"},
		{roas, -0.30, -0.49, "-0.30x of the -0.49x change"},
	} {
		if got := shareOfChange(c.mt, c.part, c.total); got != c.want {
			t.Errorf("shareOfChange(%s, %v, %v) = %q, want %q", c.mt.ID, c.part, c.total, got, c.want)
		}
	}
}

// TestDriverDim: a change across platforms is put down to a platform, one
// platform's to a campaign, named campaigns' to the platforms they run on.
func TestDriverDim(t *testing.T) {
	tests := []struct {
		name    string
		filters map[string][]string
		want    string
	}{
		{"every platform", nil, model.DimPlatform},
		{"two platforms", map[string][]string{model.DimPlatform: {"meta", "google_ads"}}, model.DimPlatform},
		{"one platform", map[string][]string{model.DimPlatform: {"meta"}}, model.DimCampaign},
		{"one platform's category", map[string][]string{model.DimPlatform: {"meta"}, model.DimCategory: {"electronics"}}, model.DimCampaign},
		{"a category", map[string][]string{model.DimCategory: {"electronics"}}, model.DimPlatform},
		{"a campaign", map[string][]string{model.DimCampaign: {"Brand Search"}}, model.DimPlatform},
		{"a campaign on one platform", map[string][]string{model.DimPlatform: {"google_ads"}, model.DimCampaign: {"Brand Search"}}, model.DimPlatform},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := driverDim(tt.filters); got != tt.want {
				t.Errorf("driverDim(%v) = %s, want %s", tt.filters, got, tt.want)
			}
		})
	}
}
