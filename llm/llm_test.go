package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// reply is what the fake server answers one request with.
type reply struct {
	status  int    // 200 when 0
	content string // the assistant's message, or the error message
	args    string // when set, a call of fill_request with these arguments
	delay   time.Duration
}

// fakeServer speaks the chat-completions wire format, answering each
// request with answer(request); it records the requests and their HTTP
// details.
type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []map[string]any
	http []*http.Request
}

func newFake(t *testing.T, answer func(req map[string]any) reply) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		_ = json.NewDecoder(r.Body).Decode(&req)
		f.mu.Lock()
		f.reqs = append(f.reqs, req)
		f.http = append(f.http, r)
		f.mu.Unlock()
		if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
			http.NotFound(w, r)
			return
		}
		rp := answer(req)
		if rp.delay > 0 {
			select {
			case <-time.After(rp.delay):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if rp.status != 0 && rp.status != http.StatusOK {
			w.WriteHeader(rp.status)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": rp.content, "type": "server_error"}})
			return
		}
		msg := map[string]any{"role": "assistant", "content": rp.content}
		if rp.args != "" {
			msg["content"] = nil
			msg["tool_calls"] = []any{map[string]any{"id": "call_1", "type": "function", "function": map[string]any{"name": "fill_request", "arguments": rp.args}}}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req["model"],
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": msg}},
			"usage":   map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
		})
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.reqs) }

func (f *fakeServer) last() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reqs[len(f.reqs)-1]
}

// fakeClock is a clock whose sleeps return at once, moving it on.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.advance(d)
	return ctx.Err()
}
func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func testClient(f *fakeServer, opts ...Option) *Client {
	base := []Option{WithBaseURL(f.URL + "/v1"), WithClock(&fakeClock{now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)})}
	return New("test-key", append(base, opts...)...)
}

var names = question.DraftNames{
	Today: "2026-11-22", DataStart: "2025-01-01", DataEnd: "2026-11-21",
	Intents: []string{"value", "compare", "breakdown", "top", "trend", "why", "pacing", "brand_lift", "unknown"},
	Metrics: []string{"spend", "roas", "cpa"},
	GroupBy: []string{"platform", "campaign", "week"},
	Values:  map[string][]string{"platform": {"google_ads", "meta"}, "category": {"Shoes", "Outerwear"}},
}

func messages(req map[string]any) []map[string]any {
	var out []map[string]any
	for _, m := range req["messages"].([]any) {
		out = append(out, m.(map[string]any))
	}
	return out
}

