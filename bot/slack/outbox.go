package slack

import (
	"bytes"
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
)

// delivery is one reply on its way to a channel.
type delivery struct {
	channel, thread, user, eventID string
	private                        bool
	msg                            Message
	chart                          func() []byte // draws the chart, if any
	chartTitle, chartAlt           string
	posted                         func(thread string)
	// responseURL answers a slash command where the bot can't post.
	responseURL string
	// queued is set for a reply counted in the outbox's posts backlog.
	queued bool
}

// outbox posts deliveries one channel lane at a time: each channel gets at
// most one message per pace, in order, while other channels go on. A 429
// pauses every lane for its Retry-After (growing on repeats) and the
// message is tried again; nothing accepted is dropped short of shutdown.
type outbox struct {
	api   *slackapi.Client
	log   *slog.Logger
	pace  time.Duration
	calls chan struct{} // a token per Web API call in flight
	// posts counts messages accepted and not yet posted: charts wait for
	// them.
	posts bot.Backlog

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

func newOutbox(api *slackapi.Client, log *slog.Logger, pace time.Duration) *outbox {
	ctx, cancel := context.WithCancel(context.Background())
	return &outbox{api: api, log: log, pace: pace, calls: make(chan struct{}, maxCalls), ctx: ctx, cancel: cancel, lanes: map[string]*lane{}}
}

var errOutboxClosed = errors.New("slack outbox is closed")

// add queues d on its channel's lane, starting the lane if it was idle.
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

func (o *outbox) add(d delivery) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errOutboxClosed
	}
	l := o.lane(d.channel)
	d.queued = true
	l.queue = append(l.queue, d)
	o.posts.Add()
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
			o.log.Error("post to slack", slog.String("channel", channel), slog.String("event_id", d.eventID), slog.Any("error", err))
		}
	}
}

// chartDefer bounds how long a chart waits for the messages queued before
// it to be posted.
const chartDefer = 2 * time.Second

// deliver posts the message, then its chart into the thread: the chart is
// drawn and uploaded once the messages waiting to be posted are, the
// channel's next ones included.
func (o *outbox) deliver(l *lane, d delivery) error {
	ts, responded, err := o.postMessage(l, d)
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
	// The chart waits on its own, so the channel's next messages don't
	// wait behind it. The lane this runs in is counted in o.wg, so close
	// can't be waiting yet.
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		if err := o.shareChart(l, d, thread); err != nil {
			o.log.Error("share chart", slog.String("channel", d.channel), slog.String("event_id", d.eventID), slog.Any("error", err))
		}
	}()
	return nil
}

// shareChart draws d's chart and uploads it into thread, once the messages
// waiting to be posted are: before drawing, and again before uploading, as
// answers keep coming while it draws.
func (o *outbox) shareChart(l *lane, d delivery, thread string) error {
	o.posts.Wait(o.ctx, chartDefer)
	png := d.chart()
	if len(png) == 0 {
		return nil
	}
	o.posts.Wait(o.ctx, chartDefer)
	return o.call(l, "files.completeUploadExternal", func(ctx context.Context) error {
		_, err := o.api.UploadFileContext(ctx, slackapi.UploadFileParameters{
			Reader: bytes.NewReader(png), FileSize: len(png), Filename: "sowhat-chart.png",
			Title: d.chartTitle, AltTxt: d.chartAlt, Channel: d.channel, ThreadTimestamp: thread,
		})
		return err
	})
}

// postMessage posts d's message and returns its ts, or reports that it
// answered through the slash command's response_url because the bot can't
// post in the channel.
func (o *outbox) postMessage(l *lane, d delivery) (ts string, responded bool, err error) {
	if d.queued {
		defer o.posts.Done()
	}
	err = o.call(l, "chat.postMessage", func(ctx context.Context) error {
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

// call runs one Web API call within the channel's pace and Slack's rate
// limits. 429s are retried until Slack relents; network errors and 5xx a
// few times; anything else (not_in_channel, invalid_blocks) is final.
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
			o.cleared()
			return nil
		case errors.As(err, &limited):
			wait := o.limited(limited.RetryAfter)
			o.log.Warn("slack rate limit", slog.String("method", method), slog.Duration("retry_after", limited.RetryAfter), slog.Duration("wait", wait))
		case isTransient(err) && transient < maxTransient:
			transient++
			o.log.Warn("slack call failed, retrying", slog.String("method", method), slog.Int("attempt", transient), slog.Any("error", err))
			if err := sleep(o.ctx, time.Duration(transient)*500*time.Millisecond); err != nil {
				return fmt.Errorf("%s: %w", method, err)
			}
		default:
			return fmt.Errorf("%s: %w", method, err)
		}
	}
}

// waitTurn waits for the channel's pace and any 429 pause.
func (o *outbox) waitTurn(l *lane) error {
	if err := l.lim.Wait(o.ctx); err != nil {
		return err
	}
	for {
		o.mu.Lock()
		wait := time.Until(o.resume)
		o.mu.Unlock()
		if wait <= 0 {
			return nil
		}
		if err := sleep(o.ctx, wait); err != nil {
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
	if r := time.Now().Add(wait); r.After(o.resume) {
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

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops taking deliveries and waits for the lanes to empty; when ctx
// ends first, calls in flight are cancelled and what is left is logged.
func (o *outbox) close(ctx context.Context) error {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	done := make(chan struct{})
	go func() { o.wg.Wait(); close(done) }()
	select {
	case <-done:
		o.cancel()
		return nil
	case <-ctx.Done():
		o.cancel()
		<-done
		return fmt.Errorf("drain slack outbox: %w", ctx.Err())
	}
}
