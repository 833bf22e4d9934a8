// Package metrics holds what sowhat counts for Prometheus: questions, chat
// API calls, digests, alerts and model calls, on a registry its owner
// makes (New), so that no two servers or tests share one. Every method is
// safe on a nil *Metrics, where it does nothing: a package that records is
// given one as an option, and without it records nothing.
//
// It imports nothing of sowhat, so every layer may record.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's collectors, registered on its own registry.
type Metrics struct {
	reg *prometheus.Registry

	questions   *prometheus.CounterVec
	answer      prometheus.Histogram
	chatCalls   *prometheus.CounterVec
	chatRetries *prometheus.CounterVec
	errors      *prometheus.CounterVec
	digests     *prometheus.CounterVec
	alerts      *prometheus.CounterVec
	llmCalls    *prometheus.CounterVec
	llmSeconds  prometheus.Histogram
	llmTokens   *prometheus.CounterVec
}

// answerBuckets span a cached answer (5 ms) to one that waits on the model
// and a busy database (30 s).
var answerBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// llmBuckets span a quick completion to the client's 8 s timeout.
var llmBuckets = []float64{.1, .25, .5, 1, 2, 4, 8, 16}

// New returns collectors registered on a fresh registry, with the Go
// runtime's and the process's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.questions = m.counterVec("sowhat_questions_total", "Questions handled, by intent and outcome (answered, refused, limited, failed, ignored).", "intent", "outcome")
	m.answer = m.histogram("sowhat_answer_seconds", "Seconds from a question's acknowledgement to its reply handed to the chat for posting.", answerBuckets)
	m.chatCalls = m.counterVec("sowhat_chat_api_calls_total", "Chat Web API calls, each attempt, by platform, method and result (ok, rate_limited, transient, error).", "platform", "method", "result")
	m.chatRetries = m.counterVec("sowhat_chat_retries_total", "Chat Web API calls tried again, by platform and reason (429, transient).", "platform", "reason")
	m.errors = m.counterVec("sowhat_errors_total", "Failures, by platform and kind (answer: a question not answered; post: a reply or chart not posted).", "platform", "kind")
	m.digests = m.counterVec("sowhat_digests_posted_total", "Digest runs posted to at least one channel, by digest.", "digest")
	m.alerts = m.counterVec("sowhat_alerts_posted_total", "Alerts posted, by rule and status (opened, cleared).", "rule", "status")
	m.llmCalls = m.counterVec("sowhat_llm_calls_total", "Language model calls, by result (ok, error).", "result")
	m.llmSeconds = m.histogram("sowhat_llm_seconds", "Seconds a language model call took.", llmBuckets)
	m.llmTokens = m.counterVec("sowhat_llm_tokens_total", "Language model tokens, by kind (prompt, completion).", "kind")
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

func (m *Metrics) histogram(name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	m.reg.MustRegister(h)
	return h
}

// Register adds collectors of the caller's, such as database pool stats.
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	if m == nil {
		return nil
	}
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Gatherer is the registry, for tests that read it.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Question counts a question handled and how long after its
// acknowledgement its reply was ready (zero: not known).
func (m *Metrics) Question(intent, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.questions.WithLabelValues(intent, outcome).Inc()
	if took > 0 {
		m.answer.Observe(took.Seconds())
	}
}

// ChatCall counts one attempt of a chat Web API call.
func (m *Metrics) ChatCall(platform, method, result string) {
	if m == nil {
		return
	}
	m.chatCalls.WithLabelValues(platform, method, result).Inc()
}

// ChatRetry counts a chat call tried again.
func (m *Metrics) ChatRetry(platform, reason string) {
	if m == nil {
		return
	}
	m.chatRetries.WithLabelValues(platform, reason).Inc()
}

// Error counts a failure of a kind.
func (m *Metrics) Error(platform, kind string) {
	if m == nil {
		return
	}
	m.errors.WithLabelValues(platform, kind).Inc()
}

// DigestPosted counts a digest run posted.
func (m *Metrics) DigestPosted(digest string) {
	if m == nil {
		return
	}
	m.digests.WithLabelValues(digest).Inc()
}

// AlertPosted counts an alert posted.
func (m *Metrics) AlertPosted(rule, status string) {
	if m == nil {
		return
	}
	m.alerts.WithLabelValues(rule, status).Inc()
}

// LLMCall counts a language model call, its time and its tokens.
func (m *Metrics) LLMCall(err error, took time.Duration, promptTokens, completionTokens int) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.llmCalls.WithLabelValues(result).Inc()
	m.llmSeconds.Observe(took.Seconds())
	m.llmTokens.WithLabelValues("prompt").Add(float64(max(promptTokens, 0)))
	m.llmTokens.WithLabelValues("completion").Add(float64(max(completionTokens, 0)))
}
