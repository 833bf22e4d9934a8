package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestLogFormat(t *testing.T) {
	tests := []struct {
		format string
		json   bool
	}{
		{"", true}, // not a terminal
		{"json", true},
		{"text", false},
	}
	for _, tt := range tests {
		t.Run("LOG_FORMAT="+tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			newLogger(&buf, Config{LogFormat: tt.format}).Info("answered", slog.String("event_id", "Ev1"))
			line := strings.TrimSpace(buf.String())
			var v map[string]any
			isJSON := json.Unmarshal([]byte(line), &v) == nil
			if isJSON != tt.json {
				t.Fatalf("logged %q: JSON %v, want %v", line, isJSON, tt.json)
			}
			if tt.json && v["event_id"] != "Ev1" || !tt.json && !strings.Contains(line, "event_id=Ev1") {
				t.Errorf("logged %q, want event_id Ev1", line)
			}
		})
	}
}
