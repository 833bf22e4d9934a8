package reports

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Alert statuses.
const (
	StatusOpened  = "opened"
	StatusCleared = "cleared"
)

// Alert is an incident that opened or cleared: posted once each.
type Alert struct {
	Rule    string `json:"rule"`
	Kind    string `json:"kind"`
	Subject string `json:"subject"` // a platform id, or "platform/campaign"
	Status  string `json:"status"`
	Title   string `json:"title"`
	// What happened, its likely cause (the campaign or platform behind it)
	// and the next step.
	What     string    `json:"what"`
	Cause    string    `json:"cause,omitempty"`
	Next     string    `json:"next,omitempty"`
	At       time.Time `json:"at"`
	Channels []string  `json:"channels"`
	// Key is the claim an opened alert is posted under, when the check
	// that opened it takes claims (Scheduler.CheckAlerts): a replica that
	// dies before posting it leaves the claim for another to finish.
	Key string `json:"-"`
}

// Text renders the alert as plain text.
func (a Alert) Text() string {
	return render("alert_text", alertText{Title: a.Title, What: a.What, Cause: a.Cause, Next: a.Next}) + "\n"
}

// finding is a rule's condition holding for one subject.
type finding struct {
	title string // "The Trade Desk spend over plan"
	what  string
	cause string
	next  string
}

// evaluation is what one rule found: subjects in breach, subjects checked
// and fine (with how they stand now), and subjects that could not be
// checked (their data has not arrived), which neither open nor clear.
type evaluation struct {
	breach  map[string]finding
	fine    map[string]string
	unknown map[string]bool
}

func newEvaluation() *evaluation {
	return &evaluation{breach: map[string]finding{}, fine: map[string]string{}, unknown: map[string]bool{}}
}

// alertContext is what every rule evaluates against.
type alertContext struct {
	eng   *intents.Engine
	st    *data.Store
	inc   *data.State
	now   time.Time
	loc   *time.Location
	today time.Time // the calendar day of now in loc, as UTC midnight
	yday  time.Time
	fresh map[string]model.Freshness
	syncs []data.SyncRecord // the configured sources' syncs
	// removed are the sources that synced before and are no longer
	// configured.
	removed []data.SyncRecord
	// claims says each incident opened is claimed first (alertClaimKey),
	// to be marked posted once its alert is.
	claims bool
}

// EvaluateAlerts checks each rule at now (days counted in loc), opens an
// incident for every new breach and clears every incident whose condition
// no longer holds. It returns one Alert per incident opened or cleared by
// this call: a breach that was already open returns nothing, so each
// incident is posted once when it opens and once when it clears, even with
// several processes checking. Incidents are kept in inc, the replicas' shared
// state.
func EvaluateAlerts(ctx context.Context, eng *intents.Engine, inc *data.State, rules []AlertRule, now time.Time, loc *time.Location) ([]Alert, error) {
	ac, err := newAlertContext(ctx, eng, inc, now, loc, nil)
	if err != nil {
		return nil, err
	}
	return ac.applyAll(ctx, rules)
}

func (ac *alertContext) applyAll(ctx context.Context, rules []AlertRule) ([]Alert, error) {
	var out []Alert
	for _, r := range rules {
		alerts, err := ac.apply(ctx, r)
		if err != nil {
			return out, fmt.Errorf("evaluate alert rule %s: %w", r.Name, err)
		}
		out = append(out, alerts...)
	}
	return out, nil
}

