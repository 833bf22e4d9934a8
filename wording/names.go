package wording

import (
	"sort"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// campaignTypeNames are the display names of campaign types whose name is
// not just their id in words.
var campaignTypeNames = map[string]string{
	"ctv":                "CTV",
	"performance_max":    "Performance Max",
	"sponsored_products": "Sponsored Products",
	"sponsored_brands":   "Sponsored Brands",
	"sponsored_display":  "Sponsored Display",
}

// liftMetricNames are the display names of brand-lift metrics.
var liftMetricNames = map[string]string{
	"ad_recall":       "Ad recall",
	"awareness":       "Awareness",
	"consideration":   "Consideration",
	"purchase_intent": "Purchase intent",
	"favorability":    "Favorability",
}

// DimLiftMetric is the dimension of a brand-lift result's metric.
const DimLiftMetric = "metric"

// DisplayName is how people read a dimension's value: platform and
// campaign-type ids become names ("Google Ads", "Sponsored Products",
// "CTV"), a brand-lift metric id its name ("Ad recall"), week and month
// keys the label the text uses ("week of Nov 23"), and an empty value the
// unassigned bucket ("(no region)").
func DisplayName(dim, v string) string {
	if v == "" {
		return "(no " + strings.ReplaceAll(dim, "_", " ") + ")"
	}
	switch dim {
	case model.DimPlatform:
		return model.PlatformName(v)
	case model.DimCampaignType:
		if n, ok := campaignTypeNames[v]; ok {
			return n
		}
		return Capitalize(strings.ReplaceAll(v, "_", " "))
	case DimLiftMetric:
		if n, ok := liftMetricNames[v]; ok {
			return n
		}
		return Capitalize(strings.ReplaceAll(v, "_", " "))
	case model.DimDay, model.DimWeek, model.DimMonth:
		if d, err := time.Parse(period.DateLayout, v); err == nil {
			switch dim {
			case model.DimDay:
				return d.Format("Mon Jan 2")
			case model.DimWeek:
				return "week of " + d.Format("Jan 2")
			}
			return d.Format("January 2006")
		}
	case model.DimChannel:
		return Capitalize(v)
	}
	return v
}

// LiftMetricName is a brand-lift metric as it reads mid-sentence: "ad
// recall".
func LiftMetricName(id string) string {
	return strings.ToLower(DisplayName(DimLiftMetric, id))
}

// Possessive writes a name's possessive: "Meta's", but "Google Ads'" and
// "Microsoft Ads'" for names ending in s.
func Possessive(name string) string {
	if name == "" {
		return name
	}
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "S") {
		return name + "'"
	}
	return name + "'s"
}

// Unassigned reports whether a dimension value is the bucket of rows with
// none ("" or "(no region)"): it never leads a breakdown.
func Unassigned(v string) bool {
	return v == "" || strings.HasPrefix(v, "(no ") || strings.EqualFold(v, "unknown") || strings.EqualFold(v, "unassigned")
}

// UnassignedLast moves the rows whose key for dim is unassigned to the end,
// keeping the order of the others.
func UnassignedLast(rows []model.Row, dim string) {
	sort.SliceStable(rows, func(i, j int) bool {
		return !Unassigned(rows[i].Key[dim]) && Unassigned(rows[j].Key[dim])
	})
}

// DisplayNames are DisplayName of each value.
func DisplayNames(dim string, vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = DisplayName(dim, v)
	}
	return out
}
