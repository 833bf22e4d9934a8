package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

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

// Store keeps what the bot must remember across restarts; *data.Store is
// one.
type Store interface {
	EventClaimer
	SaveThread(ctx context.Context, key string, doc []byte) error
	Thread(ctx context.Context, key string) ([]byte, error)
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
}

// Option configures a Bot.
type Option func(*Bot)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

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
	mw := []Middleware{Logging(b.log), Apologize(), Recover(), Dedup(b.st), Access(b.policy)}
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
		_ = b.handler(ctx, &Turn{Message: j.m, to: j.to}) // logged by the Logging middleware
		cancel()
	}
}

// Enqueue hands an acknowledged message to the workers. It blocks while the
// queue is full, until ctx is done: an adapter then tells the platform to
// deliver again later, so nothing is dropped. Nothing here touches the
// database: the worker claims the event (for dedup) before answering, so a
// message the queue had no room for never looks like a duplicate when the
// platform delivers it again.
func (b *Bot) Enqueue(ctx context.Context, m Message, to Sender) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed || !b.started {
		return ErrClosed
	}
	if m.Received.IsZero() {
		m.Received = time.Now()
	}
	select {
	case b.queue <- job{m: m, to: to}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("enqueue event %s: %w: %w", m.EventID, ErrBusy, ctx.Err())
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
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
		b.cancel()
		return nil
	case <-ctx.Done():
		b.cancel()
		<-done
		return fmt.Errorf("drain bot queue: %w", ctx.Err())
	}
}

// Ready reports whether the bot is taking messages.
func (b *Bot) Ready() bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.started && !b.closed
}
