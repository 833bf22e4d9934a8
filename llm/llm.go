// Package llm connects sowhat to an OpenAI-compatible chat model — OpenAI,
// Azure OpenAI, or a local server such as vLLM, Ollama or LiteLLM. The model
// fills the same structured request the parser fills, through one tool call,
// and rewrites an answer's wording for its reader; it never supplies a
// number. The engine checks everything it returns before using it.
package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sowhat-ai/sowhat/clock"
	"github.com/sowhat-ai/sowhat/metrics"

	openai "github.com/sashabaranov/go-openai"
)

// ErrNotMarketing means the model judged the question out of scope.
var ErrNotMarketing = errors.New("not a marketing question")

// ErrCircuitOpen means the model failed too often lately and is not being
// called: answers go out without it until the breaker's cooldown ends.
var ErrCircuitOpen = errors.New("model unavailable: circuit open")

// Client talks to one model. It is safe for concurrent use.
type Client struct {
	api     *openai.Client
	cfg     openai.ClientConfig
	model   string
	key     string
	log     *slog.Logger
	clock   Clock
	retries int
	backoff time.Duration
	breaker *breaker
	metrics *metrics.Metrics

	usage Usage
}

// Usage counts the tokens the client has used, and its calls.
type Usage struct {
	Calls            atomic.Int64
	Failures         atomic.Int64
	PromptTokens     atomic.Int64
	CompletionTokens atomic.Int64
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL points the client at any OpenAI-compatible endpoint (the API
// URL): https://api.openai.com/v1, an Azure resource's endpoint, or a local
// server such as http://localhost:11434/v1.
func WithBaseURL(url string) Option {
	return func(c *Client) {
		if url != "" {
			c.cfg.BaseURL = strings.TrimSuffix(url, "/")
		}
	}
}

// WithModel sets the model name (for Azure, the model the deployment
// serves, unless WithAzure names the deployment).
func WithModel(m string) Option {
	return func(c *Client) {
		if m != "" {
			c.model = m
		}
	}
}

// WithAzure talks to Azure OpenAI: the key goes in the api-key header, the
// deployment in the path and apiVersion in the query. An empty deployment
// is the model name.
func WithAzure(apiVersion, deployment string) Option {
	return func(c *Client) {
		c.cfg.APIType = openai.APITypeAzure
		if apiVersion != "" {
			c.cfg.APIVersion = apiVersion
		} else if c.cfg.APIVersion == "" {
			c.cfg.APIVersion = "2024-06-01"
		}
		c.cfg.AzureModelMapperFunc = func(model string) string {
			if deployment != "" {
				return deployment
			}
			return model
		}
	}
}

// WithMetrics counts the calls, their time and their tokens.
func WithMetrics(m *metrics.Metrics) Option { return func(c *Client) { c.metrics = m } }

// WithHTTPClient sets the HTTP client the calls go through.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.cfg.HTTPClient = h } }

// WithLogger sets the logger every call is logged to (at debug, with its
// prompt version and token usage).
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithClock sets the clock the breaker and the backoff between retries
// use; tests pass a fake one.
func WithClock(k Clock) Option { return func(c *Client) { c.clock = k } }

// WithRetries sets how many times a call refused with 429 or a 5xx is
// tried again, waiting backoff, then twice as long, each time — never past
// the caller's deadline.
func WithRetries(n int, backoff time.Duration) Option {
	return func(c *Client) { c.retries, c.backoff = n, backoff }
}

// WithBreaker opens the circuit after failures calls in a row fail: for
// cooldown the model is not called at all, then one call is let through
// to see whether it is back.
func WithBreaker(failures int, cooldown time.Duration) Option {
	return func(c *Client) { c.breaker.limit, c.breaker.cooldown = failures, cooldown }
}

// New returns a client. apiKey may be empty for a local server that needs
// none.
func New(apiKey string, opts ...Option) *Client {
	c := &Client{
		cfg:     openai.DefaultConfig(apiKey),
		model:   "gpt-4o-mini",
		key:     apiKey,
		log:     slog.Default(),
		clock:   clock.Wall{},
		retries: 2,
		backoff: 200 * time.Millisecond,
		breaker: &breaker{limit: 5, cooldown: 30 * time.Second},
	}
	for _, o := range opts {
		o(c)
	}
	if c.cfg.APIType == openai.APITypeAzure {
		azure := openai.DefaultAzureConfig(apiKey, c.cfg.BaseURL)
		azure.APIVersion, azure.AzureModelMapperFunc = c.cfg.APIVersion, c.cfg.AzureModelMapperFunc
		if c.cfg.HTTPClient != nil {
			azure.HTTPClient = c.cfg.HTTPClient
		}
		c.cfg = azure
	}
	c.breaker.clock = c.clock
	c.api = openai.NewClientWithConfig(c.cfg)
	return c
}

// Tokens returns the prompt and completion tokens used so far, and the
// number of calls.
func (c *Client) Tokens() (prompt, completion, calls int64) {
	return c.usage.PromptTokens.Load(), c.usage.CompletionTokens.Load(), c.usage.Calls.Load()
}

// call sends one chat completion, retrying 429s and 5xxs with backoff
// within ctx's deadline, through the circuit breaker. kind and version
// name the prompt in the log.
func (c *Client) call(ctx context.Context, kind, version string, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	if !c.breaker.allow() {
		return openai.ChatCompletionResponse{}, fmt.Errorf("%s: %w", kind, ErrCircuitOpen)
	}
	req.Model = c.model
	start := c.clock.Now()
	var resp openai.ChatCompletionResponse
	var err error
	for attempt := 0; ; attempt++ {
		c.usage.Calls.Add(1)
		resp, err = c.api.CreateChatCompletion(ctx, req)
		if err == nil || attempt >= c.retries || !retryable(err) {
			break
		}
		if werr := c.clock.Sleep(ctx, c.backoff<<attempt); werr != nil {
			break
		}
	}
	c.breaker.record(err == nil)
	c.metrics.LLMCall(err, c.clock.Now().Sub(start), resp.Usage.PromptTokens, resp.Usage.CompletionTokens)
	if err != nil {
		c.usage.Failures.Add(1)
		err = c.redact(fmt.Errorf("%s: chat completion: %w", kind, err))
		c.log.Debug("model call failed", slog.String("prompt", kind), slog.String("prompt_version", version), slog.Any("error", err))
		return resp, err
	}
	c.usage.PromptTokens.Add(int64(resp.Usage.PromptTokens))
	c.usage.CompletionTokens.Add(int64(resp.Usage.CompletionTokens))
	c.log.Debug("model call", slog.String("prompt", kind), slog.String("prompt_version", version), slog.String("model", c.model),
		slog.Int("prompt_tokens", resp.Usage.PromptTokens), slog.Int("completion_tokens", resp.Usage.CompletionTokens),
		slog.Int64("total_prompt_tokens", c.usage.PromptTokens.Load()), slog.Int64("total_completion_tokens", c.usage.CompletionTokens.Load()),
		slog.Duration("elapsed", c.clock.Now().Sub(start)))
	if len(resp.Choices) == 0 {
		return resp, fmt.Errorf("%s: chat completion: no choices", kind)
	}
	return resp, nil
}

// retryable reports whether the server asked to be tried again: 429 or a
// 5xx.
func retryable(err error) bool {
	code := 0
	if e, ok := errors.AsType[*openai.APIError](err); ok {
		code = e.HTTPStatusCode
	} else if e, ok := errors.AsType[*openai.RequestError](err); ok {
		code = e.HTTPStatusCode
	}
	return code == http.StatusTooManyRequests || code >= 500
}

// redactedError hides the API key in an error's text, should a server
// quote it back, and still wraps the error.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (c *Client) redact(err error) error {
	if c.key == "" || !strings.Contains(err.Error(), c.key) {
		return err
	}
	return &redactedError{strings.ReplaceAll(err.Error(), c.key, "[redacted]"), err}
}
