package intents

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
)

// rankingQuestions are rankings of every kind a ranking by columns
// answers: best and worst, ratios and sums, each dimension, filters, and
// periods of days, whole months and both.
var rankingQuestions = []string{
	"top 5 campaigns by roas last month",
	"top 3 campaigns by cpa last week",
	"bottom 5 campaigns by roas last month",
	"worst 3 campaigns by ctr last 45 days",
	"top 10 campaigns by spend last 30 days",
	"which campaigns had the most conversions last week",
	"top categories by roas last month",
	"top 3 categories by cpa last 2 weeks",
	"top platforms by roas last month",
	"which campaign type has the best cpc last month",
	"top 5 meta campaigns by roas last month",
	"top 5 campaigns by cpa on google ads last week",
	"top 3 toys campaigns by roas last month",
	"top 5 campaigns by store visits last month",
	"best campaign by roas yesterday",
}

// TestRankSaysWhatRowsSay: a ranking read by columns answers every
// ranking question exactly as the same ranking by rows does — the
// figures, the order, the notes of what was left out and why, and the so
// what — on the demo data and on planted campaigns that are small, bought
// for reach or store visits, tied, or without a category.
func TestRankSaysWhatRowsSay(t *testing.T) {
	demo, _ := demoDB(t)
	planted := datatest.New(t).Ads(rankingCampaigns()...).Import()
	spread := datatest.New(t).Ads(spreadCampaigns()...).Import()
	for _, tc := range []struct {
		name string
		st   *data.Store
		asOf string
	}{
		{"demo", demo.st, asOf.Format("2006-01-02")},
		{"planted", planted, storyDay},
		{"spread thin", spread, storyDay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			byColumns, byRows := New(tc.st), New(tc.st)
			byRows.rankByRows = true
			shown := 0
			for _, q := range rankingQuestions {
				day := datatest.Day(t, tc.asOf)
				a, _, err := byColumns.Ask(context.Background(), q, day, "cfo")
				if err != nil {
					t.Fatalf("%q: %v", q, err)
				}
				b, _, err := byRows.Ask(context.Background(), q, day, "cfo")
				if err != nil {
					t.Fatalf("%q by rows: %v", q, err)
				}
				if a.Intent != "top" {
					t.Fatalf("%q was read as %s, not a ranking", q, a.Intent)
				}
				ja, _ := json.MarshalIndent(a, "", " ")
				jb, _ := json.MarshalIndent(b, "", " ")
				if string(ja) != string(jb) {
					t.Errorf("%q: by columns\n%s\nby rows\n%s", q, ja, jb)
				}
				if len(a.Rows) > 0 {
					shown++
				}
			}
			if shown < len(rankingQuestions)*2/3 {
				t.Fatalf("only %d of %d rankings showed any group: the questions test too little", shown, len(rankingQuestions))
			}
		})
	}
}

// rankingCampaigns plants October and November 2026 for 300 campaigns: a few large,
// many small enough for the noise floor, connected-TV and store-traffic
// campaigns, ties, and campaigns with no category.
func rankingCampaigns() []datatest.Daily {
	plats := []string{"google_ads", "meta", "criteo", "pinterest"}
	types := []string{"search", "shopping", "ctv", "store_traffic", "prospecting"}
	var ds []datatest.Daily
	for c := range 300 {
		spend := 3.0
		if c%20 == 0 || c%20 == 3 {
			spend = 900 + float64(c)
		}
		d := datatest.Daily{Platform: plats[c%4], Campaign: fmt.Sprintf("Camp %03d", c), CampaignType: types[c%5],
			Category: []string{"Toys", "Home", "", "Garden"}[c%4], Region: "US", From: "2026-10-01", To: "2026-11-22",
			Spend: spend, Impressions: 100 * spend, Clicks: spend / 2, Conversions: float64(c % 3), Revenue: spend * float64(c%7+1)}
		if c%3 == 0 {
			d.StoreVisits = datatest.F(float64(c % 11))
		}
		if c%50 == 7 {
			d.Spend, d.Revenue, d.Clicks, d.Conversions = 1000, 5000, 400, 20 // tied
		}
		ds = append(ds, d)
	}
	return ds
}

// spreadCampaigns plants 400 campaigns none of which holds 0.5% of
// spend, so the noise floor is the spend of the campaign that completes
// four fifths of it, and campaigns tie on it.
func spreadCampaigns() []datatest.Daily {
	var ds []datatest.Daily
	for c := range 400 {
		spend := float64(20 + c%37)
		ds = append(ds, datatest.Daily{Platform: []string{"google_ads", "meta"}[c%2], Campaign: fmt.Sprintf("Thin %03d", c), CampaignType: "search",
			Category: "Toys", From: "2026-10-01", To: "2026-11-22", Spend: spend, Impressions: 90 * spend, Clicks: spend / 3, Conversions: float64(c%4 + 1), Revenue: spend * float64(c%9+1)})
	}
	return ds
}

// TestRankingLeavesOutWhatRowsLeaveOut plants the two cases a ranking's
// notes are made of and checks the ranking by columns says them: the
// noise floor's tail, and campaigns not bought for the metric.
func TestRankingLeavesOutWhatRowsLeaveOut(t *testing.T) {
	st := datatest.New(t).Ads(rankingCampaigns()...).Import()
	a, _, err := New(st).Ask(context.Background(), "top 3 campaigns by cpa last week", datatest.Day(t, storyDay), "team")
	if err != nil {
		t.Fatal(err)
	}
	judge(t, a, []string{"campaigns with under", "whose CPA is noise", "(bought for reach and views; none would have been among the 3 shown)", "(bought for store visits)"}, nil)
	if len(a.Rows) != 3 {
		t.Fatalf("%d rows, want 3", len(a.Rows))
	}
	for _, r := range a.Rows {
		var c int
		if _, err := fmt.Sscanf(r.Key[model.DimCampaign], "Camp %d", &c); err != nil {
			t.Fatal(err)
		}
		if c%5 == 2 || c%5 == 3 {
			t.Errorf("%s, bought for reach or store visits, is ranked on CPA", r.Key[model.DimCampaign])
		}
		if spend := *r.Values[model.Spend]; spend < 7*900 {
			t.Errorf("%s, with $%.0f of spend, is ranked above the noise floor", r.Key[model.DimCampaign], spend)
		}
	}
}
