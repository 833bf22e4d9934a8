package bot

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// plantedLeak is the sentence leakyEngine plants, as a bug in the engine
// would.
const plantedLeak = "Blended MER is 54.28x."

// leakyEngine answers through the real engine, then plants MER in the
// answer: in the so-what, the metrics, the total and the suggestions.
type leakyEngine struct{ *intents.Engine }

func (l leakyEngine) Answer(ctx context.Context, req question.Request) (model.Answer, error) {
	a, err := l.Engine.Answer(ctx, req)
	a.SoWhat += " " + plantedLeak
	a.Metrics = append(a.Metrics, model.MER)
	a.Total.Values[model.MER] = model.Float(54.28)
	a.Suggestions = append(a.Suggestions, "MER last week")
	return a, err
}

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLastCheckCatchesPlantedLeak: an answer that shows MER where it is
// hidden is posted without it (the planted sentence dropped, the engine's
// own sentences kept) and the leak is logged as an error; in the finance
// channel the same answer is posted as it came.
func TestLastCheckCatchesPlantedLeak(t *testing.T) {
	st := testStore(t)
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	if _, err := demo.Generate(context.Background(), st, today); err != nil {
		t.Fatal(err)
	}
	pol, err := NewPolicy(PolicyConfig{SensitiveMetrics: DefaultSensitiveMetrics, SensitiveChannels: []string{"C0FINANCE"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		channel string
		leaked  bool
	}{{"C0MARKETING", false}, {"C0FINANCE", true}}
	for _, tc := range cases {
		t.Run(tc.channel, func(t *testing.T) {
			logs := &logBuffer{}
			b := New(leakyEngine{intents.New(st)}, testState(t, st), WithLogger(slog.New(slog.NewTextHandler(logs, nil))), WithPolicy(pol), WithWorkers(1),
				WithToday(func() time.Time { return today }))
			b.Start()
			out := &recorder{}
			m := Message{Platform: "slack", EventID: "E" + tc.channel, User: "U1", Channel: tc.channel, Thread: "1790000000.000100", Kind: KindMention, Text: "ROAS last week"}
			if err := b.Enqueue(context.Background(), m, out); err != nil {
				t.Fatal(err)
			}
			if err := b.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			replies := out.all()
			if len(replies) != 1 || replies[0].r.Answer == nil {
				t.Fatalf("replies %+v, want one answer", replies)
			}
			a := replies[0].r.Answer
			_, inTotal := a.Total.Values[model.MER]
			shown := []bool{strings.Contains(a.SoWhat, plantedLeak), slices.Contains(a.Metrics, model.MER), inTotal, slices.Contains(a.Suggestions, "MER last week")}
			for i, s := range shown {
				if s != tc.leaked {
					t.Errorf("part %d of the planted leak shown: %v, want %v (so-what %q)", i, s, tc.leaked, a.SoWhat)
				}
			}
			if !strings.HasPrefix(a.SoWhat, "ROAS is ") || !strings.Contains(a.SoWhat, "Next: ") {
				t.Errorf("so-what %q lost the engine's own sentences", a.SoWhat)
			}
			if logged := strings.Contains(logs.String(), "answer showed a hidden metric"); logged == tc.leaked {
				t.Errorf("leak logged: %v, want %v:\n%s", logged, !tc.leaked, logs.String())
			}
		})
	}
}
