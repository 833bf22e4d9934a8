package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
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
	req, err := b.eng.Understand(ctx, question, asOf, t.Audience, prev)
	if err != nil {
		return fmt.Errorf("understand event %s: %w", m.EventID, err)
	}
	// What the question asks for is checked before anything is queried.
	if reason := b.policy.CheckMetrics(m, req.Metrics); reason != "" {
		return refuse(t, reason)
	}
	a, err := b.eng.Answer(ctx, req)
	if err != nil {
		return fmt.Errorf("answer event %s: %w", m.EventID, err)
	}
	r := Reply{Answer: &a, Brief: briefAudience(t.Audience), Chart: b.chartFor(a)}
	r.Posted = b.remember(m, req)
	t.Outcome = "answered"
	return t.Reply(ctx, r)
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
		doc, ok := b.contexts.get(k)
		var err error
		if !ok {
			doc, err = b.st.Thread(ctx, k)
		}
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

// remember keeps req as the conversation's context, under the thread the
// answer goes to, and returns the callback that saves it under the thread a
// top-level answer starts once it is posted.
func (b *Bot) remember(m Message, req question.Request) func(string) {
	doc, err := json.Marshal(req)
	if err != nil {
		b.log.Warn("encode thread context", slog.Any("error", err))
		return nil
	}
	if m.Thread != "" {
		b.keepContext(ThreadKey(m.Platform, m.Channel, m.Thread), doc)
	}
	if m.Direct {
		b.keepContext(ThreadKey(m.Platform, m.Channel, ""), doc)
	}
	if m.Thread != "" {
		return nil
	}
	// Posted after the worker is done, perhaps as the bot shuts down: saved
	// there and then.
	return func(thread string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := b.st.SaveThread(ctx, ThreadKey(m.Platform, m.Channel, thread), doc); err != nil {
			b.log.Warn("save thread context", slog.String("thread", thread), slog.Any("error", err))
		}
	}
}

// keepContext makes doc the context of a conversation at once, and saves
// it in the background: the saves of a burst of answers are committed
// together, and a follow-up that comes before its save is done still reads
// it. Saves of one conversation run one at a time, the newest last.
func (b *Bot) keepContext(key string, doc []byte) {
	if !b.contexts.put(key, doc) {
		return // the conversation's saver will save this one too
	}
	b.background.Go(func() {
		for {
			doc, seq := b.contexts.newest(key)
			ctx, cancel := context.WithTimeout(b.base, 10*time.Second)
			if err := b.st.SaveThread(ctx, key, doc); err != nil {
				b.log.Warn("save thread context", slog.String("thread", key), slog.Any("error", err))
			}
			cancel()
			if b.contexts.saved(key, seq) {
				return
			}
		}
	})
}

// pendingContexts holds conversation context from when it is kept until its
// save has committed.
type pendingContexts struct {
	mu   sync.Mutex
	seq  uint64
	docs map[string]pendingDoc
}

type pendingDoc struct {
	doc []byte
	seq uint64
}

// put makes doc key's newest context and reports whether a saver must be
// started for key (none is running).
func (p *pendingContexts) put(key string, doc []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.docs == nil {
		p.docs = map[string]pendingDoc{}
	}
	_, running := p.docs[key]
	p.seq++
	p.docs[key] = pendingDoc{doc: doc, seq: p.seq}
	return !running
}

func (p *pendingContexts) get(key string) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, ok := p.docs[key]
	return d.doc, ok
}

// newest returns key's newest unsaved context and its sequence number.
func (p *pendingContexts) newest(key string) ([]byte, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.docs[key]
	return d.doc, d.seq
}

// saved reports whether seq is still key's newest context, forgetting it if
// so: its save is done. Otherwise a newer one waits to be saved.
func (p *pendingContexts) saved(key string, seq uint64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d, ok := p.docs[key]; ok && d.seq != seq {
		return false
	}
	delete(p.docs, key)
	return true
}

// briefAudience reports whether readers in this role want the headline and
// the so-what without the table.
func briefAudience(a string) bool {
	return a == string(model.AudienceCFO) || a == string(model.AudienceCEO)
}
