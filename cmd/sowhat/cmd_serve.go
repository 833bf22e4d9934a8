package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	teamsbot "github.com/sowhat-ai/sowhat/bot/teams"
	"github.com/sowhat-ai/sowhat/chart"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/metrics"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/sources"
)

// shutdownGrace bounds how long answers in progress get to finish.
const shutdownGrace = 30 * time.Second

// server is everything `sowhat serve` runs, wired once.
type server struct {
	log   *slog.Logger
	st    *data.Store
	state *data.State
	bot   *bot.Bot
	slack *slackbot.Adapter // nil when Slack is not configured
	teams *teamsbot.Adapter // nil when Teams is not configured
	set   SlackSettings
	ln    net.Listener
	// reports posts the digests and alerts; nil when none posts anywhere.
	reports *reports.Scheduler
	// sources syncs SOURCES_CONFIG's sources; nil when none is configured.
	sources *sources.Syncer
	metrics *metrics.Metrics
}

// service is something serve runs until ctx ends: the HTTP server, Socket
// Mode, housekeeping and the digest and alert scheduler.
type service struct {
	name string
	run  func(ctx context.Context) error
}

func (s *server) services() []service {
	svcs := []service{{"http", s.serveHTTP}, {"prune events", s.pruneEvents}, {"heartbeat", s.heartbeat}}
	svcs = append(svcs, s.chatServices()...)
	if s.reports != nil {
		svcs = append(svcs, service{"reports", s.reports.Run})
	}
	if s.sources != nil {
		svcs = append(svcs, service{"sources", s.sources.Run})
	}
	return svcs
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve", e)
	addr := fs.String("addr", ":8080", "HOST:PORT to serve /healthz, /readyz, /metrics and, in HTTP mode, Slack's /slack/* endpoints on (and Teams' /api/messages)")
	db := fs.String("db", "", "database path or URL (default DATABASE_URL, else the demo database)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	set := e.cfg.Slack
	if err := checkServeChats(e.cfg); err != nil {
		return configError{err}
	}
	if w := set.SigningSecretWarning(); w != "" {
		e.log.Warn(w)
	}
	rcfg, err := e.reportsConfig("")
	if err != nil {
		return err
	}
	pol, err := bot.NewPolicy(set.Policy)
	if err != nil {
		return err
	}
	if err := checkClearance(e.log, rcfg, pol); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return model.Tell(fmt.Sprintf("can't listen on --addr %s: %v", *addr, err), err)
	}
	defer ln.Close()
	st, err := e.openStore(ctx, *db, serves)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	state, err := e.openState(ctx, st)
	if err != nil {
		return err
	}
	defer closeQuietly(state)
	// Beat before taking anything, so that what this replica takes is
	// never mistaken for a dead one's.
	if err := state.Heartbeat(ctx); err != nil {
		return err
	}
	if e.metrics, err = serveMetrics(st, state); err != nil {
		return err
	}
	s := &server{log: e.log, st: st, state: state, set: set, ln: ln, metrics: e.metrics}
	eng := intents.New(st, e.engineOptions()...)
	if err := eng.Warm(ctx); err != nil {
		return err
	}
	s.bot = bot.New(eng, state, bot.WithLogger(e.log), bot.WithPolicy(pol),
		bot.WithUserRate(set.UserRate), bot.WithCharter(chart.Render), bot.WithToday(func() time.Time { return e.cfg.Today(e.now()) }),
		bot.WithMetrics(e.metrics))
	if err := s.startChats(ctx, e); err != nil {
		return err
	}
	if postsAnything(rcfg) {
		s.reports = e.newScheduler(state, eng, s.router(), rcfg)
	} else {
		e.log.Info("no digest or alert posts anywhere, so none is scheduled", slog.String("config", rcfg.Source),
			slog.String("hint", "set "+reports.EnvChannel+"=slack:C… for the built-in digests and alerts, or "+reports.EnvConfig))
	}
	if len(e.cfg.Sources.Sources) > 0 {
		if s.sources, err = e.newSyncer(st, state, e.cfg.Sources, s.router(), rcfg, s.reports); err != nil {
			return err
		}
		defer s.sources.Close()
	}
	return s.run(ctx)
}

// connectSlack checks the bot token with Slack.
func connectSlack(ctx context.Context, a *slackbot.Adapter) error {
	if err := a.Connect(ctx); err != nil {
		return model.Tell(fmt.Sprintf("SLACK_BOT_TOKEN was not accepted by Slack (check it is this workspace's Bot User OAuth Token): %v", err), err)
	}
	return nil
}

