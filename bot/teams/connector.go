package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// statusError is a connector (or token endpoint) answer other than
// success: its status, Teams' error code when it gave one, and how long
// it asked the bot to wait.
type statusError struct {
	op         string
	code       int
	errCode    string // Teams' error code: MessageWritesBlocked, …
	retryAfter time.Duration
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.op, e.code)
	if e.errCode != "" {
		s += " " + e.errCode
	}
	return s
}

// retryable reports whether the call may succeed if tried again.
func (e *statusError) retryable() bool {
	return e.code == http.StatusTooManyRequests || e.code >= 500
}

// ErrAppRemoved means Teams refuses the bot's posts in a conversation
// because the app was removed from it (403 MessageWritesBlocked).
var ErrAppRemoved = errors.New("the app was removed from the conversation (MessageWritesBlocked)")

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}

// Retry limits.
const (
	maxTransient = 8                // tries for network errors and 5xx
	maxBackoff   = 60 * time.Second // the longest wait between tries
)

// connector calls the Bot Connector REST API of a service URL.
type connector struct {
	tokens *tokenSource
	client *http.Client
	log    *slog.Logger
	sleep  func(ctx context.Context, d time.Duration) error
}

// activityRef is what the connector answers a post with.
type activityRef struct {
	ID         string `json:"id"`
	ActivityID string `json:"activityId"`
}

// send posts one activity to a conversation: as a reply to replyTo when
// set. It returns the new activity's id.
func (c *connector) send(ctx context.Context, serviceURL, conversation, replyTo string, act outActivity) (string, error) {
	path := "v3/conversations/" + url.PathEscape(conversation) + "/activities"
	if replyTo != "" {
		path += "/" + url.PathEscape(replyTo)
	}
	var ref activityRef
	if err := c.call(ctx, "post activity", serviceURL, path, act, &ref); err != nil {
		return "", err
	}
	return ref.ID, nil
}

// newConversationParams starts a thread in a team's channel.
type newConversationParams struct {
	IsGroup     bool           `json:"isGroup"`
	Bot         account        `json:"bot"`
	TenantID    string         `json:"tenantId,omitempty"`
	Activity    outActivity    `json:"activity"`
	ChannelData map[string]any `json:"channelData"`
}

// startThread posts act as a new thread in a team's channel and returns the
// thread's conversation id and root activity id.
func (c *connector) startThread(ctx context.Context, serviceURL string, p newConversationParams) (conversation, root string, err error) {
	var ref activityRef
	if err := c.call(ctx, "create conversation", serviceURL, "v3/conversations", p, &ref); err != nil {
		return "", "", err
	}
	root = ref.ActivityID
	if root == "" {
		_, root, _ = strings.Cut(ref.ID, messageIDMark)
	}
	return ref.ID, root, nil
}

// call POSTs body to the service URL's path and decodes the answer into
// out. 429s are retried for as long as Teams asks (doubling the wait on
// repeats), 5xx and network errors a few times with backoff, a 401 once
// with a fresh token; anything else is final.
func (c *connector) call(ctx context.Context, op, serviceURL, path string, body, out any) error {
	payload, err := marshal(body)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	endpoint := strings.TrimRight(serviceURL, "/") + "/" + path
	transient, limited, refreshed := 0, 0, false
	for {
		err := c.try(ctx, op, endpoint, payload, out)
		var se *statusError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &se) && se.code == http.StatusUnauthorized && !refreshed:
			refreshed = true
			c.tokens.forget()
			continue
		case errors.As(err, &se) && se.code == http.StatusTooManyRequests:
			limited++
			wait := backoff(se.retryAfter, limited)
			c.log.Warn("teams rate limit", slog.String("op", op), slog.Duration("retry_after", se.retryAfter), slog.Duration("wait", wait))
			if err := c.sleep(ctx, wait); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
		case isTransient(err) && transient < maxTransient:
			transient++
			wait := backoff(retryAfterOf(err), transient)
			c.log.Warn("teams call failed, retrying", slog.String("op", op), slog.Int("attempt", transient), slog.Duration("wait", wait), slog.Any("error", err))
			if err := c.sleep(ctx, wait); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
		default:
			return err
		}
	}
}

// backoff is the wait before try n+1: what the server asked for, or half
// a second, doubled for each failure after the first, at most a minute.
func backoff(asked time.Duration, n int) time.Duration {
	wait := max(asked, 500*time.Millisecond)
	for i := 1; i < n && wait < maxBackoff; i++ {
		wait *= 2
	}
	return max(asked, min(wait, maxBackoff))
}

func retryAfterOf(err error) time.Duration {
	var se *statusError
	if errors.As(err, &se) {
		return se.retryAfter
	}
	return 0
}

func isTransient(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.retryable()
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF)
}

// try makes one call.
func (c *connector) try(ctx context.Context, op, endpoint string, payload []byte, out any) error {
	tok, err := c.tokens.get(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	res, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, redactURL(err))
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", op, err)
	}
	if res.StatusCode >= 300 {
		se := &statusError{op: op, code: res.StatusCode, retryAfter: retryAfter(res.Header), errCode: errorCode(b)}
		if se.code == http.StatusForbidden && se.errCode == "MessageWritesBlocked" {
			return fmt.Errorf("%w: %w", ErrAppRemoved, se)
		}
		return se
	}
	if out != nil && len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s: decode answer: %w", op, err)
		}
	}
	return nil
}

// errorCode reads the code of a Bot Connector error answer:
// {"error":{"code":"MessageWritesBlocked","message":"…"}}.
func errorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Error.Code
}
