package ingest

import (
	"strings"
	"sync"
	"unicode"

	"github.com/sowhat-ai/sowhat/data"
)

// field is what a column feeds in a record.
type field int

const (
	fDate  field = iota
	fStart       // first day of the period a row covers (Meta, brand-lift studies)
	fEnd         // last day of it
	fPlatform
	fAccount
	fCampaign
	fCampaignType
	fCategory
	fRegion
	fSpend
	fImpressions
	fClicks
	fConversions
	fRevenue
	fStoreVisits
	fEngagements
	fVideoViews
	fNewCustomers
	fCurrency
	fChannel
	fOrders
	fGrossProfit
	fMonth
	fBudget
	fStudy
	fMetric
	fLift
	fSignificant
	fTest
	fOutcome
	fTestSpend
	fIncremental
	fIROAS
	fCILow
	fCIHigh
	fPValue
	fMethod
	fModel
	fROI
	fMROI
	fContribution
	fCurveSpend
	fCurveOutcome
	numFields
	fNone field = -1 // a marker column, read by nothing
)

// column lists the header names a field goes by in one format, best first.
// Names are normalised: lower case without spaces or underscores, so
// "Campaign type", "campaign_type" and "CampaignType" are one name.
type column struct {
	f     field
	names []string // as the platform writes them
	keys  []string // normalised
}

// spec describes one file format.
type spec struct {
	name     string // Format.Name
	title    string // how people call it, for messages
	kind     data.Kind
	platform string // native exports only
	native   bool
	columns  []column
	required []field

	markers       []column // at least one must be present, when given
	campaignType  string   // default campaign type (Amazon's ad products)
	blankIsTotal  bool     // a row without a campaign is the export's summary row (Meta)
	dailyHint     string   // how to export a daily breakdown from the platform
	clicksMissing string   // extra hint when the clicks column is missing
}

func cols(f field, names ...string) column {
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = normKey(n)
	}
	return column{f, names, keys}
}

var adsRequired = []field{fDate, fCampaign, fSpend, fImpressions, fClicks, fConversions, fRevenue}

// specs lists every format, canonical files first. Recognition picks the
// format whose required columns are all in a header row; when several are,
// the one that recognises most columns wins. Native formats only accept the
// names their platform uses, so a canonical file is never taken for one.
// They are made on the first import, not when a process that imports
// nothing (sowhat ask) starts.
var specs = sync.OnceValue(func() []*spec { return formatSpecs() })

