package teams

import (
	"html"
	"strings"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// Activity types the bot acts on.
const (
	typeMessage            = "message"
	typeConversationUpdate = "conversationUpdate"
	typeInstallationUpdate = "installationUpdate"
)

// Teams' conversation types.
const (
	convPersonal = "personal"
	convGroup    = "groupChat"
	convChannel  = "channel"
)

// activity is what the bot reads of a Bot Framework activity.
type activity struct {
	Type         string       `json:"type"`
	ID           string       `json:"id"`
	ServiceURL   string       `json:"serviceUrl"`
	ChannelID    string       `json:"channelId"`
	From         account      `json:"from"`
	Recipient    account      `json:"recipient"`
	Conversation conversation `json:"conversation"`
	Text         string       `json:"text"`
	ReplyToID    string       `json:"replyToId"`
	Action       string       `json:"action"`
	Entities     []entity     `json:"entities"`
	ChannelData  channelData  `json:"channelData"`
}

type account struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	AADObjectID string `json:"aadObjectId,omitempty"`
}

type conversation struct {
	ID               string `json:"id"`
	ConversationType string `json:"conversationType"`
	TenantID         string `json:"tenantId"`
	IsGroup          bool   `json:"isGroup"`
}

type entity struct {
	Type      string   `json:"type"`
	Text      string   `json:"text"`
	Mentioned *account `json:"mentioned"`
}

type idOnly struct {
	ID string `json:"id"`
}

type channelData struct {
	TeamsChannelID string  `json:"teamsChannelId"`
	TeamsTeamID    string  `json:"teamsTeamId"`
	Channel        *idOnly `json:"channel"`
	Team           *idOnly `json:"team"`
	Tenant         *idOnly `json:"tenant"`
	EventType      string  `json:"eventType"`
}

// messageIDMark separates a channel's id from its reply chain's root in a
// channel conversation's id: 19:…@thread.tacv2;messageid=1700000000000.
const messageIDMark = ";messageid="

// kind is the conversation's type, told from its id when Teams leaves it
// out.
func (a activity) kind() string {
	switch t := a.Conversation.ConversationType; {
	case t != "":
		return t
	case strings.Contains(a.Conversation.ID, messageIDMark) || a.channelID() != "":
		return convChannel
	case a.Conversation.IsGroup:
		return convGroup
	}
	return convPersonal
}

func (a activity) tenant() string {
	if a.Conversation.TenantID != "" {
		return a.Conversation.TenantID
	}
	if a.ChannelData.Tenant != nil {
		return a.ChannelData.Tenant.ID
	}
	return ""
}

// channelID is the team channel's id, "" outside a team.
func (a activity) channelID() string {
	if c := a.ChannelData.Channel; c != nil && c.ID != "" {
		return c.ID
	}
	if a.ChannelData.TeamsChannelID != "" {
		return a.ChannelData.TeamsChannelID
	}
	return ""
}

func (a activity) teamID() string {
	if t := a.ChannelData.Team; t != nil && t.ID != "" {
		return t.ID
	}
	return a.ChannelData.TeamsTeamID
}

// ref is the conversation reference the activity gives: where to post in
// its channel or chat.
func (a activity) ref() data.TeamsRef {
	r := data.TeamsRef{Channel: a.Conversation.ID, Conversation: a.Conversation.ID, ServiceURL: a.ServiceURL,
		Tenant: a.tenant(), Team: a.teamID(), Kind: a.kind()}
	if r.Kind == convChannel {
		base, _, _ := strings.Cut(a.Conversation.ID, messageIDMark)
		r.Channel = firstOf(a.channelID(), base)
		r.Conversation = r.Channel
	}
	return r
}

// message turns a message activity into the bot's message, or reports
// false for one the bot leaves alone: from another bot, empty, or in a
// channel or group chat without mentioning the bot.
func (a activity) message() (bot.Message, bool) {
	if a.Type != typeMessage || a.From.ID == "" || a.From.ID == a.Recipient.ID || strings.HasPrefix(a.From.ID, "28:") {
		return bot.Message{}, false
	}
	text, mentioned := a.cleanText()
	m := bot.Message{Platform: Platform, EventID: eventID(a.Conversation.ID, a.ID), Team: a.tenant(),
		User: a.From.ID, UserAlias: a.From.AADObjectID, Text: text}
	switch a.kind() {
	case convPersonal:
		m.Channel, m.Direct, m.Kind = a.Conversation.ID, true, bot.KindDirect
	case convChannel:
		r := a.ref()
		_, root, ok := strings.Cut(a.Conversation.ID, messageIDMark)
		if !ok || root == "" {
			root = a.ID
		}
		m.Channel, m.Thread, m.InThread, m.Kind = r.Channel, root, root != a.ID, bot.KindMention
	default: // a group chat is one thread
		m.Channel, m.Thread, m.InThread, m.Kind = a.Conversation.ID, a.Conversation.ID, true, bot.KindMention
	}
	if m.Channel == "" || text == "" || !m.Direct && !mentioned {
		return bot.Message{}, false
	}
	return m, true
}

// eventID names an activity for dedup: activity ids are unique within a
// conversation, not across them.
func eventID(conversation, id string) string { return conversation + "|" + id }

// activityOf is the activity id an event id names.
func activityOf(eventID string) string {
	if i := strings.LastIndexByte(eventID, '|'); i >= 0 {
		return eventID[i+1:]
	}
	return ""
}

var (
	atTag  = lazyre.New(`(?s)<at[^>]*>.*?</at>`)
	anyTag = lazyre.New(`<[^>]+>`)
)

// cleanText removes the bot's mentions (the <at>…</at> text each mention
// entity names) and any other markup, and reports whether the bot was
// mentioned.
func (a activity) cleanText() (string, bool) {
	text := a.Text
	mentioned := false
	for _, e := range a.Entities {
		if e.Type != "mention" || e.Mentioned == nil || e.Mentioned.ID != a.Recipient.ID {
			continue
		}
		mentioned = true
		if e.Text != "" {
			text = strings.ReplaceAll(text, e.Text, " ")
		}
	}
	// Other people's mentions keep their names; markup goes.
	text = atTag.ReplaceAllStringFunc(text, func(s string) string { return anyTag.ReplaceAllString(s, "") })
	text = html.UnescapeString(anyTag.ReplaceAllString(text, " "))
	return strings.Join(strings.Fields(text), " "), mentioned
}

func firstOf(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
