package chaos

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSlack is the Slack Web API over loopback, in its wire format (form
// posts in, {"ok":...} JSON out): it records every message posted, with the
// token that posted it and its metadata, answers conversations.replies and
// conversations.history from them, and takes file uploads. hold, when set,
// keeps a chat.postMessage waiting until release is closed; a held post
// whose caller went away before its answer is not recorded, as a post
// Slack never finished.
type fakeSlack struct {
	srv *httptest.Server

	mu    sync.Mutex
	seq   int
	posts []slackPost
	// hold decides which posts to keep waiting; held is told of each.
	hold    func(p slackPost) bool
	held    chan slackPost
	release chan struct{}
}

type slackPost struct {
	Token, Channel, Thread, Text, TS string
	EventID                          string // from the answer's metadata
	MetadataType                     string
	At                               time.Time // when Slack took it
}

func newFakeSlack(t testing.TB) *fakeSlack {
	t.Helper()
	f := &fakeSlack{held: make(chan slackPost, 16), release: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) URL() string { return f.srv.URL }

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "OK")
		return
	}
	_ = r.ParseForm()
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = r.Form.Get("token")
	}
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	switch method {
	case "auth.test":
		reply(w, map[string]any{"ok": true, "team_id": "T0ACME", "user_id": "U0SOWHAT", "bot_id": "B0SOWHAT"})
	case "chat.postMessage":
		p := slackPost{Token: token, Channel: r.Form.Get("channel"), Thread: r.Form.Get("thread_ts"), Text: r.Form.Get("text")}
		var md struct {
			EventType    string         `json:"event_type"`
			EventPayload map[string]any `json:"event_payload"`
		}
		if m := r.Form.Get("metadata"); m != "" && json.Unmarshal([]byte(m), &md) == nil {
			p.MetadataType = md.EventType
			p.EventID, _ = md.EventPayload["event_id"].(string)
		}
		f.mu.Lock()
		hold := f.hold != nil && f.hold(p)
		f.mu.Unlock()
		if hold {
			f.held <- p
			select {
			case <-f.release:
			case <-r.Context().Done():
				return // the caller died: never posted
			}
		}
		f.mu.Lock()
		f.seq++
		p.TS = fmt.Sprintf("1800000000.%06d", f.seq)
		p.At = time.Now()
		f.posts = append(f.posts, p)
		f.mu.Unlock()
		reply(w, map[string]any{"ok": true, "channel": p.Channel, "ts": p.TS})
	case "conversations.replies", "conversations.history":
		reply(w, map[string]any{"ok": true, "messages": f.messages(method, r), "has_more": false, "response_metadata": map[string]any{"next_cursor": ""}})
	case "files.getUploadURLExternal":
		f.mu.Lock()
		f.seq++
		id := "F" + strconv.Itoa(f.seq)
		f.mu.Unlock()
		reply(w, map[string]any{"ok": true, "upload_url": f.srv.URL + "/upload/" + id, "file_id": id})
	case "files.completeUploadExternal":
		var files []map[string]string
		_ = json.Unmarshal([]byte(r.Form.Get("files")), &files)
		reply(w, map[string]any{"ok": true, "files": files})
	default:
		reply(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// messages answers conversations.replies (a thread) or
// conversations.history (a channel's top-level messages), with metadata
// when include_all_metadata asks for it, as Slack does.
func (f *fakeSlack) messages(method string, r *http.Request) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	withMeta := r.Form.Get("include_all_metadata") == "true" || r.Form.Get("include_all_metadata") == "1"
	var out []map[string]any
	for _, p := range f.posts {
		if p.Channel != r.Form.Get("channel") {
			continue
		}
		if method == "conversations.replies" && p.Thread != r.Form.Get("ts") && p.TS != r.Form.Get("ts") {
			continue
		}
		if method == "conversations.history" && p.Thread != "" {
			continue
		}
		m := map[string]any{"type": "message", "ts": p.TS, "text": p.Text, "bot_id": "B0SOWHAT"}
		if p.Thread != "" {
			m["thread_ts"] = p.Thread
		}
		if withMeta && p.MetadataType != "" {
			m["metadata"] = map[string]any{"event_type": p.MetadataType, "event_payload": map[string]any{"event_id": p.EventID}}
		}
		out = append(out, m)
	}
	return out
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Posts returns what was posted.
func (f *fakeSlack) Posts() []slackPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]slackPost(nil), f.posts...)
}

// answered counts the answers posted to each event.
func (f *fakeSlack) answered() map[string]int {
	n := map[string]int{}
	for _, p := range f.Posts() {
		if p.EventID != "" {
			n[p.EventID]++
		}
	}
	return n
}
