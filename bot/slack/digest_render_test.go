package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/reports"
)

// tinyPNGBytes is a 2×1 PNG, standing in for a chart.
var tinyPNGBytes = func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.Black)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

// fixtureDigest is a CMO digest made of the render cases' answers, so its
// layout is checked apart from the demo data's numbers.
func fixtureDigest(t *testing.T) *reports.Digest {
	t.Helper()
	cases := renderCases()
	before := period.Period{Start: day(11, 9), End: day(11, 15), Label: "the week before"}
	criteo := "Criteo data ends Nov 22, so the latest days are missing from these figures."
	trend := *cases["trend"].Answer
	trend.Notes = []string{criteo, "Weeks run Monday to Sunday."}
	return &reports.Digest{
		Name: "cmo-weekly", Audience: model.AudienceCMO, Title: "CMO digest",
		Period:        period.Period{Start: day(11, 16), End: day(11, 22), Label: "last week"},
		ComparePeriod: &before,
		Filters:       map[string][]string{"platform": {"meta", "google_ads"}},
		Highlights: []reports.Highlight{
			{Text: "Meta CPA up 30.4% to $50.08 (from $38.42 the week before), driven mostly by Meta Advantage+ Shopping.", Section: "Meta CPA"},
			{Text: "Spend up 3.1% to $360,296 (from $349,338 the week before).", Section: "Spend"},
			{Text: "Weekly spend in Nov 16–22 was $360,296, 15.5% above the average of the 7 weeks before ($312,046).", Section: "Weekly spend"},
		},
		Sections: []reports.Section{
			{Title: "Spend", Answer: *cases["value"].Answer, Change: "vs Nov 9–15, 2026: Spend $360,296 (+3.1%)"},
			{Title: "Meta CPA", Answer: *cases["compare"].Answer, Change: "vs Nov 9–15, 2026: CPA $50.08 (+30.4%)"},
			{Title: "Spend by platform <Q4> & more", Answer: *cases["breakdown"].Answer, Chart: "spend-by-platform.png",
				Table: &reports.Table{Title: "Projected month end at the current pace (Nov 2026)", Header: []string{"Platform", "Projected", "Month budget", "vs budget"},
					Rows: [][]string{{"Google Ads", "$475,107", "$477,800", "-0.6%"}, {"Meta", "$319,719", "$319,800", "-0.0%"}, {"Total", "$794,826", "$797,600", "-0.3%"}}}},
			{Title: "Weekly spend", Answer: trend, Chart: "weekly-spend.png"},
			{Title: "Which metric", Answer: *cases["clarify"].Answer},
		},
		Notes:  []string{criteo},
		Charts: []reports.Chart{{Name: "spend-by-platform.png", PNG: tinyPNGBytes}, {Name: "weekly-spend.png", PNG: tinyPNGBytes}},
	}
}

// fixtureAlerts are an alert that opened and one that cleared.
func fixtureAlerts() map[string]reports.Alert {
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	return map[string]reports.Alert{
		"alert_opened": {Rule: "overspend", Kind: reports.RuleOverspend, Subject: "the_trade_desk", Status: reports.StatusOpened,
			Title: "Alert: The Trade Desk spent 24.1% over plan yesterday",
			What:  "The Trade Desk spent $4,102 on Tue Nov 24 against a pro-rated plan of $3,305: 24.1% over, $797 more than budgeted in one day (the alert is set at 10%).",
			Cause: "Q4 Prospecting <CTV> added the most spend: $2,240 yesterday, +$610 on the same day last week.",
			Next:  "Trim The Trade Desk's daily budgets by about 19.4%, starting with Q4 Prospecting <CTV>, to land on plan — or agree a higher plan if the extra spend is paying back.",
			At:    at, Channels: []string{"slack:C0ALERTS"}},
		"alert_cleared": {Rule: "overspend", Kind: reports.RuleOverspend, Subject: "the_trade_desk", Status: reports.StatusCleared,
			Title: "Cleared: The Trade Desk spend vs plan",
			What:  "The Trade Desk spent $3,290 on Wed Nov 25 against a plan of $3,305. This has cleared; it opened Tue Nov 24 09:00 UTC: The Trade Desk spent $4,102 on Tue Nov 24.",
			At:    at.Add(24 * time.Hour), Channels: []string{"slack:C0ALERTS"}},
	}
}

