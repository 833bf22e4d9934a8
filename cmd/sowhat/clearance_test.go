package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/reports"
)

// TestServeRefusesDigestInUnclearedChannel: a CFO digest configured into a
// channel not cleared for finance metrics stops serve at start, with an
// error naming the digest, its channel, the metrics and the setting to
// change; cleared, or a CMO digest, serve starts, as it does with the
// built-in digests (their finance sections are left out when posted).
func TestServeRefusesDigestInUnclearedChannel(t *testing.T) {
	cases := []struct {
		name     string
		audience string
		cleared  string // SENSITIVE_CHANNELS
		refused  bool
		builtIn  bool // no configuration file: the built-in digests to REPORTS_CHANNEL
	}{
		{"cfo digest in marketing", "cfo", "", true, false},
		{"cfo digest in marketing, finance cleared", "cfo", "C0FINANCE", true, false},
		{"cfo digest in a cleared channel", "cfo", "C0MARKETING", false, false},
		{"cmo digest in marketing", "cmo", "", false, false},
		{"built-in digests in marketing", "", "", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			config := writeFile(t, "reports.yaml", `
digests:
  - name: weekly
    audience: `+tc.audience+`
    channels: [slack:C0MARKETING]
    schedule: "0 8 * * MON"
`)
			fake := httptest.NewServer(&fakeSlackAPI{})
			defer fake.Close()
			vars := map[string]string{"DATABASE_URL": demoDatabase(t, digestAsOf), "SOWHAT_ENV_FILE": "",
				"SLACK_BOT_TOKEN": testBotToken, "SLACK_SIGNING_SECRET": testSecret, "SLACK_API_URL": fake.URL + "/api/", reports.EnvConfig: config,
				"SENSITIVE_CHANNELS": tc.cleared}
			if tc.builtIn {
				delete(vars, reports.EnvConfig)
				vars[reports.EnvChannel] = "slack:C0MARKETING"
			}
			err := serveBriefly(t, vars)
			if !tc.refused {
				if err != nil {
					t.Fatalf("serve: %v, want it to start", err)
				}
				return
			}
			if err == nil {
				t.Fatal("serve started, want it refused")
			}
			for _, want := range []string{"digest weekly (line 3)", "CAC, CAC payback and MER", "slack:C0MARKETING", "add C0MARKETING to SENSITIVE_CHANNELS"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// serveBriefly runs serve until it is healthy or fails, and returns its
// error (nil when it started and stopped cleanly).
func serveBriefly(t *testing.T, vars map[string]string) error {
	t.Helper()
	cfg, err := LoadConfig(envOf(vars))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{cfg: cfg, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, now: time.Now,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- cmdServe(ctx, e, []string{"--addr", addr}) }()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			return err
		default:
		}
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			cancel()
			return <-done
		}
	}
	t.Fatal("serve neither started nor failed in 30s")
	return nil
}
