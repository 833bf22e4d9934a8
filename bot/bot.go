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
	Understand(ctx context.Context, question string, asOf time.Time, audience string, prev *question.Request) (question.Request, error)
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
	busy      []func() bool // probes charts defer to
	queueSize int
	timeout   time.Duration
	extra     []Middleware

	handler Handler
	queue   chan job
	wg      sync.WaitGroup
	base    context.Context
	cancel  context.CancelFunc
	// background are claims and context saves still running.
	background sync.WaitGroup
	// contexts holds thread context not yet saved.
	contexts pendingContexts
	// backlog counts the questions queued or being answered.
	backlog Backlog
	charts  chartCache

	mu      sync.RWMutex
	started bool
	closed  bool
}

type job struct {
	m     Message
	to    Sender
	claim <-chan claimResult
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

// WithTimeout bounds the time spent answering one message.
func WithTimeout(d time.Duration) Option { return func(b *Bot) { b.timeout = d } }

// WithMiddleware adds middleware just around the answer handler, inside
// dedup, access and rate limits.
func WithMiddleware(mw ...Middleware) Option {
	return func(b *Bot) { b.extra = append(b.extra, mw...) }
}

// New returns a bot answering from eng and remembering in st. Call Start
// before Enqueue, and Shutdown to drain.
func New(eng Engine, st Store, opts ...Option) *Bot {
	b := &Bot{eng: eng, st: st, log: slog.Default(), workers: defaultWorkers(), queueSize: DefaultQueueSize,
		timeout: DefaultTimeout, limiter: NewUserLimiter(DefaultUserRate), today: utcToday}
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
		_ = b.handler(ctx, &Turn{Message: j.m, to: j.to, claim: j.claim}) // logged by the Logging middleware
		cancel()
		b.backlog.Done()
	}
}

// DeferTo makes work that can wait (drawing charts) wait while busy
// reports true: an adapter in the middle of acknowledging requests, which
// its platform times out, goes first. Answers don't wait: they are quick,
// and the asker is waiting for them.
func (b *Bot) DeferTo(busy func() bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.busy = append(b.busy, busy)
}

// busyNow reports whether an adapter said it is busy acknowledging.
func (b *Bot) busyNow() bool {
	b.mu.RLock()
	probes := b.busy
	b.mu.RUnlock()
	for _, p := range probes {
		if p() {
			return true
		}
	}
	return false
}

// Enqueue hands an acknowledged message to the workers. It blocks while the
// queue is full, until ctx is done: an adapter then tells the platform to
// deliver again later, so nothing is dropped.
//
// The event is claimed (for dedup) in the background from here on, so the
// claims of a burst of messages are committed together while they wait for
// a worker; the worker waits for the claim before answering.
func (b *Bot) Enqueue(ctx context.Context, m Message, to Sender) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed || !b.started {
		return ErrClosed
	}
	if m.Received.IsZero() {
		m.Received = time.Now()
	}
	var claim chan claimResult
	if m.EventID != "" {
		claim = make(chan claimResult, 1)
	}
	b.backlog.Add()
	select {
	case b.queue <- job{m: m, to: to, claim: claim}:
	case <-ctx.Done():
		b.backlog.Done()
		return fmt.Errorf("enqueue event %s: %w: %w", m.EventID, ErrBusy, ctx.Err())
	}
	// Claimed only once queued: a message the queue had no room for is
	// delivered again by the platform, and must not look like a duplicate.
	if claim != nil {
		b.background.Go(func() {
			ctx, cancel := context.WithTimeout(b.base, b.timeout)
			defer cancel()
			first, err := b.st.ClaimEvent(ctx, m.Platform, m.EventID)
			claim <- claimResult{first: first, err: err}
		})
	}
	return nil
}

// Shutdown stops taking messages and waits for the queued ones to be
// answered and their context saved, or for ctx to end, when answers in
// progress are cancelled.
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
	go func() { b.wg.Wait(); b.background.Wait(); close(done) }()
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