// goldenJSON compares got with testdata/name, rewriting it with -update.
func goldenJSON(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

func encodeJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRenderDigestGolden(t *testing.T) {
	d := fixtureDigest(t)
	msgs := RenderDigest(d)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the fixture in one", len(msgs))
	}
	checkMessage(t, msgs[0])
	js, err := DigestJSON(d)
	if err != nil {
		t.Fatal(err)
	}
	goldenJSON(t, "digest.golden.json", append(js, '\n'))

	blocks := string(encodeJSON(t, msgs[0].Blocks))
	for _, want := range []string{"CMO digest · last week (Nov 16–22, 2026)", "What matters this period", "*1. Spend*", "*5. Which metric*",
		"Change vs Nov 9–15, 2026: CPA $50.08", "*So what:*", "Projected month end", "_Chart in the thread:_ spend-by-platform.png",
		"Spend by platform &lt;Q4&gt; &amp; more", "only Meta, Google Ads"} {
		if !strings.Contains(blocks, want) {
			t.Errorf("blocks lack %q", want)
		}
	}
	// A note the sections share is said once, at the end; one of their
	// own stays with its section.
	if n := strings.Count(blocks, "Criteo data ends Nov 22"); n != 1 {
		t.Errorf("the shared note is said %d times, want once", n)
	}
	if !strings.Contains(blocks, "Weeks run Monday to Sunday.") {
		t.Error("a section's own note was dropped")
	}
}

func TestRenderAlertGolden(t *testing.T) {
	for name, a := range fixtureAlerts() {
		t.Run(name, func(t *testing.T) {
			msg := RenderAlert(a, a.Text())
			checkMessage(t, msg)
			goldenJSON(t, name+".golden.json", encodeJSON(t, msg))
			js := string(encodeJSON(t, msg.Blocks))
			if a.Status == reports.StatusCleared {
				if !strings.Contains(js, "Cleared: The Trade Desk") || strings.Contains(js, "Next step") {
					t.Errorf("cleared alert reads:\n%s", js)
				}
				return
			}
			for _, want := range []string{"*What happened:*", "*Likely cause:* Q4 Prospecting &lt;CTV&gt;", "*Next step:*"} {
				if !strings.Contains(js, want) {
					t.Errorf("alert lacks %q", want)
				}
			}
		})
	}
	// An alert that cleared says so even when its title doesn't.
	a := fixtureAlerts()["alert_cleared"]
	a.Title = "The Trade Desk spend vs plan"
	if js := string(encodeJSON(t, RenderAlert(a, "").Blocks)); !strings.Contains(js, "Cleared: The Trade Desk spend vs plan") {
		t.Errorf("cleared alert without cleared in its title:\n%s", js)
	}
}

// longDigest has n sections, each with a 60-row table: far more than one
// message holds.
func longDigest(t *testing.T, n int) *reports.Digest {
	t.Helper()
	d := fixtureDigest(t)
	big := *renderCases()["big_table"].Answer
	big.SoWhat = strings.Repeat("Campaign spend is concentrated at the top. ", 20)
	d.Sections = nil
	for i := range n {
		d.Sections = append(d.Sections, reports.Section{Title: fmt.Sprintf("Campaigns part %02d", i+1), Answer: big, Change: "vs Nov 9–15, 2026: Spend $363,000 (+1.0%)"})
	}
	return d
}

