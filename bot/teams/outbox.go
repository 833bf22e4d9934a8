package teams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/sowhat-ai/sowhat/bot"
)

// delivery is one activity on its way to a conversation.
type delivery struct {
	lane, serviceURL, conversation, replyTo, eventID string
	// build renders the activity, drawing its chart if it has one: called
	// in the lane, just before the post.
	build  func(ctx context.Context) outActivity
	posted func(id string)
	// posting and done, when set, hear that the activity is about to be
	// posted, and that it was posted or failed for good.
	posting, done func()
}

// outbox posts deliveries one conversation lane at a time, in order,
// while other conversations go on, at most maxCalls calls in flight. A
// lane is a goroutine only while it has deliveries. A 429 holds its lane
// for the Retry-After Teams asks (see connector.call); nothing accepted is
// dropped short of a shutdown that runs out of time.
type outbox struct {
	conn  *connector
	log   *slog.Logger
	calls chan struct{}

	ctx    context.Context // cancelled only when a shutdown runs out of time
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
	lanes  map[string][]delivery // queued deliveries of the running lanes
}

func newOutbox(conn *connector, log *slog.Logger) *outbox {
	ctx, cancel := context.WithCancel(context.Background())
	return &outbox{conn: conn, log: log, calls: make(chan struct{}, maxCalls), ctx: ctx, cancel: cancel, lanes: map[string][]delivery{}}
}

var errOutboxClosed = errors.New("teams outbox is closed")

// add queues d on its lane, starting the lane if it was idle.
func (o *outbox) add(d delivery) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errOutboxClosed
	}
	q, running := o.lanes[d.lane]
	o.lanes[d.lane] = append(q, d)
	if !running {
		o.wg.Add(1)
		go o.drain(d.lane)
	}
	return nil
}

// drain posts a lane's deliveries until it is empty.
func (o *outbox) drain(lane string) {
	defer o.wg.Done()
	for {
		o.mu.Lock()
		q := o.lanes[lane]
		if len(q) == 0 {
			delete(o.lanes, lane)
			o.mu.Unlock()
			return
		}
		d := q[0]
		o.lanes[lane] = q[1:]
		o.mu.Unlock()
		if _, err := o.deliver(d); err != nil {
			o.log.Error("post to teams", slog.String("conversation", d.conversation), slog.String("event_id", d.eventID), slog.Any("error", err))
		}
	}
}

// deliver renders and posts one activity, returning its id.
func (o *outbox) deliver(d delivery) (string, error) {
	act := d.build(o.ctx)
	act.ReplyToID = d.replyTo
	if d.posting != nil {
		d.posting()
	}
	id, err := o.post(d.serviceURL, d.conversation, d.replyTo, act)
	if d.done != nil && (err == nil || o.ctx.Err() == nil) {
		// Cut short by a shutdown that ran out of time, the reply is not
		// done: a restart finishes it.
		d.done()
	}
	if err == nil && d.posted != nil {
		d.posted(id)
	}
	return id, err
}

// post makes one connector call within the bound on calls in flight.
func (o *outbox) post(serviceURL, conversation, replyTo string, act outActivity) (string, error) {
	select {
	case o.calls <- struct{}{}:
	case <-o.ctx.Done():
		return "", fmt.Errorf("post activity: %w", o.ctx.Err())
	}
	defer func() { <-o.calls }()
	return o.conn.send(o.ctx, serviceURL, conversation, replyTo, act)
}

// begin registers a publication, so that close waits for it as for
// queued replies.
func (o *outbox) begin() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errOutboxClosed
	}
	o.wg.Add(1)
	return nil
}

// close stops taking deliveries and waits for the lanes to empty; when ctx
// ends first, calls in flight are cancelled.
func (o *outbox) close(ctx context.Context) error {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	if err := bot.Drain(ctx, &o.wg, o.cancel); err != nil {
		return fmt.Errorf("drain teams outbox: %w", err)
	}
	return nil
}
