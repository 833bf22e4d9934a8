package intents

import (
	"context"
	"fmt"
	"slices"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// brandLift lists the brand-lift studies that ended in the period and the
// strongest significant result.
func (e *Engine) brandLift(ctx context.Context, req question.Request) (model.Answer, error) {
	p := req.Period
	if req.PeriodDefaulted || p.Days() < 28 {
		// Studies run for weeks: a short window would miss them.
		p = period.Period{Start: req.Period.End.AddDate(-1, 0, 1), End: req.Period.End, Label: "in the last 12 months"}
		if !req.PeriodDefaulted {
			req.Notes = append(req.Notes, "Brand-lift studies run for weeks, so this looks at studies that ended in the last 12 months.")
		}
	}
	a := model.Answer{Question: req.Question, Intent: string(question.IntentBrandLift), Metrics: []model.MetricID{model.BrandLift}, Period: dr(p),
		Filters: map[string][]string{}, GroupBy: []string{"study", "platform", "metric"}, Rows: []model.Row{}, Notes: req.Notes}
	platforms := req.Filters[model.DimPlatform]
	if named := req.Filters[model.DimCampaign]; len(platforms) == 0 && len(named) > 0 {
		// Studies are run on platforms: "brand lift on youtube" is the
		// studies of the platform its campaigns run on.
		byCampaign, err := e.st.CampaignPlatforms(ctx)
		if err != nil {
			return a, err
		}
		for _, c := range named {
			for _, pl := range byCampaign[c] {
				if !slices.Contains(platforms, pl) {
					platforms = append(platforms, pl)
				}
			}
		}
	}
	if len(platforms) > 0 {
		a.Filters[model.DimPlatform] = platforms
	}
	rows, err := e.st.BrandLift(ctx, dr(p), platforms)
	if err != nil {
		return a, err
	}
	if len(rows) == 0 {
		a.Summary = fmt.Sprintf("No brand-lift study%s ended %s.", forPlatforms(platforms), periodLabel(p))
		a.SoWhat = "Next: ask your Meta, Google or TikTok rep for a lift study on the next big flight; it is the cleanest read on brand impact."
		return a, nil
	}
	studies := map[string]bool{}
	var best *data.BrandLiftRow
	insignificant := 0
	for i, r := range rows {
		studies[r.Study] = true
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{"study": r.Study, "platform": r.Platform, "metric": r.Metric, "end_date": r.EndDate.Format(period.DateLayout)}, Values: model.Values{model.BrandLift: model.Float(r.Lift)}})
		if r.Significant.Valid && !r.Significant.Bool {
			insignificant++
			continue
		}
		if best == nil || r.Lift > best.Lift {
			best = &rows[i]
		}
	}
	a.Summary = fmt.Sprintf("%d brand-lift %s%s ended %s, with %d results.", len(studies), pluralWord(len(studies), "study", "studies"), forPlatforms(platforms), periodLabel(p), len(rows))
	if best != nil {
		a.Summary += fmt.Sprintf(" Strongest: %s on %s lifted %s by %s.", best.Study, model.PlatformName(best.Platform), wording.LiftMetricName(best.Metric), wording.Value(model.UnitPercent, &best.Lift))
	}
	switch {
	case best == nil:
		a.SoWhat = "None of the results is statistically significant. Next: run the next study with a bigger budget or a longer flight before drawing conclusions."
	case insignificant > 0:
		a.SoWhat = fmt.Sprintf("%d of %d results are not statistically significant; treat them as directional. Next: put more of the upper-funnel budget behind what %s did.", insignificant, len(rows), best.Study)
	default:
		a.SoWhat = fmt.Sprintf("Every result is significant. Next: put more of the upper-funnel budget behind what %s did.", best.Study)
	}
	return a, nil
}

// forPlatforms is " on Meta and TikTok" for a list of platforms, "" for none.
func forPlatforms(ps []string) string {
	if len(ps) == 0 {
		return ""
	}
	return " on " + wording.JoinAnd(dimNames(model.DimPlatform, ps))
}
