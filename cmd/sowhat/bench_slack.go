package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	slackbot "github.com/sowhat-ai/sowhat/bot/slack"
	"github.com/sowhat-ai/sowhat/chart"
	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/intents"
)

// benchSecret signs the bench's events; it guards nothing.
const benchSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// benchAcks runs the bot as serve does (workers, charts, the Slack
// adapter in HTTP mode, its state beside the database) against a Slack
// Web API that stands in for Slack on loopback, sends burst signed
// mentions at once, and times each acknowledgement; then it waits for
// every answer to be posted.
func benchAcks(ctx context.Context, st *data.Store, dbPath string, asOf time.Time, burst int) (ackFigure, error) {
	quiet := slog.New(slog.DiscardHandler)
	state, err := data.OpenState(ctx, data.StatePath(dbPath))
	if err != nil {
		return ackFigure{}, err
	}
	defer state.Close()
	if err := state.Heartbeat(ctx); err != nil {
		return ackFigure{}, err
	}
	api := &loopbackSlack{}
	apiLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ackFigure{}, err
	}
	apiSrv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go apiSrv.Serve(apiLn) //nolint:errcheck // closed below
	defer apiSrv.Close()

	eng := intents.New(st, intents.WithLogger(quiet))
	if err := eng.Warm(ctx); err != nil {
		return ackFigure{}, err
	}
	b := bot.New(eng, state, bot.WithLogger(quiet), bot.WithCharter(chart.Render), bot.WithUserRate(bot.Rate{}),
		bot.WithToday(func() time.Time { return asOf }))
	a := slackbot.New(b, "xoxb-bench", slackbot.WithAPIURL("http://"+apiLn.Addr().String()+"/api/"), slackbot.WithSigningSecret(benchSecret),
		slackbot.WithLogger(quiet))
	if err := a.Connect(ctx); err != nil {
		return ackFigure{}, err
	}
	b.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ackFigure{}, err
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // closed below
	defer srv.Close()

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: burst}}
	acks := make([]time.Duration, burst)
	var failed atomic.Int32
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T0BENCH", "api_app_id": "A0BENCH", "event_id": fmt.Sprintf("EvBench%06d", i),
				"event_time": asOf.Unix(), "event": map[string]any{"type": "app_mention", "user": fmt.Sprintf("U%05d", i),
					"text": "<@U0SOWHAT> " + benchQuestions[i%len(benchQuestions)], "ts": fmt.Sprintf("1790000000.%06d", i), "channel": fmt.Sprintf("C%05d", i%100)}})
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+ln.Addr().String()+slackbot.PathEvents, bytes.NewReader(body))
			now := time.Now()
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(now.Unix()))
			req.Header.Set("X-Slack-Signature", slackbot.Sign(benchSecret, now, body))
			resp, err := client.Do(req)
			acks[i] = time.Since(now)
			if err != nil {
				failed.Add(1)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return ackFigure{}, fmt.Errorf("%d of %d events were not acknowledged", n, burst)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for api.answers() < burst && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	drain, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	_ = b.Shutdown(drain)
	_ = a.Close(drain)
	fig := ackFigure{events: burst, answered: api.answers(), p50: quantile(acks, 0.5), p99: quantile(acks, 0.99), worst: quantile(acks, 1)}
	if fig.answered < burst {
		return fig, fmt.Errorf("%w: %d of %d", errBenchSlack, fig.answered, burst)
	}
	return fig, nil
}

// loopbackSlack answers the Web API methods the adapter calls as Slack
// does (form posts in, {"ok":…} JSON out) and counts the answers posted;
// it stands in for Slack so that the bench measures sowhat alone.
type loopbackSlack struct {
	mu    sync.Mutex
	seq   int
	posts map[string]bool // event ids answered
}

func (s *loopbackSlack) answers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.posts)
}

func (s *loopbackSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "OK")
		return
	}
	_ = r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	switch strings.TrimPrefix(r.URL.Path, "/api/") {
	case "auth.test":
		io.WriteString(w, `{"ok":true,"team_id":"T0BENCH","user_id":"U0SOWHAT","bot_id":"B0SOWHAT"}`)
	case "chat.postMessage":
		var md struct {
			EventPayload map[string]any `json:"event_payload"`
		}
		_ = json.Unmarshal([]byte(r.Form.Get("metadata")), &md)
		if id, _ := md.EventPayload["event_id"].(string); id != "" {
			s.mu.Lock()
			if s.posts == nil {
				s.posts = map[string]bool{}
			}
			s.posts[id] = true
			s.mu.Unlock()
		}
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1800000000.%06d"}`, r.Form.Get("channel"), seq)
	case "files.getUploadURLExternal":
		fmt.Fprintf(w, `{"ok":true,"upload_url":"http://%s/upload/F%d","file_id":"F%d"}`, r.Host, seq, seq)
	case "files.completeUploadExternal":
		fmt.Fprintf(w, `{"ok":true,"files":%s}`, r.Form.Get("files"))
	default:
		io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
	}
}