// newAlertContext reads what the rules evaluate against at now, watching
// the syncs of the configured sources only (nil: every source that has
// synced).
func newAlertContext(ctx context.Context, eng *intents.Engine, inc *data.State, now time.Time, loc *time.Location, configured []string) (*alertContext, error) {
	if loc == nil {
		loc = time.UTC
	}
	ac := &alertContext{eng: eng, st: eng.Store(), inc: inc, now: now, loc: loc, today: period.Day(now.In(loc))}
	ac.yday = ac.today.AddDate(0, 0, -1)
	fr, err := ac.st.Freshness(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluate alerts: %w", err)
	}
	ac.fresh = map[string]model.Freshness{}
	for _, f := range fr {
		ac.fresh[f.Source] = f
	}
	if ac.syncs, err = ac.st.Syncs(ctx); err != nil {
		return nil, fmt.Errorf("evaluate alerts: %w", err)
	}
	if configured != nil {
		kept := ac.syncs[:0]
		for _, rec := range ac.syncs {
			if slices.Contains(configured, rec.Source) {
				kept = append(kept, rec)
			} else {
				ac.removed = append(ac.removed, rec)
			}
		}
		ac.syncs = kept
	}
	return ac, nil
}

func (ac *alertContext) evaluate(ctx context.Context, r AlertRule) (*evaluation, error) {
	switch r.Kind {
	case RuleOverspend:
		return ac.overspend(ctx, r)
	case RuleAnomaly:
		return ac.anomaly(ctx, r)
	case RuleZeroConversions:
		return ac.zeroConversions(ctx, r)
	case RuleStaleData:
		return ac.stale(r), nil
	case RuleMarginalROAS:
		return ac.marginalROAS(ctx, r)
	}
	return nil, fmt.Errorf("unknown rule kind %q", r.Kind)
}

// apply evaluates a rule and turns its findings into incidents.
func (ac *alertContext) apply(ctx context.Context, r AlertRule) ([]Alert, error) {
	ev, err := ac.evaluate(ctx, r)
	if err != nil {
		return nil, err
	}
	var out []Alert
	for _, subject := range sortedKeys(ev.breach) {
		if ac.platformStale(r, subject) {
			continue // judged on part of the days: wait for the rest
		}
		f := ev.breach[subject]
		// The claim comes first: a process that dies between opening the
		// incident and posting its alert leaves it for another to post.
		key := ""
		if ac.claims {
			key = alertClaimKey(r.Name, subject, ac.now)
			won, err := ac.inc.Claim(ctx, key)
			if err != nil {
				return out, err
			}
			if !won {
				continue // another process is opening this very incident
			}
		}
		opened, err := ac.inc.OpenIncident(ctx, r.Name, subject, f.what, ac.now)
		if (err != nil || !opened) && key != "" {
			err = errors.Join(err, ac.inc.Release(context.WithoutCancel(ctx), key))
		}
		if err != nil {
			return out, err
		}
		if opened {
			out = append(out, Alert{Rule: r.Name, Kind: r.Kind, Subject: subject, Status: StatusOpened, Title: f.title, What: f.what, Cause: f.cause, Next: f.next, At: ac.now, Channels: r.Channels, Key: key})
		}
	}
	open, err := ac.inc.OpenIncidents(ctx, r.Name)
	if err != nil {
		return out, err
	}
	for _, inc := range open {
		if _, still := ev.breach[inc.Subject]; still || ev.unknown[inc.Subject] || ac.platformStale(r, inc.Subject) {
			continue
		}
		key := ""
		if ac.claims {
			key = alertClearKey(r.Name, inc.ID)
			won, err := ac.inc.Claim(ctx, key)
			if err != nil {
				return out, err
			}
			if !won {
				continue // another process is clearing it
			}
		}
		cleared, err := ac.inc.ClearIncident(ctx, inc.ID, ac.now)
		if (err != nil || !cleared) && key != "" {
			err = errors.Join(err, ac.inc.Release(context.WithoutCancel(ctx), key))
		}
		if err != nil {
			return out, err
		}
		if cleared {
			a := ac.clearedAlert(r, inc, ev.fine[inc.Subject])
			a.Key = key
			out = append(out, a)
		}
	}
	return out, nil
}

