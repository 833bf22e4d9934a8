package intents

import (
	"context"
	"fmt"
	"slices"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// A campaign is judged on what it is bought for. Connected-TV and video
// campaigns buy reach and completed views: nobody clicks a TV, so their
// clicks, CTR, CPC and conversion rate say nothing about them, and a
// ranking or a next step on those metrics must not single them out.

// reachTypes are the campaign types bought for reach, not clicks.
var reachTypes = []string{"ctv", "video"}

// clickMetrics are the metrics reach campaigns are not bought for.
var clickMetrics = []model.MetricID{model.Clicks, model.CTR, model.CPC, model.CVR}

// notBoughtFor reports whether a campaign of one of types is not bought
// for metric.
func notBoughtFor(metric model.MetricID, types []string) bool {
	if !slices.Contains(clickMetrics, metric) || len(types) == 0 {
		return false
	}
	for _, t := range types {
		if !slices.Contains(reachTypes, t) {
			return false
		}
	}
	return true
}

// reachCampaigns returns, for a metric reach campaigns are not bought for,
// the campaigns (or campaign types, by dim) that are bought for reach; nil
// for any other metric or dimension.
func (e *Engine) reachCampaigns(ctx context.Context, metric model.MetricID, dim string) (func(key string) bool, error) {
	if !slices.Contains(clickMetrics, metric) {
		return nil, nil
	}
	switch dim {
	case model.DimCampaignType:
		return func(key string) bool { return notBoughtFor(metric, []string{key}) }, nil
	case model.DimCampaign:
		types, err := e.st.CampaignTypes(ctx)
		if err != nil {
			return nil, err
		}
		return func(key string) bool { return notBoughtFor(metric, types[key]) }, nil
	}
	return nil, nil
}

// dropReach leaves the reach campaigns out of rows judged on a click
// metric, and says so: lead is how ("Left out of the ranking", "Not
// judged").
func (e *Engine) dropReach(ctx context.Context, rows []model.Row, metric model.MetricID, dim, lead string) ([]model.Row, []string, error) {
	reach, err := e.reachCampaigns(ctx, metric, dim)
	if err != nil || reach == nil {
		return rows, nil, err
	}
	kept := rows[:0:0]
	var out []string
	for _, r := range rows {
		if reach(r.Key[dim]) {
			out = append(out, wording.DimValue(dim, r.Key[dim]))
			continue
		}
		kept = append(kept, r)
	}
	if len(out) == 0 {
		return rows, nil, nil
	}
	note := fmt.Sprintf("%s: %s. Connected-TV and video campaigns are bought for reach and views, not clicks, so %s is no measure of %s.",
		lead, wording.JoinAnd(out), wording.MidSentence(wording.MetricName(metric)), pluralWord(len(out), "it", "them"))
	return kept, []string{note}, nil
}
