package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// What Check finds wrong with the endpoint. The errors wrapping them never
// quote the endpoint's reply or its URL: a refusal may echo part of the key,
// and a URL may carry a password.
var (
	// ErrRefused: the endpoint refused the API key (HTTP 401 or 403).
	ErrRefused = errors.New("the endpoint refused the API key")
	// ErrNoModel: the endpoint answers but has no such model.
	ErrNoModel = errors.New("the endpoint has no such model")
	// ErrUnreachable: the endpoint could not be reached, or answered
	// with something other than the OpenAI API.
	ErrUnreachable = errors.New("the endpoint could not be reached")
)

// checkTimeout bounds a check: a deployment check may wait longer than an
// answer does.
const checkTimeout = 8 * time.Second

// Check asks the endpoint whether the key is accepted and the model
// exists: the model list, or, from an endpoint that serves none, a
// one-token completion.
func (c *Client) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	list, err := c.api.ListModels(ctx)
	if status(err) == http.StatusNotFound || status(err) == http.StatusMethodNotAllowed {
		return c.checkByCompletion(ctx)
	}
	if err != nil {
		return classify("list models", err)
	}
	if !slices.ContainsFunc(list.Models, func(m openai.Model) bool { return m.ID == c.model }) {
		return fmt.Errorf("model %q is not among the %d the endpoint lists: %w", c.model, len(list.Models), ErrNoModel)
	}
	return nil
}

// checkByCompletion asks for one token from the model.
func (c *Client) checkByCompletion(ctx context.Context) error {
	_, err := c.api.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:               c.model,
		MaxCompletionTokens: 1,
		Messages:            []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "ok"}},
	})
	if status(err) == http.StatusNotFound {
		return fmt.Errorf("model %q: %w", c.model, ErrNoModel)
	}
	if err != nil {
		return classify("chat completion", err)
	}
	return nil
}

// status is the HTTP status of an error the client returned, 0 when it
// has none (the request never got an answer).
func status(err error) int {
	if ae, ok := errors.AsType[*openai.APIError](err); ok {
		return ae.HTTPStatusCode
	}
	if re, ok := errors.AsType[*openai.RequestError](err); ok {
		return re.HTTPStatusCode
	}
	return 0
}

// classify names what went wrong with a call by its status alone.
func classify(call string, err error) error {
	switch s := status(err); {
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return fmt.Errorf("%s: HTTP %d: %w", call, s, ErrRefused)
	case s != 0:
		return fmt.Errorf("%s: HTTP %d: %w", call, s, ErrUnreachable)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: no answer within %s: %w", call, checkTimeout, ErrUnreachable)
	}
	return fmt.Errorf("%s: %w", call, ErrUnreachable)
}
