package question

import "github.com/sowhat-ai/sowhat/model"

// multiEntity reports two or more values of one dimension: "google vs meta".
func (sd *said) multiEntity() bool {
	for _, v := range sd.filters {
		if len(v) > 1 {
			return true
		}
	}
	return false
}

// chooseIntent picks what the question asks for. The more specific
// intents win: brand lift and pacing name their own topic, "why" asks for
// drivers, a superlative ranks, a grain or "trend" makes a series.
func chooseIntent(sd *said, groupBy []string, pp periodPair) Intent {
	switch {
	case sd.isIncrementality():
		return IntentIncrementality
	case sd.brandLift:
		return IntentBrandLift
	case sd.isPacing():
		return IntentPacing
	case sd.why:
		return IntentWhy
	case sd.isTop(groupBy, pp):
		return IntentTop
	case sd.trend || sd.grain != "":
		return IntentTrend
	case sd.isCompare(pp):
		return IntentCompare
	case sd.breakdown || len(groupBy) > 0:
		return IntentBreakdown
	}
	return IntentValue
}

func (sd *said) isPacing() bool {
	if sd.pacing {
		return true
	}
	for _, m := range sd.metrics {
		if m == model.Budget || m == model.Pacing {
			return true
		}
	}
	return false
}

// isTop reports a ranking: a superlative, or "which platform is better".
func (sd *said) isTop(groupBy []string, pp periodPair) bool {
	if len(sd.sups) > 0 {
		return true
	}
	return sd.comparative != "" && sd.which && len(groupBy) > 0 && !sd.multiEntity() && pp.cmp == nil
}

// isCompare reports a comparison of periods or of named things.
func (sd *said) isCompare(pp periodPair) bool {
	if sd.compareKw || pp.cmp != nil || sd.shift || sd.prev || sd.change {
		return true
	}
	return sd.multiEntity() && (len(sd.vsAt) > 0 || sd.joinOr)
}
