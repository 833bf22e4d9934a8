package sources

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Totaler is a source that can say its own per-platform daily totals, for
// reconciliation against the store.
type Totaler interface {
	Totals(ctx context.Context, p period.Period) ([]data.PlatformDay, error)
}

// Totals sums the source's rows per day and platform over p, in the
// warehouse, in a read-only transaction.
func (w *Warehouse) Totals(ctx context.Context, p period.Period) ([]data.PlatformDay, error) {
	c := w.src.Columns
	rev := "0"
	if c.Revenue != "" {
		rev = "SUM(" + c.Revenue + ")"
	}
	q := fmt.Sprintf("SELECT %[1]s, %[2]s, SUM(%[3]s), SUM(%[4]s), SUM(%[5]s), SUM(%[6]s), %[7]s FROM %[8]s WHERE %[1]s >= %[9]s AND %[1]s < %[10]s GROUP BY %[1]s, %[2]s",
		c.Date, c.Platform, c.Spend, c.Impressions, c.Clicks, c.Conversions, rev, w.relation(), w.d.Placeholder(1), w.d.Placeholder(2))
	tx, err := w.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: w.d.Isolation})
	if err != nil {
		return nil, fmt.Errorf("source %s: connect: %w", w.src.Name, w.redact(err))
	}
	defer tx.Rollback() //nolint:errcheck // read only
	rows, err := tx.QueryContext(ctx, q, w.d.date(p.Start), w.d.date(p.End.AddDate(0, 0, 1)))
	if err != nil {
		return nil, fmt.Errorf("source %s: sum %s: %w", w.src.Name, w.what(), w.redact(err))
	}
	defer rows.Close()
	type key struct {
		d time.Time
		p string
	}
	sums := map[key]*data.PlatformDay{}
	for rows.Next() {
		var d sql.NullTime
		var plat sql.NullString
		var v [5]sql.NullFloat64
		if err := rows.Scan(&d, &plat, &v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
			return nil, fmt.Errorf("source %s: sum %s: %w", w.src.Name, w.what(), err)
		}
		if !d.Valid || !plat.Valid {
			continue // refused by the sync itself
		}
		k := key{day(d.Time), platformID(w.src.Kind, plat.String)}
		s := sums[k]
		if s == nil {
			s = &data.PlatformDay{Day: k.d, Platform: k.p}
			sums[k] = s
		}
		s.Spend += v[0].Float64
		s.Impressions += v[1].Float64
		s.Clicks += v[2].Float64
		s.Conversions += v[3].Float64
		s.Revenue += v[4].Float64
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("source %s: sum %s: %w", w.src.Name, w.what(), err)
	}
	out := make([]data.PlatformDay, 0, len(sums))
	for _, s := range sums {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Day.Equal(out[j].Day) {
			return out[i].Day.Before(out[j].Day)
		}
		return out[i].Platform < out[j].Platform
	})
	return out, nil
}

// Mismatch is a platform-day whose total differs between the source and
// the store by more than the tolerance.
type Mismatch struct {
	Source, Platform, Metric string
	Day                      time.Time
	Theirs, Ours             float64
}

// Subject is the mismatch's incident subject.
func (m Mismatch) Subject() string {
	return m.Source + "/" + m.Platform + "/" + m.Day.Format("2006-01-02") + "/" + m.Metric
}

// Compare returns the platform-days of the platforms the source holds
// where its totals and the store's differ by more than tolerance (a
// share of the larger), by day, platform and metric.
func Compare(source string, src, store []data.PlatformDay, tolerance float64) []Mismatch {
	type key struct {
		d time.Time
		p string
	}
	have := map[key]data.PlatformDay{}
	platforms := map[string]bool{}
	for _, s := range store {
		have[key{s.Day, s.Platform}] = s
	}
	for _, s := range src {
		platforms[s.Platform] = true
	}
	var out []Mismatch
	check := func(a, b data.PlatformDay) {
		for _, m := range []struct {
			name string
			x, y float64
		}{{"spend", a.Spend, b.Spend}, {"impressions", a.Impressions, b.Impressions}, {"clicks", a.Clicks, b.Clicks},
			{"conversions", a.Conversions, b.Conversions}, {"revenue", a.Revenue, b.Revenue}} {
			if differ(m.x, m.y, tolerance) {
				out = append(out, Mismatch{Source: source, Platform: a.Platform, Metric: m.name, Day: a.Day, Theirs: m.x, Ours: m.y})
			}
		}
	}
	seen := map[key]bool{}
	for _, s := range src {
		k := key{s.Day, s.Platform}
		seen[k] = true
		st := have[k]
		st.Day, st.Platform = s.Day, s.Platform
		check(s, st)
	}
	for _, st := range store {
		k := key{st.Day, st.Platform}
		if platforms[st.Platform] && !seen[k] {
			check(data.PlatformDay{Day: st.Day, Platform: st.Platform}, st)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Subject() < out[j].Subject() })
	return out
}

// differ reports whether x and y differ by more than tol of the larger
// (and by more than rounding).
func differ(x, y, tol float64) bool {
	d := math.Abs(x - y)
	return d > 0.005 && d > tol*math.Max(math.Abs(x), math.Abs(y))
}

