package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/reports"
)

var digestAsOf = time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)

// digestEnv builds the demo database for digestAsOf and an env over it.
func digestEnv(t *testing.T, vars map[string]string) (*env, *bytes.Buffer) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, st, digestAsOf); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	all := map[string]string{"DATABASE_URL": path, "SOWHAT_AS_OF": digestAsOf.Format(period.DateLayout), "SOWHAT_ENV_FILE": ""}
	maps.Copy(all, vars)
	cfg, err := LoadConfig(envOf(all))
	if err != nil {
		t.Fatal(err)
	}
	return &env{cfg: cfg, stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, now: func() time.Time { return digestAsOf.Add(9 * time.Hour) },
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}, &out
}

func TestDigestPreviewText(t *testing.T) {
	e, out := digestEnv(t, nil)
	if err := cmdDigest(context.Background(), e, []string{"--audience", "CFO"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CFO digest · last week (Apr 27 – May 3, 2026)", "What matters this period", "1. Spend vs budget", "So what:", "Chart: spend-vs-budget.png"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestDigestPreviewJSON(t *testing.T) {
	e, out := digestEnv(t, nil)
	if err := cmdDigest(context.Background(), e, []string{"--audience", "team", "--format", "json", "--as-of", "2026-05-04"}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Audience   string                       `json:"audience"`
		Period     map[string]string            `json:"period"`
		Highlights []struct{ Text string }      `json:"highlights"`
		Sections   []map[string]json.RawMessage `json:"sections"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Audience != "team" || got.Period["start"] != "2026-04-27" || got.Period["end"] != "2026-05-03" || len(got.Highlights) != 3 || len(got.Sections) == 0 {
		t.Fatalf("digest JSON %+v", got)
	}
	var a model.Answer
	if err := json.Unmarshal(got.Sections[0]["answer"], &a); err != nil {
		t.Fatal(err)
	}
	if a.Intent != "why" || a.Summary == "" {
		t.Errorf("first section's answer %+v", a)
	}
}

func TestDigestWritesRealCharts(t *testing.T) {
	e, _ := digestEnv(t, nil)
	dir := filepath.Join(t.TempDir(), "charts")
	if err := cmdDigest(context.Background(), e, []string{"--audience", "cfo", "--charts", dir}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	if len(files) == 0 {
		t.Fatal("no chart written")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
			t.Errorf("%s is not a PNG: %v", f, err)
		}
	}
}

func TestDigestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "give one of --audience"},
		{[]string{"--audience", "cfo", "--send", "x"}, "give one of --audience"},
		{[]string{"--audience", "cfoo"}, `--audience "cfoo"`},
		{[]string{"--audience", "cfo", "--format", "pdf"}, `--format "pdf"`},
		{[]string{"--name", "nope"}, `no digest "nope" in built-in defaults`},
	}
	for _, tt := range tests {
		e, _ := digestEnv(t, nil)
		err := cmdDigest(context.Background(), e, tt.args)
		if err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("digest %v: %v, want a usage error with %q", tt.args, err, tt.want)
		}
	}
}

func TestDigestSlackFormatNeedsTheRenderer(t *testing.T) {
	e, out := digestEnv(t, nil)
	old := digestSlackJSON
	t.Cleanup(func() { digestSlackJSON = old })
	digestSlackJSON = nil
	if err := cmdDigest(context.Background(), e, []string{"--audience", "cmo", "--format", "slack"}); !errors.Is(err, errNoSlackRenderer) {
		t.Errorf("slack without renderer: %v", err)
	}
	digestSlackJSON = func(d *reports.Digest) ([]byte, error) { return []byte(`{"blocks":[]}`), nil }
	if err := cmdDigest(context.Background(), e, []string{"--audience", "cmo", "--format", "slack"}); err != nil || !strings.Contains(out.String(), `{"blocks":[]}`) {
		t.Errorf("slack with renderer: %v, %q", err, out)
	}
}

// recorder is a fake publisher.
type recorder struct {
	mu    sync.Mutex
	posts []string
}

func (r *recorder) Publish(ctx context.Context, channel string, m reports.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts = append(r.posts, channel+" "+m.Title)
	return nil
}

func TestDigestSend(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "reports.yaml")
	yaml := "digests:\n  - {name: ceo-monthly, audience: ceo, channels: [slack:C1, slack:C2], schedule: \"0 9 2 * *\", period: last_month}\n"
	if err := os.WriteFile(cfgFile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	e, out := digestEnv(t, map[string]string{reports.EnvConfig: cfgFile})
	old := digestPublisher
	t.Cleanup(func() { digestPublisher = old })
	digestPublisher = nil
	if err := cmdDigest(context.Background(), e, []string{"--send", "ceo-monthly"}); !errors.Is(err, errNoPublisher) {
		t.Fatalf("send without publisher: %v", err)
	}
	rec := &recorder{}
	digestPublisher = func(ctx context.Context, e *env) (reports.Publisher, error) { return rec, nil }
	if err := cmdDigest(context.Background(), e, []string{"--send", "ceo-monthly"}); err != nil {
		t.Fatal(err)
	}
	if len(rec.posts) != 2 || !strings.HasPrefix(rec.posts[0], "slack:C1 CEO digest · last month (Apr 1–30, 2026)") {
		t.Errorf("posts %q", rec.posts)
	}
	if !strings.Contains(out.String(), "Posted ceo-monthly") {
		t.Errorf("output %q", out)
	}
	// The configured digest previews under its name too.
	out.Reset()
	if err := cmdDigest(context.Background(), e, []string{"--name", "ceo-monthly"}); err != nil || !strings.Contains(out.String(), "last month (Apr 1–30, 2026) vs the month before") {
		t.Errorf("preview by name: %v\n%s", err, out)
	}
}

func TestDigestSlackFormatIsBlockKit(t *testing.T) {
	e, out := digestEnv(t, nil)
	if err := cmdDigest(context.Background(), e, []string{"--audience", "cfo", "--format", "slack"}); err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type    string          `json:"type"`
			BlockID string          `json:"block_id"`
			Text    json.RawMessage `json:"text"`
		} `json:"blocks"`
		Replies []json.RawMessage `json:"replies"`
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &top); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for k := range top {
		if k != "text" && k != "blocks" && k != "replies" {
			t.Errorf("unexpected field %q: want chat.postMessage's text and blocks, and replies", k)
		}
	}
	if err := json.Unmarshal(out.Bytes(), &msg); err != nil {
		t.Fatal(err)
	}
	if len(msg.Blocks) == 0 || len(msg.Blocks) > 50 || msg.Text == "" {
		t.Fatalf("%d blocks, text %q", len(msg.Blocks), msg.Text)
	}
	kinds := map[string]bool{"header": true, "section": true, "context": true, "divider": true, "actions": true}
	ids := map[string]bool{}
	for _, b := range msg.Blocks {
		if !kinds[b.Type] {
			t.Errorf("block type %q", b.Type)
		}
		if b.BlockID != "" && ids[b.BlockID] {
			t.Errorf("block id %q twice", b.BlockID)
		}
		ids[b.BlockID] = true
	}
	if msg.Blocks[0].Type != "header" || !strings.Contains(string(msg.Blocks[0].Text), "CFO digest · last week (Apr 27 – May 3, 2026)") {
		t.Errorf("first block %s %s, want the digest's title", msg.Blocks[0].Type, msg.Blocks[0].Text)
	}
	for _, want := range []string{"What matters this period", "*1. Spend vs budget*", "_Chart in the thread:_ spend-vs-budget.png"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("blocks lack %q", want)
		}
	}
}

func TestDigestSendNeedsTheBotToken(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "reports.yaml")
	yaml := "digests:\n  - {name: ceo-monthly, audience: ceo, channels: [slack:C1], schedule: \"0 9 2 * *\", period: last_month}\n"
	if err := os.WriteFile(cfgFile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	e, _ := digestEnv(t, map[string]string{reports.EnvConfig: cfgFile})
	err := cmdDigest(context.Background(), e, []string{"--send", "ceo-monthly"})
	if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN is not set") {
		t.Errorf("send without a token: %v, want an error naming SLACK_BOT_TOKEN", err)
	}
	e, _ = digestEnv(t, map[string]string{reports.EnvConfig: cfgFile, "SLACK_BOT_TOKEN": "xoxp-user"})
	if err := cmdDigest(context.Background(), e, []string{"--send", "ceo-monthly"}); err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN must start with xoxb-") {
		t.Errorf("send with a user token: %v", err)
	}
	if err := cmdDigest(context.Background(), e, []string{"--send", "nope"}); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("send of an unknown digest: %v, want a usage error naming it before Slack is asked", err)
	}
}

func TestDigestSendToSlack(t *testing.T) {
	api := &fakeSlackAPI{}
	fake := httptest.NewServer(api)
	defer fake.Close()
	cfgFile := filepath.Join(t.TempDir(), "reports.yaml")
	yaml := "digests:\n  - {name: cfo-weekly, audience: cfo, channels: [slack:C1, slack:C2], schedule: \"0 8 * * MON\", period: last_week}\n"
	if err := os.WriteFile(cfgFile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	e, out := digestEnv(t, map[string]string{reports.EnvConfig: cfgFile, "SLACK_BOT_TOKEN": testBotToken, "SLACK_API_URL": fake.URL + "/api/"})
	if err := cmdDigest(context.Background(), e, []string{"--send", "cfo-weekly"}); err != nil {
		t.Fatal(err)
	}
	parents := api.Parents()
	if len(parents) != 2 || parents[0]["channel"] != "C1" || parents[1]["channel"] != "C2" {
		t.Fatalf("digests started %v, want one in C1 and one in C2", parents)
	}
	threads := map[string]bool{parents[0]["ts"]: true, parents[1]["ts"]: true}
	files := api.Files()
	if len(files) == 0 || len(files)%2 != 0 {
		t.Errorf("%d charts, want each digest's charts in both channels", len(files))
	}
	for _, f := range files {
		if !threads[f["thread_ts"]] {
			t.Errorf("chart in thread %q, not a digest's", f["thread_ts"])
		}
	}
	if !strings.Contains(out.String(), "Posted cfo-weekly to [slack:C1 slack:C2]") {
		t.Errorf("output %q", out)
	}
}
