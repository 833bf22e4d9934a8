package intents

import (
	"context"
	"fmt"
	"maps"
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
// must not single them out. A platform, region or category is still held
// to its ROAS, every dollar of it to what it returns, and its tests say
// what that is; a reach or store-traffic campaign, or campaign type, is not
// ranked on the revenue the platforms attribute to it, which leaves out
// what it is bought for (a ranking of campaigns by ROAS put two connected
// TV campaigns last, "cap its budget until it recovers").

// response are the response metrics a reach campaign is not bought for:
// nor is it bought for store visits, which a connected-TV campaign reports
// a few of, at a cost that would make its platform the worst place to buy
// them.
var response = []model.MetricID{model.Clicks, model.CTR, model.CPC, model.CVR, model.Conversions, model.CPA, model.CostPerStoreVisit}

// notBoughtFor lists, by campaign type, the metrics it is not bought for.
var notBoughtFor = map[string][]model.MetricID{
	"ctv":           response,
	"video":         response,
	"store_traffic": {model.Conversions, model.CVR, model.CPA},
}

// attributedOnly are the metrics of attributed revenue, which a reach or
// store-traffic campaign is not judged on, though the platforms and
// regions that run it are.
var attributedOnly = []model.MetricID{model.ROAS}

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
// for, why each group of dim is not judged on it, "" when it is: "bought
// for reach and views" for a campaign (or campaign type) not bought for
// it, and for a platform, account, category or region most of whose
// spend over q's period is on such campaigns, "63% of its spend bought for
// reach and views" (mixed is then true). nil when every group is judged on
// it.
func (e *Engine) reachCampaigns(ctx context.Context, q data.Query, metric model.MetricID, dim string) (why func(key string) string, mixed bool, err error) {
	if slices.Contains(attributedOnly, metric) {
		judged := func(types []string) string {
			if len(types) == 0 {
				return ""
			}
			for _, t := range types {
				if boughtFor[t] == "" {
					return ""
				}
			}
			return boughtForPhrase(boughtFor[types[0]])
		}
		switch dim {
		case model.DimCampaignType:
			return func(key string) string { return judged([]string{key}) }, false, nil
		case model.DimCampaign:
			types, err := e.st.CampaignTypes(ctx)
			if err != nil {
				return nil, false, err
			}
			return func(key string) string { return judged(types(key)) }, false, nil
		}
		return nil, false, nil
	}
	if !notBoughtForAny(metric) {
		return nil, false, nil // every campaign is held to it (ROAS, spend): no campaign types to read
	}
	switch dim {
	case model.DimCampaignType:
		return func(key string) string { return boughtForPhrase(notJudged(metric, []string{key})) }, false, nil
	case model.DimCampaign:
		types, err := e.st.CampaignTypes(ctx)
		if err != nil {
			return nil, false, err
		}
		return func(key string) string { return boughtForPhrase(notJudged(metric, types(key))) }, false, nil
	case model.DimPlatform, model.DimAccount, model.DimCategory, model.DimRegion:
		shares, err := e.reachShares(ctx, q, metric, dim)
		if err != nil || len(shares) == 0 {
			return nil, false, err
		}
		return func(key string) string { return shares[key] }, true, nil
	}
	return nil, false, nil
}

func boughtForPhrase(what string) string {
	if what == "" {
		return ""
	}
	return "bought for " + what
}

// reachShares returns, for the groups of dim most of whose spend over q's
// period is on campaigns not bought for metric, how much and what it is
// bought for instead. A platform that runs connected TV beside display is
// judged on its CPA; one whose spend is mostly connected TV is not, as its
// connected-TV campaigns are not.
func (e *Engine) reachShares(ctx context.Context, q data.Query, metric model.MetricID, dim string) (map[string]string, error) {
	// The spend of those campaigns alone first: most platforms run few or
	// none, and a split of every campaign's spend by type would read every
	// campaign of the period for a question the daily platform sums answer.
	var types []string
	for t, ms := range notBoughtFor {
		if slices.Contains(ms, metric) && (len(q.Filters[model.DimCampaignType]) == 0 || slices.Contains(q.Filters[model.DimCampaignType], t)) {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		return nil, nil
	}
	slices.Sort(types)
	filters := maps.Clone(q.Filters)
	if filters == nil {
		filters = map[string][]string{}
	}
	filters[model.DimCampaignType] = types
	byType, err := e.st.Run(ctx, data.Query{Metrics: []model.MetricID{model.Spend}, Period: q.Period, Filters: filters, GroupBy: []string{dim, model.DimCampaignType}})
	if err != nil || len(byType.Rows) == 0 {
		return nil, err
	}
	reach := map[string]float64{}
	whats := map[string][]string{}
	for _, r := range byType.Rows {
		if v := r.Values[model.Spend]; v != nil && *v > 0 {
			key, what := r.Key[dim], boughtFor[r.Key[model.DimCampaignType]]
			reach[key] += *v
			if !slices.Contains(whats[key], what) {
				whats[key] = append(whats[key], what)
			}
		}
	}
	if len(reach) == 0 {
		return nil, nil
	}
	all, err := e.st.Run(ctx, data.Query{Metrics: []model.MetricID{model.Spend}, Period: q.Period, Filters: q.Filters, GroupBy: []string{dim}})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range all.Rows {
		key, v := r.Key[dim], r.Values[model.Spend]
		if v == nil || *v <= 0 || reach[key] == 0 {
			continue
		}
		if share := reach[key] / *v; share > 0.5 {
			slices.Sort(whats[key])
			out[key] = fmt.Sprintf("%s of its spend bought for %s", wording.Value(model.UnitPercent, &share), strings.Join(whats[key], " or "))
		}
	}
	return out, nil
}

// isSum reports a metric that is a sum: its split or ranking says how much
// each group holds, which judges no group, so a share of the whole is of
// the whole, the spend bought for reach and all.
func isSum(metric model.MetricID) bool {
	mt, _ := model.LookupMetric(metric)
	return mt.Ratio == nil
}

// dropReach leaves the groups not judged on metric (reachCampaigns) out
// of rows judged on it, and says so: lead is how ("Not ranked", "Not
// judged on CPC").
//
// shown, when not 0, is how many groups the answer shows: a group left out
// is named only when, ranked alone beside those kept, it would have been
// among them, and the others are counted.
func (e *Engine) dropReach(ctx context.Context, q data.Query, rows []model.Row, metric model.MetricID, dim, lead string, shown int) ([]model.Row, []string, error) {
	if isSum(metric) {
		return rows, nil, nil
	}
	reach, mixed, err := e.reachCampaigns(ctx, q, metric, dim)
	if err != nil || reach == nil {
		return rows, nil, err
	}
	kept := make([]model.Row, 0, len(rows))
	out := leftOut{mixed: mixed, shown: shown, dim: dim}
	place := 0 // of the next group kept, among those a ranking shows
	for _, r := range rows {
		contends := r.Values[metric] != nil && r.Key[dim] != ""
		if why := reach(r.Key[dim]); why != "" {
			// Named when, ranked alone beside those kept, it would be shown.
			out.add(why, wording.DimValue(dim, r.Key[dim]), shown == 0 || contends && place < shown)
			continue
		}
		kept = append(kept, r)
		if contends {
			place++
		}
	}
	if len(out.order) == 0 {
		return rows, nil, nil
	}
	return kept, []string{out.note(lead, metric)}, nil
}

// dropReachRanked is dropReach for the groups at idx of a ranking: it
// returns the places of those it keeps.
func (e *Engine) dropReachRanked(ctx context.Context, q data.Query, rk *data.Ranking, idx []int, metric model.MetricID, dim, lead string, shown int) ([]int, []string, error) {
	if isSum(metric) {
		return idx, nil, nil
	}
	reach, mixed, err := e.reachCampaigns(ctx, q, metric, dim)
	if err != nil || reach == nil {
		return idx, nil, err
	}
	kept := make([]int, 0, len(idx))
	out := leftOut{mixed: mixed, shown: shown, dim: dim}
	place := 0
	for _, i := range idx {
		contends := rk.Value(i, metric) != nil && rk.Key(i) != ""
		if why := reach(rk.Key(i)); why != "" {
			out.add(why, wording.DimValue(dim, rk.Key(i)), shown == 0 || contends && place < shown)
			continue
		}
		kept = append(kept, i)
		if contends {
			place++
		}
	}
	if len(out.order) == 0 {
		return idx, nil, nil
	}
	return kept, []string{out.note(lead, metric)}, nil
}

// leftOut gathers the groups left out for what they are bought for, in
// the order met.
type leftOut struct {
	order   []string            // what they are bought for
	names   map[string][]string // by what they are bought for: those named
	unnamed map[string]int      // and how many more
	mixed   bool                // groups of campaigns, most of their spend left out
	shown   int                 // how many groups the answer shows, 0 for all
	dim     string              // what the groups are
}

// add counts a group left out for why; named, it is named in the note.
func (l *leftOut) add(why, name string, named bool) {
	if l.names == nil {
		l.names, l.unnamed = map[string][]string{}, map[string]int{}
	}
	if len(l.names[why]) == 0 && l.unnamed[why] == 0 {
		l.order = append(l.order, why)
	}
	if named {
		l.names[why] = append(l.names[why], name)
	} else {
		l.unnamed[why]++
	}
}

// maxLeftOutNamed is how many groups a note names for each reason before
// it counts the rest.
const maxLeftOutNamed = 5

// note says which groups were left out and why: lead is how ("Not
// ranked", "Not judged on CPC").
func (l *leftOut) note(lead string, metric model.MetricID) string {
	var parts []string
	n := 0
	for _, why := range l.order {
		names, more := l.names[why], l.unnamed[why]
		n += len(names) + more
		if len(names) > maxLeftOutNamed {
			// A thousand connected-TV campaigns are not a note.
			names, more = slices.Clone(names[:maxLeftOutNamed]), more+len(names)-maxLeftOutNamed
		}
		switch {
		case len(names) == 0:
			// None would have been shown: they are counted, not listed.
			parts = append(parts, fmt.Sprintf("%d %s (%s; none would have been among the %d shown)", more, pluralN(more, l.dim), why, l.shown))
			continue
		case more > 0:
			names = append(names, fmt.Sprintf("%d more", more))
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", wording.JoinAnd(names), why))
	}
	of := pluralWord(n, "it", "them")
	if l.mixed {
		of = "that spend"
	}
	if slices.Contains(attributedOnly, metric) {
		return fmt.Sprintf("%s: %s; the revenue the platforms attribute to %s leaves out what %s bought for.", lead, strings.Join(parts, "; "), of, pluralWord(n, "it is", "they are"))
	}
	return fmt.Sprintf("%s: %s; %s is no measure of %s.", lead, strings.Join(parts, "; "), wording.MidSentence(wording.MetricName(metric)), of)
}
