package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/llm"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
)

func TestExplain(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("answer event Ev1: %w", err) }
	tests := []struct {
		name string
		err  error
		want string // in the sentence
	}{
		{"user error", wrap(model.Tell("Brand lift comes from brand-lift studies.", data.ErrBadQuery)), "Brand lift comes from brand-lift studies."},
		{"refusal", wrap(model.Tell("I don't answer in this channel yet.", ErrNotAllowed)), "I don't answer in this channel yet."},
		{"rate limited", ErrRateLimited, "faster than I can answer"},
		{"shutting down", wrap(ErrClosed), "restarting"},
		{"busy", fmt.Errorf("enqueue event Ev1: %w: %w", ErrBusy, context.DeadlineExceeded), "swamped"},
		{"deadline", wrap(context.DeadlineExceeded), "took longer than it should"},
		{"cancelled", wrap(context.Canceled), "stopped before I could finish"},
		{"schema too new", wrap(fmt.Errorf("open database x.db: %w: at version 9", data.ErrSchemaTooNew)), "upgraded by a newer version"},
		{"not found", wrap(data.ErrNotFound), "ask the question in full"},
		{"not marketing", wrap(fmt.Errorf("rephrase: %w", llm.ErrNotMarketing)), "marketing performance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, known := Explain(tt.err)
			if !known || !strings.Contains(text, tt.want) {
				t.Errorf("Explain = %q, %v; want a known sentence with %q", text, known, tt.want)
			}
			if strings.Contains(text, "Ev1") || strings.Contains(text, "version 9") || text == Apology {
				t.Errorf("Explain = %q shows the error, or apologises", text)
			}
		})
	}
}

// TestBadQueriesSpeakPlainly: every error the store gives about a query's
// shape is ErrBadQuery, with a sentence of its own.
func TestBadQueriesSpeakPlainly(t *testing.T) {
	st := testStore(t)
	oct := period.Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)}
	for name, q := range map[string]data.Query{
		"no metric":      {Period: oct},
		"unknown metric": {Metrics: []model.MetricID{"reach_quality"}, Period: oct},
		"brand lift":     {Metrics: []model.MetricID{model.BrandLift}, Period: oct},
		"empty period":   {Metrics: []model.MetricID{model.Spend}, Period: period.Period{Start: oct.End, End: oct.Start}},
		"group by":       {Metrics: []model.MetricID{model.Spend}, Period: oct, GroupBy: []string{"weather"}},
		"order by":       {Metrics: []model.MetricID{model.Spend}, Period: oct, OrderBy: model.ROAS},
	} {
		_, err := st.Run(context.Background(), q)
		text, known := Explain(err)
		if !errors.Is(err, data.ErrBadQuery) || !known || strings.Contains(text, "bad query") {
			t.Errorf("%s: error %v reads %q (known %v), want ErrBadQuery in plain words", name, err, text, known)
		}
	}
}

func TestUnknownErrorsApologiseAndLogTheCause(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	err := fmt.Errorf("answer event Ev1: %w", errors.New("disk I/O error on ad_daily"))
	text := ExplainLog(context.Background(), log, err)
	if text != Apology || strings.Contains(text, "disk") {
		t.Errorf("reply %q, want the apology without the cause", text)
	}
	if line := logs.String(); !strings.Contains(line, "level=ERROR") || !strings.Contains(line, `error="answer event Ev1: disk I/O error on ad_daily"`) {
		t.Errorf("log %q, want an error line with the cause", line)
	}
	logs.Reset()
	ExplainLog(context.Background(), log, fmt.Errorf("x: %w", ErrRateLimited))
	if logs.Len() != 0 {
		t.Errorf("a known error was logged as unexplained: %s", logs.String())
	}
}

// misreading is an engine that reads every question as a daily brand-lift
// figure, a request the store refuses: the refusal's sentence must reach
// the asker.
type misreading struct{ *intents.Engine }

func (m misreading) Understand(ctx context.Context, text string, asOf time.Time, reader question.Reader, prev *question.Request) (question.Request, error) {
	req, err := m.Engine.Understand(ctx, text, asOf, reader, prev)
	req.Intent, req.Metrics, req.GroupBy = question.IntentTrend, []model.MetricID{model.BrandLift}, []string{"day"}
	return req, err
}

func TestBadQueryReachesTheAskerInPlainWords(t *testing.T) {
	st := testStore(t)
	var logs bytes.Buffer
	eng := intents.New(st)
	if err := eng.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := New(misreading{eng}, testState(t, st), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		WithToday(func() time.Time { return time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC) }))
	b.Start()
	out := &recorder{}
	if err := b.Enqueue(context.Background(), Message{Platform: "slack", EventID: "Ev1", User: "U1", Channel: "C1", Text: "brand lift by day last month"}, out); err != nil {
		t.Fatal(err)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.all()
	if len(got) != 1 || got[0].r.Notice != "Brand lift comes from brand-lift studies, not daily data: ask about brand lift instead." {
		t.Fatalf("replies %+v, want the store's sentence", got)
	}
	if line := logs.String(); !strings.Contains(line, "level=WARN") || !strings.Contains(line, "outcome=failed") || !strings.Contains(line, "bad query") {
		t.Errorf("log %q, want a warning with the cause", line)
	}
}

func TestRefusalsAndLimitsAreSaidOnce(t *testing.T) {
	st := testStore(t)
	pol, err := NewPolicy(PolicyConfig{AllowedChannels: []string{"C0MKT"}})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	b := New(intents.New(st), testState(t, st), WithPolicy(pol), WithUserRate(Rate{N: 1, Per: time.Hour}), WithWorkers(1),
		stub(func(ctx context.Context, t *Turn) error { return t.Reply(ctx, Reply{Notice: "fine"}) }),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	b.Start()
	out := &recorder{}
	for i, ch := range []string{"C0RANDOM", "C0MKT", "C0MKT", "C0MKT"} {
		m := Message{Platform: "slack", EventID: fmt.Sprint("Ev", i), User: "U1", Channel: ch, Text: "help"}
		if err := b.Enqueue(context.Background(), m, out); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.all()
	if len(got) != 3 || got[0].r.Notice != refuseChannel || got[1].r.Notice != "fine" || !strings.Contains(got[2].r.Notice, "faster than I can answer") {
		t.Errorf("replies %+v, want a refusal, an answer and one slow-down", got)
	}
	if strings.Contains(logs.String(), "level=ERROR") || strings.Count(logs.String(), "outcome=limited") != 2 {
		t.Errorf("log:\n%s\nwant refusals and limits at info, the limit twice", logs.String())
	}
}
