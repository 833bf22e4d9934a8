package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// SlackSettings are how sowhat reaches Slack and whom it answers there.
// LoadConfig checks everything but the credentials, which only the
// commands that talk to Slack need: CheckServe and CheckPost check them.
type SlackSettings struct {
	BotToken      string // SLACK_BOT_TOKEN, xoxb-
	AppToken      string // SLACK_APP_TOKEN, xapp-: Socket Mode when set
	SigningSecret string // SLACK_SIGNING_SECRET: HTTP mode
	APIURL        string // SLACK_API_URL: Web API base URL
	Policy        bot.PolicyConfig
	UserRate      bot.Rate // SLACK_USER_RATE
}

// SocketMode reports whether Slack is reached over Socket Mode.
func (s SlackSettings) SocketMode() bool { return s.AppToken != "" }

// Shapes of Slack ids: channels (public C, private G, DM D), users (U, W).
var (
	channelID = lazyre.New(`^[CGD][A-Z0-9]{2,}$`)
	userID    = lazyre.New(`^[UW][A-Z0-9]{2,}$`)
	// A channel or user of either platform, where the policy names both.
	anyChannelID = eitherOf(channelID, teamsChannelID)
	anyUserID    = eitherOf(userID, teamsUserID)
)

// eitherOf matches what any of the shapes matches.
func eitherOf(shapes ...*lazyre.Regexp) *lazyre.Regexp {
	parts := make([]string, len(shapes))
	for i, s := range shapes {
		parts[i] = "(?:" + s.String() + ")"
	}
	return lazyre.New(strings.Join(parts, "|"))
}

// readSlackSettings reads the Slack settings and checks all but the
// credentials, reporting every bad variable.
func readSlackSettings(getenv func(string) string) (SlackSettings, error) {
	s := SlackSettings{
		BotToken:      strings.TrimSpace(getenv(varSlackBotToken)),
		AppToken:      strings.TrimSpace(getenv(varSlackAppToken)),
		SigningSecret: strings.TrimSpace(getenv(varSlackSigningSecret)),
		APIURL:        strings.TrimSpace(getenv("SLACK_API_URL")),
	}
	errs := []error{checkURL("SLACK_API_URL", s.APIURL, "the Web API base URL, such as https://slack-gov.com/api/")}
	var err error
	s.Policy, err = readPolicy(getenv)
	errs = append(errs, err)
	s.UserRate, err = readRate(getenv("SLACK_USER_RATE"))
	errs = append(errs, err)
	return s, errors.Join(errs...)
}

// CheckServe checks the credentials `sowhat serve` needs: the bot token,
// and the app token (Socket Mode) or the signing secret (HTTP). Errors
// name the variable and never show its value.
func (s SlackSettings) CheckServe() error {
	errs := []error{checkBotToken(s.BotToken)}
	switch {
	case s.AppToken != "" && !strings.HasPrefix(s.AppToken, "xapp-"):
		errs = append(errs, errors.New(varSlackAppToken+" must start with xapp- (an app-level token with the connections:write scope, Basic Information → App-Level Tokens); leave it empty to serve over HTTP"))
	case s.AppToken == "" && s.SigningSecret == "":
		errs = append(errs, errors.New(varSlackSigningSecret+" is not set: HTTP mode needs the app's Signing Secret (Basic Information → App Credentials); or set "+varSlackAppToken+" (xapp-…) for Socket Mode"))
	}
	return errors.Join(errs...)
}

// SigningSecretWarning says, without showing it, when the signing secret
// has a shape Slack's usually don't (32 hexadecimal characters), as a
// Client Secret or a token pasted in its place would; "" when it looks
// usual or isn't used. The secret is opaque to Slack's scheme, so an
// unusual one is served with all the same: requests it doesn't verify are
// refused.
func (s SlackSettings) SigningSecretWarning() string {
	v := s.SigningSecret
	switch {
	case s.AppToken != "" || v == "":
		return ""
	case strings.HasPrefix(v, "xox") || strings.HasPrefix(v, "xapp-"):
		return varSlackSigningSecret + " looks like a token, not the app's Signing Secret (Basic Information → App Credentials); requests from Slack will be refused unless it is the Signing Secret"
	case !isHex(v):
		return varSlackSigningSecret + " is not the usual 32 hexadecimal characters; if requests from Slack are refused, check it is the app's Signing Secret (Basic Information → App Credentials), not the Client Secret"
	}
	return ""
}

