package question

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// testVocab is a retailer's names, as the store would list them.
var testVocab = Vocabulary{
	Campaigns: []string{
		"Google Shopping - Electronics", "Brand Search - US", "Meta Prospecting - Advantage+", "Meta Retargeting - DPA",
		"TTD CTV - Holiday", "Amazon SP - Home", "Holiday Shopping 2026", "Criteo Retargeting - Apparel",
		"Pinterest Prospecting - Home Decor", "Google Search - Generic",
	},
	Categories:    []string{"Apparel", "Home", "Electronics", "Beauty", "Toys", "Outdoor"},
	Regions:       []string{"US-East", "US-West"},
	CampaignTypes: []string{"search", "shopping", "prospecting", "retargeting", "ctv", "display", "sponsored_products"},
	Channels:      []string{"online", "store"},
}

// parseCase is one question and what it must parse to. Periods are written
// "start/end"; an empty compare means none. Unknown and help cases with no
// period leave it unchecked.
type parseCase struct {
	aud     string
	q       string
	asOf    string // default 2026-11-22, a Sunday
	intent  Intent
	metrics []model.MetricID
	period  string
	compare string
	filters map[string][]string
	group   []string
	limit   int
	asc     bool
	clarify bool
}

// parsed is the part of a Request a case checks.
type parsed struct {
	Intent  Intent
	Metrics []model.MetricID
	Period  string
	Compare string
	Filters map[string][]string
	GroupBy []string
	Limit   int
	Asc     bool
	Clarify bool
}

func ms(ids ...model.MetricID) []model.MetricID { return ids }

func gb(dims ...string) []string { return dims }

// fl builds filters from dimension, value pairs; values split on "|".
func fl(kv ...string) map[string][]string {
	out := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = strings.Split(kv[i+1], "|")
	}
	return out
}

func spanText(p *period.Period) string {
	if p == nil {
		return ""
	}
	return p.Start.Format(period.DateLayout) + "/" + p.End.Format(period.DateLayout)
}

func parseSummary(r Request, checkPeriod bool) parsed {
	p := parsed{Intent: r.Intent, Metrics: r.Metrics, Compare: spanText(r.Compare), Filters: r.Filters, GroupBy: r.GroupBy,
		Limit: r.Limit, Asc: r.Ascending, Clarify: r.Clarify != ""}
	if checkPeriod {
		p.Period = spanText(&r.Period)
	}
	return p
}

func (c parseCase) want() parsed {
	return parsed{Intent: c.intent, Metrics: c.metrics, Period: c.period, Compare: c.compare, Filters: c.filters,
		GroupBy: c.group, Limit: c.limit, Asc: c.asc, Clarify: c.clarify}
}

func asOfDate(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		s = "2026-11-22"
	}
	d, err := time.Parse(period.DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.aud+"/"+c.q, func(t *testing.T) {
			r := Parse(c.q, asOfDate(t, c.asOf), testVocab)
			if diff := cmp.Diff(c.want(), parseSummary(r, c.period != ""), emptyEqual); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s\nnotes: %q clarify: %q", c.q, diff, r.Notes, r.Clarify)
			}
			checkInvariants(t, r)
		})
	}
}

// emptyEqual treats nil and empty slices and maps alike.
var emptyEqual = cmpopts.EquateEmpty()

// checkInvariants holds for every parse: metrics are registry ids, the
// period is in order, and an answer that cannot be given offers others.
func checkInvariants(t *testing.T, r Request) {
	t.Helper()
	for _, m := range r.Metrics {
		if _, ok := model.LookupMetric(m); !ok {
			t.Errorf("metric %q is not in the registry", m)
		}
	}
	if r.Period.End.Before(r.Period.Start) {
		t.Errorf("period ends before it starts: %v", r.Period)
	}
	if r.Compare != nil && r.Compare.End.Before(r.Compare.Start) {
		t.Errorf("compare period ends before it starts: %v", r.Compare)
	}
	if (r.Clarify != "" || r.Intent == IntentUnknown || r.Intent == IntentHelp) && len(r.Suggestions) == 0 {
		t.Errorf("no suggestions for %s with clarify %q", r.Intent, r.Clarify)
	}
	if r.Intent == IntentUnknown && len(r.Metrics) > 0 {
		t.Errorf("unknown intent with metrics %v", r.Metrics)
	}
	if r.PeriodDefaulted && len(r.Notes) == 0 {
		t.Errorf("defaulted period without a note")
	}
	if r.Period.Label == "" && !r.Period.Start.IsZero() {
		t.Errorf("period without a label")
	}
}

