package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/ingest"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/reports"
)

func cmdIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags("ingest", e)
	db := fs.String("db", "", "database path or URL to import into (default DATABASE_URL; one of them is required)")
	kind := fs.String("kind", "", "force the kind: ads, business, budgets, brand_lift, experiments, mmm (default: recognised from the header)")
	platform := fs.String("platform", "", "the platform of a canonical ads file without a platform column")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: ingest needs at least one file", errUsage)
	}
	opts := ingest.Options{Kind: data.Kind(*kind), Currency: e.cfg.Currency, Progress: progressWriter(e.stderr)}
	switch opts.Kind {
	case "", data.KindAds, data.KindBusiness, data.KindBudgets, data.KindBrandLift, data.KindExperiments, data.KindMMM:
	default:
		return fmt.Errorf("%w: --kind %q: want ads, business, budgets, brand_lift, experiments or mmm", errUsage, *kind)
	}
	if *platform != "" {
		id, ok := model.NormalizePlatform(*platform)
		if !ok {
			return fmt.Errorf("%w: --platform %q is not a platform I know", errUsage, *platform)
		}
		opts.Platform = id
	}
	st, err := e.openStore(ctx, *db, imports)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	failed := 0
	for _, f := range files {
		start := time.Now()
		res, err := ingest.File(ctx, st, f, opts)
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "refused %v\n", err)
			continue
		}
		span := ""
		if !res.Stats.MinDate.IsZero() {
			span = fmt.Sprintf(", %s to %s", res.Stats.MinDate.Format(period.DateLayout), res.Stats.MaxDate.Format(period.DateLayout))
		}
		fmt.Fprintf(e.stdout, "imported %s into %s: %s %s, %d rows%s in %s\n", f, st.Path(), res.Format, res.Kind, res.Stats.Rows, span, time.Since(start).Round(time.Millisecond))
		e.log.Info("ingested", "file", f, "format", res.Format, "rows", res.Stats.Rows)
	}
	if failed > 0 {
		return model.Tell(fmt.Sprintf("%d of %d files refused; nothing from them was written to %s", failed, len(files), st.Path()), nil)
	}
	e.keepVocabulary(ctx, st)
	e.checkAlerts(ctx, st)
	return nil
}

// keepVocabulary works out the names vocabulary of the imported data once,
// and keeps it in the store, so that no question waits for it.
func (e *env) keepVocabulary(ctx context.Context, st *data.Store) {
	if err := intents.New(st, e.engineOptions()...).Warm(ctx); err != nil {
		e.log.Warn("keep vocabulary", slog.Any("error", err))
	}
}

// checkAlerts evaluates the alert rules once on the new data and posts what
// opened or cleared, when some rule posts somewhere and Slack is set up;
// otherwise it says why not, at debug. Incidents are kept in the database,
// so an alert this posts is not posted again by serve's scheduled check.
// The import stands either way: a failure here is logged, not returned.
func (e *env) checkAlerts(ctx context.Context, st *data.Store) {
	cfg, err := e.reportsConfig("")
	if err != nil {
		e.log.Error("alerts not checked after ingest", slog.Any("error", err))
		return
	}
	if !postsAlerts(cfg) {
		e.log.Debug("alerts not checked after ingest: no alert rule posts anywhere", slog.String("config", cfg.Source))
		return
	}
	if e.cfg.Slack.BotToken == "" && !e.cfg.Teams.Configured() {
		e.log.Debug("alerts not checked after ingest: SLACK_BOT_TOKEN is not set")
		return
	}
	var pub reports.Publisher = reports.Router{}
	if e.cfg.Slack.BotToken != "" {
		a, err := slackPublisher(ctx, e)
		if err != nil {
			e.log.Error("alerts not checked after ingest", slog.Any("error", err))
			return
		}
		// Publish returns once posted, so closing has nothing to wait for.
		defer func() { _ = a.Close(context.WithoutCancel(ctx)) }()
		pub = reports.Router{"slack": a}
	}
	state, err := e.openState(ctx, st)
	if err != nil {
		e.log.Error("alerts not checked after ingest", slog.Any("error", err))
		return
	}
	defer closeQuietly(state)
	if pub, err = e.withTeams(ctx, pub, state); err != nil {
		e.log.Error("alerts not checked after ingest", slog.Any("error", err))
		return
	}
	s := e.newScheduler(state, intents.New(st, e.engineOptions()...), pub, cfg)
	alerts, err := s.CheckAlerts(ctx, e.now())
	if err != nil {
		e.log.Error("alert check after ingest", slog.Any("error", err))
	}
	fmt.Fprintf(e.stdout, "checked %d alert rules: %s\n", len(cfg.Alerts.Rules), alertCount(alerts))
}

// alertCount says how many alerts opened and cleared.
func alertCount(alerts []reports.Alert) string {
	if len(alerts) == 0 {
		return "nothing new"
	}
	opened := 0
	for _, a := range alerts {
		if a.Status == reports.StatusOpened {
			opened++
		}
	}
	return fmt.Sprintf("%d opened, %d cleared", opened, len(alerts)-opened)
}

// progressWriter returns w when it is a terminal, so a progress bar is drawn
// only for people.
func progressWriter(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}
