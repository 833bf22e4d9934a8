package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/sowhat-ai/sowhat/clock"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/sources"
)

func cmdSync(ctx context.Context, e *env, args []string) error {
	fs := newFlags("sync", e)
	db := fs.String("db", "", "database path or URL to sync into (default DATABASE_URL; one of them is required)")
	only := fs.String("source", "", "sync only the source of this name")
	once := fs.Bool("once", false, "sync now, once, and exit (default: sync each source on its schedule until stopped)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := e.sourcesConfig(*only)
	if err != nil {
		return err
	}
	st, err := e.openStore(ctx, *db, imports)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	state, err := e.openState(ctx, st)
	if err != nil {
		return err
	}
	defer closeQuietly(state)
	if err := state.Heartbeat(ctx); err != nil {
		return err
	}
	var pub reports.Publisher
	var sched *reports.Scheduler
	rcfg, err := e.reportsConfig("")
	if err != nil {
		return err
	}
	if e.cfg.Slack.BotToken != "" || e.cfg.Teams.Configured() {
		p, done, err := e.alertPublisher(ctx, state)
		if err != nil {
			return err
		}
		defer done()
		pub = p
		if postsAlerts(rcfg) {
			sched = e.newScheduler(state, intents.New(st, e.engineOptions()...), pub, rcfg)
		}
	}
	syncer, err := e.newSyncer(st, state, cfg, pub, rcfg, sched)
	if err != nil {
		return err
	}
	defer syncer.Close()
	if *once {
		reps, err := syncer.RunOnce(ctx, "")
		for _, r := range reps {
			span := "nothing new"
			if !r.Window.Start.IsZero() {
				span = fmt.Sprintf("%s to %s", r.Window.Start.Format("2006-01-02"), r.Window.End.Format("2006-01-02"))
			}
			fmt.Fprintf(e.stdout, "synced %s into %s: %d rows, %s\n", r.Source, st.Path(), r.Rows, span)
		}
		if err == nil {
			e.keepVocabulary(ctx, st)
		}
		return err
	}
	err = runServices(ctx, e.log, []service{{"sources", syncer.Run}, {"heartbeat", func(ctx context.Context) error {
		return beat(ctx, e.log, state)
	}}})
	return errors.Join(err, state.Retire(context.WithoutCancel(ctx)))
}

// beat writes the replica's heartbeat three times a lease until ctx ends.
func beat(ctx context.Context, log *slog.Logger, state *data.State) error {
	tick := time.NewTicker(state.Lease() / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if err := state.Heartbeat(ctx); err != nil && ctx.Err() == nil {
			log.Warn("heartbeat", slog.Any("error", err))
		}
	}
}

// sourcesConfig is SOURCES_CONFIG's sources, or only the named one.
func (e *env) sourcesConfig(only string) (sources.Config, error) {
	cfg := e.cfg.Sources
	if len(cfg.Sources) == 0 {
		return cfg, configError{fmt.Errorf("%s is not set: name the file of the sources to sync (see sources.example.yaml)", sources.EnvConfig)}
	}
	if only == "" {
		return cfg, nil
	}
	src, ok := cfg.Source(only)
	if !ok {
		return cfg, fmt.Errorf("%w: --source %q: %s has %v", errUsage, only, cfg.File, cfg.Names())
	}
	cfg.Sources = []sources.Source{src}
	return cfg, nil
}

// newSyncer wires the sources' syncer: notices post through pub (nil: only
// logged), to the data alerts' channels unless a source names its own,
// and after each sync sched (nil: none) checks the alert rules.
func (e *env) newSyncer(st *data.Store, state *data.State, cfg sources.Config, pub reports.Publisher, rcfg reports.Config, sched *reports.Scheduler) (*sources.Syncer, error) {
	opts := e.sourceOptions(e.log)
	if pub != nil {
		opts = append(opts, sources.WithNotifier(noticePublisher{pub: pub, channels: dataAlertChannels(rcfg)}))
	}
	if sched != nil {
		opts = append(opts, sources.WithAfterSync(func(ctx context.Context, rep sources.Report) {
			if _, err := sched.CheckAlerts(ctx, e.now()); err != nil {
				e.log.Error("alert check after sync", slog.String("source", rep.Source), slog.Any("error", err))
			}
		}))
	}
	s, err := sources.NewSyncer(cfg, st, state, opts...)
	if err != nil {
		return nil, configError{fmt.Errorf("%s=%s: %w", sources.EnvConfig, cfg.File, err)}
	}
	return s, nil
}

// sourceOptions are what every Syncer of the binary is made with (sync,
// serve, doctor): its clock, logger and currency, and the Runner of each
// kind that is not a warehouse.
func (e *env) sourceOptions(log *slog.Logger) []sources.Option {
	return []sources.Option{sources.WithClock(envClock{e.now}), sources.WithLogger(log), sources.WithCurrency(e.cfg.Currency),
		sources.WithRunner(sources.KindFolder, e.folderFactory(log))}
}

// envClock is the command's clock: e.now, and real waits.
type envClock struct{ now func() time.Time }

func (c envClock) Now() time.Time                                   { return c.now() }
func (c envClock) Sleep(ctx context.Context, d time.Duration) error { return clock.Sleep(ctx, d) }

// dataAlertChannels are where notices about the data go: the channels of
// the stale-data rules, else of every alert rule.
func dataAlertChannels(cfg reports.Config) []string {
	var stale, all []string
	for _, r := range cfg.Alerts.Rules {
		for _, ch := range r.Channels {
			if r.Kind == reports.RuleStaleData && !slices.Contains(stale, ch) {
				stale = append(stale, ch)
			}
			if !slices.Contains(all, ch) {
				all = append(all, ch)
			}
		}
	}
	if len(stale) > 0 {
		return stale
	}
	return all
}

// noticePublisher posts a source's notices as messages, through the
// publisher digests and alerts use.
type noticePublisher struct {
	pub      reports.Publisher
	channels []string
}

func (n noticePublisher) Notify(ctx context.Context, x sources.Notice) error {
	chs := n.channels
	if x.Channel != "" {
		chs = []string{x.Channel}
	}
	if len(chs) == 0 {
		return fmt.Errorf("notice from source %s: no channel to post to (set report_channel, or give an alert rule a channel)", x.Source)
	}
	var errs []error
	for _, ch := range chs {
		if err := n.pub.Publish(ctx, ch, reports.Message{Title: x.Title, Text: x.Title + "\n" + x.Text + "\n"}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
