package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/wording"
)

// Limits of a posted report, beside those of one block (render.go).
const (
	// maxHeaderText is Block Kit's limit on a header's plain text.
	maxHeaderText = 150
	// maxMessageText bounds the text of one message's blocks together:
	// Slack refuses a message whose blocks hold much over 13,000
	// characters (msg_blocks_too_long), below any documented limit.
	maxMessageText = 12000
)

// RenderDigest lays a digest out in Block Kit: its title and period, the
// three things that matter, then each section as the chat answer to its
// question reads (headline and summary, change, so-what, compact table),
// then the notes the sections share and how fresh the data is.
//
// It returns the messages to post in order: the first starts the digest in
// the channel, any others are replies in its thread. A digest that does not
// fit one message (50 blocks, about 12,000 characters) is split between
// sections, so no section is cut or dropped.
func RenderDigest(d *reports.Digest) []Message {
	return renderDigest(d, reports.Text(d))
}

// renderDigest is RenderDigest with the plain text notifications show.
func renderDigest(d *reports.Digest, fallback string) []Message {
	title := digestTitle(d)
	groups := []group{{blocks: digestHead(d, title)}}
	shared := map[string]bool{}
	for _, n := range d.Notes {
		shared[n] = true
	}
	for i, s := range d.Sections {
		groups = append(groups, group{name: fmt.Sprintf("%d. %s", i+1, s.Title), blocks: digestSection(i+1, s, shared)})
	}
	if tail := digestTail(d); len(tail) > 0 {
		groups = append(groups, group{blocks: tail})
	}
	parts := pack(groups)
	msgs := make([]Message, len(parts))
	for i, p := range parts {
		if i == 0 {
			msgs[i] = Message{Text: notification(fallback), Blocks: p.blocks}
			continue
		}
		cont := fmt.Sprintf("%s, continued (%d of %d)", title, i+1, len(parts))
		head := contextBlock(fmt.Sprintf("continued_%d", i+1), "*"+escape(cont)+"*")
		text := cont
		if len(p.names) > 0 {
			text += ": " + strings.Join(p.names, ", ")
		}
		msgs[i] = Message{Text: notification(text), Blocks: append([]slackapi.Block{head}, p.blocks...)}
	}
	return msgs
}

// DigestJSON renders a digest for `sowhat digest --format slack`: the
// chat.postMessage fields (text, blocks) of its first message, with any
// thread replies under "replies".
func DigestJSON(d *reports.Digest) ([]byte, error) {
	msgs := RenderDigest(d)
	out := struct {
		Message
		Replies []Message `json:"replies,omitempty"`
	}{Message: msgs[0], Replies: msgs[1:]}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode digest blocks: %w", err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// digestTitle is "CFO digest · last week (Apr 27 – May 3, 2026)".
func digestTitle(d *reports.Digest) string {
	return d.Title + " · " + wording.LabeledPeriodText(d.Period)
}

// digestHead is the title, what the digest covers and its highlights.
func digestHead(d *reports.Digest, title string) []slackapi.Block {
	blocks := []slackapi.Block{slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, clip(title, maxHeaderText), false, false),
		slackapi.HeaderBlockOptionBlockID("title"))}
	var covers []string
	if d.ComparePeriod != nil {
		covers = append(covers, "Compared with "+wording.LabeledPeriodText(*d.ComparePeriod))
	}
	if f := wording.FiltersText(d.Filters); f != "" {
		covers = append(covers, "only "+f)
	}
	if len(covers) > 0 {
		blocks = append(blocks, contextBlock("covers", escape(strings.Join(covers, " · "))))
	}
	if len(d.Highlights) > 0 {
		var b strings.Builder
		b.WriteString("*What matters this period*")
		for _, h := range d.Highlights {
			b.WriteString("\n• " + escape(h.Text))
		}
		blocks = append(blocks, section("highlights", b.String()))
	}
	return blocks
}

