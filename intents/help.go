package intents

import (
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

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

// helpMetrics are the metrics help names, as it names them.
var helpMetrics = []struct {
	id   model.MetricID
	word string
}{
	{model.Spend, "spend"}, {model.ROAS, "ROAS"}, {model.CPA, "CPA"}, {model.CAC, "CAC"}, {model.MER, "MER"}, {model.CTR, "CTR"}, {model.CPC, "CPC"}, {model.CPM, "CPM"},
	{model.CVR, "conversion rate"}, {model.Revenue, "revenue"}, {model.NewCustomers, "new customers"}, {model.PaybackMonths, "payback"}, {model.StoreVisits, "store visits"},
	{model.Engagements, "engagement"}, {model.VideoViews, "video views"}, {model.Budget, "budget"}, {model.Pacing, "pacing"},
}

// help says what can be asked, with examples for the asker's role.
func help(req question.Request) model.Answer {
	a := model.Answer{Question: req.Question, Intent: string(question.IntentHelp), Metrics: []model.MetricID{}, Period: dr(req.Period), Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{}}
	a.Summary = "I answer questions about your ad platforms and business results from one set of numbers: values, comparisons (periods or platforms), breakdowns, top and bottom lists, trends, what drove a change, budget pacing, brand-lift studies and incrementality tests."
	var names []string
	for _, m := range helpMetrics {
		if !hides(req, m.id) {
			names = append(names, m.word)
		}
	}
	a.SoWhat = "Metrics: " + wording.JoinAnd(names) + ". Periods: yesterday, last week, MTD, last month, Q3, YoY, Black Friday and more."
	a.Suggestions = Examples(req.Audience)
	return a
}

// unknown answers a question that is not about the marketing data.
func unknown(req question.Request) model.Answer {
	a := model.Answer{Question: req.Question, Intent: string(question.IntentUnknown), Metrics: []model.MetricID{}, Period: dr(req.Period), Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{}, Notes: req.Notes}
	a.Summary = "I can't answer that from the marketing data. I answer questions about spend, results and efficiency across your ad platforms."
	a.Suggestions = req.Suggestions
	if len(a.Suggestions) == 0 {
		a.Suggestions = Examples(req.Audience)[:3]
	}
	a.Clarify = "Did you mean one of these?"
	return a
}

// clarification asks what the parser could not settle, and says what it did.
func clarification(req question.Request) model.Answer {
	a := model.Answer{Question: req.Question, Intent: string(req.Intent), Metrics: req.Metrics, Period: dr(req.Period),
		Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{}, Clarify: req.Clarify, Suggestions: req.Suggestions, Notes: req.Notes}
	if a.Metrics == nil {
		a.Metrics = []model.MetricID{}
	}
	a.Summary = req.Clarify
	if u := understood(req); u != "" {
		a.Summary = "I understood: " + u + ". " + req.Clarify
	}
	return a
}

// understood says in words what a question was read as, so a clarifying
// reply shows what is settled and what is not.
func understood(req question.Request) string {
	var parts []string
	if len(req.Metrics) > 0 && !req.MetricsDefaulted {
		names := make([]string, len(req.Metrics))
		for i, m := range req.Metrics {
			names[i] = wording.MetricName(m)
		}
		parts = append(parts, wording.JoinAnd(names))
	}
	if s := subject(req.Filters); s != "" {
		parts = append(parts, s)
	}
	if len(req.GroupBy) > 0 {
		parts = append(parts, "by "+strings.ReplaceAll(strings.Join(req.GroupBy, " and "), "_", " "))
	}
	if !req.PeriodDefaulted && !req.Period.Start.IsZero() {
		parts = append(parts, periodLabel(req.Period))
	}
	return strings.Join(parts, ", ")
}
