package chaos

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDigestClaimantKilled: two serves share one database and race for a
// digest at its scheduled minute. The one that wins the claim is killed
// (SIGKILL) while its post is on its way, and Slack never finishes that
// post. Once the dead one's lease has run out, the other posts the digest
// — once: one top-level digest message in its channel, from the survivor.
func TestDigestClaimantKilled(t *testing.T) {
	t.Parallel()
	db := demoDB(t)
	slack := newFakeSlack(t)
	slack.hold = func(p slackPost) bool { return p.Channel == "C0CMO" }
	// The next whole minute at least 20 s away, for both to be up by then.
	at := time.Now().UTC().Add(20 * time.Second).Truncate(time.Minute).Add(time.Minute)
	config := filepath.Join(t.TempDir(), "reports.yaml")
	yaml := fmt.Sprintf("tz: UTC\ndigests:\n  - name: cmo-chaos\n    audience: cmo\n    channels: [slack:C0CMO]\n    schedule: \"%d %d * * *\"\n    period: last_week\n",
		at.Minute(), at.Hour())
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	procs := map[string]*proc{}
	for _, token := range []string{"xoxb-replica-a", "xoxb-replica-b"} {
		procs[token] = serve(t, token, db, serveEnv(slack, token, map[string]string{"REPORTS_CONFIG": config}))
	}
	t.Logf("digest scheduled at %s; waiting", at.Format(time.TimeOnly))
	var first slackPost
	select {
	case first = <-slack.held:
	case <-time.After(time.Until(at) + 30*time.Second):
		t.Fatal("no replica posted the digest at its minute")
	}
	claimant := procs[first.Token]
	claimant.kill()
	slack.mu.Lock()
	slack.hold = nil
	slack.mu.Unlock()
	killedAt := time.Now()
	var survivor string
	for token := range procs {
		if token != first.Token {
			survivor = token
		}
	}
	waitUntil(t, "the survivor to post the digest", 30*time.Second, func() bool { return len(digestPosts(slack)) > 0 })
	recovered := time.Since(killedAt)
	// Give a second post, were there to be one, the time to show.
	time.Sleep(3 * time.Second)
	posts := digestPosts(slack)
	if len(posts) != 1 || posts[0].Token != survivor {
		t.Fatalf("digest posts %+v; want one, from the survivor %s", posts, survivor)
	}
	t.Logf("claimant %s killed mid-post; %s posted the digest once, %s after the kill (lease 2s)", first.Token, survivor, recovered.Round(100*time.Millisecond))
}

// digestPosts are the top-level messages in the digest's channel.
func digestPosts(f *fakeSlack) []slackPost {
	var out []slackPost
	for _, p := range f.Posts() {
		if p.Channel == "C0CMO" && p.Thread == "" {
			out = append(out, p)
		}
	}
	return out
}
