package bot

import (
	"context"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// Kind says how a message reached the bot.
type Kind string

// The kinds of message adapters deliver.
const (
	KindMention Kind = "mention" // the bot was mentioned in a channel
	KindDirect  Kind = "direct"  // a direct message to the bot
	KindCommand Kind = "command" // a slash command (/sowhat ...)
	KindAction  Kind = "action"  // a button pressed on one of the bot's messages
)

// Message is a question as an adapter delivers it: ids and plain text, the
// platform's markup already removed.
type Message struct {
	Platform string // "slack", "teams"
	// EventID is the platform's id for this delivery; a retry or duplicate
	// carries the same one.
	EventID string
	Team    string
	User    string
	// UserAlias is another id the platform knows the same person by,
	// which allowlists and audiences may name instead (Teams: the Entra
	// object id beside the Teams user id).
	UserAlias string
	Channel   string
	// Thread is the thread to reply in (the question's own id when it
	// started one); empty means a new top-level message (slash commands).
	Thread string
	// InThread is true when the message is a reply in an existing thread,
	// so the thread may hold the context of an earlier question.
	InThread bool
	// Direct is true in a one-to-one conversation with the bot.
	Direct bool
	Kind   Kind
	Text   string
	// Received is when the adapter acknowledged the message.
	Received time.Time
	// ReplyURL is where the platform lets this message be answered when
	// the bot cannot post in its channel (a Slack slash command's
	// response_url, valid for 30 minutes after Received). It is kept with
	// the event, so a replica that takes the event over can still answer
	// it. It grants a post: it is never logged.
	ReplyURL string `json:",omitempty"`
}

// ThreadKey names the conversation a message belongs to, for keeping
// context between a question and its follow-ups.
func ThreadKey(platform, channel, thread string) string {
	return platform + ":" + channel + ":" + thread
}

// Reply is what the bot says back. Exactly one of Answer and Notice is set.
type Reply struct {
	// Answer is an answer to render: numbers, or a clarifying question.
	Answer *model.Answer
	// Notice is a short message in plain words: a refusal, "slow down", a
	// failure.
	Notice string
	// Chart, when the answer has one worth drawing, draws it as a PNG (nil
	// if drawing failed, or the chart was dropped in a burst). Adapters
	// call it once the answer is posted, so drawing never holds an answer
	// up; it waits for its turn among a few chart workers, or until ctx
	// ends.
	Chart func(ctx context.Context) []byte
	// Brief asks for the headline and the so-what only, for readers who
	// want no table (cfo, ceo).
	Brief bool
	// Private asks that only the asker see it, where the platform can.
	Private bool
	// Posted, if set, is called once the reply is posted, with the thread
	// it landed in (the new message's id when it started one).
	Posted func(thread string)
	// Posting, if set, is called just before the platform is asked to post
	// the reply, and Done once it is posted or has failed for good. Set by
	// the bot: a Sender calls them when they are set.
	Posting func()
	Done    func()
}

// Sender delivers replies on one platform. Send may deliver later (the
// platform's pacing); it must not drop a reply it accepted.
type Sender interface {
	Send(ctx context.Context, to Message, r Reply) error
}
