package sources_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/sources"
)

const secretURL = "postgres://reader:hunter2-secret@wh.internal:5432/analytics"

func env(k string) string {
	switch k {
	case "WAREHOUSE_URL":
		return secretURL
	case "REDSHIFT_URL":
		return "redshift://reader:hunter2-secret@cluster.example.redshift.amazonaws.com/dev"
	case "BAD_URL":
		return "mysql://reader:hunter2-secret@db/x"
	}
	return ""
}

// The example, as written.
const example = `sources:
  - name: warehouse
    kind: dbt_ad_reporting          # or: sql (with a column mapping), folder
    url_env: WAREHOUSE_URL          # postgres://… read from the environment
    table: ad_reporting.ad_reporting__campaign_report
    schedule: "0 * * * *"
    timezone: UTC
`

func TestExampleConfig(t *testing.T) {
	cfg, err := sources.Parse("sources.yaml", []byte(example), env)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sources[0]
	if s.Name != "warehouse" || s.Kind != sources.KindDBT || s.URL.Reveal() != secretURL || s.Table != "ad_reporting.ad_reporting__campaign_report" ||
		s.LookbackDays != 3 || s.PageSize != sources.DefaultPageSize || s.Tolerance != 0.005 || s.Location != time.UTC {
		t.Errorf("parsed %+v", s)
	}
	if next := s.Next(time.Date(2026, 11, 12, 6, 30, 0, 0, time.UTC)); !next.Equal(time.Date(2026, 11, 12, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("next run after 06:30 = %s, want 07:00", next)
	}
	if strings.Contains(s.URL.String(), "hunter2") || strings.Contains(strings.ReplaceAll(fmtAll(s), " ", ""), "hunter2") {
		t.Error("the URL prints its password")
	}
}

func TestSQLAndFolderConfig(t *testing.T) {
	cfg, err := sources.Parse("sources.yaml", []byte(`sources:
  - name: shop
    kind: sql
    url_env: REDSHIFT_URL
    query: SELECT * FROM marketing.daily_ads
    columns:
      date: day
      platform: channel
      campaign: campaign_name
      spend: cost
      impressions: imps
      clicks: clicks
      conversions: orders
      revenue: sales
      region: market
    business:
      query: SELECT day, orders, revenue, new_customers FROM shop.daily
      date: day
    lookback_days: 7
    tolerance: 1%
    schedule: "30 6 * * *"
    timezone: Europe/London
  - name: drops
    kind: folder
    path: /srv/sftp/exports
    settle: 2m
    report_channel: slack:C0DATA
    schedule: "*/5 * * * *"
`), env)
	if err != nil {
		t.Fatal(err)
	}
	shop, drops := cfg.Sources[0], cfg.Sources[1]
	if shop.Columns.Spend != "cost" || shop.Columns.Region != "market" || shop.Columns.Account != "" || shop.LookbackDays != 7 || shop.Tolerance != 0.01 ||
		shop.Business == nil || shop.Business.Date != "day" || shop.Business.Orders != "orders" || shop.Location.String() != "Europe/London" {
		t.Errorf("sql source parsed %+v (business %+v)", shop, shop.Business)
	}
	if drops.Path != "/srv/sftp/exports" || drops.Settle != 2*time.Minute || drops.ReportChannel != "slack:C0DATA" {
		t.Errorf("folder source parsed %+v", drops)
	}
}

func fmtAll(s sources.Source) string {
	var b strings.Builder
	for _, v := range []any{s, &s, s.URL} {
		b.WriteString(strings.Join([]string{sprint("%v", v), sprint("%+v", v), sprint("%#v", v)}, " "))
	}
	return b.String()
}

// TestConfigErrorsNameTheLine: each problem names its file, line and field,
// and none shows the password.
func TestConfigErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"inline password", `sources:
  - name: warehouse
    kind: dbt_ad_reporting
    url: postgres://reader:hunter2-secret@wh:5432/analytics
    table: ad_reporting.ad_reporting__campaign_report
    schedule: "0 * * * *"
`, []string{"sources.yaml:4: source warehouse.url: holds a password (postgres://reader:xxxxx@wh:5432/analytics): put the URL in an environment variable"}},
		{"unset variable", strings.Replace(example, "WAREHOUSE_URL  ", "MISSING_URL    ", 1), []string{"sources.yaml:4: source warehouse.url_env: MISSING_URL is not set"}},
		{"wrong scheme", strings.Replace(example, "WAREHOUSE_URL  ", "BAD_URL        ", 1), []string{"sources.yaml:4: source warehouse.url: mysql://reader:xxxxx@db/x: want a URL starting postgres://, postgresql://, redshift://"}},
		{"bad schedule", strings.Replace(example, `"0 * * * *"`, `"0 25 * * *"`, 1), []string{`sources.yaml:6: source warehouse.schedule: "0 25 * * *" is not a cron schedule`}},
		{"bad zone", strings.Replace(example, "timezone: UTC", "timezone: Mars/Olympus", 1), []string{`sources.yaml:7: source warehouse.timezone: "Mars/Olympus" is not an IANA time zone`}},
		{"unknown key", example + "    lookback: 3\n", []string{`sources.yaml:8: source warehouse: unknown key "lookback"`}},
		{"bad number", example + "    lookback_days: three\n", []string{`sources.yaml:8: source warehouse.lookback_days: "three" is not a positive whole number`}},
		{"unknown kind", strings.Replace(example, "kind: dbt_ad_reporting", "kind: snowflake", 1), []string{`sources.yaml:3: source warehouse.kind: "snowflake": want dbt_ad_reporting, sql or folder`}},
		{"no table", strings.Replace(example, "    table: ad_reporting.ad_reporting__campaign_report\n", "", 1), []string{"sources.yaml:2: source warehouse: table is missing"}},
		{"sql without a mapping", strings.Replace(example, "dbt_ad_reporting", "sql", 1), []string{"sources.yaml:2: source warehouse: columns is missing"}},
		{"mapping without spend", strings.Replace(example, "dbt_ad_reporting", "sql", 1) + "    columns: {date: d, platform: p, campaign: c, impressions: i, clicks: k, conversions: v}\n",
			[]string{"sources.yaml:8: source warehouse.columns: spend is missing"}},
		{"folder without a path", "sources:\n  - name: drops\n    kind: folder\n    schedule: \"* * * * *\"\n    url_env: WAREHOUSE_URL\n",
			[]string{"sources.yaml:2: source drops: path is missing", "sources.yaml:5: source drops.url_env: is for warehouse sources"}},
		{"twice", example + strings.TrimPrefix(example, "sources:\n"), []string{`sources.yaml:8: name: "warehouse" is also the name of the source at line 2`}},
		{"not yaml", "sources:\n  - name: [\n", []string{"sources.yaml:"}},
		{"top key", "source:\n  - name: x\n", []string{`sources.yaml:1: unknown key "source" at the top`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sources.Parse("sources.yaml", []byte(tt.yaml), env)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to say:\n%s", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func sprint(format string, v any) string { return fmt.Sprintf(format, v) }

// TestExampleFileParses: the documented example is a valid file.
func TestExampleFileParses(t *testing.T) {
	cfg, err := sources.Load("../sources.example.yaml", func(k string) string {
		if k == "WAREHOUSE_URL" || k == "MART_URL" {
			return "postgres://reader@wh.internal:5432/analytics"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Names(), ","); got != "warehouse,finance-mart,exports" {
		t.Errorf("sources %s", got)
	}
}
