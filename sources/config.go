package sources

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// EnvConfig names the sources file.
const EnvConfig = "SOURCES_CONFIG"

// Kind is what a source reads.
type Kind string

// The kinds of source.
const (
	// KindDBT is Fivetran dbt_ad_reporting's ad_reporting__campaign_report.
	KindDBT Kind = "dbt_ad_reporting"
	// KindSQL is any table or query, with a column mapping.
	KindSQL Kind = "sql"
	// KindFolder is a drop folder of platform export files.
	KindFolder Kind = "folder"
)

// Defaults of a source's settings.
const (
	DefaultLookbackDays = 3
	DefaultPageSize     = 10000
	DefaultSettle       = time.Minute
	DefaultTolerance    = 0.005
)

// Config is the sources file, read.
type Config struct {
	File    string
	Sources []Source
}

// Source returns the named source.
func (c Config) Source(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// Names lists the sources' names.
func (c Config) Names() []string {
	out := make([]string, len(c.Sources))
	for i, s := range c.Sources {
		out[i] = s.Name
	}
	return out
}

// Source is one configured source.
type Source struct {
	Name string
	Kind Kind
	Line int // where the source starts in the file

	// URL is the warehouse's address, from the variable URLEnv names (or
	// written inline, without a password).
	URL    Secret
	URLEnv string
	// Table or Query is what is read: a table or view, or a SELECT.
	Table string
	Query string
	// Columns maps the read columns onto the store's; for
	// dbt_ad_reporting it is the model's own.
	Columns Columns
	// Business, when set, reads first-party results too.
	Business *Business

	Schedule string
	Location *time.Location
	sched    cron.Schedule

	LookbackDays int
	PageSize     int
	// Tolerance is the share by which a day's total may differ between the
	// source and the store before reconciliation raises an alert.
	Tolerance float64

	// A folder source's settings.
	Path          string
	Settle        time.Duration
	ReportChannel string
}

// Next returns the first scheduled time after t.
func (s Source) Next(t time.Time) time.Time {
	if s.sched == nil {
		return time.Time{}
	}
	return s.sched.Next(t.In(s.Location))
}

// Warehouse reports whether the source reads a database.
func (s Source) Warehouse() bool { return s.Kind == KindDBT || s.Kind == KindSQL }

// Columns names the source columns each store field is read from. Account,
// Revenue, Category, Region and CampaignType may be empty (not read).
type Columns struct {
	Date, Platform, Account, Campaign                string
	Spend, Impressions, Clicks, Conversions, Revenue string
	Category, Region, CampaignType                   string
}

// dbtColumns is ad_reporting__campaign_report's shape. Campaigns are kept
// by name within their account, as the store keys them, and paged by id.
var dbtColumns = Columns{Date: "date_day", Platform: "platform", Account: "account_name", Campaign: "campaign_name",
	Spend: "spend", Impressions: "impressions", Clicks: "clicks", Conversions: "conversions", Revenue: "conversions_value"}

// Business is a query of first-party results, one row per day (and
// channel, when it has one).
type Business struct {
	Query                                        string
	Date, Channel, Orders, Revenue, NewCustomers string
}

// Secret is a value that never prints: errors and logs show it redacted.
type Secret string

// String implements fmt.Stringer, redacted.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString redacts %#v too.
func (s Secret) GoString() string { return s.String() }

// Reveal returns the value, for the driver alone.
func (s Secret) Reveal() string { return string(s) }

// ConfigError is one problem in the sources file, at its line.
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Load reads the sources file at path; getenv resolves url_env.
func Load(path string, getenv func(string) string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("%s: read sources: %w", EnvConfig, err)
	}
	return Parse(path, b, getenv)
}

