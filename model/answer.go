package model

import (
	"encoding/json"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// Values maps metric ids to values; nil is an undefined value (a zero
// denominator or missing data), never 0.
type Values map[MetricID]*float64

// Row is one group of a result.
type Row struct {
	Key           map[string]string `json:"key"`
	Values        Values            `json:"values"`
	CompareValues Values            `json:"compare_values"` // null without a comparison
}

// MarshalJSON writes every row in the same shape: "key" is {} for a total
// or an ungrouped row.
func (r Row) MarshalJSON() ([]byte, error) {
	type plain Row
	if r.Key == nil {
		r.Key = map[string]string{}
	}
	return json.Marshal(plain(r))
}

// Freshness says how current one platform's (or the business's) data is.
type Freshness struct {
	Source     string    `json:"source"` // a platform id, or "business"
	LastDay    time.Time `json:"-"`
	ImportedAt time.Time `json:"-"`
}

// MarshalJSON writes dates as ISO strings.
func (f Freshness) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Source     string `json:"source"`
		LastDay    string `json:"last_day"`
		ImportedAt string `json:"imported_at"`
	}{f.Source, f.LastDay.Format(period.DateLayout), f.ImportedAt.UTC().Format(time.RFC3339)})
}

// Answer is the shape every answer takes — from `sowhat query`, `sowhat ask`
// and each digest section alike.
type Answer struct {
	Question      string              `json:"question"`
	Intent        string              `json:"intent"`
	Metrics       []MetricID          `json:"metrics"`
	Period        period.Period       `json:"period"`
	ComparePeriod *period.Period      `json:"compare_period"`
	Filters       map[string][]string `json:"filters"`
	GroupBy       []string            `json:"group_by"`
	Rows          []Row               `json:"rows"`
	Total         Row                 `json:"total"`
	Summary       string              `json:"summary"`
	SoWhat        string              `json:"so_what"`
	// Freshness lists, for every source the answer rests on, its last day.
	Freshness []Freshness `json:"freshness,omitempty"`
	// Notes say what was assumed or left out.
	Notes []string `json:"notes,omitempty"`
	// Clarify is set instead of numbers when the question was ambiguous.
	Clarify     string   `json:"clarify,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
}

// MarshalJSON writes the answer shape; the total carries values and
// comparison values, no key.
func (a Answer) MarshalJSON() ([]byte, error) {
	type plain Answer
	type totals struct {
		Values        Values `json:"values"`
		CompareValues Values `json:"compare_values"`
	}
	return json.Marshal(struct {
		plain
		Total totals `json:"total"`
	}{plain(a), totals{a.Total.Values, a.Total.CompareValues}})
}

// Float returns a pointer to v, for building Values.
func Float(v float64) *float64 { return &v }

// Clone returns a deep copy: callers may change their answer freely.
func (a Answer) Clone() Answer {
	c := a
	c.Metrics = append([]MetricID{}, a.Metrics...)
	if a.ComparePeriod != nil {
		p := *a.ComparePeriod
		c.ComparePeriod = &p
	}
	c.Filters = make(map[string][]string, len(a.Filters))
	for k, v := range a.Filters {
		c.Filters[k] = append([]string(nil), v...)
	}
	c.GroupBy = append([]string{}, a.GroupBy...)
	c.Rows = make([]Row, len(a.Rows))
	for i, r := range a.Rows {
		c.Rows[i] = r.clone()
	}
	c.Total = a.Total.clone()
	c.Freshness = append([]Freshness(nil), a.Freshness...)
	c.Notes = append([]string(nil), a.Notes...)
	c.Suggestions = append([]string(nil), a.Suggestions...)
	return c
}

func (r Row) clone() Row {
	c := Row{}
	if r.Key != nil {
		c.Key = make(map[string]string, len(r.Key))
		for k, v := range r.Key {
			c.Key[k] = v
		}
	}
	c.Values = r.Values.clone()
	c.CompareValues = r.CompareValues.clone()
	return c
}

func (v Values) clone() Values {
	if v == nil {
		return nil
	}
	c := make(Values, len(v))
	for k, x := range v {
		if x != nil {
			c[k] = Float(*x)
		} else {
			c[k] = nil
		}
	}
	return c
}
