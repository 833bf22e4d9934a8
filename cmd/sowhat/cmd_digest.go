package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/chart"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/reports"
)

// digestPublisher returns what `sowhat digest --send` posts through: the
// chat adapters behind a reports.Router. Tests replace it.
var digestPublisher = func(ctx context.Context, e *env) (reports.Publisher, error) {
	if !e.cfg.Slack.Configured() && e.cfg.Teams.Configured() {
		return reports.Router{}, nil // Teams joins once the state is open (withTeams)
	}
	a, err := slackPublisher(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("send needs Slack: %w", err)
	}
	// Publish returns once a digest is posted: there is nothing to drain.
	return reports.Router{"slack": a}, nil
}

// digestSlackJSON renders a digest as Slack Block Kit JSON for
// --format slack.
var digestSlackJSON = slackbot.DigestJSON

// errNoPublisher and errNoSlackRenderer say what is not wired.
var (
	errNoPublisher     = model.Tell("sending needs a chat adapter, and none is wired into sowhat digest: preview with --format text or json instead", nil)
	errNoSlackRenderer = model.Tell("--format slack needs the Slack adapter's digest renderer (bot/slack), which is not wired: use --format text or json", nil)
)

// digestFlags are the flags of sowhat digest.
type digestFlags struct {
	audience, name, send string
	asOf, format, db     string
	config, charts       string
}

func cmdDigest(ctx context.Context, e *env, args []string) error {
	fs := newFlags("digest", e)
	var f digestFlags
	fs.StringVar(&f.audience, "audience", "", "preview the digest of an audience: cfo, cmo, ceo, stores, merchandising, team")
	fs.StringVar(&f.name, "name", "", "preview a configured digest by name")
	fs.StringVar(&f.send, "send", "", "post the configured digest NAME now, to its channels")
	fs.StringVar(&f.asOf, "as-of", "", "build it as if today were this date (YYYY-MM-DD)")
	fs.StringVar(&f.format, "format", "text", "text, json or slack (Block Kit JSON)")
	fs.StringVar(&f.db, "db", "", "database path or URL (default DATABASE_URL, else the demo database)")
	fs.StringVar(&f.config, "config", "", "digest configuration file (default "+reports.EnvConfig+", else the built-in CFO and CMO digests)")
	fs.StringVar(&f.charts, "charts", "", "also write the digest's PNG charts into this directory")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	asOf, err := e.asOf(f.asOf)
	if err != nil {
		return err
	}
	var cfg reports.Config
	if f.audience == "" {
		if cfg, err = e.reportsConfig(f.config); err != nil {
			return err
		}
	}
	// Sending checks Slack before building anything.
	var pub reports.Publisher
	if f.send != "" {
		if pub, err = e.digestSender(ctx, cfg, f.send); err != nil {
			return err
		}
	}
	st, err := e.openStore(ctx, f.db, reads)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	eng := intents.New(st, e.engineOptions()...)
	if f.send != "" {
		return e.sendDigest(ctx, eng, pub, cfg, f, asOf)
	}
	dc, err := f.digest(cfg)
	if err != nil {
		return err
	}
	d, err := reports.NewBuilder(eng, chart.Render, e.log).Build(ctx, dc, asOf)
	if err != nil {
		return err
	}
	if err := writeCharts(f.charts, d); err != nil {
		return err
	}
	return e.printDigest(d, f.format)
}

func (f digestFlags) check() error {
	set := 0
	for _, v := range []string{f.audience, f.name, f.send} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return fmt.Errorf("%w: give one of --audience AUDIENCE, --name NAME or --send NAME, e.g. sowhat digest --audience cfo", errUsage)
	}
	switch f.format {
	case "text", "json", "slack":
	default:
		return fmt.Errorf("%w: --format %q: want text, json or slack", errUsage, f.format)
	}
	return nil
}

// digest is the digest to preview: an audience's default, or a configured
// one.
func (f digestFlags) digest(cfg reports.Config) (reports.DigestConfig, error) {
	if f.audience != "" {
		a, ok := reports.NormalizeAudience(f.audience)
		if !ok {
			return reports.DigestConfig{}, fmt.Errorf("%w: --audience %q: want cfo, cmo, ceo, stores, merchandising or team", errUsage, f.audience)
		}
		return reports.PreviewConfig(a), nil
	}
	d, ok := cfg.Digest(f.name)
	if !ok {
		return reports.DigestConfig{}, fmt.Errorf("%w: no digest %q in %s (have %v)", errUsage, f.name, cfg.Source, cfg.DigestNames())
	}
	return d, nil
}

// reportsConfig loads the digest configuration: the --config file,
// REPORTS_CONFIG, or the built-in defaults posting to REPORTS_CHANNEL. A
// file that can't be used is a configuration error.
func (e *env) reportsConfig(path string) (reports.Config, error) {
	if path != "" {
		c, err := reports.LoadConfig(path, e.cfg.Location)
		if err != nil {
			return reports.Config{}, configError{fmt.Errorf("--config %s: %w", path, err)}
		}
		return c, nil
	}
	rs := e.cfg.Reports
	c, err := reports.Resolve(rs.File, rs.Channel, e.cfg.Location)
	switch {
	case err != nil && rs.File != "":
		return reports.Config{}, configError{fmt.Errorf("%s=%s: %w", reports.EnvConfig, rs.File, err)}
	case err != nil:
		return reports.Config{}, configError{fmt.Errorf("%s: %w", reports.EnvChannel, err)}
	}
	return c, nil
}

// digestSender returns the publisher `--send name` posts through, once
// the digest is known to exist.
func (e *env) digestSender(ctx context.Context, cfg reports.Config, name string) (reports.Publisher, error) {
	if _, ok := cfg.Digest(name); !ok {
		return nil, fmt.Errorf("%w: --send %q: no such digest in %s (have %v)", errUsage, name, cfg.Source, cfg.DigestNames())
	}
	if digestPublisher == nil {
		return nil, errNoPublisher
	}
	return digestPublisher(ctx, e)
}

func (e *env) sendDigest(ctx context.Context, eng *intents.Engine, pub reports.Publisher, cfg reports.Config, f digestFlags, asOf time.Time) error {
	state, err := e.openState(ctx, eng.Store())
	if err != nil {
		return err
	}
	defer closeQuietly(state)
	if pub, err = e.withTeams(ctx, pub, state); err != nil {
		return err
	}
	s := e.newScheduler(state, eng, pub, cfg)
	var today time.Time
	if f.asOf != "" {
		today = asOf
	}
	if err := s.Send(ctx, f.send, today); err != nil {
		return err
	}
	d, _ := cfg.Digest(f.send)
	fmt.Fprintf(e.stdout, "Posted %s to %v.\n", f.send, d.Channels)
	return nil
}

func (e *env) printDigest(d *reports.Digest, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case "slack":
		if digestSlackJSON == nil {
			return errNoSlackRenderer
		}
		b, err := digestSlackJSON(d)
		if err != nil {
			return fmt.Errorf("render digest for Slack: %w", err)
		}
		_, err = fmt.Fprintln(e.stdout, string(b))
		return err
	}
	_, err := fmt.Fprint(e.stdout, reports.Text(d))
	return err
}

// writeCharts writes each chart of d into dir, when one is given.
func writeCharts(dir string, d *reports.Digest) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write charts: %w", err)
	}
	for _, c := range d.Charts {
		if err := os.WriteFile(filepath.Join(dir, c.Name), c.PNG, 0o644); err != nil {
			return fmt.Errorf("write chart %s: %w", c.Name, err)
		}
	}
	return nil
}
