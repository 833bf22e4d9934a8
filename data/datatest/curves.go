package datatest

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
)

// Curve is a platform whose weekly revenue follows a known response curve:
// Beta·x^Shape/(x^Shape+Half^Shape) of its weekly spend x, reported Report
// times over (1 when the platform reports what it adds; 3 when its
// attribution claims three times that), with multiplicative noise of sd
// Noise. Spend runs in six-week flights between about half and one and a
// half times Mean, from a fixed seed.
type Curve struct {
	Platform                string
	Mean, Half, Shape, Beta float64
	Report, Noise           float64
	// Spend, when set, sets week w's spend instead of the flights (w counts
	// from 0, the first week).
	Spend func(w int, flight float64) float64
}

// Response is the true weekly revenue the curve adds at weekly spend x.
func (c Curve) Response(x float64) float64 {
	xs := math.Pow(x/c.Half, c.Shape)
	return c.Beta * xs / (1 + xs)
}

// Curves plants weeks whole Monday weeks ending on Sunday end (an ISO
// date) of one campaign per curve, each week's spend and revenue spread
// evenly over its days.
func (s *Store) Curves(weeks int, end string, cs ...Curve) *Store {
	s.t.Helper()
	last := Day(s.t, end)
	first := last.AddDate(0, 0, 1-7*weeks)
	for i, c := range cs {
		rng := rand.New(rand.NewPCG(uint64(i+1), 16))
		spend, rev := make([]float64, weeks), make([]float64, weeks)
		level := 1.0
		report := c.Report
		if report == 0 {
			report = 1
		}
		for w := range spend {
			if w%6 == 0 {
				level = 0.55 + 0.9*rng.Float64()
			}
			spend[w] = c.Mean * level * (0.95 + 0.1*rng.Float64())
			if c.Spend != nil {
				spend[w] = c.Spend(w, spend[w])
			}
			rev[w] = math.Max(0, report*c.Response(spend[w])*(1+c.Noise*rng.NormFloat64()))
		}
		s.Ads(Daily{Platform: c.Platform, Campaign: model.PlatformName(c.Platform) + " Always On", From: first.Format("2006-01-02"), To: end,
			Impressions: 1000, Clicks: 10, Conversions: 1, Fill: func(d time.Time, row *data.AdRow) {
				w := int(d.Sub(first).Hours() / 24 / 7)
				row.Spend, row.Revenue = spend[w]/7, rev[w]/7
			}})
	}
	return s
}
