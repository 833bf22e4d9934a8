package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/metrics"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Clock tells the time; tests pass a fake one.
type Clock interface{ Now() time.Time }

// ClockFunc makes a function a Clock.
type ClockFunc func() time.Time

// Now implements Clock.
func (f ClockFunc) Now() time.Time { return f() }

// Scheduler posts each configured digest at its scheduled times, exactly
// once across restarts and processes, and checks alert rules on their
// schedule.
type Scheduler struct {
	st       *data.State
	eng      *intents.Engine
	pub      Publisher
	cfg      Config
	builder  *Builder
	charts   ChartFunc
	clock    Clock
	log      *slog.Logger
	interval time.Duration
	grace    time.Duration
	// clearance decides what each channel may see (WithClearance).
	clearance Clearance
	metrics   *metrics.Metrics
	// sources are the configured sources (WithSources); nil: every source
	// that has synced.
	sources []string

	mu         sync.Mutex
	done       map[string]bool // claim keys this process has settled
	lastAlerts time.Time       // the alert check last run on schedule
}

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithClock sets the clock (default: the system clock).
func WithClock(c Clock) Option { return func(s *Scheduler) { s.clock = c } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Scheduler) { s.log = l } }

// WithMetrics counts the digests and alerts posted.
func WithMetrics(m *metrics.Metrics) Option { return func(s *Scheduler) { s.metrics = m } }

// WithCharts sets how digests are charted (chart.Render).
func WithCharts(f ChartFunc) Option { return func(s *Scheduler) { s.charts = f } }

// WithInterval sets how often Run checks for due work (default a minute).
func WithInterval(d time.Duration) Option { return func(s *Scheduler) { s.interval = d } }

// WithSources names the sources the configuration syncs (SOURCES_CONFIG;
// none is an empty list). The stale-data rules watch only their syncs, and
// an open stale-sync incident of a source taken out of the configuration
// clears, saying so. Without it, every source that has synced is watched.
func WithSources(names []string) Option {
	return func(s *Scheduler) { s.sources = append([]string{}, names...) }
}

// NewScheduler returns a scheduler posting cfg's digests and alerts through
// pub, answering from eng, and keeping its claims and incidents in st (the
// replicas' shared state: a run is claimed under st's owner).
func NewScheduler(st *data.State, eng *intents.Engine, pub Publisher, cfg Config, opts ...Option) *Scheduler {
	s := &Scheduler{st: st, eng: eng, pub: pub, cfg: cfg, clock: ClockFunc(time.Now), log: slog.Default(), interval: time.Minute,
		done: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.cfg.Digests = append([]DigestConfig(nil), cfg.Digests...)
	for i, d := range s.cfg.Digests {
		if d.sched == nil {
			// Built in code rather than parsed: parse now; a bad schedule
			// leaves the digest unscheduled, and says so.
			var err error
			if s.cfg.Digests[i].sched, err = parseSchedule(d.Schedule); err != nil {
				s.log.Error("digest schedule", slog.String("digest", d.Name), slog.Any("error", err))
			}
		}
		if d.Location == nil {
			s.cfg.Digests[i].Location = time.UTC
		}
	}
	if s.cfg.Alerts.sched == nil && s.cfg.Alerts.Schedule != "" {
		s.cfg.Alerts.sched, _ = parseSchedule(s.cfg.Alerts.Schedule)
	}
	// A run that comes due between two checks is always in time, whatever
	// the catch-up window.
	s.grace = 5 * s.interval
	s.builder = NewBuilder(eng, s.charts, s.log)
	return s
}

// Run checks for due digests and alerts at start (catching up missed runs)
// and then every interval, until ctx is done. In between, every half
// lease, it looks for runs a dead replica claimed and never posted, so
// they are finished within about a lease of the death rather than at the
// next interval.
func (s *Scheduler) Run(ctx context.Context) error {
	s.log.Info("report scheduler started", slog.Int("digests", len(s.cfg.Digests)), slog.Int("alert_rules", len(s.cfg.Alerts.Rules)),
		slog.String("config", s.cfg.Source), slog.String("owner", s.owner()))
	resumeEvery := s.interval
	if s.st != nil && s.st.Lease()/2 < resumeEvery {
		resumeEvery = s.st.Lease() / 2
	}
	resume := time.NewTicker(resumeEvery)
	defer resume.Stop()
	for {
		now := s.clock.Now()
		if err := s.Tick(ctx, now); err != nil {
			s.log.Error("report scheduler tick", slog.Any("error", err))
		}
		wait := s.interval - time.Duration(now.UnixNano()%int64(s.interval))
		t := time.NewTimer(wait)
	idle:
		for {
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-resume.C:
				if err := s.resume(ctx, s.clock.Now()); err != nil {
					s.log.Error("report scheduler resume", slog.Any("error", err))
				}
			case <-t.C:
				break idle
			}
		}
	}
}

