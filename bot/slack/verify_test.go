package slack

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// Slack's published example of request signing
// (https://api.slack.com/authentication/verifying-requests-from-slack):
// its secret is not hexadecimal, which the scheme doesn't care about.
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = "1531420618"
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerifySlackExample(t *testing.T) {
	at := time.Unix(1531420618, 0)
	header := func(sig string) http.Header {
		h := http.Header{}
		h.Set(headerTimestamp, docTimestamp)
		h.Set(headerSignature, sig)
		return h
	}
	if got := Sign(docSecret, at, []byte(docBody)); got != docSignature {
		t.Errorf("Sign = %s, want Slack's %s", got, docSignature)
	}
	if err := verify(docSecret, at, header(docSignature), []byte(docBody)); err != nil {
		t.Fatalf("Slack's example refused: %v", err)
	}
	if err := verify(docSecret, at.Add(4*time.Minute), header(docSignature), []byte(docBody)); err != nil {
		t.Errorf("Slack's example refused four minutes on: %v", err)
	}
	if err := verify(docSecret, at.Add(6*time.Minute), header(docSignature), []byte(docBody)); !errors.Is(err, errStale) {
		t.Errorf("six minutes on: %v, want %v", err, errStale)
	}

	// Any changed byte, of the body, the signature, the timestamp or the
	// secret, is refused.
	for i := range len(docBody) {
		b := []byte(docBody)
		b[i] ^= 0x01
		if err := verify(docSecret, at, header(docSignature), b); !errors.Is(err, errBadSignature) {
			t.Fatalf("body changed at byte %d: %v, want %v", i, err, errBadSignature)
		}
	}
	for i := len("v0="); i < len(docSignature); i++ {
		s := []byte(docSignature)
		if s[i] = '0'; docSignature[i] == '0' {
			s[i] = '1'
		}
		if err := verify(docSecret, at, header(string(s)), []byte(docBody)); !errors.Is(err, errBadSignature) {
			t.Fatalf("signature changed at byte %d: %v, want %v", i, err, errBadSignature)
		}
	}
	h := header(docSignature)
	h.Set(headerTimestamp, "1531420619")
	if err := verify(docSecret, at, h, []byte(docBody)); !errors.Is(err, errBadSignature) {
		t.Errorf("timestamp changed: %v, want %v", err, errBadSignature)
	}
	if err := verify("8f742231b10e8888abcd99yyyzzz85a6", at, header(docSignature), []byte(docBody)); !errors.Is(err, errBadSignature) {
		t.Errorf("secret changed: %v, want %v", err, errBadSignature)
	}
}
