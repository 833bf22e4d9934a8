package reports

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

func TestExampleConfig(t *testing.T) {
	c, err := LoadConfig("../reports.example.yaml", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.DigestNames(), []string{"cfo-weekly", "cmo-weekly", "ceo-monthly", "stores-weekly", "merch-weekly", "team-daily", "budget-review"}; !cmp.Equal(got, want) {
		t.Errorf("digests %v, want %v", got, want)
	}
	if c.CatchUp != 6*time.Hour {
		t.Errorf("catch_up %v", c.CatchUp)
	}
	stores, _ := c.Digest("stores-weekly")
	if stores.Location.String() != "America/New_York" || stores.Audience != model.AudienceStores {
		t.Errorf("stores digest %+v", stores)
	}
	cfo, _ := c.Digest("cfo-weekly")
	if cfo.Location.String() != "Europe/London" || cfo.sched == nil {
		t.Errorf("cfo digest should default to the file's tz and have a schedule: %+v", cfo)
	}
	merch, _ := c.Digest("merch-weekly")
	if !cmp.Equal(merch.Filters["platform"], []string{"google_ads", "amazon_ads", "criteo"}) {
		t.Errorf("merch filters %v", merch.Filters)
	}
	if review, _ := c.Digest("budget-review"); review.Kind != DigestBudgetReview || review.Amount != 100000 || review.Period != PeriodLastQuarter {
		t.Errorf("budget review %+v", review)
	}
	if m := c.Alerts.Rules[5]; m.Kind != RuleMarginalROAS || m.Floor != 1 || m.Threshold != 0.10 {
		t.Errorf("marginal ROAS rule %+v", m)
	}
	if len(c.Alerts.Rules) != 6 {
		t.Fatalf("%d rules", len(c.Alerts.Rules))
	}
	over := c.Alerts.Rules[0]
	if over.Threshold != 0.10 || over.MinAmount != 1000 || !cmp.Equal(over.Channels, []string{"slack:C0123ALERTS"}) {
		t.Errorf("overspend rule %+v", over)
	}
	if zero := c.Alerts.Rules[3]; zero.Days != 3 || !cmp.Equal(zero.Channels, []string{"slack:C0123PERF"}) {
		t.Errorf("zero-conversions rule %+v", zero)
	}
	if roas := c.Alerts.Rules[2]; roas.WindowDays != 28 || roas.Direction != "worse" {
		t.Errorf("roas rule should get defaults: %+v", roas)
	}
}

func TestJSONConfig(t *testing.T) {
	js := `{
  "digests": [
    {"name": "cfo", "audience": "CFO", "channels": ["slack:C1"], "schedule": "0 8 * * MON", "tz": "Europe/London", "period": "month to date"}
  ]
}`
	c, err := ParseConfig("reports.json", []byte(js), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Digests[0]
	if d.Audience != model.AudienceCFO || d.Period != PeriodMonthToDate || d.Compare != ComparePrevious {
		t.Errorf("digest %+v", d)
	}
	if len(c.Alerts.Rules) != 0 {
		t.Errorf("rules %+v", c.Alerts.Rules)
	}
}

func TestConfigErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each "LINE: text"
	}{
		{"bad schedule", `
digests:
  - name: cfo
    audience: cfo
    channels: [slack:C1]
    schedule: "0 8 * * MOON"
`, []string{`6: digest "cfo" schedule: "0 8 * * MOON" is not a cron schedule`}},
		{"unknown audience and period", `
digests:
  - name: cfo
    audience: cfoo
    channels: [slack:C1]
    schedule: "0 8 * * MON"
    period: last fortnight
`, []string{`4: digest "cfo": audience "cfoo"`, `7: digest "cfo": period "last fortnight"`}},
		{"missing keys", `
digests:
  - name: cfo
    audience: cfo
`, []string{`3: digest "cfo": channels is required`, `3: digest "cfo": schedule is required`}},
		{"typo in key", `
digests:
  - name: cfo
    audience: cfo
    channel: [slack:C1]
    schedule: "0 8 * * MON"
`, []string{`5: digest "cfo": unknown key "channel"`}},
		{"bad channel and tz", `
tz: Europe/Lundun
digests:
  - name: cfo
    audience: cfo
    channels: [C0123]
    schedule: "0 8 * * MON"
`, []string{`2: tz: "Europe/Lundun" is not an IANA time zone`, `6: digest "cfo" channels: channel "C0123"`}},
		{"duplicate digest", `
digests:
  - {name: cfo, audience: cfo, channels: [slack:C1], schedule: "0 8 * * MON"}
  - {name: cfo, audience: cmo, channels: [slack:C1], schedule: "0 8 * * MON"}
`, []string{`4: digest "cfo": the name is already used on line 3`}},
		{"bad filter", `
digests:
  - name: merch
    audience: merchandising
    channels: [slack:C1]
    schedule: "0 8 * * MON"
    filters:
      platform: [google, myspace]
      colour: [red]
`, []string{`8: digest "merch" filters platform: "myspace" is not a platform`, `9: digest "merch" filters: unknown key "colour"`}},
		{"rules", `
alerts:
  channels: [slack:C9]
  rules:
    - name: overspend
      kind: overspend
      threshold: 10
    - name: cpa
      kind: anomaly
      metric: cpc
      sigma: 3
      days: 2
    - name: mystery
      kind: vibes
    - kind: stale_data
      hours: -4
`, []string{`7: alert rule "overspend" threshold: 10 reads as 1000%`, `10: alert rule "cpa": metric "cpc": want cpa or roas`,
			`12: alert rule "cpa": unknown key "days"`, `14: alert rule "mystery": kind "vibes"`, `15: alert rule on line 15: name is required`,
			`16: alert rule on line 15 hours: "-4" is not a positive number`}},
		{"rule without channel", `
alerts:
  rules:
    - {name: stale, kind: stale_data}
`, []string{`4: alert rule "stale": no channels`}},
		{"not yaml", "digests: [\n  - name: x\n", []string{"reports.yaml: yaml: line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("reports.yaml", []byte(tt.yaml), time.UTC)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, "reports.yaml:"+w) && !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			var ce *ConfigError
			if tt.name != "not yaml" && !errors.As(err, &ce) {
				t.Errorf("error is not a *ConfigError: %T", err)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	c, err := Resolve("", "", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "built-in defaults" || len(c.Digests) != 2 || len(c.Digests[0].Channels) != 0 {
		t.Errorf("defaults without a channel: %+v", c)
	}
	c, err = Resolve("", "slack:C42", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(c.Digests[1].Channels, []string{"slack:C42"}) || !cmp.Equal(c.Alerts.Rules[0].Channels, []string{"slack:C42"}) {
		t.Errorf("defaults post to the channel: %+v", c.Digests[1])
	}
	if _, err := Resolve("", "#general", time.UTC); err == nil {
		t.Error("a channel without a kind is accepted")
	}
	if _, err := Resolve("no/such/file.yaml", "", time.UTC); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestPeriods(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(period.DateLayout, s); return d }
	tests := []struct {
		name, compare, today string
		want, wantCmp        string // "start..end label"
	}{
		{PeriodYesterday, ComparePrevious, "2026-05-04", "2026-05-03..2026-05-03 yesterday", "2026-05-02..2026-05-02 the day before"},
		{PeriodLastWeek, ComparePrevious, "2026-05-06", "2026-04-27..2026-05-03 last week", "2026-04-20..2026-04-26 the week before"},
		{PeriodLastWeek, CompareLastYear, "2026-05-06", "2026-04-27..2026-05-03 last week", "2025-04-28..2025-05-04 the same days last year"},
		{PeriodWeekToDate, ComparePrevious, "2026-05-06", "2026-05-04..2026-05-05 this week to date", "2026-04-27..2026-04-28 the same days last week"},
		{PeriodWeekToDate, ComparePrevious, "2026-05-04", "2026-04-27..2026-05-03 last week", "2026-04-20..2026-04-26 the week before"},
		{PeriodLast7Days, ComparePrevious, "2026-05-04", "2026-04-27..2026-05-03 the last 7 days", "2026-04-20..2026-04-26 the previous 7 days"},
		{PeriodLastMonth, ComparePrevious, "2026-03-18", "2026-02-01..2026-02-28 last month", "2026-01-01..2026-01-31 the month before"},
		{PeriodLastMonth, CompareLastYear, "2026-03-18", "2026-02-01..2026-02-28 last month", "2025-02-01..2025-02-28 a year earlier"},
		{PeriodMonthToDate, ComparePrevious, "2026-03-31", "2026-03-01..2026-03-30 this month to date", "2026-02-01..2026-02-28 the same days last month"},
		{PeriodMonthToDate, ComparePrevious, "2026-03-18", "2026-03-01..2026-03-17 this month to date", "2026-02-01..2026-02-17 the same days last month"},
		{PeriodMonthToDate, ComparePrevious, "2026-03-01", "2026-02-01..2026-02-28 last month", "2026-01-01..2026-01-31 the month before"},
		{PeriodLastQuarter, ComparePrevious, "2026-05-04", "2026-01-01..2026-03-31 last quarter", "2025-10-01..2025-12-31 the quarter before"},
		{PeriodQuarterToDate, ComparePrevious, "2026-05-04", "2026-04-01..2026-05-03 this quarter to date", "2026-01-01..2026-02-02 the same days last quarter"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.compare+"/"+tt.today, func(t *testing.T) {
			p, c, err := Periods(tt.name, tt.compare, day(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			s := func(p period.Period) string {
				return p.Start.Format(period.DateLayout) + ".." + p.End.Format(period.DateLayout) + " " + p.Label
			}
			if got := s(p); got != tt.want {
				t.Errorf("period %s, want %s", got, tt.want)
			}
			if got := s(c); got != tt.wantCmp {
				t.Errorf("compare %s, want %s", got, tt.wantCmp)
			}
		})
	}
	if _, _, err := Periods("fortnight", ComparePrevious, day("2026-05-04")); err == nil {
		t.Error("unknown period accepted")
	}
}
