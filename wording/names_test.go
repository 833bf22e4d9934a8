package wording

import (
	"testing"

	"github.com/sowhat-ai/sowhat/model"
)

func TestDisplayName(t *testing.T) {
	for _, c := range []struct{ dim, v, want string }{
		{model.DimPlatform, "google_ads", "Google Ads"},
		{model.DimPlatform, "the_trade_desk", "The Trade Desk"},
		{model.DimCampaignType, "sponsored_products", "Sponsored Products"},
		{model.DimCampaignType, "ctv", "CTV"},
		{model.DimCampaignType, "store_traffic", "Store traffic"},
		{model.DimCampaignType, "prospecting", "Prospecting"},
		{DimLiftMetric, "ad_recall", "Ad recall"},
		{model.DimRegion, "", "(no region)"},
		{model.DimCategory, "", "(no category)"},
		{model.DimWeek, "2026-11-23", "week of Nov 23"},
		{model.DimDay, "2026-11-17", "Tue Nov 17"},
		{model.DimMonth, "2026-11-01", "November 2026"},
		{model.DimCampaign, "Meta Broad", "Meta Broad"},
	} {
		if got := DisplayName(c.dim, c.v); got != c.want {
			t.Errorf("DisplayName(%s, %q) = %q, want %q", c.dim, c.v, got, c.want)
		}
	}
	if got := LiftMetricName("purchase_intent"); got != "purchase intent" {
		t.Errorf("LiftMetricName = %q", got)
	}
}

func TestPossessive(t *testing.T) {
	for in, want := range map[string]string{"Google Ads": "Google Ads'", "Meta": "Meta's", "Microsoft Ads": "Microsoft Ads'", "TikTok": "TikTok's", "": ""} {
		if got := Possessive(in); got != want {
			t.Errorf("Possessive(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnassignedLast(t *testing.T) {
	rows := []model.Row{{Key: map[string]string{"region": ""}}, {Key: map[string]string{"region": "US-East"}}, {Key: map[string]string{"region": "US-West"}}}
	UnassignedLast(rows, "region")
	if rows[0].Key["region"] != "US-East" || rows[1].Key["region"] != "US-West" || rows[2].Key["region"] != "" {
		t.Errorf("order %v, want the assigned in their order, then the unassigned", rows)
	}
}
