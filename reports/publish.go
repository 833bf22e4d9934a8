package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/sowhat-ai/sowhat/wording"
)

// Publisher posts a message to a channel. Each chat adapter implements it;
// channel is what the configuration names ("slack:C0123FIN"), or, behind a
// Router, the id after the kind ("C0123FIN").
type Publisher interface {
	Publish(ctx context.Context, channel string, m Message) error
}

// PostChecker is a Publisher that can find what it posted: whether a
// message posted with key (Message.Key) is in channel, posted at or after
// since. The scheduler asks it before finishing a digest run another
// replica died posting, so that no channel gets the run twice.
type PostChecker interface {
	Posted(ctx context.Context, channel, key string, since time.Time) (bool, error)
}

// Message is a digest or an alert, ready to post.
type Message struct {
	// Key identifies the publication (a digest run's claim key): a
	// publisher that can find its own posts (PostChecker) tags the post
	// with it.
	Key   string
	Title string
	// Text is the whole message as plain text: the fallback for adapters
	// that do not lay out Digest or Alert themselves.
	Text   string
	Digest *Digest
	Alert  *Alert
	Charts []Chart
}

// Chart is a PNG image attached to a message.
type Chart struct {
	Name string `json:"name"` // a file name: "spend-vs-budget.png"
	PNG  []byte `json:"-"`
}

// Router sends each message to the publisher of its channel's kind, with the
// kind taken off: "slack:C0123" goes to Router["slack"] as "C0123".
type Router map[string]Publisher

// Publish implements Publisher.
func (r Router) Publish(ctx context.Context, channel string, m Message) error {
	kind, id, ok := SplitChannel(channel)
	if !ok {
		return fmt.Errorf("publish to %q: %w", channel, CheckChannel(channel))
	}
	p, ok := r[kind]
	if !ok || p == nil {
		return fmt.Errorf("publish to %s: no %s adapter is configured", channel, kind)
	}
	if err := p.Publish(ctx, id, m); err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	return nil
}

// Posted implements PostChecker: it asks the publisher of the channel's
// kind, and says false for a kind whose publisher cannot tell.
func (r Router) Posted(ctx context.Context, channel, key string, since time.Time) (bool, error) {
	kind, id, ok := SplitChannel(channel)
	if !ok {
		return false, fmt.Errorf("check %q: %w", channel, CheckChannel(channel))
	}
	pc, ok := r[kind].(PostChecker)
	if !ok {
		return false, nil
	}
	posted, err := pc.Posted(ctx, id, key, since)
	if err != nil {
		return false, fmt.Errorf("check %s: %w", channel, err)
	}
	return posted, nil
}

// DigestMessage is the message that posts a digest.
func DigestMessage(d *Digest) Message {
	return Message{Title: d.Title + " · " + wording.LabeledPeriodText(d.Period), Text: Text(d), Digest: d, Charts: d.Charts}
}

// AlertMessage is the message that posts an alert.
func AlertMessage(a Alert) Message {
	return Message{Key: a.Key, Title: a.Title, Text: a.Text(), Alert: &a}
}
