package reports

import (
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/wording"
)

// newLiftStudies keeps, of a brand-lift answer over the last months, the
// studies that ended in the digest's period p: a study is news once, in the
// digest of the period it ended in. When none did, it says so and names the
// latest study, without repeating its results.
func newLiftStudies(a *model.Answer, p period.Period) {
	if a.Clarify != "" {
		return
	}
	var kept []model.Row
	var latest model.Row
	var latestEnd time.Time
	studies := map[string]bool{}
	for _, r := range a.Rows {
		end, err := time.Parse(period.DateLayout, r.Key["end_date"])
		if err != nil {
			continue
		}
		if !end.Before(p.Start) && !end.After(p.End) {
			kept = append(kept, r)
			studies[r.Key["study"]] = true
			continue
		}
		if end.Before(p.Start) && end.After(latestEnd) {
			latest, latestEnd = r, end
		}
	}
	if len(a.Rows) > 0 && len(kept) == len(a.Rows) {
		return
	}
	a.Period = dr(p)
	a.Notes = nil
	f := newStudies{Period: p.Label + " (" + wording.PeriodText(dr(p)) + ")", Count: len(studies), Results: len(kept)}
	if len(kept) > 0 {
		a.Rows = kept
		best := kept[0]
		for _, r := range kept {
			if *r.Values[model.BrandLift] > *best.Values[model.BrandLift] {
				best = r
			}
		}
		f.Latest, f.Metric, f.Lift = best.Key["study"], wording.LiftMetricName(best.Key["metric"]), wording.Value(model.UnitPercent, best.Values[model.BrandLift])
		if !strings.Contains(a.SoWhat, f.Latest) {
			a.SoWhat = ""
		}
		a.Summary = say("lift_new", f)
		return
	}
	a.Rows = []model.Row{}
	if !latestEnd.IsZero() {
		f.Latest, f.LatestEnded = latest.Key["study"], latestEnd.Format("Jan 2, 2006")
	}
	a.Summary, a.SoWhat = say("lift_none", f), ""
}
