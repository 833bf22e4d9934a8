package intents

import (
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/wording"
)

// pluralN names n values of a dimension: "1 campaign", "2 campaigns".
func pluralN(n int, dim string) string {
	if n == 1 {
		return strings.ReplaceAll(dim, "_", " ")
	}
	return plural(dim)
}

// forSubject is " for Meta" for a question with a subject, "" otherwise.
func forSubject(filters map[string][]string) string {
	if s := subject(filters); s != "" {
		return " for " + s
	}
	return ""
}

// plural names a dimension's values: "campaigns", "categories".
func plural(dim string) string {
	switch dim {
	case model.DimCategory:
		return "categories"
	case model.DimCampaignType:
		return "campaign types"
	}
	return strings.ReplaceAll(dim, "_", " ") + "s"
}

// pluralWord is one or many by n.
func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// subject names what the question is about: "Meta", "Google Ads and Meta",
// "Electronics", or "" for everything.
func subject(filters map[string][]string) string { return subjectExcept(filters, nil) }

// subjectExcept is subject for a request that left values out: "every
// platform except Meta" reads better than the seven others.
func subjectExcept(filters, excluded map[string][]string) string {
	var parts, but []string
	for _, d := range []string{model.DimPlatform, model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimRegion, model.DimChannel} {
		vals := filters[d]
		if len(vals) == 0 {
			continue
		}
		if out := excluded[d]; len(out) > 0 {
			but = append(but, wording.JoinAnd(dimNames(d, out)))
			continue
		}
		s := wording.JoinAnd(dimNames(d, vals))
		switch d {
		case model.DimCampaignType:
			s += " campaigns"
		case model.DimCategory:
			s += " category"
		case model.DimChannel:
			s += " channel"
		}
		parts = append(parts, s)
	}
	if len(but) > 0 {
		if len(parts) == 0 {
			return "All but " + strings.Join(but, " and ")
		}
		parts = append(parts, "(all but "+strings.Join(but, " and ")+")")
	}
	return strings.Join(parts, " ")
}

// headSubject is the subject that starts a sentence: "Meta", or "Total"
// for a sum and "Overall" for a rate over everything.
func headSubject(req question.Request, metric model.MetricID) string {
	if s := subjectExcept(req.Filters, req.Excluded); s != "" {
		return wording.Capitalize(s)
	}
	if mt, ok := model.LookupMetric(metric); ok && (mt.Unit == model.UnitCurrency || mt.Unit == model.UnitCount) && mt.Ratio == nil {
		return "Total"
	}
	return "Overall"
}

// periodLabel says a period in words with its dates: "last week (Nov 16–22, 2026)".
func periodLabel(p period.Period) string {
	dates := wording.PeriodText(dr(p))
	if p.Label == "" || strings.EqualFold(p.Label, dates) {
		return "for " + dates
	}
	label := p.Label
	if strings.HasPrefix(label, "20") || strings.HasPrefix(label, "fiscal ") || strings.HasPrefix(label, "FY") || isMonthName(label) || len(label) > 1 && label[0] == 'Q' && label[1] >= '1' && label[1] <= '4' {
		label = "in " + label
	}
	return label + " (" + dates + ")"
}

// isMonthName reports whether s starts with a month's name.
func isMonthName(s string) bool {
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(s, m.String()) {
			return true
		}
	}
	return false
}

// compareLabel says what a figure is compared with: "vs last week (Nov 9–15, 2026)".
func compareLabel(p *period.Period) string {
	if p == nil {
		return ""
	}
	if p.Label == "" {
		return "vs " + wording.PeriodText(dr(*p))
	}
	return "vs " + p.Label + " (" + wording.PeriodText(dr(*p)) + ")"
}

// dimNames are the names of a dimension's values as people say them:
// platform ids become platform names.
func dimNames(dim string, vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = wording.DimValue(dim, v)
	}
	return out
}
