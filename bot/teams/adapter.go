package teams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/clock"
	"github.com/sowhat-ai/sowhat/data"
)

// Platform is the name messages from Teams carry.
const Platform = "teams"

// PathMessages is the endpoint the Bot Connector posts activities to.
const PathMessages = "/api/messages"

// Defaults.
const (
	// ackBudget is how long an activity may wait for room in the bot's
	// queue before the connector is told to deliver it again: it gives up
	// on a bot after 15 seconds.
	ackBudget = 5 * time.Second
	// maxCalls bounds the connector calls in flight at once.
	maxCalls = 16
	// maxBody bounds an inbound activity.
	maxBody = 1 << 20
)

// Refs keeps conversation references; *data.State is one.
type Refs interface {
	SaveTeamsRef(ctx context.Context, r data.TeamsRef) error
	TeamsRef(ctx context.Context, channel string) (data.TeamsRef, error)
	MarkTeamsUnreachable(ctx context.Context, channel string) (bool, error)
	LatestTeamsChannelRef(ctx context.Context) (data.TeamsRef, error)
}

// Adapter connects a bot to Microsoft Teams through the Bot Connector.
type Adapter struct {
	bot       *bot.Bot
	appID     string
	refs      Refs
	log       *slog.Logger
	now       func() time.Time
	client    *http.Client
	ackBudget time.Duration

	metadataURL string
	tokenURL    string
	tenant      string

	verify *verifier
	conn   *connector
	out    *outbox

	mu    sync.Mutex
	known map[string]data.TeamsRef // by channel: what was last saved
	seen  map[string]bool          // service URLs of verified activities

	connMu  sync.Mutex
	tokenOK bool
	connWhy string
}

// Option configures an Adapter.
type Option func(*Adapter)

// WithTenant sets the app's Entra tenant, which a single-tenant bot gets
// its tokens from; without it (a legacy multi-tenant bot) tokens come from
// botframework.com.
func WithTenant(id string) Option { return func(a *Adapter) { a.tenant = id } }

// WithOpenIDMetadataURL points token verification at another OpenID
// metadata document (a sovereign cloud, a test server).
func WithOpenIDMetadataURL(u string) Option { return func(a *Adapter) { a.metadataURL = u } }

// WithTokenURL sets the token endpoint; {tenant} in it is replaced by the
// app's tenant.
func WithTokenURL(u string) Option { return func(a *Adapter) { a.tokenURL = u } }

// WithHTTPClient sets the client for the metadata, token and connector
// calls.
func WithHTTPClient(c *http.Client) Option { return func(a *Adapter) { a.client = c } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(a *Adapter) { a.log = l } }

// WithClock sets the time tokens are checked by.
func WithClock(now func() time.Time) Option { return func(a *Adapter) { a.now = now } }

// WithRefs keeps conversation references in r (the state database), so
// that replies after a restart and proactive posts find their way.
func WithRefs(r Refs) Option { return func(a *Adapter) { a.refs = r } }

// New returns an adapter for b as the bot with this Microsoft app id and
// client secret.
func New(b *bot.Bot, appID, password string, opts ...Option) *Adapter {
	a := &Adapter{bot: b, appID: appID, log: slog.Default(), now: time.Now, ackBudget: ackBudget,
		metadataURL: DefaultOpenIDMetadataURL, tokenURL: DefaultTokenURL, client: newHTTPClient(),
		known: map[string]data.TeamsRef{}, seen: map[string]bool{}}
	for _, o := range opts {
		o(a)
	}
	authority := a.tenant
	if authority == "" {
		authority = MultiTenantAuthority
	}
	a.verify = newVerifier(appID, a.metadataURL, a.client, a.now)
	tokens := &tokenSource{url: tokenURL(a.tokenURL, authority), appID: appID, secret: password, client: a.client, now: a.now}
	a.conn = &connector{tokens: tokens, client: a.client, log: a.log, sleep: clock.Sleep}
	a.out = newOutbox(a.conn, a.log)
	return a
}

// NewPublisher returns an adapter that only posts digests and alerts.
func NewPublisher(appID, password string, opts ...Option) *Adapter {
	return New(nil, appID, password, opts...)
}

