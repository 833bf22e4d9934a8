package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack is a Slack Web API that speaks the real wire format (form
// posts in, {"ok":...} JSON out, 429 with Retry-After) and records what
// the bot posts. It also serves Socket Mode: apps.connections.open hands
// out a ws:// URL to itself.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	posts   []post
	files   []fileShare
	limits  map[string][]time.Duration // method → Retry-After of the next 429s
	calls   map[string]int
	seq     int
	socket  chan *websocket.Conn
	changed chan struct{}
	// closed are channels the bot is not in: posting there fails.
	closed map[string]bool
	// now stamps posts; a test pacing the outbox by a fake clock sets it
	// to that clock's.
	now func() time.Time
}

// post is one chat.postMessage or chat.postEphemeral as Slack received it.
type post struct {
	Method  string
	Channel string
	Thread  string
	User    string // ephemeral recipient
	Text    string
	Blocks  string
	// Metadata is the message metadata as posted (JSON), if any.
	Metadata string
	TS       string
	At       time.Time
	Seq      int // order among posts and shared files
}

type fileShare struct {
	Channel, Thread, Files string
	Bytes                  int
	Seq                    int // order among posts and shared files
}

func newFakeSlack(t testing.TB) *fakeSlack {
	t.Helper()
	f := &fakeSlack{t: t, limits: map[string][]time.Duration{}, calls: map[string]int{}, socket: make(chan *websocket.Conn, 4), changed: make(chan struct{}), closed: map[string]bool{}, now: time.Now}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the Web API base URL to give slack-go.
func (f *fakeSlack) URL() string { return f.srv.URL + "/" }

// rateLimit makes the next calls of method answer 429 with these Retry-Afters.
func (f *fakeSlack) rateLimit(method string, retryAfter ...time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits[method] = append(f.limits[method], retryAfter...)
}

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/")
	if method == "socket" {
		f.serveSocket(w, r)
		return
	}
	if strings.HasPrefix(method, "response/") {
		var msg struct {
			Text         string          `json:"text"`
			ResponseType string          `json:"response_type"`
			Blocks       json.RawMessage `json:"blocks"`
		}
		if r.Header.Get("Authorization") != "" {
			f.t.Errorf("the token was sent to a response_url")
		}
		_ = json.NewDecoder(r.Body).Decode(&msg)
		f.record("response_url:"+msg.ResponseType, urlValues{"text": msg.Text, "blocks": string(msg.Blocks)})
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "ok")
		return
	}
	if strings.HasPrefix(method, "upload/") {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "OK - "+strconv.Itoa(int(r.ContentLength)))
		return
	}
	form := f.form(r)
	f.mu.Lock()
	f.calls[method]++
	if q := f.limits[method]; len(q) > 0 {
		f.limits[method] = q[1:]
		f.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int(q[0].Seconds())))
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
		return
	}
	f.mu.Unlock()
	switch method {
	case "auth.test":
		f.reply(w, map[string]any{"ok": true, "url": "https://acme.slack.com/", "team": "Acme", "user": "sowhat", "team_id": "T0ACME", "user_id": "U0SOWHAT", "bot_id": "B0SOWHAT"})
	case "chat.postMessage", "chat.postEphemeral":
		f.mu.Lock()
		closed := f.closed[form.Get("channel")]
		f.mu.Unlock()
		if closed {
			f.reply(w, map[string]any{"ok": false, "error": "not_in_channel"})
			return
		}
		ts := f.record(method, form)
		if method == "chat.postEphemeral" {
			f.reply(w, map[string]any{"ok": true, "message_ts": ts})
			return
		}
		f.reply(w, map[string]any{"ok": true, "channel": form.Get("channel"), "ts": ts, "message": map[string]any{"text": form.Get("text"), "ts": ts}})
	case "conversations.replies", "conversations.history":
		f.reply(w, map[string]any{"ok": true, "messages": f.messages(method, form), "has_more": false,
			"response_metadata": map[string]any{"next_cursor": ""}})
	case "files.getUploadURLExternal":
		n, _ := strconv.Atoi(form.Get("length"))
		if n == 0 || form.Get("filename") == "" {
			f.reply(w, map[string]any{"ok": false, "error": "invalid_arguments"})
			return
		}
		id := f.nextID("F")
		f.reply(w, map[string]any{"ok": true, "upload_url": f.srv.URL + "/upload/" + id, "file_id": id})
	case "files.completeUploadExternal":
		f.mu.Lock()
		f.seq++
		f.files = append(f.files, fileShare{Channel: form.Get("channel_id"), Thread: form.Get("thread_ts"), Files: form.Get("files"), Seq: f.seq})
		f.mu.Unlock()
		f.notify()
		var files []map[string]string
		_ = json.Unmarshal([]byte(form.Get("files")), &files)
		f.reply(w, map[string]any{"ok": true, "files": files})
	case "apps.connections.open":
		if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "Bearer xapp-") {
			f.reply(w, map[string]any{"ok": false, "error": "not_allowed_token_type"})
			return
		}
		f.reply(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/socket"})
	default:
		f.reply(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// form reads a Web API call's arguments: form-encoded as slack-go sends
// them, or JSON.
func (f *fakeSlack) form(r *http.Request) urlValues {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		v := urlValues{}
		for k, x := range m {
			if s, ok := x.(string); ok {
				v[k] = s
				continue
			}
			b, _ := json.Marshal(x)
			v[k] = string(b)
		}
		return v
	}
	_ = r.ParseForm()
	v := urlValues{}
	for k := range r.Form {
		v[k] = r.Form.Get(k)
	}
	return v
}

type urlValues map[string]string

func (v urlValues) Get(k string) string { return v[k] }

func (f *fakeSlack) record(method string, form urlValues) string {
	f.mu.Lock()
	f.seq++
	ts := fmt.Sprintf("1800000000.%06d", f.seq)
	f.posts = append(f.posts, post{Method: method, Channel: form.Get("channel"), Thread: form.Get("thread_ts"), User: form.Get("user"),
		Text: form.Get("text"), Blocks: form.Get("blocks"), Metadata: form.Get("metadata"), TS: ts, At: f.now(), Seq: f.seq})
	f.mu.Unlock()
	f.notify()
	return ts
}

// messages answers conversations.replies (a thread: its parent and
// replies) or conversations.history (a channel's top-level messages after
// oldest) as Slack does: metadata only with include_all_metadata.
func (f *fakeSlack) messages(method string, form urlValues) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	withMeta := form.Get("include_all_metadata") == "true" || form.Get("include_all_metadata") == "1"
	var out []map[string]any
	for _, p := range f.posts {
		if p.Method != "chat.postMessage" || p.Channel != form.Get("channel") {
			continue
		}
		switch method {
		case "conversations.replies":
			if p.Thread != form.Get("ts") && p.TS != form.Get("ts") {
				continue
			}
		default:
			if p.Thread != "" || (form.Get("oldest") != "" && p.TS <= form.Get("oldest")) {
				continue
			}
		}
		m := map[string]any{"type": "message", "ts": p.TS, "text": p.Text, "bot_id": "B0SOWHAT"}
		if p.Thread != "" {
			m["thread_ts"] = p.Thread
		}
		if withMeta && p.Metadata != "" {
			m["metadata"] = json.RawMessage(p.Metadata)
		}
		out = append(out, m)
	}
	return out
}

