package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Outbound authentication: the bot's own tokens, from Entra ID.
const (
	// DefaultTokenURL is Entra ID's token endpoint; {tenant} is the app's
	// tenant for a single-tenant bot, botframework.com for a multi-tenant
	// one.
	DefaultTokenURL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
	// MultiTenantAuthority is the tenant a legacy multi-tenant bot gets its
	// tokens from.
	MultiTenantAuthority = "botframework.com"
	tokenScope           = "https://api.botframework.com/.default"
	// tokenEarly is how long before its expiry a token is replaced.
	tokenEarly = 5 * time.Minute
)

// tokenSource gets and caches the bot's access token by the client
// credentials grant.
type tokenSource struct {
	url           string // the token endpoint, tenant filled in
	appID, secret string
	client        *http.Client
	now           func() time.Time

	mu      sync.Mutex // held while fetching: one request serves every caller
	token   string
	expires time.Time
}

// tokenURL fills the tenant into the token endpoint template.
func tokenURL(template, tenant string) string {
	if template == "" {
		template = DefaultTokenURL
	}
	return strings.ReplaceAll(template, "{tenant}", url.PathEscape(tenant))
}

// get returns a token valid for at least five more minutes.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && s.now().Before(s.expires.Add(-tokenEarly)) {
		return s.token, nil
	}
	tok, life, err := s.fetch(ctx)
	if err != nil {
		return "", err
	}
	s.token, s.expires = tok, s.now().Add(life)
	return tok, nil
}

// forget drops the cached token, after the connector refused it.
func (s *tokenSource) forget() {
	s.mu.Lock()
	s.token = ""
	s.mu.Unlock()
}

// errTokenRefused is Entra ID refusing the app's credentials: retrying
// does not help.
var errTokenRefused = errors.New("the token endpoint refused the app's credentials")

func (s *tokenSource) fetch(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.appID}, "client_secret": {s.secret}, "scope": {tokenScope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := s.client.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("token request: %w", redactURL(err))
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
	}
	err = json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body)
	switch {
	case res.StatusCode == http.StatusBadRequest || res.StatusCode == http.StatusUnauthorized:
		// Entra's description may echo the client id; its error code is enough.
		return "", 0, fmt.Errorf("token request: %w (%s, %s)", errTokenRefused, res.Status, body.Error)
	case res.StatusCode != http.StatusOK:
		return "", 0, &statusError{op: "token request", code: res.StatusCode, retryAfter: retryAfter(res.Header)}
	case err != nil || body.AccessToken == "":
		return "", 0, errors.New("token request: no access_token in the answer")
	}
	life := time.Duration(body.ExpiresIn) * time.Second
	if life <= 0 {
		life = time.Hour
	}
	return body.AccessToken, life, nil
}

// redactURL keeps a transport error's cause and drops the URL it names.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
