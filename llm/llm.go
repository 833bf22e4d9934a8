// Package llm connects sowhat to an OpenAI-compatible chat model. The model
// widens the phrasing sowhat understands and polishes its wording; it never
// supplies a number — callers check that every figure survives.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/sowhat-ai/sowhat/metrics"
	"github.com/sowhat-ai/sowhat/model"
)

// ErrNotMarketing means the model judged the question out of scope.
var ErrNotMarketing = errors.New("not a marketing question")

// Client talks to one model.
type Client struct {
	api     *openai.Client
	model   string
	metrics *metrics.Metrics
}

// callTimeout bounds each call: an answer never waits long on wording.
const callTimeout = 8 * time.Second

// Option configures a Client.
type Option func(*openai.ClientConfig, *Client)

// WithBaseURL points the client at any OpenAI-compatible endpoint.
func WithBaseURL(url string) Option {
	return func(c *openai.ClientConfig, _ *Client) {
		if url != "" {
			c.BaseURL = strings.TrimSuffix(url, "/")
		}
	}
}

// WithModel sets the model name.
func WithModel(m string) Option { return func(_ *openai.ClientConfig, c *Client) { c.model = m } }

// WithMetrics counts the calls, their time and their tokens.
func WithMetrics(m *metrics.Metrics) Option {
	return func(_ *openai.ClientConfig, c *Client) { c.metrics = m }
}

// New returns a client for the API key.
func New(apiKey string, opts ...Option) *Client {
	cfg := openai.DefaultConfig(apiKey)
	c := &Client{model: "gpt-4o-mini"}
	for _, o := range opts {
		o(&cfg, c)
	}
	c.api = openai.NewClientWithConfig(cfg)
	return c
}

func (c *Client) complete(ctx context.Context, system, user string, jsonOut bool) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	req := openai.ChatCompletionRequest{
		Model:       c.model,
		Temperature: 0,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
	}
	if jsonOut {
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	start := time.Now()
	resp, err := c.api.CreateChatCompletion(ctx, req)
	c.metrics.LLMCall(err, time.Since(start), resp.Usage.PromptTokens, resp.Usage.CompletionTokens)
	if err != nil {
		return "", fmt.Errorf("chat completion: %w", err)
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("chat completion: no choices")
	}
	return strings.TrimSpace(resp.Choices[0].Message.Content), nil
}

// Rephrase rewrites a question into the parser's vocabulary.
func (c *Client) Rephrase(ctx context.Context, question string) (string, error) {
	out, err := c.complete(ctx, rephrasePrompt, question, false)
	if err != nil {
		return "", fmt.Errorf("rephrase: %w", err)
	}
	if out == "" || strings.EqualFold(out, "UNKNOWN") {
		return "", fmt.Errorf("rephrase: %w", ErrNotMarketing)
	}
	return out, nil
}

// Polish rewords an answer's summary and so-what. The engine keeps the result
// only if every number in it is unchanged.
func (c *Client) Polish(ctx context.Context, a model.Answer) (string, string, error) {
	in, err := json.Marshal(map[string]string{"summary": a.Summary, "so_what": a.SoWhat})
	if err != nil {
		return "", "", fmt.Errorf("polish: %w", err)
	}
	out, err := c.complete(ctx, polishPrompt, string(in), true)
	if err != nil {
		return "", "", fmt.Errorf("polish: %w", err)
	}
	var v struct {
		Summary string `json:"summary"`
		SoWhat  string `json:"so_what"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		return "", "", fmt.Errorf("polish: model answered %q: %w", out, err)
	}
	return v.Summary, v.SoWhat, nil
}