// Tick does one evaluation at now: every digest whose latest scheduled time
// is at or before now, and within the catch-up window, is posted unless
// some process already claimed it; alerts are checked when their schedule
// is due. Errors of one digest do not stop the others.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	var errs []error
	if err := s.resume(ctx, now); err != nil {
		errs = append(errs, err)
	}
	for _, d := range s.cfg.Digests {
		at, ok := s.due(d.sched, d.Location, now)
		if !ok {
			continue
		}
		if err := s.runDigest(ctx, d, at); err != nil {
			errs = append(errs, err)
		}
	}
	if len(s.cfg.Alerts.Rules) > 0 {
		if at, ok := s.due(s.cfg.Alerts.sched, s.cfg.Alerts.Location, now); ok && s.alertsDue(at) {
			if _, err := s.CheckAlerts(ctx, now); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// window is how long after its time a run is still posted.
func (s *Scheduler) window() time.Duration { return max(s.cfg.CatchUp, s.grace) }

// due returns the latest time sched fires at or before now, if it is within
// the window.
func (s *Scheduler) due(sched cron.Schedule, loc *time.Location, now time.Time) (time.Time, bool) {
	if sched == nil {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	from := now.Add(-s.window()).In(loc)
	var latest time.Time
	for t := sched.Next(from.Add(-time.Second)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		latest = t
	}
	return latest, !latest.IsZero()
}

// settle records that this process has dealt with key, and reports whether
// it had not before.
func (s *Scheduler) settle(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done[key] {
		return false
	}
	s.done[key] = true
	return true
}

// alertsDue reports whether the scheduled alert check at has not run yet in
// this process, and marks it run. (Checks are idempotent across processes:
// an incident is posted only by the check that opens or clears it.)
func (s *Scheduler) alertsDue(at time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !at.After(s.lastAlerts) {
		return false
	}
	s.lastAlerts = at
	return true
}

func (s *Scheduler) unsettle(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.done, key)
}

const claimPrefix = "digest:"

// ClaimKey is the claim a digest's run at a scheduled time is posted under.
func ClaimKey(digest string, at time.Time) string {
	return claimPrefix + digest + ":" + at.UTC().Format(time.RFC3339)
}

// parseClaimKey reads a ClaimKey back.
func parseClaimKey(key string) (digest string, at time.Time, ok bool) {
	const stampLen = len("2006-01-02T15:04:05Z")
	rest, ok := strings.CutPrefix(key, claimPrefix)
	if !ok || len(rest) < stampLen+2 || rest[len(rest)-stampLen-1] != ':' {
		return "", time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339, rest[len(rest)-stampLen:])
	return rest[:len(rest)-stampLen-1], at, err == nil
}

func (s *Scheduler) owner() string {
	if s.st == nil {
		return ""
	}
	return s.st.Owner()
}

// runDigest claims, builds and posts one scheduled run. A run whose post
// failed on every channel is released, to be retried while it is within
// the window; a run posted to some channels is not retried, so none gets
// it twice.
func (s *Scheduler) runDigest(ctx context.Context, d DigestConfig, at time.Time) error {
	key := ClaimKey(d.Name, at)
	if len(d.Channels) == 0 {
		if s.settle("warn:" + d.Name) {
			s.log.Warn("digest has no channel, so it is not posted", slog.String("digest", d.Name), slog.String("hint", "set "+EnvChannel+" or configure "+EnvConfig))
		}
		return nil
	}
	if !s.settle(key) {
		return nil
	}
	won, err := s.st.Claim(ctx, key)
	if err != nil {
		s.unsettle(key)
		return fmt.Errorf("digest %s at %s: %w", d.Name, at.Format(time.RFC3339), err)
	}
	if !won {
		s.log.Debug("digest run claimed by another process", slog.String("digest", d.Name), slog.String("scheduled", at.Format(time.RFC3339)))
		return nil
	}
	return s.finish(ctx, d, at, key, false)
}

// finish posts a claimed run and records it posted; a run whose post
// failed on every channel is released, to be retried while it is within
// the window; a run posted to some channels is not retried, so none gets
// it twice.
//
// A run taken over from a replica that died (resumed) may have gone out
// to some channels before it died: those the publisher finds the run in
// (PostChecker) are counted as posted, not posted again.
func (s *Scheduler) finish(ctx context.Context, d DigestConfig, at time.Time, key string, resumed bool) error {
	channels := d.Channels
	already := 0
	if resumed {
		channels, already = s.notPosted(ctx, d.Channels, key, at)
	}
	posted := already
	var err error
	if len(channels) > 0 {
		dd := d
		dd.Channels = channels
		var n int
		n, err = s.postCleared(ctx, dd, period.Day(at.In(d.Location)), key)
		posted += n
	}
	if posted == 0 {
		s.unsettle(key)
		if rerr := s.st.Release(context.WithoutCancel(ctx), key); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return fmt.Errorf("digest %s at %s: %w", d.Name, at.Format(time.RFC3339), err)
	}
	// The post went out: record it even if serve is shutting down.
	if merr := s.st.MarkPosted(context.WithoutCancel(ctx), key); merr != nil {
		err = errors.Join(err, merr)
	}
	s.metrics.DigestPosted(d.Name)
	s.log.Info("digest posted", slog.String("digest", d.Name), slog.String("scheduled", at.Format(time.RFC3339)), slog.Int("channels", posted))
	if err != nil {
		return fmt.Errorf("digest %s at %s: %w", d.Name, at.Format(time.RFC3339), err)
	}
	return nil
}

// resume finishes the digest runs (and the alerts, resumeAlerts) another
// replica claimed and died before posting: once the claim's lease runs out it is taken over (by exactly one
// replica) and posted, if still within the catch-up window; a run past it
// is dropped, as it would have been had nobody claimed it.
func (s *Scheduler) resume(ctx context.Context, now time.Time) error {
	keys, err := s.st.TakeOrphanClaims(ctx, claimPrefix)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, key := range keys {
		name, at, ok := parseClaimKey(key)
		d, known := s.cfg.Digest(name)
		if !ok || !known || len(d.Channels) == 0 || now.Sub(at) > s.window() {
			s.log.Warn("digest run left unposted by a replica that died, dropped", slog.String("claim", key),
				slog.String("why", "no longer configured, or past the catch-up window"))
			if err := s.st.Release(context.WithoutCancel(ctx), key); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		s.settle(key)
		s.log.Info("finishing a digest run a replica died in", slog.String("digest", name), slog.String("scheduled", at.Format(time.RFC3339)))
		if err := s.finish(ctx, d, at, key, true); err != nil {
			errs = append(errs, err)
		}
	}
	if len(s.cfg.Alerts.Rules) > 0 {
		if err := s.resumeAlerts(ctx, now); err != nil {
			errs = append(errs, fmt.Errorf("resume alerts: %w", err))
		}
	}
	return errors.Join(errs...)
}

// notPosted returns the channels the publisher does not find the post of
// key in, posted since at (all of them when it cannot tell, or cannot be
// asked), and how many it found it in: a digest run or an alert a replica
// died posting.
func (s *Scheduler) notPosted(ctx context.Context, channels []string, key string, at time.Time) ([]string, int) {
	pc, ok := s.pub.(PostChecker)
	if !ok {
		return channels, 0
	}
	var out []string
	for _, ch := range channels {
		// The post was claimed at at the earliest.
		posted, err := pc.Posted(ctx, ch, key, at.Add(-time.Minute))
		if err != nil {
			s.log.Warn("could not check whether a post a replica died making reached a channel; posting it there",
				slog.String("claim", key), slog.String("channel", ch), slog.Any("error", err))
		}
		if posted {
			s.log.Info("already in the channel, not posted again", slog.String("claim", key), slog.String("channel", ch))
			continue
		}
		out = append(out, ch)
	}
	return out, len(channels) - len(out)
}

func (s *Scheduler) publish(ctx context.Context, channels []string, m Message) (int, error) {
	var errs []error
	posted := 0
	for _, ch := range channels {
		if err := s.pub.Publish(ctx, ch, m); err != nil {
			errs = append(errs, fmt.Errorf("post to %s: %w", ch, err))
			continue
		}
		posted++
	}
	return posted, errors.Join(errs...)
}

// Send builds the named digest as it reads on day today (zero: today in
// the digest's time zone) and posts it at once, outside the schedule and its
// claims (sowhat digest --send).
func (s *Scheduler) Send(ctx context.Context, name string, today time.Time) error {
	d, ok := s.cfg.Digest(name)
	if !ok {
		return fmt.Errorf("send digest %q: no such digest in %s (have %v)", name, s.cfg.Source, s.cfg.DigestNames())
	}
	if len(d.Channels) == 0 {
		return fmt.Errorf("send digest %q: it has no channel", name)
	}
	if today.IsZero() {
		today = s.clock.Now().In(d.Location)
	}
	if _, err := s.postCleared(ctx, d, period.Day(today), ""); err != nil {
		return fmt.Errorf("send digest %q: %w", name, err)
	}
	return nil
}

// CheckAlerts evaluates every alert rule at now and posts each incident that
// opened or cleared to its rule's channels. Call it after each ingest; the
// scheduler also calls it on the alerts schedule.
func (s *Scheduler) CheckAlerts(ctx context.Context, now time.Time) ([]Alert, error) {
	ac, err := newAlertContext(ctx, s.eng, s.st, now, s.cfg.Alerts.Location, s.sources)
	if err != nil {
		return nil, err
	}
	ac.claims = true
	alerts, err := ac.applyAll(ctx, s.cfg.Alerts.Rules)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, a := range alerts {
		if err := s.postAlert(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	return alerts, errors.Join(errs...)
}

// postAlert posts an alert to its channels and marks its claim posted. An
// alert no channel took is undone (the incident forgotten, or open again),
// so the next check makes it again.
func (s *Scheduler) postAlert(ctx context.Context, a Alert) error {
	posted, perr := s.publish(ctx, a.Channels, AlertMessage(a))
	if perr != nil && posted == 0 {
		rerr := s.st.RevertIncident(context.WithoutCancel(ctx), a.Rule, a.Subject, a.Status == StatusOpened)
		if a.Key != "" {
			rerr = errors.Join(rerr, s.st.Release(context.WithoutCancel(ctx), a.Key))
		}
		return fmt.Errorf("alert %s %s: %w", a.Rule, a.Subject, errors.Join(perr, rerr))
	}
	var errs []error
	if perr != nil {
		errs = append(errs, perr)
	}
	if a.Key != "" {
		// It went out: record it even if serve is shutting down.
		errs = append(errs, s.st.MarkPosted(context.WithoutCancel(ctx), a.Key))
	}
	s.metrics.AlertPosted(a.Rule, a.Status)
	s.log.Info("alert posted", slog.String("rule", a.Rule), slog.String("subject", a.Subject), slog.String("status", a.Status))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("alert %s %s: %w", a.Rule, a.Subject, err)
	}
	return nil
}

// resumeAlerts finishes the alerts another replica opened and died before
// posting: once its claim's lease runs out, the rule is evaluated again.
// An incident still in breach is posted as it reads now, unless the
// publisher finds it already in a channel; one no longer in breach is
// cleared without a word, since nobody heard it open.
//
// A clearing another replica died before posting is posted if the incident
// has not opened again since.
func (s *Scheduler) resumeAlerts(ctx context.Context, now time.Time) error {
	keys, err := s.st.TakeOrphanClaims(ctx, alertClaimPrefix)
	if err != nil {
		return err
	}
	clears, err := s.st.TakeOrphanClaims(ctx, alertClearPrefix)
	if err != nil || len(keys)+len(clears) == 0 {
		return err
	}
	ac, err := newAlertContext(ctx, s.eng, s.st, now, s.cfg.Alerts.Location, s.sources)
	if err != nil {
		return err
	}
	var errs []error
	for _, key := range keys {
		if err := s.resumeAlert(ctx, ac, key); err != nil {
			errs = append(errs, err)
		}
	}
	for _, key := range clears {
		if err := s.resumeClear(ctx, ac, key); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// resumeClear posts the clearing of an incident a replica died before
// posting, unless it opened again since.
func (s *Scheduler) resumeClear(ctx context.Context, ac *alertContext, key string) error {
	done := func() error { return s.st.MarkPosted(context.WithoutCancel(ctx), key) }
	name, id, ok := parseAlertClearKey(key)
	i := slices.IndexFunc(s.cfg.Alerts.Rules, func(r AlertRule) bool { return r.Name == name })
	if !ok || i < 0 {
		return done()
	}
	r := s.cfg.Alerts.Rules[i]
	inc, found, err := s.st.IncidentByID(ctx, id)
	if err != nil {
		return err
	}
	if !found || inc.ClearedAt == nil {
		return done() // reverted: it is open again, and nothing cleared
	}
	open, err := s.st.OpenIncidents(ctx, r.Name)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(open, func(o data.Incident) bool { return o.Subject == inc.Subject }) {
		return done() // it opened again since: the clearing is old news
	}
	ev, err := ac.evaluate(ctx, r)
	if err != nil {
		return err
	}
	a := ac.clearedAlert(r, inc, ev.fine[inc.Subject])
	a.Key = key
	return s.postTakenOver(ctx, a, *inc.ClearedAt)
}

// postTakenOver posts an alert whose claim was taken over from a replica
// that died, to the channels the publisher does not find it in (since its
// claim's time), and marks the claim posted; when no channel takes it, the
// claim is handed back for the next look.
func (s *Scheduler) postTakenOver(ctx context.Context, a Alert, since time.Time) error {
	a.Channels, _ = s.notPosted(ctx, a.Channels, a.Key, since)
	var err error
	if len(a.Channels) > 0 {
		s.log.Info("posting an alert a replica died posting", slog.String("rule", a.Rule), slog.String("subject", a.Subject), slog.String("status", a.Status))
		var posted int
		if posted, err = s.publish(ctx, a.Channels, AlertMessage(a)); posted == 0 {
			return errors.Join(err, s.st.HandBack(context.WithoutCancel(ctx), a.Key))
		}
		s.metrics.AlertPosted(a.Rule, a.Status)
	}
	return errors.Join(err, s.st.MarkPosted(context.WithoutCancel(ctx), a.Key))
}

func (s *Scheduler) resumeAlert(ctx context.Context, ac *alertContext, key string) error {
	done := func() error { return s.st.MarkPosted(context.WithoutCancel(ctx), key) }
	name, subject, opened, ok := parseAlertClaimKey(key)
	i := slices.IndexFunc(s.cfg.Alerts.Rules, func(r AlertRule) bool { return r.Name == name })
	if !ok || i < 0 {
		s.log.Warn("alert left unposted by a replica that died, dropped", slog.String("claim", key), slog.String("why", "its rule is no longer configured"))
		return done()
	}
	r := s.cfg.Alerts.Rules[i]
	incs, err := s.st.OpenIncidents(ctx, r.Name)
	if err != nil {
		return err
	}
	j := slices.IndexFunc(incs, func(inc data.Incident) bool { return inc.Subject == subject })
	if j < 0 {
		return done() // cleared or reverted since: nothing to say
	}
	ev, err := ac.evaluate(ctx, r)
	if err != nil {
		return err
	}
	f, still := ev.breach[subject]
	switch {
	case !still && ev.unknown[subject]:
		// Its data has not arrived: look again later.
		return s.st.HandBack(context.WithoutCancel(ctx), key)
	case !still:
		if _, err := s.st.ClearIncident(ctx, incs[j].ID, ac.now); err != nil {
			return err
		}
		return done()
	}
	a := Alert{Rule: r.Name, Kind: r.Kind, Subject: subject, Status: StatusOpened, Title: f.title, What: f.what, Cause: f.cause, Next: f.next,
		At: ac.now, Channels: r.Channels, Key: key}
	return s.postTakenOver(ctx, a, opened)
}
