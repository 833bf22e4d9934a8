package sources

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/clock"
	"github.com/sowhat-ai/sowhat/data"
)

// Factory makes the Runner of a configured source.
type Factory func(src Source, store *data.Store) (Runner, error)

// warehouseFactory makes a Warehouse.
func warehouseFactory(opts ...WarehouseOption) Factory {
	return func(src Source, store *data.Store) (Runner, error) { return NewWarehouse(src, store, opts...) }
}

// Notice is something a sync tells people: a reconciliation mismatch, a
// refused file.
type Notice struct {
	Source  string
	Channel string // where to post it; "" for the data alerts' channels
	Title   string
	Text    string
}

// Notifier posts notices; cmd/sowhat wires it to the publisher digests and
// alerts post through.
type Notifier interface {
	Notify(ctx context.Context, n Notice) error
}

// Syncer runs the configured sources: each on its schedule, exactly once
// across replicas, or all at once (RunOnce).
type Syncer struct {
	cfg     Config
	store   *data.Store
	state   *data.State
	runners map[string]Runner
	clock   clock.Clock
	log     *slog.Logger
	notify  Notifier
	after   func(ctx context.Context, rep Report)
	// attempts and backoff: a failed run is tried again after backoff,
	// then twice that, up to attempts runs in all.
	attempts int
	backoff  time.Duration
	interval time.Duration
	currency string

	factories map[Kind]Factory

	mu   sync.Mutex
	done map[string]bool // claim keys this process has settled
}

// Option configures a Syncer.
type Option func(*Syncer)

// WithClock sets the clock schedules, retries and sync records go by.
func WithClock(c clock.Clock) Option { return func(s *Syncer) { s.clock = c } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Syncer) { s.log = l } }

// WithNotifier sets where notices go (default: only the log).
func WithNotifier(n Notifier) Option { return func(s *Syncer) { s.notify = n } }

// WithAfterSync is called after each successful run: cmd/sowhat evaluates
// the alert rules there.
func WithAfterSync(f func(ctx context.Context, rep Report)) Option {
	return func(s *Syncer) { s.after = f }
}

// WithRetries sets how many runs a failing sync gets in all, and the
// wait before the second (doubling after).
func WithRetries(attempts int, backoff time.Duration) Option {
	return func(s *Syncer) { s.attempts, s.backoff = max(attempts, 1), backoff }
}

// WithInterval sets how often the schedule is checked (default a minute).
func WithInterval(d time.Duration) Option { return func(s *Syncer) { s.interval = d } }

// WithCurrency sets the currency reconciliation notices write money in.
func WithCurrency(code string) Option { return func(s *Syncer) { s.currency = code } }

// WithRunner makes the sources of kind with f (a drop folder's watcher).
func WithRunner(kind Kind, f Factory) Option { return func(s *Syncer) { s.factories[kind] = f } }

// WithRunnerFor uses r for the named source, in place of what its kind
// makes.
func WithRunnerFor(name string, r Runner) Option { return func(s *Syncer) { s.runners[name] = r } }