// TestParseAudienceCoverage keeps the table honest: at least 30 questions
// for each audience and 200 in all.
func TestParseAudienceCoverage(t *testing.T) {
	n := map[string]int{}
	for _, c := range parseCases {
		n[c.aud]++
	}
	for _, a := range model.Audiences {
		if n[string(a)] < 30 {
			t.Errorf("%s has %d questions, want 30 or more", a, n[string(a)])
		}
	}
	if len(parseCases) < 200 {
		t.Errorf("%d questions, want 200 or more", len(parseCases))
	}
}

func TestParseKeepsQuestion(t *testing.T) {
	q := "ROAS by platform this month"
	if r := Parse(q, asOfDate(t, ""), testVocab); r.Question != q {
		t.Errorf("Question = %q, want %q", r.Question, q)
	}
}

func TestParseNotesDefaultPeriod(t *testing.T) {
	r := Parse("roas by platform", asOfDate(t, ""), testVocab)
	if !r.PeriodDefaulted || len(r.Notes) == 0 || !strings.Contains(r.Notes[len(r.Notes)-1], "the last 7 days") {
		t.Errorf("PeriodDefaulted = %v, notes %q: want a note about the last 7 days", r.PeriodDefaulted, r.Notes)
	}
}

func TestParseDefaultMetricsNote(t *testing.T) {
	r := Parse("how did Meta do last week", asOfDate(t, ""), testVocab)
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "No metric named") {
		t.Errorf("notes %q: want one saying which metrics were assumed", r.Notes)
	}
}

func TestParseAmbiguousCampaignNamesBoth(t *testing.T) {
	r := Parse("holiday campaign spend", asOfDate(t, ""), testVocab)
	for _, name := range []string{"Holiday Shopping 2026", "TTD CTV - Holiday"} {
		if !strings.Contains(r.Clarify, name) {
			t.Errorf("Clarify %q does not offer %q", r.Clarify, name)
		}
	}
}

func TestParseEmptyVocabulary(t *testing.T) {
	r := Parse("spend on google by campaign last week", asOfDate(t, ""), Vocabulary{})
	want := parsed{Intent: IntentBreakdown, Metrics: ms(model.Spend), Period: "2026-11-09/2026-11-15", Filters: fl("platform", "google_ads"), GroupBy: gb("campaign")}
	if diff := cmp.Diff(want, parseSummary(r, true), emptyEqual); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestParseFuzzyTieClarifies asks which campaign when a typo is as close to
// two names.
func TestParseFuzzyTieClarifies(t *testing.T) {
	v := Vocabulary{Campaigns: []string{"Holiday Bundles", "Holiday Bundle"}}
	r := Parse("roas for holiday bundls last week", asOfDate(t, ""), v)
	if r.Clarify == "" || !strings.Contains(r.Clarify, "Holiday Bundles") || !strings.Contains(r.Clarify, "Holiday Bundle\"") {
		t.Errorf("Clarify = %q, want a question naming both campaigns", r.Clarify)
	}
	if len(r.Suggestions) < 2 {
		t.Errorf("Suggestions = %q, want one per campaign", r.Suggestions)
	}
}

// TestParseNeverConfidentWithoutMetric: hostile, off-topic and vague
// questions get no metric and something to ask instead.
func TestParseNeverConfidentWithoutMetric(t *testing.T) {
	for _, q := range []string{"delete all the data", "drop table campaigns", "'; DROP TABLE ad_daily; --",
		"select * from ad_daily", "what's the weather", "write me a poem", "hello?", "numbers pls", ""} {
		r := Parse(q, asOfDate(t, ""), testVocab)
		if len(r.Metrics) > 0 || (r.Intent != IntentUnknown && r.Intent != IntentHelp) || len(r.Suggestions) == 0 {
			t.Errorf("Parse(%q) = intent %s, metrics %v, %d suggestions", q, r.Intent, r.Metrics, len(r.Suggestions))
		}
	}
}

// TestParseConcurrent parses from many goroutines, with vocabularies
// changing, as a bot serving several workspaces would: every parse is the
// one a single goroutine makes (and, under -race, shares no state).
func TestParseConcurrent(t *testing.T) {
	vocabs := []Vocabulary{testVocab, {Campaigns: []string{"Spring Sale"}}, {}}
	want := make([][]Request, len(vocabs))
	for v, vocab := range vocabs {
		for _, c := range parseCases {
			want[v] = append(want[v], Parse(c.q, pday(orDay(c.asOf)), vocab))
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i, c := range parseCases {
				v := (g + i) % len(vocabs)
				if got := Parse(c.q, pday(orDay(c.asOf)), vocabs[v]); !reflect.DeepEqual(got, want[v][i]) {
					t.Errorf("Parse(%q) with vocabulary %d from goroutine %d = %+v, want %+v", c.q, v, g, got, want[v][i])
				}
			}
		})
	}
	wg.Wait()
}

