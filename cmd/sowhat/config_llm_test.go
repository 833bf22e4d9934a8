package main

import (
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLLMSettings(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    LLMSettings
		enabled bool
		options int // engine options besides the logger and calendar
	}{
		{"none: everything works as before", map[string]string{}, LLMSettings{Model: "gpt-4o-mini", Understand: true, Writing: true}, false, 0},
		{"OpenAI", map[string]string{"OPENAI_API_KEY": "sk-x", "OPENAI_MODEL": "gpt-4.1-mini"},
			LLMSettings{Key: "sk-x", Model: "gpt-4.1-mini", Understand: true, Writing: true}, true, 2},
		{"a local server needs no key", map[string]string{"OPENAI_BASE_URL": "http://localhost:11434/v1", "OPENAI_MODEL": "llama3.1"},
			LLMSettings{BaseURL: "http://localhost:11434/v1", Model: "llama3.1", Understand: true, Writing: true}, true, 2},
		{"Azure", map[string]string{"OPENAI_API_TYPE": "Azure", "OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "https://acme.openai.azure.com",
			"OPENAI_API_VERSION": "2024-06-01", "OPENAI_DEPLOYMENT": "prod-4o"},
			LLMSettings{Key: "k", BaseURL: "https://acme.openai.azure.com", Model: "gpt-4o-mini", Azure: true, APIVersion: "2024-06-01", Deployment: "prod-4o", Understand: true, Writing: true}, true, 2},
		{"understanding off", map[string]string{"OPENAI_API_KEY": "sk-x", "SOWHAT_LLM_UNDERSTAND": "off"},
			LLMSettings{Key: "sk-x", Model: "gpt-4o-mini", Writing: true}, true, 1},
		{"both off", map[string]string{"OPENAI_API_KEY": "sk-x", "SOWHAT_LLM_UNDERSTAND": "OFF", "SOWHAT_LLM_WRITING": "off"},
			LLMSettings{Key: "sk-x", Model: "gpt-4o-mini"}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["XDG_DATA_HOME"] = t.TempDir()
			c, err := LoadConfig(envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.LLM); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
			if c.LLM.Enabled() != tt.enabled {
				t.Errorf("enabled %v", c.LLM.Enabled())
			}
			e := &env{cfg: c, log: slog.New(slog.DiscardHandler)}
			if n := len(e.engineOptions()) - 2; n != tt.options {
				t.Errorf("%d model options, want %d", n, tt.options)
			}
		})
	}
}
