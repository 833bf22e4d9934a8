package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/metrics"
)

// Platform is the name messages from Slack carry.
const Platform = "slack"

// Defaults.
const (
	// DefaultChannelPace is the least time between two messages in one
	// channel: Slack allows about one a second.
	DefaultChannelPace = time.Second
	// ackBudget is how long an incoming request may wait for room in the
	// bot's queue before Slack is told to deliver it again: Slack wants an
	// answer within three seconds.
	ackBudget = 2 * time.Second
	// maxCalls bounds the Web API calls in flight at once, across channels.
	maxCalls = 16
)

// Adapter connects a bot to one Slack workspace.
type Adapter struct {
	bot           *bot.Bot
	api           *slackapi.Client
	appToken      string
	signingSecret string
	apiURL        string
	httpClient    *http.Client
	log           *slog.Logger
	now           func() time.Time
	clock         clock // the outbox's
	pace          time.Duration
	ackBudget     time.Duration
	metrics       *metrics.Metrics

	botUserID string
	out       *outbox

	connMu   sync.Mutex
	authOK   bool   // auth.test succeeded at least once
	socket   bool   // running Socket Mode: its connection is what counts
	socketUp bool   // the Socket Mode websocket is connected
	connWhy  string // why it is not, when it is not
}

// Option configures an Adapter.
type Option func(*Adapter)

// WithAPIURL points the Web API client at another base URL (GovSlack, a
// proxy, a test server), as https://slack.com/api/; a missing trailing
// slash is added.
func WithAPIURL(u string) Option {
	return func(a *Adapter) {
		if u != "" && !strings.HasSuffix(u, "/") {
			u += "/"
		}
		a.apiURL = u
	}
}

// WithSigningSecret sets the secret HTTP requests are verified with.
func WithSigningSecret(s string) Option { return func(a *Adapter) { a.signingSecret = s } }

// WithAppToken sets the app-level token (xapp-) Socket Mode connects with.
func WithAppToken(t string) Option { return func(a *Adapter) { a.appToken = t } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(a *Adapter) { a.log = l } }

// WithMetrics counts the Web API calls, retries and failed posts.
func WithMetrics(m *metrics.Metrics) Option { return func(a *Adapter) { a.metrics = m } }

// WithChannelPace sets the least time between two messages in a channel.
func WithChannelPace(d time.Duration) Option { return func(a *Adapter) { a.pace = d } }

// New returns an adapter for b posting with the bot token (xoxb-).
func New(b *bot.Bot, botToken string, opts ...Option) *Adapter {
	a := &Adapter{bot: b, log: slog.Default(), now: time.Now, pace: DefaultChannelPace,
		ackBudget: ackBudget, clock: wallClock{}, httpClient: newHTTPClient()}
	for _, o := range opts {
		o(a)
	}
	a.api = slackapi.New(botToken, a.clientOptions()...)
	a.out = newOutbox(a.api, a.log, a.pace, a.clock)
	a.out.metrics = a.metrics
	return a
}

// newHTTPClient is the Web API client: connections to Slack are kept open
// for as many calls as the outbox makes at once, so a burst of answers
// doesn't open (and close) a connection per post.
func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxCalls
	return &http.Client{Timeout: 30 * time.Second, Transport: t}
}

func (a *Adapter) clientOptions() []slackapi.Option {
	opts := []slackapi.Option{slackapi.OptionHTTPClient(a.httpClient)}
	if a.apiURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(a.apiURL))
	}
	if a.appToken != "" {
		opts = append(opts, slackapi.OptionAppLevelToken(a.appToken))
	}
	return opts
}

// counted counts a Web API call made outside the outbox, which counts
// its own.
func (a *Adapter) counted(method string, err error) {
	result := "ok"
	var limited *slackapi.RateLimitedError
	switch {
	case err == nil:
	case errors.As(err, &limited):
		result = "rate_limited"
	case isTransient(err):
		result = "transient"
	default:
		result = "error"
	}
	a.metrics.ChatCall(Platform, method, result)
}

