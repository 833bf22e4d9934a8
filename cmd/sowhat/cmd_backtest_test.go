package main

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/model/curves"
)

// TestBacktestOnTheDemo: every demo platform is scored on its last eight
// weeks, each error a percentage under 30%, and the JSON carries the same
// scores.
func TestBacktestOnTheDemo(t *testing.T) {
	e, out := digestEnv(t, nil)
	if err := cmdBacktest(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if !strings.Contains(text, "predicting the 8 weeks from then") || !strings.Contains(text, "Weekly error") {
		t.Fatalf("backtest printed:\n%s", text)
	}
	row := regexp.MustCompile(`(?m)^(Google Ads|Meta|The Trade Desk|TikTok)\s+8\s+\$[\d,]+\s+\$[\d,]+\s+([\d.]+)%`)
	rows := row.FindAllStringSubmatch(text, -1)
	if len(rows) != 4 {
		t.Fatalf("%d of 4 platforms scored:\n%s", len(rows), text)
	}
	for _, r := range rows {
		if v, _ := strconv.ParseFloat(r[2], 64); v <= 0 || v > 30 {
			t.Errorf("%s error %s%%: want a sensible figure", r[1], r[2])
		}
	}
	out.Reset()
	if err := cmdBacktest(context.Background(), e, []string{"--json", "--weeks", "4"}); err != nil {
		t.Fatal(err)
	}
	var scores []curves.Score
	if err := json.Unmarshal(out.Bytes(), &scores); err != nil {
		t.Fatal(err)
	}
	if len(scores) != 8 || scores[0].Weeks != 4 || scores[0].Actual <= 0 {
		t.Errorf("scores %+v", scores)
	}
	if err := cmdBacktest(context.Background(), e, []string{"--weeks", "0"}); !errors.Is(err, errUsage) {
		t.Errorf("--weeks 0: %v", err)
	}
}