// digestSection renders one section with the answer renderer, its title
// leading the first block, and what the digest adds: the change against
// the comparison period, a derived table, and where its chart is. Block
// ids are numbered by section, as Slack wants them unique in a message.
func digestSection(n int, full reports.Section, shared map[string]bool) []slackapi.Block {
	s, hidden := full.Shown()
	a := sectionAnswer(s.Answer, shared)
	blocks := []slackapi.Block{slackapi.NewDividerBlock()}
	rendered := Render(bot.Reply{Answer: &a}).Blocks
	heading := fmt.Sprintf("*%d. %s*", n, escape(s.Title))
	if sb, ok := rendered[0].(*slackapi.SectionBlock); ok && sb.Text != nil {
		sb.Text.Text = clip(heading+"\n"+sb.Text.Text, maxSectionText)
	} else {
		blocks = append(blocks, section("title", heading))
	}
	blocks = append(blocks, rendered[0])
	if s.Change != "" {
		blocks = append(blocks, contextBlock("change", escape("Change "+s.Change)))
	}
	// What the digest adds goes with the answer's figures, before the
	// context lines that close it (notes, what it rests on).
	rest := rendered[1:]
	end := len(rest)
	for i, b := range rest {
		if _, ok := b.(*slackapi.ContextBlock); ok {
			end = i
			break
		}
	}
	blocks = append(blocks, rest[:end]...)
	if hidden > 0 && len(s.Answer.Rows) > 0 {
		blocks = append(blocks, contextBlock("more", escape("… "+reports.MoreRows(hidden, s.Answer.GroupBy))))
	}
	if s.Table != nil {
		blocks = append(blocks, derivedTable(*s.Table)...)
	}
	if s.Chart != "" {
		blocks = append(blocks, contextBlock("chart", "_Chart in the thread:_ "+escape(s.Chart)))
	}
	blocks = append(blocks, rest[end:]...)
	return numberBlocks(fmt.Sprintf("s%d_", n), blocks)
}

// sectionAnswer is a section's answer as the digest shows it: the notes
// several sections share and the data's freshness are said once, at the
// end of the digest.
func sectionAnswer(a model.Answer, shared map[string]bool) model.Answer {
	notes := a.Notes
	a.Notes, a.Freshness = nil, nil
	for _, note := range notes {
		if !shared[note] && !slices.Contains(a.Notes, note) {
			a.Notes = append(a.Notes, note)
		}
	}
	return a
}

// derivedTable is a section's table of figures derived from its answer,
// under its title; its first column names, the others are numbers.
func derivedTable(t reports.Table) []slackapi.Block {
	numeric := make([]bool, len(t.Header))
	for i := 1; i < len(numeric); i++ {
		numeric[i] = true
	}
	table := tableText(wording.Table{Header: t.Header, Rows: t.Rows, Numeric: numeric})
	text := "*" + escape(t.Title) + "*\n" + table
	if utf8.RuneCountInString(text) > maxSectionText {
		return []slackapi.Block{contextBlock("table_title", "*"+escape(t.Title)+"*"), section("derived", table)}
	}
	return []slackapi.Block{section("derived", text)}
}

// digestTail is the notes several sections share and the data line.
func digestTail(d *reports.Digest) []slackapi.Block {
	var blocks []slackapi.Block
	if n := notesText(d.Notes); n != "" {
		blocks = append(blocks, contextBlock("notes", n))
	}
	if line := reports.DataLine(d); line != "" {
		blocks = append(blocks, contextBlock("data", escape(line)))
	}
	if len(blocks) > 0 {
		blocks = append([]slackapi.Block{slackapi.NewDividerBlock()}, blocks...)
	}
	return blocks
}

// group is blocks that stay together in one message: a digest section,
// named for the fallback text of the message that holds it.
type group struct {
	name   string
	blocks []slackapi.Block
}

// part is one message's worth of groups.
type part struct {
	names  []string
	blocks []slackapi.Block
	text   int
}

func (p *part) add(name string, blocks []slackapi.Block, text int) {
	if name != "" && (len(p.names) == 0 || p.names[len(p.names)-1] != name) {
		p.names = append(p.names, name)
	}
	p.blocks = append(p.blocks, blocks...)
	p.text += text
}

// pack fills messages with groups, starting a new message when the next
// group would pass a message's limits. Messages after the first keep a
// block free for their heading. A group too big for any message (never,
// within the answer renderer's limits) is cut into pieces, not dropped.
func pack(groups []group) []part {
	var parts []part
	var cur part
	room := func() int {
		if len(parts) == 0 {
			return maxBlocks
		}
		return maxBlocks - 1
	}
	flush := func() {
		if len(cur.blocks) > 0 {
			parts = append(parts, cur)
			cur = part{}
		}
	}
	for _, g := range groups {
		blocks := g.blocks
		for len(blocks) > 0 {
			text := blocksText(blocks)
			if len(cur.blocks)+len(blocks) <= room() && cur.text+text <= maxMessageText {
				cur.add(g.name, blocks, text)
				break
			}
			if len(cur.blocks) > 0 {
				flush()
				continue
			}
			// Alone and still too big: take what fits.
			n := 1
			for n < len(blocks) && n < room() && blocksText(blocks[:n+1]) <= maxMessageText {
				n++
			}
			cur.add(g.name, blocks[:n], blocksText(blocks[:n]))
			flush()
			blocks = blocks[n:]
		}
	}
	flush()
	return parts
}

// blocksText counts the characters of the blocks' text, which is what
// Slack's size limit counts.
func blocksText(blocks []slackapi.Block) int {
	n := 0
	for _, b := range blocks {
		n += blockText(b)
	}
	return n
}

