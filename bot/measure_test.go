package bot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sowhat-ai/sowhat/metrics"
)

func TestMeasureCountsByIntentAndOutcome(t *testing.T) {
	tests := []struct {
		name            string
		intent, outcome string
		err             error
		want            string // the series counted
		failed          bool
	}{
		{"answered", "value", "answered", nil, `intent="value",outcome="answered"`, false},
		{"refused before it was read", "", "refused", ErrNotAllowed, `intent="none",outcome="refused"`, false},
		{"failed", "compare", "failed", errors.New("disk I/O error"), `intent="compare",outcome="failed"`, true},
		{"nothing said", "", "", nil, `intent="none",outcome="ignored"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			h := Chain(func(ctx context.Context, turn *Turn) error {
				turn.Intent, turn.Outcome = tt.intent, tt.outcome
				return tt.err
			}, Measure(m))
			if err := h(context.Background(), &Turn{Message: Message{Platform: "slack"}}); !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			want := "# HELP sowhat_questions_total Questions handled, by intent and outcome (answered, refused, limited, failed, ignored).\n" +
				"# TYPE sowhat_questions_total counter\nsowhat_questions_total{" + tt.want + "} 1\n"
			if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "sowhat_questions_total"); err != nil {
				t.Error(err)
			}
			if n, err := testutil.GatherAndCount(m.Gatherer(), "sowhat_errors_total"); err != nil || (n == 1) != tt.failed {
				t.Errorf("%d errors counted (%v), want failed %v", n, err, tt.failed)
			}
		})
	}
	// Without metrics, nothing is counted and nothing breaks.
	h := Chain(func(context.Context, *Turn) error { return nil }, Measure(nil))
	if err := h(context.Background(), &Turn{}); err != nil {
		t.Fatal(err)
	}
}
