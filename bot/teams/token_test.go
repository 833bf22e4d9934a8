package teams

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/clock"
)

func TestTokenURL(t *testing.T) {
	cases := []struct{ template, tenant, want string }{
		{"", testTenant, "https://login.microsoftonline.com/" + testTenant + "/oauth2/v2.0/token"},
		{"", MultiTenantAuthority, "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"},
		{"https://login.microsoftonline.us/{tenant}/oauth2/v2.0/token", testTenant, "https://login.microsoftonline.us/" + testTenant + "/oauth2/v2.0/token"},
	}
	for _, c := range cases {
		if got := tokenURL(c.template, c.tenant); got != c.want {
			t.Errorf("tokenURL(%q, %q) = %q, want %q", c.template, c.tenant, got, c.want)
		}
	}
}

func TestTokensCachedUntilFiveMinutesBeforeExpiry(t *testing.T) {
	f := newFakeTeams(t)
	now := time.Now()
	for _, tenant := range []string{testTenant, MultiTenantAuthority} {
		t.Run(tenant, func(t *testing.T) {
			f.mu.Lock()
			f.tokenCalls = 0
			f.mu.Unlock()
			s := &tokenSource{url: tokenURL(f.tokenURL(), tenant), appID: testAppID, secret: testSecret, client: f.srv.Client(), now: func() time.Time { return now }}
			calls := func() int { f.mu.Lock(); defer f.mu.Unlock(); return f.tokenCalls }
			tok, err := s.get(t.Context())
			if err != nil || tok != "outbound-token-"+tenant {
				t.Fatalf("token %q (%v), want the %s one", tok, err, tenant)
			}
			now = now.Add(54 * time.Minute) // the token lives 3599 s: 6 minutes left
			_, _ = s.get(t.Context())
			if n := calls(); n != 1 {
				t.Errorf("%d token requests with 6 minutes left, want the cached one", n)
			}
			now = now.Add(2 * time.Minute) // 4 minutes left
			_, _ = s.get(t.Context())
			if n := calls(); n != 2 {
				t.Errorf("%d token requests with 4 minutes left, want a new token", n)
			}
		})
	}
}

func TestTokenRefusedSaysSoWithoutTheSecret(t *testing.T) {
	f := newFakeTeams(t)
	s := &tokenSource{url: tokenURL(f.tokenURL(), testTenant), appID: testAppID, secret: "wrong-secret-value", client: f.srv.Client(), now: time.Now}
	_, err := s.get(t.Context())
	if !errors.Is(err, errTokenRefused) || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("error %v, want errTokenRefused without the secret", err)
	}
}

func TestConnectorRetriesAnExpiredTokenOnce(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if strings.Contains(r.URL.Path, "token") {
			writeJSON(w, map[string]any{"access_token": "t", "expires_in": 3600})
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	c := &connector{tokens: &tokenSource{url: srv.URL + "/token", client: srv.Client(), now: time.Now}, client: srv.Client(), log: testLogger(&logBuffer{}), sleep: clock.Sleep}
	_, err := c.send(t.Context(), srv.URL+"/", "a:1", "", outActivity{Type: "message"})
	var se *statusError
	if !errors.As(err, &se) || se.code != 401 || calls != 4 {
		t.Errorf("error %v after %d calls, want a 401 after token, post, new token, post", err, calls)
	}
}

func TestKeysUnavailableAsksForARetry(t *testing.T) {
	f := newFakeTeams(t)
	h := newHarness(t, f, harnessConfig{})
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	h.adapter.verify = newVerifier(testAppID, down.URL+"/v1/.well-known/openidconfiguration", down.Client(), time.Now)
	mustStatus(t, h.ask(act{ID: "1", Kind: convChannel, Mention: true, Text: "What was total spend last week?"}), 503)
}

func TestBackoff(t *testing.T) {
	cases := []struct {
		asked time.Duration
		n     int
		want  time.Duration
	}{
		{0, 1, 500 * time.Millisecond}, {0, 3, 2 * time.Second}, {3 * time.Second, 1, 3 * time.Second},
		{3 * time.Second, 2, 6 * time.Second}, {0, 20, time.Minute}, {90 * time.Second, 1, 90 * time.Second},
	}
	for _, c := range cases {
		if got := backoff(c.asked, c.n); got != c.want {
			t.Errorf("backoff(%v, %d) = %v, want %v", c.asked, c.n, got, c.want)
		}
	}
}

func TestClockSkewOfFiveMinutes(t *testing.T) {
	f := newFakeTeams(t)
	v := newVerifier(testAppID, f.metadataURL(), f.srv.Client(), time.Now)
	now := time.Now()
	cases := []struct {
		name     string
		exp, nbf time.Time
		ok       bool
	}{
		{"expired 4 minutes ago", now.Add(-4 * time.Minute), now.Add(-time.Hour), true},
		{"valid from 4 minutes on", now.Add(time.Hour), now.Add(4 * time.Minute), true},
		{"expired 6 minutes ago", now.Add(-6 * time.Minute), now.Add(-time.Hour), false},
		{"valid from 6 minutes on", now.Add(time.Hour), now.Add(6 * time.Minute), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := f.validToken()
			s.exp, s.nbf = c.exp, c.nbf
			_, err := v.verify(t.Context(), "Bearer "+s.sign(t))
			if (err == nil) != c.ok {
				t.Errorf("error %v, want ok=%v", err, c.ok)
			}
		})
	}
}
