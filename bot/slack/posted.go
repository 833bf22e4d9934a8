package slack

import (
	"context"
	"fmt"
	"strconv"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/reports"
)

// answerEventType is the metadata event type every answer is posted with;
// its payload names the event it answers, so that a replica finishing an
// event another died posting can see whether the answer went out.
const answerEventType = "sowhat_answer"

func answerMetadata(eventID string) slackapi.SlackMetadata {
	return slackapi.SlackMetadata{EventType: answerEventType, EventPayload: map[string]any{"event_id": eventID}}
}

// publicationEventType is the metadata event type of the first message of
// a digest or an alert; its payload holds its claim (reports.Message.Key).
const publicationEventType = "sowhat_report"

func publicationMetadata(key string) slackapi.SlackMetadata {
	return slackapi.SlackMetadata{EventType: publicationEventType, EventPayload: map[string]any{"key": key}}
}

// Posted implements reports.PostChecker: whether a publication with key is
// among the channel's messages since since (conversations.history, which
// needs the history scope of the channel's kind).
func (a *Adapter) Posted(ctx context.Context, channel, key string, since time.Time) (bool, error) {
	return a.inHistory(ctx, channel, since, func(m slackapi.Message) bool {
		if m.Metadata.EventType != publicationEventType {
			return false
		}
		k, _ := m.Metadata.EventPayload["key"].(string)
		return k == key
	})
}

var _ reports.PostChecker = (*Adapter)(nil)

// answers reports whether msg is an answer to the event.
func answers(msg slackapi.Message, eventID string) bool {
	md := msg.Metadata
	if md.EventType != answerEventType {
		return false
	}
	id, _ := md.EventPayload["event_id"].(string)
	return id == eventID
}

// AlreadyPosted reports whether an answer to the message is in Slack: in
// its thread (conversations.replies), or, for a slash command, whose answer
// starts a thread of its own, among the channel's messages since it was
// received (conversations.history). Both read the metadata answers are
// posted with. It needs the history scopes of the channel's kind.
func (a *Adapter) AlreadyPosted(ctx context.Context, to bot.Message) (bool, error) {
	if to.Thread != "" {
		cursor := ""
		for {
			msgs, more, next, err := a.api.GetConversationRepliesContext(ctx, &slackapi.GetConversationRepliesParameters{
				ChannelID: to.Channel, Timestamp: to.Thread, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
			a.counted("conversations.replies", err)
			if err != nil {
				return false, fmt.Errorf("conversations.replies: %w", err)
			}
			for _, m := range msgs {
				if answers(m, to.EventID) {
					return true, nil
				}
			}
			if !more || next == "" {
				return false, nil
			}
			cursor = next
		}
	}
	since := to.Received
	if !since.IsZero() {
		since = since.Add(-time.Minute)
	}
	return a.inHistory(ctx, to.Channel, since, func(m slackapi.Message) bool { return answers(m, to.EventID) })
}

// inHistory reports whether a message of the channel's since since (zero:
// all) matches.
func (a *Adapter) inHistory(ctx context.Context, channel string, since time.Time, match func(slackapi.Message) bool) (bool, error) {
	oldest := ""
	if !since.IsZero() {
		oldest = strconv.FormatFloat(float64(since.UnixMicro())/1e6, 'f', 6, 64)
	}
	cursor := ""
	for {
		res, err := a.api.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
			ChannelID: channel, Oldest: oldest, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
		a.counted("conversations.history", err)
		if err != nil {
			return false, fmt.Errorf("conversations.history: %w", err)
		}
		for _, m := range res.Messages {
			if match(m) {
				return true, nil
			}
		}
		if !res.HasMore || res.ResponseMetaData.NextCursor == "" {
			return false, nil
		}
		cursor = res.ResponseMetaData.NextCursor
	}
}

var _ bot.PostChecker = (*Adapter)(nil)