// platformStale reports whether the subject's platform has no data for
// yesterday yet: then its rule cannot tell whether it cleared.
func (ac *alertContext) platformStale(r AlertRule, subject string) bool {
	if r.Kind == RuleStaleData || r.Kind == RuleMarginalROAS {
		return false // stale data is the subject; curves read whole weeks
	}
	platform, _, _ := strings.Cut(subject, "/")
	f, ok := ac.fresh[platform]
	return ok && f.LastDay.Before(ac.yday)
}

func (ac *alertContext) clearedAlert(r AlertRule, inc data.Incident, now string) Alert {
	f := clearedAlert{Title: subjectTitle(r, inc.Subject), Detail: inc.Detail, Opened: inc.OpenedAt.In(ac.loc).Format("Mon Jan 2 15:04 MST"), Now: now}
	return Alert{Rule: r.Name, Kind: r.Kind, Subject: inc.Subject, Status: StatusCleared, Title: say("alert_cleared_title", f),
		What: say("alert_cleared", f), At: ac.now, Channels: r.Channels}
}

// subjectTitle names what a rule watches about a subject.
func subjectTitle(r AlertRule, subject string) string {
	if src, ok := strings.CutPrefix(subject, syncSubject); ok {
		return "The " + src + " source's syncs"
	}
	platform, campaign, _ := strings.Cut(subject, "/")
	name := model.PlatformName(platform)
	if platform == "business" {
		name = "Business results"
	}
	switch r.Kind {
	case RuleOverspend:
		return name + " spend vs plan"
	case RuleAnomaly:
		return name + " " + strings.ToUpper(string(r.Metric))
	case RuleZeroConversions:
		return campaign + " on " + name + " conversions"
	case RuleStaleData:
		return name + " data"
	case RuleMarginalROAS:
		return name + " marginal ROAS"
	}
	return subject
}

// platformsOf returns the rule's platform filter, for requests.
func platformsOf(r AlertRule) map[string][]string {
	f := map[string][]string{}
	if len(r.Platforms) > 0 {
		f[model.DimPlatform] = append([]string(nil), r.Platforms...)
	}
	return f
}

// alertClaimPrefix starts the claim keys of opened alerts.
const alertClaimPrefix = "alert:"

// alertClaimKey is the claim an incident's opening is posted under:
// "alert:<rule>:<opened, RFC 3339 in UTC>:<subject>" (rule names hold no
// colon; subjects may).
func alertClaimKey(rule, subject string, opened time.Time) string {
	return alertClaimPrefix + rule + ":" + opened.UTC().Format(time.RFC3339) + ":" + subject
}

func parseAlertClaimKey(key string) (rule, subject string, opened time.Time, ok bool) {
	rest, ok := strings.CutPrefix(key, alertClaimPrefix)
	if !ok {
		return "", "", time.Time{}, false
	}
	rule, rest, ok = strings.Cut(rest, ":")
	const stampLen = len("2006-01-02T15:04:05Z")
	if !ok || len(rest) < stampLen+1 || rest[stampLen] != ':' {
		return "", "", time.Time{}, false
	}
	opened, err := time.Parse(time.RFC3339, rest[:stampLen])
	if err != nil {
		return "", "", time.Time{}, false
	}
	return rule, rest[stampLen+1:], opened, true
}

// alertClearPrefix starts the claim keys of cleared alerts.
const alertClearPrefix = "alert-cleared:"

// alertClearKey is the claim an incident's clearing is posted under:
// "alert-cleared:<rule>:<incident id>".
func alertClearKey(rule string, id int64) string {
	return alertClearPrefix + rule + ":" + strconv.FormatInt(id, 10)
}

func parseAlertClearKey(key string) (rule string, id int64, ok bool) {
	rest, ok := strings.CutPrefix(key, alertClearPrefix)
	if !ok {
		return "", 0, false
	}
	rule, num, ok := strings.Cut(rest, ":")
	if !ok {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	return rule, id, err == nil
}
