package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"

	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/reports"
	"github.com/sowhat-ai/sowhat/wording"
)

// NewPublisher returns an adapter that only posts digests and alerts
// (sowhat digest --send, the alert check after an ingest): no bot behind
// it, so it must not serve events or Socket Mode.
func NewPublisher(botToken string, opts ...Option) *Adapter { return New(nil, botToken, opts...) }

// Publish implements reports.Publisher: it posts m to channel (an id such as
// C0123FIN) and returns once it is posted. A digest is laid out by
// RenderDigest, its first message in the channel and any others in that
// message's thread; an alert is one message; m.Text is what notifications
// show. m's charts are uploaded into the thread. Every call goes through
// the channel's lane, paced and rate-limited with the bot's replies.
//
// ctx is checked before anything is posted; once posting starts it runs to
// the end (429s waited out), bounded only by Close, so that a shutdown does
// not leave half a digest. Once the first message is posted the publication
// counts as posted: a later failure (a reply, a chart) is logged, not
// returned, so that the scheduler does not post the digest again.
func (a *Adapter) Publish(ctx context.Context, channel string, m reports.Message) error {
	msgs := publication(m)
	if len(msgs) == 0 {
		return errors.New("publish: the message is empty")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	l, err := a.out.begin(channel)
	if err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	defer a.out.wg.Done()

	thread, err := a.out.postFirst(l, channel, msgs[0], m.Key)
	if err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	var errs []error
	for i, msg := range msgs[1:] {
		d := delivery{channel: channel, thread: thread, msg: msg}
		if err := a.out.deliver(l, d); err != nil {
			errs = append(errs, fmt.Errorf("part %d of %d: %w", i+2, len(msgs), err))
		}
	}
	for _, c := range m.Charts {
		if err := a.out.upload(channel, thread, chartFile(m, c)); err != nil {
			errs = append(errs, fmt.Errorf("chart %s: %w", c.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		a.log.Error("posted to slack only in part", slog.String("channel", channel), slog.String("title", m.Title), slog.String("thread", thread), slog.Any("error", err))
	}
	return nil
}

var _ reports.Publisher = (*Adapter)(nil)

// publication lays m out as the messages to post, the first in the
// channel and the rest in its thread.
func publication(m reports.Message) []Message {
	switch {
	case m.Digest != nil:
		fallback := m.Text
		if fallback == "" {
			fallback = reports.Text(m.Digest)
		}
		return renderDigest(m.Digest, fallback)
	case m.Alert != nil:
		return []Message{RenderAlert(*m.Alert, m.Text)}
	}
	return renderPlain(m.Title, m.Text)
}

// file is a chart on its way into a thread.
type file struct {
	name, title, alt string
	png              []byte
}

// chartFile names a chart after the digest section it belongs to.
func chartFile(m reports.Message, c reports.Chart) file {
	f := file{name: c.Name, title: c.Name, png: c.PNG}
	if f.name == "" {
		f.name, f.title = "sowhat-chart.png", m.Title
	}
	if m.Digest == nil {
		return f
	}
	for _, s := range m.Digest.Sections {
		if s.Chart == c.Name {
			f.title = clip(s.Title+" · "+wording.LabeledPeriodText(m.Digest.Period), 200)
			f.alt = clip(s.Answer.Summary, maxAltText)
			break
		}
	}
	return f
}

// begin returns channel's lane for a publication, registered so that
// close waits for it as for queued replies.
func (o *outbox) begin(channel string) (*lane, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil, errOutboxClosed
	}
	l := o.lane(channel)
	o.wg.Add(1)
	return l, nil
}

// postFirst posts a publication's first message and returns its ts, the
// thread the rest goes into.
func (o *outbox) postFirst(l *lane, channel string, msg Message, key string) (string, error) {
	var ts string
	err := o.deliver(l, delivery{channel: channel, msg: msg, key: key, posted: func(t string) { ts = t }})
	if err != nil && notInChannel(err) {
		return "", fmt.Errorf("%w (invite the bot: /invite @sowhat in the channel)", err)
	}
	if err == nil && ts == "" {
		err = errors.New("chat.postMessage: Slack returned no message ts")
	}
	return ts, err
}

// upload shares a PNG into a thread: a digest's charts and an answer's
// chart alike; an empty one (nothing drawn) is nothing to share. Uploads
// are files calls, outside the channel's pace for messages: the channel's
// next answer never waits behind a chart.
func (o *outbox) upload(channel, thread string, f file) error {
	if len(f.png) == 0 {
		return nil
	}
	return o.call(nil, "files.completeUploadExternal", func(ctx context.Context) error {
		_, err := o.api.UploadFileContext(ctx, slackapi.UploadFileParameters{
			Reader: bytes.NewReader(f.png), FileSize: len(f.png), Filename: f.name,
			Title: f.title, AltTxt: f.alt, Channel: channel, ThreadTimestamp: thread,
		})
		return err
	})
}
