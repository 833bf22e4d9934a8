package slack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Request signing (https://api.slack.com/authentication/verifying-requests-from-slack).
const (
	headerSignature = "X-Slack-Signature"
	headerTimestamp = "X-Slack-Request-Timestamp"
	maxClockSkew    = 5 * time.Minute
	maxBody         = 1 << 20
)

var (
	errNoSignature  = errors.New("missing signature headers")
	errStale        = errors.New("timestamp outside five minutes")
	errBadSignature = errors.New("signature mismatch")
	errNoSecret     = errors.New("no signing secret configured")
)

// Sign returns the X-Slack-Signature Slack would send for body at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%d:", ts.Unix())
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// verify checks a request's v0 signature: HMAC-SHA256 of
// "v0:timestamp:body" under the signing secret, compared in constant time,
// the timestamp within five minutes of now.
func verify(secret string, now time.Time, h http.Header, body []byte) error {
	if secret == "" {
		return errNoSecret
	}
	sig, tsText := h.Get(headerSignature), h.Get(headerTimestamp)
	if sig == "" || tsText == "" {
		return errNoSignature
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", tsText, err)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > maxClockSkew || d < -maxClockSkew {
		return errStale
	}
	want, ok := strings.CutPrefix(sig, "v0=")
	got, err := hex.DecodeString(want)
	if !ok || err != nil {
		return errBadSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", tsText)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), got) {
		return errBadSignature
	}
	return nil
}

// verified reads the body and lets the request through only when Slack
// signed it; anything else is a 401 and nothing is processed. The handler
// gets the body read (r.Body reads it again).
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r)
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		if err := verify(a.signingSecret, a.now(), r.Header, body); err != nil {
			a.log.Warn("refused unsigned slack request", slog.String("path", r.URL.Path), slog.String("remote", r.RemoteAddr), slog.Any("error", err))
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, body)
	})
}

// readBody reads a request body of at most maxBody bytes, in one
// allocation when the request says how long it is (the server stops the
// body at that length).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, maxBody)
	if n := r.ContentLength; n >= 0 && n <= maxBody {
		buf := make([]byte, n)
		if _, err := io.ReadFull(body, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	return io.ReadAll(body)
}
