package intents

import (
	"context"
	"log/slog"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/question"
)

// applyPolish lets the polisher rewrite the summary and so-what for the
// reader, within the model budget, and keeps the rewrite only if every
// sentence of it passes the grounding check against the answer's facts: a
// model may make the sentences read better, never bring a figure or a
// name of its own. The reason a rewrite is dropped is logged at debug.
func (e *Engine) applyPolish(ctx context.Context, a *model.Answer, req question.Request) {
	g := newGrounding(*a, model.Concealed(req.Hidden), e.groundNames(ctx))
	ctx, cancel := context.WithTimeout(ctx, e.budget)
	defer cancel()
	sum, sw, err := e.polish.Polish(ctx, *a, req.Audience, g.lines)
	if err != nil {
		e.log.Info("model wording unavailable", slog.Any("error", err))
		return
	}
	if err := g.check(sum, sw); err != nil {
		e.log.Debug("model wording dropped", slog.String("reason", err.Error()))
		return
	}
	a.Summary, a.SoWhat = sum, sw
}

// groundNames are the names in the data a rewrite might mention: the
// campaigns, categories, campaign types and regions, from the vocabulary
// the engine keeps until the next import. Without them only platforms and
// capitalised words are checked by name.
func (e *Engine) groundNames(ctx context.Context) []string {
	n, err := e.Vocabulary(ctx)
	if err != nil {
		return nil
	}
	var out []string
	for _, vs := range [][]string{n.CampaignNames(), n.Categories, n.CampaignTypes, n.Regions} {
		out = append(out, vs...)
	}
	return out
}
