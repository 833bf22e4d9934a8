package chaos

import (
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// drainDeadline is how long serve may take to stop once signalled: its
// shutdown grace (30 s) and a margin.
const drainDeadline = 35 * time.Second

// TestSignalDrains: serve is sent SIGTERM (or SIGINT, as from a terminal)
// while the answers to a burst of mentions are queued and posting, with
// Slack slow to take the first posts. It stops taking events (one sent
// just after the signal is either refused or answered), answers every one
// it acknowledged, exactly once, and exits 0 well within its
// deadline, leaving no event unfinished in the state database: nothing
// half-posted for a restart to find.
func TestSignalDrains(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sig  os.Signal
		// silentConn: a connection is open that never sends a request, as
		// a load balancer's may be.
		silentConn bool
	}{
		{"SIGTERM", syscall.SIGTERM, false},
		{"SIGINT", syscall.SIGINT, false},
		{"SIGTERM with a silent connection open", syscall.SIGTERM, true},
	}
	for _, tt := range tests {
		sig := tt.sig
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const n = 40
			db := demoDB(t)
			slack := newFakeSlack(t)
			slack.hold = func(slackPost) bool { return true }
			srv := serve(t, "serve", db, serveEnv(slack, "xoxb-chaos", nil))
			acked := burst(srv.addr, burstEvents(n), 8, nil)
			if len(acked) != n {
				t.Fatalf("%d of %d events acknowledged", len(acked), n)
			}
			if tt.silentConn {
				conn, err := net.Dial("tcp", srv.addr)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
			}
			select {
			case <-slack.held:
			case <-time.After(30 * time.Second):
				t.Fatal("no answer was posted")
			}
			go func() { // Slack takes each held post once released
				for range slack.held {
				}
			}()
			if err := srv.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			signalled := time.Now()
			late := event{id: "EvLATE", channel: "C9999", user: "U9999", ts: "1790000001.000001", text: questions[0]}
			if deliver(&http.Client{Timeout: 3 * time.Second}, srv.addr, late, 0) {
				acked[late.id] = true // taken before the listener closed: answered too
			}
			time.Sleep(300 * time.Millisecond) // Slack is slow a while longer
			postedAtSignal := len(slack.answered())
			close(slack.release)

			if err := srv.wait(drainDeadline); err != nil {
				t.Fatalf("serve exited with %v after %s, want 0:\n%s", err, sig, srv.out.String())
			}
			took := time.Since(signalled)
			answered := slack.answered()
			for id := range acked {
				if answered[id] != 1 {
					t.Errorf("event %s answered %d times, want once", id, answered[id])
				}
			}
			if len(answered) != len(acked) {
				t.Errorf("%d events answered, %d acknowledged", len(answered), len(acked))
			}
			if k := unfinished(t, db); k != 0 {
				t.Errorf("%d events left unfinished in the state database", k)
			}
			if log := srv.out.String(); !strings.Contains(log, "sowhat stopped") || strings.Contains(log, "level=ERROR") {
				t.Errorf("serve did not stop cleanly:\n%s", log)
			}
			if postedAtSignal >= len(acked) {
				t.Errorf("every answer was posted before the signal: the drain tested nothing")
			}
			t.Logf("%s with %d of %d answers posted: exited 0 in %s with all %d answered once", sig, postedAtSignal, len(acked), took.Round(time.Millisecond), len(answered))
		})
	}
}
