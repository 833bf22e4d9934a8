package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"
	"golang.org/x/time/rate"

	"github.com/sowhat-ai/sowhat/bot"
	clockpkg "github.com/sowhat-ai/sowhat/clock"

	"github.com/sowhat-ai/sowhat/metrics"
)

// delivery is one reply on its way to a channel.
type delivery struct {
	channel, thread, user, eventID string
	private                        bool
	msg                            Message
	chart                          func(ctx context.Context) []byte // draws the chart, if any
	chartTitle, chartAlt           string
	posted                         func(thread string)
	// posting and done, when set, hear that the message is about to be
	// posted, and that it was posted or failed for good.
	posting, done func()
	// responseURL answers a slash command where the bot can't post.
	responseURL string
	// key tags a publication's first message (reports.Message.Key).
	key string
}

// outbox posts deliveries one channel lane at a time: each channel gets at
// most one message per pace (Slack allows about one a second), in order,
// while other channels go on, at most maxCalls calls in flight. A 429
// pauses every lane for its Retry-After (growing on repeats) and the
// message is tried again; nothing accepted is dropped short of shutdown.
// A lane is a goroutine only while it has messages. BenchmarkLoadBurst,
// 200 channels asking at once: answers are posted a median 22-206 ms after
// their acknowledgement.
type outbox struct {
	api   *slackapi.Client
	log   *slog.Logger
	pace  time.Duration
	calls chan struct{} // a token per Web API call in flight
	clock clock         // paces the lanes and waits out 429s
	// metrics counts each call's attempts, retries and failures.
	metrics *metrics.Metrics

	ctx    context.Context // cancelled only when a shutdown runs out of time
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	lanes   map[string]*lane
	resume  time.Time // no call before this: Slack said 429
	strikes int       // 429s in a row, for backoff
}

type lane struct {
	queue   []delivery
	running bool
	lim     *rate.Limiter
}

func newOutbox(api *slackapi.Client, log *slog.Logger, pace time.Duration, c clock) *outbox {
	ctx, cancel := context.WithCancel(context.Background())
	return &outbox{api: api, log: log, pace: pace, calls: make(chan struct{}, maxCalls), clock: c, ctx: ctx, cancel: cancel, lanes: map[string]*lane{}}
}

// clock is the time the outbox paces and backs off by.
type clock = clockpkg.Clock

// wallClock is the real time.
type wallClock = clockpkg.Wall

var errOutboxClosed = errors.New("slack outbox is closed")

// lane returns a channel's lane, made on first use; o.mu is held.
func (o *outbox) lane(channel string) *lane {
	l := o.lanes[channel]
	if l == nil {
		lim := rate.NewLimiter(rate.Inf, 1)
		if o.pace > 0 {
			lim = rate.NewLimiter(rate.Every(o.pace), 1)
		}
		l = &lane{lim: lim}
		o.lanes[channel] = l
	}
	return l
}

// add queues d on its channel's lane, starting the lane if it was idle.
func (o *outbox) add(d delivery) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errOutboxClosed
	}
	l := o.lane(d.channel)
	l.queue = append(l.queue, d)
	if !l.running {
		l.running = true
		o.wg.Add(1)
		go o.drain(d.channel, l)
	}
	return nil
}

// drain posts a lane's deliveries until it is empty.
func (o *outbox) drain(channel string, l *lane) {
	defer o.wg.Done()
	for {
		o.mu.Lock()
		if len(l.queue) == 0 {
			l.running = false
			o.mu.Unlock()
			return
		}
		d := l.queue[0]
		l.queue = l.queue[1:]
		o.mu.Unlock()
		if err := o.deliver(l, d); err != nil {
			o.metrics.Error(Platform, "post")
			o.log.Error("post to slack", slog.String("channel", channel), slog.String("event_id", d.eventID), slog.Any("error", err))
		}
	}
}

// deliver posts the message, then its chart into the thread: the chart
// waits its turn to be drawn on its own, so the channel's next messages
// don't wait behind it.
func (o *outbox) deliver(l *lane, d delivery) error {
	if d.posting != nil {
		d.posting()
	}
	ts, responded, err := o.postMessage(l, d)
	if d.done != nil && (err == nil || o.ctx.Err() == nil) {
		// Cut short by a shutdown that ran out of time, the reply is not
		// done: a restart finishes it.
		d.done()
	}
	if err != nil || responded {
		return err // an answer through response_url has no thread
	}
	thread := d.thread
	if thread == "" {
		thread = ts
	}
	if d.posted != nil && thread != "" {
		d.posted(thread)
	}
	if d.chart == nil || d.private {
		return nil
	}
	// The lane this runs in is counted in o.wg, so close can't be waiting
	// yet.
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		f := file{name: "sowhat-chart.png", title: d.chartTitle, alt: d.chartAlt, png: d.chart(o.ctx)}
		if err := o.upload(d.channel, thread, f); err != nil {
			o.metrics.Error(Platform, "upload")
			o.log.Error("share chart", slog.String("channel", d.channel), slog.String("event_id", d.eventID), slog.Any("error", err))
		}
	}()
	return nil
}

// postMessage posts d's message and returns its ts, or reports that it
// answered through the slash command's response_url because the bot can't
// post in the channel.
func (o *outbox) postMessage(l *lane, d delivery) (ts string, responded bool, err error) {
	method := "chat.postMessage"
	if d.private {
		method = "chat.postEphemeral"
	}
	err = o.call(l, method, func(ctx context.Context) error {
		var err error
		ts, err = o.post(ctx, d)
		return err
	})
	if err != nil && d.responseURL != "" && notInChannel(err) {
		return "", true, o.call(l, "response_url", func(ctx context.Context) error { return o.respond(ctx, d) })
	}
	return ts, false, err
}

