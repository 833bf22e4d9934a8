package demo

import (
	"database/sql"

	"github.com/sowhat-ai/sowhat/data"
)

// study is one brand-lift study, dated by how many days before the last day
// of data it ended.
type study struct {
	name     string
	platform string
	endedAgo int
	weeks    int
	lifts    [4]float64 // ad_recall, awareness, consideration, purchase_intent
	sig      [4]int8    // 1 significant, 0 not, -1 not reported
}

var liftMetrics = [4]string{"ad_recall", "awareness", "consideration", "purchase_intent"}

// studies tell a consistent story: upper-funnel lifts are strong and
// significant, purchase intent rarely moves enough to be sure of.
var studies = []study{
	{"Meta Prospecting Brand Lift", "meta", 35, 4, [4]float64{0.112, 0.046, 0.031, 0.021}, [4]int8{1, 1, 1, 0}},
	{"TikTok Gen Z Awareness Study", "tiktok", 102, 4, [4]float64{0.118, 0.072, 0.028, 0.020}, [4]int8{1, 1, 0, 0}},
	{"YouTube Brand Awareness Lift", "google_ads", 172, 4, [4]float64{0.094, 0.052, 0.035, 0.024}, [4]int8{1, 1, 1, 0}},
	{"TTD CTV Brand Lift", "the_trade_desk", 238, 6, [4]float64{0.081, 0.064, 0.041, 0.029}, [4]int8{1, 1, 1, 1}},
	{"Pinterest Home Decor Consideration Study", "pinterest", 302, 4, [4]float64{0.058, 0.033, 0.067, 0.045}, [4]int8{1, -1, 1, 1}},
}

func brandLift(cal calendar) []data.BrandLiftRow {
	var rows []data.BrandLiftRow
	for _, s := range studies {
		end := cal.end.AddDate(0, 0, -s.endedAgo)
		start := end.AddDate(0, 0, -(7*s.weeks - 1))
		for i, m := range liftMetrics {
			rows = append(rows, data.BrandLiftRow{
				Study: s.name, Platform: s.platform, StartDate: start, EndDate: end,
				Metric: m, Lift: s.lifts[i],
				Significant: sql.NullBool{Bool: s.sig[i] == 1, Valid: s.sig[i] >= 0},
			})
		}
	}
	return rows
}