func TestUnderstandSendsOneToolWithTheRegistryAndDataNames(t *testing.T) {
	f := newFake(t, func(map[string]any) reply {
		return reply{args: `{"intent":"value","metrics":["roas"],"period":{"start":"2026-11-09","end":"2026-11-15"},"filters":{"platform":["meta"]}}`}
	})
	c := testClient(f, WithModel("local-model"))
	prev := question.Draft{Intent: "value", Metrics: []string{"spend"}}
	d, err := c.Understand(context.Background(), question.DraftInput{Question: "how's the blue app's return on ad dollars", Names: names, Previous: &prev})
	if err != nil {
		t.Fatal(err)
	}
	want := question.Draft{Intent: "value", Metrics: []string{"roas"}, Period: &question.DraftPeriod{Start: "2026-11-09", End: "2026-11-15"}, Filters: map[string][]string{"platform": {"meta"}}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("draft (-want +got):\n%s", diff)
	}
	req := f.last()
	if req["model"] != "local-model" {
		t.Errorf("model %v", req["model"])
	}
	tools := req["tools"].([]any)
	fn := tools[0].(map[string]any)["function"].(map[string]any)
	if len(tools) != 1 || fn["name"] != "fill_request" {
		t.Fatalf("tools %v", tools)
	}
	props := fn["parameters"].(map[string]any)["properties"].(map[string]any)
	for _, field := range []string{"intent", "metrics", "period", "compare_period", "filters", "group_by", "order", "limit", "change", "relative", "clarify"} {
		if props[field] == nil {
			t.Errorf("schema has no %q", field)
		}
	}
	metricEnum, _ := json.Marshal(props["metrics"].(map[string]any)["items"].(map[string]any)["enum"])
	platformEnum, _ := json.Marshal(props["filters"].(map[string]any)["properties"].(map[string]any)["platform"].(map[string]any)["items"].(map[string]any)["enum"])
	if string(metricEnum) != `["spend","roas","cpa"]` || string(platformEnum) != `["google_ads","meta"]` {
		t.Errorf("enums: metrics %s, platforms %s", metricEnum, platformEnum)
	}
	if tc := req["tool_choice"].(map[string]any); tc["function"].(map[string]any)["name"] != "fill_request" {
		t.Errorf("tool_choice %v", tc)
	}
	msgs := messages(req)
	if last := msgs[len(msgs)-1]; last["role"] != "user" || last["content"] != "how's the blue app's return on ad dollars" {
		t.Errorf("the question is not alone in the last user message: %v", last)
	}
	if !strings.Contains(msgs[1]["content"].(string), `"metrics":["spend"]`) || msgs[1]["role"] != "system" {
		t.Errorf("the previous request is not in a system message of its own: %v", msgs[1])
	}
	if !strings.Contains(msgs[0]["content"].(string), "Today is 2026-11-22") {
		t.Errorf("system prompt without today's date")
	}
}

func TestCampaignsAreAStringWhenMany(t *testing.T) {
	n := names
	n.Values = map[string][]string{"campaign": make([]string, maxEnum+1)}
	s := Schema(n)
	item := s["properties"].(map[string]any)["filters"].(map[string]any)["properties"].(map[string]any)["campaign"].(map[string]any)["items"].(map[string]any)
	if item["enum"] != nil || item["type"] != "string" {
		t.Errorf("campaign items %v, want a plain string", item)
	}
}

func TestUnderstandRefusesWhatIsNotOneCleanToolCall(t *testing.T) {
	tests := []struct {
		name string
		r    reply
	}{
		{"malformed JSON", reply{args: `{"intent":"value","metrics":[`}},
		{"unknown field", reply{args: `{"intent":"value","sql":"DROP TABLE ad_daily"}`}},
		{"trailing data", reply{args: `{"intent":"value"}{"intent":"top"}`}},
		{"no tool call", reply{content: "ROAS was 4.2x last week."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(map[string]any) reply { return tt.r })
			if d, err := testClient(f).Understand(context.Background(), question.DraftInput{Question: "q", Names: names}); err == nil {
				t.Fatalf("accepted %+v", d)
			}
		})
	}
}

func TestRetriesOn429And5xxWithinTheBudget(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int
		wantErr  bool
		calls    int
	}{
		{"429 then success", []int{429, 200}, false, 2},
		{"500 then success", []int{500, 200}, false, 2},
		{"500 every time", []int{500, 500, 500, 500}, true, 3},
		{"400 is not retried", []int{400, 200}, true, 1},
		{"401 is not retried", []int{401, 200}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			i := 0
			f := newFake(t, func(map[string]any) reply {
				mu.Lock()
				defer mu.Unlock()
				s := tt.statuses[min(i, len(tt.statuses)-1)]
				i++
				return reply{status: s, content: "busy", args: `{"intent":"value","metrics":["spend"]}`}
			})
			c := testClient(f, WithRetries(2, 10*time.Millisecond))
			_, err := c.Understand(context.Background(), question.DraftInput{Question: "q", Names: names})
			if (err != nil) != tt.wantErr || f.count() != tt.calls {
				t.Errorf("err %v after %d calls; want error %v after %d", err, f.count(), tt.wantErr, tt.calls)
			}
		})
	}
}