func (o *outbox) post(ctx context.Context, d delivery) (string, error) {
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(d.msg.Text, false), slackapi.MsgOptionBlocks(d.msg.Blocks...)}
	switch {
	case d.eventID != "" && !d.private:
		opts = append(opts, slackapi.MsgOptionMetadata(answerMetadata(d.eventID)))
	case d.key != "":
		opts = append(opts, slackapi.MsgOptionMetadata(publicationMetadata(d.key)))
	}
	if d.thread != "" {
		opts = append(opts, slackapi.MsgOptionTS(d.thread))
	}
	if d.private {
		return o.api.PostEphemeralContext(ctx, d.channel, d.user, opts...)
	}
	_, ts, err := o.api.PostMessageContext(ctx, d.channel, opts...)
	return ts, err
}

// respond answers a slash command through its response_url: no thread, no
// chart, but the asker gets the answer.
func (o *outbox) respond(ctx context.Context, d delivery) error {
	kind := slackapi.ResponseTypeInChannel
	if d.private {
		kind = slackapi.ResponseTypeEphemeral
	}
	_, _, err := o.api.PostMessageContext(ctx, d.channel, slackapi.MsgOptionResponseURL(d.responseURL, kind),
		slackapi.MsgOptionText(d.msg.Text, false), slackapi.MsgOptionBlocks(d.msg.Blocks...))
	return err
}

// notInChannel reports whether Slack refused a post because the bot can't
// see the channel.
func notInChannel(err error) bool {
	var se slackapi.SlackErrorResponse
	return errors.As(err, &se) && (se.Err == "not_in_channel" || se.Err == "channel_not_found")
}

// Retry limits.
const (
	maxTransient    = 4                // tries for network errors and 5xx
	maxRateLimitGap = 60 * time.Second // longest backoff between 429s
)

// call runs one Web API call within the channel's pace (l, when set) and
// Slack's rate limits. 429s are retried until Slack relents; network
// errors and 5xx a few times; anything else (not_in_channel,
// invalid_blocks) is final.
func (o *outbox) call(l *lane, method string, fn func(ctx context.Context) error) error {
	transient := 0
	for {
		if err := o.waitTurn(l); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		select {
		case o.calls <- struct{}{}:
		case <-o.ctx.Done():
			return fmt.Errorf("%s: %w", method, o.ctx.Err())
		}
		ctx, cancel := context.WithTimeout(o.ctx, 30*time.Second)
		err := fn(ctx)
		cancel()
		<-o.calls
		var limited *slackapi.RateLimitedError
		switch {
		case err == nil:
			o.metrics.ChatCall(Platform, method, "ok")
			o.cleared()
			return nil
		case errors.As(err, &limited):
			o.metrics.ChatCall(Platform, method, "rate_limited")
			o.metrics.ChatRetry(Platform, "429")
			wait := o.limited(limited.RetryAfter)
			o.log.Warn("slack rate limit", slog.String("method", method), slog.Duration("retry_after", limited.RetryAfter), slog.Duration("wait", wait))
		case isTransient(err) && transient < maxTransient:
			o.metrics.ChatCall(Platform, method, "transient")
			o.metrics.ChatRetry(Platform, "transient")
			transient++
			o.log.Warn("slack call failed, retrying", slog.String("method", method), slog.Int("attempt", transient), slog.Any("error", err))
			if err := o.clock.Sleep(o.ctx, time.Duration(transient)*500*time.Millisecond); err != nil {
				return fmt.Errorf("%s: %w", method, err)
			}
		default:
			o.metrics.ChatCall(Platform, method, "error")
			return fmt.Errorf("%s: %w", method, err)
		}
	}
}

// waitTurn waits for the channel's pace, when l is set, and any 429 pause.
func (o *outbox) waitTurn(l *lane) error {
	if l == nil {
		return o.waitResume()
	}
	now := o.clock.Now()
	if d := l.lim.ReserveN(now, 1).DelayFrom(now); d > 0 {
		if err := o.clock.Sleep(o.ctx, d); err != nil {
			return err
		}
	}
	return o.waitResume()
}

// waitResume waits out a 429 pause, if any.
func (o *outbox) waitResume() error {
	for {
		o.mu.Lock()
		wait := o.resume.Sub(o.clock.Now())
		o.mu.Unlock()
		if wait <= 0 {
			return nil
		}
		if err := o.clock.Sleep(o.ctx, wait); err != nil {
			return err
		}
	}
}

// limited records a 429 and returns how long every lane now waits: the
// Retry-After Slack asked for, doubled for each 429 in a row after the first.
func (o *outbox) limited(retryAfter time.Duration) time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	wait := max(retryAfter, time.Second)
	for range o.strikes {
		wait *= 2
		if wait >= maxRateLimitGap {
			wait = maxRateLimitGap
			break
		}
	}
	o.strikes++
	if r := o.clock.Now().Add(wait); r.After(o.resume) {
		o.resume = r
	}
	return wait
}

func (o *outbox) cleared() {
	o.mu.Lock()
	o.strikes = 0
	o.mu.Unlock()
}

func isTransient(err error) bool {
	var sc slackapi.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= 500
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// close stops taking deliveries and waits for the lanes to empty; when ctx
// ends first, calls in flight are cancelled and what is left is logged.
func (o *outbox) close(ctx context.Context) error {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	if err := bot.Drain(ctx, &o.wg, o.cancel); err != nil {
		return fmt.Errorf("drain slack outbox: %w", err)
	}
	return nil
}
