package teams

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The public cloud's endpoints and the token's fixed claims.
const (
	// DefaultOpenIDMetadataURL is where the Bot Framework publishes the keys
	// it signs requests to bots with.
	DefaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	// ChannelID is the Bot Framework channel Teams' activities come from.
	ChannelID = "msteams"
	// Issuer is the issuer of the tokens the Bot Connector sends.
	Issuer = "https://api.botframework.com"
	// clockSkew is how far a token's exp and nbf may be off.
	clockSkew = 5 * time.Minute
	// keysMaxAge is how long fetched keys are used before they are fetched
	// again; the Bot Framework rolls them over days.
	keysMaxAge = 24 * time.Hour
	// keysMinGap bounds refetches for an unknown key id: a flood of tokens
	// naming made-up keys costs at most one fetch a minute.
	keysMinGap = time.Minute
)

// Why a request was refused. None of them carries the token.
var (
	ErrNoToken      = errors.New("no bearer token")
	ErrUnknownKey   = errors.New("token signed with an unknown key")
	ErrNotEndorsed  = errors.New("signing key not endorsed for the channel")
	ErrServiceURL   = errors.New("token's serviceurl claim does not match the activity's serviceUrl")
	ErrNotTeams     = errors.New("activity is not from Microsoft Teams")
	ErrInvalidToken = errors.New("invalid token")
	// ErrKeysUnavailable: the signing keys could not be fetched, so no
	// token can be checked; the Bot Connector is asked to retry.
	ErrKeysUnavailable = errors.New("signing keys unavailable")
	errKeysMalformed   = errors.New("malformed key set")
)

// signingKey is one key of the OpenID metadata's key set.
type signingKey struct {
	pub          *rsa.PublicKey
	endorsements []string
}

// keySet fetches and caches the Bot Framework's signing keys.
type keySet struct {
	metadataURL string
	client      *http.Client
	now         func() time.Time

	mu      sync.Mutex // held while fetching, so one fetch serves every waiter
	keys    map[string]signingKey
	fetched time.Time // last successful fetch
	tried   time.Time // last attempt
}

// key returns the key with id kid, fetching the key set when it is a day
// old, or when kid is unknown and the last fetch is a minute old.
func (k *keySet) key(ctx context.Context, kid string) (signingKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	key, ok := k.keys[kid]
	stale := k.keys == nil || now.Sub(k.fetched) > keysMaxAge
	if (stale || !ok) && (k.keys == nil || now.Sub(k.tried) >= keysMinGap) {
		k.tried = now
		keys, err := k.fetch(ctx)
		switch {
		case err != nil && k.keys == nil:
			return signingKey{}, fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
		case err == nil:
			k.keys, k.fetched = keys, now
		}
		key, ok = k.keys[kid]
	}
	if !ok {
		return signingKey{}, ErrUnknownKey
	}
	return key, nil
}

// fetch reads the OpenID metadata document and the key set it points to.
func (k *keySet) fetch(ctx context.Context) (map[string]signingKey, error) {
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.getJSON(ctx, k.metadataURL, &meta); err != nil {
		return nil, fmt.Errorf("openid metadata: %w", err)
	}
	if meta.JWKSURI == "" {
		return nil, errors.New("openid metadata: no jwks_uri")
	}
	var set struct {
		Keys []struct {
			Kty          string   `json:"kty"`
			Kid          string   `json:"kid"`
			N            string   `json:"n"`
			E            string   `json:"e"`
			Endorsements []string `json:"endorsements"`
		} `json:"keys"`
	}
	if err := k.getJSON(ctx, meta.JWKSURI, &set); err != nil {
		return nil, fmt.Errorf("openid keys: %w", err)
	}
	keys := map[string]signingKey{}
	for _, jk := range set.Keys {
		if jk.Kty != "RSA" || jk.Kid == "" {
			continue
		}
		pub, err := rsaKey(jk.N, jk.E)
		if err != nil {
			return nil, fmt.Errorf("openid key %s: %w", jk.Kid, err)
		}
		keys[jk.Kid] = signingKey{pub: pub, endorsements: jk.Endorsements}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("openid keys: %w: no RSA key", errKeysMalformed)
	}
	return keys, nil
}

