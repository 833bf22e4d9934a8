package intents

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// ErrHidden is a request for nothing but metrics its reader may not see.
// The caller refuses such a question before asking (bot.Policy); the engine
// returns this rather than answer it.
var ErrHidden = errors.New("every metric asked for is hidden from this reader")

// visibleRequest takes the reader's hidden metrics out of what req asks
// for. A request left with no metric, or filtered on a hidden one
// ("campaigns with CAC above $40"), is ErrHidden.
func visibleRequest(req question.Request) (question.Request, error) {
	if len(req.Hidden) == 0 {
		return req, nil
	}
	for _, h := range req.Having {
		if hides(req, h.Metric) {
			return req, fmt.Errorf("answer %q: threshold on %s: %w", req.Question, h.Metric, ErrHidden)
		}
	}
	kept := model.Visible(req.Metrics, req.Hidden)
	if len(kept) == len(req.Metrics) {
		return req, nil
	}
	if len(kept) == 0 {
		return req, fmt.Errorf("answer %q: %w", req.Question, ErrHidden)
	}
	req.Metrics = kept
	return req, nil
}

// hides reports whether req's reader may not see metric.
func hides(req question.Request, metric model.MetricID) bool {
	return slices.Contains(req.Hidden, metric)
}

// askable keeps the suggestions whose question, as the parser reads it,
// asks for no hidden metric: a reader is never pointed at a question they
// would be refused.
func (e *Engine) askable(ctx context.Context, suggestions []string, req question.Request) ([]string, error) {
	if len(suggestions) == 0 {
		return suggestions, nil
	}
	vocab, err := e.Vocabulary(ctx)
	if err != nil {
		return nil, err
	}
	opt := e.parse
	opt.Hidden = req.Hidden
	var out []string
	for _, s := range suggestions {
		sr := question.ParseWith(s, req.Period.End, vocab, opt)
		if slices.ContainsFunc(sr.Metrics, func(m model.MetricID) bool { return hides(req, m) }) ||
			slices.ContainsFunc(sr.Having, func(h model.Threshold) bool { return hides(req, h.Metric) }) {
			continue
		}
		out = append(out, s)
	}
	return out, nil
}
