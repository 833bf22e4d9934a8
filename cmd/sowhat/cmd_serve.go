package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/chart"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/reports"
)

// serveSettings are what `sowhat serve` reads from the environment, checked.
type serveSettings struct {
	BotToken      string // SLACK_BOT_TOKEN, xoxb-
	AppToken      string // SLACK_APP_TOKEN, xapp-: Socket Mode when set
	SigningSecret string // SLACK_SIGNING_SECRET: HTTP mode
	APIURL        string // SLACK_API_URL: Web API base URL
	Policy        bot.PolicyConfig
	UserRate      bot.Rate // SLACK_USER_RATE
}

// SocketMode reports whether Slack is reached over Socket Mode.
func (s serveSettings) SocketMode() bool { return s.AppToken != "" }

// Shapes of Slack ids: channels (public C, private G, DM D), users (U, W).
var (
	channelID = regexp.MustCompile(`^[CGD][A-Z0-9]{2,}$`)
	userID    = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
)

// readServeSettings reads and checks the Slack settings. Errors name the
// variable and what it should look like, and never echo a secret.
func readServeSettings(getenv func(string) string) (serveSettings, error) {
	s := serveSettings{
		BotToken:      strings.TrimSpace(getenv("SLACK_BOT_TOKEN")),
		AppToken:      strings.TrimSpace(getenv("SLACK_APP_TOKEN")),
		SigningSecret: strings.TrimSpace(getenv("SLACK_SIGNING_SECRET")),
		APIURL:        strings.TrimSpace(getenv("SLACK_API_URL")),
	}
	if err := s.checkTokens(); err != nil {
		return serveSettings{}, err
	}
	if err := checkAPIURL(s.APIURL); err != nil {
		return serveSettings{}, err
	}
	var err error
	if s.Policy, err = readPolicy(getenv); err != nil {
		return serveSettings{}, err
	}
	if s.UserRate, err = readRate(getenv("SLACK_USER_RATE")); err != nil {
		return serveSettings{}, err
	}
	return s, nil
}

// readPostSettings reads what posting to Slack needs and no more (the bot
// token and the Web API URL): sowhat digest --send and the alert check
// after an ingest post without serving.
func readPostSettings(getenv func(string) string) (serveSettings, error) {
	s := serveSettings{BotToken: strings.TrimSpace(getenv("SLACK_BOT_TOKEN")), APIURL: strings.TrimSpace(getenv("SLACK_API_URL"))}
	if err := checkBotToken(s.BotToken); err != nil {
		return serveSettings{}, err
	}
	if err := checkAPIURL(s.APIURL); err != nil {
		return serveSettings{}, err
	}
	return s, nil
}

func checkBotToken(token string) error {
	switch {
	case token == "":
		return errors.New("SLACK_BOT_TOKEN is not set: want the app's Bot User OAuth Token, xoxb-… (api.slack.com/apps → your app → OAuth & Permissions)")
	case !strings.HasPrefix(token, "xoxb-"):
		return errors.New("SLACK_BOT_TOKEN must start with xoxb- (the Bot User OAuth Token, not a user xoxp- or app-level xapp- token)")
	}
	return nil
}

func checkAPIURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("SLACK_API_URL=%q: want the Web API base URL, such as https://slack-gov.com/api/", v)
	}
	return nil
}

func (s serveSettings) checkTokens() error {
	if err := checkBotToken(s.BotToken); err != nil {
		return err
	}
	switch {
	case s.AppToken != "" && !strings.HasPrefix(s.AppToken, "xapp-"):
		return errors.New("SLACK_APP_TOKEN must start with xapp- (an app-level token with the connections:write scope, Basic Information → App-Level Tokens); leave it empty to serve over HTTP")
	case s.AppToken == "" && s.SigningSecret == "":
		return errors.New("SLACK_SIGNING_SECRET is not set: HTTP mode needs the app's Signing Secret, 32 hexadecimal characters (Basic Information → App Credentials); or set SLACK_APP_TOKEN (xapp-…) for Socket Mode")
	case s.SigningSecret != "" && !isHex(s.SigningSecret):
		return errors.New("SLACK_SIGNING_SECRET is malformed: want the app's Signing Secret, 32 hexadecimal characters (Basic Information → App Credentials), not the Client Secret or a token")
	}
	return nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && len(s) >= 32
}