// Parse reads and checks a sources file. Every problem is returned, each a
// *ConfigError naming its line and field; none shows a secret.
func Parse(name string, b []byte, getenv func(string) string) (Config, error) {
	var doc struct {
		Sources yaml.Node `yaml:"sources"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return Config{}, yamlError(name, err)
	}
	if doc.Sources.Kind != yaml.SequenceNode || len(doc.Sources.Content) == 0 {
		return Config{}, &ConfigError{File: name, Line: max(doc.Sources.Line, 1), Msg: "sources: want a list of sources, each with name, kind and schedule (see sources.example.yaml)"}
	}
	c := checker{file: name, getenv: getenv}
	cfg := Config{File: name}
	seen := map[string]int{}
	for _, n := range doc.Sources.Content {
		s, ok := c.source(n)
		if !ok {
			continue
		}
		if line, dup := seen[s.Name]; dup {
			c.fail(n.Line, "name", fmt.Sprintf("%q is also the name of the source at line %d: names must differ", s.Name, line))
			continue
		}
		seen[s.Name] = n.Line
		cfg.Sources = append(cfg.Sources, s)
	}
	if len(c.errs) > 0 {
		return Config{}, errors.Join(c.errs...)
	}
	return cfg, nil
}

// yamlError turns a YAML decoding error into ConfigErrors naming their
// lines; the decoder's messages quote keys, never values.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := err.Error()
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return &ConfigError{File: file, Line: line, Msg: "not valid YAML: " + strings.TrimPrefix(yamlLine.ReplaceAllString(msg, ""), "yaml: ")}
	}
	var errs []error
	for _, e := range te.Errors {
		line := 1
		if m := yamlLine.FindStringSubmatch(e); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := yamlLine.ReplaceAllString(e, "")
		if f, ok := strings.CutPrefix(msg, "field "); ok {
			f, _, _ = strings.Cut(f, " ")
			msg = fmt.Sprintf("unknown key %q at the top (want sources)", f)
		}
		errs = append(errs, &ConfigError{File: file, Line: line, Msg: msg})
	}
	return errors.Join(errs...)
}

var yamlLine = lazyre.New(`line (\d+): `)

// checker reads each source, collecting every problem with its line.
type checker struct {
	file   string
	getenv func(string) string
	errs   []error
}

func (c *checker) fail(line int, field, msg string) {
	c.errs = append(c.errs, &ConfigError{File: c.file, Line: line, Msg: field + ": " + msg})
}

var (
	sourceKeys = []string{"name", "kind", "url_env", "url", "table", "query", "columns", "business", "schedule", "timezone",
		"lookback_days", "page_size", "tolerance", "path", "settle", "report_channel"}
	columnKeys   = []string{"date", "platform", "account", "campaign", "spend", "impressions", "clicks", "conversions", "revenue", "category", "region", "campaign_type"}
	businessKeys = []string{"query", "date", "channel", "orders", "revenue", "new_customers"}
	namePattern  = lazyre.New(`^[a-z0-9][a-z0-9_-]*$`)
	identPattern = lazyre.New(`^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$`)
	cronParser   = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
)

// pairs returns mapping n's keys with their values, reporting keys that
// are unknown or repeated.
func (c *checker) pairs(n *yaml.Node, what string, known []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		c.fail(n.Line, what, "want a mapping of "+strings.Join(known, ", "))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch _, dup := out[k.Value]; {
		case !contains(known, k.Value):
			c.fail(k.Line, what, fmt.Sprintf("unknown key %q (want one of %s)", k.Value, strings.Join(known, ", ")))
		case dup:
			c.fail(k.Line, what+"."+k.Value, "given twice")
		default:
			out[k.Value] = v
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// text is a field's single value, "" when absent.
func (c *checker) text(m map[string]*yaml.Node, key, what string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		c.fail(v.Line, what+"."+key, "want a single value")
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// line is where a field is, or else where its source is.
func line(m map[string]*yaml.Node, key string, def int) int {
	if v, ok := m[key]; ok {
		return v.Line
	}
	return def
}

// whole reads a positive whole number field, def when absent.
func (c *checker) whole(m map[string]*yaml.Node, key, what string, def int) int {
	s := c.text(m, key, what)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		c.fail(line(m, key, 0), what+"."+key, fmt.Sprintf("%q is not a positive whole number", s))
		return def
	}
	return n
}

func (c *checker) source(n *yaml.Node) (Source, bool) {
	before := len(c.errs)
	what := fmt.Sprintf("source at line %d", n.Line)
	if name := nameOf(n); namePattern.MatchString(name) {
		what = "source " + name
	}
	m := c.pairs(n, what, sourceKeys)
	if m == nil {
		return Source{}, false
	}
	s := Source{Line: n.Line, Name: c.text(m, "name", what)}
	switch {
	case s.Name == "":
		c.fail(n.Line, what, "name is missing: give each source a short name, such as warehouse")
	case !namePattern.MatchString(s.Name):
		c.fail(line(m, "name", n.Line), "name", fmt.Sprintf("%q: want lower-case letters, digits, - and _", s.Name))
	}
	s.Kind = Kind(c.text(m, "kind", what))
	switch s.Kind {
	case KindDBT, KindSQL, KindFolder:
	case "":
		c.fail(n.Line, what, "kind is missing: want dbt_ad_reporting, sql or folder")
	default:
		c.fail(line(m, "kind", n.Line), what+".kind", fmt.Sprintf("%q: want dbt_ad_reporting, sql or folder", s.Kind))
	}
	c.schedule(&s, m, what)
	switch s.Kind {
	case KindDBT, KindSQL:
		c.warehouse(&s, m, what)
	case KindFolder:
		c.folder(&s, m, what)
	}
	return s, len(c.errs) == before
}

// nameOf is a source mapping's name, "" when it has none.
func nameOf(n *yaml.Node) string {
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			return strings.TrimSpace(n.Content[i+1].Value)
		}
	}
	return ""
}

func (c *checker) schedule(s *Source, m map[string]*yaml.Node, what string) {
	s.Location = time.UTC
	if tz := c.text(m, "timezone", what); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			c.fail(line(m, "timezone", s.Line), what+".timezone", fmt.Sprintf("%q is not an IANA time zone such as Europe/London", tz))
		} else {
			s.Location = loc
		}
	}
	s.Schedule = c.text(m, "schedule", what)
	if s.Schedule == "" {
		c.fail(s.Line, what, `schedule is missing: want a cron schedule such as "0 * * * *" (hourly)`)
		return
	}
	sched, err := cronParser.Parse(s.Schedule)
	if err != nil || strings.Contains(s.Schedule, "TZ=") {
		c.fail(line(m, "schedule", s.Line), what+".schedule", fmt.Sprintf("%q is not a cron schedule such as \"0 * * * *\" (the time zone goes in timezone)", s.Schedule))
		return
	}
	s.sched = sched
}

func (c *checker) warehouse(s *Source, m map[string]*yaml.Node, what string) {
	for _, k := range []string{"path", "settle", "report_channel"} {
		if _, ok := m[k]; ok {
			c.fail(line(m, k, s.Line), what+"."+k, "is for kind folder only")
		}
	}
	c.url(s, m, what)
	s.Table, s.Query = c.text(m, "table", what), c.text(m, "query", what)
	switch {
	case s.Table != "" && s.Query != "":
		c.fail(line(m, "query", s.Line), what, "give table or query, not both")
	case s.Table == "" && s.Query == "":
		c.fail(s.Line, what, "table is missing: name the table or view to read (such as ad_reporting.ad_reporting__campaign_report), or give a query")
	case s.Table != "" && !identPattern.MatchString(s.Table):
		c.fail(line(m, "table", s.Line), what+".table", fmt.Sprintf("%q: want a table name, optionally schema-qualified (schema.table)", s.Table))
	case s.Query != "" && !isSelect(s.Query):
		c.fail(line(m, "query", s.Line), what+".query", "want a single SELECT (or WITH … SELECT) statement")
	}
	s.LookbackDays = c.whole(m, "lookback_days", what, DefaultLookbackDays)
	s.PageSize = c.whole(m, "page_size", what, DefaultPageSize)
	s.Tolerance = DefaultTolerance
	if t := c.text(m, "tolerance", what); t != "" {
		pct := strings.HasSuffix(t, "%")
		f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "%")), 64)
		if pct {
			f /= 100
		}
		if err != nil || f < 0 || f >= 1 {
			c.fail(line(m, "tolerance", s.Line), what+".tolerance", fmt.Sprintf("%q: want a share such as 0.5%% or 0.005", t))
		} else {
			s.Tolerance = f
		}
	}
	if s.Kind == KindDBT {
		s.Columns = dbtColumns
		if _, ok := m["columns"]; ok {
			c.fail(line(m, "columns", s.Line), what+".columns", "dbt_ad_reporting has its own columns; use kind sql for a mapping of your own")
		}
	} else {
		c.columns(s, m, what)
	}
	if b, ok := m["business"]; ok {
		s.Business = c.business(b, what+".business")
	}
}

// isSelect reports whether q reads as one SELECT statement.
func isSelect(q string) bool {
	t := strings.ToLower(strings.TrimSpace(q))
	t = strings.TrimSpace(strings.TrimSuffix(t, ";"))
	return (strings.HasPrefix(t, "select") || strings.HasPrefix(t, "with")) && !strings.Contains(t, ";")
}

func (c *checker) url(s *Source, m map[string]*yaml.Node, what string) {
	s.URLEnv = c.text(m, "url_env", what)
	raw := c.text(m, "url", what)
	at := line(m, "url", s.Line)
	switch {
	case s.URLEnv != "" && raw != "":
		c.fail(at, what, "give url_env or url, not both")
		return
	case raw != "":
		u, err := url.Parse(raw)
		if err != nil {
			c.fail(at, what+".url", "is not a URL (its value is not shown: it may hold a password)")
			return
		}
		if _, ok := u.User.Password(); ok {
			c.fail(at, what+".url", fmt.Sprintf("holds a password (%s): put the URL in an environment variable and name it with url_env, such as url_env: WAREHOUSE_URL", u.Redacted()))
			return
		}
	case s.URLEnv == "":
		c.fail(s.Line, what, "url_env is missing: name the environment variable that holds the warehouse's URL, such as url_env: WAREHOUSE_URL")
		return
	default:
		at = line(m, "url_env", s.Line)
		raw = strings.TrimSpace(c.getenv(s.URLEnv))
		if raw == "" {
			c.fail(at, what+".url_env", fmt.Sprintf("%s is not set: set it to the warehouse's URL, such as postgres://reader@host:5432/analytics", s.URLEnv))
			return
		}
	}
	if _, err := dialectOf(raw); err != nil {
		c.fail(at, what+".url", err.Error())
		return
	}
	s.URL = Secret(raw)
}

func (c *checker) columns(s *Source, m map[string]*yaml.Node, what string) {
	n, ok := m["columns"]
	if !ok {
		c.fail(s.Line, what, "columns is missing: map date, platform, campaign, spend, impressions, clicks and conversions onto your columns")
		return
	}
	what += ".columns"
	cm := c.pairs(n, what, columnKeys)
	if cm == nil {
		return
	}
	col := func(k string, required bool) string {
		v := c.text(cm, k, what)
		switch {
		case v == "" && required:
			c.fail(n.Line, what, k+" is missing: name the column it is read from")
		case v != "" && (!identPattern.MatchString(v) || strings.Contains(v, ".")):
			c.fail(line(cm, k, n.Line), what+"."+k, fmt.Sprintf("%q: want a column name", v))
		}
		return v
	}
	s.Columns = Columns{Date: col("date", true), Platform: col("platform", true), Account: col("account", false), Campaign: col("campaign", true),
		Spend: col("spend", true), Impressions: col("impressions", true), Clicks: col("clicks", true), Conversions: col("conversions", true),
		Revenue: col("revenue", false), Category: col("category", false), Region: col("region", false), CampaignType: col("campaign_type", false)}
}

func (c *checker) business(n *yaml.Node, what string) *Business {
	m := c.pairs(n, what, businessKeys)
	if m == nil {
		return nil
	}
	b := &Business{Query: c.text(m, "query", what)}
	if !isSelect(b.Query) {
		c.fail(line(m, "query", n.Line), what+".query", "want a single SELECT of orders, revenue and new customers per day")
	}
	col := func(k, def string) string {
		v := c.text(m, k, what)
		if v == "" {
			return def
		}
		if !identPattern.MatchString(v) || strings.Contains(v, ".") {
			c.fail(line(m, k, n.Line), what+"."+k, fmt.Sprintf("%q: want a column name", v))
		}
		return v
	}
	b.Date, b.Channel, b.Orders, b.Revenue, b.NewCustomers = col("date", "date"), col("channel", ""), col("orders", "orders"), col("revenue", "revenue"), col("new_customers", "new_customers")
	return b
}

func (c *checker) folder(s *Source, m map[string]*yaml.Node, what string) {
	for _, k := range []string{"url_env", "url", "table", "query", "columns", "business", "lookback_days", "page_size", "tolerance"} {
		if _, ok := m[k]; ok {
			c.fail(line(m, k, s.Line), what+"."+k, "is for warehouse sources (dbt_ad_reporting, sql) only")
		}
	}
	if s.Path = c.text(m, "path", what); s.Path == "" {
		c.fail(s.Line, what, "path is missing: name the folder export files land in")
	}
	s.Settle = DefaultSettle
	if v := c.text(m, "settle", what); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			c.fail(line(m, "settle", s.Line), what+".settle", fmt.Sprintf("%q is not a duration such as 1m or 30s", v))
		} else {
			s.Settle = d
		}
	}
	if s.ReportChannel = c.text(m, "report_channel", what); s.ReportChannel != "" {
		kind, id, ok := strings.Cut(s.ReportChannel, ":")
		if !ok || id == "" || (kind != "slack" && kind != "teams") {
			c.fail(line(m, "report_channel", s.Line), what+".report_channel", fmt.Sprintf("%q: want slack:<channel id> or teams:<channel id>", s.ReportChannel))
		}
	}
}
