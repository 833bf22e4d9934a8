package reports

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sowhat-ai/sowhat/model"
)

// ConfigError is one problem in a configuration file, at its line.
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ParseConfig reads and validates a configuration (YAML or JSON). loc is the
// default time zone of schedules. Every problem found is returned, each as a
// *ConfigError naming its line (joined with errors.Join).
func ParseConfig(name string, b []byte, loc *time.Location) (Config, error) {
	if loc == nil {
		loc = time.UTC
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	p := &parser{file: name, loc: loc}
	if len(doc.Content) == 0 {
		return Config{}, &ConfigError{File: name, Line: 1, Msg: "the file is empty: want digests and alerts (see docs/digests.md)"}
	}
	c := p.config(doc.Content[0])
	if len(p.errs) > 0 {
		return Config{}, errors.Join(p.errs...)
	}
	c.Source = name
	return c, nil
}

// parser walks the YAML tree, collecting every error with its line.
type parser struct {
	file string
	loc  *time.Location
	errs []error
}

func (p *parser) failf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &ConfigError{File: p.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
}

// fields calls fn for each key of mapping n, reporting unknown and repeated
// keys.
func (p *parser) fields(n *yaml.Node, what string, known []string, fn func(key string, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		p.failf(n, "%s: want a mapping of keys (%s)", what, strings.Join(known, ", "))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(known, k.Value):
			p.failf(k, "%s: unknown key %q (want one of %s)", what, k.Value, strings.Join(known, ", "))
		case seen[k.Value]:
			p.failf(k, "%s: %s is given twice", what, k.Value)
		default:
			seen[k.Value] = true
			fn(k.Value, v)
		}
	}
	return true
}

func (p *parser) str(v *yaml.Node, what string) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.failf(v, "%s: want a single value", what)
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// list reads a sequence of values, or one value as a list of one.
func (p *parser) list(v *yaml.Node, what string) []string {
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		return []string{strings.TrimSpace(v.Value)}
	}
	if v.Kind != yaml.SequenceNode {
		p.failf(v, "%s: want a list", what)
		return nil
	}
	var out []string
	for _, e := range v.Content {
		if s := p.str(e, what); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) location(v *yaml.Node, what string) *time.Location {
	s := p.str(v, what)
	loc, err := time.LoadLocation(s)
	if err != nil || s == "" {
		p.failf(v, "%s: %q is not an IANA time zone such as Europe/London", what, s)
		return p.loc
	}
	return loc
}

func (p *parser) duration(v *yaml.Node, what string) time.Duration {
	s := p.str(v, what)
	if s == "0" {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		p.failf(v, "%s: %q is not a duration such as 6h or 90m", what, s)
	}
	return d
}

// number reads a positive number; with percent, "10%" reads as 0.10.
func (p *parser) number(v *yaml.Node, what string, percent bool) float64 {
	s := p.str(v, what)
	isPct := percent && strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
	switch {
	case err != nil || f <= 0:
		p.failf(v, "%s: %q is not a positive number", what, s)
		return 0
	case isPct:
		return f / 100
	case percent && f >= 1:
		p.failf(v, "%s: %s reads as %.0f%%; write it as %s%% or as a fraction such as 0.10", what, s, f*100, s)
	}
	return f
}

func (p *parser) integer(v *yaml.Node, what string) int {
	s := p.str(v, what)
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		p.failf(v, "%s: %q is not a positive whole number", what, s)
	}
	return n
}

func (p *parser) schedule(v *yaml.Node, what string) string {
	s := p.str(v, what)
	if _, err := parseSchedule(s); err != nil {
		p.failf(v, "%s: %q is not a cron schedule such as \"0 8 * * MON\": %v", what, s, err)
	}
	return s
}

func (p *parser) channels(v *yaml.Node, what string) []string {
	chs := p.list(v, what)
	for _, ch := range chs {
		if err := CheckChannel(ch); err != nil {
			p.failf(v, "%s: %v", what, err)
		}
	}
	return chs
}

func (p *parser) platforms(v *yaml.Node, what string) []string {
	var out []string
	for _, s := range p.list(v, what) {
		id, ok := model.NormalizePlatform(s)
		if !ok {
			p.failf(v, "%s: %q is not a platform I know (%s)", what, s, platformList())
			continue
		}
		out = append(out, id)
	}
	return out
}

func platformList() string {
	ids := make([]string, len(model.Platforms))
	for i, pl := range model.Platforms {
		ids[i] = pl.ID
	}
	return strings.Join(ids, ", ")
}

var topKeys = []string{"tz", "catch_up", "digests", "alerts"}