// readPolicy reads the allowlists, the sensitive-metric policy and the
// audiences.
func readPolicy(getenv func(string) string) (bot.PolicyConfig, error) {
	var c bot.PolicyConfig
	var err error
	if c.AllowedChannels, err = readIDs(getenv, "SLACK_ALLOWED_CHANNELS", channelID, "channel ids such as C0123ABCD (channel details → About)"); err != nil {
		return c, err
	}
	if c.AllowedUsers, err = readIDs(getenv, "SLACK_ALLOWED_USERS", userID, "member ids such as U0123ABCD (profile → ⋮ → Copy member ID)"); err != nil {
		return c, err
	}
	if c.SensitiveChannels, err = readIDs(getenv, "SENSITIVE_CHANNELS", channelID, "channel ids such as C0123ABCD"); err != nil {
		return c, err
	}
	if c.SensitiveUsers, err = readIDs(getenv, "SENSITIVE_USERS", userID, "member ids such as U0123ABCD"); err != nil {
		return c, err
	}
	c.SensitiveMetrics = bot.DefaultSensitiveMetrics
	switch v := strings.TrimSpace(getenv("SENSITIVE_METRICS")); strings.ToLower(v) {
	case "":
	case "none":
		c.SensitiveMetrics = nil
	default:
		c.SensitiveMetrics = bot.ParseList(strings.ToLower(v))
		if _, err := bot.NewPolicy(bot.PolicyConfig{SensitiveMetrics: c.SensitiveMetrics}); err != nil {
			return c, fmt.Errorf("SENSITIVE_METRICS=%q: %w; or none", v, err)
		}
	}
	if v := getenv("AUDIENCES"); v != "" {
		if c.Audiences, err = bot.ParseAssignments(v); err != nil {
			return c, fmt.Errorf("AUDIENCES: %w", err)
		}
		for id := range c.Audiences {
			if !channelID.MatchString(id) && !userID.MatchString(id) {
				return c, fmt.Errorf("AUDIENCES: %q is not a channel or member id (want C0FINANCE=cfo,U123ABC=cmo)", id)
			}
		}
		if _, err := bot.NewPolicy(bot.PolicyConfig{Audiences: c.Audiences}); err != nil {
			return c, fmt.Errorf("AUDIENCES: %w", err)
		}
	}
	return c, nil
}

func readIDs(getenv func(string) string, name string, shape *regexp.Regexp, want string) ([]string, error) {
	ids := bot.ParseList(getenv(name))
	for _, id := range ids {
		if !shape.MatchString(id) {
			return nil, fmt.Errorf("%s: %q is not an id: want comma-separated %s", name, id, want)
		}
	}
	return ids, nil
}

// readRate reads SLACK_USER_RATE: "10/min" by default, "off" for none.
func readRate(v string) (bot.Rate, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return bot.DefaultUserRate, nil
	case "off", "none", "0":
		return bot.Rate{}, nil
	}
	r, err := bot.ParseRate(v)
	if err != nil {
		return bot.Rate{}, fmt.Errorf("SLACK_USER_RATE=%w; or off", err)
	}
	return r, nil
}

// shutdownGrace bounds how long answers in progress get to finish.
const shutdownGrace = 30 * time.Second

// server is everything `sowhat serve` runs, wired once.
type server struct {
	log   *slog.Logger
	st    *data.Store
	bot   *bot.Bot
	slack *slackbot.Adapter
	set   serveSettings
	ln    net.Listener
	// reports posts the digests and alerts; nil when none posts anywhere.
	reports *reports.Scheduler
}

// service is something serve runs until ctx ends: the HTTP server, Socket
// Mode, housekeeping and the digest and alert scheduler.
type service struct {
	name string
	run  func(ctx context.Context) error
}

func (s *server) services() []service {
	svcs := []service{{"http", s.serveHTTP}, {"prune events", s.pruneEvents}}
	if s.set.SocketMode() {
		svcs = append(svcs, service{"slack socket mode", s.slack.RunSocketMode})
	}
	if s.reports != nil {
		svcs = append(svcs, service{"reports", s.reports.Run})
	}
	return svcs
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve", e)
	addr := fs.String("addr", ":8080", "HOST:PORT to serve /healthz and, in HTTP mode, Slack's /slack/* endpoints on")
	db := fs.String("db", "", "database path or URL (default DATABASE_URL, else the demo database)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	set, err := readServeSettings(e.getenv())
	if err != nil {
		return err
	}
	rcfg, err := e.reportsConfig("")
	if err != nil {
		return err
	}
	pol, err := bot.NewPolicy(set.Policy)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on --addr %s: %w", *addr, err)
	}
	defer ln.Close()
	st, err := e.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	s := &server{log: e.log, st: st, set: set, ln: ln}
	eng := intents.New(st, e.engineOptions()...)
	if err := eng.Warm(ctx); err != nil {
		return err
	}
	s.bot = bot.New(eng, st, bot.WithLogger(e.log), bot.WithPolicy(pol),
		bot.WithUserRate(set.UserRate), bot.WithCharter(chart.Render), bot.WithToday(func() time.Time { return e.cfg.Today(e.now()) }))
	s.slack = slackbot.New(s.bot, set.BotToken, slackbot.WithAPIURL(set.APIURL), slackbot.WithSigningSecret(set.SigningSecret),
		slackbot.WithAppToken(set.AppToken), slackbot.WithLogger(e.log))
	if err := connectSlack(ctx, s.slack); err != nil {
		return err
	}
	if postsAnything(rcfg) {
		s.reports = e.newScheduler(eng, reports.Router{"slack": s.slack}, rcfg)
	} else {
		e.log.Info("no digest or alert posts anywhere, so none is scheduled", slog.String("config", rcfg.Source),
			slog.String("hint", "set "+reports.EnvChannel+"=slack:C… for the built-in digests and alerts, or "+reports.EnvConfig))
	}
	return s.run(ctx)
}

