package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/model"
)

// fakeOpenAI answers /chat/completions as the OpenAI API does, replying with
// reply(request) as the assistant's message.
func fakeOpenAI(t *testing.T, reply func(req map[string]any) (int, string)) (*httptest.Server, *[]map[string]any) {
	t.Helper()
	var seen []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer test-key" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var req map[string]any
		json.NewDecoder(r.Body).Decode(&req)
		seen = append(seen, req)
		code, content := reply(req)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code != http.StatusOK {
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": content, "type": "server_error"}})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req["model"],
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": content}}},
			"usage":   map[string]any{"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
		})
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestRephrase(t *testing.T) {
	srv, seen := fakeOpenAI(t, func(req map[string]any) (int, string) {
		msgs := req["messages"].([]any)
		user := msgs[1].(map[string]any)["content"].(string)
		if strings.Contains(user, "weather") {
			return 200, "UNKNOWN"
		}
		return 200, "how did Meta CPA change last week"
	})
	c := New("test-key", WithBaseURL(srv.URL+"/v1"), WithModel("local-model"))
	got, err := c.Rephrase(context.Background(), "how's zuck's cost per sale doing vs the week prior")
	if err != nil || got != "how did Meta CPA change last week" {
		t.Fatalf("Rephrase = %q, %v", got, err)
	}
	req := (*seen)[0]
	if req["model"] != "local-model" || !strings.Contains(req["messages"].([]any)[0].(map[string]any)["content"].(string), "Never add a number") {
		t.Errorf("request did not carry the model and system prompt: %v", req)
	}
	if _, err := c.Rephrase(context.Background(), "what's the weather"); !errors.Is(err, ErrNotMarketing) {
		t.Errorf("out of scope: err = %v, want ErrNotMarketing", err)
	}
}

func TestPolish(t *testing.T) {
	srv, seen := fakeOpenAI(t, func(map[string]any) (int, string) {
		return 200, `{"summary": "Meta's CPA was $50.88 last week.", "so_what": "Up 36.9%: check Meta Advantage+ Shopping."}`
	})
	c := New("test-key", WithBaseURL(srv.URL+"/v1"))
	sum, sw, err := c.Polish(context.Background(), model.Answer{Summary: "Meta CPA last week was $50.88.", SoWhat: "CPA is up 36.9%."})
	if err != nil || !strings.Contains(sum, "$50.88") || !strings.Contains(sw, "36.9%") {
		t.Fatalf("Polish = %q, %q, %v", sum, sw, err)
	}
	if rf, _ := (*seen)[0]["response_format"].(map[string]any); rf["type"] != "json_object" {
		t.Errorf("polish did not ask for JSON: %v", (*seen)[0]["response_format"])
	}
}

func TestServerErrorsAreErrors(t *testing.T) {
	srv, _ := fakeOpenAI(t, func(map[string]any) (int, string) { return 500, "overloaded" })
	c := New("test-key", WithBaseURL(srv.URL+"/v1"))
	if _, err := c.Rephrase(context.Background(), "x"); err == nil {
		t.Fatal("a 500 should be an error")
	}
	srv2, _ := fakeOpenAI(t, func(map[string]any) (int, string) { return 200, "not json" })
	if _, _, err := New("test-key", WithBaseURL(srv2.URL+"/v1")).Polish(context.Background(), model.Answer{}); err == nil {
		t.Fatal("a non-JSON polish should be an error")
	}
}
