package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data/datatest"
)

const (
	doctorBotToken = "xoxb-1111-2222-doctorsecretbot"
	doctorAppToken = "xapp-1-A0-3333-doctorsecretapp"
	doctorOpenAI   = "sk-doctorsecretopenai"
)

// doctorSecrets are values no line doctor prints may hold.
var doctorSecrets = []string{doctorBotToken, doctorAppToken, doctorOpenAI, testSecret, "doctorsecret", "hunter2", "doctor-teams-secret", "wrong-secret"}

// fakeSlackDoctor speaks the Web API calls doctor makes: auth.test with the
// bot token, apps.connections.open with the app token, conversations.info.
// Tokens other than the test's are refused as Slack refuses them.
func fakeSlackDoctor(t *testing.T, members map[string]bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if token == "" {
			token = r.Form.Get("token")
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/auth.test":
			if token != doctorBotToken {
				fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			// An app installed before sowhat asked for groups:history.
			w.Header().Set("X-OAuth-Scopes", "app_mentions:read,chat:write,commands,channels:read,groups:read,channels:history,files:write")
			fmt.Fprint(w, `{"ok":true,"url":"https://acme.slack.com/","team":"Acme","team_id":"T0ACME","user_id":"U0SOWHAT","bot_id":"B0SOWHAT"}`)
		case "/api/apps.connections.open":
			if token != doctorAppToken {
				fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			fmt.Fprintf(w, `{"ok":true,"url":"wss://%s/link/?ticket=abc"}`, r.Host)
		case "/api/conversations.info":
			id := r.Form.Get("channel")
			member, ok := members[id]
			if !ok {
				fmt.Fprint(w, `{"ok":false,"error":"channel_not_found"}`)
				return
			}
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":%q,"name":"%s","is_channel":true,"is_member":%t}}`, id, strings.ToLower(id), member)
		default:
			fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeOpenAI lists the models an OpenAI-compatible endpoint serves, and
// refuses any other key as OpenAI does (its message echoing part of it).
func fakeOpenAI(t *testing.T, models ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+doctorOpenAI {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"message":"Incorrect API key provided: %s.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`,
				strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
			return
		}
		if r.URL.Path != "/v1/models" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"message":"not found","type":"invalid_request_error"}}`)
			return
		}
		var data []string
		for _, m := range models {
			data = append(data, fmt.Sprintf(`{"id":%q,"object":"model","created":1700000000,"owned_by":"system"}`, m))
		}
		fmt.Fprintf(w, `{"object":"list","data":[%s]}`, strings.Join(data, ","))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// closedURL is the URL of a server that is no longer listening.
func closedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

const doctorReports = `digests:
  - name: cmo-weekly
    audience: cmo
    channels: [slack:C0MKT]
    schedule: "30 8 * * MON"
    period: last_week
alerts:
  channels: [slack:C0ALERTS]
  rules:
    - name: overspend
      kind: overspend
      threshold: 10%
`

func TestDoctor(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	demoDB := demoDatabase(t, asOf)
	slackOK := fakeSlackDoctor(t, map[string]bool{"C0MKT": true, "C0ALERTS": true})
	slackOut := fakeSlackDoctor(t, map[string]bool{"C0MKT": false, "C0ALERTS": true})
	openAI := fakeOpenAI(t, "gpt-4o-mini", "gpt-4o")
	reportsFile := writeFile(t, "reports.yaml", doctorReports)
	badReports := writeFile(t, "bad.yaml", strings.Replace(doctorReports, `"30 8 * * MON"`, `"30 25 * * MON"`, 1))
	stale := datatest.New(t).Ads(
		datatest.Daily{Platform: "meta", Campaign: "Meta Prospecting", From: "2026-11-01", To: "2026-11-24", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
		datatest.Daily{Platform: "google_ads", Campaign: "Google Search", From: "2026-11-01", To: "2026-11-15", Spend: 1000, Impressions: 100000, Clicks: 1000, Conversions: 25, Revenue: 4000},
	).Import().Path()
	const teamsID, teamsPassword = "11111111-2222-3333-4444-555555555555", "doctor-teams-secret"
	entra := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.Form.Get("client_id") != teamsID || r.Form.Get("client_secret") != teamsPassword {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}`)
			return
		}
		fmt.Fprint(w, `{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAi.teams.token"}`)
	}))
	t.Cleanup(entra.Close)
	teams := func(password string) []string {
		return []string{"MICROSOFT_APP_ID", teamsID, "MICROSOFT_APP_PASSWORD", password, "MICROSOFT_APP_TYPE", "MultiTenant", "TEAMS_TOKEN_URL", entra.URL + "/token"}
	}
	good := map[string]string{
		"DATABASE_URL": demoDB, "SOWHAT_AS_OF": "2026-11-25",
		"SLACK_BOT_TOKEN": doctorBotToken, "SLACK_SIGNING_SECRET": testSecret, "SLACK_API_URL": slackOK.URL + "/api/",
		"OPENAI_API_KEY": doctorOpenAI, "OPENAI_BASE_URL": openAI.URL + "/v1",
		"REPORTS_CONFIG": reportsFile,
	}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range good {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		env  map[string]string
		code int
		want []string // lines starting so
	}{
		{"all ok", good, 0, []string{
			"ok      configuration: every variable is well-formed",
			"ok      database: " + demoDB + " (schema ",
			"ok      data meta: last day 2026-11-24",
			"ok      data business: last day 2026-11-24",
			"ok      state: ",
			"ok      slack: SLACK_BOT_TOKEN accepted by auth.test (team T0ACME, bot user U0SOWHAT)",
			"skip    slack history: the app lacks groups:history, so after a crash a reply, digest or alert that was being posted may be posted twice",
			"ok      slack http: HTTP mode",
			"skip    teams: MICROSOFT_APP_ID is not set",
			"ok      llm: model gpt-4o-mini at " + openAI.URL + "/v1 answers",
			"ok      reports: " + reportsFile + ": 1 digest, 1 alert rule, schedules valid",
			"ok      channel C0MKT: #c0mkt, the bot is a member",
			"ok      channel C0ALERTS: #c0alerts, the bot is a member",
		}},
		{"config problems listed together", with("REPORTING_TZ", "Mars/Olympus", "LOG_LEVEL", "loud", "OPENAI_BASE_URL", "ftp://user:hunter2@example.com"), 1, []string{
			`problem configuration: REPORTING_TZ="Mars/Olympus"`,
			`problem configuration: LOG_LEVEL="loud"`,
			`problem configuration: OPENAI_BASE_URL="ftp://user:xxxxx@example.com"`,
			"ok      database: ",
			"ok      slack: ",
		}},
		{"no database", with("DATABASE_URL", filepath.Join(t.TempDir(), "none.db")), 1, []string{
			"problem database: there is no database at ",
			"ok      state: ",
		}},
		{"no folder", with("DATABASE_URL", filepath.Join(t.TempDir(), "nowhere", "s.db")), 1, []string{
			"problem database: there is no folder ",
			"problem state: there is no folder ",
		}},
		{"empty database", with("DATABASE_URL", emptyDatabase(t, filepath.Join(t.TempDir(), "empty.db"))), 1, []string{
			"problem database: ",
		}},
		{"stale platform", with("DATABASE_URL", stale), 1, []string{
			"ok      data meta: last day 2026-11-24",
			"problem data google_ads: last day 2026-11-15, 9 days behind meta (2026-11-24) — fix: import its latest export (sowhat ingest --db " + stale + " --platform google_ads FILE)",
		}},
		{"data behind today", with("SOWHAT_AS_OF", "2026-12-01"), 1, []string{
			"problem data meta: last day 2026-11-24, 7 days before today (2026-12-01 in UTC)",
		}},
		{"slack token refused", with("SLACK_BOT_TOKEN", "xoxb-9999-doctorsecretwrong"), 1, []string{
			"problem slack: Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth) — fix: copy the Bot User OAuth Token",
			"ok      reports: ",
		}},
		{"slack token malformed", with("SLACK_BOT_TOKEN", "xoxp-doctorsecretuser"), 1, []string{
			"problem slack: SLACK_BOT_TOKEN must start with xoxb-",
		}},
		{"slack unreachable", with("SLACK_API_URL", closedURL(t)+"/api/"), 1, []string{
			"problem slack: Slack could not be reached at ",
		}},
		{"socket mode ok", with("SLACK_APP_TOKEN", doctorAppToken), 0, []string{
			"ok      slack socket mode: SLACK_APP_TOKEN accepted by apps.connections.open",
		}},
		{"app token refused", with("SLACK_APP_TOKEN", "xapp-1-A0-doctorsecretwrong"), 1, []string{
			"ok      slack: SLACK_BOT_TOKEN accepted",
			"problem slack socket mode: Slack refused SLACK_APP_TOKEN (apps.connections.open: invalid_auth)",
		}},
		{"no slack", with("SLACK_BOT_TOKEN", ""), 0, []string{
			"skip    slack: SLACK_BOT_TOKEN is not set",
		}},
		{"bot not in channel", with("SLACK_API_URL", slackOut.URL+"/api/"), 1, []string{
			"problem channel C0MKT: the bot is not in #c0mkt: digests post there without their charts — fix: /invite @sowhat in #c0mkt",
			"ok      channel C0ALERTS: ",
		}},
		{"llm key refused", with("OPENAI_API_KEY", "sk-doctorsecretwrong"), 1, []string{
			"problem llm: " + openAI.URL + "/v1 refused OPENAI_API_KEY (list models: HTTP 401: the endpoint refused the API key)",
		}},
		{"llm unreachable", with("OPENAI_BASE_URL", closedURL(t)+"/v1"), 1, []string{
			"problem llm: ",
		}},
		{"llm model not found", with("OPENAI_MODEL", "gpt-9"), 1, []string{
			`problem llm: ` + openAI.URL + `/v1: model "gpt-9" is not among the 2 the endpoint lists: the endpoint has no such model — fix: set OPENAI_MODEL`,
		}},
		{"teams token", with(teams(teamsPassword)...), 0, []string{
			"ok      teams: MICROSOFT_APP_ID " + teamsID + " got a token from Microsoft Entra ID",
		}},
		{"teams secret refused", with(teams("wrong-secret")...), 1, []string{
			"problem teams: MICROSOFT_APP_ID: no token for the app: the app id or password was refused",
		}},
		{"no llm", with("OPENAI_API_KEY", "", "OPENAI_BASE_URL", ""), 0, []string{
			"skip    llm: OPENAI_API_KEY and OPENAI_BASE_URL are not set",
		}},
		{"bad reports file", with("REPORTS_CONFIG", badReports), 1, []string{
			"problem reports: REPORTS_CONFIG=" + badReports,
		}},
		{"reports file missing", with("REPORTS_CONFIG", filepath.Join(t.TempDir(), "none.yaml")), 1, []string{
			"problem reports: REPORTS_CONFIG=",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := sowhat(t, tt.env, "doctor")
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, stderr)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			for _, w := range tt.want {
				if !hasLinePrefix(lines, w) {
					t.Errorf("no line starting %q in:\n%s", w, out)
				}
			}
			if tt.code == 0 && hasLinePrefix(lines, "problem") {
				t.Errorf("a problem, yet exit 0:\n%s", out)
			}
			if tt.code == 1 && !strings.Contains(stderr, "to fix, above") {
				t.Errorf("stderr %q does not say problems were found", stderr)
			}
			for _, s := range doctorSecrets {
				if strings.Contains(out+stderr, s) {
					t.Errorf("output shows the secret %q:\n%s%s", s, out, stderr)
				}
			}
		})
	}
}

func hasLinePrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestDoctorJSON: --json prints the same checks as a list of objects.
func TestDoctorJSON(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "none.db")}
	out, _, code := sowhat(t, env, "doctor", "--json")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var got []result
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	names := map[string]string{}
	for _, r := range got {
		names[r.Name] = r.Status
	}
	for name, status := range map[string]string{"configuration": "ok", "database": "problem", "teams": "skip", "slack": "skip", "llm": "skip"} {
		if names[name] != status {
			t.Errorf("%s is %q, want %q: %s", name, names[name], status, out)
		}
	}
}

func TestHealthcheck(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }))
	defer up.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	tests := []struct {
		name string
		env  map[string]string
		url  string
		code int
		want string // in stderr
	}{
		{"healthy", nil, up.URL, 0, ""},
		{"unhealthy", nil, down.URL, 1, "answered HTTP 503: starting"},
		{"nothing listening", nil, closedURL(t), 1, "did not answer"},
		{"bad configuration does not stop it", map[string]string{"REPORTING_TZ": "Mars/Olympus"}, up.URL, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := sowhat(t, tt.env, "healthcheck", "--url", tt.url)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestDoctorHistoryScopes: the history scopes are said granted, or which
// are missing and what that costs; nothing is said when Slack listed no
// scopes, and a missing scope is never a problem (everything else works).
func TestDoctorHistoryScopes(t *testing.T) {
	for _, tt := range []struct {
		name    string
		granted []string
		status  string
		detail  string
	}{
		{"both", []string{"chat:write", "channels:history", "groups:history"}, statusOK, "channels:history and groups:history granted"},
		{"neither", []string{"chat:write"}, statusSkip, "the app lacks channels:history and groups:history, so after a crash"},
		{"not listed", nil, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &doctor{}
			d.historyScopes(tt.granted)
			if tt.status == "" {
				if len(d.results) != 0 {
					t.Errorf("said %+v, want nothing", d.results)
				}
				return
			}
			if len(d.results) != 1 || d.results[0].Status != tt.status || !strings.HasPrefix(d.results[0].Detail, tt.detail) || d.problems() != 0 {
				t.Errorf("said %+v, want %s %q…", d.results, tt.status, tt.detail)
			}
		})
	}
}
