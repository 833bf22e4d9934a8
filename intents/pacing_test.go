package intents

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
)

// pacingStore plants November 1–21 for Meta: two campaigns with budgets of
// their own, Meta Brand spending half as much again as its plan ($150 a day
// on $3,000 a month) and Meta Prospecting on plan ($200 a day on $6,000),
// and Meta Retargeting with no budget of its own ($1,000 a day), all under
// Meta's $45,000 platform budget.
func pacingStore(t *testing.T) *Engine {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "pacing.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	daily := map[string]float64{"Meta Brand": 150, "Meta Prospecting": 200, "Meta Retargeting": 1000}
	_, err = st.Ingest(ctx, data.Source{File: "ads.csv", Kind: data.KindAds}, func(w *data.Writer) error {
		for d := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC); d.Before(asOf); d = d.AddDate(0, 0, 1) {
			for c, spend := range daily {
				if err := w.Ad(data.AdRow{Date: d, Platform: "meta", Campaign: c, Spend: spend, Impressions: 1000, Clicks: 10}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err = st.Ingest(ctx, data.Source{File: "budgets.csv", Kind: data.KindBudgets}, func(w *data.Writer) error {
		for _, b := range []data.BudgetRow{
			{Month: nov, Platform: "meta", Budget: 45000},
			{Month: nov, Platform: "meta", Campaign: "Meta Brand", Budget: 3000},
			{Month: nov, Platform: "meta", Campaign: "Meta Prospecting", Budget: 6000},
		} {
			if err := w.Budget(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return New(st)
}

// TestPacingByCampaignNamesCampaignsAndComparesLikeWithLike: the total is the
// spend of the campaigns that have budgets against those budgets ($7,350
// against $6,300), not all of Meta's spend ($28,350) against them, and the
// rows are named as the campaigns they are.
func TestPacingByCampaignNamesCampaignsAndComparesLikeWithLike(t *testing.T) {
	a := ask(t, pacingStore(t), "pacing by campaign this month")
	approx(t, "total spend", a.Total.Values[model.Spend], 7350)
	approx(t, "total budget", a.Total.Values[model.Budget], 6300)
	approx(t, "total pacing", a.Total.Values[model.Pacing], 7350.0/6300)
	notes := strings.Join(a.Notes, " ")
	for _, c := range []struct{ where, text, want string }{
		{"summary", a.Summary, "spend on the 2 campaigns with a budget is $7,350 against a pro-rated budget of $6,300: 117% of plan"},
		{"summary", a.Summary, "against $9,000"},
		{"so what", a.SoWhat, "Meta Brand is 50.0% over plan ($1,050 over, about $50.00 a day more than budgeted)."},
		{"so what", a.SoWhat, "Next: Meta Brand has already spent its $3,000 budget for the month; pause it or agree the overspend for the 9 days left."},
		{"notes", notes, "1 campaign with no budget of its own ($21,000 of spend) is left out of the total."},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s does not say %q:\n%s", c.where, c.want, c.text)
		}
	}
	for _, c := range []struct{ where, text, bad string }{
		{"summary", a.Summary, "$28,350"}, // all spend
		{"summary", a.Summary, "450%"},    // all spend against campaign budgets
		{"so what", a.SoWhat, "Meta is"},  // a campaign named as its platform
		{"so what", a.SoWhat, "on by"},    // a campaign with no name
		{"so what", a.SoWhat, "Meta Prospecting is"},
		{"so what", a.SoWhat, "Meta Retargeting"},
	} {
		if strings.Contains(c.text, c.bad) {
			t.Errorf("%s says %q:\n%s", c.where, c.bad, c.text)
		}
	}
	if strings.HasPrefix(a.SoWhat, " ") || strings.HasPrefix(a.SoWhat, "is ") {
		t.Errorf("so what starts without a name: %q", a.SoWhat)
	}
}

// TestPacingByPlatformCoversAllSpend: with every platform budgeted, the total
// is all spend against all platform budgets, said without a population.
func TestPacingByPlatformCoversAllSpend(t *testing.T) {
	a := ask(t, pacingStore(t), "are we on budget this month")
	approx(t, "total spend", a.Total.Values[model.Spend], 28350)
	approx(t, "total budget", a.Total.Values[model.Budget], 31500)
	want := "Month to date (Nov 1–21, 2026) spend is $28,350 against a pro-rated budget of $31,500: 90.0% of plan. At this pace the month ends at $40,500 against $45,000."
	if a.Summary != want {
		t.Errorf("summary:\n got %s\nwant %s", a.Summary, want)
	}
	if !strings.HasPrefix(a.SoWhat, "Meta is 10") || !strings.Contains(a.SoWhat, "under plan") {
		t.Errorf("so what: %s", a.SoWhat)
	}
	if strings.Contains(strings.Join(a.Notes, " "), "left out of the total") {
		t.Errorf("notes leave something out: %v", a.Notes)
	}
}

// TestPacingByCampaignOnPlan: when every budgeted campaign is on plan, the so
// what says so of them, not of every campaign.
func TestPacingByCampaignOnPlan(t *testing.T) {
	got := pacingSoWhat("campaign", "the 2 campaigns with a budget", nil, nil, nil, func(model.Row) float64 { return 21 }, 30)
	want := "Every one of the 2 campaigns with a budget is within 5% of its plan. Next: spend is on plan; no change needed."
	if got != want {
		t.Errorf("so what:\n got %s\nwant %s", got, want)
	}
	if got := pacingSoWhat("platform", "", nil, nil, nil, func(model.Row) float64 { return 21 }, 30); !strings.HasPrefix(got, "Every platform is within 5% of its plan.") {
		t.Errorf("so what by platform: %s", got)
	}
}

// TestPacingByCampaignWaitsForALatePlatform: a campaign on a platform whose
// data ends two days early has its budget pro-rated through that day, so it
// is on plan, not under it.
func TestPacingByCampaignWaitsForALatePlatform(t *testing.T) {
	e := pacingStore(t)
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	_, err := e.Store().Ingest(ctx, data.Source{File: "criteo.csv", Kind: data.KindAds}, func(w *data.Writer) error {
		for d := nov; d.Before(asOf.AddDate(0, 0, -2)); d = d.AddDate(0, 0, 1) {
			if err := w.Ad(data.AdRow{Date: d, Platform: "criteo", Campaign: "Criteo Retargeting", Spend: 100, Impressions: 1000, Clicks: 10}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Store().Ingest(ctx, data.Source{File: "criteo_budgets.csv", Kind: data.KindBudgets}, func(w *data.Writer) error {
		return w.Budget(data.BudgetRow{Month: nov, Platform: "criteo", Campaign: "Criteo Retargeting", Budget: 3000})
	})
	if err != nil {
		t.Fatal(err)
	}
	a := ask(t, e, "pacing by campaign this month")
	var criteo *model.Row
	for i, r := range a.Rows {
		if r.Key[model.DimCampaign] == "Criteo Retargeting" {
			criteo = &a.Rows[i]
		}
	}
	if criteo == nil {
		t.Fatalf("no row for Criteo Retargeting: %+v", a.Rows)
	}
	approx(t, "Criteo Retargeting budget through Nov 19", criteo.Values[model.Budget], 1900)
	approx(t, "Criteo Retargeting pacing", criteo.Values[model.Pacing], 1)
	approx(t, "total budget", a.Total.Values[model.Budget], 6300+1900)
	if want := "Criteo data ends Nov 19, so its campaigns' budgets are pro-rated through that day."; !slices.Contains(a.Notes, want) {
		t.Errorf("notes do not say %q: %v", want, a.Notes)
	}
	if strings.Contains(a.SoWhat, "Criteo Retargeting is") {
		t.Errorf("so what calls a late campaign off plan: %s", a.SoWhat)
	}
	if !strings.Contains(a.Summary, "the 3 campaigns with a budget") {
		t.Errorf("summary: %s", a.Summary)
	}
}
