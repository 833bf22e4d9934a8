package teams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/reports"
)

// Publish implements reports.Publisher: it posts m to a team's channel
// (its id, 19:…@thread.tacv2) as a new thread, and returns once it is
// posted: a digest's first card starts the thread, any other cards and
// each chart follow as replies in it; an alert is one card. The channel
// must be known from a verified activity (the app installed in its team,
// or a message there).
//
// Once the first card is posted the publication counts as posted: a later
// failure is logged, not returned, so the scheduler does not post it
// again. When Teams says the app was removed from the team (403
// MessageWritesBlocked), the channel is marked unreachable and that is
// reported once; the channel is then passed over, without an error, until
// the app is seen there again.
func (a *Adapter) Publish(ctx context.Context, channel string, m reports.Message) error {
	acts := publication(m)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	ref, err := a.ref(ctx, channel)
	if errors.Is(err, data.ErrNotFound) && a.refs != nil && strings.HasPrefix(channel, "19:") {
		// A channel no one has spoken to the bot in: reached through the
		// service URL and tenant of the team channels it knows.
		ref, err = a.refs.LatestTeamsChannelRef(ctx)
		ref.Channel, ref.Conversation, ref.Team = channel, channel, ""
	}
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("publish to %s: %w (install sowhat in the channel's team first: Teams tells the bot its channels then)", channel, err)
	}
	if err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	if ref.Unreachable {
		a.log.Debug("teams channel unreachable since the app was removed; not posted", slog.String("channel", channel), slog.String("title", m.Title))
		return nil
	}
	if err := a.out.begin(); err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	defer a.out.wg.Done()
	conv, root, err := a.startThread(ref, acts[0])
	if errors.Is(err, ErrAppRemoved) {
		if !a.removed(context.WithoutCancel(ctx), channel) {
			return nil // another replica found out first, and said so
		}
		a.log.Error("sowhat was removed from the team of a channel digests and alerts post to; not posting there until it is added back",
			slog.String("channel", channel), slog.String("title", m.Title))
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	if err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	var errs []error
	rest := acts[1:]
	for _, c := range m.Charts {
		if len(c.PNG) > 0 {
			rest = append(rest, chartCard(m, c))
		}
	}
	for i, act := range rest {
		if ActivitySize(act) > MaxActivitySize {
			errs = append(errs, fmt.Errorf("part %d: too big to post", i+2))
			continue
		}
		if _, err := a.out.post(ref.ServiceURL, conv, root, act); err != nil {
			errs = append(errs, fmt.Errorf("part %d of %d: %w", i+2, len(rest)+1, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		a.log.Error("posted to teams only in part", slog.String("channel", channel), slog.String("title", m.Title), slog.Any("error", err))
	}
	return nil
}

var _ reports.Publisher = (*Adapter)(nil)

// startThread posts act as a new thread in ref's channel.
func (a *Adapter) startThread(ref data.TeamsRef, act outActivity) (conv, root string, err error) {
	if ref.Kind != convChannel {
		// A chat has no threads: the post goes into the conversation.
		id, err := a.out.post(ref.ServiceURL, ref.Conversation, "", act)
		return ref.Conversation, id, err
	}
	p := newConversationParams{IsGroup: true, Bot: account{ID: "28:" + a.appID}, TenantID: ref.Tenant, Activity: act,
		ChannelData: map[string]any{"channel": idOnly{ID: ref.Channel}, "tenant": idOnly{ID: ref.Tenant}}}
	select {
	case a.out.calls <- struct{}{}:
	case <-a.out.ctx.Done():
		return "", "", a.out.ctx.Err()
	}
	defer func() { <-a.out.calls }()
	return a.conn.startThread(a.out.ctx, ref.ServiceURL, p)
}

// publication lays m out as the activities to post, the first starting
// the thread.
func publication(m reports.Message) []outActivity {
	switch {
	case m.Digest != nil:
		return RenderDigest(m.Digest, m.Text)
	case m.Alert != nil:
		return []outActivity{RenderAlert(*m.Alert, m.Text)}
	}
	return []outActivity{renderPlain(m.Title, m.Text)}
}