// NewSyncer returns a syncer of cfg's sources into store, claiming runs in
// state (nil: RunOnce only). A source whose kind has no Runner is refused.
func NewSyncer(cfg Config, store *data.Store, state *data.State, opts ...Option) (*Syncer, error) {
	s := &Syncer{cfg: cfg, store: store, state: state, runners: map[string]Runner{}, clock: clock.Wall{}, log: slog.Default(),
		attempts: 4, backoff: 30 * time.Second, interval: time.Minute, currency: "USD", factories: map[Kind]Factory{}, done: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	wh := warehouseFactory(WithNow(s.clock.Now), WithLog(s.log))
	for _, k := range []Kind{KindDBT, KindSQL} {
		if _, ok := s.factories[k]; !ok {
			s.factories[k] = wh
		}
	}
	var errs []error
	for _, src := range cfg.Sources {
		if _, ok := s.runners[src.Name]; ok {
			continue
		}
		f, ok := s.factories[src.Kind]
		if !ok {
			errs = append(errs, fmt.Errorf("%s:%d: source %s: kind %s cannot run in this build", cfg.File, src.Line, src.Name, src.Kind))
			continue
		}
		r, err := f(src, store)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.runners[src.Name] = r
	}
	if len(errs) > 0 {
		s.Close()
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// Close closes the runners' connections.
func (s *Syncer) Close() error {
	var errs []error
	for _, r := range s.runners {
		if c, ok := r.(interface{ Close() error }); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// RunOnce runs the named source (every source, for "") now, outside the
// schedule and its claims, each with its retries.
func (s *Syncer) RunOnce(ctx context.Context, name string) ([]Report, error) {
	var out []Report
	var errs []error
	found := false
	for _, src := range s.cfg.Sources {
		if name != "" && src.Name != name {
			continue
		}
		found = true
		rep, err := s.sync(ctx, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, rep)
	}
	if !found {
		return nil, fmt.Errorf("no source %q in %s (have %s)", name, s.cfg.File, strings.Join(s.cfg.Names(), ", "))
	}
	return out, errors.Join(errs...)
}

// ClaimKey is the claim a source's run at a scheduled time is made under.
func ClaimKey(source string, at time.Time) string {
	return claimPrefix + source + ":" + at.UTC().Format(time.RFC3339)
}

const claimPrefix = "sync:"

// parseClaimKey reads a ClaimKey back.
func parseClaimKey(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, claimPrefix)
	i := strings.LastIndex(rest, ":")
	for n := 0; n < 2 && i > 0; n++ { // the stamp holds two colons of its own
		i = strings.LastIndex(rest[:i], ":")
	}
	if !ok || i <= 0 {
		return "", false
	}
	return rest[:i], true
}

// Run syncs each source at its scheduled times until ctx is done.
func (s *Syncer) Run(ctx context.Context) error {
	s.log.Info("source sync started", slog.Int("sources", len(s.cfg.Sources)), slog.String("config", s.cfg.File))
	every := s.interval
	if s.state != nil && s.state.Lease()/2 < every {
		every = s.state.Lease() / 2
	}
	for {
		if err := s.Tick(ctx, s.clock.Now()); err != nil && ctx.Err() == nil {
			s.log.Error("source sync", slog.Any("error", err))
		}
		if err := s.clock.Sleep(ctx, every); err != nil {
			return nil
		}
	}
}

// due returns the latest scheduled time of src at or before now: a sync
// reads everything that can have changed, so only the latest missed run
// matters. It looks back an hour, a day, a week, a month and a year in
// turn, walking only the first span that has a scheduled time, so that a
// per-minute schedule walks sixty times and a monthly one is found too.
func due(src Source, now time.Time) (time.Time, bool) {
	for _, back := range []time.Duration{time.Hour, 25 * time.Hour, 8 * 24 * time.Hour, 32 * 24 * time.Hour, 367 * 24 * time.Hour} {
		var latest time.Time
		for t := src.Next(now.Add(-back)); !t.IsZero() && !t.After(now); t = src.Next(t) {
			latest = t
		}
		if !latest.IsZero() {
			return latest, true
		}
	}
	return time.Time{}, false
}

// Tick runs, at now, every source whose latest scheduled time no process
// has claimed yet, and finishes the runs a dead replica claimed.
func (s *Syncer) Tick(ctx context.Context, now time.Time) error {
	if s.state == nil {
		return errors.New("source sync: no state database to claim runs in")
	}
	var errs []error
	keys, err := s.state.TakeOrphanClaims(ctx, claimPrefix)
	if err != nil {
		errs = append(errs, err)
	}
	for _, key := range keys {
		name, _ := parseClaimKey(key)
		src, ok := s.cfg.Source(name)
		if !ok {
			errs = append(errs, s.state.Release(context.WithoutCancel(ctx), key))
			continue
		}
		s.settle(key)
		s.log.Info("finishing a sync a replica died in", slog.String("source", name), slog.String("claim", key))
		errs = append(errs, s.finish(ctx, src, key))
	}
	for _, src := range s.cfg.Sources {
		at, ok := due(src, now)
		if !ok {
			continue
		}
		key := ClaimKey(src.Name, at)
		if !s.settle(key) {
			continue
		}
		won, err := s.state.Claim(ctx, key)
		if err != nil {
			s.unsettle(key)
			errs = append(errs, err)
			continue
		}
		if !won {
			s.log.Debug("sync claimed by another process", slog.String("source", src.Name), slog.String("scheduled", at.Format(time.RFC3339)))
			continue
		}
		errs = append(errs, s.finish(ctx, src, key))
	}
	return errors.Join(errs...)
}

// finish runs a claimed sync and records it done; a run that failed every
// attempt gives its claim up, so the next check (on any replica) tries
// again.
func (s *Syncer) finish(ctx context.Context, src Source, key string) error {
	_, err := s.sync(ctx, src)
	if err != nil {
		s.unsettle(key)
		return errors.Join(err, s.state.Release(context.WithoutCancel(ctx), key))
	}
	return s.state.MarkPosted(context.WithoutCancel(ctx), key)
}

func (s *Syncer) settle(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done[key] {
		return false
	}
	s.done[key] = true
	return true
}

func (s *Syncer) unsettle(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.done, key)
}

// sync runs src with its retries, then reconciles and calls the after-sync
// hook.
func (s *Syncer) sync(ctx context.Context, src Source) (Report, error) {
	r := s.runners[src.Name]
	wait := s.backoff
	var rep Report
	var err error
	for attempt := 1; ; attempt++ {
		rep, err = r.Run(ctx)
		if err == nil {
			break
		}
		var ce *ColumnError
		if attempt >= s.attempts || ctx.Err() != nil || errors.As(err, &ce) {
			// A wrong column stays wrong until someone fixes it.
			s.log.Error("sync failed", slog.String("source", src.Name), slog.Int("attempts", attempt), slog.Any("error", err))
			return rep, err
		}
		s.log.Warn("sync failed; trying again", slog.String("source", src.Name), slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.Any("error", err))
		if serr := s.clock.Sleep(ctx, wait); serr != nil {
			return rep, err
		}
		wait *= 2
	}
	s.log.Info("synced", slog.String("source", src.Name), slog.Int("rows", rep.Rows), slog.Int("pages", rep.Pages),
		slog.String("from", dayOrNone(rep.Window.Start)), slog.String("to", dayOrNone(rep.Window.End)))
	s.refused(ctx, src, rep)
	if err := s.reconcile(ctx, src, rep); err != nil {
		s.log.Error("reconcile", slog.String("source", src.Name), slog.Any("error", err))
	}
	if s.after != nil {
		s.after(ctx, rep)
	}
	return rep, nil
}

func dayOrNone(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// refused tells the source's report channel of each file the run refused:
// a runner reports a file once, when it is refused and moved aside.
func (s *Syncer) refused(ctx context.Context, src Source, rep Report) {
	for _, f := range rep.Refused {
		n := Notice{Source: src.Name, Channel: src.ReportChannel, Title: fmt.Sprintf("%s: refused %s", src.Name, f.Path), Text: f.Err}
		if f.MovedTo != "" {
			n.Text += "\nMoved to " + f.MovedTo + "; fix the file and drop it in again."
		}
		s.post(ctx, n)
	}
}

func (s *Syncer) post(ctx context.Context, n Notice) error {
	if s.notify == nil {
		s.log.Warn("notice", slog.String("source", n.Source), slog.String("title", n.Title), slog.String("text", n.Text))
		return nil
	}
	if err := s.notify.Notify(ctx, n); err != nil {
		s.log.Error("notice not posted", slog.String("source", n.Source), slog.String("title", n.Title), slog.Any("error", err))
		return err
	}
	return nil
}