func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxCalls
	return &http.Client{Timeout: 30 * time.Second, Transport: t}
}

// Connect gets a token for the app, which checks its id and secret.
func (a *Adapter) Connect(ctx context.Context) error {
	_, err := a.conn.tokens.get(ctx)
	a.connMu.Lock()
	defer a.connMu.Unlock()
	if err != nil {
		a.connWhy = "no token for the app: " + tokenReasonText(err)
		return fmt.Errorf("teams token: %w", err)
	}
	a.tokenOK, a.connWhy = true, ""
	return nil
}

func tokenReasonText(err error) string {
	if errors.Is(err, errTokenRefused) {
		return "the app id or password was refused"
	}
	return "the token endpoint could not be reached"
}

// Connected reports whether the app has got a token at least once, and
// why not when it hasn't; the reason carries no secret.
func (a *Adapter) Connected() (bool, string) {
	a.connMu.Lock()
	defer a.connMu.Unlock()
	if !a.tokenOK {
		if a.connWhy == "" {
			return false, "no token for the app yet"
		}
		return false, a.connWhy
	}
	return true, ""
}

// Close waits for the outbox to post what it holds, or for ctx to end.
func (a *Adapter) Close(ctx context.Context) error { return a.out.close(ctx) }

// remember keeps an activity's conversation reference, in memory and in
// the state database when it is new or changed, and trusts its service
// URL: the activity was verified.
func (a *Adapter) remember(ctx context.Context, r data.TeamsRef) error {
	if r.Channel == "" || r.ServiceURL == "" {
		return nil
	}
	a.mu.Lock()
	a.seen[normURL(r.ServiceURL)] = true
	same := a.known[r.Channel] == r
	a.mu.Unlock()
	if same || a.refs == nil {
		a.keep(r)
		return nil
	}
	if err := a.refs.SaveTeamsRef(ctx, r); err != nil {
		return err
	}
	a.keep(r)
	return nil
}

func (a *Adapter) keep(r data.TeamsRef) {
	a.mu.Lock()
	a.known[r.Channel] = r
	a.mu.Unlock()
}

// ref finds how to reach a channel or chat: as last seen by this process,
// else as stored by any replica. Only references from verified activities
// are ever stored.
func (a *Adapter) ref(ctx context.Context, channel string) (data.TeamsRef, error) {
	a.mu.Lock()
	r, ok := a.known[channel]
	a.mu.Unlock()
	if ok {
		return r, nil
	}
	if a.refs == nil {
		return data.TeamsRef{}, fmt.Errorf("teams conversation %s: %w", channel, data.ErrNotFound)
	}
	r, err := a.refs.TeamsRef(ctx, channel)
	if err != nil {
		return data.TeamsRef{}, fmt.Errorf("teams conversation %s: %w", channel, err)
	}
	a.mu.Lock()
	a.seen[normURL(r.ServiceURL)] = true
	a.known[channel] = r
	a.mu.Unlock()
	return r, nil
}

func normURL(u string) string { return strings.ToLower(strings.TrimRight(u, "/")) }

// Send renders r and queues it for the conversation m came from, in its
// reply chain; it returns at once, and the outbox posts it.
func (a *Adapter) Send(ctx context.Context, to bot.Message, r bot.Reply) error {
	ref, err := a.ref(ctx, to.Channel)
	if err != nil {
		return err
	}
	conv := ref.Conversation
	if ref.Kind == convChannel && to.Thread != "" {
		conv = ref.Channel + messageIDMark + to.Thread
	}
	d := delivery{lane: conv, serviceURL: ref.ServiceURL, conversation: conv, replyTo: activityOf(to.EventID), eventID: to.EventID,
		posting: r.Posting, done: r.Done,
		build: func(ctx context.Context) outActivity {
			var png []byte
			if r.Answer != nil && r.Chart != nil {
				png = r.Chart(ctx)
			}
			return Render(r, png)
		}}
	if r.Posted != nil {
		thread := to.Thread
		d.posted = func(id string) { r.Posted(firstOf(thread, id)) }
	}
	return a.out.add(d)
}

var _ bot.Sender = (*Adapter)(nil)
