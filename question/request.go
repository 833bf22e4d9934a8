package question

import (
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Intent names what a question asks for.
type Intent string

// The intents sowhat answers.
const (
	IntentValue     Intent = "value"
	IntentCompare   Intent = "compare"
	IntentBreakdown Intent = "breakdown"
	IntentTop       Intent = "top"
	IntentTrend     Intent = "trend"
	IntentWhy       Intent = "why"
	IntentPacing    Intent = "pacing"
	IntentBrandLift Intent = "brand_lift"
	// IntentIncrementality answers from incrementality tests: what a
	// platform's sales would have been without its ads.
	IntentIncrementality Intent = "incrementality"
	IntentHelp           Intent = "help"
	IntentUnknown        Intent = "unknown"
)

// Request is a question understood: everything a handler needs, and nothing
// taken from the text that is not a known metric, dimension, value or date.
type Request struct {
	Question string           `json:"question"`
	Intent   Intent           `json:"intent"`
	Metrics  []model.MetricID `json:"metrics"` // registry ids; the first leads the answer
	// MetricsDefaulted is true when the question named no metric and
	// defaults were chosen: a follow-up then keeps the conversation's.
	MetricsDefaulted bool          `json:"metrics_defaulted,omitempty"`
	Period           period.Period `json:"period"`
	// AsOf is the day the question was asked on, when known: days of data
	// after the one before it are not yet known to the asker (a replay
	// of an earlier day answers as that day would have).
	AsOf time.Time `json:"-"`
	// PeriodDefaulted is true when the question named no period and a
	// default was chosen (the answer says which).
	PeriodDefaulted bool `json:"period_defaulted,omitempty"`
	// Compare is the period to compare with, or nil.
	Compare *period.Period `json:"compare,omitempty"`
	// Filters keep only rows whose dimension has one of the values:
	// platform (ids), campaign, campaign_type, category, region, channel.
	Filters map[string][]string `json:"filters,omitempty"`
	// Excluded names what the question left out ("excluding Meta"); the
	// filters already hold every other value, this is for wording.
	Excluded map[string][]string `json:"excluded,omitempty"`
	// GroupBy lists the dimensions to group by: platform, campaign,
	// campaign_type, category, region, channel, day, week, month.
	GroupBy []string `json:"group_by,omitempty"`
	// Ascending orders a top-N list lowest first ("worst ROAS", "lowest
	// CPA" when lower is the ask). Desc by value otherwise.
	Ascending bool `json:"ascending,omitempty"`
	Limit     int  `json:"limit,omitempty"`
	// Change, on a ranking with a comparison period, ranks the groups by
	// how their value moved against it rather than by the value: "up"
	// (grew the most), "down" (dropped the most), "better" or "worse"
	// (improved or worsened the most, which for a cost is down or up), or
	// "either" (moved the most). Empty for a ranking of values.
	Change string `json:"change,omitempty"`
	// Relative ranks a change by how far it moved against where it
	// started ("grew fastest": +87%), not by how much (+$94,665).
	Relative bool `json:"relative,omitempty"`
	// Having keeps only the groups whose value passes every threshold:
	// "campaigns with CPA above $40".
	Having []model.Threshold `json:"having,omitempty"`
	// Audience is the asker's role when known (cfo, cmo, ...).
	Audience string `json:"audience,omitempty"`
	// Hidden are the metrics the answer's readers may not see (the finance
	// metrics outside the channels cleared for them): the answer shows
	// none of them, nor anything that would reveal them, and says nothing
	// about leaving them out.
	Hidden []model.MetricID `json:"hidden,omitempty"`
	// Clarify, when set, is the question to ask back instead of answering:
	// the request was ambiguous or incomplete.
	Clarify string `json:"clarify,omitempty"`
	// Suggestions are 2–3 questions close to this one that can be answered.
	Suggestions []string `json:"suggestions,omitempty"`
	// Notes say what was assumed ("no period given: last 7 days").
	Notes []string `json:"notes,omitempty"`
	// Move is what a budget question asks (IntentBudget), else nil.
	Move *Move `json:"move,omitempty"`
}

// Vocabulary is what the data knows by name, for matching campaign,
// category, region and campaign-type names in questions.
type Vocabulary struct {
	Campaigns     []string
	Categories    []string
	Regions       []string
	CampaignTypes []string
	Channels      []string

	// lx is the lexicon of these names, when the engine built it with
	// them: it is then not rebuilt, or looked up, for each question.
	lx *lexicon
	// lazy, set by IndexLazily, builds lx on the first question that
	// could use it.
	lazy *lazyIndex
}

// Reader is who an answer is for: their role, when known, and the metrics
// they may not see.
type Reader struct {
	Audience string
	Hidden   []model.MetricID
}
