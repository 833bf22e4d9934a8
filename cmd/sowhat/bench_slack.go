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

// benchBot is the bot as serve runs it (workers, charts, the Slack adapter
// in HTTP mode, its state beside the database) against a Slack Web API
// that stands in for Slack on loopback.
type benchBot struct {
	ctx    context.Context
	asOf   time.Time
	state  *data.State
	api    *loopbackSlack
	apiSrv *http.Server
	bot    *bot.Bot
	slack  *slackbot.Adapter
	srv    *http.Server
	url    string
	client *http.Client
}

func newBenchBot(ctx context.Context, st *data.Store, dbPath string, asOf time.Time, conns int) (*benchBot, error) {
	quiet := slog.New(slog.DiscardHandler)
	state, err := data.OpenState(ctx, data.StatePath(dbPath))
	if err != nil {
		return nil, err
	}
	bb := &benchBot{ctx: ctx, asOf: asOf, state: state, api: &loopbackSlack{}}
	fail := func(err error) (*benchBot, error) {
		bb.close()
		return nil, err
	}
	if err := state.Heartbeat(ctx); err != nil {
		return fail(err)
	}
	apiLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	bb.apiSrv = &http.Server{Handler: bb.api, ReadHeaderTimeout: 5 * time.Second}
	go bb.apiSrv.Serve(apiLn) //nolint:errcheck // closed by close
	eng := intents.New(st, intents.WithLogger(quiet))
	if err := eng.Warm(ctx); err != nil {
		return fail(err)
	}
	bb.bot = bot.New(eng, state, bot.WithLogger(quiet), bot.WithCharter(chart.Render), bot.WithUserRate(bot.Rate{}),
		bot.WithToday(func() time.Time { return asOf }))
	bb.slack = slackbot.New(bb.bot, "xoxb-bench", slackbot.WithAPIURL("http://"+apiLn.Addr().String()+"/api/"), slackbot.WithSigningSecret(benchSecret),
		slackbot.WithLogger(quiet))
	if err := bb.slack.Connect(ctx); err != nil {
		return fail(err)
	}
	bb.bot.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	bb.srv = &http.Server{Handler: bb.slack.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go bb.srv.Serve(ln) //nolint:errcheck // closed by close
	bb.url = "http://" + ln.Addr().String() + slackbot.PathEvents
	bb.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
	return bb, nil
}

// send delivers one signed mention, event id and user of their own, in
// one of a hundred channels, and returns how long its acknowledgement
// took.
func (bb *benchBot) send(id string, user int, text string) (time.Duration, error) {
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T0BENCH", "api_app_id": "A0BENCH", "event_id": id,
		"event_time": bb.asOf.Unix(), "event": map[string]any{"type": "app_mention", "user": fmt.Sprintf("U%05d", user),
			"text": "<@U0SOWHAT> " + text, "ts": fmt.Sprintf("1790000000.%06d", user), "channel": fmt.Sprintf("C%05d", user%100)}})
	req, _ := http.NewRequestWithContext(bb.ctx, http.MethodPost, bb.url, bytes.NewReader(body))
	now := time.Now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(now.Unix()))
	req.Header.Set("X-Slack-Signature", slackbot.Sign(benchSecret, now, body))
	resp, err := bb.client.Do(req)
	took := time.Since(now)
	if err != nil {
		return took, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return took, fmt.Errorf("event %s: HTTP %d", id, resp.StatusCode)
	}
	return took, nil
}

// waitAnswers waits, five minutes at most, for n answers in all.
func (bb *benchBot) waitAnswers(n int) int {
	for deadline := time.Now().Add(5 * time.Minute); bb.api.answers() < n && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	return bb.api.answers()
}

func (bb *benchBot) close() {
	drain, cancel := context.WithTimeout(context.WithoutCancel(bb.ctx), time.Minute)
	defer cancel()
	if bb.bot != nil {
		_ = bb.bot.Shutdown(drain)
	}
	if bb.slack != nil {
		_ = bb.slack.Close(drain)
	}
	if bb.srv != nil {
		bb.srv.Close()
	}
	if bb.apiSrv != nil {
		bb.apiSrv.Close()
	}
	bb.state.Close()
}