func formatSpecs() []*spec {
	return []*spec{
		{
			name: "canonical", title: "canonical ads file", kind: data.KindAds,
			columns: []column{
				cols(fDate, "date"), cols(fPlatform, "platform"), cols(fAccount, "account"), cols(fCampaign, "campaign"),
				cols(fCampaignType, "campaign_type"), cols(fCategory, "category"), cols(fRegion, "region"),
				cols(fSpend, "spend"), cols(fImpressions, "impressions"), cols(fClicks, "clicks"),
				cols(fConversions, "conversions"), cols(fRevenue, "revenue"),
				cols(fStoreVisits, "store_visits"), cols(fEngagements, "engagements"), cols(fVideoViews, "video_views"),
				cols(fNewCustomers, "new_customers"), cols(fCurrency, "currency"),
			},
			required: []field{fDate, fPlatform, fCampaign, fSpend, fImpressions, fClicks, fConversions, fRevenue},
		},
		{
			name: "canonical", title: "canonical business file", kind: data.KindBusiness,
			columns: []column{
				cols(fDate, "date"), cols(fChannel, "channel"), cols(fOrders, "orders"), cols(fRevenue, "revenue"),
				cols(fNewCustomers, "new_customers"), cols(fGrossProfit, "gross_profit"), cols(fCurrency, "currency"),
			},
			required: []field{fDate, fChannel, fOrders, fRevenue, fNewCustomers},
		},
		{
			name: "canonical", title: "canonical budgets file", kind: data.KindBudgets,
			columns: []column{
				cols(fMonth, "month"), cols(fPlatform, "platform"), cols(fBudget, "budget"), cols(fCampaign, "campaign"),
				cols(fCurrency, "currency"),
			},
			required: []field{fMonth, fPlatform, fBudget},
		},
		{
			name: "canonical", title: "canonical brand-lift file", kind: data.KindBrandLift,
			columns: []column{
				cols(fStudy, "study"), cols(fPlatform, "platform"), cols(fStart, "start_date"), cols(fEnd, "end_date"),
				cols(fMetric, "metric"), cols(fLift, "lift_pct", "lift"), cols(fSignificant, "significant"),
			},
			required: []field{fStudy, fPlatform, fStart, fEnd, fMetric, fLift},
		},
		{
			name: "canonical", title: "canonical experiments file", kind: data.KindExperiments,
			columns: []column{
				cols(fTest, "test"), cols(fPlatform, "platform"), cols(fStart, "start_date"), cols(fEnd, "end_date"),
				cols(fOutcome, "outcome"), cols(fTestSpend, "test_spend"), cols(fIncremental, "incremental_outcome"),
				cols(fLift, "lift_pct", "lift"), cols(fIROAS, "iroas"), cols(fCILow, "ci_low"), cols(fCIHigh, "ci_high"),
				cols(fCampaign, "campaign"), cols(fCampaignType, "campaign_type"), cols(fPValue, "p_value"),
				cols(fSignificant, "significant"), cols(fMethod, "method"), cols(fCurrency, "currency"),
			},
			required: []field{fTest, fPlatform, fStart, fEnd, fOutcome, fTestSpend, fIncremental, fLift, fIROAS, fCILow, fCIHigh},
		},
		{
			name: "canonical", title: "canonical MMM file", kind: data.KindMMM,
			columns: []column{
				cols(fModel, "model"), cols(fChannel, "channel"), cols(fStart, "start_date"), cols(fEnd, "end_date"),
				cols(fROI, "roi"), cols(fMROI, "mroi", "marginal_roi"), cols(fContribution, "contribution"),
				cols(fCurveSpend, "curve_spend"), cols(fCurveOutcome, "curve_outcome"), cols(fCurrency, "currency"),
			},
			required: []field{fModel, fChannel, fStart, fEnd, fROI, fMROI, fContribution},
		},
		{
			name: "google_ads", title: "Google Ads export", kind: data.KindAds, platform: "google_ads", native: true,
			columns: []column{
				cols(fDate, "Day", "Date"), cols(fAccount, "Account", "Account name"), cols(fCampaign, "Campaign"),
				cols(fCampaignType, "Campaign type"), cols(fCurrency, "Currency code", "Currency"),
				cols(fSpend, "Cost"), cols(fImpressions, "Impr.", "Impressions"), cols(fClicks, "Clicks"),
				cols(fConversions, "Conversions"), cols(fRevenue, "Conv. value", "Conversion value"),
				cols(fStoreVisits, "Store visits"), cols(fEngagements, "Engagements"), cols(fVideoViews, "Views", "Video views"),
				cols(fNewCustomers, "New customers"),
			},
			required:  adsRequired,
			dailyHint: "in Google Ads, add Segment → Time → Day before downloading",
		},
		{
			name: "meta", title: "Meta Ads Manager export", kind: data.KindAds, platform: "meta", native: true,
			columns: []column{
				cols(fDate, "Day"), cols(fStart, "Reporting starts"), cols(fEnd, "Reporting ends"),
				cols(fAccount, "Account name"), cols(fCampaign, "Campaign name"), cols(fCurrency, "Currency"),
				cols(fSpend, "Amount spent"), cols(fImpressions, "Impressions"), cols(fClicks, "Link clicks"),
				cols(fConversions, "Purchases", "Website purchases"),
				cols(fRevenue, "Purchases conversion value", "Website purchases conversion value"),
				cols(fStoreVisits, "Store visits"), cols(fEngagements, "Post engagements", "Post engagement"),
				cols(fVideoViews, "ThruPlays", "Video plays", "3-second video plays"),
			},
			required:      adsRequired,
			blankIsTotal:  true,
			dailyHint:     "in Ads Manager, choose Breakdown → By time → Day before exporting",
			clicksMissing: `Meta's clicks are "Link clicks"; "Clicks (all)" counts every click on the ad and is not used`,
		},
		amazonSpec("amazon_sp", "Amazon Sponsored Products report", "sponsored_products", "7"),
		amazonSpec("amazon_sd", "Amazon Sponsored Display report", "sponsored_display", "14",
			// Only Sponsored Display reports say how a campaign bids and targets.
			cols(fNone, "Cost type", "Bid optimization", "Tactic")),
		amazonSpec("amazon_sb", "Amazon Sponsored Brands report", "sponsored_brands", "14"),
		{
			name: "the_trade_desk", title: "The Trade Desk report", kind: data.KindAds, platform: "the_trade_desk", native: true,
			columns: []column{
				cols(fDate, "Date", "Day"), cols(fAccount, "Advertiser", "Advertiser Name"), cols(fCampaign, "Campaign", "Campaign Name"),
				cols(fCurrency, "Advertiser Currency Code", "Currency Code"),
				cols(fSpend, "Advertiser Cost (Adv Currency)", "Advertiser Cost", "Partner Cost (Adv Currency)", "Partner Cost"),
				cols(fImpressions, "Impressions"), cols(fClicks, "Clicks"),
				cols(fConversions, "Total Click + View Conversions", "All Last Click + View Conversions"),
				cols(fRevenue, "Total Click + View Conversion Revenue", "Total Revenue", "Conversion Revenue"),
				cols(fVideoViews, "Player Completed Views"),
			},
			required:  adsRequired,
			dailyHint: "in The Trade Desk's My Reports, add the Date dimension",
		},
		{
			name: "criteo", title: "Criteo report", kind: data.KindAds, platform: "criteo", native: true,
			columns: []column{
				cols(fDate, "Day", "Date"), cols(fAccount, "Advertiser", "Advertiser name"), cols(fCampaign, "Campaign", "Campaign name"),
				cols(fCurrency, "Currency"),
				cols(fSpend, "Cost", "Advertiser cost"), cols(fImpressions, "Displays"), cols(fClicks, "Clicks"),
				cols(fConversions, "Sales", "Post-click sales"), cols(fRevenue, "Revenue", "Post-click revenue"),
			},
			required:  adsRequired,
			dailyHint: "in Criteo's analytics, break the report down by Day",
		},
		{
			name: "pinterest", title: "Pinterest Ads export", kind: data.KindAds, platform: "pinterest", native: true,
			columns: []column{
				cols(fDate, "Date", "Day"), cols(fAccount, "Ad account name", "Advertiser name"), cols(fCampaign, "Campaign name"),
				cols(fCurrency, "Currency"),
				cols(fSpend, "Spend in account currency", "Spend"), cols(fImpressions, "Impressions", "Paid impressions"),
				cols(fClicks, "Outbound clicks", "Pin clicks", "Paid outbound clicks", "Paid pin clicks"),
				cols(fConversions, "Total checkouts", "Checkouts"),
				cols(fRevenue, "Total order value (Checkout)", "Checkout value", "Total checkout value"),
				cols(fEngagements, "Total engagements", "Engagements"), cols(fVideoViews, "Video views", "Paid video views"),
			},
			required:  adsRequired,
			dailyHint: "in Pinterest Ads reporting, set the granularity to Day",
		},
		{
			name: "microsoft_ads", title: "Microsoft Advertising report", kind: data.KindAds, platform: "microsoft_ads", native: true,
			columns: []column{
				cols(fDate, "Gregorian date", "TimePeriod"), cols(fAccount, "Account name"),
				cols(fCampaign, "Campaign name"), cols(fCampaignType, "Campaign type"),
				cols(fCurrency, "Currency code"),
				cols(fSpend, "Spend"), cols(fImpressions, "Impressions", "Impr."), cols(fClicks, "Clicks"),
				cols(fConversions, "Conversions", "Conv."), cols(fRevenue, "Revenue"),
			},
			required:  adsRequired,
			dailyHint: "in Microsoft Advertising, set the report's Time unit to Day",
		},
		{
			name: "tiktok", title: "TikTok Ads export", kind: data.KindAds, platform: "tiktok", native: true,
			columns: []column{
				cols(fDate, "By Day", "Date", "Day", "stat_time_day"), cols(fAccount, "Account name", "Advertiser name"),
				cols(fCampaign, "Campaign name"), cols(fCurrency, "Currency"),
				cols(fSpend, "Cost", "Total cost"), cols(fImpressions, "Impressions"),
				cols(fClicks, "Clicks (destination)", "Clicks"),
				cols(fConversions, "Conversions", "Complete payment", "Purchases"),
				cols(fRevenue, "Total purchase value", "Total complete payment value", "Purchase value"),
				cols(fVideoViews, "Video views", "6-second video views", "2-second video views"),
			},
			required:  adsRequired,
			dailyHint: "in TikTok Ads Manager, break the report down By Day",
		},
	}
}

