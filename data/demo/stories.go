package demo

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// totals are additive sums over some ad rows.
type totals struct{ spend, conv, revenue float64 }

func (t totals) cpa() float64  { return t.spend / t.conv }
func (t totals) roas() float64 { return t.revenue / t.spend }

func (a *adSet) sum(keep func(data.AdRow) bool) totals {
	var t totals
	for _, rows := range a.byPlatform {
		for _, r := range rows {
			if keep(r) {
				t.spend += r.Spend
				t.conv += r.Conversions
				t.revenue += r.Revenue
			}
		}
	}
	return t
}

// between reports whether d is within [from, to].
func between(d, from, to time.Time) bool { return !d.Before(from) && !d.After(to) }

// stories describes, with the figures generated, what the dataset has to
// find.
func stories(cal calendar, a *adSet, budgets []data.BudgetRow) []string {
	return []string{
		cpaJumpStory(cal, a),
		overspendStory(cal, a, budgets),
		declineStory(cal, a),
		zeroConversionStory(cal, a),
		staleStory(cal),
		seasonStory(cal),
	}
}

func cpaJumpStory(cal calendar, a *adSet) string {
	lastEnd, prevEnd := cal.lastWeek.AddDate(0, 0, 6), cal.prevWeek.AddDate(0, 0, 6)
	week := func(from, to time.Time, campaign string) totals {
		return a.sum(func(r data.AdRow) bool {
			return r.Platform == "meta" && (campaign == "" || r.Campaign == campaign) && between(r.Date, from, to)
		})
	}
	last, prev := week(cal.lastWeek, lastEnd, CPAJumpCampaign), week(cal.prevWeek, prevEnd, CPAJumpCampaign)
	metaLast, metaPrev := week(cal.lastWeek, lastEnd, ""), week(cal.prevWeek, prevEnd, "")
	return fmt.Sprintf("CPA jump: Meta campaign %q in the week %s to %s (the last complete Monday-Sunday week): CPA %s vs %s the week before (x%.2f), conversions %s while spend rose %s; Meta's CPA went from %s to %s (%s week over week), this campaign being by far the largest contributor.",
		CPAJumpCampaign, day(cal.lastWeek), day(lastEnd), money(last.cpa()), money(prev.cpa()), last.cpa()/prev.cpa(),
		pct(last.conv/prev.conv-1), pct(last.spend/prev.spend-1), money(metaPrev.cpa()), money(metaLast.cpa()), pct(metaLast.cpa()/metaPrev.cpa()-1))
}

func overspendStory(cal calendar, a *adSet, budgets []data.BudgetRow) string {
	spend := func(from, to time.Time) float64 {
		return a.sum(func(r data.AdRow) bool { return r.Platform == OverspendPlatform && between(r.Date, from, to) }).spend
	}
	budget := func(m time.Time) float64 {
		for _, b := range budgets {
			if b.Platform == OverspendPlatform && b.Campaign == "" && b.Month.Equal(m) {
				return b.Budget
			}
		}
		return math.NaN()
	}
	prevSpend, prevBudget := spend(cal.prevMonth, cal.curMonth.AddDate(0, 0, -1)), budget(cal.prevMonth)
	s := fmt.Sprintf("Overspend: %s has run %.0f%% over its budget since %s (a raised bid cap, CPMs up 10%%): %s spent %s against a %s budget (x%.2f)",
		model.PlatformName(OverspendPlatform), (overspendFactor-1)*100, day(cal.prevMonth), cal.prevMonth.Format("January 2006"), money(prevSpend), money(prevBudget), prevSpend/prevBudget)
	if !cal.end.Before(cal.curMonth) {
		elapsed := cal.end.Day()
		mtd, b := spend(cal.curMonth, cal.end), budget(cal.curMonth)
		prorated := b * float64(elapsed) / float64(daysIn(cal.curMonth))
		s += fmt.Sprintf("; %s to date (%d days) %s against a pro-rated %s of its %s budget (x%.2f)",
			cal.curMonth.Format("January"), elapsed, money(mtd), money(prorated), money(b), mtd/prorated)
	}
	return s + ". Every other platform paces within ±2.5% of its budget (pro-rated through its own last day of data)."
}

func declineStory(cal calendar, a *adSet) string {
	mid := cal.end.AddDate(0, 0, -20)
	window := func(from, to time.Time) totals {
		return a.sum(func(r data.AdRow) bool { return r.Category == DecliningCategory && between(r.Date, from, to) })
	}
	last, before := window(mid, cal.end), window(cal.end.AddDate(0, 0, -41), mid.AddDate(0, 0, -1))
	var names []string
	for _, c := range catalog {
		if c.category == DecliningCategory {
			names = append(names, c.name)
		}
	}
	return fmt.Sprintf("Category decline: %s has lost efficiency steadily since %s (%d days): CPC up to +35%%, CVR down to -35%%, AOV -5%% by the last day; ROAS %.2f over %s to %s vs %.2f the three weeks before (%s), on %s.",
		DecliningCategory, day(cal.declineFrom), DeclineDays, last.roas(), day(mid), day(cal.end), before.roas(), pct(last.roas()/before.roas()-1), strings.Join(names, ", "))
}

func zeroConversionStory(cal calendar, a *adSet) string {
	t := a.sum(func(r data.AdRow) bool {
		return r.Campaign == ZeroConversionCampaign && !r.Date.Before(cal.zeroConvFrom)
	})
	return fmt.Sprintf("Zero conversions: TikTok campaign %q spent %s from %s to %s (the last %d days) with %.0f conversions: its pixel stopped firing; clicks and impressions carry on.",
		ZeroConversionCampaign, money(t.spend), day(cal.zeroConvFrom), day(cal.end), ZeroConversionDays, t.conv)
}

func staleStory(cal calendar) string {
	return fmt.Sprintf("Stale data: %s last day is %s, %d days behind every other platform (%s); its month-to-date figures and pacing stop there.",
		wording.Possessive(model.PlatformName(StalePlatform)), day(cal.staleEnd), StaleDays, day(cal.end))
}

func seasonStory(cal calendar) string {
	var peaks []string
	for y := cal.start.Year(); y <= cal.end.Year(); y++ {
		bf := blackFriday(y)
		if between(bf, cal.start, cal.end) {
			peaks = append(peaks, fmt.Sprintf("Black Friday %s and Cyber Monday %s", day(bf), day(bf.AddDate(0, 0, 3))))
		}
	}
	sort.Strings(peaks)
	return "Seasonality: " + strings.Join(peaks, "; ") + " peak spend, sales and store traffic (ramping the week before); December runs about 30% above an ordinary month, January 15% below; weekends bring stores up and online conversion rates down; about 10% growth year over year."
}

func day(d time.Time) string { return d.Format("Mon 2006-01-02") }

func pct(v float64) string { return fmt.Sprintf("%+.0f%%", v*100) }

// money formats dollars with thousands separators, cents only under $100.
func money(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	if math.Abs(v) < 100 {
		return fmt.Sprintf("$%.2f", v)
	}
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if v < 0 {
		return "-$" + b.String()
	}
	return "$" + b.String()
}
