package reports

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// textView is a digest laid out for the text template.
type textView struct {
	Title      string
	Period     string
	Compare    string
	Filters    string
	Highlights []string
	Sections   []sectionView
	Notes      []string
	Data       string
}

type sectionView struct {
	N       int
	Title   string
	Summary string
	Change  string
	SoWhat  string
	Table   string
	Extra   string
	Notes   []string
	Chart   string
	Items   []string
}

// Text renders a digest as plain text: for the terminal, and as the
// fallback of every chat message.
func Text(d *Digest) string {
	v := textView{Title: d.Title, Period: wording.LabeledPeriodText(d.Period), Filters: wording.FiltersText(d.Filters), Notes: d.Notes, Data: DataLine(d)}
	if d.ComparePeriod != nil {
		v.Compare = wording.LabeledPeriodText(*d.ComparePeriod)
	}
	for _, h := range d.Highlights {
		v.Highlights = append(v.Highlights, h.Text)
	}
	shared := map[string]bool{}
	for _, n := range d.Notes {
		shared[n] = true
	}
	for i, s := range d.Sections {
		v.Sections = append(v.Sections, sectionText(i+1, s, shared))
	}
	var b strings.Builder
	if err := reportTemplates().ExecuteTemplate(&b, "digest_text", v); err != nil {
		return fmt.Sprintf("[digest text unavailable: %v]", err)
	}
	return b.String()
}

func sectionText(n int, full Section, shared map[string]bool) sectionView {
	s, hidden := full.Shown()
	a := s.Answer
	sv := sectionView{N: n, Title: s.Title, Summary: a.Summary, Change: s.Change, SoWhat: a.SoWhat, Chart: s.Chart}
	if a.Clarify != "" {
		sv.Summary = a.Clarify
		sv.Items = a.Suggestions
	}
	if t, ok := wording.AnswerTable(a); ok {
		sv.Table = tableText(t.Header, t.Rows, t.Numeric)
		if hidden > 0 {
			sv.Table += "\n  … " + MoreRows(hidden, a.GroupBy)
		}
	}
	if s.Table != nil {
		numeric := make([]bool, len(s.Table.Header))
		for i := 1; i < len(numeric); i++ {
			numeric[i] = true
		}
		sv.Extra = s.Table.Title + "\n" + tableText(s.Table.Header, s.Table.Rows, numeric)
	}
	for _, note := range dedupeStrings(a.Notes) {
		if !shared[note] {
			sv.Notes = append(sv.Notes, note)
		}
	}
	return sv
}

// tableText lays a table out in aligned columns, two spaces apart.
func tableText(header []string, rows [][]string, numeric []bool) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range append([][]string{header}, rows...) {
		for _, c := range r {
			fmt.Fprint(tw, c+"\t")
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// DataLine says how fresh each source the digest rests on is.
func DataLine(d *Digest) string {
	last := map[string]model.Freshness{}
	for _, s := range d.Sections {
		for _, f := range s.Answer.Freshness {
			last[f.Source] = f
		}
	}
	if len(last) == 0 {
		return ""
	}
	srcs := make([]string, 0, len(last))
	for s := range last {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	parts := make([]string, len(srcs))
	for i, s := range srcs {
		name := model.PlatformName(s)
		if s == "business" {
			name = "business results"
		}
		parts[i] = name + " through " + last[s].LastDay.Format("Jan 2")
	}
	return "Data: " + strings.Join(parts, ", ") + " · definitions: sowhat metrics"
}

// MoreRows says how many rows a table left out: "and 3 more platforms".
func MoreRows(n int, dims []string) string {
	noun := "rows"
	if len(dims) > 0 {
		noun = strings.ReplaceAll(dims[0], "_", " ")
		switch {
		case strings.HasSuffix(noun, "y"):
			noun = strings.TrimSuffix(noun, "y") + "ies"
		case strings.HasSuffix(noun, "s"):
			noun += "es"
		default:
			noun += "s"
		}
		if n == 1 {
			noun = strings.ReplaceAll(dims[0], "_", " ")
		}
	}
	return fmt.Sprintf("and %d more %s", n, noun)
}