// Connect checks the bot token with auth.test and learns the bot's own
// user id, so its own messages and mentions are recognised.
func (a *Adapter) Connect(ctx context.Context) error {
	res, err := a.api.AuthTestContext(ctx)
	a.counted("auth.test", err)
	if err != nil {
		a.setAuth(false, authReason(err))
		return fmt.Errorf("slack auth.test: %w", err)
	}
	a.setAuth(true, "")
	if a.botUserID == "" {
		a.botUserID = res.UserID
	}
	a.log.Info("connected to slack", slog.String("team", res.TeamID), slog.String("bot_user", res.UserID))
	return nil
}

// Connected reports whether the adapter can take and answer messages now,
// and why not when it can't: in Socket Mode, whether the websocket is
// connected; otherwise, whether auth.test has ever succeeded. The reason
// never carries a token or a URL.
func (a *Adapter) Connected() (bool, string) {
	a.connMu.Lock()
	defer a.connMu.Unlock()
	switch {
	case a.socket && !a.socketUp:
		return false, cmp.Or(a.connWhy, "socket mode is not connected")
	case a.socket:
		return true, ""
	case !a.authOK:
		return false, cmp.Or(a.connWhy, "auth.test has not succeeded")
	}
	return true, ""
}

func (a *Adapter) setAuth(ok bool, why string) {
	a.connMu.Lock()
	defer a.connMu.Unlock()
	a.authOK = ok || a.authOK
	if !a.socket && !a.authOK {
		a.connWhy = why
	}
}

// setSocket records the Socket Mode connection's state.
func (a *Adapter) setSocket(up bool, why string) {
	a.connMu.Lock()
	defer a.connMu.Unlock()
	a.socket, a.socketUp, a.connWhy = true, up, why
}

// authReason says why auth.test failed without quoting the request: Slack's
// own error code when it answered, else only that it could not be reached
// (a transport error names the URL, which may carry a password).
func authReason(err error) string {
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) {
		return "auth.test failed: " + se.Err
	}
	var re *slackapi.RateLimitedError
	if errors.As(err, &re) {
		return "auth.test failed: rate limited"
	}
	return "auth.test failed: slack could not be reached"
}

// Send renders r and queues it for the channel m came from; it returns at
// once, and the outbox posts it when the channel's pace allows.
func (a *Adapter) Send(ctx context.Context, to bot.Message, r bot.Reply) error {
	d := delivery{channel: to.Channel, thread: to.Thread, user: to.User, eventID: to.EventID,
		private: r.Private && !to.Direct, msg: Render(r), posted: r.Posted, responseURL: a.responseURL(to),
		posting: r.Posting, done: r.Done}
	if r.Answer != nil && r.Chart != nil {
		d.chart = r.Chart
		d.chartTitle = chartTitle(*r.Answer)
		d.chartAlt = clip(r.Answer.Summary, maxAltText)
	}
	return a.out.add(d)
}

// Close waits for the outbox to post what it holds, or for ctx to end.
func (a *Adapter) Close(ctx context.Context) error { return a.out.close(ctx) }

// enqueue hands m to the bot, waiting at most the ack budget for room.
func (a *Adapter) enqueue(ctx context.Context, m bot.Message) error {
	ctx, cancel := context.WithTimeout(ctx, a.ackBudget)
	defer cancel()
	m.Received = a.now()
	if err := a.bot.Enqueue(ctx, m, a); err != nil {
		a.log.Warn("queue message", slog.String("event_id", m.EventID), slog.Any("error", err))
		return err
	}
	return nil
}

// responseURLLife is how long Slack keeps a slash command's response_url
// valid.
const responseURLLife = 30 * time.Minute

// responseURL is where a slash command may still be answered when the bot
// can't post in its channel (a private channel it isn't in, a DM between
// people): the message's ReplyURL while Slack keeps it valid, kept with the
// event so a replica finishing it after a restart has it too.
func (a *Adapter) responseURL(m bot.Message) string {
	if m.ReplyURL == "" || !m.Received.IsZero() && a.now().Sub(m.Received) > responseURLLife {
		return ""
	}
	return m.ReplyURL
}

var _ bot.Sender = (*Adapter)(nil)

var errNoAppToken = errors.New("socket mode needs an app-level token (xapp-)")
