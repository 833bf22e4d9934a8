package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// Clearance says which metrics the readers of a channel may not see: the
// finance metrics outside the channels cleared for them. *bot.Policy is
// one; cmd/sowhat wires it in. channel is the id after the kind: "C0FIN"
// for "slack:C0FIN".
type Clearance interface {
	HiddenInChannel(channel string) []model.MetricID
}

// WithheldNote is the note a digest carries when sections were left out
// of it because its channel is not cleared for their metrics.
const WithheldNote = "Finance figures are posted only in channels cleared for them."

// WithClearance sets which metrics each channel may see: a digest posted
// to a channel leaves out the sections of metrics hidden there, with
// WithheldNote, and a warning is logged. CheckClearance refuses such a
// configuration at start; this holds at posting time whatever the
// configuration.
func WithClearance(c Clearance) Option { return func(s *Scheduler) { s.clearance = c } }

// hiddenIn returns the metrics c hides in a configured channel
// ("slack:C0FIN"); nil when c is nil.
func hiddenIn(c Clearance, channel string) []model.MetricID {
	if c == nil {
		return nil
	}
	if _, id, ok := SplitChannel(channel); ok {
		channel = id
	}
	return model.Concealed(c.HiddenInChannel(channel))
}

// ClearanceError is a digest configured into a channel that may not see
// some of its sections' metrics.
type ClearanceError struct {
	Digest   string
	Line     int    // where the digest is defined, 0 for a built-in one
	Channel  string // as configured: "slack:C0MARKETING"
	Metrics  []model.MetricID
	Sections []string
}

func (e *ClearanceError) Error() string {
	where := ""
	if e.Line > 0 {
		where = fmt.Sprintf(" (line %d)", e.Line)
	}
	names := make([]string, len(e.Metrics))
	for i, m := range e.Metrics {
		names[i] = wording.MetricName(m)
	}
	return fmt.Sprintf("digest %s%s posts %s (%s) to %s, a channel not cleared for them", e.Digest, where, wording.JoinAnd(names),
		strings.Join(e.Sections, ", "), e.Channel)
}

// CheckClearance returns a ClearanceError for every digest and channel of
// cfg where c hides a metric one of the digest's sections shows; nil when
// every digest may be posted whole where it is configured.
func CheckClearance(cfg Config, c Clearance) error {
	var errs []error
	for _, d := range cfg.Digests {
		for _, ch := range d.Channels {
			hidden := hiddenIn(c, ch)
			if len(hidden) == 0 {
				continue
			}
			specs, _ := sectionsOf(d)
			_, withheld := clearedSections(specs, hidden)
			var shows []model.MetricID
			var titles []string
			for _, w := range withheld {
				titles = append(titles, w.title)
				for _, m := range w.metrics {
					if slices.Contains(hidden, m) && !slices.Contains(shows, m) {
						shows = append(shows, m)
					}
				}
			}
			if len(titles) > 0 {
				errs = append(errs, &ClearanceError{Digest: d.Name, Line: d.Line, Channel: ch, Metrics: shows, Sections: titles})
			}
		}
	}
	return errors.Join(errs...)
}

// clearedSections splits specs into what a reader kept from hidden may
// see, and what is withheld: a section that shows a hidden metric is
// withheld whole, as its headline, change and so-what are about it.
func clearedSections(specs []sectionSpec, hidden []model.MetricID) (kept, withheld []sectionSpec) {
	for _, s := range specs {
		if len(model.Visible(s.metrics, hidden)) != len(s.metrics) {
			withheld = append(withheld, s)
			continue
		}
		kept = append(kept, s)
	}
	return kept, withheld
}

// postCleared builds d once for each set of metrics its channels hide, and
// posts each build to its channels, returning how many took it.
func (s *Scheduler) postCleared(ctx context.Context, d DigestConfig, today time.Time, key string) (int, error) {
	type audience struct {
		hidden   []model.MetricID
		channels []string
	}
	var groups []audience
	for _, ch := range d.Channels {
		h := hiddenIn(s.clearance, ch)
		i := slices.IndexFunc(groups, func(g audience) bool { return slices.Equal(g.hidden, h) })
		if i < 0 {
			groups = append(groups, audience{hidden: h})
			i = len(groups) - 1
		}
		groups[i].channels = append(groups[i].channels, ch)
	}
	posted := 0
	var errs []error
	for _, g := range groups {
		dg, err := s.builder.BuildFor(ctx, d, today, g.hidden)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(dg.Withheld) > 0 {
			s.log.Warn("digest sections left out of channels not cleared for their metrics", slog.String("digest", d.Name),
				slog.Any("channels", g.channels), slog.Any("sections", dg.Withheld), slog.Any("hidden", g.hidden),
				slog.String("hint", "clear the channels for these metrics, or post the digest elsewhere"))
		}
		m := DigestMessage(dg)
		m.Key = key
		n, err := s.publish(ctx, g.channels, m)
		posted += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return posted, errors.Join(errs...)
}

// withhold is the last check on a digest built for readers kept from
// hidden: whatever in it still shows a hidden metric is taken out, and
// what had to be is returned ("section MER: so_what", "highlight 2").
func withhold(dg *Digest, hidden []model.MetricID) []string {
	if len(hidden) == 0 {
		return nil
	}
	var leaks []string
	for i := range dg.Sections {
		sec := &dg.Sections[i]
		for _, where := range sec.Answer.Withhold(hidden) {
			leaks = append(leaks, "section "+sec.Title+": "+where)
		}
		if model.Mentions(sec.Change, hidden) {
			sec.Change = ""
			leaks = append(leaks, "section "+sec.Title+": change")
		}
	}
	kept := dg.Highlights[:0]
	for i, h := range dg.Highlights {
		if model.Mentions(h.Text, hidden) || slices.Contains(hidden, h.Metric) {
			leaks = append(leaks, fmt.Sprintf("highlight %d", i+1))
			continue
		}
		kept = append(kept, h)
	}
	dg.Highlights = kept
	notes := slices.DeleteFunc(slices.Clone(dg.Notes), func(n string) bool { return n != WithheldNote && model.Mentions(n, hidden) })
	if len(notes) != len(dg.Notes) {
		leaks = append(leaks, "notes")
	}
	dg.Notes = notes
	return leaks
}
