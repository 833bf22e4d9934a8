package teams

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/wording"
)

// RenderDigest lays a digest out as Adaptive Cards: its title and period,
// the three things that matter, then each section as the chat answer to
// its question reads (headline and summary, change, so-what, compact
// table), then the notes the sections share and how fresh the data is.
//
// It returns the activities to post in order: the first starts the
// digest's thread in the channel, any others are replies in it. A digest
// that does not fit one activity (MaxActivitySize) is split between
// sections, so no section is cut or dropped. Charts follow, one card each
// (see chartCard).
func RenderDigest(d *reports.Digest, fallback string) []outActivity {
	if fallback == "" {
		fallback = reports.Text(d)
	}
	title := d.Title + " · " + wording.LabeledPeriodText(d.Period)
	shared := map[string]bool{}
	for _, n := range d.Notes {
		shared[n] = true
	}
	groups := [][]el{digestHead(d, title)}
	for i, s := range d.Sections {
		groups = append(groups, digestSection(i+1, s, shared))
	}
	if tail := digestTail(d); len(tail) > 0 {
		groups = append(groups, tail)
	}
	var out []outActivity
	var body []el
	flush := func() {
		if len(body) == 0 {
			return
		}
		fb := clip(fallback, maxSummary)
		if len(out) > 0 {
			fb = fmt.Sprintf("%s, continued (%d)", title, len(out)+1)
			body = append([]el{text(fb, "bold")}, body...)
		}
		out = append(out, cardActivity(fb, body, nil))
		body = nil
	}
	for _, g := range groups {
		if len(body) > 0 && ActivitySize(cardActivity(fallback, append(slices.Clip(body), g...), nil)) > MaxActivitySize {
			flush()
		}
		body = append(body, g...)
	}
	flush()
	for i, act := range out {
		if ActivitySize(act) > MaxActivitySize {
			out[i] = clipActivity(act)
		}
	}
	return out
}

// digestHead is the title, what the digest covers and its highlights.
func digestHead(d *reports.Digest, title string) []el {
	body := []el{text(title, "bold", "large")}
	var covers []string
	if d.ComparePeriod != nil {
		covers = append(covers, "Compared with "+wording.LabeledPeriodText(*d.ComparePeriod))
	}
	if f := wording.FiltersText(d.Filters); f != "" {
		covers = append(covers, "only "+f)
	}
	if len(covers) > 0 {
		body = append(body, text(strings.Join(covers, " · "), "subtle", "small"))
	}
	if len(d.Highlights) > 0 {
		var b strings.Builder
		for _, h := range d.Highlights {
			b.WriteString("- " + h.Text + "\n")
		}
		body = append(body, text("What matters this period", "bold", "spaced"), text(strings.TrimRight(b.String(), "\n")))
	}
	return body
}

// digestSection is one section as its answer reads in chat, under its
// numbered title, with what the digest adds: the change against the
// comparison period and a derived table.
func digestSection(n int, full reports.Section, shared map[string]bool) []el {
	s, hidden := full.Shown()
	a := s.Answer
	notes := a.Notes
	a.Notes, a.Freshness = nil, nil
	for _, note := range notes {
		if !shared[note] && !slices.Contains(a.Notes, note) {
			a.Notes = append(a.Notes, note)
		}
	}
	body := []el{text(fmt.Sprintf("%d. %s", n, s.Title), "bold", "medium", "separator")}
	if h := headline(a); h != "" {
		body = append(body, text(h, "bold"))
	}
	if a.Summary != "" {
		body = append(body, text(a.Summary))
	}
	if s.Change != "" {
		body = append(body, text("Change "+s.Change, "subtle", "small"))
	}
	if a.SoWhat != "" {
		body = append(body, text("**So what:** "+a.SoWhat))
	}
	if t, ok := wording.AnswerTable(a); ok {
		body = append(body, table(t, len(t.Rows))...)
	}
	if hidden > 0 && len(s.Answer.Rows) > 0 {
		body = append(body, text("… "+reports.MoreRows(hidden, s.Answer.GroupBy), "subtle", "small"))
	}
	if s.Table != nil {
		numeric := make([]bool, len(s.Table.Header))
		for i := 1; i < len(numeric); i++ {
			numeric[i] = true
		}
		body = append(body, text(s.Table.Title, "bold", "small", "spaced"))
		body = append(body, table(wording.Table{Header: s.Table.Header, Rows: s.Table.Rows, Numeric: numeric}, len(s.Table.Rows))...)
	}
	if s.Chart != "" {
		body = append(body, text("_Chart in the thread:_ "+s.Chart, "subtle", "small"))
	}
	for _, note := range a.Notes {
		body = append(body, text("_Note:_ "+note, "subtle", "small"))
	}
	return body
}

// digestTail is the notes several sections share and the data line.
func digestTail(d *reports.Digest) []el {
	var body []el
	for _, n := range d.Notes {
		body = append(body, text("_Note:_ "+n, "subtle", "small"))
	}
	if line := reports.DataLine(d); line != "" {
		body = append(body, text(line, "subtle", "small"))
	}
	if len(body) > 0 {
		body[0]["separator"] = true
	}
	return body
}

// RenderAlert lays an alert out as a card: what happened, its likely
// cause and the next step.
func RenderAlert(a reports.Alert, fallback string) outActivity {
	if fallback == "" {
		fallback = a.Text()
	}
	body := []el{text(a.Title, "bold", "medium"), text(a.What)}
	if a.Cause != "" {
		body = append(body, text("**Likely cause:** "+a.Cause))
	}
	if a.Next != "" {
		body = append(body, text("**Next:** "+a.Next))
	}
	return fit(func(int) outActivity { return cardActivity(clip(fallback, maxSummary), body, nil) }, 0)
}

// renderPlain is a message with neither digest nor alert: its title and
// text.
func renderPlain(title, body string) outActivity {
	var els []el
	if title != "" {
		els = append(els, text(title, "bold", "medium"))
	}
	els = append(els, text(body))
	return fit(func(int) outActivity { return cardActivity(clip(firstOf(body, title), maxSummary), els, nil) }, 0)
}

// chartCard is one chart of a digest, under the title of its section.
func chartCard(m reports.Message, c reports.Chart) outActivity {
	title, alt := firstOf(c.Name, m.Title), m.Title
	if m.Digest != nil {
		for _, s := range m.Digest.Sections {
			if s.Chart == c.Name {
				title = s.Title + " · " + wording.LabeledPeriodText(m.Digest.Period)
				alt = s.Answer.Summary
				break
			}
		}
	}
	return cardActivity(clip(title, maxSummary), []el{text(title, "bold"), imageOf(c.PNG, alt)}, nil)
}
