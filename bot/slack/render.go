package slack

import (
	"fmt"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// Block Kit's limits, and ours.
const (
	maxBlocks      = 50
	maxSectionText = 3000
	maxContextText = 3000
	maxButtonText  = 75
	maxButtonValue = 2000
	maxFallback    = 3000
	maxAltText     = 1000
	maxButtons     = 5  // suggestions offered
	maxTableRows   = 15 // rows shown before "…and N more"
)

// ActionAsk prefixes the action ids of suggestion buttons: pressing one
// asks its question.
const ActionAsk = "sowhat_ask"

// Message is a rendered reply: the fields of chat.postMessage that carry
// content. Text is the plain fallback notifications show (escaped, as
// Slack reads it as markup too).
type Message struct {
	Text   string           `json:"text"`
	Blocks []slackapi.Block `json:"blocks"`
}

// Render lays a reply out in Block Kit: the headline with its change and
// the summary, the so-what, a compact table, notes, and a context line
// saying what the numbers rest on; a clarifying question comes with its
// suggestions as buttons.
func Render(r bot.Reply) Message {
	if r.Answer == nil {
		return Message{Text: escape(clip(r.Notice, maxFallback)), Blocks: []slackapi.Block{section("notice", escape(r.Notice))}}
	}
	a := *r.Answer
	if a.Clarify != "" {
		return renderClarify(a)
	}
	var blocks []slackapi.Block
	blocks = append(blocks, section("headline", headlineText(a)))
	if a.SoWhat != "" {
		label := "*So what:* "
		if a.Intent == "help" {
			label = ""
		}
		blocks = append(blocks, section("so_what", label+escape(a.SoWhat)))
	}
	if t, ok := wording.AnswerTable(a); ok && !r.Brief {
		blocks = append(blocks, section("table", tableText(t)))
	}
	if n := notesText(a.Notes); n != "" {
		blocks = append(blocks, contextBlock("notes", n))
	}
	if line := wording.ContextLine(a); line != "" {
		blocks = append(blocks, contextBlock("context", escape(line)))
	}
	if len(a.Suggestions) > 0 {
		blocks = append(blocks, buttons(a.Suggestions))
	}
	return Message{Text: fallback(a), Blocks: fitBlocks(blocks)}
}

func renderClarify(a model.Answer) Message {
	// The summary says what was understood, then asks: the question is
	// set apart in bold.
	text := "*" + escape(a.Clarify) + "*"
	if lead := strings.TrimSpace(strings.TrimSuffix(a.Summary, a.Clarify)); lead != "" {
		text = escape(lead) + "\n\n" + text
	}
	blocks := []slackapi.Block{section("clarify", text)}
	if len(a.Suggestions) > 0 {
		blocks = append(blocks, buttons(a.Suggestions))
	}
	if n := notesText(a.Notes); n != "" {
		blocks = append(blocks, contextBlock("notes", n))
	}
	fb := a.Clarify
	if len(a.Suggestions) > 0 {
		fb += " " + strings.Join(a.Suggestions, " · ")
	}
	return Message{Text: escape(clip(fb, maxFallback)), Blocks: fitBlocks(blocks)}
}

// headlineText is the lead metric's value and change in bold, then the
// summary.
func headlineText(a model.Answer) string {
	h := headline(a)
	if h == "" {
		return escape(a.Summary)
	}
	return "*" + escape(h) + "*\n" + escape(a.Summary)
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
		h += " (" + c + " vs " + compareWords(a) + ")"
	}
	return h
}

func compareWords(a model.Answer) string {
	if a.ComparePeriod == nil {
		return "prior"
	}
	return wording.PeriodText(*a.ComparePeriod)
}

// tableText lays a table out in a code block, columns aligned, cut to fit
// a section with "…and N more".
func tableText(t wording.Table) string {
	widths := make([]int, len(t.Header))
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(row []string) string {
		cells := make([]string, len(row))
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if t.Numeric[i] {
				cells[i] = pad + c
			} else {
				cells[i] = c + pad
			}
		}
		return escape(strings.TrimRight(strings.Join(cells, "  "), " "))
	}
	const fence = "```"
	budget := maxSectionText - 2*len(fence) - 2 - len("…and 9999 more")
	var b strings.Builder
	b.WriteString(line(t.Header))
	shown := 0
	for _, row := range t.Rows {
		l := line(row)
		if shown == maxTableRows || b.Len()+1+len(l) > budget {
			break
		}
		b.WriteString("\n" + l)
		shown++
	}
	if more := len(t.Rows) - shown; more > 0 {
		fmt.Fprintf(&b, "\n…and %d more", more)
	}
	return fence + "\n" + b.String() + "\n" + fence
}

func notesText(notes []string) string {
	var parts []string
	for _, n := range notes {
		parts = append(parts, "_Note:_ "+escape(n))
	}
	return strings.Join(parts, "\n")
}

// buttons offers suggestions as buttons that ask them.
func buttons(suggestions []string) slackapi.Block {
	var els []slackapi.BlockElement
	for i, s := range suggestions {
		if i == maxButtons {
			break
		}
		label := slackapi.NewTextBlockObject(slackapi.PlainTextType, clip(s, maxButtonText), false, false)
		els = append(els, slackapi.NewButtonBlockElement(fmt.Sprintf("%s_%d", ActionAsk, i), clip(s, maxButtonValue), label))
	}
	return slackapi.NewActionBlock("suggestions", els...)
}

func fallback(a model.Answer) string {
	s := a.Summary
	if h := headline(a); h != "" && s == "" {
		s = h
	}
	return escape(clip(s, maxFallback))
}

func section(id, mrkdwn string) slackapi.Block {
	return slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, clip(mrkdwn, maxSectionText), false, false), nil, nil, slackapi.SectionBlockOptionBlockID(id))
}

func contextBlock(id, mrkdwn string) slackapi.Block {
	return slackapi.NewContextBlock(id, slackapi.NewTextBlockObject(slackapi.MarkdownType, clip(mrkdwn, maxContextText), false, false))
}

// fitBlocks keeps a message within Block Kit's block limit.
func fitBlocks(blocks []slackapi.Block) []slackapi.Block {
	if len(blocks) <= maxBlocks {
		return blocks
	}
	more := len(blocks) - (maxBlocks - 1)
	return append(blocks[:maxBlocks-1:maxBlocks-1], contextBlock("more", fmt.Sprintf("…and %d more", more)))
}

// clip cuts s to n characters (runes), ending in "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// escape makes text safe in mrkdwn: Slack reads &, < and > as markup.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return mrkdwnEscaper.Replace(s)
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func chartTitle(a model.Answer) string {
	if h := headline(a); h != "" {
		return clip(h, 200)
	}
	return clip(a.Question, 200)
}