// CheckPost checks what posting to Slack needs and no more, the bot token:
// sowhat digest --send and the alert check after an ingest post without
// serving.
func (s SlackSettings) CheckPost() error { return checkBotToken(s.BotToken) }

func checkBotToken(token string) error {
	switch {
	case token == "":
		return errors.New(varSlackBotToken + " is not set: want the app's Bot User OAuth Token, xoxb-… (api.slack.com/apps → your app → OAuth & Permissions)")
	case !strings.HasPrefix(token, "xoxb-"):
		return errors.New(varSlackBotToken + " must start with xoxb- (the Bot User OAuth Token, not a user xoxp- or app-level xapp- token)")
	}
	return nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && len(s) == 32
}

// envSensitiveChannels lists the channels cleared for the sensitive
// metrics.
const envSensitiveChannels = "SENSITIVE_CHANNELS"

// readPolicy reads the allowlists, the sensitive-metric policy and the
// audiences, reporting every bad variable.
func readPolicy(getenv func(string) string) (bot.PolicyConfig, error) {
	var c bot.PolicyConfig
	var errs []error
	ids := func(name string, shape *lazyre.Regexp, want string) []string {
		ids, err := readIDs(getenv, name, shape, want)
		errs = append(errs, err)
		return ids
	}
	c.AllowedChannels = ids("SLACK_ALLOWED_CHANNELS", channelID, "channel ids such as C0123ABCD (channel details → About)")
	c.AllowedUsers = ids("SLACK_ALLOWED_USERS", userID, "member ids such as U0123ABCD (profile → ⋮ → Copy member ID)")
	c.SensitiveChannels = ids(envSensitiveChannels, anyChannelID, "channel ids such as C0123ABCD (Slack) or 19:…@thread.tacv2 (Teams)")
	c.SensitiveUsers = ids("SENSITIVE_USERS", anyUserID, "member ids such as U0123ABCD (Slack), Entra object ids or 29:… ids (Teams)")
	c.SensitiveMetrics = bot.DefaultSensitiveMetrics
	switch v := strings.TrimSpace(getenv("SENSITIVE_METRICS")); strings.ToLower(v) {
	case "":
	case "none":
		c.SensitiveMetrics = nil
	default:
		c.SensitiveMetrics = bot.ParseList(strings.ToLower(v))
		if _, err := bot.NewPolicy(bot.PolicyConfig{SensitiveMetrics: c.SensitiveMetrics}); err != nil {
			errs = append(errs, fmt.Errorf("SENSITIVE_METRICS=%q: %w; or none", v, err))
		}
	}
	if v := getenv("AUDIENCES"); v != "" {
		var err error
		c.Audiences, err = readAudiences(v)
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// readAudiences reads AUDIENCES: C0FINANCE=cfo,U123ABC=cmo.
func readAudiences(v string) (map[string]string, error) {
	a, err := bot.ParseAssignments(v)
	if err != nil {
		return nil, fmt.Errorf("AUDIENCES: %w", err)
	}
	for id := range a {
		if !anyChannelID.MatchString(id) && !anyUserID.MatchString(id) {
			return nil, fmt.Errorf("AUDIENCES: %q is not a channel or member id (want C0FINANCE=cfo,U123ABC=cmo; Teams ids such as 19:…@thread.tacv2 and Entra object ids too)", id)
		}
	}
	if _, err := bot.NewPolicy(bot.PolicyConfig{Audiences: a}); err != nil {
		return nil, fmt.Errorf("AUDIENCES: %w", err)
	}
	return a, nil
}

func readIDs(getenv func(string) string, name string, shape *lazyre.Regexp, want string) ([]string, error) {
	ids := bot.ParseList(getenv(name))
	for _, id := range ids {
		if !shape.MatchString(id) {
			return nil, fmt.Errorf("%s: %q is not an id: want comma-separated %s", name, id, want)
		}
	}
	return ids, nil
}

// readRate reads SLACK_USER_RATE: "10/min" by default, "off" for none.
func readRate(v string) (bot.Rate, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return bot.DefaultUserRate, nil
	case "off", "none", "0":
		return bot.Rate{}, nil
	}
	r, err := bot.ParseRate(v)
	if err != nil {
		return bot.Rate{}, fmt.Errorf("SLACK_USER_RATE=%w; or off", err)
	}
	return r, nil
}
