package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// budgetedCampaigns have their own monthly budget besides their platform's.
var budgetedCampaigns = []struct{ platform, campaign string }{
	{"google_ads", "Google Search - Brand"},
	{"meta", CPAJumpCampaign},
	{"amazon_ads", "Amazon SP - Electronics"},
	{"the_trade_desk", "TTD CTV - Brand Awareness"},
}

// generateBudgets plans every month from the first of the data to asOf's
// month: each platform's (and a few campaigns') budget is its planned daily
// run rate over the month, within ±2%, rounded to $100. The overspending
// platform's actual spend runs above that plan; everyone else paces to it.
func generateBudgets(cal calendar, plan map[monthKey]*planned) []data.BudgetRow {
	r := rand.New(rand.NewPCG(seed, 1<<32))
	var rows []data.BudgetRow
	for m := period.MonthStart(cal.start); !m.After(cal.curMonth); m = m.AddDate(0, 1, 0) {
		for _, p := range model.Platforms {
			if b, ok := monthBudget(plan, monthKey{p.ID, "", m}, r); ok {
				rows = append(rows, data.BudgetRow{Month: m, Platform: p.ID, Budget: b})
			}
		}
		for _, c := range budgetedCampaigns {
			if b, ok := monthBudget(plan, monthKey{c.platform, c.campaign, m}, r); ok {
				rows = append(rows, data.BudgetRow{Month: m, Platform: c.platform, Campaign: c.campaign, Budget: b})
			}
		}
	}
	return rows
}

// monthBudget is the month's budget: the planned run rate of its days with
// data, or of the month before when it has none yet (the first days of a
// month, or a platform whose data lags).
func monthBudget(plan map[monthKey]*planned, k monthKey, r *rand.Rand) (float64, bool) {
	p := plan[k]
	if p == nil || p.days == 0 {
		prev := k
		prev.month = k.month.AddDate(0, -1, 0)
		if p = plan[prev]; p == nil || p.days == 0 {
			return 0, false
		}
	}
	runRate := p.spend / float64(p.days)
	b := runRate * float64(daysIn(k.month)) * (1 + 0.02*(2*r.Float64()-1))
	return math.Round(b/100) * 100, true
}

func daysIn(month time.Time) int {
	return month.AddDate(0, 1, -1).Day()
}
