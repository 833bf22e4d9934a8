package metrics

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestNilRecordsNothing(t *testing.T) {
	var m *Metrics
	m.Question("value", "answered", time.Second)
	m.ChatCall("slack", "chat.postMessage", "ok")
	m.ChatRetry("slack", "429")
	m.Error("slack", "post")
	m.DigestPosted("cfo-weekly")
	m.AlertPosted("roas-drop", "opened")
	m.LLMCall(nil, time.Second, 1, 2)
	if err := m.Register(); err != nil {
		t.Fatal(err)
	}
}

func TestRecorded(t *testing.T) {
	m := New()
	m.Question("value", "answered", 20*time.Millisecond)
	m.Question("value", "answered", 0)
	m.ChatCall("slack", "chat.postMessage", "rate_limited")
	m.ChatRetry("slack", "429")
	m.LLMCall(errors.New("timeout"), time.Second, 10, 0)
	m.LLMCall(nil, time.Second, 12, 30)
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"questions", testutil.ToFloat64(m.questions.WithLabelValues("value", "answered")), 2},
		{"answers timed", float64(testutil.CollectAndCount(m.answer)), 1},
		{"chat calls", testutil.ToFloat64(m.chatCalls.WithLabelValues("slack", "chat.postMessage", "rate_limited")), 1},
		{"retries", testutil.ToFloat64(m.chatRetries.WithLabelValues("slack", "429")), 1},
		{"llm errors", testutil.ToFloat64(m.llmCalls.WithLabelValues("error")), 1},
		{"prompt tokens", testutil.ToFloat64(m.llmTokens.WithLabelValues("prompt")), 22},
		{"completion tokens", testutil.ToFloat64(m.llmTokens.WithLabelValues("completion")), 30},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestImportsCollector(t *testing.T) {
	tests := []struct {
		name string
		read ImportsFunc
		want []string
	}{
		{"read", func(context.Context) ([]ImportTotal, error) {
			return []ImportTotal{{Kind: "ads", Imports: 3, Rows: 1200, Last: time.Unix(1800000000, 0)}}, nil
		}, []string{`sowhat_imported_rows{kind="ads"} 1200`, `sowhat_imports{kind="ads"} 3`, `sowhat_last_import_timestamp_seconds{kind="ads"} 1.8e+09`, "sowhat_imports_readable 1"}},
		{"failures", func(context.Context) ([]ImportTotal, error) {
			return []ImportTotal{{Kind: "ads", Imports: 1, Rows: 10, Failures: 2, LastFailure: time.Unix(1800000600, 0)}, {Kind: "", Failures: 1}}, nil
		}, []string{`sowhat_import_failures{kind="ads"} 2`, `sowhat_last_import_failure_timestamp_seconds{kind="ads"} 1.8000006e+09`, `sowhat_import_failures{kind="unknown"} 1`, `sowhat_imports{kind="ads"} 1`}},
		{"unreadable", func(context.Context) ([]ImportTotal, error) { return nil, errors.New("locked") }, []string{"sowhat_imports_readable 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New()
			if err := m.Register(NewImportsCollector(tt.read)); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
			body, _ := io.ReadAll(rec.Body)
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("/metrics lacks %q", w)
				}
			}
		})
	}
}
