package teams

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testAppID   = "00000000-0000-0000-0000-00000000a99d"
	testSecret  = "not-a-real-client-secret"
	testTenant  = "11111111-2222-3333-4444-555555555555"
	testChannel = "19:c0ffee@thread.tacv2"
	testTeam    = "19:7ea0@thread.tacv2"
)

// Test keys, made once: k1 is endorsed for msteams, k2 only for another
// channel; k3 is never published.
var (
	keysOnce       sync.Once
	k1, k2, k3     *rsa.PrivateKey
	errTestKeyMade error
)

func testKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		for _, k := range []**rsa.PrivateKey{&k1, &k2, &k3} {
			if *k, errTestKeyMade = rsa.GenerateKey(rand.Reader, 2048); errTestKeyMade != nil {
				return
			}
		}
	})
	if errTestKeyMade != nil {
		t.Fatal(errTestKeyMade)
	}
}

// fakeTeams is the Bot Framework as the bot meets it, speaking the real
// wire formats: the OpenID metadata and its key set, Entra ID's token
// endpoint, and the Bot Connector of one service URL, which records what
// the bot posts.
type fakeTeams struct {
	t   testing.TB
	srv *httptest.Server

	mu            sync.Mutex
	posts         []posted
	metadataCalls int
	tokenCalls    int
	limits        []time.Duration // Retry-After of the next 429s
	fail5xx       int             // next posts answered 503
	blocked       map[string]bool // channels the app was removed from
	seq           int
	changed       chan struct{}
}

// posted is one activity the connector received.
type posted struct {
	Path         string // after the service URL: v3/conversations/…
	Conversation string // the conversation id posted to (unescaped)
	ReplyTo      string
	Auth         string
	Body         map[string]any
	Raw          string
	ID           string
	At           time.Time
}

func newFakeTeams(t testing.TB) *fakeTeams {
	t.Helper()
	testKeys(t)
	f := &fakeTeams{t: t, blocked: map[string]bool{}, changed: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTeams) metadataURL() string { return f.srv.URL + "/v1/.well-known/openidconfiguration" }
func (f *fakeTeams) tokenURL() string    { return f.srv.URL + "/{tenant}/oauth2/v2.0/token" }
func (f *fakeTeams) serviceURL() string  { return f.srv.URL + "/amer/" }

func (f *fakeTeams) serve(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/v1/.well-known/openidconfiguration":
		f.mu.Lock()
		f.metadataCalls++
		f.mu.Unlock()
		writeJSON(w, map[string]any{"issuer": Issuer, "authorization_endpoint": "https://invalid.botframework.com",
			"jwks_uri": f.srv.URL + "/v1/.well-known/keys", "id_token_signing_alg_values_supported": []string{"RS256"},
			"token_endpoint_auth_methods_supported": []string{"private_key_jwt"}})
	case p == "/v1/.well-known/keys":
		writeJSON(w, map[string]any{"keys": []any{jwk("k1", &k1.PublicKey, "msteams", "skype"), jwk("k2", &k2.PublicKey, "webchat")}})
	case strings.HasSuffix(p, "/oauth2/v2.0/token"):
		f.serveToken(w, r)
	case strings.HasPrefix(p, "/amer/v3/conversations"):
		f.serveConnector(w, r)
	default:
		http.NotFound(w, r)
	}
}

func jwk(kid string, k *rsa.PublicKey, endorsements ...string) map[string]any {
	return map[string]any{"kty": "RSA", "use": "sig", "kid": kid, "x5t": kid,
		"n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
		"x5c": []string{"MIIDBTCCAe2gAwIBAgIQ"}, "endorsements": endorsements}
}

func (f *fakeTeams) serveToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	f.mu.Lock()
	f.tokenCalls++
	f.mu.Unlock()
	tenant := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
	if r.Form.Get("grant_type") != "client_credentials" || r.Form.Get("client_id") != testAppID || r.Form.Get("client_secret") != testSecret ||
		r.Form.Get("scope") != "https://api.botframework.com/.default" || (tenant != testTenant && tenant != MultiTenantAuthority) {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
		return
	}
	writeJSON(w, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": "outbound-token-" + tenant})
}

func (f *fakeTeams) serveConnector(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer outbound-token-") {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"message": "Authorization has been denied for this request."})
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		http.Error(w, "bad json", 400)
		return
	}
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/amer/")
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.limits) > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(f.limits[0].Seconds()))
		f.limits = f.limits[1:]
		w.WriteHeader(http.StatusTooManyRequests)
		writeJSON(w, map[string]any{"error": map[string]any{"code": "TooManyRequests", "message": "Too many requests"}})
		return
	}
	if f.fail5xx > 0 {
		f.fail5xx--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	p := posted{Path: rest, Auth: r.Header.Get("Authorization"), Body: body, Raw: string(raw), At: time.Now()}
	parts := strings.Split(strings.TrimPrefix(rest, "v3/conversations"), "/")
	if len(parts) >= 3 && parts[2] == "activities" {
		p.Conversation, _ = url.PathUnescape(parts[1])
		if len(parts) == 4 {
			p.ReplyTo, _ = url.PathUnescape(parts[3])
		}
	}
	f.seq++
	p.ID = fmt.Sprint(1800000000000 + f.seq)
	channel := p.Conversation
	if cd, ok := body["channelData"].(map[string]any); ok {
		if ch, ok := cd["channel"].(map[string]any); ok {
			channel, _ = ch["id"].(string)
		}
	}
	base, _, _ := strings.Cut(channel, messageIDMark)
	if f.blocked[base] {
		w.WriteHeader(http.StatusForbidden)
		writeJSON(w, map[string]any{"error": map[string]any{"code": "MessageWritesBlocked", "message": "Thread is blocked from message writes."}})
		return
	}
	f.posts = append(f.posts, p)
	close(f.changed)
	f.changed = make(chan struct{})
	if p.Conversation == "" { // create conversation: a new thread
		writeJSON(w, map[string]any{"id": base + messageIDMark + p.ID, "activityId": p.ID})
		return
	}
	writeJSON(w, map[string]any{"id": p.ID})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeTeams) Posts() []posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]posted(nil), f.posts...)
}

