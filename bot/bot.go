package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/metrics"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// Engine answers questions; *intents.Engine is one.
type Engine interface {
	// Understand reads a question in its conversation (prev is the
	// thread's last request, or nil) into the request it would answer,
	// without querying: access is checked on it first.
	// The reader's hidden metrics go into the request, for the answer to
	// leave out.
	Understand(ctx context.Context, question string, asOf time.Time, reader question.Reader, prev *question.Request) (question.Request, error)
	// Answer answers a request.
	Answer(ctx context.Context, req question.Request) (model.Answer, error)
}

// Store keeps what the bot must remember across restarts and share with
// other replicas; *data.State is one.
type Store interface {
	// AcceptEvent records an event before the platform is told it arrived.
	AcceptEvent(ctx context.Context, platform, eventID string, msg []byte) (data.Accepted, bool, error)
	// AbandonEvent forgets an accepted event the bot could not take on.
	AbandonEvent(ctx context.Context, platform, eventID string) error
	// EventPosting records that the event's reply is about to be posted.
	EventPosting(ctx context.Context, platform, eventID string) error
	// FinishEvent records that the event is done.
	FinishEvent(ctx context.Context, platform, eventID string) error
	// TakeOrphans takes over events a dead replica left unfinished.
	TakeOrphans(ctx context.Context, platform string, limit int) ([]data.PendingEvent, error)
	SaveThread(ctx context.Context, key string, doc []byte) error
	Thread(ctx context.Context, key string) ([]byte, error)
}

// PostChecker is a Sender that can tell whether a reply to a message was
// already posted (the Slack adapter looks for the event id its answers
// carry). The bot asks it before answering an event a dead replica was
// posting the reply to, so that reply never goes out twice.
type PostChecker interface {
	AlreadyPosted(ctx context.Context, to Message) (bool, error)
}

// Charter draws an answer; ok is false when there is nothing to chart.
// chart.Render is one.
type Charter func(a model.Answer) (png []byte, ok bool, err error)

// ErrClosed is returned by Enqueue once the bot is shutting down.
var ErrClosed = errors.New("bot is shutting down")

// defaultWorkers answers on as many workers as there are cores, at least
// two: answers are CPU work on a local database, and more workers than cores
// only slow the acknowledgements that must go out within 3 seconds.
//
// The queue in front of them is what lets an acknowledgement go out before
// its answer is computed: BenchmarkLoadBurst in bot/slack (200 signed
// events at once over loopback, on 2 shared cores) acknowledges with a p99
// of 53-170 ms (the median over a run's bursts, across 16 runs; 53-74 ms
// when the machine was quiet) while answers are posted a median 22-206 ms
// after their acknowledgement.
func defaultWorkers() int { return max(2, runtime.GOMAXPROCS(0)) }

// Defaults.
const (
	DefaultQueueSize = 1024
	DefaultTimeout   = time.Minute
)

// DefaultUserRate is how many questions one user may ask.
var DefaultUserRate = Rate{N: 10, Per: time.Minute}

// Bot answers messages from every platform through one handler chain and a
// bounded pool of workers.
type Bot struct {
	eng       Engine
	st        Store
	log       *slog.Logger
	policy    *Policy
	limiter   *UserLimiter
	charter   Charter
	today     func() time.Time
	workers   int
	queueSize int
	timeout   time.Duration
	extra     []Middleware
	metrics   *metrics.Metrics

	handler Handler
	queue   chan job
	wg      sync.WaitGroup
	base    context.Context
	cancel  context.CancelFunc
	charts  chartPool

	mu      sync.RWMutex
	started bool
	closed  bool
}

type job struct {
	m  Message
	to Sender
	// maybePosted: a replica that died was posting this event's reply.
	maybePosted bool
}

// Option configures a Bot.
type Option func(*Bot)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// WithMetrics counts the questions handled, by intent and outcome, and
// how long their answers took.
func WithMetrics(m *metrics.Metrics) Option { return func(b *Bot) { b.metrics = m } }

// WithPolicy sets who may ask, where, and who sees what.
func WithPolicy(p *Policy) Option { return func(b *Bot) { b.policy = p } }

// WithUserRate limits how many questions one user may ask; a zero rate
// turns the limit off.
func WithUserRate(r Rate) Option {
	return func(b *Bot) {
		b.limiter = nil
		if r.N > 0 && r.Per > 0 {
			b.limiter = NewUserLimiter(r)
		}
	}
}

// WithCharter draws charts for trends and breakdowns.
func WithCharter(c Charter) Option { return func(b *Bot) { b.charter = c } }

// WithToday sets the as-of date questions are answered for (today in the
// reporting time zone, or a pinned date).
func WithToday(f func() time.Time) Option { return func(b *Bot) { b.today = f } }

