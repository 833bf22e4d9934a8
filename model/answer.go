package model

import (
	"encoding/json"
	"math"
	"time"

	"github.com/sowhat-ai/sowhat/model/period"
)

// Values maps metric ids to values; nil is an undefined value (a zero
// denominator or missing data), never 0.
type Values map[MetricID]*float64

// MarshalJSON writes raw numbers, currency rounded to cents (431900, not
// 431900.0000000002); an undefined value is null.
func (v Values) MarshalJSON() ([]byte, error) {
	if v == nil {
		return []byte("null"), nil
	}
	out := make(map[MetricID]*float64, len(v))
	for id, x := range v {
		if x == nil {
			out[id] = nil
			continue
		}
		y := *x
		if mt, ok := metricByID()[id]; ok && mt.Unit == UnitCurrency {
			y = math.Round(y*100) / 100
		}
		out[id] = &y
	}
	return json.Marshal(out)
}

// ValueText writes a value of a metric as answers print it ("$1,204",
// "3.21x"); the wording package sets it. The JSON shape carries it beside
// each raw value, so a script can show what a person was shown.
var ValueText func(id MetricID, v *float64) string

// text is the printed form of every value, nil without ValueText.
func (v Values) text() map[MetricID]string {
	if v == nil || ValueText == nil {
		return nil
	}
	out := make(map[MetricID]string, len(v))
	for id, x := range v {
		out[id] = ValueText(id, x)
	}
	return out
}

// Row is one group of a result.
type Row struct {
	Key           map[string]string `json:"key"`
	Values        Values            `json:"values"`
	CompareValues Values            `json:"compare_values"` // null without a comparison
}

// rowJSON is a row as JSON: the raw values, and beside them their printed
// text ("text", "compare_text").
type rowJSON struct {
	Key           map[string]string   `json:"key,omitempty"`
	Values        Values              `json:"values"`
	CompareValues Values              `json:"compare_values"`
	Text          map[MetricID]string `json:"text,omitempty"`
	CompareText   map[MetricID]string `json:"compare_text,omitempty"`
}

func (r Row) json(withKey bool) rowJSON {
	j := rowJSON{Values: r.Values, CompareValues: r.CompareValues, Text: r.Values.text(), CompareText: r.CompareValues.text()}
	if withKey {
		j.Key = r.Key
		if j.Key == nil {
			j.Key = map[string]string{}
		}
	}
	return j
}

// MarshalJSON writes every row in the same shape: "key" is {} for a total
// or an ungrouped row.
func (r Row) MarshalJSON() ([]byte, error) {
	j := r.json(true)
	return json.Marshal(struct {
		Key map[string]string `json:"key"`
		rowJSON
	}{j.Key, j})
}

// Freshness says how current one platform's (or the business's) data is.
type Freshness struct {
	Source     string    `json:"source"` // a platform id, or "business"
	LastDay    time.Time `json:"-"`
	ImportedAt time.Time `json:"-"`
	// Via names the configured source (SOURCES_CONFIG) that synced the
	// last day, "" for a file imported by hand; ImportedAt is then when
	// that source last synced.
	Via string `json:"via,omitempty"`
}

// MarshalJSON writes dates as ISO strings.
func (f Freshness) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Source     string `json:"source"`
		LastDay    string `json:"last_day"`
		ImportedAt string `json:"imported_at"`
		Via        string `json:"via,omitempty"`
	}{f.Source, f.LastDay.Format(period.DateLayout), f.ImportedAt.UTC().Format(time.RFC3339), f.Via})
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
	// Projected is a pacing answer's month-end spend at its pace, by the
	// value of the dimension it is split by ("" for the total); nil for a
	// month that has ended and for every other intent. Digests show these
	// figures rather than projecting again.
	Projected map[string]float64 `json:"projected,omitempty"`
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
	return json.Marshal(struct {
		plain
		Total rowJSON `json:"total"`
	}{plain(a), a.Total.json(false)})
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
	if a.Projected != nil {
		c.Projected = make(map[string]float64, len(a.Projected))
		for k, v := range a.Projected {
			c.Projected[k] = v
		}
	}
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
