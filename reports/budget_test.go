package reports

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/datatest"
	"github.com/sowhat-ai/sowhat/model"
)

// The planted platforms: The Trade Desk saturated (its next dollar returns
// well under $1 at its spend), Google Ads unsaturated, TikTok too noisy to
// fit; 60 weeks ending Sunday May 3, 2026, the day before alertNow.
var (
	reviewSaturated   = datatest.Curve{Platform: "the_trade_desk", Mean: 20000, Half: 4000, Shape: 2, Beta: 90000, Noise: 0.03}
	reviewUnsaturated = datatest.Curve{Platform: "google_ads", Mean: 30000, Half: 150000, Shape: 1, Beta: 800000, Noise: 0.03}
	reviewNoisy       = datatest.Curve{Platform: "tiktok", Mean: 10000, Half: 20000, Shape: 1, Beta: 60000, Noise: 0.7}
)

const reviewWeeks, reviewEnd = 60, "2026-05-03"

// lastWeeks sets the spend of the last eight weeks: before for the four
// before the latest, latest for the latest four.
func lastWeeks(before, latest float64) func(w int, flight float64) float64 {
	return func(w int, flight float64) float64 {
		switch {
		case w >= reviewWeeks-4:
			return latest
		case w >= reviewWeeks-8:
			return before
		}
		return flight
	}
}

// TestMarginalROASAlertOpensOnceAndClears: The Trade Desk's spend rises 30%
// over the last four weeks while its next dollar returns under the $1
// floor: one alert opens, naming the return and the spend to go back to;
// Google Ads, rising as much but far from saturated, does not alert.
// Checked again, nothing more is posted; once the spend is back, it clears.
func TestMarginalROASAlertOpensOnceAndClears(t *testing.T) {
	ds := datatest.New(t)
	ttd, google := reviewSaturated, reviewUnsaturated
	ttd.Spend, google.Spend = lastWeeks(20000, 26000), lastWeeks(30000, 39000)
	st := ds.Curves(reviewWeeks, reviewEnd, ttd, google, reviewNoisy).Import()
	check := alertChecker(t, st, defaultRule(RuleMarginalROAS, "mroas", []string{"slack:C1"}))
	opened := check(alertNow)
	if len(opened) != 1 || opened[0].Subject != "the_trade_desk" || opened[0].Status != StatusOpened {
		t.Fatalf("alerts %+v, want one opened for The Trade Desk", opened)
	}
	a := opened[0]
	for _, want := range []string{"The Trade Desk spent $26,000 a week", "30.0% more than the $20,000", "below the floor of 1.00x"} {
		if !strings.Contains(a.What, want) {
			t.Errorf("what %q: want %q", a.What, want)
		}
	}
	if !strings.Contains(a.Cause, "platform-reported revenue") || !strings.Contains(a.Next, "Bring The Trade Desk's weekly spend back toward $20,000") {
		t.Errorf("cause %q, next %q", a.Cause, a.Next)
	}
	if again := check(alertNow.Add(time.Hour)); len(again) != 0 {
		t.Fatalf("the open incident was reported again: %+v", again)
	}
	ttd.Spend = lastWeeks(20000, 20000)
	ds.Curves(reviewWeeks, reviewEnd, ttd).Import()
	cleared := check(alertNow.Add(2 * time.Hour))
	if len(cleared) != 1 || cleared[0].Status != StatusCleared || cleared[0].Subject != "the_trade_desk" {
		t.Fatalf("after the spend came back: %+v, want The Trade Desk cleared", cleared)
	}
}

// TestBudgetReviewDigest: a budget review on the planted platforms
// recommends moving money from The Trade Desk to Google Ads next quarter,
// shows what each move rests on (TikTok left out, with the reason) and
// leads with the moves.
func TestBudgetReviewDigest(t *testing.T) {
	st := datatest.New(t).Curves(reviewWeeks, reviewEnd, reviewSaturated, reviewUnsaturated, reviewNoisy).Import()
	cfg, err := ParseConfig("reports.yaml", []byte(`
digests:
  - name: budget-review
    kind: budget_review
    audience: cfo
    channels: [slack:C1]
    schedule: "0 8 1 1,4,7,10 *"
    amount: 100000
`), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewBuilder(engine(st), nil, quietLog()).Build(context.Background(), cfg.Digests[0], alertNow)
	if err != nil {
		t.Fatal(err)
	}
	text := Text(d)
	for _, want := range []string{"Quarterly budget review", "Recommended moves", "from The Trade Desk", "to Google Ads", "next quarter (Jul 1 – Sep 30, 2026)",
		"What the moves rest on", "left out: the curve misses held-out weeks", "simulation of the past, not a forecast", "Spend and ROAS by platform"} {
		if !strings.Contains(text, want) {
			t.Errorf("budget review must say %q:\n%s", want, text)
		}
	}
	if len(d.Highlights) == 0 || !strings.HasPrefix(d.Highlights[0].Text, "Move $") || !strings.Contains(d.Highlights[0].Text, "next quarter") {
		t.Errorf("highlights %+v: want the moves first", d.Highlights)
	}
	moves := d.Sections[0].Answer
	for _, r := range moves.Rows {
		if r.Key[model.DimPlatform] == "tiktok" {
			t.Errorf("TikTok, badly fitted, has a row: %v", r.Values)
		}
	}
	if _, err := json.Marshal(d); err != nil {
		t.Fatal(err)
	}
}

// TestBudgetReviewGolden: the budget review of the demo data as text.
func TestBudgetReviewGolden(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, _ := demo(t)
		d, err := NewBuilder(engine(st), nil, quietLog()).Build(context.Background(),
			DigestConfig{Name: "budget-review", Kind: DigestBudgetReview, Audience: model.AudienceCFO, Period: PeriodLastQuarter, Compare: ComparePrevious}, demoAsOf)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "budget_review.txt.golden", []byte(Text(d)))
	})
}

func TestBudgetReviewConfig(t *testing.T) {
	c, err := ParseConfig("r.yaml", []byte(`
digests:
  - name: review
    kind: budget_review
    audience: cfo
    channels: [slack:C1]
    schedule: "0 8 1 1,4,7,10 *"
alerts:
  channels: [slack:C2]
  rules:
    - name: mroas
      kind: marginal_roas
      floor: 1.2
      threshold: 15%
`), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Digests[0]; d.Kind != DigestBudgetReview || d.Period != PeriodLastQuarter || d.Amount != 0 {
		t.Errorf("review %+v", d)
	}
	if r := c.Alerts.Rules[0]; r.Floor != 1.2 || r.Threshold != 0.15 {
		t.Errorf("rule %+v", r)
	}
	for _, tt := range []struct{ yaml, want string }{
		{"digests:\n  - name: w\n    audience: cfo\n    channels: [slack:C1]\n    schedule: \"0 8 * * MON\"\n    amount: 5000\n", "r.yaml:2: digest \"w\": amount is a setting of budget reviews"},
		{"digests:\n  - name: w\n    kind: review\n    audience: cfo\n    channels: [slack:C1]\n    schedule: \"0 8 * * MON\"\n", "r.yaml:3: digest \"w\": kind \"review\": want audience"},
		{"alerts:\n  channels: [slack:C1]\n  rules:\n    - name: m\n      kind: marginal_roas\n      floor: none\n", "r.yaml:6: alert rule \"m\" floor: \"none\" is not a positive number"},
	} {
		_, err := ParseConfig("r.yaml", []byte(tt.yaml), time.UTC)
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
