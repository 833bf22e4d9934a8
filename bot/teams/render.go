package teams

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// Limits of a posted activity, and ours.
const (
	// MaxActivitySize bounds an activity as Teams measures it: Teams
	// refuses a message over about 100 KB, counting its text as UTF-16;
	// 80 KB leaves room for what the connector adds. Here a chart's data
	// URI counts its bytes and everything else two bytes a UTF-16 unit
	// (see ActivitySize).
	MaxActivitySize = 80 * 1024
	cardVersion     = "1.4"
	cardSchema      = "http://adaptivecards.io/schemas/adaptive-card.json"
	cardContentType = "application/vnd.microsoft.card.adaptive"
	maxTableRows    = 15 // rows shown before "…and N more"
	maxButtons      = 5
	maxButtonText   = 75
	maxSummary      = 1000
	maxText         = 4000 // one text block, when even a bare card is too big
	maxAltText      = 500
)

// outActivity is an activity the bot posts.
type outActivity struct {
	Type        string       `json:"type"`
	Text        string       `json:"text,omitempty"`
	Summary     string       `json:"summary,omitempty"`
	TextFormat  string       `json:"textFormat,omitempty"`
	Attachments []attachment `json:"attachments,omitempty"`
	ReplyToID   string       `json:"replyToId,omitempty"`
}

type attachment struct {
	ContentType string `json:"contentType"`
	Content     card   `json:"content"`
}

// card is an Adaptive Card.
type card struct {
	Type         string         `json:"type"`
	Schema       string         `json:"$schema"`
	Version      string         `json:"version"`
	FallbackText string         `json:"fallbackText,omitempty"`
	Body         []el           `json:"body"`
	Actions      []el           `json:"actions,omitempty"`
	MSTeams      map[string]any `json:"msteams,omitempty"`
}

// el is one card element, as its JSON object.
type el map[string]any

func cardActivity(fallback string, body, actions []el) outActivity {
	c := card{Type: "AdaptiveCard", Schema: cardSchema, Version: cardVersion, FallbackText: fallback, Body: body, Actions: actions,
		MSTeams: map[string]any{"width": "Full"}}
	return outActivity{Type: "message", Summary: fallback, Attachments: []attachment{{ContentType: cardContentType, Content: c}}}
}

// text is a TextBlock; style words: "bold", "large", "subtle", "small",
// "right".
func text(s string, style ...string) el {
	e := el{"type": "TextBlock", "text": s, "wrap": true}
	for _, st := range style {
		switch st {
		case "bold":
			e["weight"] = "Bolder"
		case "large":
			e["size"] = "Large"
		case "medium":
			e["size"] = "Medium"
		case "subtle":
			e["isSubtle"] = true
		case "small":
			e["size"] = "Small"
		case "right":
			e["horizontalAlignment"] = "Right"
		case "nowrap":
			e["wrap"] = false
		case "spaced":
			e["spacing"] = "Medium"
		case "separator":
			e["separator"] = true
		}
	}
	return e
}

// Render lays a reply out as an Adaptive Card: the headline with its
// change and the summary, the so-what, a compact table, notes, the context
// line saying what the numbers rest on, and the chart when png holds one;
// a clarifying question comes with its suggestions as buttons. The
// activity fits MaxActivitySize: past it the chart goes first, then
// table rows, then the table.
func Render(r bot.Reply, png []byte) outActivity {
	if r.Answer == nil {
		return fit(func(int) outActivity { return cardActivity(clip(r.Notice, maxSummary), []el{text(r.Notice)}, nil) }, 0)
	}
	a := *r.Answer
	if a.Clarify != "" {
		return fit(func(int) outActivity { return renderClarify(a) }, 0)
	}
	t, hasTable := wording.AnswerTable(a)
	if !hasTable || r.Brief {
		t = wording.Table{}
	}
	build := func(rows int, chart []byte) outActivity { return renderAnswer(a, t, rows, chart) }
	if act := build(len(t.Rows), png); ActivitySize(act) <= MaxActivitySize {
		return act
	}
	return fit(func(rows int) outActivity { return build(rows, nil) }, len(t.Rows))
}

// fit returns build(rows) for the most rows (up to all) that fit, and, when
// even no rows don't, the card's text cut down to a few blocks.
func fit(build func(rows int) outActivity, all int) outActivity {
	for rows := min(all, maxTableRows); rows >= 0; rows-- {
		if act := build(rows); ActivitySize(act) <= MaxActivitySize {
			return act
		}
	}
	return clipActivity(build(0))
}

// clipActivity cuts every text block of a card too big for any table
// rows down, keeping as many whole blocks as fit.
func clipActivity(act outActivity) outActivity {
	c := act.Attachments[0].Content
	var body []el
	for _, e := range c.Body {
		if s, ok := e["text"].(string); ok {
			e["text"] = clip(s, maxText)
		}
		body = append(body, e)
		c.Body = body
		act.Attachments[0].Content = c
		if ActivitySize(act) > MaxActivitySize {
			c.Body = body[:len(body)-1]
			break
		}
	}
	c.Actions = nil
	act.Summary = clip(act.Summary, maxSummary)
	c.FallbackText = act.Summary
	act.Attachments[0].Content = c
	return act
}