func (p *parser) config(n *yaml.Node) Config {
	c := Config{CatchUp: DefaultCatchUp}
	var digests, alerts *yaml.Node
	p.fields(n, "configuration", topKeys, func(k string, v *yaml.Node) {
		switch k {
		case "tz":
			p.loc = p.location(v, "tz")
		case "catch_up":
			c.CatchUp = p.duration(v, "catch_up")
		case "digests":
			digests = v
		case "alerts":
			alerts = v
		}
	})
	if digests != nil {
		c.Digests = p.digests(digests)
	}
	c.Alerts = AlertsConfig{Schedule: "0 * * * *", Location: p.loc}
	if alerts != nil {
		c.Alerts = p.alerts(alerts)
	}
	c.Alerts.sched, _ = parseSchedule(c.Alerts.Schedule)
	if digests == nil && alerts == nil && n.Kind == yaml.MappingNode {
		p.failf(n, "configuration: no digests and no alerts")
	}
	return c
}

func (p *parser) digests(n *yaml.Node) []DigestConfig {
	if n.Kind != yaml.SequenceNode {
		p.failf(n, "digests: want a list of digests")
		return nil
	}
	var out []DigestConfig
	names := map[string]int{}
	for _, e := range n.Content {
		d := p.digest(e)
		if line, dup := names[d.Name]; dup && d.Name != "" {
			p.failf(e, "digest %q: the name is already used on line %d", d.Name, line)
		}
		names[d.Name] = e.Line
		out = append(out, d)
	}
	return out
}

var digestKeys = []string{"name", "audience", "kind", "title", "channels", "schedule", "tz", "period", "compare", "filters", "amount"}

func (p *parser) digest(n *yaml.Node) DigestConfig {
	d := DigestConfig{Kind: DigestAudience, Location: p.loc, Period: PeriodLastWeek, Compare: ComparePrevious, Line: n.Line, Filters: map[string][]string{}}
	what := fmt.Sprintf("digest on line %d", n.Line)
	if name := mappingValue(n, "name"); name != nil && name.Kind == yaml.ScalarNode {
		what = fmt.Sprintf("digest %q", name.Value)
	}
	got := map[string]bool{}
	isMap := p.fields(n, what, digestKeys, func(k string, v *yaml.Node) {
		got[k] = true
		switch k {
		case "name":
			if d.Name = p.str(v, what+" name"); !namePattern.MatchString(d.Name) {
				p.failf(v, "%s: name %q: use lower-case letters, digits, - and _ (it names the digest in commands and claims)", what, d.Name)
			}
		case "audience":
			s := p.str(v, what+" audience")
			a, known := NormalizeAudience(s)
			if d.Audience = a; !known {
				p.failf(v, "%s: audience %q: want one of %s", what, s, audienceList())
			}
		case "title":
			d.Title = p.str(v, what+" title")
		case "channels":
			d.Channels = p.channels(v, what+" channels")
		case "schedule":
			d.Schedule = p.schedule(v, what+" schedule")
		case "tz":
			d.Location = p.location(v, what+" tz")
		case "period":
			s := p.str(v, what+" period")
			period, known := NormalizePeriod(s)
			if d.Period = period; !known {
				p.failf(v, "%s: period %q: want one of %s", what, s, strings.Join(PeriodNames(), ", "))
			}
		case "compare":
			if d.Compare = p.str(v, what+" compare"); d.Compare != ComparePrevious && d.Compare != CompareLastYear {
				p.failf(v, "%s: compare %q: want %s or %s", what, d.Compare, ComparePrevious, CompareLastYear)
			}
		case "filters":
			d.Filters = p.filters(v, what)
		case "kind":
			if d.Kind = p.str(v, what+" kind"); d.Kind != DigestAudience && d.Kind != DigestBudgetReview {
				p.failf(v, "%s: kind %q: want %s (the default) or %s", what, d.Kind, DigestAudience, DigestBudgetReview)
			}
		case "amount":
			d.Amount = p.number(v, what+" amount", false)
		}
	})
	if !isMap {
		return d
	}
	for _, k := range []string{"name", "audience", "channels", "schedule"} {
		if !got[k] {
			p.failf(n, "%s: %s is required", what, k)
		}
	}
	switch {
	case d.Kind == DigestBudgetReview && !got["period"]:
		d.Period = PeriodLastQuarter // the quarter the moves are weighed against
	case got["amount"] && d.Kind != DigestBudgetReview:
		p.failf(n, "%s: amount is a setting of budget reviews (kind: %s)", what, DigestBudgetReview)
	}
	if got["channels"] && len(d.Channels) == 0 {
		p.failf(n, "%s: channels is empty: give at least one, e.g. slack:C0123FIN", what)
	}
	d.sched, _ = parseSchedule(d.Schedule)
	return d
}

func (p *parser) filters(n *yaml.Node, what string) map[string][]string {
	out := map[string][]string{}
	p.fields(n, what+" filters", filterDims, func(k string, v *yaml.Node) {
		if k == model.DimPlatform {
			out[k] = p.platforms(v, what+" filters platform")
			return
		}
		out[k] = p.list(v, what+" filters "+k)
	})
	return out
}

