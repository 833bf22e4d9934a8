package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/bot"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
)

// TestLoadConfigReportsEveryBadVariable checks that one run names every
// bad variable, each in its own error, and shows no secret.
func TestLoadConfigReportsEveryBadVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // each names one variable, in one error
	}{
		{"one", map[string]string{"REPORTING_TZ": "Mars/Olympus"}, []string{"REPORTING_TZ"}},
		{"general settings", map[string]string{"REPORTING_TZ": "Mars/Olympus", "REPORTING_CURRENCY": "DOLLARS", "LOG_LEVEL": "loud",
			"SOWHAT_AS_OF": "22/11/2026", "PAYBACK_ORDERS_PER_CUSTOMER_YEAR": "-2"},
			[]string{"REPORTING_TZ", "REPORTING_CURRENCY", "LOG_LEVEL", "SOWHAT_AS_OF", "PAYBACK_ORDERS_PER_CUSTOMER_YEAR"}},
		{"env file and more", map[string]string{"SOWHAT_ENV_FILE": "/nonexistent/.env", "LOG_LEVEL": "loud"},
			[]string{"SOWHAT_ENV_FILE", "LOG_LEVEL"}},
		{"malformed env file", map[string]string{"SOWHAT_ENV_FILE": envFile(t, "LOG_LEVEL=info\nSLACK_BOT_TOKEN hunter2\n"), "REPORTING_CURRENCY": "DOLLARS"},
			[]string{"SOWHAT_ENV_FILE", "REPORTING_CURRENCY"}},
		{"urls", map[string]string{"OPENAI_BASE_URL": "ftp://user:hunter2@example.com", "SLACK_API_URL": "slack-gov.com/api",
			"DATABASE_URL": "postgres://sowhat:hunter2@db:bad-port/sowhat"},
			[]string{"OPENAI_BASE_URL", "SLACK_API_URL", "DATABASE_URL"}},
		{"state url", map[string]string{"STATE_DATABASE_URL": "postgres://sowhat:hunter2@db:bad-port/state"}, []string{"STATE_DATABASE_URL"}},
		{"slack and reports", map[string]string{"SLACK_ALLOWED_CHANNELS": "#finance", "SLACK_ALLOWED_USERS": "@jane",
			"SENSITIVE_METRICS": "cac,payback", "AUDIENCES": "C0FINANCE=cfoo", "SLACK_USER_RATE": "lots", "REPORTS_CHANNEL": "#general"},
			[]string{"SLACK_ALLOWED_CHANNELS", "SLACK_ALLOWED_USERS", "SENSITIVE_METRICS", "AUDIENCES", "SLACK_USER_RATE", "REPORTS_CHANNEL"}},
		{"llm", map[string]string{"OPENAI_API_TYPE": "bedrock", "SOWHAT_LLM_UNDERSTAND": "maybe", "SOWHAT_LLM_WRITING": "nah"},
			[]string{"OPENAI_API_TYPE", "SOWHAT_LLM_UNDERSTAND", "SOWHAT_LLM_WRITING"}},
		{"azure without its endpoint", map[string]string{"OPENAI_API_TYPE": "azure", "OPENAI_API_KEY": "hunter2"}, []string{"OPENAI_API_TYPE"}},
		{"everything at once", map[string]string{"REPORTING_CURRENCY": "DOLLARS", "SENSITIVE_USERS": "jane", "REPORTS_CHANNEL": "C0FIN",
			"OPENAI_BASE_URL": "not a url at all"},
			[]string{"REPORTING_CURRENCY", "SENSITIVE_USERS", "REPORTS_CHANNEL", "OPENAI_BASE_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["XDG_DATA_HOME"] = t.TempDir()
			_, err := LoadConfig(envOf(tt.env))
			if err == nil {
				t.Fatal("no error")
			}
			errs := flatten(err)
			if len(errs) != len(tt.want) {
				t.Errorf("%d errors, want %d:\n%v", len(errs), len(tt.want), err)
			}
			for _, name := range tt.want {
				n := 0
				for _, e := range errs {
					if strings.Contains(e.Error(), name) {
						n++
					}
				}
				if n != 1 {
					t.Errorf("%d errors name %s, want 1:\n%v", n, name, err)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows a password:\n%v", err)
			}
		})
	}
}