func renderAnswer(a model.Answer, t wording.Table, rows int, chart []byte) outActivity {
	var body []el
	if h := headline(a); h != "" {
		body = append(body, text(h, "bold", "large"))
	}
	if a.Summary != "" {
		body = append(body, text(a.Summary))
	}
	if a.SoWhat != "" {
		label := "**So what:** "
		if a.Intent == "help" {
			label = ""
		}
		body = append(body, text(label+a.SoWhat, "spaced"))
	}
	if len(t.Header) > 0 {
		body = append(body, table(t, rows)...)
	}
	body = append(body, notes(a.Notes)...)
	if line := wording.ContextLine(a); line != "" {
		body = append(body, text(line, "subtle", "small", "spaced"))
	}
	if len(chart) > 0 {
		body = append(body, imageOf(chart, a.Summary))
	}
	return cardActivity(fallback(a), body, buttons(a.Suggestions))
}

func renderClarify(a model.Answer) outActivity {
	var body []el
	if lead := strings.TrimSpace(strings.TrimSuffix(a.Summary, a.Clarify)); lead != "" {
		body = append(body, text(lead))
	}
	body = append(body, text(a.Clarify, "bold"))
	body = append(body, notes(a.Notes)...)
	fb := a.Clarify
	if len(a.Suggestions) > 0 {
		fb += " " + strings.Join(a.Suggestions, " · ")
	}
	return cardActivity(clip(fb, maxSummary), body, buttons(a.Suggestions))
}

// image embeds a PNG as a data URI, so the chart travels inside the
// message rather than on a public URL.
func imageOf(png []byte, alt string) el {
	return el{"type": "Image", "url": "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), "altText": clip(alt, maxAltText), "size": "Stretch", "spacing": "Medium"}
}

// table lays the first rows of t out as one ColumnSet a row (Adaptive
// Cards 1.4 have no Table), columns weighted alike in every row so that
// they line up, numbers right-aligned, with "…and N more" under a cut.
func table(t wording.Table, rows int) []el {
	rows = min(rows, len(t.Rows), maxTableRows)
	out := []el{row(t.Header, t.Numeric, true)}
	for _, r := range t.Rows[:rows] {
		out = append(out, row(r, t.Numeric, false))
	}
	if more := len(t.Rows) - rows; more > 0 {
		out = append(out, text(fmt.Sprintf("…and %d more", more), "subtle", "small"))
	}
	return out
}

func row(cells []string, numeric []bool, header bool) el {
	cols := make([]el, len(cells))
	for i, c := range cells {
		style := []string{"small", "nowrap"}
		if header {
			style = append(style, "bold")
		}
		if i < len(numeric) && numeric[i] {
			style = append(style, "right")
		}
		width := 1
		if i == 0 {
			width = 2
		}
		cols[i] = el{"type": "Column", "width": width, "items": []el{text(c, style...)}}
	}
	e := el{"type": "ColumnSet", "columns": cols, "spacing": "None"}
	if header {
		e["spacing"], e["separator"] = "Medium", true
	}
	return e
}

func notes(ns []string) []el {
	var out []el
	for _, n := range ns {
		out = append(out, text("_Note:_ "+n, "subtle", "small"))
	}
	return out
}

// buttons offer suggestions: pressing one sends its question, as if typed.
func buttons(suggestions []string) []el {
	var out []el
	for i, s := range suggestions {
		if i == maxButtons {
			break
		}
		out = append(out, el{"type": "Action.Submit", "title": clip(s, maxButtonText), "data": map[string]any{"msteams": map[string]any{"type": "imBack", "value": s}}})
	}
	return out
}

// headline is "ROAS 3.21x (+12.4% vs prior)", or "" when the answer has no
// single lead number.
func headline(a model.Answer) string {
	if len(a.Metrics) == 0 || a.Total.Values[a.Metrics[0]] == nil {
		return ""
	}
	m := a.Metrics[0]
	h := wording.MetricName(m) + " " + wording.Metric(m, a.Total.Values[m])
	if c := wording.Change(m, a.Total.Values[m], a.Total.CompareValues[m]); c != "" {
		cmp := "prior"
		if a.ComparePeriod != nil {
			cmp = wording.PeriodText(*a.ComparePeriod)
		}
		h += " (" + c + " vs " + cmp + ")"
	}
	return h
}

func fallback(a model.Answer) string {
	s := a.Summary
	if h := headline(a); h != "" && s == "" {
		s = h
	}
	return clip(s, maxSummary)
}

// clip cuts s to n characters (runes), ending in "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// dataURI starts an embedded image in an activity's JSON.
var dataURI = []byte(`"data:image/`)

// ActivitySize is an activity's size as its budget counts it: embedded
// images (data URIs) by their bytes, all other text at two bytes a UTF-16
// code unit, as Teams measures a message.
func ActivitySize(act any) int {
	b, err := marshal(act)
	if err != nil {
		return MaxActivitySize + 1
	}
	n := 0
	for len(b) > 0 {
		i := bytes.Index(b, dataURI)
		if i < 0 {
			return n + utf16Bytes(b)
		}
		n += utf16Bytes(b[:i])
		rest := b[i+1:]
		end := bytes.IndexByte(rest, '"')
		if end < 0 {
			end = len(rest)
		}
		n += end + 2
		b = rest[min(end+1, len(rest)):]
	}
	return n
}

func utf16Bytes(b []byte) int {
	n := 0
	for _, r := range string(b) {
		n += 2 * utf16.RuneLen(r)
	}
	return n
}

// marshal encodes v as the connector gets it, without HTML escapes.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// jsonIndent indents encoded JSON, for golden files and previews.
func jsonIndent(dst *bytes.Buffer, src []byte) error {
	if err := json.Indent(dst, src, "", "  "); err != nil {
		return err
	}
	dst.WriteByte('\n')
	return nil
}