// benchAcks sends burst signed mentions at once and times each
// acknowledgement; then it waits for every answer to be posted.
func benchAcks(ctx context.Context, st *data.Store, dbPath string, asOf time.Time, burst int) (ackFigure, error) {
	bb, err := newBenchBot(ctx, st, dbPath, asOf, burst)
	if err != nil {
		return ackFigure{}, err
	}
	defer bb.close()
	acks := make([]time.Duration, burst)
	var failed atomic.Int32
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() {
			took, err := bb.send(fmt.Sprintf("EvBench%06d", i), i, benchQuestions[i%len(benchQuestions)])
			acks[i] = took
			if err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return ackFigure{}, fmt.Errorf("%d of %d events were not acknowledged", n, burst)
	}
	answered := bb.waitAnswers(burst)
	fig := ackFigure{events: burst, answered: answered, p50: quantile(acks, 0.5), p99: quantile(acks, 0.99), worst: quantile(acks, 1)}
	if fig.answered < burst {
		return fig, fmt.Errorf("%w: %d of %d", errBenchSlack, fig.answered, burst)
	}
	return fig, nil
}

// loadFigure is the steady load phase's: questions sent at a rate, their
// acknowledgements, and the peak RSS while they were answered.
type loadFigure struct {
	rate, seconds, sent, answered, distinct int
	ackP99                                  time.Duration
	rssKB                                   int64
}

// benchLoad asks rate varied questions a second for seconds seconds —
// each different from the ones before (metrics, platforms, periods and
// kinds of question in turn, many with a chart) so few answers come from
// the cache — waits for every answer, and reads the peak RSS of the phase.
func benchLoad(ctx context.Context, st *data.Store, dbPath string, asOf time.Time, rate, seconds int) (loadFigure, error) {
	bb, err := newBenchBot(ctx, st, dbPath, asOf, rate)
	if err != nil {
		return loadFigure{}, err
	}
	defer bb.close()
	resetPeakRSS()
	qs := loadQuestions()
	n := rate * seconds
	acks := make([]time.Duration, n)
	var failed atomic.Int32
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := range n {
		<-tick.C
		wg.Go(func() {
			took, err := bb.send(fmt.Sprintf("EvLoad%06d", i), 1000+i, qs[i%len(qs)])
			acks[i] = took
			if err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if k := failed.Load(); k > 0 {
		return loadFigure{}, fmt.Errorf("%d of %d load questions were not acknowledged", k, n)
	}
	answered := bb.waitAnswers(n)
	fig := loadFigure{rate: rate, seconds: seconds, sent: n, answered: answered, distinct: min(n, len(qs)), ackP99: quantile(acks, 0.99), rssKB: peakRSSKB()}
	if answered < n {
		return fig, fmt.Errorf("%w: %d of %d", errBenchSlack, answered, n)
	}
	return fig, nil
}

// loadQuestions are the steady load's questions: every metric, platform,
// period and kind of question in turn, a different question each time for
// as long as the list lasts.
func loadQuestions() []string {
	metrics := []string{"spend", "ROAS", "CPA", "revenue", "conversions", "CTR", "CPC", "clicks"}
	platforms := []string{"", "meta ", "google ", "tiktok ", "amazon ", "criteo ", "pinterest ", "microsoft ", "the trade desk "}
	periods := []string{"last week", "last month", "yesterday", "last 7 days", "last 30 days", "this month", "last quarter"}
	forms := []string{"%[2]s%[1]s by platform %[3]s", "%[2]s%[1]s trend %[3]s", "top 5 %[2]scampaigns by %[1]s %[3]s", "why did %[2]s%[1]s change %[3]s", "%[2]s%[1]s by category %[3]s", "how did %[2]s%[1]s change %[3]s"}
	var out []string
	for _, per := range periods {
		for _, f := range forms {
			for _, pl := range platforms {
				for _, m := range metrics {
					out = append(out, fmt.Sprintf(f, m, pl, per))
				}
			}
		}
	}
	// Interleave, so that consecutive questions differ in every part.
	mixed := make([]string, 0, len(out))
	for i := range len(out) {
		mixed = append(mixed, out[(i*7919)%len(out)])
	}
	return mixed
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