func TestLongDigestIsSplitBetweenSections(t *testing.T) {
	d := longDigest(t, 14)
	msgs := RenderDigest(d)
	if len(msgs) < 3 {
		t.Fatalf("%d messages for 14 long sections, want it split", len(msgs))
	}
	var all strings.Builder
	for i, m := range msgs {
		checkMessage(t, m)
		js := string(encodeJSON(t, m.Blocks))
		if i > 0 && !strings.Contains(js, fmt.Sprintf("continued (%d of %d)", i+1, len(msgs))) {
			t.Errorf("message %d does not say it continues the digest", i+1)
		}
		all.WriteString(js)
	}
	for i, s := range d.Sections {
		heading := fmt.Sprintf("*%d. %s*", i+1, s.Title)
		if n := strings.Count(all.String(), heading); n != 1 {
			t.Errorf("section %q appears %d times, want once", s.Title, n)
		}
	}
	// Sections are whole: each message's sections each end with their
	// table, before the next heading.
	for i, m := range msgs {
		var ids []string
		for _, b := range m.Blocks {
			if sb, ok := b.(*slackapi.SectionBlock); ok && strings.HasSuffix(sb.BlockID, "_headline") {
				ids = append(ids, strings.TrimSuffix(sb.BlockID, "_headline"))
			}
		}
		for _, id := range ids {
			if !hasBlock(m.Blocks, id+"_table") {
				t.Errorf("message %d holds section %s without its table", i+1, id)
			}
		}
	}
	if !strings.Contains(all.String(), "Data: Criteo through Nov 22") {
		t.Error("the data line was dropped")
	}
	if msgs[1].Text == "" || !strings.Contains(msgs[1].Text, "continued") || !strings.Contains(msgs[1].Text, "Campaigns part") {
		t.Errorf("a reply's notification text %q names neither the digest nor its sections", msgs[1].Text)
	}
}

func hasBlock(blocks []slackapi.Block, id string) bool {
	for _, b := range blocks {
		if sb, ok := b.(*slackapi.SectionBlock); ok && sb.BlockID == id {
			return true
		}
	}
	return false
}

func TestPackCutsAnOversizedGroup(t *testing.T) {
	var blocks []slackapi.Block
	for i := range 120 {
		blocks = append(blocks, section(fmt.Sprint(i), "x"))
	}
	parts := pack([]group{{name: "huge", blocks: blocks}})
	total := 0
	for i, p := range parts {
		if len(p.blocks) > maxBlocks || (i > 0 && len(p.blocks) > maxBlocks-1) {
			t.Errorf("part %d has %d blocks", i+1, len(p.blocks))
		}
		total += len(p.blocks)
	}
	if total != 120 || len(parts) != 3 {
		t.Errorf("%d blocks in %d parts, want 120 in 3", total, len(parts))
	}
}

// TestDemoDigestsFit renders every audience's digest from the demo data:
// each within Block Kit's limits, no section lost.
func TestDemoDigestsFit(t *testing.T) {
	st := openStore(t, testDB(t))
	b := reports.NewBuilder(intents.New(st, intents.WithLogger(testLogger())), nil, testLogger())
	for _, aud := range model.Audiences {
		t.Run(string(aud), func(t *testing.T) {
			d, err := b.Build(context.Background(), reports.PreviewConfig(aud), asOf)
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, m := range RenderDigest(d) {
				checkMessage(t, m)
				all.Write(encodeJSON(t, m.Blocks))
			}
			for i, s := range d.Sections {
				if !strings.Contains(all.String(), fmt.Sprintf("*%d. %s*", i+1, escape(s.Title))) {
					t.Errorf("section %q is missing", s.Title)
				}
			}
		})
	}
}

// checkMessage holds a message to Block Kit's limits and Slack's: unique
// block ids, a header within its length, the text of all blocks within
// what one message takes.
func checkMessage(t *testing.T, m Message) {
	t.Helper()
	checkLimits(t, m)
	seen := map[string]bool{}
	for _, b := range m.Blocks {
		js, _ := json.Marshal(b)
		var v struct {
			BlockID string `json:"block_id"`
			Type    string `json:"type"`
			Text    struct{ Text string }
		}
		_ = json.Unmarshal(js, &v)
		if v.BlockID != "" && seen[v.BlockID] {
			t.Errorf("block id %q twice in one message", v.BlockID)
		}
		seen[v.BlockID] = true
		if v.Type == "header" && len([]rune(v.Text.Text)) > maxHeaderText {
			t.Errorf("header of %d characters", len([]rune(v.Text.Text)))
		}
	}
	if n := blocksText(m.Blocks); n > maxMessageText {
		t.Errorf("%d characters of block text, over %d", n, maxMessageText)
	}
}