// connectSlack checks the bot token with Slack.
func connectSlack(ctx context.Context, a *slackbot.Adapter) error {
	if err := a.Connect(ctx); err != nil {
		return fmt.Errorf("SLACK_BOT_TOKEN was not accepted by Slack (check it is this workspace's Bot User OAuth Token): %w", err)
	}
	return nil
}

// slackPublisher returns a connected Slack adapter that only posts
// digests and alerts: configured and checked as serve's adapter is, with
// no bot and no listener behind it.
func slackPublisher(ctx context.Context, e *env) (*slackbot.Adapter, error) {
	set, err := readPostSettings(e.getenv())
	if err != nil {
		return nil, err
	}
	a := slackbot.NewPublisher(set.BotToken, slackbot.WithAPIURL(set.APIURL), slackbot.WithLogger(e.log))
	if err := connectSlack(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// newScheduler is the digest and alert scheduler, the same for serve, for
// sowhat digest --send and for the alert check after an ingest.
func (e *env) newScheduler(eng *intents.Engine, pub reports.Publisher, cfg reports.Config) *reports.Scheduler {
	return reports.NewScheduler(eng.Store(), eng, pub, cfg, reports.WithCharts(chart.Render), reports.WithLogger(e.log),
		reports.WithClock(reports.ClockFunc(e.now)))
}

// postsAnything reports whether some digest or alert rule of cfg has a
// channel to post to. (The built-in defaults have none until
// REPORTS_CHANNEL names one.)
func postsAnything(cfg reports.Config) bool {
	for _, d := range cfg.Digests {
		if len(d.Channels) > 0 {
			return true
		}
	}
	return postsAlerts(cfg)
}

// postsAlerts reports whether some alert rule of cfg has a channel.
func postsAlerts(cfg reports.Config) bool {
	for _, r := range cfg.Alerts.Rules {
		if len(r.Channels) > 0 {
			return true
		}
	}
	return false
}

// run starts the workers and the services, and on ctx's end (or a
// service's failure) drains: no new messages, queued ones answered, every
// answer posted.
func (s *server) run(ctx context.Context) error {
	mode := "http"
	if s.set.SocketMode() {
		mode = "socket"
	}
	s.log.Info("sowhat serving", slog.String("addr", s.ln.Addr().String()), slog.String("slack_mode", mode))
	s.bot.Start()
	err := runServices(ctx, s.log, s.services())
	drain, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err = errors.Join(err, s.bot.Shutdown(drain), s.slack.Close(drain))
	s.log.Info("sowhat stopped")
	return err
}

// runServices runs every service until ctx ends or one fails, which stops
// the others.
func runServices(ctx context.Context, log *slog.Logger, svcs []service) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(svcs))
	for i, svc := range svcs {
		wg.Go(func() {
			defer cancel()
			if err := svc.run(ctx); err != nil {
				log.Error("service stopped", slog.String("service", svc.name), slog.Any("error", err))
				errs[i] = fmt.Errorf("%s: %w", svc.name, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// serveHTTP serves /healthz always and Slack's endpoints in HTTP mode.
func (s *server) serveHTTP(ctx context.Context) error {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", s.bot.Health(s.st.Ping))
	if !s.set.SocketMode() {
		mux.Handle("/slack/", s.slack.Handler())
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("shut down http: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// pruneEvents forgets delivered event ids after a week, hourly: Slack
// retries for minutes, not days.
func (s *server) pruneEvents(ctx context.Context) error {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if err := s.st.PruneEvents(ctx, time.Now().Add(-7*24*time.Hour)); err != nil && ctx.Err() == nil {
			s.log.Warn("prune event ids", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
