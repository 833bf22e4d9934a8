package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// answer is the handler at the end of the chain: it reads the thread's
// context, checks the question's metrics against the policy, asks the
// engine, and replies with the answer and its chart.
func (b *Bot) answer(ctx context.Context, t *Turn) error {
	m := t.Message
	question := strings.TrimSpace(m.Text)
	if question == "" {
		question = "help"
	}
	prev := b.previous(ctx, m)
	asOf := b.today()
	hidden := b.policy.Hidden(m)
	req, err := b.eng.Understand(ctx, question, asOf, questionReader(t.Audience, hidden), prev)
	if err != nil {
		return fmt.Errorf("understand event %s: %w", m.EventID, err)
	}
	t.Intent = string(req.Intent)
	// What the question asks for is checked before anything is queried;
	// what it would show besides, the engine leaves out (req.Hidden).
	if reason := b.policy.CheckMetrics(m, asked(req)); reason != "" {
		return refuse(t, reason)
	}
	a, err := b.eng.Answer(ctx, req)
	if err != nil {
		return fmt.Errorf("answer event %s: %w", m.EventID, err)
	}
	b.withhold(m, &a, hidden)
	r := Reply{Answer: &a, Brief: briefAudience(t.Audience), Chart: b.chartFor(a)}
	r.Posted = b.remember(ctx, m, req)
	t.Outcome = "answered"
	return t.Reply(ctx, r)
}

// questionReader is who reads the answer: the audience, and what they may
// not see.
func questionReader(audience string, hidden []model.MetricID) question.Reader {
	return question.Reader{Audience: audience, Hidden: hidden}
}

// asked lists the metrics a request asks about: those it shows and those
// it filters on.
func asked(req question.Request) []model.MetricID {
	ms := slices.Clone(req.Metrics)
	for _, h := range req.Having {
		ms = append(ms, h.Metric)
	}
	return ms
}

// withhold is the last check on a finished answer: anything in it that
// shows a hidden metric is taken out before it is posted. The engine was
// told what is hidden and writes none of it, so this finding anything is
// a bug, and is logged as one.
func (b *Bot) withhold(m Message, a *model.Answer, hidden []model.MetricID) {
	if leaks := a.Withhold(hidden); len(leaks) > 0 {
		b.log.Error("answer showed a hidden metric; taken out before posting", slog.String("event", m.EventID),
			slog.String("channel", m.Channel), slog.Any("where", leaks), slog.Any("hidden", hidden))
	}
}

// previous returns the request the conversation was last about: the
// thread's, or in a direct message the conversation's; nil when fresh.
func (b *Bot) previous(ctx context.Context, m Message) *question.Request {
	var keys []string
	if m.Thread != "" && m.InThread {
		keys = append(keys, ThreadKey(m.Platform, m.Channel, m.Thread))
	}
	if m.Direct {
		keys = append(keys, ThreadKey(m.Platform, m.Channel, ""))
	}
	for _, k := range keys {
		doc, err := b.st.Thread(ctx, k)
		if errors.Is(err, data.ErrNotFound) {
			continue
		}
		if err != nil {
			b.log.Warn("read thread context", slog.String("thread", k), slog.Any("error", err))
			return nil
		}
		var req question.Request
		if err := json.Unmarshal(doc, &req); err != nil {
			b.log.Warn("decode thread context", slog.String("thread", k), slog.Any("error", err))
			return nil
		}
		return &req
	}
	return nil
}

// remember saves req as the conversation's context, under the thread the
// answer goes to, before the answer is sent (so a follow-up, which comes
// after it, reads it), and returns the callback that saves it under the
// thread a top-level answer starts once it is posted. A failed save costs
// the follow-up its context, not the answer.
func (b *Bot) remember(ctx context.Context, m Message, req question.Request) func(string) {
	doc, err := json.Marshal(req)
	if err != nil {
		b.log.Warn("encode thread context", slog.Any("error", err))
		return nil
	}
	save := func(ctx context.Context, key string) {
		if err := b.st.SaveThread(ctx, key, doc); err != nil {
			b.log.Warn("save thread context", slog.String("thread", key), slog.Any("error", err))
		}
	}
	if m.Thread != "" {
		save(ctx, ThreadKey(m.Platform, m.Channel, m.Thread))
	}
	if m.Direct {
		save(ctx, ThreadKey(m.Platform, m.Channel, ""))
	}
	if m.Thread != "" {
		return nil
	}
	// Posted after the worker is done, perhaps as the bot shuts down: saved
	// there and then.
	return func(thread string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		save(ctx, ThreadKey(m.Platform, m.Channel, thread))
	}
}

// briefAudience reports whether readers in this role want the headline and
// the so-what without the table.
func briefAudience(a string) bool {
	return a == string(model.AudienceCFO) || a == string(model.AudienceCEO)
}