func orDay(s string) string {
	if s == "" {
		return "2026-11-22"
	}
	return s
}

// TestParseAdsNamesNoCampaign: "ads" in a campaign's name ("TikTok Spark
// Ads - Beauty") does not make "spend on ads" about that campaign; with a
// word of its own name it does.
func TestParseAdsNamesNoCampaign(t *testing.T) {
	v := Vocabulary{Campaigns: []string{"TikTok Spark Ads - Beauty", "Meta Advantage+ Shopping"}, Categories: []string{"Beauty"}}
	for _, tc := range []struct {
		q        string
		campaign []string
	}{
		{"what was spend on ads last week", nil},
		{"are our ads profitable", nil},
		{"how much revenue did our ads drive last month", nil},
		{"how many store visits did ads drive last week", nil},
		{"spend on spark ads last week", []string{"TikTok Spark Ads - Beauty"}},
		{"roas of the spark ads campaign last week", []string{"TikTok Spark Ads - Beauty"}},
	} {
		r := Parse(tc.q, asOfDate(t, ""), v)
		if got := r.Filters["campaign"]; !slices.Equal(got, tc.campaign) || r.Clarify != "" {
			t.Errorf("Parse(%q): campaign filter %q (clarify %q), want %q", tc.q, got, r.Clarify, tc.campaign)
		}
	}
}

// TestParseMonthsAsMeant: a month named for pacing on its first day is
// this month (read as "this month" is); "November vs last November" is a
// year over year; a month that has not begun, set against this one, is
// asked back, not answered with last year's.
func TestParseMonthsAsMeant(t *testing.T) {
	for _, tc := range []struct {
		q, asOf, period, compare string
		clarify                  bool
	}{
		{"is december on track?", "2026-12-01", "2026-11-01/2026-11-30", "", false},
		{"is december on track?", "2026-12-10", "2026-12-01/2026-12-09", "", false},
		{"how did november compare to last november?", "2026-12-01", "2026-11-01/2026-11-30", "2025-11-01/2025-11-30", false},
		{"roas in november vs last november", "2026-12-01", "2026-11-01/2026-11-30", "2025-11-01/2025-11-30", false},
		{"how is november tracking vs october?", "2026-10-05", "", "", true},
		// Four days of October, Thursday to Sunday: the same weekdays four weeks earlier.
		{"store visits this month vs last month", "2026-10-05", "2026-10-01/2026-10-04", "2026-09-03/2026-09-06", false},
		{"store visits this month vs last month", "2026-10-20", "2026-10-01/2026-10-19", "2026-09-01/2026-09-19", false},
	} {
		r := Parse(tc.q, asOfDate(t, tc.asOf), Vocabulary{})
		if tc.clarify {
			if r.Clarify == "" || !strings.Contains(r.Clarify, "November 2026 has not begun yet") {
				t.Errorf("Parse(%q) on %s: clarify %q, want it to say November has not begun", tc.q, tc.asOf, r.Clarify)
			}
			continue
		}
		got := r.Period.Start.Format("2006-01-02") + "/" + r.Period.End.Format("2006-01-02")
		cmp := ""
		if r.Compare != nil {
			cmp = r.Compare.Start.Format("2006-01-02") + "/" + r.Compare.End.Format("2006-01-02")
		}
		if got != tc.period || cmp != tc.compare || r.Clarify != "" {
			t.Errorf("Parse(%q) on %s: period %s compare %q clarify %q, want %s and %q", tc.q, tc.asOf, got, cmp, r.Clarify, tc.period, tc.compare)
		}
	}
}

