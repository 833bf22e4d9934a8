package reports

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
	"github.com/sowhat-ai/sowhat/model"
)

// Config is every digest and alert rule, validated.
type Config struct {
	// Source is the file the configuration came from, or "built-in defaults".
	Source string
	// CatchUp is how long after its scheduled time a run missed while no
	// scheduler was up is still posted (once). Zero posts only runs that
	// come due while running.
	CatchUp time.Duration
	Digests []DigestConfig
	Alerts  AlertsConfig
}

// DigestConfig is one scheduled digest.
type DigestConfig struct {
	Name     string
	Audience model.Audience
	// Title overrides the audience's digest title.
	Title    string
	Channels []string // "slack:C0123FIN", "teams:..."
	Schedule string   // cron: "0 8 * * MON"
	Location *time.Location
	Period   string // a period name, see Periods
	Compare  string // ComparePrevious or CompareLastYear
	// Filters keep only some ad data: platform, campaign_type, category,
	// region or campaign, each a list of values.
	Filters map[string][]string
	// Kind is DigestAudience (the audience's sections) or
	// DigestBudgetReview (the recommended budget moves for the next
	// quarter and their evidence).
	Kind string
	// Amount is the money a budget review moves over the quarter; 0 moves
	// as much as raises revenue within the limits.
	Amount float64
	// Line is where the digest is defined in its file (0 for defaults).
	Line int

	sched cron.Schedule
}

// The kinds of digest.
const (
	DigestAudience     = "audience"
	DigestBudgetReview = "budget_review"
)

// AlertsConfig is when alerts are checked and their rules.
type AlertsConfig struct {
	Schedule string // cron, default hourly; alerts are also checked after each ingest
	Location *time.Location
	Rules    []AlertRule

	sched cron.Schedule
}

// The kinds of alert rule.
const (
	// RuleOverspend: a platform's spend yesterday above its pro-rated daily
	// budget by more than Threshold (a fraction: 0.10 is 10%).
	RuleOverspend = "overspend"
	// RuleAnomaly: a platform's CPA or ROAS (Metric) yesterday beyond Sigma
	// standard deviations of its daily values over the WindowDays before.
	RuleAnomaly = "anomaly"
	// RuleZeroConversions: a campaign spending at least MinSpend with no
	// conversion over the last Days days.
	RuleZeroConversions = "zero_conversions"
	// RuleStaleData: a source whose last day of data ended more than Hours
	// ago.
	RuleStaleData = "stale_data"
	// RuleMarginalROAS: a platform whose weekly spend rose by more than
	// Threshold (the latest four weeks against the four before) while the
	// marginal ROAS of its response curve at that spend is below Floor.
	RuleMarginalROAS = "marginal_roas"
)

var ruleKinds = []string{RuleAnomaly, RuleMarginalROAS, RuleOverspend, RuleStaleData, RuleZeroConversions}

// AlertRule is one alert condition and where it posts.
type AlertRule struct {
	Name       string
	Kind       string
	Metric     model.MetricID // anomaly: cpa or roas
	Threshold  float64        // overspend: fraction over plan; marginal_roas: rise in weekly spend
	Floor      float64        // marginal_roas: the marginal ROAS below which more spend does not pay
	MinAmount  float64        // overspend: dollars over plan a day; zero_conversions: spend over the days
	Sigma      float64        // anomaly
	WindowDays int            // anomaly: trailing days compared with
	Direction  string         // anomaly: "worse" (default) or "both"
	Days       int            // zero_conversions
	Hours      float64        // stale_data
	Platforms  []string
	Channels   []string
	Line       int
}

// The settings that choose the configuration, as the command line names
// them (it reads them; this package never reads the environment).
const (
	// EnvConfig names the digest and alert configuration file.
	EnvConfig = "REPORTS_CONFIG"
	// EnvChannel is where the built-in default digests and alerts post when
	// no file is configured ("slack:C0123"); unset, they are not posted.
	EnvChannel = "REPORTS_CHANNEL"
)

// DefaultCatchUp is the catch-up window when the file does not set one.
const DefaultCatchUp = 6 * time.Hour

// Resolve loads the configuration file when one is named, or else returns
// the built-in defaults posting to channel (none: nothing is posted). loc is
// the default time zone of schedules.
func Resolve(file, channel string, loc *time.Location) (Config, error) {
	if file != "" {
		return LoadConfig(file, loc)
	}
	var channels []string
	if channel != "" {
		if err := CheckChannel(channel); err != nil {
			return Config{}, err
		}
		channels = []string{channel}
	}
	return DefaultConfig(loc, channels...), nil
}

// LoadConfig reads and validates a configuration file (YAML, or JSON, which
// YAML reads too).
func LoadConfig(path string, loc *time.Location) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read digest configuration: %w", err)
	}
	return ParseConfig(path, b, loc)
}

