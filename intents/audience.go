package intents

import (
	"slices"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// topLineAudiences read "revenue" as the business's: a CEO or CFO asking
// for revenue means what the company booked, not what the ad platforms
// claim for their ads.
var topLineAudiences = []string{string(model.AudienceCEO), string(model.AudienceCFO)}

// attributedWords say the revenue meant is the platforms': "attributed
// revenue", "platform revenue", "ad revenue", "conversion value".
var attributedWords = lazyre.New(`(?i)\b(attributed|attribution|platforms?|ads?|conversion value|conv value|purchase value|claim(s|ed)?)\b`)

// revenueForAudience reads plain "revenue" as business revenue for the CEO
// and CFO when the question is about the whole business (no platform,
// campaign or category, whose revenue can only be attributed), and says so.
func revenueForAudience(req question.Request) question.Request {
	if !slices.Contains(topLineAudiences, req.Audience) || req.MetricsDefaulted || !slices.Contains(req.Metrics, model.Revenue) ||
		slices.Contains(req.Metrics, model.BusinessRevenue) || attributedWords.MatchString(req.Question) {
		return req
	}
	switch req.Intent {
	case question.IntentValue, question.IntentCompare, question.IntentTrend, question.IntentWhy:
	default:
		return req
	}
	for d := range req.Filters {
		if model.IsAdDimension(d) {
			return req
		}
	}
	for _, d := range req.GroupBy {
		if model.IsAdDimension(d) {
			return req
		}
	}
	req.Metrics = slices.Clone(req.Metrics)
	for i, m := range req.Metrics {
		if m == model.Revenue {
			req.Metrics[i] = model.BusinessRevenue
		}
	}
	for i, h := range req.Having {
		if h.Metric == model.Revenue {
			req.Having = slices.Clone(req.Having)
			req.Having[i].Metric = model.BusinessRevenue
		}
	}
	req.Notes = append(slices.Clone(req.Notes), "Revenue read as business revenue, what the business booked; ask for \"attributed revenue\" for what the ad platforms claim.")
	return req
}