// WithWorkers sets how many messages are answered at once.
func WithWorkers(n int) Option { return func(b *Bot) { b.workers = max(1, n) } }

// WithQueueSize sets how many acknowledged messages may wait for a worker
// before Enqueue blocks.
func WithQueueSize(n int) Option { return func(b *Bot) { b.queueSize = max(1, n) } }

// WithMiddleware adds middleware just around the answer handler, inside
// dedup, access and rate limits.
func WithMiddleware(mw ...Middleware) Option {
	return func(b *Bot) { b.extra = append(b.extra, mw...) }
}

// New returns a bot answering from eng and remembering in st. Call Start
// before Enqueue, and Shutdown to drain.
func New(eng Engine, st Store, opts ...Option) *Bot {
	b := &Bot{eng: eng, st: st, log: slog.Default(), workers: defaultWorkers(), queueSize: DefaultQueueSize,
		timeout: DefaultTimeout, limiter: NewUserLimiter(DefaultUserRate), today: utcToday,
		charts: chartPool{workers: defaultChartWorkers()}}
	for _, o := range opts {
		o(b)
	}
	b.handler = Chain(b.answer, b.middleware()...)
	b.queue = make(chan job, b.queueSize)
	return b
}

func utcToday() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// middleware is the chain every message goes through, outermost first.
func (b *Bot) middleware() []Middleware {
	mw := []Middleware{Logging(b.log), Measure(b.metrics), Apologize(), Recover(), Access(b.policy)}
	if b.limiter != nil {
		mw = append(mw, RateLimit(b.limiter))
	}
	return append(mw, b.extra...)
}

// Start starts the workers. Messages are answered with contexts that
// outlive the caller's, so Shutdown can drain the queue.
func (b *Bot) Start() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started {
		return
	}
	b.started = true
	b.base, b.cancel = context.WithCancel(context.Background())
	for range b.workers {
		b.wg.Go(b.work)
	}
}

func (b *Bot) work() {
	for j := range b.queue {
		ctx, cancel := context.WithTimeout(b.base, b.timeout)
		b.handle(ctx, j)
		cancel()
	}
}

// handle answers one job and records the event done once every reply it
// sent has been posted (or failed for good); an event with no reply is
// done when the handler returns. An event whose replica died while
// posting its reply is first checked with the platform.
func (b *Bot) handle(ctx context.Context, j job) {
	m := j.m
	if j.maybePosted {
		if pc, ok := j.to.(PostChecker); ok {
			posted, err := pc.AlreadyPosted(ctx, m)
			switch {
			case err != nil:
				b.log.Warn("check whether an unfinished event was answered; answering it", slog.String("event_id", m.EventID), slog.Any("error", err))
			case posted:
				b.log.Info("unfinished event was answered before its replica died", slog.String("event_id", m.EventID))
				b.finish(m)
				return
			}
		}
	}
	t := &Turn{Message: m, to: j.to}
	if m.EventID != "" {
		t.progress = &progress{b: b, m: m}
	}
	_ = b.handler(ctx, t) // logged by the Logging middleware
	if t.progress != nil {
		t.progress.handled()
	}
}

// finish records m done, even as the bot shuts down.
func (b *Bot) finish(m Message) {
	if m.EventID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.st.FinishEvent(ctx, m.Platform, m.EventID); err != nil {
		b.log.Error("record event done", slog.String("event_id", m.EventID), slog.Any("error", err))
	}
}

// progress follows one event's replies out: the first reply about to be
// posted marks the event posting, and the event is done once the handler
// has returned and every reply is through.
type progress struct {
	b *Bot
	m Message

	mu       sync.Mutex
	pending  int
	returned bool
	posting  bool
	finished bool
}

// track hooks r's way out into the event's progress.
func (p *progress) track(r *Reply) {
	p.mu.Lock()
	p.pending++
	p.mu.Unlock()
	r.Posting = func() {
		p.mu.Lock()
		first := !p.posting
		p.posting = true
		p.mu.Unlock()
		if first {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := p.b.st.EventPosting(ctx, p.m.Platform, p.m.EventID); err != nil {
				p.b.log.Warn("record event posting", slog.String("event_id", p.m.EventID), slog.Any("error", err))
			}
		}
	}
	r.Done = func() {
		p.mu.Lock()
		p.pending--
		p.mu.Unlock()
		p.maybeFinish()
	}
}

func (p *progress) handled() {
	p.mu.Lock()
	p.returned = true
	p.mu.Unlock()
	p.maybeFinish()
}

func (p *progress) maybeFinish() {
	p.mu.Lock()
	done := p.returned && p.pending == 0 && !p.finished
	if done {
		p.finished = true
	}
	p.mu.Unlock()
	if done {
		p.b.finish(p.m)
	}
}