// TestParseSubChannelNamesItsCampaigns: where campaigns are named with a
// platform's word for a part of it ("YouTube - Brand Awareness"),
// "youtube" means those campaigns, all of them, not Google Ads; set beside
// another platform it is the platform; with no such campaign it is the
// platform, as before.
func TestParseSubChannelNamesItsCampaigns(t *testing.T) {
	v := Vocabulary{Campaigns: []string{"YouTube - Brand Awareness", "YouTube - Shorts", "Google Search - Brand", "Google PMax - Store Goals"}}
	for _, tc := range []struct {
		q                string
		v                Vocabulary
		campaign, others []string
	}{
		{"youtube spend last month", v, []string{"YouTube - Brand Awareness", "YouTube - Shorts"}, nil},
		{"pmax roas last week", v, []string{"Google PMax - Store Goals"}, nil},
		{"video views on youtube vs tiktok last month", v, nil, []string{"google_ads", "tiktok"}},
		{"youtube spend last month", Vocabulary{}, nil, []string{"google_ads"}},
	} {
		r := Parse(tc.q, asOfDate(t, ""), tc.v)
		got := slices.Clone(r.Filters["campaign"])
		slices.Sort(got)
		if !slices.Equal(got, tc.campaign) || !slices.Equal(r.Filters["platform"], tc.others) || r.Clarify != "" {
			t.Errorf("Parse(%q): campaigns %q platforms %q (clarify %q), want %q and %q", tc.q, got, r.Filters["platform"], r.Clarify, tc.campaign, tc.others)
		}
	}
}

// TestParseJulyFourthWeekend: "the July 4th weekend" is the weekend, not
// the day set against the weekend it falls in.
func TestParseJulyFourthWeekend(t *testing.T) {
	for _, tc := range []struct{ q, asOf, want string }{
		{"how did the july 4th weekend go?", "2026-07-06", "2026-07-04/2026-07-05"}, // a Saturday
		{"fourth of july weekend revenue", "2025-07-10", "2025-07-04/2025-07-06"},   // a Friday: Friday to Sunday
	} {
		r := Parse(tc.q, asOfDate(t, tc.asOf), Vocabulary{})
		if got := r.Period.Start.Format("2006-01-02") + "/" + r.Period.End.Format("2006-01-02"); got != tc.want || r.Compare != nil && r.Compare.End.Equal(r.Period.End) {
			t.Errorf("Parse(%q) on %s: period %s (compare %v), want %s", tc.q, tc.asOf, got, r.Compare, tc.want)
		}
	}
}

// TestParseWhichToCut: "which campaigns should we pause" ranks the
// campaigns by what each dollar returns, lowest first; a plain split by
// campaign stays a split.
func TestParseWhichToCut(t *testing.T) {
	for _, q := range []string{"which campaigns should we pause", "which campaigns are losing money", "what campaigns should we cut"} {
		r := Parse(q, asOfDate(t, ""), Vocabulary{})
		if r.Intent != IntentTop || !r.Ascending || !slices.Equal(r.Metrics, []model.MetricID{model.ROAS}) || r.Limit != 5 {
			t.Errorf("Parse(%q) = %s %v ascending %v limit %d, want the 5 lowest by ROAS", q, r.Intent, r.Metrics, r.Ascending, r.Limit)
		}
	}
	if r := Parse("spend by campaign last week", asOfDate(t, ""), Vocabulary{}); r.Intent != IntentBreakdown {
		t.Errorf("a split by campaign read as %s", r.Intent)
	}
}
