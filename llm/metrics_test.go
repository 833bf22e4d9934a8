package llm

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sowhat-ai/sowhat/metrics"
	"github.com/sowhat-ai/sowhat/model"
)

// TestCallsAreCounted: a call that succeeds counts as ok with its tokens,
// one the server refuses (after its retries) as an error.
func TestCallsAreCounted(t *testing.T) {
	f := newFake(t, func(req map[string]any) reply {
		for _, m := range messages(req) {
			if c, _ := m["content"].(string); strings.Contains(c, "Xyzzy") {
				return reply{status: 503, content: "overloaded"}
			}
		}
		return reply{content: `{"summary":"Spend was $1,204.","so_what":"On plan."}`}
	})
	m := metrics.New()
	c := testClient(f, WithMetrics(m), WithRetries(0, 0))
	for _, sum := range []string{"Spend was $1,204.", "Xyzzy spend was $1,204."} {
		_, _, _ = c.Polish(context.Background(), model.Answer{Summary: sum, SoWhat: "On plan."}, "cfo", []string{"Total — Spend: $1,204"})
	}
	want := `
# HELP sowhat_llm_calls_total Language model calls, by result (ok, error).
# TYPE sowhat_llm_calls_total counter
sowhat_llm_calls_total{result="error"} 1
sowhat_llm_calls_total{result="ok"} 1
# HELP sowhat_llm_tokens_total Language model tokens, by kind (prompt, completion).
# TYPE sowhat_llm_tokens_total counter
sowhat_llm_tokens_total{kind="completion"} 20
sowhat_llm_tokens_total{kind="prompt"} 100
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "sowhat_llm_calls_total", "sowhat_llm_tokens_total"); err != nil {
		t.Error(err)
	}
}
