package period

import (
	"encoding/json"
	"fmt"
	"time"
)

// Period is a range of whole calendar days, both ends included, each day a
// UTC midnight. It is the one period type: questions, queries, answers and
// digests all use it.
type Period struct {
	Start time.Time
	End   time.Time
	// Label says the period in words as the asker said it ("last week",
	// "October 2026", "the last 7 days"); empty when it has no name.
	Label string
}

// Days returns the number of days in the period.
func (p Period) Days() int { return int(p.End.Sub(p.Start).Hours()/24) + 1 }

// Contains reports whether d falls in the period.
func (p Period) Contains(d time.Time) bool { return !d.Before(p.Start) && !d.After(p.End) }

// Dates returns the period without its label, for comparing ranges.
func (p Period) Dates() Period { return Period{Start: p.Start, End: p.End} }

// Equal reports whether two periods cover the same days, labels aside.
func (p Period) Equal(q Period) bool { return p.Start.Equal(q.Start) && p.End.Equal(q.End) }

type jsonPeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Label string `json:"label,omitempty"`
}

// MarshalJSON writes {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}, with
// "label" when the period has one.
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonPeriod{p.Start.Format(DateLayout), p.End.Format(DateLayout), p.Label})
}

// UnmarshalJSON reads the form MarshalJSON writes; it also takes RFC 3339
// times, the form older saved conversations hold.
func (p *Period) UnmarshalJSON(b []byte) error {
	var v jsonPeriod
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	s, err := parseDay(v.Start)
	if err != nil {
		return fmt.Errorf("period start: %w", err)
	}
	e, err := parseDay(v.End)
	if err != nil {
		return fmt.Errorf("period end: %w", err)
	}
	p.Start, p.End, p.Label = s, e, v.Label
	return nil
}

func parseDay(s string) (time.Time, error) {
	if d, err := time.Parse(DateLayout, s); err == nil {
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return Day(t), nil
}