// slackPublisher returns a connected Slack adapter that only posts
// digests and alerts: configured and checked as serve's adapter is, with
// no bot and no listener behind it.
func slackPublisher(ctx context.Context, e *env) (*slackbot.Adapter, error) {
	set := e.cfg.Slack
	if err := set.CheckPost(); err != nil {
		return nil, configError{err}
	}
	a := slackbot.NewPublisher(set.BotToken, slackbot.WithAPIURL(set.APIURL), slackbot.WithLogger(e.log))
	if err := connectSlack(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// newScheduler is the digest and alert scheduler, the same for serve, for
// sowhat digest --send and for the alert check after an ingest.
// Every digest it posts shows each channel only what the policy clears
// there.
func (e *env) newScheduler(state *data.State, eng *intents.Engine, pub reports.Publisher, cfg reports.Config) *reports.Scheduler {
	opts := []reports.Option{reports.WithCharts(chart.Render), reports.WithLogger(e.log), reports.WithClock(reports.ClockFunc(e.now)),
		reports.WithMetrics(e.metrics), reports.WithSources(e.cfg.Sources.Names())}
	if pol, err := bot.NewPolicy(e.cfg.Slack.Policy); err == nil {
		opts = append(opts, reports.WithClearance(pol))
	} else {
		// Read and checked with the rest of the configuration; should it
		// still fail, nothing sensitive is posted anywhere.
		e.log.Error("sensitive-metric policy", slog.Any("error", err))
		opts = append(opts, reports.WithClearance(hideAll{}))
	}
	return reports.NewScheduler(state, eng, pub, cfg, opts...)
}

// hideAll clears no channel for the default sensitive metrics.
type hideAll struct{}

func (hideAll) HiddenInChannel(string) []model.MetricID {
	return model.MetricIDs(bot.DefaultSensitiveMetrics)
}

// checkClearance refuses to serve a configured digest posting to a
// channel that may not see some of its sections' metrics, saying how to fix
// each. The built-in digests, which post every audience's digest to
// REPORTS_CHANNEL, are served: their sections a channel may not see are
// left out when posted, as is said here.
func checkClearance(log *slog.Logger, cfg reports.Config, pol *bot.Policy) error {
	err := reports.CheckClearance(cfg, pol)
	if err == nil {
		return nil
	}
	var probs []error
	for _, e := range flatten(err) {
		var ce *reports.ClearanceError
		if !errors.As(e, &ce) {
			probs = append(probs, e)
			continue
		}
		_, id, _ := reports.SplitChannel(ce.Channel)
		fix := fmt.Sprintf("add %s to %s, or post the digest to a channel that is", id, envSensitiveChannels)
		if ce.Line == 0 {
			log.Warn("built-in digest posts to a channel not cleared for some of its sections; they are left out of it, with a note",
				slog.String("digest", ce.Digest), slog.String("channel", ce.Channel), slog.Any("sections", ce.Sections),
				slog.String("hint", fix+" ("+reports.EnvConfig+")"))
			continue
		}
		probs = append(probs, fmt.Errorf("%w: %s", ce, fix))
	}
	if len(probs) == 0 {
		return nil
	}
	return configError{errors.Join(probs...)}
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
	s.log.Info("sowhat serving", slog.String("addr", s.ln.Addr().String()), slog.String("chat", s.chatMode()))
	s.bot.Start()
	err := runServices(ctx, s.log, s.services())
	drain, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err = errors.Join(err, s.bot.Shutdown(drain), s.closeChats(drain))
	// What is left unfinished is free for another replica, or for the next
	// start, at once.
	err = errors.Join(err, s.state.Retire(context.WithoutCancel(ctx)))
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

// handler is what serve answers on --addr: /healthz (liveness), /readyz
// (readiness) and /metrics (Prometheus) always, Slack's endpoints in HTTP
// mode.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", s.bot.Health(nil))
	mux.Handle("GET /readyz", readiness(s.readyChecks()))
	mux.Handle("GET /metrics", s.metrics.Handler())
	s.mountChats(mux)
	return mux
}

// serveHTTP serves handler on the listener until ctx ends.
func (s *server) serveHTTP(ctx context.Context) error {
	srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
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
		// Every request is answered within Slack's three seconds; what is
		// left is a connection that never sent one (a load balancer's, a
		// client that went away), which net/http waits 5 s on. Cut it: an
		// event not acknowledged is delivered again by Slack.
		s.log.Warn("http connections still open after the shutdown wait; closed", slog.Any("error", err))
		if err := srv.Close(); err != nil {
			return fmt.Errorf("close http: %w", err)
		}
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
		if err := s.state.PruneEvents(ctx, time.Now().Add(-7*24*time.Hour)); err != nil && ctx.Err() == nil {
			s.log.Warn("prune event ids", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// heartbeat tells the other replicas this one is alive, three times a
// lease, until ctx ends.
func (s *server) heartbeat(ctx context.Context) error { return beat(ctx, s.log, s.state) }
