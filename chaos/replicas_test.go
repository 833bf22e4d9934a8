package chaos

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReplicasOneKilled: three serves share one database (a SQLite file,
// then a PostgreSQL database); a burst of 600
// mentions is spread across them as Slack spreads events, and one replica
// is killed (SIGKILL) partway through. Whatever the dead one did not
// acknowledge Slack delivers again to another; what it acknowledged and
// left unanswered the others take over once its lease runs out. Every
// event is answered exactly once, by the replicas together, and nothing is
// left unfinished.
func TestReplicasOneKilled(t *testing.T) {
	t.Parallel()
	for _, dialect := range []struct {
		name string
		db   func(testing.TB) string
	}{{"sqlite", demoDB}, {"postgres", demoPostgres}} {
		t.Run(dialect.name, func(t *testing.T) { replicasOneKilled(t, dialect.db(t)) })
	}
}

func replicasOneKilled(t *testing.T, db string) {
	const n = 600
	slack := newFakeSlack(t)
	var reps []*proc
	for i := range 3 {
		reps = append(reps, serve(t, fmt.Sprintf("replica %d", i), db, serveEnv(slack, "xoxb-chaos", nil)))
	}
	evs := burstEvents(n)
	client := &http.Client{Timeout: 3 * time.Second}
	var acks atomic.Int64
	var killOnce sync.Once
	var mu sync.Mutex
	redelivered := 0
	next := make(chan int)
	var wg sync.WaitGroup
	for range 48 {
		wg.Go(func() {
			for i := range next {
				e := evs[i]
				// Slack's first try goes to replica i%3; a try that is not
				// acknowledged is delivered again to the next one.
				for try := range 3 {
					if deliver(client, reps[(i+try)%3].addr, e, try) {
						if acks.Add(1) == n/4 {
							killOnce.Do(reps[0].kill)
						}
						if try > 0 {
							mu.Lock()
							redelivered++
							mu.Unlock()
						}
						break
					}
					if try == 2 {
						t.Errorf("event %s acknowledged by no replica", e.id)
					}
				}
			}
		})
	}
	for i := range evs {
		next <- i
	}
	close(next)
	wg.Wait()
	if !reps[0].killed() {
		t.Fatalf("replica 0 was not killed: %v", reps[0].err)
	}
	answeredAtBurstEnd := len(slack.answered())
	waitUntil(t, "every event answered", 2*time.Minute, func() bool { return len(slack.answered()) == n })
	waitUntil(t, "every event finished", 30*time.Second, func() bool { return unfinished(t, db) == 0 })
	time.Sleep(2 * time.Second) // a second answer, were there one, would show by now
	twice := 0
	for id, k := range slack.answered() {
		if k != 1 {
			twice++
			t.Errorf("event %s answered %d times", id, k)
		}
	}
	took := 0
	for _, r := range reps[1:] {
		took += resumedCount(r.out.String())
	}
	t.Logf("%d events over 3 replicas, replica 0 killed after %d acknowledgements; %d redelivered to another replica; %d answered when the burst ended, all %d in the end, %d more than once; the survivors took over %d left unfinished",
		n, n/4, redelivered, answeredAtBurstEnd, len(slack.answered()), twice, took)
}