// DefaultConfig is what ships: a weekly CFO and CMO digest on Monday
// morning and every alert rule with its default thresholds, posting to the
// given channels (none: nothing is posted).
func DefaultConfig(loc *time.Location, channels ...string) Config {
	if loc == nil {
		loc = time.UTC
	}
	c := Config{Source: "built-in defaults", CatchUp: DefaultCatchUp}
	c.Digests = []DigestConfig{
		{Name: "cfo-weekly", Audience: model.AudienceCFO, Channels: channels, Schedule: "0 8 * * MON", Location: loc, Period: PeriodLastWeek, Compare: ComparePrevious},
		{Name: "cmo-weekly", Audience: model.AudienceCMO, Channels: channels, Schedule: "30 8 * * MON", Location: loc, Period: PeriodLastWeek, Compare: ComparePrevious},
	}
	c.Alerts = AlertsConfig{Schedule: "0 * * * *", Location: loc, Rules: []AlertRule{
		defaultRule(RuleOverspend, "overspend", channels),
		withMetric(defaultRule(RuleAnomaly, "cpa-anomaly", channels), model.CPA),
		withMetric(defaultRule(RuleAnomaly, "roas-anomaly", channels), model.ROAS),
		defaultRule(RuleZeroConversions, "zero-conversions", channels),
		defaultRule(RuleStaleData, "stale-data", channels),
	}}
	for i := range c.Digests {
		c.Digests[i].sched, _ = parseSchedule(c.Digests[i].Schedule)
	}
	c.Alerts.sched, _ = parseSchedule(c.Alerts.Schedule)
	return c
}

// defaultRule is a rule of kind with its default thresholds.
func defaultRule(kind, name string, channels []string) AlertRule {
	r := AlertRule{Name: name, Kind: kind, Channels: channels}
	switch kind {
	case RuleOverspend:
		r.Threshold = 0.10
	case RuleAnomaly:
		r.Metric, r.Sigma, r.WindowDays, r.Direction = model.CPA, 3, 28, "worse"
	case RuleZeroConversions:
		r.Days, r.MinAmount = 3, 100
	case RuleStaleData:
		r.Hours = 36
	case RuleMarginalROAS:
		r.Floor, r.Threshold = 1, 0.10
	}
	return r
}

func withMetric(r AlertRule, metric model.MetricID) AlertRule { r.Metric = metric; return r }

// Digest returns the configured digest with the given name.
func (c Config) Digest(name string) (DigestConfig, bool) {
	for _, d := range c.Digests {
		if d.Name == name {
			return d, true
		}
	}
	return DigestConfig{}, false
}

// DigestNames lists the configured digests' names.
func (c Config) DigestNames() []string {
	out := make([]string, len(c.Digests))
	for i, d := range c.Digests {
		out[i] = d.Name
	}
	return out
}

// cronParser reads standard five-field schedules ("0 8 * * MON") and
// descriptors such as @daily. Time zones come from the tz key, not CRON_TZ.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func parseSchedule(spec string) (cron.Schedule, error) {
	if strings.Contains(spec, "TZ=") {
		return nil, errors.New("put the time zone in tz, not in the schedule")
	}
	return cronParser.Parse(spec)
}

var channelKinds = []string{"slack", "teams"}

// SplitChannel splits "slack:C0123FIN" into its kind and id.
func SplitChannel(ch string) (kind, id string, ok bool) {
	kind, id, ok = strings.Cut(ch, ":")
	return kind, id, ok && id != "" && slices.Contains(channelKinds, kind)
}

// CheckChannel reports whether ch names a channel a digest or an alert can
// post to: KIND:ID, such as slack:C0123FIN.
func CheckChannel(ch string) error {
	if _, _, ok := SplitChannel(ch); !ok {
		return fmt.Errorf("channel %q: want KIND:ID with KIND one of %s, e.g. slack:C0123FIN", ch, strings.Join(channelKinds, ", "))
	}
	return nil
}

// audienceAliases maps everyday names onto audiences.
var audienceAliases = map[string]model.Audience{
	"head_of_stores": model.AudienceStores, "store": model.AudienceStores, "retail": model.AudienceStores,
	"merch": model.AudienceMerchandising, "team_lead": model.AudienceTeam, "teamlead": model.AudienceTeam,
}

// NormalizeAudience maps an audience as written ("CFO", "head of stores",
// "merch") onto its id.
func NormalizeAudience(s string) (model.Audience, bool) {
	k := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	if a, ok := audienceAliases[k]; ok {
		return a, true
	}
	for _, a := range model.Audiences {
		if string(a) == k {
			return a, true
		}
	}
	return "", false
}

func audienceList() string {
	out := make([]string, len(model.Audiences))
	for i, a := range model.Audiences {
		out[i] = string(a)
	}
	return strings.Join(out, ", ")
}

// filterDims are the dimensions a digest may be filtered by.
var filterDims = []string{model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimPlatform, model.DimRegion}

var namePattern = lazyre.New(`^[a-z0-9][a-z0-9_-]*$`)

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
