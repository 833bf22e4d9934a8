package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// Polish rewrites an answer's summary and so-what for its reader:
// executives get it brief, team leads more detail. facts are every figure
// and name the answer holds, as the house writes them; the model may use
// those and no others. The engine checks the rewrite against them (its
// grounding check) before it replaces a word.
func (c *Client) Polish(ctx context.Context, a model.Answer, audience string, facts []string) (string, string, error) {
	system, err := writePrompt(audience)
	if err != nil {
		return "", "", err
	}
	in, err := json.Marshal(map[string]any{"summary": a.Summary, "so_what": a.SoWhat, "facts": facts})
	if err != nil {
		return "", "", fmt.Errorf("polish: %w", err)
	}
	resp, err := c.call(ctx, "write", WriteVersion, openai.ChatCompletionRequest{
		Temperature: 0.2,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: string(in)},
		},
		ResponseFormat: &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject},
	})
	if err != nil {
		return "", "", err
	}
	out := strings.TrimSpace(resp.Choices[0].Message.Content)
	var v struct {
		Summary string `json:"summary"`
		SoWhat  string `json:"so_what"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		return "", "", fmt.Errorf("polish: model's answer is not the JSON asked for: %w", err)
	}
	return v.Summary, v.SoWhat, nil
}

// executive reports whether an audience reads briefly.
func executive(audience string) bool {
	switch model.Audience(audience) {
	case model.AudienceCFO, model.AudienceCMO, model.AudienceCEO:
		return true
	}
	return audience == ""
}

// styleExample is one house-style example for the write prompt.
type styleExample struct{ Summary, SoWhat string }

func writePrompt(audience string) (string, error) {
	data := map[string]any{
		"Reader": "a marketing executive", "Length": "Keep it brief: one sentence of summary.", "SoWhatSentences": 2,
		"Examples": StyleExamples(),
	}
	if !executive(audience) {
		data["Reader"], data["Length"], data["SoWhatSentences"] = "a marketing team lead", "Give the detail a team lead acts on: the drivers and the figures behind them.", 3
	}
	return render(WriteVersion, data)
}

// StyleExamples are house-style answers built from the registry and the
// house formatting, for the write prompt.
func StyleExamples() []styleExample {
	f := func(x float64) *float64 { return &x }
	roas, _ := model.LookupMetric(model.ROAS)
	spend, _ := model.LookupMetric(model.Spend)
	cpa, _ := model.LookupMetric(model.CPA)
	return []styleExample{
		{
			Summary: fmt.Sprintf("%s was %s last week, %s vs the week before.", roas.Name, wording.Value(roas.Unit, f(3.21)), wording.ChangePct(-0.084)),
			SoWhat:  "Meta drove most of the drop; check its prospecting campaigns before shifting budget.",
		},
		{
			Summary: fmt.Sprintf("%s was %s last month; %s was %s.", spend.Name, wording.Compact(spend.Unit, f(1204330)), cpa.Name, wording.Value(cpa.Unit, f(42.5))),
			SoWhat:  "Spend is on plan; CPA is the number to watch.",
		},
	}
}