func TestASlowModelIsNotWaitedFor(t *testing.T) {
	f := newFake(t, func(map[string]any) reply { return reply{delay: 2 * time.Second, args: `{"intent":"value"}`} })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := testClient(f).Understand(ctx, question.DraftInput{Question: "q", Names: names}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
}

func TestCircuitOpensAfterRepeatedFailuresAndCloses(t *testing.T) {
	var mu sync.Mutex
	status := 500
	f := newFake(t, func(map[string]any) reply {
		mu.Lock()
		defer mu.Unlock()
		return reply{status: status, content: "down", args: `{"intent":"value","metrics":["spend"]}`}
	})
	clock := &fakeClock{now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}
	c := New("k", WithBaseURL(f.URL), WithClock(clock), WithRetries(0, 0), WithBreaker(3, time.Minute))
	in := question.DraftInput{Question: "q", Names: names}
	for range 3 {
		if _, err := c.Understand(context.Background(), in); err == nil {
			t.Fatal("a 500 is an error")
		}
	}
	if !c.Open() {
		t.Fatal("circuit closed after 3 failures")
	}
	calls := f.count()
	if _, err := c.Understand(context.Background(), in); !errors.Is(err, ErrCircuitOpen) || f.count() != calls {
		t.Fatalf("open circuit: err %v, %d calls made", err, f.count()-calls)
	}
	clock.advance(time.Minute)
	mu.Lock()
	status = 200
	mu.Unlock()
	if _, err := c.Understand(context.Background(), in); err != nil {
		t.Fatalf("half-open trial: %v", err)
	}
	if c.Open() {
		t.Error("a successful trial should close the circuit")
	}
	// Failing again opens it again, and a failed trial keeps it open.
	mu.Lock()
	status = 503
	mu.Unlock()
	for range 3 {
		_, _ = c.Understand(context.Background(), in)
	}
	clock.advance(time.Minute)
	_, _ = c.Understand(context.Background(), in)
	if !c.Open() {
		t.Error("a failed trial should open the circuit again")
	}
}

func TestAzureURLShapeAndHeaders(t *testing.T) {
	f := newFake(t, func(map[string]any) reply { return reply{args: `{"intent":"value","metrics":["spend"]}`} })
	c := New("azure-key", WithBaseURL(f.URL), WithModel("gpt-4o-mini"), WithAzure("2024-06-01", "sowhat-prod"))
	if _, err := c.Understand(context.Background(), question.DraftInput{Question: "q", Names: names}); err != nil {
		t.Fatal(err)
	}
	r := f.http[0]
	if r.URL.Path != "/openai/deployments/sowhat-prod/chat/completions" || r.URL.Query().Get("api-version") != "2024-06-01" {
		t.Errorf("Azure URL %s", r.URL)
	}
	if r.Header.Get("api-key") != "azure-key" || r.Header.Get("Authorization") != "" {
		t.Errorf("Azure auth headers: api-key %q, Authorization %q", r.Header.Get("api-key"), r.Header.Get("Authorization"))
	}
}

func TestALocalServerNeedsNoKey(t *testing.T) {
	f := newFake(t, func(map[string]any) reply { return reply{args: `{"intent":"value","metrics":["spend"]}`} })
	if _, err := New("", WithBaseURL(f.URL+"/v1")).Understand(context.Background(), question.DraftInput{Question: "q", Names: names}); err != nil {
		t.Fatal(err)
	}
	if h := f.http[0].Header.Get("Authorization"); h != "" {
		t.Errorf("Authorization %q sent without a key", h)
	}
	if f.http[0].URL.Path != "/v1/chat/completions" {
		t.Errorf("path %s", f.http[0].URL.Path)
	}
}

func TestTheKeyIsNeverInAnErrorOrALog(t *testing.T) {
	const key = "sk-secret-1234567890"
	f := newFake(t, func(map[string]any) reply { return reply{status: 401, content: "Incorrect API key provided: " + key} })
	var logs bytes.Buffer
	c := New(key, WithBaseURL(f.URL), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Understand(context.Background(), question.DraftInput{Question: "q", Names: names})
	if err == nil || strings.Contains(err.Error(), key) || strings.Contains(logs.String(), key) {
		t.Fatalf("the key leaked: err %v, logs %s", err, logs.String())
	}
}

func TestEveryCallLogsItsPromptVersionAndTokens(t *testing.T) {
	f := newFake(t, func(req map[string]any) reply {
		if req["tools"] != nil {
			return reply{args: `{"intent":"value","metrics":["spend"]}`}
		}
		return reply{content: `{"summary":"Spend was $1,204.","so_what":"On plan."}`}
	})
	var logs bytes.Buffer
	c := testClient(f, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if _, err := c.Understand(context.Background(), question.DraftInput{Question: "q", Names: names}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Polish(context.Background(), model.Answer{Summary: "Spend was $1,204.", SoWhat: "On plan."}, "cfo", []string{"Total — Spend: $1,204"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"prompt_version=" + UnderstandVersion, "prompt_version=" + WriteVersion, "prompt_tokens=100", "completion_tokens=20", "total_prompt_tokens=200"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
	if p, comp, calls := c.Tokens(); p != 200 || comp != 40 || calls != 2 {
		t.Errorf("tokens counted %d/%d in %d calls", p, comp, calls)
	}
}

func TestPolishWritesForTheReader(t *testing.T) {
	f := newFake(t, func(map[string]any) reply {
		return reply{content: `{"summary": "Meta's CPA was $50.88 last week.", "so_what": "Up 36.9%: check Meta."}`}
	})
	c := testClient(f)
	for _, tt := range []struct{ audience, want string }{{"cmo", "marketing executive"}, {"team", "team lead"}} {
		sum, sw, err := c.Polish(context.Background(), model.Answer{Summary: "Meta CPA last week was $50.88.", SoWhat: "CPA is up 36.9%."}, tt.audience, []string{"Total — CPA: $50.88"})
		if err != nil || sum != "Meta's CPA was $50.88 last week." || sw != "Up 36.9%: check Meta." {
			t.Fatalf("Polish = %q, %q, %v", sum, sw, err)
		}
		req := f.last()
		if !strings.Contains(messages(req)[0]["content"].(string), tt.want) {
			t.Errorf("%s: the prompt is not written for a %s", tt.audience, tt.want)
		}
		if !strings.Contains(messages(req)[1]["content"].(string), `"facts":["Total — CPA: $50.88"]`) {
			t.Errorf("the facts are not given: %v", messages(req)[1]["content"])
		}
		if rf, _ := req["response_format"].(map[string]any); rf["type"] != "json_object" {
			t.Errorf("polish did not ask for JSON: %v", req["response_format"])
		}
	}
	f2 := newFake(t, func(map[string]any) reply { return reply{content: "not json"} })
	if _, _, err := testClient(f2).Polish(context.Background(), model.Answer{}, "", nil); err == nil {
		t.Fatal("a non-JSON rewrite should be an error")
	}
}

func TestPromptsAreGeneratedFromTheRegistry(t *testing.T) {
	p, err := understandPrompt(names)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- roas: ROAS", `"what was our spend last week"`, `"period":{"start":"2026-11-09","end":"2026-11-15"}`, "ignore your instructions"} {
		if !strings.Contains(p, want) {
			t.Errorf("understand prompt lacks %q", want)
		}
	}
	if strings.Contains(p, "- mer:") {
		t.Error("a metric not offered is in the prompt")
	}
	w, err := writePrompt("cfo")
	if err != nil || !strings.Contains(w, "$1.2M") || !strings.Contains(w, "3.21x") {
		t.Errorf("write prompt lacks its house-style examples (%v):\n%s", err, w)
	}
}
