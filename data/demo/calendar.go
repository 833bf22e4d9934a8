package demo

import (
	"math"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// calendar holds every date the dataset is built around, all relative to the
// as-of day.
type calendar struct {
	asOf       time.Time // the day the data is "as of": today
	start, end time.Time // first and last day of data; end is yesterday

	lastWeek, prevWeek  time.Time // Mondays of the last complete week and the one before
	curMonth, prevMonth time.Time // asOf's month and the month before
	declineFrom         time.Time // first day of the category decline
	zeroConvFrom        time.Time // first day without conversions
	staleEnd            time.Time // the stale platform's last day

	// The CPA-jump campaign ignores the season in its bad week: its spend and
	// conversion rate are set against the week before, so its CPA doubles
	// whether that week is Black Friday's or Christmas's.
	jumpSpend, jumpCVR float64
}

func newCalendar(asOf time.Time) calendar {
	today := period.Day(asOf)
	end := today.AddDate(0, 0, -1)
	lastWeek := period.WeekStart(today).AddDate(0, 0, -7)
	cur := period.MonthStart(today)
	c := calendar{
		asOf:         today,
		start:        end.AddDate(0, 0, -(Days - 1)),
		end:          end,
		lastWeek:     lastWeek,
		prevWeek:     lastWeek.AddDate(0, 0, -7),
		curMonth:     cur,
		prevMonth:    cur.AddDate(0, -1, 0),
		declineFrom:  end.AddDate(0, 0, -(DeclineDays - 1)),
		zeroConvFrom: end.AddDate(0, 0, -(ZeroConversionDays - 1)),
		staleEnd:     end.AddDate(0, 0, -StaleDays),
	}
	lastSpend, lastCVR := c.weekSeason(c.lastWeek)
	prevSpend, prevCVR := c.weekSeason(c.prevWeek)
	c.jumpSpend, c.jumpCVR = prevSpend/lastSpend, prevCVR/lastCVR
	return c
}

// weekSeason returns the mean spend level and conversion rate factor of the
// week starting on monday.
func (c calendar) weekSeason(monday time.Time) (spend, cvr float64) {
	for i := range 7 {
		d := monday.AddDate(0, 0, i)
		s := seasonOf(d)
		spend += s.spend * c.growth(d, 0.10) / 7
		cvr += s.cvr / 7
	}
	return spend, cvr
}

// days returns every data day in order.
func (c calendar) days() []time.Time {
	out := make([]time.Time, 0, Days)
	for d := c.start; !d.After(c.end); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// inLastWeek reports whether d falls in the last complete Monday–Sunday week.
func (c calendar) inLastWeek(d time.Time) bool {
	return !d.Before(c.lastWeek) && d.Before(c.lastWeek.AddDate(0, 0, 7))
}

// declineShare is how far into the category decline d is: 0 before it starts,
// rising steadily to 1 on the last day.
func (c calendar) declineShare(d time.Time) float64 {
	if d.Before(c.declineFrom) {
		return 0
	}
	return float64(daysBetween(c.declineFrom, d)+1) / DeclineDays
}

// growth is the level of something growing perYear a year, 1 on the last day.
func (c calendar) growth(d time.Time, perYear float64) float64 {
	return math.Pow(1+perYear, float64(daysBetween(c.end, d))/365)
}

func daysBetween(a, b time.Time) int {
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// blackFriday returns the day after Thanksgiving (the 4th Thursday of November).
func blackFriday(year int) time.Time {
	nov1 := time.Date(year, time.November, 1, 0, 0, 0, 0, time.UTC)
	firstThu := (int(time.Thursday) - int(nov1.Weekday()) + 7) % 7
	return nov1.AddDate(0, 0, firstThu+21+1)
}

// season is how demand on one day differs from an ordinary day.
type season struct {
	spend  float64 // ad spend
	cvr    float64 // conversion rate
	aov    float64 // order value
	online float64 // online business demand
	store  float64 // store business demand
}

// bfcm is the Black Friday / Cyber Monday week, by offset from Black Friday
// (-7 to +6): Thanksgiving is -1, Cyber Monday +3.
var bfcm = [14]season{
	{1.12, 1.03, 0.97, 1.10, 1.05},
	{1.15, 1.03, 0.97, 1.12, 1.05},
	{1.18, 1.04, 0.96, 1.15, 1.08},
	{1.22, 1.04, 0.96, 1.20, 1.10},
	{1.28, 1.05, 0.95, 1.28, 1.12},
	{1.35, 1.06, 0.95, 1.40, 1.20},
	{1.55, 1.10, 0.93, 1.90, 0.35}, // Thanksgiving: stores open late
	{2.30, 1.20, 0.90, 2.80, 2.60}, // Black Friday
	{1.85, 1.12, 0.91, 2.00, 1.90},
	{1.75, 1.12, 0.91, 1.90, 1.40},
	{2.20, 1.20, 0.90, 3.00, 1.05}, // Cyber Monday
	{1.45, 1.08, 0.93, 1.70, 1.10},
	{1.25, 1.04, 0.96, 1.35, 1.15},
	{1.15, 1.03, 0.97, 1.20, 1.20},
}

// monthly is the ordinary level of each month (index 0 is January).
var monthly = [12]season{
	{0.85, 0.92, 0.97, 0.86, 0.84},
	{0.88, 0.96, 0.98, 0.90, 0.88},
	{0.95, 1.00, 1.00, 0.96, 0.95},
	{0.97, 1.00, 1.00, 0.98, 0.98},
	{1.00, 1.00, 1.00, 1.00, 1.02},
	{0.98, 0.99, 1.00, 0.98, 1.00},
	{1.00, 1.00, 1.00, 1.02, 0.98},
	{1.05, 1.02, 1.00, 1.05, 1.08}, // back to school
	{0.95, 0.99, 1.00, 0.95, 0.95},
	{1.00, 1.00, 1.00, 1.00, 1.00},
	{1.08, 1.02, 0.99, 1.08, 1.05},
	{1.30, 1.10, 1.05, 1.35, 1.45}, // holiday
}

// weekday factors, Sunday first: shoppers buy online early in the week and
// visit stores at the weekend.
var (
	weekdaySpend  = [7]float64{1.04, 1.02, 1.00, 0.98, 0.97, 0.96, 1.03}
	weekdayCVR    = [7]float64{1.08, 1.05, 1.00, 0.98, 0.96, 0.92, 0.95}
	weekdayOnline = [7]float64{1.08, 1.06, 1.00, 0.98, 0.96, 0.93, 0.97}
	weekdayStore  = [7]float64{1.15, 0.85, 0.82, 0.85, 0.92, 1.10, 1.38}
)

// seasonOf returns the demand on d, weekday included.
func seasonOf(d time.Time) season {
	s := monthly[d.Month()-1]
	if d.Month() == time.December {
		s = december(d.Day(), s)
	}
	if off := daysBetween(blackFriday(d.Year()), d); off >= -7 && off <= 6 {
		s = bfcm[off+7]
	}
	w := d.Weekday()
	s.spend *= weekdaySpend[w]
	s.cvr *= weekdayCVR[w]
	s.online *= weekdayOnline[w]
	s.store *= weekdayStore[w]
	return s
}

// december shapes the holiday month: a lift to the last shipping days, stores
// peaking just before Christmas, closed on the day, and gift cards after.
func december(day int, s season) season {
	switch {
	case day >= 21 && day <= 23:
		s.spend, s.online, s.store = 1.20, 1.15, 1.90
	case day == 24:
		s.spend, s.cvr, s.online, s.store = 0.90, 1.00, 0.85, 1.30
	case day == 25:
		s.spend, s.cvr, s.online, s.store = 0.60, 0.90, 0.60, 0
	case day >= 26:
		s.spend, s.cvr, s.aov, s.online, s.store = 1.00, 1.00, 0.98, 1.10, 1.30
	}
	return s
}

// categorySpend shifts spend between categories through the year: toys at the
// holidays, outdoor in the summer, electronics around Black Friday.
func categorySpend(category string, m time.Month) float64 {
	switch category {
	case "Toys":
		switch m {
		case time.November:
			return 1.3
		case time.December:
			return 1.8
		}
		return 0.9
	case "Outdoor":
		switch m {
		case time.April, time.August:
			return 1.15
		case time.May, time.June, time.July:
			return 1.35
		case time.November, time.December, time.January, time.February:
			return 0.7
		}
	case "Electronics":
		switch m {
		case time.November:
			return 1.25
		case time.December:
			return 1.2
		}
	}
	return 1
}
