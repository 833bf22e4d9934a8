package wording

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Table is an answer's rows laid out for people: a header and cells, numbers
// already formatted. Every renderer (terminal, Slack, Teams) draws from it.
type Table struct {
	Header []string
	Rows   [][]string
	// Numeric marks the columns that hold numbers (right-aligned).
	Numeric []bool
}

// maxTableMetrics bounds the metric columns a table shows.
const maxTableMetrics = 4

// AnswerTable lays out an answer's rows, with a change column per metric
// when there is a comparison. It returns false when there is nothing to
// tabulate (a single total is the headline instead).
func AnswerTable(a model.Answer) (Table, bool) {
	if len(a.GroupBy) == 0 || len(a.Rows) == 0 {
		return Table{}, false
	}
	var t Table
	for _, d := range a.GroupBy {
		t.Header = append(t.Header, DimTitle(d))
		t.Numeric = append(t.Numeric, false)
	}
	metrics := a.Metrics
	if len(metrics) > maxTableMetrics {
		metrics = metrics[:maxTableMetrics]
	}
	withChange := a.ComparePeriod != nil && !hasTimeDim(a.GroupBy)
	for _, m := range metrics {
		t.Header = append(t.Header, MetricName(m))
		t.Numeric = append(t.Numeric, true)
		if withChange {
			t.Header = append(t.Header, "vs prior")
			t.Numeric = append(t.Numeric, true)
		}
	}
	for _, r := range a.Rows {
		var cells []string
		for _, d := range a.GroupBy {
			cells = append(cells, DimValue(d, r.Key[d]))
		}
		for _, m := range metrics {
			cells = append(cells, Metric(m, r.Values[m]))
			if withChange {
				c := Change(m, r.Values[m], r.CompareValues[m])
				if c == "" {
					c = "–"
				}
				cells = append(cells, c)
			}
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, true
}

func hasTimeDim(dims []string) bool {
	for _, d := range dims {
		if model.IsTimeDimension(d) {
			return true
		}
	}
	return false
}

// MetricName is a metric's display name.
func MetricName(id model.MetricID) string {
	if mt, ok := model.LookupMetric(id); ok {
		return mt.Name
	}
	return string(id)
}

// DimTitle is a dimension's column title.
func DimTitle(d string) string {
	switch d {
	case model.DimCampaignType:
		return "Campaign type"
	case model.DimDay:
		return "Day"
	}
	return strings.ToUpper(d[:1]) + d[1:]
}

// Text renders an answer for a terminal: the summary, the so-what, a small
// table, notes and what the answer rests on.
func Text(a model.Answer) string {
	var b strings.Builder
	if a.Clarify != "" {
		b.WriteString(a.Summary + "\n")
		for _, s := range a.Suggestions {
			fmt.Fprintf(&b, "  • %s\n", s)
		}
		return b.String()
	}
	if a.Summary != "" {
		b.WriteString(a.Summary + "\n")
	}
	if a.SoWhat != "" {
		b.WriteString("\nSo what: " + a.SoWhat + "\n")
	}
	if t, ok := AnswerTable(a); ok {
		b.WriteString("\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		writeRow := func(cells []string) {
			for _, c := range cells {
				fmt.Fprint(tw, c+"\t")
			}
			fmt.Fprintln(tw)
		}
		writeRow(t.Header)
		for _, r := range t.Rows {
			writeRow(r)
		}
		tw.Flush()
	}
	for _, n := range a.Notes {
		b.WriteString("\nNote: " + n)
	}
	if len(a.Notes) > 0 {
		b.WriteString("\n")
	}
	if line := ContextLine(a); line != "" {
		b.WriteString("\n" + line + "\n")
	}
	for _, s := range a.Suggestions {
		fmt.Fprintf(&b, "  • %s\n", s)
	}
	return b.String()
}

// ContextLine says what an answer rests on: its period, filters and how
// fresh each source is.
func ContextLine(a model.Answer) string {
	if len(a.Metrics) == 0 {
		return ""
	}
	parts := []string{PeriodText(a.Period)}
	if a.ComparePeriod != nil {
		parts[0] += " vs " + PeriodText(*a.ComparePeriod)
	}
	if f := FiltersText(a.Filters); f != "" {
		parts = append(parts, f)
	}
	if f := freshnessText(a.Freshness); f != "" {
		parts = append(parts, f)
	}
	parts = append(parts, "definitions: sowhat metrics")
	return strings.Join(parts, " · ")
}

// freshnessText says how recent the data is in few words: the last day
// most sources reach, then the sources that stop elsewhere, by name: "data
// through Nov 22, Criteo through Nov 20".
func freshnessText(fs []model.Freshness) string {
	if len(fs) == 0 {
		return ""
	}
	// Sources by the last day they reach (as a date: times of one day
	// may differ in their location).
	var days []string
	bySource := map[string][]string{}
	for _, f := range fs {
		d := f.LastDay.Format(time.DateOnly)
		if _, ok := bySource[d]; !ok {
			days = append(days, d)
		}
		bySource[d] = append(bySource[d], sourceName(f.Source))
	}
	// The day most sources reach first (the later on a tie), then the
	// others, latest first.
	slices.SortFunc(days, func(x, y string) int { return strings.Compare(y, x) })
	common := 0
	for i, d := range days {
		if len(bySource[d]) > len(bySource[days[common]]) {
			common = i
		}
	}
	first := days[common]
	days = append([]string{first}, slices.Delete(days, common, common+1)...)
	short := func(d string) string {
		t, _ := time.Parse(time.DateOnly, d)
		return t.Format("Jan 2")
	}
	text := "data through " + short(days[0])
	for _, d := range days[1:] {
		text += ", " + JoinAnd(bySource[d]) + " through " + short(d)
	}
	return text + syncedText(fs)
}

// syncedText names the configured sources the data was synced from and
// when each last synced: "; synced from warehouse Nov 23 06:00 UTC".
func syncedText(fs []model.Freshness) string {
	last := map[string]time.Time{}
	var names []string
	for _, f := range fs {
		if f.Via == "" {
			continue
		}
		if _, ok := last[f.Via]; !ok {
			names = append(names, f.Via)
		}
		if f.ImportedAt.After(last[f.Via]) {
			last[f.Via] = f.ImportedAt
		}
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n
		if t := last[n]; !t.IsZero() {
			parts[i] += " " + t.UTC().Format("Jan 2 15:04 MST")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; synced from " + JoinAnd(parts)
}

func sourceName(s string) string {
	if s == "business" {
		return "business results"
	}
	return model.PlatformName(s)
}

// PeriodText writes a date range compactly: "Nov 16–22, 2026", "Oct 1 – Nov 3, 2026".
func PeriodText(r period.Period) string {
	s, e := r.Start, r.End
	switch {
	case s.Equal(e):
		return s.Format("Mon Jan 2, 2006")
	case s.Year() == e.Year() && s.Month() == e.Month():
		return fmt.Sprintf("%s %d–%d, %d", s.Format("Jan"), s.Day(), e.Day(), s.Year())
	case s.Year() == e.Year():
		return fmt.Sprintf("%s – %s, %d", s.Format("Jan 2"), e.Format("Jan 2"), s.Year())
	}
	return fmt.Sprintf("%s – %s", s.Format("Jan 2, 2006"), e.Format("Jan 2, 2006"))
}

// LabeledPeriodText writes a period with its label, if it has one: "last
// week (Mar 9–15, 2026)".
func LabeledPeriodText(p period.Period) string {
	dates := PeriodText(p)
	if p.Label == "" {
		return dates
	}
	return p.Label + " (" + dates + ")"
}

// maxListed is how many values of a filter a line names before it counts
// them instead.
const maxListed = 4

// FiltersText writes filters in words: "Meta, Google Ads · category Electronics".
func FiltersText(f map[string][]string) string {
	var parts []string
	for _, d := range []string{model.DimPlatform, model.DimCampaign, model.DimCampaignType, model.DimCategory, model.DimRegion, model.DimAccount, model.DimChannel} {
		vals := f[d]
		if len(vals) == 0 {
			continue
		}
		names := make([]string, len(vals))
		for i, v := range vals {
			names[i] = DimValue(d, v)
		}
		if len(names) > maxListed {
			noun := strings.ReplaceAll(d, "_", " ")
			if strings.HasSuffix(noun, "y") {
				noun = strings.TrimSuffix(noun, "y") + "ie"
			}
			parts = append(parts, fmt.Sprintf("%d %ss", len(names), noun))
			continue
		}
		if d == model.DimPlatform {
			parts = append(parts, strings.Join(names, ", "))
			continue
		}
		parts = append(parts, strings.ReplaceAll(d, "_", " ")+" "+strings.Join(names, ", "))
	}
	return strings.Join(parts, " · ")
}
