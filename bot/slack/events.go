package slack

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// innerEvent is what the bot reads of an Events API event, from either
// transport: HTTP decodes it straight from the body, Socket Mode converts
// slack-go's typed events into it.
type innerEvent struct {
	Type        string    `json:"type"`
	User        string    `json:"user"`
	Text        string    `json:"text"`
	Channel     string    `json:"channel"`
	ChannelType string    `json:"channel_type"`
	TS          string    `json:"ts"`
	ThreadTS    string    `json:"thread_ts"`
	BotID       string    `json:"bot_id"`
	SubType     string    `json:"subtype"`
	Edited      *struct{} `json:"edited"`
}

// fromEvent turns a Socket Mode Events API event into a message, or
// reports false for events the bot leaves alone. payload is the envelope's
// payload as delivered: an event without an id is named by its digest.
func (a *Adapter) fromEvent(ev slackevents.EventsAPIEvent, payload []byte) (bot.Message, bool) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return bot.Message{}, false
	}
	var in innerEvent
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		in = innerEvent{Type: "app_mention", User: e.User, Text: e.Text, Channel: e.Channel, TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, BotID: e.BotID}
		if e.Edited != nil {
			in.Edited = &struct{}{}
		}
	case *slackevents.MessageEvent:
		in = innerEvent{Type: "message", User: e.User, Text: e.Text, Channel: e.Channel, ChannelType: e.ChannelType, TS: e.TimeStamp, ThreadTS: e.ThreadTimeStamp, BotID: e.BotID, SubType: e.SubType}
	default:
		return bot.Message{}, false
	}
	return a.fromInner(ev.TeamID, eventKey(cb.EventID, payload), in)
}

// eventKey is what an event is deduplicated by: the id Slack gives it, or,
// when it gives none, a digest of the delivered event. The digest leaves
// out the request's timestamp: a retry is signed anew, at a new time,
// around the same event, and an event carries its own ts, so two events
// never share a body.
func eventKey(id string, body []byte) string {
	if id != "" {
		return id
	}
	return "event:" + digest(body)
}

// commandKey is what a slash command is deduplicated by: its trigger id,
// unique to each invocation, or, when it has none, a digest of the signed
// request, timestamp and body, so that one request delivered twice is
// answered once and the same question asked again later is answered again.
func commandKey(triggerID, timestamp string, body []byte) string {
	if triggerID != "" {
		return "command:" + triggerID
	}
	return "command:" + digest([]byte("v0:"+timestamp+":"), body)
}

// digest is a hex SHA-256 of parts run together.
func digest(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// nowhere logs an event the bot won't answer because it names no channel
// (or user) to answer. Slack always names one. Such an event is
// acknowledged and dropped: Slack delivers again an event it gets no 200
// for, and counts the failures against the app's subscription. A slash
// command, which Slack never delivers again, is refused with a 400.
func (a *Adapter) nowhere(kind, key string) {
	a.log.Warn("slack "+kind+" names no channel to answer in; not answered", slog.String("event_id", key))
}

// fromInner turns an event into a message, or reports false for events the
// bot leaves alone: other bots, its own messages, edits, deletions, and
// channel messages that don't mention it.
func (a *Adapter) fromInner(team, eventID string, e innerEvent) (bot.Message, bool) {
	m := bot.Message{Platform: Platform, EventID: eventID, Team: team}
	switch e.Type {
	case "app_mention":
		// A mention in a direct message also arrives as message.im.
		if e.BotID != "" || e.Edited != nil || e.User == "" || e.User == a.botUserID || isDM(e.Channel) {
			return bot.Message{}, false
		}
		m.User, m.Channel, m.Thread, m.InThread = e.User, e.Channel, threadOf(e.ThreadTS, e.TS), inThread(e.ThreadTS, e.TS)
		m.Kind, m.Text = bot.KindMention, a.cleanText(e.Text)
	case "message":
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" || e.User == "" || e.User == a.botUserID {
			return bot.Message{}, false
		}
		m.User, m.Channel, m.Thread, m.InThread = e.User, e.Channel, threadOf(e.ThreadTS, e.TS), inThread(e.ThreadTS, e.TS)
		m.Kind, m.Direct, m.Text = bot.KindDirect, true, a.cleanText(e.Text)
	default:
		return bot.Message{}, false
	}
	if m.Channel == "" {
		a.nowhere(e.Type, eventID)
		return bot.Message{}, false
	}
	return m, true
}