func (k *keySet) getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	return nil
}

// rsaKey decodes a JWK's modulus and exponent.
func rsaKey(n, e string) (*rsa.PublicKey, error) {
	nb, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(n, "="))
	if err != nil {
		return nil, fmt.Errorf("%w: modulus: %w", errKeysMalformed, err)
	}
	eb, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(e, "="))
	if err != nil || len(eb) == 0 || len(eb) > 4 {
		return nil, fmt.Errorf("%w: exponent", errKeysMalformed)
	}
	exp := 0
	for _, b := range eb {
		exp = exp<<8 | int(b)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: exp}, nil
}

// claims are what the bot reads of a Bot Connector token.
type claims struct {
	jwt.RegisteredClaims
	ServiceURL string `json:"serviceurl"`
}

// verifier checks the bearer tokens of inbound requests.
type verifier struct {
	appID  string
	keys   *keySet
	now    func() time.Time
	parser *jwt.Parser
}

func newVerifier(appID, metadataURL string, client *http.Client, now func() time.Time) *verifier {
	return &verifier{appID: appID, now: now, keys: &keySet{metadataURL: metadataURL, client: client, now: now},
		parser: jwt.NewParser(jwt.WithValidMethods([]string{"RS256", "RS384", "RS512"}), jwt.WithIssuer(Issuer),
			jwt.WithAudience(appID), jwt.WithLeeway(clockSkew), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
			jwt.WithTimeFunc(now))}
}

// token is a verified token: its claims and the endorsements of the key
// that signed it, which the activity's channel is checked against.
type token struct {
	serviceURL   string
	endorsements []string
}

// verify checks the Authorization header's bearer token: signature, issuer,
// audience and lifetime. The error never quotes the token.
func (v *verifier) verify(ctx context.Context, header string) (token, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		return token{}, ErrNoToken
	}
	var c claims
	var key signingKey
	_, err := v.parser.ParseWithClaims(strings.TrimSpace(raw), &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		k, err := v.keys.key(ctx, kid)
		if err != nil {
			return nil, err
		}
		key = k
		return k.pub, nil
	})
	switch {
	case errors.Is(err, ErrUnknownKey):
		return token{}, ErrUnknownKey
	case errors.Is(err, ErrKeysUnavailable):
		return token{}, ErrKeysUnavailable
	case err != nil:
		return token{}, fmt.Errorf("%w: %w", ErrInvalidToken, tokenReason(err))
	}
	return token{serviceURL: c.ServiceURL, endorsements: key.endorsements}, nil
}

// tokenReason keeps the jwt library's sentinel (expired, wrong audience…)
// and drops anything else it says: nothing about the token is repeated.
func tokenReason(err error) error {
	for _, e := range []error{jwt.ErrTokenExpired, jwt.ErrTokenNotValidYet, jwt.ErrTokenInvalidAudience, jwt.ErrTokenInvalidIssuer,
		jwt.ErrTokenSignatureInvalid, jwt.ErrTokenMalformed, jwt.ErrTokenUnverifiable, jwt.ErrTokenRequiredClaimMissing, jwt.ErrTokenUsedBeforeIssued} {
		if errors.Is(err, e) {
			return e
		}
	}
	return errors.New("token rejected")
}

// check holds a verified token against the activity it came with: the
// signing key must be endorsed for the activity's channel, and the token
// issued for its service URL.
func (t token) check(channelID, serviceURL string) error {
	if channelID != ChannelID {
		return ErrNotTeams
	}
	if !slices.Contains(t.endorsements, channelID) {
		return ErrNotEndorsed
	}
	if t.serviceURL == "" || !sameServiceURL(t.serviceURL, serviceURL) {
		return ErrServiceURL
	}
	return nil
}

// sameServiceURL compares service URLs, ignoring a trailing slash.
func sameServiceURL(a, b string) bool {
	return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
}