func (f *fakeSlack) nextID(prefix string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	return fmt.Sprintf("%s%06d", prefix, f.seq)
}

func (f *fakeSlack) notify() {
	f.mu.Lock()
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeSlack) reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Posts returns what was posted so far.
func (f *fakeSlack) Posts() []post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]post(nil), f.posts...)
}

// Files returns the files shared so far.
func (f *fakeSlack) Files() []fileShare {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fileShare(nil), f.files...)
}

// Calls returns how many times method was called (429s included).
func (f *fakeSlack) Calls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// waitPosts waits until at least n messages were posted.
func (f *fakeSlack) waitPosts(t testing.TB, n int, timeout time.Duration) []post {
	t.Helper()
	f.waitFor(t, "posts", func() int { return len(f.posts) }, n, timeout)
	return f.Posts()
}

// waitFiles waits until at least n files were shared.
func (f *fakeSlack) waitFiles(t testing.TB, n int, timeout time.Duration) []fileShare {
	t.Helper()
	f.waitFor(t, "files", func() int { return len(f.files) }, n, timeout)
	return f.Files()
}

// waitFor waits until count, called with f.mu held, reaches n.
func (f *fakeSlack) waitFor(t testing.TB, what string, count func() int, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		got, changed := count(), f.changed
		f.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("waited %s for %d %s, got %d: posts %+v", timeout, n, what, got, f.Posts())
		}
	}
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveSocket accepts a Socket Mode connection, says hello as Slack does,
// and hands the connection to the test.
func (f *fakeSlack) serveSocket(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.t.Errorf("socket upgrade: %v", err)
		return
	}
	hello := map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]any{"app_id": "A0SOWHAT"},
		"debug_info": map[string]any{"host": "applink-fake", "approximate_connection_time": 18060}}
	if err := conn.WriteJSON(hello); err != nil {
		f.t.Errorf("socket hello: %v", err)
		return
	}
	f.socket <- conn
}