// ReconcileRule is the incidents rule of reconciliation mismatches.
const ReconcileRule = "reconciliation"

// reconcile compares the source's totals over the run's window with the
// store's, opening an incident (and posting a notice) for each new
// mismatch and clearing each that now agrees; incidents are kept in the
// replicas' state, so each is posted once.
func (s *Syncer) reconcile(ctx context.Context, src Source, rep Report) error {
	t, ok := s.runners[src.Name].(Totaler)
	if !ok || rep.Window.Start.IsZero() {
		return nil
	}
	theirs, err := t.Totals(ctx, rep.Window)
	if err != nil {
		return err
	}
	ours, err := s.store.PlatformDays(ctx, rep.Window)
	if err != nil {
		return err
	}
	found := Compare(src.Name, theirs, ours, src.Tolerance)
	if s.state == nil {
		for _, m := range found {
			s.log.Warn("reconciliation mismatch", slog.String("source", src.Name), slog.String("what", s.mismatchText(src, m)))
		}
		return nil
	}
	now := s.clock.Now()
	var errs []error
	open := map[string]bool{}
	for _, m := range found {
		open[m.Subject()] = true
		text := s.mismatchText(src, m)
		opened, err := s.state.OpenIncident(ctx, ReconcileRule, m.Subject(), text, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !opened {
			continue
		}
		n := Notice{Source: src.Name, Title: "Reconciliation: " + text,
			Text: text + fmt.Sprintf(".\nThe %s source and sowhat differ by more than %s on this day. A second import of the same platform (an export ingested by hand beside the sync) or a restatement outside the look-back window (lookback_days: %d) are the usual causes.",
				src.Name, pct(src.Tolerance), src.LookbackDays)}
		if err := s.post(ctx, n); err != nil {
			// Nobody heard of it: forget it, so the next sync posts it.
			errs = append(errs, err, s.state.RevertIncident(context.WithoutCancel(ctx), ReconcileRule, m.Subject(), true))
		}
	}
	incs, err := s.state.OpenIncidents(ctx, ReconcileRule)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	// An open incident of a day this run read clears unless found again.
	// One of a day that has left the window is checked again by itself,
	// each run, so it stays open exactly as long as the two disagree (a
	// hand import corrected later clears it).
	earlier := map[time.Time][]data.Incident{}
	for _, inc := range incs {
		name, rest, _ := strings.Cut(inc.Subject, "/")
		if name != src.Name || open[inc.Subject] {
			continue
		}
		parts := strings.Split(rest, "/")
		if len(parts) != 3 {
			continue
		}
		d, err := time.Parse("2006-01-02", parts[1])
		if err != nil {
			continue
		}
		if !rep.Window.Contains(d) {
			earlier[d] = append(earlier[d], inc)
			continue
		}
		if _, err := s.state.ClearIncident(ctx, inc.ID, now); err != nil {
			errs = append(errs, err)
		}
	}
	days := make([]time.Time, 0, len(earlier))
	for d := range earlier {
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	for _, d := range days {
		if err := s.recheck(ctx, src, t, d, earlier[d], now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// recheck compares one day outside the run's window again and clears its
// open incidents that no longer hold.
func (s *Syncer) recheck(ctx context.Context, src Source, t Totaler, d time.Time, incs []data.Incident, now time.Time) error {
	p := period.Period{Start: d, End: d}
	theirs, err := t.Totals(ctx, p)
	if err != nil {
		return err
	}
	ours, err := s.store.PlatformDays(ctx, p)
	if err != nil {
		return err
	}
	// A platform the source no longer has on the day is one it says
	// nothing of: zero, against whatever the store still holds.
	for _, inc := range incs {
		plat := strings.Split(inc.Subject, "/")[1]
		if !slices.ContainsFunc(theirs, func(x data.PlatformDay) bool { return x.Platform == plat }) {
			theirs = append(theirs, data.PlatformDay{Day: d, Platform: plat})
		}
	}
	still := map[string]bool{}
	for _, m := range Compare(src.Name, theirs, ours, src.Tolerance) {
		still[m.Subject()] = true
	}
	var errs []error
	for _, inc := range incs {
		if still[inc.Subject] {
			continue
		}
		if _, err := s.state.ClearIncident(ctx, inc.ID, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// mismatchText writes a mismatch: "Meta spend Nov 12: warehouse $12,431,
// sowhat $11,980".
func (s *Syncer) mismatchText(src Source, m Mismatch) string {
	f := count
	if m.Metric == "spend" || m.Metric == "revenue" {
		f = func(v float64) string { return money(s.currency, v) }
	}
	return fmt.Sprintf("%s %s %s: %s %s, sowhat %s", model.PlatformName(m.Platform), m.Metric, m.Day.Format("Jan 2"), src.Name, f(m.Theirs), f(m.Ours))
}

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', -1, 64) + "%" }

// count writes a whole number with thousands separators.
func count(v float64) string {
	s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if v < 0 && s != "0" {
		s = "-" + s
	}
	return s
}

var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$"}

func money(code string, v float64) string {
	if sym, ok := symbols[code]; ok {
		return sym + count(v)
	}
	return count(v) + " " + code
}
