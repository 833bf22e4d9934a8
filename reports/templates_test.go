package reports

import (
	"strings"
	"testing"
)

// templateSamples are a value of each template's type, by template; the
// digest layout is rendered by the digest tests.
var templateSamples = map[string]any{
	"alert_text":          alertText{Title: "Alert: Meta", What: "Meta spent $1", Cause: "a campaign", Next: "trim it"},
	"alert_cleared_title": clearedAlert{Title: "Meta spend"},
	"alert_cleared":       clearedAlert{Now: "Spend is on plan.", Opened: "Mon Nov 16 09:00 UTC", Detail: "Meta spent $1"},
	"overspend_title":     overspend{Platform: "Meta", Over: "12.0%"},
	"anomaly_next_silent": silentCampaign{Campaign: "TikTok Spark Ads - Beauty"},
	"overspend_what":      overspend{Platform: "Meta", Spend: "$1,120", Day: "Sat Nov 21", Plan: "$1,000", Basis: "its plan for the day", Why: "November's budget spread as the same days a year earlier spent", Over: "12.0%", Excess: "$120", Threshold: "10.0%"},
	"overspend_next":      overspend{Platform: "Meta", Trim: "10.7%", Campaign: "Meta Brand"},
	"overspend_fine":      overspend{Platform: "Meta", Spend: "$1,000", Day: "Sat Nov 21", Plan: "$1,000"},
	"cause_spend_added":   spendAdded{Campaign: "Meta Brand", Spend: "$500", Change: "+$120"},
	"cause_spend_largest": spendLargest{Campaign: "Meta Brand", Spend: "$500", Share: "44.6%"},
	"anomaly_title":       anomaly{Platform: "Meta", Metric: "CPA", Sigmas: "3.1", Direction: "above"},
	"anomaly_what": anomaly{Platform: "Meta", Metric: "CPA", Day: "Sat Nov 21", Value: "$42.10", Sigmas: "3.1", Direction: "above", Mean: "$30.00",
		Days: 28, SD: "$3.90", Threshold: "3"},
	"anomaly_title_flat":  anomaly{Platform: "Meta", Metric: "CPA", Day: "Sun Nov 22", Value: "$29.00", Mean: "$20.00", Days: 28, SD: "$0.00", Direction: "above", Threshold: "3", Off: "45.0%", Floor: "2.00%"},
	"anomaly_what_flat":   anomaly{Platform: "Meta", Metric: "CPA", Day: "Sun Nov 22", Value: "$29.00", Mean: "$20.00", Days: 28, SD: "$0.00", Direction: "above", Threshold: "3", Off: "45.0%", Floor: "2.00%"},
	"anomaly_fine":        anomaly{Platform: "Meta", Metric: "CPA", Day: "Sat Nov 21", Value: "$30.10", Mean: "$30.00", Days: 28},
	"cause_ratio":         ratioCause{Campaign: "Meta Brand", Part: "+$9.80", Change: "+$12.10", Metric: "CPA", Value: "$52.00", WeekAgo: "$40.00"},
	"zero_title":          zeroAlert{Campaign: "Meta Brand", Days: 3},
	"zero_what":           zeroAlert{Campaign: "Meta Brand", Platform: "Meta", Spend: "$300", Period: "the last 3 days", Clicks: "40"},
	"zero_cause_tracking": zeroAlert{},
	"zero_cause_reach":    zeroAlert{},
	"zero_next":           zeroAlert{Campaign: "Meta Brand"},
	"zero_fine":           zeroAlert{Campaign: "Meta Brand", Platform: "Meta", Conversions: "4", Spend: "$300", Period: "the last 3 days"},
	"stale_title":         staleAlert{Source: "Criteo"},
	"stale_what":          staleAlert{Source: "Criteo", LastDay: "Thu Nov 19", Hours: "54", Threshold: "36"},
	"stale_cause_lagging": staleAlert{Source: "Criteo", LastDay: "Thu Nov 19", Imported: "Sun Nov 22 06:00 UTC"},
	"stale_cause_stopped": staleAlert{Source: "Criteo"},
	"stale_next":          staleAlert{Source: "Criteo", LastDay: "Thu Nov 19"},
	"stale_fine":          staleAlert{Source: "Criteo", LastDay: "Sat Nov 21"},
	"stale_sync_title":    staleAlert{Source: "warehouse"},
	"stale_sync_what":     staleAlert{Source: "warehouse", LastDay: "Thu Nov 19", Hours: "54", Threshold: "36", Imported: "Sat Nov 21 06:00 UTC"},
	"stale_sync_cause":    staleAlert{Source: "warehouse"},
	"stale_sync_next":     staleAlert{Source: "warehouse"},
	"stale_sync_fine":     staleAlert{Source: "warehouse", Imported: "Sun Nov 22 06:00 UTC"},
	"stale_sync_removed":  staleAlert{Source: "warehouse"},
	"highlight_change": highlightChange{Subject: "Meta", Metric: "CPA", Direction: "up", Change: "6.1%", Value: "$42", Old: "$40",
		Compare: "the week before", Driver: "Meta Brand"},
	"highlight_steady": highlightChange{Metric: "Spend", Value: "$1.2M", Change: "+0.4%", Compare: "the week before"},
	"highlight_pacing": highlightPacing{Platform: "Meta", Off: "8.2%", Direction: "over", Period: "this month", Spend: "$1,082", Plan: "$1,000"},
	"highlight_pacing_landing": highlightPacing{Platform: "Meta", Off: "6.7%", Direction: "over", Period: "this month to date", Spend: "$1,082",
		Projected: "$1,600", MonthBudget: "$1,500"},
	"highlight_trend":      highlightTrend{Metric: "Spend", Period: "the week of Nov 16", Value: "$1.2M", Change: "6.1%", Direction: "above", Weeks: 7, Average: "$1.1M"},
	"highlight_zero":       highlightZero{Count: 2, Campaign: "Meta Brand", Spend: "$300", Period: "the last 3 days"},
	"zero_summary":         zeroDigest{Count: 2, Spend: "$300", Period: "the last 3 days", List: "a on Meta ($200); b on Meta ($100)"},
	"zero_sowhat":          zeroDigest{Count: 2, Lead: "a", LeadClicks: "40 clicks", Campaigns: "a and b"},
	"zero_sowhat_noclicks": zeroDigest{Count: 2, Campaigns: "a and b"},
	"zero_none":            zeroDigest{Threshold: "$100", Period: "the last 3 days"},
	"holiday_note":         holidayCompare{Holiday: "Christmas", Compare: "Dec 22–28, 2025"},
	"lift_new":             newStudies{Period: "last week", Count: 1, Results: 4, Latest: "Meta Lift", Metric: "ad recall", Lift: "8.0%"},
	"lift_none":            newStudies{Period: "last week", Latest: "Meta Lift", LatestEnded: "Oct 26, 2026"},
	"highlight_unassigned": unassignedNote{Bucket: "(no category)", Share: "55%", Spend: "$279.7K", Dims: "category"},
	"projection_title":     projectionTitle{Month: "November 2026"},
	"mroas_title":          mroasAlert{Platform: "The Trade Desk", MROAS: "0.62x"},
	"mroas_what":           mroasAlert{Platform: "The Trade Desk", Spend: "$31,000", Rise: "24.0%", Before: "$25,000", MROAS: "0.62x", Floor: "1.00x", Threshold: "10.0%"},
	"mroas_cause":          mroasAlert{Platform: "The Trade Desk", Basis: "platform-reported revenue", Error: "3.1%"},
	"mroas_next":           mroasAlert{Platform: "The Trade Desk", Back: "$25,000", BackMROAS: "0.95x"},
	"mroas_fine":           mroasAlert{Platform: "The Trade Desk", Spend: "$25,000", Before: "$24,000", MROAS: "1.20x"},
}

func TestEveryReportTemplateRenders(t *testing.T) {
	for _, tmpl := range reportTemplates().Templates() {
		name := tmpl.Name()
		if name == "reports" || name == "digest_text" || strings.HasSuffix(name, ".tmpl") {
			continue
		}
		data, ok := templateSamples[name]
		if !ok {
			t.Errorf("template %s has no sample", name)
			continue
		}
		if out := say(name, data); strings.Contains(out, "unavailable") || strings.Contains(out, "<no value>") || out == "" {
			t.Errorf("template %s: %q", name, out)
		}
	}
}
