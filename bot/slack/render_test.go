package slack

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"testing"
	"time"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

var fresh = []model.Freshness{
	{Source: "google_ads", LastDay: day(11, 24)}, {Source: "meta", LastDay: day(11, 24)}, {Source: "criteo", LastDay: day(11, 22)},
}

func row(key map[string]string, vals ...any) model.Row {
	r := model.Row{Key: key, Values: model.Values{}}
	for i := 0; i < len(vals); i += 2 {
		r.Values[model.MetricID(vals[i].(string))] = model.Float(vals[i+1].(float64))
	}
	return r
}

func platformRows() []model.Row {
	spend := map[string]float64{"google_ads": 460782, "meta": 308091, "amazon_ads": 180708, "the_trade_desk": 118524, "tiktok": 74909, "criteo": 72215, "microsoft_ads": 57213, "pinterest": 43754}
	var rows []model.Row
	for _, p := range model.Platforms {
		r := row(map[string]string{"platform": p.ID}, "spend", spend[p.ID], "roas", 2+float64(len(p.ID))/10)
		rows = append(rows, r)
	}
	return rows
}

// renderCases are answers of every kind, as the engine shapes them.
func renderCases() map[string]bot.Reply {
	last := period.Period{Start: day(11, 16), End: day(11, 22)}
	before := period.Period{Start: day(11, 9), End: day(11, 15)}
	october := period.Period{Start: day(10, 1), End: day(10, 31)}

	value := model.Answer{Question: "What was total spend last week?", Intent: "value", Metrics: []model.MetricID{model.Spend}, Period: last,
		Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{}, Total: row(nil, "spend", 360296.0),
		Summary:   "Total spend last week (Nov 16–22, 2026) was $360,296.",
		SoWhat:    "Spend is up 3.1% vs the week before (Nov 9–15, 2026). The biggest driver is Meta Advantage+ Shopping (+$1,825 of the +$10,958 change). Next: no action needed; keep watching Meta Advantage+ Shopping.",
		Freshness: fresh}

	compare := model.Answer{Question: "How did Meta CPA change last week?", Intent: "compare", Metrics: []model.MetricID{model.CPA}, Period: last, ComparePeriod: &before,
		Filters: map[string][]string{"platform": {"meta"}}, GroupBy: []string{}, Rows: []model.Row{},
		Total:     model.Row{Values: model.Values{model.CPA: model.Float(50.08)}, CompareValues: model.Values{model.CPA: model.Float(38.42)}},
		Summary:   "Meta CPA last week (Nov 16–22, 2026) was $50.08, up 30.4% from $38.42 the week before (Nov 9–15, 2026).",
		SoWhat:    "CPA is up 30.4% vs the week before, which is a warning sign. The biggest driver is Meta Advantage+ Shopping (+$12.10 of the +$11.66 change).",
		Freshness: fresh[1:2]}

	breakdown := model.Answer{Question: "spend by platform last month", Intent: "breakdown", Metrics: []model.MetricID{model.Spend, model.ROAS}, Period: october,
		Filters: map[string][]string{}, GroupBy: []string{"platform"}, Rows: platformRows(), Total: row(nil, "spend", 1316196.0, "roas", 2.61),
		Summary:   "Total spend last month (Oct 1–31, 2026) by platform: $1,316,196 in all; Google Ads is highest at $460,782 (35.0% of the total).",
		SoWhat:    "Pinterest is $43,754, a tenth of Google Ads's $460,782. Next: check that the mix matches where returns are best.",
		Notes:     []string{"Criteo data ends Nov 22, so the latest days are missing from these figures."},
		Freshness: fresh}

	var weeks []model.Row
	for i := range 8 {
		weeks = append(weeks, row(map[string]string{"week": day(9, 28).AddDate(0, 0, 7*i).Format(period.DateLayout)}, "spend", 286794+float64(i)*10500))
	}
	trend := model.Answer{Question: "weekly spend trend for the last 8 weeks", Intent: "trend", Metrics: []model.MetricID{model.Spend},
		Period: period.Period{Start: day(9, 28), End: day(11, 22)}, Filters: map[string][]string{}, GroupBy: []string{"week"}, Rows: weeks,
		Total:   row(nil, "spend", 2544630.0),
		Summary: "Total weekly Spend the last 8 weeks (Sep 28 – Nov 22, 2026): from $286,794 (week of Sep 28) to $360,296 (week of Nov 16), up 25.6%.",
		SoWhat:  "The latest week is 15.5% above the average of the earlier ones ($312,046).", Freshness: fresh}

	var campaigns []model.Row
	for i := range 60 {
		campaigns = append(campaigns, row(map[string]string{"campaign": fmt.Sprintf("Campaign %02d <Q4> & friends", i+1)}, "spend", 9000-float64(i)*100))
	}
	big := model.Answer{Question: "spend by campaign last week", Intent: "breakdown", Metrics: []model.MetricID{model.Spend}, Period: last,
		Filters: map[string][]string{}, GroupBy: []string{"campaign"}, Rows: campaigns, Total: row(nil, "spend", 363000.0),
		Summary: "Total spend last week by campaign: $363,000 in all; Campaign 01 <Q4> & friends is highest at $9,000.", Freshness: fresh}

	clarify := model.Answer{Question: "how did we do", Intent: "value", Metrics: []model.MetricID{}, Period: last, Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{},
		Clarify: "Which metric: spend, revenue, ROAS, CPA or another?", Summary: "Which metric: spend, revenue, ROAS, CPA or another?",
		Suggestions: []string{"Spend last week", "ROAS last week", "CPA last week"}}

	unknown := model.Answer{Question: "what's the weather", Intent: "unknown", Metrics: []model.MetricID{}, Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{},
		Summary: "I can't answer that from the marketing data. I answer questions about spend, results and efficiency across your ad platforms.",
		Clarify: "Did you mean one of these?", Suggestions: []string{"How did Meta CPA change last week?", "Compare google and meta roas last month", "What was our blended CAC last month? It is a long question that goes past the seventy-five characters a button can show"}}

	help := model.Answer{Question: "help", Intent: "help", Metrics: []model.MetricID{}, Filters: map[string][]string{}, GroupBy: []string{}, Rows: []model.Row{},
		Summary:     "I answer questions about your ad platforms and business results from one set of numbers.",
		SoWhat:      "Metrics: spend, ROAS, CPA, CAC, MER. Periods: yesterday, last week, MTD, last month, Q3, YoY.",
		Suggestions: []string{"How did Meta CPA change last week?", "Are we on budget this month?", "Why did ROAS drop last week?", "Top 5 campaigns by spend yesterday", "Weekly spend trend", "One too many"}}

	return map[string]bot.Reply{
		"value":           {Answer: &value},
		"compare":         {Answer: &compare},
		"breakdown":       {Answer: &breakdown},
		"breakdown_brief": {Answer: &breakdown, Brief: true},
		"trend":           {Answer: &trend},
		"big_table":       {Answer: &big},
		"clarify":         {Answer: &clarify},
		"unknown":         {Answer: &unknown},
		"help":            {Answer: &help},
		"refusal":         {Notice: "CAC is shared only in the channels cleared for it, or in a direct message with me for people cleared to see it.", Private: true},
	}
}

