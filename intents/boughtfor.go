package intents

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// A campaign is judged on what it is bought for. Connected-TV and video
// campaigns buy reach and completed views: nobody clicks a TV, so their
// clicks, CTR, CPC, conversions, conversion rate and CPA say nothing about
// them. Store-traffic campaigns buy store visits: their online conversions
// and CPA are no measure of them. A ranking or a next step on those metrics
// must not single them out. ROAS stays: every dollar of spend is held to
// what it returns.

// response are the response metrics a reach campaign is not bought for.
var response = []model.MetricID{model.Clicks, model.CTR, model.CPC, model.CVR, model.Conversions, model.CPA}

// notBoughtFor lists, by campaign type, the metrics it is not bought for.
var notBoughtFor = map[string][]model.MetricID{
	"ctv":           response,
	"video":         response,
	"store_traffic": {model.Conversions, model.CVR, model.CPA},
}

// boughtFor says what each of those campaign types is bought for.
var boughtFor = map[string]string{"ctv": "reach and views", "video": "reach and views", "store_traffic": "store visits"}

// notBoughtForAny reports whether some campaign type is not bought for
// metric.
func notBoughtForAny(metric model.MetricID) bool {
	for _, ms := range notBoughtFor {
		if slices.Contains(ms, metric) {
			return true
		}
	}
	return false
}

// notJudged returns what campaigns of all of types are bought for when
// none of them is bought for metric, "" otherwise.
func notJudged(metric model.MetricID, types []string) string {
	if len(types) == 0 {
		return ""
	}
	for _, t := range types {
		if !slices.Contains(notBoughtFor[t], metric) {
			return ""
		}
	}
	return boughtFor[types[0]]
}

// reachCampaigns returns, for a metric some campaign types are not bought
// for, what each campaign (or campaign type, by dim) is bought for instead
// when it is not bought for metric; nil for other dimensions.
func (e *Engine) reachCampaigns(ctx context.Context, metric model.MetricID, dim string) (func(key string) string, error) {
	if !notBoughtForAny(metric) {
		return nil, nil // every campaign is held to it (ROAS, spend): no campaign types to read
	}
	switch dim {
	case model.DimCampaignType:
		return func(key string) string { return notJudged(metric, []string{key}) }, nil
	case model.DimCampaign:
		types, err := e.st.CampaignTypes(ctx)
		if err != nil {
			return nil, err
		}
		return func(key string) string { return notJudged(metric, types[key]) }, nil
	}
	return nil, nil
}

// dropReach leaves the campaigns not bought for metric out of rows judged
// on it, and says so: lead is how ("Left out of the ranking", "Not
// judged on CPC").
func (e *Engine) dropReach(ctx context.Context, rows []model.Row, metric model.MetricID, dim, lead string) ([]model.Row, []string, error) {
	reach, err := e.reachCampaigns(ctx, metric, dim)
	if err != nil || reach == nil {
		return rows, nil, err
	}
	kept := make([]model.Row, 0, len(rows))
	var out leftOut
	for _, r := range rows {
		if why := reach(r.Key[dim]); why != "" {
			out.add(why, wording.DimValue(dim, r.Key[dim]))
			continue
		}
		kept = append(kept, r)
	}
	if len(out.order) == 0 {
		return rows, nil, nil
	}
	return kept, []string{out.note(lead, metric)}, nil
}

// dropReachRanked is dropReach for the groups at idx of a ranking: it
// returns the places of those it keeps.
func (e *Engine) dropReachRanked(ctx context.Context, rk *data.Ranking, idx []int, metric model.MetricID, dim, lead string) ([]int, []string, error) {
	reach, err := e.reachCampaigns(ctx, metric, dim)
	if err != nil || reach == nil {
		return idx, nil, err
	}
	kept := make([]int, 0, len(idx))
	var out leftOut
	for _, i := range idx {
		if why := reach(rk.Key(i)); why != "" {
			out.add(why, wording.DimValue(dim, rk.Key(i)))
			continue
		}
		kept = append(kept, i)
	}
	if len(out.order) == 0 {
		return idx, nil, nil
	}
	return kept, []string{out.note(lead, metric)}, nil
}

// leftOut gathers the groups left out for what they are bought for, in
// the order met.
type leftOut struct {
	order []string            // what they are bought for
	names map[string][]string // by what they are bought for
}

func (l *leftOut) add(why, name string) {
	if l.names == nil {
		l.names = map[string][]string{}
	}
	if len(l.names[why]) == 0 {
		l.order = append(l.order, why)
	}
	l.names[why] = append(l.names[why], name)
}

// note says which groups were left out and why: lead is how ("Left out
// of the ranking", "Not judged on CPC").
func (l *leftOut) note(lead string, metric model.MetricID) string {
	var parts []string
	n := 0
	for _, why := range l.order {
		n += len(l.names[why])
		parts = append(parts, fmt.Sprintf("%s (bought for %s)", wording.JoinAnd(l.names[why]), why))
	}
	return fmt.Sprintf("%s: %s; %s is no measure of %s.", lead, strings.Join(parts, "; "), wording.MidSentence(wording.MetricName(metric)), pluralWord(n, "it", "them"))
}