// waitPosts waits until the connector has n posts, and returns them.
func (f *fakeTeams) waitPosts(t testing.TB, n int, d time.Duration) []posted {
	t.Helper()
	deadline := time.After(d)
	for {
		f.mu.Lock()
		got, ch := len(f.posts), f.changed
		f.mu.Unlock()
		if got >= n {
			return f.Posts()
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("%d posts after %v, want %d", got, d, n)
		}
	}
}

// tokenSpec is a Bot Connector token, valid unless a test changes it.
type tokenSpec struct {
	key        *rsa.PrivateKey
	kid        string
	method     jwt.SigningMethod
	iss, aud   string
	serviceURL string
	exp, nbf   time.Time
}

func (f *fakeTeams) validToken() tokenSpec {
	now := time.Now()
	return tokenSpec{key: k1, kid: "k1", method: jwt.SigningMethodRS256, iss: Issuer, aud: testAppID, serviceURL: f.serviceURL(),
		exp: now.Add(time.Hour), nbf: now.Add(-time.Minute)}
}

func (s tokenSpec) sign(t testing.TB) string {
	t.Helper()
	c := jwt.MapClaims{"iss": s.iss, "aud": s.aud, "exp": s.exp.Unix(), "nbf": s.nbf.Unix(), "iat": s.nbf.Unix(), "serviceurl": s.serviceURL,
		"appid": "d6d49420-f39b-4df7-a1dc-d59a935871db", "ver": "1.0"}
	tok := jwt.NewWithClaims(s.method, c)
	tok.Header["kid"] = s.kid
	tok.Header["x5t"] = s.kid
	raw, err := tok.SignedString(s.key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// act is an activity as the Bot Connector delivers it from Teams.
type act struct {
	ID, Text, User, AAD string
	Kind                string // personal, channel, groupChat
	Root                string // a channel reply chain's root: the activity's own id when empty
	Conversation        string // for chats
	ServiceURL          string
	Channel             string // the Bot Framework channel: msteams unless set
	Mention             bool
}

func (f *fakeTeams) payload(a act) []byte {
	if a.ServiceURL == "" {
		a.ServiceURL = f.serviceURL()
	}
	if a.User == "" {
		a.User = "29:1cmo"
	}
	if a.Channel == "" {
		a.Channel = "msteams"
	}
	if a.AAD == "" {
		a.AAD = "6f1a9c3e-0000-4000-8000-00000000c0c0"
	}
	botAcct := map[string]any{"id": "28:" + testAppID, "name": "sowhat"}
	text := a.Text
	var entities []any
	if a.Mention {
		text = "<at>sowhat</at> " + a.Text
		entities = append(entities, map[string]any{"type": "mention", "text": "<at>sowhat</at>", "mentioned": botAcct})
	}
	entities = append(entities, map[string]any{"type": "clientInfo", "locale": "en-US", "country": "US", "platform": "Web", "timezone": "Europe/London"})
	conv := map[string]any{"tenantId": testTenant}
	cd := map[string]any{"tenant": map[string]any{"id": testTenant}}
	switch a.Kind {
	case convChannel:
		root := a.Root
		if root == "" {
			root = a.ID
		}
		conv["id"], conv["conversationType"], conv["isGroup"] = testChannel+messageIDMark+root, convChannel, true
		cd["teamsChannelId"], cd["teamsTeamId"] = testChannel, testTeam
		cd["channel"], cd["team"] = map[string]any{"id": testChannel}, map[string]any{"id": testTeam}
	case convGroup:
		conv["id"], conv["conversationType"], conv["isGroup"] = a.Conversation, convGroup, true
	default:
		conv["id"], conv["conversationType"] = a.Conversation, convPersonal
	}
	b, _ := json.Marshal(map[string]any{
		"text": text, "textFormat": "plain", "type": "message", "timestamp": time.Now().UTC().Format(time.RFC3339Nano),
		"localTimestamp": time.Now().Format(time.RFC3339Nano), "id": a.ID, "channelId": a.Channel, "serviceUrl": a.ServiceURL,
		"from":         map[string]any{"id": a.User, "name": "Casey Morgan", "aadObjectId": a.AAD},
		"conversation": conv, "recipient": botAcct, "entities": entities, "channelData": cd, "locale": "en-US", "localTimezone": "Europe/London",
		"attachments": []any{map[string]any{"contentType": "text/html", "content": "<div>" + text + "</div>"}},
	})
	return b
}
