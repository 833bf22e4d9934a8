package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/bot"
	teamsbot "github.com/sowhat-ai/sowhat/bot/teams"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/llm"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/sources"
)

// The statuses of a doctor check.
const (
	statusOK      = "ok"
	statusProblem = "problem"
	statusSkip    = "skip"
)

// Freshness limits: a platform this many days behind the newest one, or
// this many days older than today, is stale.
const (
	staleBehindNewest = 2
	staleBehindToday  = 3
)

// result is one check's outcome: what was found and, for a problem, how
// to fix it. No field ever holds a secret.
type result struct {
	Status string `json:"status"`
	Name   string `json:"name"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

func (r result) String() string {
	s := fmt.Sprintf("%-7s %s: %s", r.Status, r.Name, r.Detail)
	if r.Fix != "" {
		s += " — fix: " + r.Fix
	}
	return s
}

// doctor runs the checks of `sowhat doctor` in order; later checks use
// what earlier ones found (the database's path, a Slack client whose
// token was accepted).
type doctor struct {
	e       *env
	dbURL   string
	results []result
	slack   *slackapi.Client // nil unless the bot token was accepted
}

func (d *doctor) ok(name, detail string) { d.add(statusOK, name, detail, "") }
func (d *doctor) skip(name, detail string) {
	d.add(statusSkip, name, detail, "")
}
func (d *doctor) problem(name, detail, fix string) { d.add(statusProblem, name, detail, fix) }

func (d *doctor) add(status, name, detail, fix string) {
	d.results = append(d.results, result{Status: status, Name: name, Detail: detail, Fix: fix})
}

// problems counts the problems found.
func (d *doctor) problems() int {
	n := 0
	for _, r := range d.results {
		if r.Status == statusProblem {
			n++
		}
	}
	return n
}

// errProblems: doctor found something to fix.
var errProblems = errors.New("doctor found problems")

func cmdDoctor(ctx context.Context, e *env, args []string) error {
	fs := newFlags("doctor", e)
	db := fs.String("db", "", "database path or URL (default DATABASE_URL, else the demo database)")
	asJSON := fs.Bool("json", false, "print the checks as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if e.cfg.Location == nil {
		e.cfg.Location = time.UTC // REPORTING_TZ is bad, and said so
	}
	d := &doctor{e: e, dbURL: cmp.Or(*db, e.cfg.DatabaseURL)}
	d.run(ctx)
	if err := d.print(e.stdout, *asJSON); err != nil {
		return err
	}
	if n := d.problems(); n > 0 {
		return model.Tell(fmt.Sprintf("%d %s to fix, above.", n, plural(n, "problem", "problems")), errProblems)
	}
	return nil
}

func (d *doctor) run(ctx context.Context) {
	d.configuration()
	if st := d.database(ctx); st != nil {
		d.freshness(ctx, st)
		closeQuietly(st)
	}
	d.state(ctx)
	d.slackChecks(ctx)
	d.teams(ctx)
	d.llm(ctx)
	d.reports(ctx)
	d.sources(ctx)
}

// sources checks each source of SOURCES_CONFIG: its connection, that it
// may read what it reads, and its mapping.
func (d *doctor) sources(ctx context.Context) {
	cfg := d.e.cfg.Sources
	switch {
	case len(cfg.Sources) == 0 && d.e.cfg.SourcesFile != "":
		d.problem("sources", d.e.cfg.SourcesFile+" could not be used (the configuration check above says why)", "correct it (sources.example.yaml describes every setting)")
		return
	case len(cfg.Sources) == 0:
		d.skip("sources", sources.EnvConfig+" is not set: data arrives only by sowhat ingest")
		return
	}
	s, err := sources.NewSyncer(cfg, nil, nil, d.e.sourceOptions(slog.New(slog.DiscardHandler))...)
	if err != nil {
		d.problem("sources", err.Error(), "correct "+cfg.File+" (sources.example.yaml describes every setting)")
		return
	}
	defer s.Close()
	for _, r := range s.Check(ctx) {
		name := "source " + r.Source + " " + r.Check
		if r.OK {
			d.ok(name, r.Detail)
		} else {
			d.problem(name, r.Detail, r.Fix)
		}
	}
}

func (d *doctor) print(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d.results); err != nil {
			return fmt.Errorf("doctor: write json: %w", err)
		}
		return nil
	}
	for _, r := range d.results {
		if _, err := fmt.Fprintln(w, r); err != nil {
			return fmt.Errorf("doctor: write: %w", err)
		}
	}
	return nil
}

// configuration reports every variable LoadConfig refused, one to a line.
func (d *doctor) configuration() {
	if d.e.cfgErr == nil {
		d.ok("configuration", "every variable is well-formed")
		return
	}
	for _, err := range flatten(d.e.cfgErr) {
		d.problem("configuration", err.Error(), "correct it in the environment or .env (.env.example documents every variable)")
	}
}

// database opens the analytics database as the commands that read do,
// and checks its schema, that it can be written (serve records its
// health there) and that it holds data. It returns the store when it
// holds data, for the freshness check.
func (d *doctor) database(ctx context.Context) *data.Store {
	const name = "database"
	where := redactURL(d.dbURL)
	if d.dbURL == "" {
		d.problem(name, "no database is named", "set DATABASE_URL to your database")
		return nil
	}
	st, err := d.e.open(ctx, d.dbURL, data.MustExist())
	if err != nil {
		what, fix := d.openProblem(where, err)
		d.problem(name, what, fix)
		return nil
	}
	if err := st.Check(ctx); err != nil {
		d.problem(name, fmt.Sprintf("%s: %s", where, strings.ReplaceAll(err.Error(), d.dbURL, where)), checkFix(err))
	}
	if err := st.CheckHasData(ctx); err != nil {
		d.problem(name, where+" is empty: no data imported yet", fmt.Sprintf("sowhat ingest --db %s FILE", where))
		closeQuietly(st)
		return nil
	}
	r, err := st.DataRange(ctx)
	if err != nil {
		d.problem(name, fmt.Sprintf("%s: cannot read: %v", where, err), "check the file is a sowhat database")
		closeQuietly(st)
		return nil
	}
	ver, _ := st.SchemaVersion(ctx)
	detail := fmt.Sprintf("%s (schema %d), ads from %s to %s", where, ver, r.Start.Format(period.DateLayout), r.End.Format(period.DateLayout))
	if d.e.cfg.DatabaseDefaulted && d.dbURL == d.e.cfg.DatabaseURL {
		detail += "; DATABASE_URL is not set, so this is the demo database"
	}
	d.ok(name, detail)
	return st
}

// openProblem says why the database at where could not be opened, and
// what to do.
func (d *doctor) openProblem(where string, err error) (what, fix string) {
	switch {
	case errors.Is(err, data.ErrNoDatabase) && d.e.cfg.DatabaseDefaulted:
		return "DATABASE_URL is not set and the demo database at " + where + " has not been built", "set DATABASE_URL to your database, or run sowhat demo"
	case errors.Is(err, data.ErrNoDatabase):
		return "there is no database at " + where, fmt.Sprintf("import your data: sowhat ingest --db %s FILE", where)
	case errors.Is(err, data.ErrNoFolder):
		return fmt.Sprintf("there is no folder %s for the database %s", filepath.Dir(where), where), "create the folder, or correct DATABASE_URL"
	case errors.Is(err, data.ErrReadOnly):
		return where + " is read-only and needs a schema upgrade", "make the file writable and run sowhat doctor again"
	}
	return strings.ReplaceAll(err.Error(), d.dbURL, where), "check DATABASE_URL"
}

// checkFix is what to do about a failed Store.Check or State.Check.
func checkFix(err error) string {
	switch {
	case errors.Is(err, data.ErrSchemaMismatch):
		return "run the sowhat release this database was last opened by, or upgrade this one"
	case errors.Is(err, data.ErrReadOnly):
		return "make the file writable by the user sowhat runs as (serve writes to it)"
	case errors.Is(err, data.ErrCannotWrite):
		return "free disk space, or make the file and its folder writable"
	}
	return "check the file and its folder"
}

// freshness reports each platform's last day: one well behind the newest
// platform, or too long before today, is stale.
func (d *doctor) freshness(ctx context.Context, st *data.Store) {
	fresh, err := st.Freshness(ctx)
	if err != nil {
		d.problem("data", fmt.Sprintf("cannot read freshness: %v", err), "check the database")
		return
	}
	var newest model.Freshness
	for _, f := range fresh {
		if f.LastDay.After(newest.LastDay) {
			newest = f
		}
	}
	today := d.e.cfg.Today(d.e.now())
	for _, f := range fresh {
		name, last := "data "+f.Source, f.LastDay.Format(period.DateLayout)
		behind, age := days(f.LastDay, newest.LastDay), days(f.LastDay, today)
		switch {
		case behind > staleBehindNewest:
			d.problem(name, fmt.Sprintf("last day %s, %d days behind %s (%s)", last, behind, newest.Source, newest.LastDay.Format(period.DateLayout)), d.importFix(f.Source))
		case age > staleBehindToday:
			d.problem(name, fmt.Sprintf("last day %s, %d days before today (%s in %s)", last, age, today.Format(period.DateLayout), d.e.cfg.Location), d.importFix(f.Source))
		default:
			d.ok(name, "last day "+last+imported(f.ImportedAt))
		}
	}
}

func imported(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ", imported " + t.UTC().Format("2006-01-02 15:04 UTC")
}

func (d *doctor) importFix(source string) string {
	flag := "--platform " + source
	if source == "business" {
		flag = "--kind business"
	}
	return fmt.Sprintf("import its latest export (sowhat ingest --db %s %s FILE)", redactURL(d.dbURL), flag)
}

// days is the number of whole days from a to b.
func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// state checks the bot's own database, when it exists: serve makes it.
func (d *doctor) state(ctx context.Context) {
	const name = "state"
	dsn := d.e.cfg.StateDatabaseURL
	if dsn == "" && d.dbURL != "" {
		dsn = data.StatePath(d.dbURL)
	}
	if dsn == "" {
		d.skip(name, "no analytics database named, so no state database beside it")
		return
	}
	where := redactURL(dsn)
	if _, err := os.Stat(dsn); !isPostgresURL(dsn) && errors.Is(err, os.ErrNotExist) {
		if fi, err := os.Stat(filepath.Dir(dsn)); err != nil || !fi.IsDir() {
			d.problem(name, fmt.Sprintf("there is no folder %s for the state database %s", filepath.Dir(dsn), dsn), "create the folder, or set STATE_DATABASE_URL")
			return
		}
		d.ok(name, dsn+" not made yet: sowhat serve makes it at start")
		return
	}
	s, err := data.OpenState(ctx, dsn, data.WithLease(d.e.cfg.Lease))
	if err != nil {
		d.problem(name, strings.ReplaceAll(err.Error(), dsn, where), "check STATE_DATABASE_URL and the file")
		return
	}
	defer closeQuietly(s)
	if err := s.Check(ctx); err != nil {
		d.problem(name, fmt.Sprintf("%s: %s", where, strings.ReplaceAll(err.Error(), dsn, where)), checkFix(err))
		return
	}
	d.ok(name, where)
}

// teams checks the Microsoft Teams credentials serve would use by getting
// the app a token from Microsoft Entra ID, as serve does at start.
func (d *doctor) teams(ctx context.Context) {
	const name = "teams"
	set := d.e.cfg.Teams
	if !set.Configured() {
		d.skip(name, varTeamsAppID+" is not set (sowhat serve answers in Teams when it is)")
		return
	}
	a := teamsbot.New(nil, set.AppID, set.Password, teamsOptions(d.e, set, nil)...)
	if err := a.Connect(ctx); err != nil {
		_, why := a.Connected()
		d.problem(name, fmt.Sprintf("%s: %s", varTeamsAppID, why),
			fmt.Sprintf("check %s and %s in the Azure Bot's configuration (a secret expires), and %s for a SingleTenant bot", varTeamsAppID, varTeamsPassword, varTeamsTenant))
		return
	}
	d.ok(name, fmt.Sprintf("%s %s got a token from Microsoft Entra ID", varTeamsAppID, set.AppID))
}

// slackChecks checks the Slack credentials serve would use: their shape,
// then the bot token with auth.test and, in Socket Mode, the app token
// with apps.connections.open.
func (d *doctor) slackChecks(ctx context.Context) {
	const name = "slack"
	set := d.e.cfg.Slack
	if set.BotToken == "" {
		d.skip(name, varSlackBotToken+" is not set (sowhat serve and digest --send need it)")
		return
	}
	if err := set.CheckServe(); err != nil {
		for _, e := range flatten(err) {
			d.problem(name, e.Error(), "see docs/add-to-slack.md")
		}
		return
	}
	scopes := &scopeHeader{next: http.DefaultTransport}
	api := slackapi.New(set.BotToken, append(slackOptions(set), slackapi.OptionHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: scopes}))...)
	auth, err := api.AuthTestContext(ctx)
	if err != nil {
		d.slackProblem(name, varSlackBotToken, "auth.test", err,
			"copy the Bot User OAuth Token (xoxb-…) from api.slack.com/apps → your app → OAuth & Permissions, reinstalling the app if it was revoked")
		return
	}
	d.slack = api
	d.ok(name, fmt.Sprintf("%s accepted by auth.test (team %s, bot user %s)", varSlackBotToken, auth.TeamID, auth.UserID))
	d.historyScopes(scopes.get())
	if !set.SocketMode() {
		detail := "HTTP mode: " + varSlackSigningSecret + " is set; Slack's requests are verified with it (it can't be checked from here)"
		if w := set.SigningSecretWarning(); w != "" {
			detail += "; " + w
		}
		d.ok("slack http", detail)
		return
	}
	if _, _, err := api.StartSocketModeContext(ctx); err != nil {
		d.slackProblem("slack socket mode", varSlackAppToken, "apps.connections.open", err,
			"generate an app-level token with connections:write (Basic Information → App-Level Tokens) and turn Socket Mode on")
		return
	}
	d.ok("slack socket mode", varSlackAppToken+" accepted by apps.connections.open")
}

// historyScopes says whether the app may read the history sowhat looks in
// after a crash, from the scopes auth.test's response listed (granted is
// nil when it listed none, as some Slack-compatible servers do).
func (d *doctor) historyScopes(granted []string) {
	if granted == nil {
		return
	}
	var missing []string
	for _, s := range []string{"channels:history", "groups:history"} {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		d.ok("slack history", "channels:history and groups:history granted: after a crash, a reply, digest or alert that was being posted is looked for before it is posted again")
		return
	}
	d.skip("slack history", fmt.Sprintf("the app lacks %s, so after a crash a reply, digest or alert that was being posted may be posted twice (add the scopes under OAuth & Permissions and reinstall the app to have it looked for first)",
		strings.Join(missing, " and ")))
}

// scopeHeader is a transport that keeps the X-OAuth-Scopes header Slack
// sends with each Web API response: the scopes the token was granted.
type scopeHeader struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (h *scopeHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := h.next.RoundTrip(r)
	if err == nil {
		if v := res.Header.Get("X-OAuth-Scopes"); v != "" {
			var scopes []string
			for _, s := range strings.Split(v, ",") {
				scopes = append(scopes, strings.TrimSpace(s))
			}
			h.mu.Lock()
			h.seen = scopes
			h.mu.Unlock()
		}
	}
	return res, err
}

func (h *scopeHeader) get() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen
}

// slackProblem says why a call with the token in variable failed, from
// Slack's error code alone: a transport error names the URL.
func (d *doctor) slackProblem(name, variable, call string, err error, fix string) {
	if se, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok {
		d.problem(name, fmt.Sprintf("Slack refused %s (%s: %s)", variable, call, se.Err), fix)
		return
	}
	if _, ok := errors.AsType[*slackapi.RateLimitedError](err); ok {
		d.problem(name, fmt.Sprintf("%s was rate limited by Slack", call), "run sowhat doctor again in a minute")
		return
	}
	d.problem(name, fmt.Sprintf("Slack could not be reached at %s (%s)", slackAPIURL(d.e.cfg.Slack), call), "check the network, a proxy, and SLACK_API_URL")
}

// slackOptions point the client where serve's adapter goes.
func slackOptions(set SlackSettings) []slackapi.Option {
	opts := []slackapi.Option{slackapi.OptionHTTPClient(&http.Client{Timeout: 10 * time.Second})}
	if set.APIURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(strings.TrimSuffix(set.APIURL, "/")+"/"))
	}
	if set.AppToken != "" {
		opts = append(opts, slackapi.OptionAppLevelToken(set.AppToken))
	}
	return opts
}

func slackAPIURL(set SlackSettings) string {
	return redactURL(cmp.Or(set.APIURL, slackapi.APIURL))
}

// llm checks the model endpoint answers with the configured key and model.
func (d *doctor) llm(ctx context.Context) {
	const name = "llm"
	c := d.e.cfg.LLM
	client := d.e.llmClient()
	if client == nil {
		d.skip(name, varOpenAIKey+" and OPENAI_BASE_URL are not set: answers are worded without a model")
		return
	}
	base := redactURL(cmp.Or(c.BaseURL, "https://api.openai.com/v1"))
	err := client.Check(ctx)
	switch {
	case err == nil:
		d.ok(name, fmt.Sprintf("model %s at %s answers", c.Model, base))
	case errors.Is(err, llm.ErrRefused):
		d.problem(name, fmt.Sprintf("%s refused %s (%v)", base, varOpenAIKey, err), "check the key is one this endpoint issued, and not revoked")
	case errors.Is(err, llm.ErrNoModel):
		d.problem(name, fmt.Sprintf("%s: %v", base, err), "set OPENAI_MODEL to a model the endpoint serves")
	default:
		d.problem(name, fmt.Sprintf("%s: %v", base, err), "check OPENAI_BASE_URL and the network")
	}
}

// reports loads the digest and alert configuration as serve does, checks
// what serve refuses at start, and, when Slack accepted the bot token,
// whether the bot is in each channel posted to.
func (d *doctor) reports(ctx context.Context) {
	const name = "reports"
	rcfg, err := d.e.reportsConfig("")
	if err != nil {
		d.problem(name, configText(err), "correct it (docs/digests.md describes every setting)")
		return
	}
	bad := false
	if pol, err := bot.NewPolicy(d.e.cfg.Slack.Policy); err == nil {
		if err := checkClearance(slog.New(slog.DiscardHandler), rcfg, pol); err != nil {
			for _, e := range flatten(errors.Unwrap(err)) {
				d.problem(name, e.Error(), "")
			}
			bad = true
		}
	}
	if !bad {
		d.ok(name, reportsSummary(rcfg))
	}
	if d.slack != nil {
		d.channels(ctx, rcfg)
	}
}

// configText is a configuration error's text, whatever wraps it.
func configText(err error) string {
	if ce, ok := errors.AsType[configError](err); ok {
		return ce.err.Error()
	}
	return err.Error()
}

func reportsSummary(c reports.Config) string {
	rules := 0
	for _, r := range c.Alerts.Rules {
		if len(r.Channels) > 0 {
			rules++
		}
	}
	if !postsAnything(c) {
		return fmt.Sprintf("%s: nothing posts anywhere (set %s=slack:C… for the built-in digests and alerts, or %s)", c.Source, reports.EnvChannel, reports.EnvConfig)
	}
	return fmt.Sprintf("%s: %d %s, %d alert %s, schedules valid", c.Source, len(c.Digests), plural(len(c.Digests), "digest", "digests"), rules, plural(rules, "rule", "rules"))
}

// channels checks, with conversations.info, that the bot is in every
// Slack channel a digest or an alert posts to: one it is not in gets the
// text (chat:write.public) but not the charts.
func (d *doctor) channels(ctx context.Context, c reports.Config) {
	for _, id := range slackChannels(c) {
		name := "channel " + id
		ch, err := d.slack.GetConversationInfoContext(ctx, &slackapi.GetConversationInfoInput{ChannelID: id})
		se, isSlack := errors.AsType[slackapi.SlackErrorResponse](err)
		switch {
		case isSlack && se.Err == "missing_scope":
			d.skip("channels", "the app has no channels:read scope, so whether the bot is in each channel is not checked")
			return
		case isSlack && se.Err == "channel_not_found":
			d.problem(name, "not found: a wrong id, or a private channel the bot is not in", "/invite @sowhat in the channel, or correct the id in "+reports.EnvConfig)
		case err != nil:
			d.slackProblem(name, varSlackBotToken, "conversations.info", err, "check the channel id")
		case !ch.IsMember:
			d.problem(name, "the bot is not in #"+ch.Name+": digests post there without their charts", "/invite @sowhat in #"+ch.Name)
		default:
			d.ok(name, "#"+ch.Name+", the bot is a member")
		}
	}
}

// slackChannels lists, once each, the Slack channel ids c posts to.
func slackChannels(c reports.Config) []string {
	var ids []string
	add := func(chs []string) {
		for _, ch := range chs {
			if kind, id, ok := reports.SplitChannel(ch); ok && kind == "slack" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	for _, dg := range c.Digests {
		add(dg.Channels)
	}
	for _, r := range c.Alerts.Rules {
		add(r.Channels)
	}
	return ids
}

// redactURL shows a database or API URL with any password replaced; a
// file path is shown as it is.
func redactURL(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(a URL that does not parse)"
	}
	return u.Redacted()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
