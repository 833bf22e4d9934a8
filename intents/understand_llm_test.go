package intents

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/llm"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// chatModel is a fake OpenAI-compatible server: understand calls (those
// offering tools) are answered with a call of the tool whose arguments are
// tool(question, request); write calls with write(request) as the
// assistant's JSON. status, when set, is returned instead.
type chatModel struct {
	tool   func(q string, req map[string]any) string
	write  func(req map[string]any) string
	status int
	delay  time.Duration

	mu   sync.Mutex
	reqs []map[string]any
}

func (m *chatModel) serve(t *testing.T) *llm.Client {
	t.Helper()
	return llm.New("test-key", llm.WithBaseURL(baseURL(t, m)), llm.WithRetries(1, time.Millisecond))
}

// baseURL starts the fake model's server and returns its API URL.
func baseURL(t *testing.T, m *chatModel) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(m.handler))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

// handler answers one chat-completions request.
func (m *chatModel) handler(w http.ResponseWriter, r *http.Request) {
	var req map[string]any
	_ = json.NewDecoder(r.Body).Decode(&req)
	m.mu.Lock()
	m.reqs = append(m.reqs, req)
	m.mu.Unlock()
	if m.delay > 0 {
		select {
		case <-time.After(m.delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if m.status != 0 {
		w.WriteHeader(m.status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": "model down", "type": "server_error"}})
		return
	}
	msgs := req["messages"].([]any)
	user := msgs[len(msgs)-1].(map[string]any)["content"].(string)
	msg := map[string]any{"role": "assistant"}
	switch {
	case req["tools"] != nil && m.tool != nil:
		msg["tool_calls"] = []any{map[string]any{"id": "call_1", "type": "function", "function": map[string]any{"name": "fill_request", "arguments": m.tool(user, req)}}}
	case req["tools"] == nil && m.write != nil:
		msg["content"] = m.write(req)
	default:
		msg["content"] = "I can't help with that."
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "c1", "object": "chat.completion", "created": 1, "model": "fake",
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": msg}},
		"usage":   map[string]any{"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
	})
}

func (m *chatModel) requests() []map[string]any {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]map[string]any(nil), m.reqs...)
}

// paraphrase is a question the parser alone cannot place, the arguments a
// model would fill for it, and the figure that answers it.
type paraphrase struct {
	q, args string
	metric  model.MetricID
	sql     string
}

// lastWeek and lastMonth are as of asOf.
const (
	lastWeek  = `"period":{"start":"2026-11-09","end":"2026-11-15"}`
	lastMonth = `"period":{"start":"2026-10-01","end":"2026-10-31"}`
	yesterday = `"period":{"start":"2026-11-21","end":"2026-11-21"}`
)

var paraphrases = []paraphrase{
	{"is the blue app eating our wallet", `{"intent":"value","metrics":["cpa"],` + lastWeek + `,"filters":{"platform":["meta"]}}`, model.CPA,
		`SELECT SUM(spend)/SUM(conversions) FROM ad_daily WHERE platform='meta' AND date BETWEEN '2026-11-09' AND '2026-11-15'`},
	{"what's zuck costing us per sale these days", `{"intent":"value","metrics":["cpa"],` + lastWeek + `,"filters":{"platform":["meta"]}}`, model.CPA,
		`SELECT SUM(spend)/SUM(conversions) FROM ad_daily WHERE platform='meta' AND date BETWEEN '2026-11-09' AND '2026-11-15'`},
	{"are the search guys pulling their weight", `{"intent":"value","metrics":["roas"],` + lastWeek + `,"filters":{"platform":["google_ads"]}}`, model.ROAS,
		`SELECT SUM(revenue)/SUM(spend) FROM ad_daily WHERE platform='google_ads' AND date BETWEEN '2026-11-09' AND '2026-11-15'`},
	{"give me the damage on the social side for october", `{"intent":"value","metrics":["spend"],` + lastMonth + `,"filters":{"platform":["meta"]}}`, model.Spend,
		`SELECT SUM(spend) FROM ad_daily WHERE platform='meta' AND date BETWEEN '2026-10-01' AND '2026-10-31'`},
	{"how much dough went out the door on ads a day ago", `{"intent":"value","metrics":["spend"],` + yesterday + `}`, model.Spend,
		`SELECT SUM(spend) FROM ad_daily WHERE date = '2026-11-21'`},
	{"what was the haul from paid a day back", `{"intent":"value","metrics":["revenue"],` + yesterday + `}`, model.Revenue,
		`SELECT SUM(revenue) FROM ad_daily WHERE date = '2026-11-21'`},
	{"bang for the buck with the pin board crowd in october", `{"intent":"value","metrics":["roas"],` + lastMonth + `,"filters":{"platform":["pinterest"]}}`, model.ROAS,
		`SELECT SUM(revenue)/SUM(spend) FROM ad_daily WHERE platform='pinterest' AND date BETWEEN '2026-10-01' AND '2026-10-31'`},
	{"how many folks tapped through a day ago", `{"intent":"value","metrics":["clicks"],` + yesterday + `}`, model.Clicks,
		`SELECT SUM(clicks) FROM ad_daily WHERE date = '2026-11-21'`},
	{"was the gadget aisle worth the money in october", `{"intent":"value","metrics":["roas"],` + lastMonth + `,"filters":{"category":["electronics"]}}`, model.ROAS,
		`SELECT SUM(revenue)/SUM(spend) FROM ad_daily WHERE category='Electronics' AND date BETWEEN '2026-10-01' AND '2026-10-31'`},
	{"who ate the october pie among the ad networks", `{"intent":"breakdown","metrics":["spend"],` + lastMonth + `,"group_by":["platform"]}`, model.Spend,
		`SELECT SUM(spend) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`},
	{"which pushes bled the most per customer win in october", `{"intent":"top","metrics":["cpa"],` + lastMonth + `,"group_by":["campaign"],"order":"desc","limit":5}`, model.CPA,
		`SELECT SUM(spend)/SUM(conversions) FROM ad_daily WHERE date BETWEEN '2026-10-01' AND '2026-10-31'`},
	{"how many eyeballs did the amazon stuff get over the prior week", `{"intent":"value","metrics":["impressions"],` + lastWeek + `,"filters":{"platform":["amazon_ads"]}}`, model.Impressions,
		`SELECT SUM(impressions) FROM ad_daily WHERE platform='amazon_ads' AND date BETWEEN '2026-11-09' AND '2026-11-15'`},
}

// toolFor answers each paraphrase with its arguments.
func toolFor(ps []paraphrase) func(string, map[string]any) string {
	return func(q string, _ map[string]any) string {
		for _, p := range ps {
			if p.q == q {
				return p.args
			}
		}
		return `{"intent":"unknown","clarify":"Which metric do you mean?"}`
	}
}

func TestParaphrasesAnsweredThroughTheTool(t *testing.T) {
	e, db := demoDB(t)
	fake := &chatModel{tool: toolFor(paraphrases)}
	me := New(e.Store(), WithUnderstander(fake.serve(t)))
	for _, p := range paraphrases {
		t.Run(p.q, func(t *testing.T) {
			if a := ask(t, e, p.q); a.Intent != string(question.IntentUnknown) && a.Clarify == "" {
				t.Fatalf("the parser alone reads %q as %s; pick a phrasing it misses", p.q, a.Intent)
			}
			a, req, err := me.Ask(context.Background(), p.q, asOf, "")
			if err != nil {
				t.Fatal(err)
			}
			if a.Question != p.q || a.Clarify != "" || len(req.Metrics) == 0 {
				t.Fatalf("answer %+v", a)
			}
			approx(t, string(p.metric), a.Total.Values[p.metric], one(t, db, p.sql))
		})
	}
}

func TestAFollowUpGoesToTheToolWithTheThreadsRequest(t *testing.T) {
	e, db := demoDB(t)
	var prevSeen string
	fake := &chatModel{tool: func(q string, req map[string]any) string {
		for _, m := range req["messages"].([]any) {
			if c, _ := m.(map[string]any)["content"].(string); strings.Contains(c, "previous request") {
				prevSeen = c
			}
		}
		return `{"intent":"value","metrics":["spend"],` + lastWeek + `,"filters":{"platform":["meta"]}}`
	}}
	me := New(e.Store(), WithUnderstander(fake.serve(t)))
	_, first, err := me.Ask(context.Background(), "what was google spend last week", asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.requests()) != 0 {
		t.Fatal("the model was asked about a question the parser reads")
	}
	a, _, err := me.AskFollowUp(context.Background(), "what about the blue app", asOf, "", &first)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prevSeen, `"filters":{"platform":["google_ads"]}`) || !strings.Contains(prevSeen, `"metrics":["spend"]`) {
		t.Fatalf("the previous request was not sent: %q", prevSeen)
	}
	approx(t, "meta spend", a.Total.Values[model.Spend], one(t, db, `SELECT SUM(spend) FROM ad_daily WHERE platform='meta' AND date BETWEEN '2026-11-09' AND '2026-11-15'`))
}

// TestUnderstandingFallsBack: whatever goes wrong with the model, the
// parser's reply stands.
func TestUnderstandingFallsBack(t *testing.T) {
	e, _ := demoDB(t)
	const q = "is the blue app eating our wallet"
	plain := ask(t, e, q)
	args := func(s string) func(string, map[string]any) string {
		return func(string, map[string]any) string { return s }
	}
	tests := []struct {
		name  string
		model *chatModel
	}{
		{"timeout", &chatModel{delay: 2 * time.Second, tool: args(`{"intent":"value","metrics":["cpa"]}`)}},
		{"500s", &chatModel{status: 500}},
		{"429s", &chatModel{status: 429}},
		{"malformed JSON", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"`)}},
		{"unknown field", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],"sql":"SELECT * FROM ad_daily"}`)}},
		{"unknown metric", &chatModel{tool: args(`{"intent":"value","metrics":["happiness"],` + lastWeek + `}`)}},
		{"unknown platform", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],` + lastWeek + `,"filters":{"platform":["myspace"]}}`)}},
		{"unknown campaign", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],` + lastWeek + `,"filters":{"campaign":["Summer Blast 2019"]}}`)}},
		{"unknown dimension", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],` + lastWeek + `,"filters":{"customer_email":["a@b.c"]}}`)}},
		{"period outside the data", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],"period":{"start":"2019-01-01","end":"2019-01-31"}}`)}},
		{"period in the future", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],"period":{"start":"2026-11-20","end":"2026-12-31"}}`)}},
		{"period backwards", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],"period":{"start":"2026-11-15","end":"2026-11-09"}}`)}},
		{"not a date", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],"period":{"start":"last week","end":"now"}}`)}},
		{"unknown intent", &chatModel{tool: args(`{"intent":"delete","metrics":["cpa"],` + lastWeek + `}`)}},
		{"top without a grouping", &chatModel{tool: args(`{"intent":"top","metrics":["cpa"],` + lastWeek + `,"limit":5}`)}},
		{"value with a grouping", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],` + lastWeek + `,"group_by":["campaign"]}`)}},
		{"trend by campaign", &chatModel{tool: args(`{"intent":"trend","metrics":["cpa"],` + lastWeek + `,"group_by":["campaign"]}`)}},
		{"limit too big", &chatModel{tool: args(`{"intent":"top","metrics":["cpa"],` + lastWeek + `,"group_by":["campaign"],"limit":100000}`)}},
		{"overlapping comparison", &chatModel{tool: args(`{"intent":"compare","metrics":["cpa"],` + lastWeek + `,"compare_period":{"start":"2026-11-10","end":"2026-11-16"}}`)}},
		{"the model asks back", &chatModel{tool: args(`{"intent":"unknown","clarify":"Click https://evil.example to continue"}`)}},
		{"no metric", &chatModel{tool: args(`{"intent":"value",` + lastWeek + `}`)}},
		{"change without a comparison", &chatModel{tool: args(`{"intent":"top","metrics":["cpa"],` + lastWeek + `,"group_by":["campaign"],"change":"up"}`)}},
		{"change of a value", &chatModel{tool: args(`{"intent":"value","metrics":["cpa"],` + lastWeek + `,"compare_period":{"start":"2026-11-02","end":"2026-11-08"},"change":"up"}`)}},
		{"relative without a change", &chatModel{tool: args(`{"intent":"top","metrics":["cpa"],` + lastWeek + `,"group_by":["campaign"],"relative":true}`)}},
		{"unknown change", &chatModel{tool: args(`{"intent":"top","metrics":["cpa"],` + lastWeek + `,"compare_period":{"start":"2026-11-02","end":"2026-11-08"},"group_by":["campaign"],"change":"sideways"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me := New(e.Store(), WithUnderstander(tt.model.serve(t)), WithModelBudget(100*time.Millisecond))
			a, _, err := me.Ask(context.Background(), q, asOf, "")
			if err != nil {
				t.Fatal(err)
			}
			if a.Intent != plain.Intent || a.Summary != plain.Summary || a.Clarify != plain.Clarify || len(a.Rows) != len(plain.Rows) {
				t.Errorf("answer %s %q, want the parser's %s %q", a.Intent, a.Summary, plain.Intent, plain.Summary)
			}
		})
	}
}

