package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// TestSocketModeReplicas: three replicas on one state database, each with
// a Socket Mode connection of its own, as Slack spreads an app's events
// across up to ten. Events arrive on every connection; some are delivered
// again on another connection, as Slack retries an event whose
// acknowledgement was late; one replica's connection drops, an event on
// it unacknowledged, and that replica connects again while Slack
// redelivers the event elsewhere. Every event is answered exactly once,
// whichever replica took it.
func TestSocketModeReplicas(t *testing.T) {
	f := newFakeSlack(t)
	db := testDB(t)
	st := openStore(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	type replica struct {
		eng  *answerCounter
		bot  *bot.Bot
		a    *Adapter
		done chan error
	}
	var replicas []replica
	var conns []*websocket.Conn
	for i := range 3 {
		eng := &answerCounter{Engine: intents.New(st)}
		b := bot.New(eng, openState(t, db, fmt.Sprintf("replica-%d", i)), bot.WithLogger(testLogger()),
			bot.WithToday(func() time.Time { return asOf }), bot.WithUserRate(bot.Rate{}))
		a := New(b, "xoxb-test-token", WithAPIURL(f.URL()), WithAppToken("xapp-1-A0SOWHAT-1-0123456789"), WithLogger(testLogger()), WithChannelPace(0))
		if err := a.Connect(ctx); err != nil {
			t.Fatal(err)
		}
		b.Start()
		r := replica{eng: eng, bot: b, a: a, done: make(chan error, 1)}
		go func() { r.done <- a.RunSocketMode(ctx) }()
		select {
		case c := <-f.socket: // each replica's connection, in the order they connect
			conns = append(conns, c)
		case <-time.After(10 * time.Second):
			t.Fatalf("replica %d never connected over Socket Mode", i)
		}
		replicas = append(replicas, r)
	}

	// Each connection's acknowledgements, read as they come.
	var mu sync.Mutex
	acked := map[string]int{} // envelope id → acknowledgements
	read := func(c *websocket.Conn) {
		for {
			var ack map[string]any
			if err := c.ReadJSON(&ack); err != nil {
				return // closed
			}
			if id, _ := ack["envelope_id"].(string); id != "" {
				mu.Lock()
				acked[id]++
				mu.Unlock()
			}
		}
	}
	for _, c := range conns {
		go read(c)
	}
	var writeMu sync.Mutex // one writer per connection at a time
	envelopes := 0
	deliver := func(c *websocket.Conn, id string, user, attempt int) string {
		t.Helper()
		envelopes++
		env := fmt.Sprintf("env-%03d", envelopes)
		payload := json.RawMessage(event{ID: id, Type: "app_mention", Channel: "C0MARKETING", User: fmt.Sprintf("U%04d", user),
			Text: "<@U0SOWHAT> What was total spend last week?", TS: fmt.Sprintf("1790000000.%06d", user)}.payload())
		msg := map[string]any{"envelope_id": env, "payload": payload, "type": "events_api", "accepts_response_payload": false, "retry_attempt": attempt}
		if attempt > 0 {
			msg["retry_reason"] = "timeout"
		}
		writeMu.Lock()
		defer writeMu.Unlock()
		if err := c.WriteJSON(msg); err != nil {
			t.Fatalf("deliver %s: %v", id, err)
		}
		return env
	}

	var sent []string // envelopes whose acknowledgement must come
	events := 0
	next := func() (string, int) {
		events++
		return fmt.Sprintf("EvReplica%03d", events), events
	}
	// 45 events over the three connections; every fourth delivered again
	// on the next connection.
	for i := range 45 {
		id, user := next()
		sent = append(sent, deliver(conns[i%3], id, user, 0))
		if i%4 == 0 {
			sent = append(sent, deliver(conns[(i+1)%3], id, user, 1))
		}
	}
	// waitAcks waits until every envelope in sent is acknowledged.
	waitAcks := func() {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			var missing []string
			for _, env := range sent {
				if acked[env] == 0 {
					missing = append(missing, env)
				}
			}
			mu.Unlock()
			if len(missing) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d envelopes were never acknowledged: %v", len(missing), len(sent), missing)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitAcks()
	// Replica 2's connection drops with an event on it that may never be
	// acknowledged; Slack delivers it again on replica 0's.
	lostID, lostUser := next()
	deliver(conns[2], lostID, lostUser, 0)
	conns[2].Close()
	sent = append(sent, deliver(conns[0], lostID, lostUser, 1))
	var again *websocket.Conn
	select {
	case again = <-f.socket:
		go read(again)
	case <-time.After(15 * time.Second):
		t.Fatal("replica 2 did not connect again after its connection dropped")
	}
	conns[2] = again
	for i := range 15 {
		id, user := next()
		sent = append(sent, deliver(conns[i%3], id, user, 0))
	}

	f.waitPosts(t, events, 30*time.Second)
	waitAcks()
	// Let any duplicate answer land before counting.
	time.Sleep(300 * time.Millisecond)
	posts := f.Posts()
	answers := map[string]int{}
	for _, p := range posts {
		var md struct {
			EventPayload map[string]any `json:"event_payload"`
		}
		if err := json.Unmarshal([]byte(p.Metadata), &md); err != nil {
			t.Fatalf("post %q has no metadata: %v", p.Text, err)
		}
		id, _ := md.EventPayload["event_id"].(string)
		answers[id]++
	}
	for i := 1; i <= events; i++ {
		id := fmt.Sprintf("EvReplica%03d", i)
		if answers[id] != 1 {
			t.Errorf("%s answered %d times, want once", id, answers[id])
		}
	}
	if len(posts) != events {
		t.Errorf("%d posts for %d events", len(posts), events)
	}
	asked := int64(0)
	for i, r := range replicas {
		n := r.eng.answered.Load()
		if n == 0 {
			t.Errorf("replica %d answered nothing: the events were not spread", i)
		}
		asked += n
	}
	if asked != int64(events) {
		t.Errorf("the replicas asked the engine %d times for %d events", asked, events)
	}

	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	for i, r := range replicas {
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("replica %d: RunSocketMode after cancel: %v", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("replica %d: RunSocketMode did not stop", i)
		}
		if err := r.bot.Shutdown(sctx); err != nil {
			t.Error(err)
		}
		if err := r.a.Close(sctx); err != nil {
			t.Error(err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

// answerCounter counts the requests a replica's engine answers.
type answerCounter struct {
	*intents.Engine
	answered atomic.Int64
}

func (c *answerCounter) Answer(ctx context.Context, req question.Request) (model.Answer, error) {
	c.answered.Add(1)
	return c.Engine.Answer(ctx, req)
}