// TestEnvFileErrorNamesTheLine: a malformed .env is reported with the line
// it breaks on, never with its contents.
func TestEnvFileErrorNamesTheLine(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		line       int
	}{
		{"no equals sign", "LOG_LEVEL=info\n# a comment\nSLACK_BOT_TOKEN hunter2\nSLACK_SIGNING_SECRET=hunter2\n", 3},
		{"bad name", "A=1\r\nB=2\r\nBAD-NAME=hunter2\r\n", 3},
		{"unterminated quote", "A=1\nSLACK_BOT_TOKEN=\"hunter2\nB=hunter2\n", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(envOf(map[string]string{"SOWHAT_ENV_FILE": envFile(t, tt.file), "XDG_DATA_HOME": t.TempDir()}))
			if err == nil {
				t.Fatal("no error")
			}
			if want := fmt.Sprintf("line %d:", tt.line); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "SLACK_BOT_TOKEN") {
				t.Errorf("the error shows the file's contents:\n%v", err)
			}
		})
	}
}

// envFile writes a .env file and returns its path.
func envFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestChatCredentialsAreCheckedOnlyWhereNeeded: a bad or missing Slack
// token stops neither the configuration nor the commands that don't talk
// to Slack, and serve says every bad credential at once, showing none.
func TestChatCredentialsAreCheckedOnlyWhereNeeded(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "x.db"), "SOWHAT_ENV_FILE": "",
		"SLACK_BOT_TOKEN": "xoxp-secret-user-token", "SLACK_APP_TOKEN": "xoxb-secret-wrong"}
	cfg, err := LoadConfig(envOf(env))
	if err != nil {
		t.Fatalf("credentials checked by LoadConfig: %v", err)
	}
	if _, stderr, code := sowhat(t, env, "demo", "--as-of", "2026-11-22"); code != 0 {
		t.Fatalf("demo with bad Slack tokens: code %d: %s", code, stderr)
	}
	if _, stderr, code := sowhat(t, env, "ask", "--as-of", "2026-11-22", "How did Meta ROAS change last week?"); code != 0 {
		t.Fatalf("ask with bad Slack tokens: code %d: %s", code, stderr)
	}
	err = cfg.Slack.CheckServe()
	if errs := flatten(err); len(errs) != 2 || !strings.Contains(errs[0].Error(), "SLACK_BOT_TOKEN") || !strings.Contains(errs[1].Error(), "SLACK_APP_TOKEN") {
		t.Errorf("serve credentials: %v, want SLACK_BOT_TOKEN and SLACK_APP_TOKEN named", err)
	}
	_, stderr, code := sowhat(t, env, "serve", "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(stderr, "SLACK_BOT_TOKEN") || !strings.Contains(stderr, "SLACK_APP_TOKEN") || strings.Contains(stderr, "secret") {
		t.Errorf("serve: code %d, stderr %q; want 2, both tokens named, neither shown", code, stderr)
	}
}

