package slack

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/wording"
)

// financeMetrics are the metrics kept to the finance channel.
var financeMetrics = model.MetricIDs(bot.DefaultSensitiveMetrics)

// hiddenGrid is what people ask in a channel, each question with the
// follow-ups asked in its thread.
var hiddenGrid = []struct {
	q      string
	follow []string
}{
	{"ROAS last week", []string{"and for Google?", "what about last month?", "by platform"}},
	{"What was total spend by platform last week?", []string{"and ROAS?"}},
	{"Why did ROAS drop last week?", []string{"and for Meta?"}},
	{"Revenue trend by month this year", nil},
	{"Compare this month vs last month", nil},
	{"Top 5 campaigns by ROAS last month", nil},
	{"Are we on budget this month?", nil},
	{"Brand lift studies", nil},
	{"How did we do last week?", []string{"what about last month?"}},
	{"Revenue last week", nil},
	{"ROAS yesterday", nil},
	{"Business revenue last month", nil},
	{"Business revenue by channel last month", nil},
	{"Why did business revenue change last week?", nil},
	{"ROAS last month vs last year", nil},
	{"help", nil},
	{"What was our incrementality last month?", nil},
	{"What was our LTV last month?", nil},
}

// shown is what one question's reply put in front of its readers: every
// post's text and blocks (headline, so-what, table cells and headers,
// notes, suggestions) and the answers its charts were drawn from.
type shown struct {
	question string
	text     string
	charts   []model.Answer
}

// chartRecorder keeps the answers charts are drawn from, by the order they
// were asked for.
type chartRecorder struct {
	mu      sync.Mutex
	answers []model.Answer
}

func (c *chartRecorder) chart(a model.Answer) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answers = append(c.answers, a.Clone())
	return nil, false, nil // nothing uploaded: the answer is what is checked
}

func (c *chartRecorder) all() []model.Answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.answers)
}

// askGrid asks hiddenGrid in channel and returns what each reply showed.
func askGrid(t *testing.T, channel string, pol *bot.Policy) ([]shown, *data.Store) {
	t.Helper()
	f := newFakeSlack(t)
	charts := &chartRecorder{}
	logs := &lockedBuffer{}
	h := newHarness(t, f, harnessConfig{botOpts: []bot.Option{bot.WithPolicy(pol), bot.WithCharter(charts.chart), bot.WithUserRate(bot.Rate{N: 1000, Per: time.Minute}),
		bot.WithLogger(slog.New(slog.NewTextHandler(logs, nil)))}})
	var out []shown
	seq := 0
	ask := func(text, thread string) string {
		t.Helper()
		seq++
		n, c := len(f.Posts()), len(charts.all())
		ts := fmt.Sprintf("1790000100.%06d", seq)
		mustStatus(t, h.mention(fmt.Sprintf("Ev0GRID%s%03d", channel, seq), channel, "U0ASKER", text, ts, thread, nil), 200)
		posts := f.waitPosts(t, n+1, 20*time.Second)
		if thread == "" {
			thread = ts // a mention is answered in its own thread
		}
		s := shown{question: text}
		for _, p := range posts[n:] {
			s.text += p.Text + "\n" + p.Blocks + "\n"
		}
		s.charts = charts.all()[c:]
		out = append(out, s)
		return thread
	}
	for _, g := range hiddenGrid {
		thread := ask(g.q, "")
		for _, fu := range g.follow {
			ask(fu, thread)
		}
	}
	h.drain()
	// The engine was told what is hidden: the last check finds nothing.
	if l := logs.String(); strings.Contains(l, "hidden metric") {
		t.Errorf("the last check had to take something out in %s:\n%s", channel, l)
	}
	return out, h.st
}

// lockedBuffer is a log destination safe for the bot's workers.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// financeValues are the finance metrics' values the grid's answers could
// show, as answers print them: each period's total and, where defined,
// each platform's, computed from the query layer.
func financeValues(t *testing.T, st *data.Store) []string {
	t.Helper()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	ps := []period.Period{lastWeek, {Start: day(11, 9), End: day(11, 15)}, lastMonth, {Start: day(9, 1), End: day(9, 30)},
		{Start: day(11, 1), End: day(11, 24)}, {Start: day(10, 1), End: day(10, 24)}, {Start: day(11, 24), End: day(11, 24)},
		{Start: day(11, 23), End: day(11, 23)}, {Start: day(1, 1), End: day(11, 24)},
		{Start: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)}}
	for m := time.January; m <= time.October; m++ {
		ps = append(ps, period.Period{Start: day(m, 1), End: day(m+1, 1).AddDate(0, 0, -1)})
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		for _, groupBy := range [][]string{nil, {model.DimPlatform}} {
			res, err := st.Run(context.Background(), data.Query{Metrics: financeMetrics, Period: p, GroupBy: groupBy})
			if err != nil {
				t.Fatal(err)
			}
			rows := append([]model.Row{res.Total}, res.Rows...)
			for _, r := range rows {
				for _, m := range financeMetrics {
					if v := r.Values[m]; v != nil {
						if s := wording.Metric(m, v); !seen[s] {
							seen[s] = true
							out = append(out, s)
						}
					}
				}
			}
		}
	}
	return out
}

