package reports

import (
	"embed"
	"sync"
	"text/template"

	"github.com/sowhat-ai/sowhat/wording"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// reportTemplates are parsed on first use: every command starts the whole
// binary, and most (ask, ingest) never render a report.
var reportTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("reports").Option("missingkey=error").Funcs(template.FuncMap{"poss": wording.Possessive}).ParseFS(templateFS, "templates/*.tmpl"))
})

// The types below are what the report templates are filled from, one for
// each template or family of templates, named in their doc comments. Every
// number arrives already formatted from a value the engine or the store
// computed.

// alertText fills "alert_text": an alert as plain text.
type alertText struct {
	Title, What, Cause, Next string
}

// clearedAlert fills "alert_cleared_title" and "alert_cleared".
type clearedAlert struct {
	Title  string
	Now    string // how it stands now, "" when nothing more is known
	Opened string // when the alert opened: "Mon Nov 16 09:00 CET"
	Detail string // what it said then
}

// overspend fills "overspend_title", "overspend_what", "overspend_next"
// and "overspend_fine": a platform's spend yesterday against its plan.
type overspend struct {
	Platform  string
	Day       string
	Spend     string
	Plan      string // the day's plan
	Basis     string // what the plan is: "a pro-rated plan", "its plan for the day"
	Why       string // how the day's plan was made, "" for a pro-rated one
	Over      string // how far over, "12.0%"
	Excess    string // spend beyond the plan, "$1,240"
	Threshold string
	Trim      string // the cut in daily budgets that lands on plan
	Campaign  string // where to start trimming
}

// silentCampaign fills "anomaly_next_silent": the campaign that spent and
// recorded nothing.
type silentCampaign struct{ Campaign string }

// spendAdded fills "cause_spend_added": the campaign that added most spend.
type spendAdded struct {
	Campaign, Spend string
	Change          string // on the same day last week, with its sign
}

// spendLargest fills "cause_spend_largest": the platform's largest campaign.
type spendLargest struct {
	Campaign, Spend string
	Share           string // of the platform's spend
}

// anomaly fills "anomaly_title", "anomaly_what" and "anomaly_fine": a
// metric yesterday against its trailing average.
type anomaly struct {
	Platform  string
	Metric    string
	Day       string
	Value     string
	Mean      string
	SD        string // the daily standard deviation
	Days      int    // the window the mean is taken over
	Sigmas    string // how many standard deviations off, "3.1"
	Direction string // above, below
	Threshold string
	// Off and Floor, for a history that barely varied: how far off its
	// average the day was, "45.0%", and the least spread it is read as
	// having, "2.00%".
	Off, Floor string
}

// ratioCause fills "cause_ratio": the campaign that moved a metric most.
type ratioCause struct {
	Campaign string
	Metric   string
	Part     string // the campaign's part of the change, with its sign
	Change   string // the whole change, with its sign
	Value    string // the campaign's figure yesterday
	WeekAgo  string // and on the same day last week
}

// zeroAlert fills "zero_title", "zero_what", "zero_next" and "zero_fine":
// a campaign that spent with no conversions.
type zeroAlert struct {
	Campaign    string
	Platform    string
	Period      string
	Days        int
	Spend       string
	Clicks      string
	Conversions string
}

// staleAlert fills the "stale_" templates: a source whose data stopped.
type staleAlert struct {
	Source    string
	LastDay   string
	Hours     string // since the last day ended
	Threshold string
	Imported  string // when the last import ran, "" when unknown
	Via       string // the configured source that synced the data, if one did
}

// highlightChange fills "highlight_change" and "highlight_steady".
type highlightChange struct {
	Subject   string // "The Trade Desk", "" for everything
	Metric    string // a metric's name, as it reads mid-sentence
	Direction string // up, down, held steady
	Change    string // "6.1%", "0.12 pts"
	Value     string
	Old       string
	Compare   string // "the week before"
	Driver    string
}

// highlightPacing fills "highlight_pacing": a platform off its plan.
type highlightPacing struct {
	Platform    string
	Off         string // how far off plan, "8.2%"
	Direction   string // over, under
	Period      string
	Spend       string
	Plan        string
	Projected   string // the month end at this pace, "" when unknown
	MonthBudget string
}

// highlightTrend fills "highlight_trend": the latest week against the
// average of the weeks before.
type highlightTrend struct {
	Metric    string
	Period    string
	Value     string
	Change    string
	Direction string // above, below
	Weeks     int
	Average   string
}

// highlightZero fills "highlight_zero": spend with no conversions.
type highlightZero struct {
	Count    int
	Campaign string // the campaign that spent most
	Spend    string
	Period   string
}

// zeroDigest fills "zero_summary", "zero_sowhat", "zero_sowhat_noclicks"
// and "zero_none": the campaigns that spent with no conversion.
type zeroDigest struct {
	Count      int
	Spend      string
	Period     string
	Threshold  string // the least spend that counts
	List       string // each campaign, its platform and spend
	Campaigns  string // their names, joined
	Lead       string // the first of them, "" when none had clicks
	LeadClicks string
}

// mroasAlert fills "mroas_title", "mroas_what", "mroas_cause",
// "mroas_next" and "mroas_fine": a platform's rising spend against the
// return of its next dollar.
type mroasAlert struct {
	Platform  string
	MROAS     string // at the latest four weeks' spend
	Floor     string
	Spend     string // weekly, the latest four weeks
	Before    string // weekly, the four weeks before
	Rise      string
	Threshold string
	Error     string // the curve's held-out error
	Basis     string // what the curve is fitted to
	Back      string // the weekly spend to go back to
	BackMROAS string // the marginal ROAS there
}

// projectionTitle fills "projection_title".
type projectionTitle struct {
	Month string
}

// say renders the named template with its data, on one line.
func say(name string, data any) string {
	return wording.OneLine(wording.Execute(reportTemplates(), name, data))
}

// render renders the named template as it is laid out, lines kept.
func render(name string, f any) string { return wording.Execute(reportTemplates(), name, f) }

// newStudies fills "lift_none" and "lift_new": the brand-lift studies that
// ended in the digest's period, or the latest one before it.
type newStudies struct {
	Period      string // "last week (Nov 23–29, 2026)"
	Count       int
	Results     int
	Latest      string // the latest study before the period, or the strongest new one
	LatestEnded string
	Metric      string // the strongest new result's metric
	Lift        string
}

// unassignedNote fills "highlight_unassigned": an unassigned bucket
// holding a large share of spend.
type unassignedNote struct {
	Bucket string // "(no category)"
	Share  string
	Spend  string
	Dims   string // "category"
}

// holidayCompare fills "holiday_note": why a digest compares with a year
// earlier.
type holidayCompare struct {
	Holiday string
	Compare string // the dates compared with
}
