package demo

import (
	"database/sql"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sowhat-ai/sowhat/data"
)

// channel is one sales channel of the business.
type channel struct {
	name     string
	base     float64 // revenue on an ordinary day at today's scale, before ads
	perSpend float64 // revenue each dollar of ad spend adds
	growth   float64 // a year
	aov      float64
	newShare float64 // share of orders from new customers
	margin   float64 // gross margin
}

var channels = []channel{
	{name: "online", base: 300_000, perSpend: 2.2, growth: 0.12, aov: 88, newShare: 0.19, margin: 0.36},
	{name: "store", base: 2_150_000, perSpend: 1.5, growth: 0.04, aov: 47, newShare: 0.07, margin: 0.40},
}

// generateBusiness builds the daily online and store results. Revenue follows
// the season and the ad spend of the day, so it moves with the ads while
// staying several times what the platforms attribute.
func generateBusiness(cal calendar, spend map[time.Time]float64) []data.BusinessRow {
	r := rand.New(rand.NewPCG(seed, 0))
	var rows []data.BusinessRow
	for _, d := range cal.days() {
		s := seasonOf(d)
		for _, ch := range channels {
			rows = append(rows, businessDay(cal, ch, d, s, spend[d], r))
		}
	}
	return rows
}

func businessDay(cal calendar, ch channel, d time.Time, s season, spend float64, r *rand.Rand) data.BusinessRow {
	demand, promo := s.online, bfcmDay(d)
	if ch.name == "store" {
		demand = s.store
	}
	revenue := (ch.base*cal.growth(d, ch.growth)*demand + ch.perSpend*spend*math.Min(demand, 1)) * jitter(r, 0.03)
	orders := math.Round(revenue / (ch.aov * s.aov * jitter(r, 0.02)))
	newShare, margin := ch.newShare, ch.margin
	if promo {
		newShare, margin = newShare*1.35, margin-0.05 // doorbusters bring new shoppers at thin margins
	}
	if d.Month() == time.January {
		margin -= 0.03 // clearance
	}
	return data.BusinessRow{
		Date:         d,
		Channel:      ch.name,
		Orders:       orders,
		Revenue:      round2(revenue),
		NewCustomers: math.Round(orders * newShare * jitter(r, 0.05)),
		GrossProfit:  sql.NullFloat64{Float64: round2(revenue * margin * jitter(r, 0.01)), Valid: true},
	}
}

// bfcmDay reports whether d is Black Friday through Cyber Monday.
func bfcmDay(d time.Time) bool {
	off := daysBetween(blackFriday(d.Year()), d)
	return off >= 0 && off <= 3
}