// leaks lists what of the finance metrics a reply showed: their names, the
// values above, and their ids in the answers charts were drawn from.
func leaks(s shown, values []string) []string {
	var out []string
	if model.Mentions(s.text, financeMetrics) {
		out = append(out, "a finance metric's name")
	}
	for _, v := range values {
		if showsFigure(s.text, v) {
			out = append(out, v)
		}
	}
	for _, a := range s.charts {
		carried := slices.ContainsFunc(a.Metrics, func(m model.MetricID) bool { return slices.Contains(financeMetrics, m) })
		for _, r := range append([]model.Row{a.Total}, a.Rows...) {
			for _, m := range financeMetrics {
				_, in := r.Values[m]
				carried = carried || in
			}
		}
		if carried {
			out = append(out, "a chart series of a finance metric")
		}
	}
	return out
}

// TestFinanceMetricsNeverShownOutsideClearedChannels asks the grid in a
// marketing channel and in the finance channel. In marketing no reply
// shows a finance metric: not its name or any alias, not one of its values
// (computed from the query layer), not a chart series, and nothing says
// it was left out. In finance the same questions still show them, so the
// filter is the channel's, not the questions'.
func TestFinanceMetricsNeverShownOutsideClearedChannels(t *testing.T) {
	pol, err := bot.NewPolicy(bot.PolicyConfig{SensitiveMetrics: bot.DefaultSensitiveMetrics, SensitiveChannels: []string{"C0FINANCE"}})
	if err != nil {
		t.Fatal(err)
	}
	marketing, st := askGrid(t, "C0MARKETING", pol)
	finance, _ := askGrid(t, "C0FINANCE", pol)
	values := financeValues(t, st)
	carried := 0
	for _, s := range finance {
		if l := leaks(s, values); len(l) > 0 {
			carried++
			t.Logf("in finance %q shows %v", s.question, l)
		}
	}
	for _, s := range marketing {
		if l := leaks(s, values); len(l) > 0 {
			t.Errorf("%q in marketing shows %v:\n%s", s.question, l, s.text)
		}
		for _, said := range []string{"hidden", "withheld", "left out", "cleared for"} {
			if strings.Contains(strings.ToLower(s.text), said) {
				t.Errorf("%q in marketing says what it left out (%q):\n%s", s.question, said, s.text)
			}
		}
	}
	t.Logf("answers carrying a finance metric: %d of %d in the finance channel (as every channel got before), 0 of %d in marketing",
		carried, len(finance), len(marketing))

	mer := wording.Metric(model.MER, total(t, st, model.MER, lastWeek, nil))
	if !showsFigure(finance[0].text, mer) {
		t.Errorf("%q in finance does not show last week's MER %s:\n%s", finance[0].question, mer, finance[0].text)
	}
	if carried < 3 {
		t.Errorf("only %d answers in finance carry a finance metric: the grid no longer tests the filter", carried)
	}
}

// showsFigure reports whether text shows the figure v whole: "$122" is not
// in "$122,441", nor "4.2" in "14.25".
func showsFigure(text, v string) bool {
	re := regexp.MustCompile(`(?:^|[^\d.,])` + regexp.QuoteMeta(v) + `(?:$|[^\d.,]|[.,](?:$|\D))`)
	return re.MatchString(text)
}

// TestWithheldDigestRendered renders the CFO and CEO digests as a channel
// not cleared for finance metrics gets them: the note is in the posted
// blocks, and no finance metric's name is, in any block or the fallback
// text.
func TestWithheldDigestRendered(t *testing.T) {
	st := openStore(t, testDB(t))
	b := reports.NewBuilder(intents.New(st, intents.WithLogger(testLogger())), nil, testLogger())
	for _, aud := range []model.Audience{model.AudienceCFO, model.AudienceCEO} {
		t.Run(string(aud), func(t *testing.T) {
			d, err := b.BuildFor(context.Background(), reports.PreviewConfig(aud), asOf, financeMetrics)
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, m := range RenderDigest(d) {
				checkMessage(t, m)
				all.WriteString(m.Text + "\n")
				all.Write(encodeJSON(t, m.Blocks))
			}
			if !strings.Contains(all.String(), reports.WithheldNote) {
				t.Errorf("the rendered digest lacks %q", reports.WithheldNote)
			}
			if model.Mentions(all.String(), financeMetrics) {
				t.Errorf("the rendered digest names a finance metric:\n%s", all.String())
			}
		})
	}
}
