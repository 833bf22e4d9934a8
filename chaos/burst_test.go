package chaos

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/data"
)

// questions are what the burst asks, in turn.
var questions = []string{
	"ROAS last week", "spend by platform last week", "what was revenue last month", "CPA by platform last month",
	"top 5 campaigns by ROAS last week", "how is spend pacing this month", "revenue trend over the last 8 weeks",
	"compare spend this month vs last month", "why did ROAS change last week", "conversions by platform yesterday",
}

// event is one app_mention Slack would deliver.
type event struct {
	id, channel, user, ts, text string
}

func burstEvents(n int) []event {
	evs := make([]event, n)
	for i := range evs {
		evs[i] = event{id: fmt.Sprintf("Ev%05d", i), channel: fmt.Sprintf("C%04d", i%100), user: fmt.Sprintf("U%04d", i),
			ts: fmt.Sprintf("1790000000.%06d", i), text: questions[i%len(questions)]}
	}
	return evs
}

// deliver posts e to the server as Slack does, signed, with Slack's three
// seconds to answer; retry > 0 marks a redelivery. It reports whether the
// server acknowledged it (HTTP 200).
func deliver(client *http.Client, addr string, e event, retry int) bool {
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T0ACME", "api_app_id": "A0SOWHAT", "event_id": e.id,
		"event_time": 1790000000, "event": map[string]any{"type": "app_mention", "user": e.user, "text": "<@U0SOWHAT> " + e.text,
			"ts": e.ts, "channel": e.channel, "event_ts": e.ts}})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+slackbot.PathEvents, bytes.NewReader(body))
	now := time.Now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(now.Unix()))
	req.Header.Set("X-Slack-Signature", slackbot.Sign(testSecret, now, body))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", fmt.Sprint(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_error")
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// burst delivers evs from workers goroutines at once and returns which
// were acknowledged; after each acknowledgement, onAck is told how many
// there are.
func burst(addr string, evs []event, workers int, onAck func(n int64)) map[string]bool {
	client := &http.Client{Timeout: 3 * time.Second}
	var acks atomic.Int64
	var mu sync.Mutex
	acked := map[string]bool{}
	next := make(chan event)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for e := range next {
				if deliver(client, addr, e, 0) {
					mu.Lock()
					acked[e.id] = true
					mu.Unlock()
					if onAck != nil {
						onAck(acks.Add(1))
					}
				}
			}
		})
	}
	for _, e := range evs {
		next <- e
	}
	close(next)
	wg.Wait()
	return acked
}

// unfinished counts the events the state database of db (a SQLite file,
// or a PostgreSQL URL whose database holds the state too) has not
// finished.
func unfinished(t testing.TB, db string) int {
	t.Helper()
	driver, dsn := "sqlite3", "file:"+data.StatePath(db)+"?mode=ro&_busy_timeout=5000"
	if strings.HasPrefix(db, "postgres") {
		driver, dsn = "pgx", db
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM bot_events WHERE state <> 'done'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// resumedCount adds up the "resumed unfinished events" log lines' counts.
func resumedCount(log string) int {
	n := 0
	for _, line := range strings.Split(log, "\n") {
		if i := strings.Index(line, "resumed unfinished events"); i >= 0 {
			var k int
			if j := strings.Index(line, "events="); j >= 0 {
				fmt.Sscanf(line[j+len("events="):], "%d", &k)
			}
			n += k
		}
	}
	return n
}

// TestKillMidBurst: 200 mentions arrive at once; the server is killed
// (SIGKILL) after it has acknowledged some of them and before it has
// answered them all. It is restarted, and Slack delivers again whatever it
// did not see acknowledged — and, as a worst case, everything else too.
// Every event is then answered exactly once: none acknowledged is lost,
// none is answered twice (an answer cut off mid-post is found in Slack by
// its metadata rather than posted again), and nothing is left unfinished.
func TestKillMidBurst(t *testing.T) {
	t.Parallel()
	const n = 200
	db := demoDB(t)
	slack := newFakeSlack(t)
	first := serve(t, "first serve", db, serveEnv(slack, "xoxb-chaos", nil))
	evs := burstEvents(n)
	var once sync.Once
	var postedAtKill, ackedAtKill int
	acked := burst(first.addr, evs, 32, func(acks int64) {
		if acks == 60 {
			once.Do(func() {
				first.kill()
				postedAtKill, ackedAtKill = len(slack.answered()), int(acks)
			})
		}
	})
	first.kill()
	if !first.killed() {
		t.Fatalf("the first serve was not killed: %v", first.err)
	}
	t.Logf("killed after %d acknowledgements with %d answered; %d of %d acknowledged in all", ackedAtKill, postedAtKill, len(acked), n)
	if postedAtKill >= len(acked) {
		t.Fatalf("every acknowledged event (%d) was answered before the kill (%d): the kill tested nothing", len(acked), postedAtKill)
	}

	second := serve(t, "second serve", db, serveEnv(slack, "xoxb-chaos", nil))
	client := &http.Client{Timeout: 3 * time.Second}
	for _, e := range evs { // what Slack did not see acknowledged first, then the rest
		if !acked[e.id] && !deliver(client, second.addr, e, 1) {
			t.Fatalf("redelivery of %s refused", e.id)
		}
	}
	for _, e := range evs {
		if acked[e.id] && !deliver(client, second.addr, e, 1) {
			t.Fatalf("redelivery of %s refused", e.id)
		}
	}
	waitUntil(t, "every event answered", 90*time.Second, func() bool { return len(slack.answered()) == n })
	waitUntil(t, "every event finished", 30*time.Second, func() bool { return unfinished(t, db) == 0 })
	second.kill() // nothing more is coming: nothing is in flight
	twice := 0
	for id, k := range slack.answered() {
		if k != 1 {
			twice++
			t.Errorf("event %s answered %d times", id, k)
		}
	}
	for _, p := range slack.Posts() {
		if p.EventID == "" {
			t.Errorf("a post carries no event: %+v", p)
		}
	}
	log := second.out.String()
	t.Logf("%d events, %d acknowledged before the kill, all %d answered, %d more than once; the restart took over %d unfinished events, %d of them found already answered in Slack",
		n, len(acked), len(slack.answered()), twice, strings.Count(log, "taking over an unfinished event")+resumedCount(log), strings.Count(log, "was answered before its replica died"))
}
