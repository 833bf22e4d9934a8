package intents

import (
	"context"
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

func (e *Engine) brandLift(ctx context.Context, req question.Request) (model.Answer, error) {
	p := req.Period
	if req.PeriodDefaulted || p.Days() < 28 {
		// Studies run for weeks: a short window would miss them.
		p = period.Period{Start: req.Period.End.AddDate(-1, 0, 1), End: req.Period.End, Label: "in the last 12 months"}
		if !req.PeriodDefaulted {
			req.Notes = append(req.Notes, "Brand-lift studies run for weeks, so this looks at studies that ended in the last 12 months.")
		}
	}
	a := model.Answer{Question: req.Question, Intent: string(question.IntentBrandLift), Metrics: []string{"brand_lift"}, Period: dr(p),
		Filters: map[string][]string{}, GroupBy: []string{"study", "platform", "metric"}, Rows: []model.Row{}, Notes: req.Notes}
	platforms := req.Filters[model.DimPlatform]
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
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{"study": r.Study, "platform": r.Platform, "metric": r.Metric, "end_date": r.EndDate.Format(period.DateLayout)}, Values: model.Values{"brand_lift": model.Float(r.Lift)}})
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
		a.Summary += fmt.Sprintf(" Strongest: %s on %s lifted %s by %s.", best.Study, model.PlatformName(best.Platform), strings.ReplaceAll(best.Metric, "_", " "), wording.Value(model.UnitPercent, &best.Lift))
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

func forPlatforms(ps []string) string {
	if len(ps) == 0 {
		return ""
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = model.PlatformName(p)
	}
	return " on " + wording.JoinAnd(names)
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// examples are questions that work, per audience.
var examples = map[string][]string{
	"cfo":           {"What was our blended CAC last month?", "Are we on budget this month?", "MER vs last year", "CAC payback last quarter"},
	"cmo":           {"Brand lift studies", "Engagement rate by platform last month", "Compare google and meta roas last month", "Which campaigns had the highest CTR last week?"},
	"ceo":           {"Business revenue this month vs last year", "Ad-attributed revenue vs business revenue last month", "MER last quarter", "Revenue trend by month this year"},
	"stores":        {"Store visits last week", "Cost per store visit by platform last month", "Weekly store visits trend over the last 8 weeks"},
	"merchandising": {"ROAS by category last month", "Worst category by ROAS last 30 days", "Spend by category this month"},
	"team":          {"How did Meta CPA change last week?", "Why did CPA go up last week?", "Top 5 campaigns by spend yesterday", "Weekly spend trend for Meta over the last 8 weeks"},
}

// Examples returns example questions for an audience (all when unknown).
func Examples(audience string) []string {
	if ex, ok := examples[audience]; ok {
		return ex
	}
	return []string{"How did Meta CPA change last week?", "Compare google and meta roas last month", "What was our blended CAC last month?", "Are we on budget this month?", "Why did ROAS drop last week?"}
}

func help(req question.Request) model.Answer {
	a := model.Answer{Question: req.Question, Intent: string(question.IntentHelp), Metrics: []string{}, Period: dr(req.Period), Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{}}
	a.Summary = "I answer questions about your ad platforms and business results from one set of numbers: values, comparisons (periods or platforms), breakdowns, top and bottom lists, trends, what drove a change, budget pacing and brand-lift studies."
	a.SoWhat = "Metrics: spend, ROAS, CPA, CAC, MER, CTR, CPC, CPM, conversion rate, revenue, new customers, payback, store visits, engagement, video views, budget and pacing. Periods: yesterday, last week, MTD, last month, Q3, YoY, Black Friday and more."
	a.Suggestions = Examples(req.Audience)
	return a
}

func unknown(req question.Request) model.Answer {
	a := model.Answer{Question: req.Question, Intent: string(question.IntentUnknown), Metrics: []string{}, Period: dr(req.Period), Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{}, Notes: req.Notes}
	a.Summary = "I can't answer that from the marketing data. I answer questions about spend, results and efficiency across your ad platforms."
	a.Suggestions = req.Suggestions
	if len(a.Suggestions) == 0 {
		a.Suggestions = Examples(req.Audience)[:3]
	}
	a.Clarify = "Did you mean one of these?"
	return a
}