// fromCommand turns a slash command, named by key (see commandKey), into a
// message, or reports false for one that names no channel or user, which
// no answer could go to. The answer starts a new message in the channel.
// A command is never Direct: typed in a DM between two people its answer
// would be seen by both, so it gets a channel's policy, not the asker's
// own.
func (a *Adapter) fromCommand(c slackapi.SlashCommand, key string) (bot.Message, bool) {
	if c.ChannelID == "" || c.UserID == "" {
		a.nowhere("slash command", key)
		return bot.Message{}, false
	}
	return bot.Message{Platform: Platform, EventID: key, Team: c.TeamID, User: c.UserID,
		Channel: c.ChannelID, Kind: bot.KindCommand, Text: a.cleanText(c.Text), ReplyURL: c.ResponseURL}, true
}

// fromAction turns a press of a suggestion button into the question it
// names, asked in the thread of the message that offered it.
func (a *Adapter) fromAction(cb slackapi.InteractionCallback) (bot.Message, bool) {
	if cb.Type != slackapi.InteractionTypeBlockActions {
		return bot.Message{}, false
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if !strings.HasPrefix(act.ActionID, ActionAsk) || act.Value == "" {
			continue
		}
		channel := cb.Container.ChannelID
		if channel == "" {
			channel = cb.Channel.ID
		}
		thread := cb.Container.ThreadTs
		if thread == "" {
			thread = threadOf(cb.Message.ThreadTimestamp, cb.Container.MessageTs)
		}
		id := cb.TriggerID
		if id == "" {
			id = cb.User.ID + ":" + act.ActionTs
		}
		if channel == "" || cb.User.ID == "" {
			a.nowhere("button press", "action:"+id)
			return bot.Message{}, false
		}
		return bot.Message{Platform: Platform, EventID: "action:" + id, Team: cb.Team.ID, User: cb.User.ID,
			Channel: channel, Thread: thread, InThread: true, Direct: isDM(channel), Kind: bot.KindAction, Text: act.Value}, true
	}
	return bot.Message{}, false
}

// threadOf is where a reply goes: the thread the message is in, or the
// thread it starts.
func threadOf(threadTS, ts string) string {
	if threadTS != "" {
		return threadTS
	}
	return ts
}

// inThread reports whether a message is a reply in a thread rather than
// one that may start a thread.
func inThread(threadTS, ts string) bool { return threadTS != "" && threadTS != ts }

// isDM reports whether a conversation id is a direct message.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

var (
	markup        = lazyre.New(`<([^<>]*)>`)
	entityDecoder = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// cleanText turns Slack's message markup into the plain question: the
// bot's own mention removed, other mentions, channels and links as their
// labels, entities decoded.
func (a *Adapter) cleanText(s string) string {
	s = markup.ReplaceAllStringFunc(s, func(tag string) string {
		inner := tag[1 : len(tag)-1]
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@"):
			id := target[1:]
			if id == a.botUserID || (a.botUserID == "" && strings.HasPrefix(strings.TrimSpace(s), tag)) {
				return ""
			}
			if hasLabel {
				return "@" + label
			}
			return target
		case strings.HasPrefix(target, "#"):
			if hasLabel {
				return "#" + label
			}
			return target
		case strings.HasPrefix(target, "!"):
			return ""
		case hasLabel:
			return label
		}
		return target
	})
	s = entityDecoder.Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