// amazonSpec describes one of Amazon's campaign reports; they differ in their
// attribution window (days), which shows in the sales and orders headers.
func amazonSpec(name, title, campaignType, days string, markers ...column) *spec {
	return &spec{
		name: name, title: title, kind: data.KindAds, platform: "amazon_ads", native: true,
		columns: []column{
			cols(fDate, "Date"), cols(fStart, "Start Date"), cols(fEnd, "End Date"),
			cols(fAccount, "Portfolio name"), cols(fCampaign, "Campaign Name"),
			cols(fCampaignType, "Campaign type"), cols(fCurrency, "Currency"),
			cols(fSpend, "Spend", "Cost"), cols(fImpressions, "Impressions"), cols(fClicks, "Clicks"),
			cols(fConversions, days+" Day Total Orders (#)", days+" Day Total Orders"),
			cols(fRevenue, days+" Day Total Sales", days+" Day Total Sales ($)"),
			cols(fNewCustomers, days+" Day New-to-brand Orders (#)", days+" Day New-to-brand Orders", "New-to-brand orders"),
		},
		required:     adsRequired,
		markers:      markers,
		campaignType: campaignType,
		dailyHint:    "in Amazon Ads reports, set the report period's time unit to Daily",
	}
}

// headerCell is one header cell, normalised for matching.
type headerCell struct {
	text     string // as written, trimmed: used in messages
	key      string // normalised name without a currency suffix
	currency string // "USD" from "Amount spent (USD)"
}