// Enqueue accepts an acknowledged message and hands it to the workers. The
// event is recorded in the store first, so it is answered even if this
// process dies before answering it: Enqueue returns nil only once that
// record is written, and the adapter acknowledges only then. A duplicate
// (answered, or being answered by a live replica) returns nil and is
// dropped; an event a dead replica left unfinished is taken over. Enqueue
// blocks while the queue is full, until ctx is done: the record is then
// withdrawn and an adapter tells the platform to deliver again later, so
// nothing is dropped and the redelivery is not mistaken for a duplicate.
func (b *Bot) Enqueue(ctx context.Context, m Message, to Sender) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed || !b.started {
		return ErrClosed
	}
	if m.Received.IsZero() {
		m.Received = time.Now()
	}
	j := job{m: m, to: to}
	if m.EventID != "" {
		doc, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("enqueue event %s: %w", m.EventID, err)
		}
		got, posting, err := b.st.AcceptEvent(ctx, m.Platform, m.EventID, doc)
		if err != nil {
			return fmt.Errorf("enqueue event %s: %w: %w", m.EventID, ErrBusy, err)
		}
		switch got {
		case data.EventSeen:
			b.log.Info("handle message", slog.String("platform", m.Platform), slog.String("event_id", m.EventID), slog.String("outcome", "duplicate"))
			return nil
		case data.EventResumed:
			j.maybePosted = posting
			b.log.Info("taking over an unfinished event", slog.String("event_id", m.EventID), slog.Bool("maybe_posted", posting))
		}
	}
	select {
	case b.queue <- j:
		return nil
	case <-ctx.Done():
		if m.EventID != "" {
			if err := b.st.AbandonEvent(context.WithoutCancel(ctx), m.Platform, m.EventID); err != nil {
				b.log.Error("withdraw event", slog.String("event_id", m.EventID), slog.Any("error", err))
			}
		}
		return fmt.Errorf("enqueue event %s: %w: %w", m.EventID, ErrBusy, ctx.Err())
	}
}

// orphanBatch is how many unfinished events one pass takes over at a time.
const orphanBatch = 100

// ResumeOnce takes over the platform's events that a dead replica (or this
// process, before it was restarted) acknowledged and left unanswered, and
// queues them to be answered through to. It returns how many it took.
func (b *Bot) ResumeOnce(ctx context.Context, platform string, to Sender) (int, error) {
	n := 0
	for {
		evs, err := b.st.TakeOrphans(ctx, platform, orphanBatch)
		if err != nil {
			return n, fmt.Errorf("resume %s events: %w", platform, err)
		}
		for _, e := range evs {
			var m Message
			if err := json.Unmarshal(e.Message, &m); err != nil {
				b.log.Error("unfinished event unreadable, dropped", slog.String("event_id", e.EventID), slog.Any("error", err))
				b.finish(Message{Platform: e.Platform, EventID: e.EventID})
				continue
			}
			if err := b.queueTaken(ctx, job{m: m, to: to, maybePosted: e.Posting}); err != nil {
				return n, err
			}
			n++
		}
		if len(evs) < orphanBatch {
			return n, nil
		}
	}
}

// queueTaken queues a job whose event this replica already owns.
func (b *Bot) queueTaken(ctx context.Context, j job) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed || !b.started {
		return ErrClosed
	}
	select {
	case b.queue <- j:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("resume event %s: %w", j.m.EventID, ctx.Err())
	}
}

// Resume runs ResumeOnce at once and then every interval until ctx is done,
// so events left by a replica that died are answered by another within a
// lease and an interval.
func (b *Bot) Resume(ctx context.Context, platform string, to Sender, interval time.Duration) {
	for {
		if n, err := b.ResumeOnce(ctx, platform, to); err != nil && ctx.Err() == nil {
			b.log.Error("resume unfinished events", slog.String("platform", platform), slog.Any("error", err))
		} else if n > 0 {
			b.log.Info("resumed unfinished events", slog.String("platform", platform), slog.Int("events", n))
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// Shutdown stops taking messages and waits for the queued ones to be
// answered (their context is saved as they are), or for ctx to end, when
// answers in progress are cancelled.
func (b *Bot) Shutdown(ctx context.Context) error {
	b.mu.Lock()
	if b.closed || !b.started {
		b.closed = true
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	close(b.queue)
	b.mu.Unlock()
	if err := Drain(ctx, &b.wg, b.cancel); err != nil {
		return fmt.Errorf("drain bot queue: %w", err)
	}
	return nil
}

// Ready reports whether the bot is taking messages.
func (b *Bot) Ready() bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.started && !b.closed
}
