package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// TestShippedEvalSetIsSound: several hundred questions, every expected
// request made only of known names, and the parser still reading the
// phrasings it read when the set was made.
func TestShippedEvalSetIsSound(t *testing.T) {
	set, err := loadEvalSet("")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Questions) < 300 {
		t.Fatalf("%d questions, want several hundred", len(set.Questions))
	}
	seen := map[string]bool{}
	for _, q := range set.Questions {
		if seen[q.Q] {
			t.Errorf("%q twice", q.Q)
		}
		seen[q.Q] = true
		w := q.Want
		for _, m := range w.Metrics {
			if _, ok := model.LookupMetric(model.MetricID(m)); !ok {
				t.Errorf("%q: unknown metric %q", q.Q, m)
			}
		}
		for _, d := range w.GroupBy {
			if !model.IsDimension(d) {
				t.Errorf("%q: unknown dimension %q", q.Q, d)
			}
		}
		for _, p := range w.Filters[model.DimPlatform] {
			if model.PlatformName(p) == p {
				t.Errorf("%q: unknown platform %q", q.Q, p)
			}
		}
		for _, p := range []*evalPeriod{w.Period, w.ComparePeriod} {
			if p == nil {
				continue
			}
			if _, err := time.Parse("2006-01-02", p.Start); err != nil {
				t.Errorf("%q: period %v", q.Q, p)
			}
		}
		if q.Source != "parser" && q.Source != "paraphrase" && q.Source != "refuse" {
			t.Errorf("%q: source %q", q.Q, q.Source)
		}
	}
	out, stderr, code := sowhat(t, map[string]string{"XDG_DATA_HOME": t.TempDir()}, "eval")
	if code != 0 {
		t.Fatalf("eval: %d %s", code, stderr)
	}
	if m := regexp.MustCompile(`source parser +\d+ +([\d.]+)%`).FindStringSubmatch(out); m == nil || m[1] < "95" && m[1] != "100.0" {
		t.Errorf("the parser no longer reads the phrasings it did:\n%s", out)
	}
	for _, want := range []string{"value", "compare", "breakdown", "top", "trend", "why", "pacing", "brand_lift", "Latency, parser:", "eval --llm"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
}

// oracle is a fake model that knows the set's answers: it fills the tool
// with each question's expected request. Its accuracy says nothing about a
// real model's; it shows the eval reads both paths and compares them.
func oracle(t *testing.T, set evalSet) *httptest.Server {
	t.Helper()
	want := map[string]evalRequest{}
	for _, q := range set.Questions {
		want[q.Q] = q.Want
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Messages []struct{ Role, Content string }
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		q := req.Messages[len(req.Messages)-1].Content
		d := question.Draft{Intent: "unknown", Clarify: "Which metric do you mean?"}
		if e, ok := want[q]; ok && e.Intent != "unknown" {
			d = question.Draft{Intent: e.Intent, Metrics: e.Metrics, Filters: e.Filters, GroupBy: e.GroupBy, Order: e.Order, Limit: e.Limit}
			if e.Period != nil {
				d.Period = &question.DraftPeriod{Start: e.Period.Start, End: e.Period.End}
			}
			if e.ComparePeriod != nil {
				d.ComparePeriod = &question.DraftPeriod{Start: e.ComparePeriod.Start, End: e.ComparePeriod.End}
			}
		}
		args, _ := json.Marshal(d)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "c1", "object": "chat.completion", "created": 1, "model": "oracle",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant",
				"tool_calls": []any{map[string]any{"id": "call_1", "type": "function", "function": map[string]any{"name": "fill_request", "arguments": string(args)}}}}}},
			"usage": map[string]any{"prompt_tokens": 900, "completion_tokens": 40, "total_tokens": 940},
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestEvalComparesThePaths(t *testing.T) {
	set, err := loadEvalSet("")
	if err != nil {
		t.Fatal(err)
	}
	srv := oracle(t, set)
	out, stderr, code := sowhat(t, map[string]string{"XDG_DATA_HOME": t.TempDir(), "OPENAI_BASE_URL": srv.URL + "/v1", "OPENAI_MODEL": "oracle"}, "eval", "--llm", "-v")
	if code != 0 {
		t.Fatalf("eval --llm: %d %s", code, stderr)
	}
	t.Log("\n" + out)
	for _, want := range []string{"parser+model", "Right with parser+model, missed by parser (", "Right with parser, missed by parser+model (0)",
		"Latency, parser+model:", "Model: oracle,", "was the gadget aisle worth the money in october"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	_, stderr, code = sowhat(t, map[string]string{"XDG_DATA_HOME": t.TempDir()}, "eval", "--llm")
	if code == 0 || !strings.Contains(stderr, "OPENAI_API_KEY") {
		t.Errorf("eval --llm without a model: %d %s", code, stderr)
	}
}
