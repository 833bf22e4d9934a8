package llm

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sowhat-ai/sowhat/metrics"
)

func TestCallsAreCounted(t *testing.T) {
	srv, _ := fakeOpenAI(t, func(req map[string]any) (int, string) {
		if strings.Contains(req["messages"].([]any)[1].(map[string]any)["content"].(string), "down") {
			return 503, "overloaded"
		}
		return 200, "spend last week"
	})
	m := metrics.New()
	c := New("test-key", WithBaseURL(srv.URL+"/v1"), WithMetrics(m))
	for _, q := range []string{"what did we burn", "is the model down"} {
		_, _ = c.Rephrase(context.Background(), q)
	}
	want := `
# HELP sowhat_llm_calls_total Language model calls, by result (ok, error).
# TYPE sowhat_llm_calls_total counter
sowhat_llm_calls_total{result="error"} 1
sowhat_llm_calls_total{result="ok"} 1
# HELP sowhat_llm_tokens_total Language model tokens, by kind (prompt, completion).
# TYPE sowhat_llm_tokens_total counter
sowhat_llm_tokens_total{kind="completion"} 5
sowhat_llm_tokens_total{kind="prompt"} 10
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "sowhat_llm_calls_total", "sowhat_llm_tokens_total"); err != nil {
		t.Error(err)
	}
}