func TestRenderGolden(t *testing.T) {
	for name, r := range renderCases() {
		t.Run(name, func(t *testing.T) {
			msg := Render(r)
			checkLimits(t, msg)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(msg); err != nil {
				t.Fatal(err)
			}
			goldenJSON(t, name+".golden.json", buf.Bytes())
		})
	}
}

// checkLimits holds a rendered message to Block Kit's limits.
func checkLimits(t *testing.T, msg Message) {
	t.Helper()
	b, err := json.Marshal(msg.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []struct {
		Type     string `json:"type"`
		Text     *struct{ Text string }
		Fields   []struct{ Text string }
		Elements []struct {
			Text  json.RawMessage `json:"text"`
			Value string          `json:"value"`
		}
	}
	if err := json.Unmarshal(b, &blocks); err != nil {
		t.Fatal(err)
	}
	if len(blocks) == 0 || len(blocks) > maxBlocks {
		t.Errorf("%d blocks, want 1..%d", len(blocks), maxBlocks)
	}
	if msg.Text == "" || utf8.RuneCountInString(msg.Text) > maxFallback {
		t.Errorf("fallback text %d characters", utf8.RuneCountInString(msg.Text))
	}
	for _, bl := range blocks {
		if bl.Text != nil && utf8.RuneCountInString(bl.Text.Text) > maxSectionText {
			t.Errorf("%s block text %d characters, over %d", bl.Type, utf8.RuneCountInString(bl.Text.Text), maxSectionText)
		}
		if len(bl.Fields) > 10 {
			t.Errorf("%d fields in a section", len(bl.Fields))
		}
		for _, el := range bl.Elements {
			if bl.Type != "actions" {
				continue
			}
			var label struct{ Text string }
			_ = json.Unmarshal(el.Text, &label)
			if utf8.RuneCountInString(label.Text) > maxButtonText || len(el.Value) > maxButtonValue {
				t.Errorf("button %q too long", label.Text)
			}
		}
	}
}

func TestFitBlocks(t *testing.T) {
	var many []slackapi.Block
	for i := range 70 {
		many = append(many, section(fmt.Sprint(i), "x"))
	}
	got := fitBlocks(many)
	if len(got) != maxBlocks {
		t.Fatalf("%d blocks, want %d", len(got), maxBlocks)
	}
	b, _ := json.Marshal(got[maxBlocks-1])
	if !bytes.Contains(b, []byte("…and 21 more")) {
		t.Errorf("last block %s, want …and 21 more", b)
	}
}
