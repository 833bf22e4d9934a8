package reports

import "strings"

// LineBudget is how many lines of text a digest may take: one screen.
const LineBudget = 40

// Layout is how much of a section a digest shows, so the whole digest
// fits its line budget; the JSON keeps every row.
type Layout struct {
	// Rows caps the rows of each table shown (0: all).
	Rows int `json:"rows,omitempty"`
	// Brief drops the change line (the table carries the same changes).
	Brief bool `json:"brief,omitempty"`
	// Terse drops the so-what of a section whose figure held steady
	// ("no action needed"): its summary says as much.
	Terse bool `json:"terse,omitempty"`
	// NoTable drops the section's tables, keeping summary and so-what.
	NoTable bool `json:"no_table,omitempty"`
}

// Shown is the section as the digest shows it: its answer with the rows
// its layout keeps, its derived table likewise, and its change line ("" when
// left out). hidden is how many answer rows were left out.
func (s Section) Shown() (a Section, hidden int) {
	a = s
	a.Answer.Rows = s.Answer.Rows
	if s.Layout.NoTable {
		hidden = len(s.Answer.Rows)
		a.Answer.Rows = nil
		a.Table = nil
	} else if n := s.Layout.Rows; n > 0 {
		if len(s.Answer.Rows) > n {
			hidden = len(s.Answer.Rows) - n
			a.Answer.Rows = s.Answer.Rows[:n]
		}
		if s.Table != nil && len(s.Table.Rows) > n+1 {
			t := *s.Table
			// The last row of a derived table is its total: keep it.
			last := t.Rows[len(t.Rows)-1]
			t.Rows = append(append([][]string{}, t.Rows[:n]...), last)
			a.Table = &t
		}
	}
	if s.Layout.Brief {
		a.Change = ""
	}
	if s.Layout.Terse && s.steady {
		a.Answer.SoWhat = ""
	}
	return a, hidden
}

// layouts are the ever more compact ways a digest may be laid out, tried in
// order until it fits its line budget.
var layouts = []Layout{{}, {Rows: 5}, {Rows: 5, Brief: true}, {Rows: 5, Brief: true, Terse: true}, {Rows: 3, Brief: true, Terse: true}, {Rows: 2, Brief: true, Terse: true}}

// fit lays the digest out as fully as its line budget allows: first every
// section in full, then with fewer table rows and no change lines, and at
// last without the tables of the least important sections.
func fit(d *Digest, weights []float64) {
	for _, l := range layouts {
		for i := range d.Sections {
			d.Sections[i].Layout = l
		}
		if Lines(Text(d)) <= LineBudget {
			return
		}
	}
	// Still too long: drop tables, least important section first.
	order := make([]int, len(d.Sections))
	for i := range order {
		order[i] = i
	}
	for k := 0; k < len(order); k++ {
		for j := k + 1; j < len(order); j++ {
			if weights[order[j]] < weights[order[k]] || weights[order[j]] == weights[order[k]] && order[j] > order[k] {
				order[k], order[j] = order[j], order[k]
			}
		}
	}
	for _, i := range order {
		if len(d.Sections[i].Answer.Rows) == 0 && d.Sections[i].Table == nil {
			continue
		}
		d.Sections[i].Layout.NoTable = true
		if Lines(Text(d)) <= LineBudget {
			return
		}
	}
}

// Lines counts the lines of a text.
func Lines(s string) int {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}
