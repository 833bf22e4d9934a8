package teams

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/chart"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
	"github.com/sowhat-ai/sowhat/reports"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// tinyPNG is a 2×1 PNG, standing in for a chart.
var tinyPNG = func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.Black)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

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

func indent(t *testing.T, v any) []byte {
	t.Helper()
	b, err := marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := jsonIndent(&out, b); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// askEngine answers q on the demo data as of asOf.
func askEngine(t *testing.T, st *data.Store, q string) model.Answer {
	t.Helper()
	eng := intents.New(st)
	ctx := context.Background()
	req, err := eng.Understand(ctx, q, asOf, question.Reader{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := eng.Answer(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestGoldenCards(t *testing.T) {
	st, err := data.Open(context.Background(), testDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	answer := func(q string) *model.Answer { a := askEngine(t, st, q); return &a }
	cases := []struct {
		name  string
		reply bot.Reply
		png   []byte
	}{
		{"value", bot.Reply{Answer: answer("What was total spend last week?")}, nil},
		{"compare", bot.Reply{Answer: answer("How did Meta CPA change last week?")}, nil},
		{"breakdown_chart", bot.Reply{Answer: answer("spend by platform last month")}, tinyPNG},
		{"breakdown_brief", bot.Reply{Answer: answer("spend by platform last month"), Brief: true}, nil},
		{"overview", bot.Reply{Answer: answer("how are we doing")}, nil},
		{"clarify", bot.Reply{Answer: &model.Answer{Question: "show me the numbers", Intent: "clarify", Summary: "Which numbers do you mean?", Clarify: "Which numbers do you mean?", Suggestions: []string{"What was total spend last week?", "ROAS by platform last month"}}}, nil},
		{"notice", bot.Reply{Notice: "Sorry — you're not on the list of people I answer yet."}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			act := Render(c.reply, c.png)
			if n := ActivitySize(act); n > MaxActivitySize {
				t.Errorf("%d bytes, over the budget", n)
			}
			goldenJSON(t, c.name+".golden.json", indent(t, act))
		})
	}
}

func TestGoldenDigestAndAlert(t *testing.T) {
	st, err := data.Open(context.Background(), testDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := &reports.Digest{Name: "cmo-weekly", Audience: model.AudienceCMO, Title: "CMO digest", Period: period.Period{Start: lastWeek.Start, End: lastWeek.End, Label: "last week"},
		Highlights: []reports.Highlight{{Text: "Meta CPA up sharply last week.", Section: "Meta CPA"}},
		Sections: []reports.Section{
			{Title: "Spend", Answer: askEngine(t, st, "What was total spend last week?"), Change: "vs the week before: Spend (+3.1%)"},
			{Title: "Spend by platform", Answer: askEngine(t, st, "spend by platform last week"), Chart: "spend-by-platform.png",
				Table: &reports.Table{Title: "Projected month end", Header: []string{"Platform", "Projected"}, Rows: [][]string{{"Google Ads", "$475,107"}}}},
		},
		Charts: []reports.Chart{{Name: "spend-by-platform.png", PNG: tinyPNG}},
	}
	acts := publication(reports.DigestMessage(d))
	if len(acts) != 1 {
		t.Fatalf("%d cards, want the digest in one", len(acts))
	}
	goldenJSON(t, "digest.golden.json", indent(t, acts[0]))
	goldenJSON(t, "digest_chart.golden.json", indent(t, chartCard(reports.DigestMessage(d), d.Charts[0])))
	alert := reports.Alert{Rule: "overspend", Kind: reports.RuleOverspend, Subject: "the_trade_desk", Status: reports.StatusOpened,
		Title: "Alert: The Trade Desk spent 24.1% over plan yesterday", What: "The Trade Desk spent $4,102 on Tue Nov 24 against a pro-rated plan of $3,305.",
		Cause: "Campaign TTD Prospecting drove most of it.", Next: "Check its daily cap."}
	goldenJSON(t, "alert.golden.json", indent(t, publication(reports.AlertMessage(alert))[0]))
}

// TestOversizeAnswerTrimmed renders an answer too big for one message —
// hundreds of rows with long names, in a script that costs two UTF-16
// bytes a character, and a big chart — and checks what is kept: the card
// fits the budget, the chart goes first, then rows, with "…and N more".
func TestOversizeAnswerTrimmed(t *testing.T) {
	var rows []model.Row
	for i := range 400 {
		rows = append(rows, model.Row{Key: map[string]string{"campaign": fmt.Sprintf("キャンペーン %03d %s", i, strings.Repeat("長い名前", 40))},
			Values: model.Values{model.Spend: model.Float(float64(1000 + i))}})
	}
	a := model.Answer{Question: "spend by campaign", Intent: "breakdown", Metrics: []model.MetricID{model.Spend}, GroupBy: []string{"campaign"}, Rows: rows,
		Total: model.Row{Values: model.Values{model.Spend: model.Float(123456)}}, Summary: strings.Repeat("Spend by campaign. ", 200), SoWhat: "Look at the top one."}
	big := bytes.Repeat([]byte{0x89}, 70*1024)
	act := Render(bot.Reply{Answer: &a}, big)
	n := ActivitySize(act)
	if n > MaxActivitySize {
		t.Fatalf("%d bytes, over the %d budget", n, MaxActivitySize)
	}
	raw, _ := marshal(act)
	if bytes.Contains(raw, []byte("data:image/png")) {
		t.Error("the chart was kept though the card is over budget with it")
	}
	if !bytes.Contains(raw, []byte("more")) || !bytes.Contains(raw, []byte("キャンペーン 000")) {
		t.Errorf("want the first rows and \"…and N more\":\n%.2000s", raw)
	}
	// A real chart of a normal answer stays in.
	st, err := data.Open(context.Background(), testDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ans := askEngine(t, st, "weekly spend trend for the last 8 weeks")
	png, ok, err := chart.Render(ans)
	if err != nil || !ok {
		t.Fatalf("chart %v %v", ok, err)
	}
	act = Render(bot.Reply{Answer: &ans}, png)
	raw, _ = marshal(act)
	if !bytes.Contains(raw, []byte("data:image/png;base64,")) || ActivitySize(act) > MaxActivitySize {
		t.Errorf("a %d-byte chart was dropped, or the card is %d bytes", len(png), ActivitySize(act))
	}
}

func TestActivitySizeCountsUTF16(t *testing.T) {
	cases := []struct {
		in   any
		want int
	}{
		{"ab", 8}, // "ab" with its quotes: 4 units
		{"é", 6},  // one unit
		{"😀", 8},  // a surrogate pair
		{"data:image/png;base64,AAAA", 2 + len("data:image/png;base64,AAAA")}, // bytes, quotes at two
	}
	for _, c := range cases {
		if got := ActivitySize(c.in); got != c.want {
			t.Errorf("ActivitySize(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}