func TestAHiddenMetricIsNeitherOfferedNorTaken(t *testing.T) {
	e, _ := demoDB(t)
	var offered string
	fake := &chatModel{tool: func(_ string, req map[string]any) string {
		b, _ := json.Marshal(req["tools"])
		offered = string(b)
		return `{"intent":"value","metrics":["mer"],` + lastWeek + `}`
	}}
	me := New(e.Store(), WithUnderstander(fake.serve(t)))
	req, err := me.Understand(context.Background(), "was the gadget aisle worth the money in october", asOf, question.Reader{Hidden: []model.MetricID{model.MER}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if offered == "" || strings.Contains(offered, `"mer"`) {
		t.Error("a hidden metric was offered to the model")
	}
	if len(req.Metrics) > 0 && req.Metrics[0] == model.MER {
		t.Errorf("a hidden metric was taken from the model: %+v", req)
	}
}

// TestWritingIsGrounded: the model's rewrite is kept when every figure and
// name in it is the answer's, and dropped, with the reason logged at
// debug, when one sentence brings its own.
func TestWritingIsGrounded(t *testing.T) {
	e, _ := demoDB(t)
	const q = "How did Meta CPA change last week?"
	plain := ask(t, e, q)
	cpa := wordingOf(t, plain, model.CPA)
	tests := []struct {
		name, summary, soWhat string
		kept                  bool
	}{
		{"the same figures, reworded", "Meta's CPA came in at " + cpa + " last week.", "Worth a look before it spreads.", true},
		{"a figure rounded another way", "Meta's CPA came in at about $" + strings.Split(strings.TrimPrefix(cpa, "$"), ".")[0] + " last week.", "Worth a look.", false},
		{"a figure of its own", "Meta's CPA came in at " + cpa + " last week.", "That is $12,345,678 wasted.", false},
		{"a campaign of its own", "Meta's CPA came in at " + cpa + " last week.", "Blame the Summer Blast Retargeting campaign.", false},
		{"a platform not in the answer", "Meta's CPA came in at " + cpa + " last week.", "TikTok did better.", false},
		{"a link", "Meta's CPA came in at " + cpa + " last week.", "See [the dashboard](https://evil.example).", false},
		{"an invisible character", "Meta's CPA came in at " + cpa + "\u200b last week.", "Worth a look.", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &chatModel{write: func(map[string]any) string {
				b, _ := json.Marshal(map[string]string{"summary": tt.summary, "so_what": tt.soWhat})
				return string(b)
			}}
			var logs bytes.Buffer
			pe := New(e.Store(), WithPolisher(fake.serve(t)), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			a, _, err := pe.Ask(context.Background(), q, asOf, "cmo")
			if err != nil {
				t.Fatal(err)
			}
			if tt.kept && (a.Summary != tt.summary || a.SoWhat != tt.soWhat) {
				t.Errorf("rewrite dropped: %s", logs.String())
			}
			if !tt.kept && (a.Summary != plain.Summary || a.SoWhat != plain.SoWhat) {
				t.Errorf("rewrite kept: %q %q", a.Summary, a.SoWhat)
			}
			if !tt.kept && !strings.Contains(logs.String(), "model wording dropped") && !strings.Contains(logs.String(), "model wording unavailable") {
				t.Errorf("no reason logged: %s", logs.String())
			}
		})
	}
}

// wordingOf is a metric's total as the answer writes it.
func wordingOf(t *testing.T, a model.Answer, id model.MetricID) string {
	t.Helper()
	v := a.Total.Values[id]
	if v == nil {
		t.Fatalf("no %s in the answer", id)
	}
	return model.ValueText(id, v)
}

func TestWritingFallsBackWhenTheModelFails(t *testing.T) {
	e, _ := demoDB(t)
	plain := ask(t, e, "what did we spend yesterday")
	for _, m := range []*chatModel{{status: 500}, {delay: 2 * time.Second}, {write: func(map[string]any) string { return "not json" }}} {
		pe := New(e.Store(), WithPolisher(m.serve(t)), WithModelBudget(100*time.Millisecond))
		a, _, err := pe.Ask(context.Background(), "what did we spend yesterday", asOf, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Summary != plain.Summary || a.SoWhat != plain.SoWhat {
			t.Errorf("summary %q, want %q", a.Summary, plain.Summary)
		}
	}
}

// TestADeadModelCostsNothing: once the circuit opens, questions are
// answered without calling the model at all; a 429 followed by success is
// retried within the budget and answered through the tool.
func TestADeadModelCostsNothing(t *testing.T) {
	e, db := demoDB(t)
	const q = "is the blue app eating our wallet"
	plain := ask(t, e, q)
	dead := &chatModel{status: 503}
	c := llm.New("k", llm.WithBaseURL(baseURL(t, dead)), llm.WithRetries(0, 0), llm.WithBreaker(2, time.Hour))
	me := New(e.Store(), WithUnderstander(c))
	for range 4 {
		a, _, err := me.Ask(context.Background(), q, asOf, "")
		if err != nil || a.Summary != plain.Summary {
			t.Fatalf("answer %q, %v", a.Summary, err)
		}
	}
	if n := len(dead.requests()); n != 2 || !c.Open() {
		t.Errorf("%d calls made to a dead model (open %v), want 2 before the circuit opened", n, c.Open())
	}

	var mu sync.Mutex
	calls := 0
	flaky := &chatModel{tool: toolFor(paraphrases)}
	flakySrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"message":"slow down","type":"rate_limit"}}`))
			return
		}
		flaky.handler(w, r)
	}))
	t.Cleanup(flakySrv.Close)
	fe := New(e.Store(), WithUnderstander(llm.New("k", llm.WithBaseURL(flakySrv.URL+"/v1"), llm.WithRetries(2, time.Millisecond))))
	a, _, err := fe.Ask(context.Background(), q, asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "cpa after a 429", a.Total.Values[model.CPA], one(t, db, paraphrases[0].sql))
}

// TestAMoversDraftRanksTheMove: a model that reads "which aisles took off
// in october" as categories whose revenue rose the most against September
// gets a ranking by how far each rose, as the parser's own movers do.
func TestAMoversDraftRanksTheMove(t *testing.T) {
	e, _ := demoDB(t)
	const q = "which aisles took off in october"
	if a := ask(t, e, q); a.Intent != string(question.IntentUnknown) {
		t.Fatalf("the parser alone reads %q as %s; pick a phrasing it misses", q, a.Intent)
	}
	fake := &chatModel{tool: func(string, map[string]any) string {
		return `{"intent":"top","metrics":["revenue"],` + lastMonth + `,"compare_period":{"start":"2026-09-01","end":"2026-09-30"},"group_by":["category"],"change":"up","limit":3}`
	}}
	me := New(e.Store(), WithUnderstander(fake.serve(t)))
	a, req, err := me.Ask(context.Background(), q, asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	if req.Change != "up" || !strings.Contains(a.Summary, "rose the most") {
		t.Fatalf("change %q, summary %q", req.Change, a.Summary)
	}
	prev := math.Inf(1)
	for _, r := range a.Rows {
		cur, old := r.Values[model.Revenue], r.CompareValues[model.Revenue]
		if cur == nil || old == nil || *cur-*old <= 0 || *cur-*old > prev {
			t.Fatalf("rows not ranked by how far each rose: %v", a.Rows)
		}
		prev = *cur - *old
	}
}