func TestLoadConfigPassesSettingsDown(t *testing.T) {
	cfg, err := LoadConfig(envOf(map[string]string{"DATABASE_URL": "/tmp/x.db", "SOWHAT_ENV_FILE": "", "REPORTING_TZ": "Europe/London",
		"PAYBACK_ORDERS_PER_CUSTOMER_YEAR": "6", "REPORTS_CONFIG": "reports.yaml", "REPORTS_CHANNEL": "slack:C0FIN",
		"SLACK_BOT_TOKEN": " xoxb-1 ", "SLACK_USER_RATE": "5/min", "SLACK_ALLOWED_CHANNELS": "C0MKT"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Location.String() != "Europe/London" || cfg.OrdersPerCustomerYear != 6 || cfg.Reports != (ReportsSettings{File: "reports.yaml", Channel: "slack:C0FIN"}) ||
		cfg.Slack.BotToken != "xoxb-1" || cfg.Slack.UserRate != (bot.Rate{N: 5, Per: time.Minute}) || len(cfg.Slack.Policy.AllowedChannels) != 1 {
		t.Errorf("config %+v", cfg)
	}
}

// TestOrdersPerCustomerYearReachesTheQuery: the setting given at Open is
// the one payback answers assume.
func TestOrdersPerCustomerYearReachesTheQuery(t *testing.T) {
	cfg, err := LoadConfig(envOf(map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "x.db"), "SOWHAT_ENV_FILE": "",
		"PAYBACK_ORDERS_PER_CUSTOMER_YEAR": "6"}))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{cfg: cfg}
	st, err := e.open(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := st.OrdersPerCustomerYear(); got != 6 {
		t.Errorf("store assumes %v orders a year, want 6", got)
	}
}

func TestConfigProblemsListsEachOnItsLine(t *testing.T) {
	one := configProblems(errors.Join(errors.New("A is bad")))
	if one != "configuration: A is bad" {
		t.Errorf("one problem: %q", one)
	}
	two := configProblems(errors.Join(errors.New("A is bad"), errors.Join(errors.New("B is bad"), errors.New("C is bad"))))
	if two != "configuration: 3 problems:\n  A is bad\n  B is bad\n  C is bad" {
		t.Errorf("three problems: %q", two)
	}
}

// TestLoadConfigFiscalCalendar: FISCAL_CALENDAR and FISCAL_YEAR_START
// choose the fiscal calendar the parser reads fiscal periods through;
// neither set leaves none, and a bad value is named.
func TestLoadConfigFiscalCalendar(t *testing.T) {
	tests := []struct {
		env     map[string]string
		want    *period.Calendar
		wantErr string
	}{
		{map[string]string{}, nil, ""},
		{map[string]string{"FISCAL_CALENDAR": "nrf-454"}, &period.Calendar{Kind: period.NRF454}, ""},
		{map[string]string{"FISCAL_CALENDAR": "nrf-454", "FISCAL_YEAR_START": "2"}, &period.Calendar{Kind: period.NRF454, Start: time.February}, ""},
		{map[string]string{"FISCAL_YEAR_START": "7"}, &period.Calendar{Kind: period.CalendarMonths, Start: time.July}, ""},
		{map[string]string{"FISCAL_CALENDAR": "4-4-5"}, nil, "FISCAL_CALENDAR"},
		{map[string]string{"FISCAL_CALENDAR": "nrf-454", "FISCAL_YEAR_START": "feb"}, nil, "FISCAL_YEAR_START"},
		{map[string]string{"FISCAL_YEAR_START": "13"}, nil, "FISCAL_YEAR_START"},
	}
	for _, tt := range tests {
		tt.env["XDG_DATA_HOME"] = t.TempDir()
		c, err := LoadConfig(envOf(tt.env))
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: error %v, want one naming %s", tt.env, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%v: %v", tt.env, err)
		case (c.Fiscal == nil) != (tt.want == nil) || c.Fiscal != nil && *c.Fiscal != *tt.want:
			t.Errorf("%v: fiscal calendar %+v, want %+v", tt.env, c.Fiscal, tt.want)
		}
	}
}

// TestFiscalCalendarReachesTheParser: FISCAL_CALENDAR=nrf-454 makes the
// engine read "fiscal Q3" as NRF's Aug 2 – Oct 31, 2026, with no question
// back; without it the engine asks.
func TestFiscalCalendarReachesTheParser(t *testing.T) {
	for _, tt := range []struct {
		env     map[string]string
		period  string
		clarify bool
	}{
		{map[string]string{"FISCAL_CALENDAR": "nrf-454"}, "2026-08-02..2026-10-31", false},
		{map[string]string{}, "2026-07-01..2026-09-30", true},
	} {
		tt.env["DATABASE_URL"] = filepath.Join(t.TempDir(), "x.db")
		tt.env["SOWHAT_ENV_FILE"] = ""
		cfg, err := LoadConfig(envOf(tt.env))
		if err != nil {
			t.Fatal(err)
		}
		e := &env{cfg: cfg, log: slog.New(slog.DiscardHandler)}
		st, err := e.open(context.Background(), cfg.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		req, err := intents.New(st, e.engineOptions()...).Understand(context.Background(), "spend fiscal q3", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), question.Reader{Audience: "cfo"}, nil)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := req.Period.Start.Format(period.DateLayout) + ".." + req.Period.End.Format(period.DateLayout); got != tt.period {
			t.Errorf("%v: fiscal Q3 is %s, want %s", tt.env, got, tt.period)
		}
		if (req.Clarify != "") != tt.clarify {
			t.Errorf("%v: clarify %q, want a question back: %v", tt.env, req.Clarify, tt.clarify)
		}
	}
}

// TestEnvExampleDocumentsEveryVariable: every variable LoadConfig reads is
// in .env.example.
func TestEnvExampleDocumentsEveryVariable(t *testing.T) {
	example, err := os.ReadFile("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "none.env")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	asked := map[string]bool{}
	getenv := func(k string) string {
		asked[k] = true
		if k == "SOWHAT_ENV_FILE" {
			return empty
		}
		return ""
	}
	_, _ = LoadConfig(getenv)
	if len(asked) < 10 {
		t.Fatalf("LoadConfig asked for only %v", asked)
	}
	for k := range asked {
		if k == "HOME" || k == "XDG_DATA_HOME" || k == "LOCALAPPDATA" || k == "APPDATA" {
			continue // where the demo database goes, said in words
		}
		if !regexp.MustCompile(`(?m)^#? ?` + regexp.QuoteMeta(k) + `=`).Match(example) {
			t.Errorf(".env.example does not document %s", k)
		}
	}
}