// mappingValue returns the value of key in mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

var alertKeys = []string{"schedule", "tz", "channels", "rules"}

func (p *parser) alerts(n *yaml.Node) AlertsConfig {
	a := AlertsConfig{Schedule: "0 * * * *", Location: p.loc}
	var channels []string
	var rules *yaml.Node
	p.fields(n, "alerts", alertKeys, func(k string, v *yaml.Node) {
		switch k {
		case "schedule":
			a.Schedule = p.schedule(v, "alerts schedule")
		case "tz":
			a.Location = p.location(v, "alerts tz")
		case "channels":
			channels = p.channels(v, "alerts channels")
		case "rules":
			rules = v
		}
	})
	if rules == nil {
		return a
	}
	if rules.Kind != yaml.SequenceNode {
		p.failf(rules, "alerts rules: want a list of rules")
		return a
	}
	names := map[string]int{}
	for _, e := range rules.Content {
		r := p.rule(e, channels)
		if line, dup := names[r.Name]; dup && r.Name != "" {
			p.failf(e, "alert rule %q: the name is already used on line %d", r.Name, line)
		}
		names[r.Name] = e.Line
		a.Rules = append(a.Rules, r)
	}
	return a
}

// ruleKeys lists, per kind, the settings a rule may have besides name,
// kind, platforms and channels.
var ruleKeys = map[string][]string{
	RuleOverspend:       {"threshold", "min_amount"},
	RuleAnomaly:         {"metric", "sigma", "window_days", "direction"},
	RuleZeroConversions: {"days", "min_spend"},
	RuleStaleData:       {"hours"},
	RuleMarginalROAS:    {"floor", "threshold"},
}

var commonRuleKeys = []string{"name", "kind", "platforms", "channels"}

func (p *parser) rule(n *yaml.Node, channels []string) AlertRule {
	what := fmt.Sprintf("alert rule on line %d", n.Line)
	if name := mappingValue(n, "name"); name != nil && name.Kind == yaml.ScalarNode {
		what = fmt.Sprintf("alert rule %q", name.Value)
	}
	kindNode := mappingValue(n, "kind")
	if kindNode == nil {
		p.failf(n, "%s: kind is required (one of %s)", what, strings.Join(ruleKinds, ", "))
		return AlertRule{Line: n.Line}
	}
	kind := p.str(kindNode, what+" kind")
	if _, known := ruleKeys[kind]; !known {
		p.failf(kindNode, "%s: kind %q: want one of %s", what, kind, strings.Join(ruleKinds, ", "))
		return AlertRule{Line: n.Line}
	}
	r := defaultRule(kind, "", channels)
	r.Line = n.Line
	p.fields(n, what, append(append([]string(nil), commonRuleKeys...), ruleKeys[kind]...), func(k string, v *yaml.Node) {
		p.ruleField(&r, what, k, v)
	})
	if r.Name == "" {
		p.failf(n, "%s: name is required", what)
	}
	if len(r.Channels) == 0 {
		p.failf(n, "%s: no channels: give channels here or under alerts", what)
	}
	return r
}

func (p *parser) ruleField(r *AlertRule, what, k string, v *yaml.Node) {
	switch k {
	case "name":
		if r.Name = p.str(v, what+" name"); !namePattern.MatchString(r.Name) {
			p.failf(v, "%s: name %q: use lower-case letters, digits, - and _", what, r.Name)
		}
	case "platforms":
		r.Platforms = p.platforms(v, what+" platforms")
	case "channels":
		r.Channels = p.channels(v, what+" channels")
	case "threshold":
		r.Threshold = p.number(v, what+" threshold", true)
	case "min_amount", "min_spend":
		r.MinAmount = p.number(v, what+" "+k, false)
	case "metric":
		if r.Metric = model.MetricID(p.str(v, what+" metric")); r.Metric != model.CPA && r.Metric != model.ROAS {
			p.failf(v, "%s: metric %q: want cpa or roas", what, r.Metric)
		}
	case "sigma":
		r.Sigma = p.number(v, what+" sigma", false)
	case "window_days":
		if r.WindowDays = p.integer(v, what+" window_days"); r.WindowDays > 0 && r.WindowDays < 7 {
			p.failf(v, "%s: window_days %d: want at least 7 days to measure normal variation", what, r.WindowDays)
		}
	case "direction":
		if r.Direction = p.str(v, what+" direction"); r.Direction != "worse" && r.Direction != "both" {
			p.failf(v, "%s: direction %q: want worse or both", what, r.Direction)
		}
	case "days":
		r.Days = p.integer(v, what+" days")
	case "hours":
		r.Hours = p.number(v, what+" hours", false)
	case "floor":
		r.Floor = p.number(v, what+" floor", false)
	}
}