// headerCells reads a row as header names, splitting a currency code off
// the end of a name.
func headerCells(rec []string) []headerCell {
	out := make([]headerCell, len(rec))
	for i, s := range rec {
		text := trimSpace(s)
		base, cur := text, ""
		if n := len(text); n >= 5 && text[n-1] == ')' && text[n-5] == '(' && isUpperCode(text[n-4:n-1]) {
			base, cur = text[:n-5], text[n-4:n-1]
		}
		out[i] = headerCell{text: text, key: normKey(base), currency: cur}
	}
	return out
}

// normKey lower-cases a header name and drops spaces and underscores.
func normKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '_' || r == '\ufeff' || r == '\u200b' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// match is a spec lined up against one header row.
type match struct {
	spec    *spec
	idx     [numFields]int // column of each field, -1 when absent
	found   int            // fields and markers found
	missing []field        // required fields not found
	marked  bool           // a marker column is present, or none is asked for
}

// full reports whether the header has everything the format needs.
func (m match) full() bool { return len(m.missing) == 0 && m.marked }

func matchHeader(sp *spec, header []headerCell, opts Options) match {
	m := match{spec: sp}
	for i := range m.idx {
		m.idx[i] = -1
	}
	pos := make(map[string]int, len(header))
	for i, h := range header {
		if _, dup := pos[h.key]; !dup && h.key != "" {
			pos[h.key] = i
		}
	}
	for _, c := range sp.columns {
		for _, n := range c.keys {
			if i, ok := pos[n]; ok {
				m.idx[c.f] = i
				m.found++
				break
			}
		}
	}
	m.marked = len(sp.markers) == 0
	for _, c := range sp.markers {
		for _, n := range c.keys {
			if _, ok := pos[n]; ok {
				m.marked = true
				m.found++
				break
			}
		}
	}
	for _, f := range sp.required {
		if m.idx[f] >= 0 {
			continue
		}
		if f == fDate && m.idx[fStart] >= 0 && m.idx[fEnd] >= 0 {
			continue // a reporting period, checked row by row
		}
		if f == fPlatform && opts.Platform != "" {
			continue
		}
		m.missing = append(m.missing, f)
	}
	return m
}

// fieldNames names each field as the canonical header does, for messages
// about a missing column.
var fieldNames = [numFields]string{
	fDate: "date", fStart: "start_date", fEnd: "end_date", fPlatform: "platform", fAccount: "account",
	fCampaign: "campaign", fCampaignType: "campaign_type", fCategory: "category", fRegion: "region",
	fSpend: "spend", fImpressions: "impressions", fClicks: "clicks", fConversions: "conversions",
	fRevenue: "revenue", fStoreVisits: "store_visits", fEngagements: "engagements", fVideoViews: "video_views",
	fNewCustomers: "new_customers", fCurrency: "currency", fChannel: "channel", fOrders: "orders",
	fGrossProfit: "gross_profit", fMonth: "month", fBudget: "budget", fStudy: "study", fMetric: "metric",
	fLift: "lift_pct", fSignificant: "significant", fTest: "test", fOutcome: "outcome", fTestSpend: "test_spend",
	fIncremental: "incremental_outcome", fIROAS: "iroas", fCILow: "ci_low", fCIHigh: "ci_high", fPValue: "p_value",
	fMethod: "method", fModel: "model", fROI: "roi", fMROI: "mroi", fContribution: "contribution",
	fCurveSpend: "curve_spend", fCurveOutcome: "curve_outcome",
}

// expected says which header names a format accepts for a field.
func (sp *spec) expected(f field) string {
	for _, c := range sp.columns {
		if c.f == f {
			return quoteList(c.names)
		}
	}
	return quoteList([]string{fieldNames[f]})
}

// columnName is how a format's messages name a field's column.
func (sp *spec) columnName(f field) string {
	for _, c := range sp.columns {
		if c.f == f {
			return c.names[0]
		}
	}
	return fieldNames[f]
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, " or ")
}