func blockText(b slackapi.Block) int {
	switch b := b.(type) {
	case *slackapi.SectionBlock:
		n := textLen(b.Text)
		for _, f := range b.Fields {
			n += textLen(f)
		}
		return n
	case *slackapi.HeaderBlock:
		return textLen(b.Text)
	case *slackapi.ContextBlock:
		n := 0
		for _, el := range b.ContextElements.Elements {
			if t, ok := el.(*slackapi.TextBlockObject); ok {
				n += textLen(t)
			}
		}
		return n
	case *slackapi.DividerBlock:
		return 0
	}
	js, _ := json.Marshal(b)
	return len(js)
}

func textLen(t *slackapi.TextBlockObject) int {
	if t == nil {
		return 0
	}
	return utf8.RuneCountInString(t.Text)
}

// numberBlocks prefixes the blocks' ids, so that several answers' blocks
// can share a message.
func numberBlocks(prefix string, blocks []slackapi.Block) []slackapi.Block {
	for _, b := range blocks {
		switch b := b.(type) {
		case *slackapi.SectionBlock:
			b.BlockID = prefixed(prefix, b.BlockID)
		case *slackapi.ContextBlock:
			b.BlockID = prefixed(prefix, b.BlockID)
		case *slackapi.ActionBlock:
			b.BlockID = prefixed(prefix, b.BlockID)
		}
	}
	return blocks
}

func prefixed(prefix, id string) string {
	if id == "" {
		return ""
	}
	return prefix + id
}

// RenderAlert lays an alert out: what happened, its likely cause and the
// next step, under a title that says when it has cleared. fallback is the
// plain text notifications show.
func RenderAlert(a reports.Alert, fallback string) Message {
	title := a.Title
	if a.Status == reports.StatusCleared && !strings.HasPrefix(strings.ToLower(title), "cleared") {
		title = "Cleared: " + title
	}
	blocks := []slackapi.Block{slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, clip(title, maxHeaderText), false, false),
		slackapi.HeaderBlockOptionBlockID("title"))}
	blocks = append(blocks, section("what", "*What happened:* "+escape(a.What)))
	if a.Cause != "" {
		blocks = append(blocks, section("cause", "*Likely cause:* "+escape(a.Cause)))
	}
	if a.Next != "" {
		blocks = append(blocks, section("next", "*Next step:* "+escape(a.Next)))
	}
	meta := fmt.Sprintf("Alert %s · %s", a.Rule, a.Status)
	if !a.At.IsZero() {
		meta += " · checked " + a.At.Format("Mon Jan 2 15:04 MST")
	}
	blocks = append(blocks, contextBlock("rule", escape(meta)))
	if fallback == "" {
		fallback = title
	}
	return Message{Text: notification(fallback), Blocks: blocks}
}

// renderPlain lays out a message that is neither a digest nor an alert:
// its title, then its text in sections of at most a section's length.
func renderPlain(title, text string) []Message {
	var blocks []slackapi.Block
	if title != "" {
		blocks = append(blocks, slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, clip(title, maxHeaderText), false, false),
			slackapi.HeaderBlockOptionBlockID("title")))
	}
	for i, chunk := range escapedChunks(text, maxSectionText) {
		blocks = append(blocks, section(fmt.Sprintf("text_%d", i+1), chunk))
	}
	fallback := text
	if fallback == "" {
		fallback = title
	}
	groups := make([]group, len(blocks))
	for i, b := range blocks {
		groups[i] = group{blocks: []slackapi.Block{b}}
	}
	parts := pack(groups)
	msgs := make([]Message, len(parts))
	for i, p := range parts {
		msgs[i] = Message{Text: notification(fallback), Blocks: p.blocks}
	}
	return msgs
}

// notification is the escaped fallback text of a message, within its
// limit however much escaping adds.
func notification(s string) string {
	limit := maxFallback
	for {
		e := escape(clip(s, limit))
		over := utf8.RuneCountInString(e) - maxFallback
		if over <= 0 {
			return e
		}
		limit -= over
	}
}

// escapedChunks escapes s and cuts it into pieces of at most n
// characters, between lines where it can, never inside an entity.
func escapedChunks(s string, n int) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if t := strings.TrimRight(cur.String(), "\n"); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		for line != "" {
			e := escape(line)
			if utf8.RuneCountInString(cur.String())+utf8.RuneCountInString(e) <= n {
				cur.WriteString(e)
				break
			}
			if cur.Len() > 0 {
				flush()
				continue
			}
			// One line longer than a piece: cut it where its escaped
			// text fits.
			r := []rune(line)
			k := min(n, len(r))
			for utf8.RuneCountInString(escape(string(r[:k]))) > n {
				k--
			}
			cur.WriteString(escape(string(r[:k])))
			flush()
			line = string(r[k:])
		}
	}
	flush()
	return out
}
