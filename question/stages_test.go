package question

import (
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// The stages can be run and checked one at a time, each on the output of
// those before it.

var stageToday = time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)

func stageVocab() Vocabulary {
	return Vocabulary{Campaigns: []string{"Holiday Sale", "Spring Launch"}, Categories: []string{"Shoes", "Apparel"}}
}

func readThrough(t *testing.T, q string) (*found, *said) {
	t.Helper()
	v := stageVocab()
	vlx := vocabLexicon(v)
	w := readWords(q, baseLexicon(), vlx)
	fd := findEntities(w, newPeriodScan(w.toks, stageToday, nil), v, baseLexicon(), vlx)
	sd := collectSaid(&fd)
	return &fd, &sd
}

func tokenTexts(toks []token) string {
	var out []string
	for _, t := range toks {
		out = append(out, t.text)
	}
	return strings.Join(out, " ")
}

func TestReadWordsStage(t *testing.T) {
	cases := []struct{ q, want string }{
		{"ROAS by platfrom?", "roas by platform"},
		{"Spend, last week!", "spend last week"},
	}
	for _, c := range cases {
		if got := tokenTexts(readWords(c.q, baseLexicon()).toks); got != c.want {
			t.Errorf("readWords(%q) = %q, want %q", c.q, got, c.want)
		}
	}
	long := strings.Repeat("spend ", maxTokens+5)
	if w := readWords(long, baseLexicon()); !w.cut || len(w.toks) != maxTokens {
		t.Errorf("readWords of %d words: cut %v, %d tokens", maxTokens+5, w.cut, len(w.toks))
	}
}

func TestFindEntitiesStage(t *testing.T) {
	fd, _ := readThrough(t, "holiday sale roas last week")
	var kinds []entryKind
	for _, h := range fd.hits {
		kinds = append(kinds, h.kind)
	}
	want := []entryKind{ekCampaign, ekMetric, ekPeriod}
	if len(kinds) != len(want) {
		t.Fatalf("hits %v, want kinds %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Errorf("hit %d kind %v, want %v", i, kinds[i], want[i])
		}
	}
}

func TestCollectSaidStage(t *testing.T) {
	_, sd := readThrough(t, "why did meta cpa go up vs last month, excluding shoes")
	if !sd.why || !sd.change || len(sd.vsAt) != 1 {
		t.Errorf("cues: why %v change %v vsAt %v", sd.why, sd.change, sd.vsAt)
	}
	if len(sd.metrics) != 1 || sd.metrics[0] != model.CPA {
		t.Errorf("metrics %v, want [cpa]", sd.metrics)
	}
	if got := sd.filters["platform"]; len(got) != 1 || got[0] != "meta" {
		t.Errorf("platform filter %v, want [meta]", got)
	}
	if got := sd.excluded["category"]; len(got) != 1 || got[0] != "Shoes" {
		t.Errorf("excluded categories %v, want [Shoes]", got)
	}
}

func TestIntentStages(t *testing.T) {
	cases := []struct {
		q       string
		groupBy string
		intent  Intent
	}{
		{"spend yesterday", "", IntentValue},
		{"roas by platform this month", "platform", IntentBreakdown},
		{"top 3 campaigns by revenue", "campaign", IntentTop},
		{"spend by week", "", IntentTrend},
		{"google vs meta cpa", "platform", IntentCompare},
		{"why is roas down", "", IntentWhy},
		{"are we on budget", "", IntentPacing},
	}
	for _, c := range cases {
		fd, sd := readThrough(t, c.q)
		settleYears(fd, sd, stageToday)
		readThreshold(fd, sd)
		pp := pairPeriods(fd, sd)
		groupBy, _ := readGroupBy(fd, sd)
		if got := strings.Join(groupBy, ","); got != c.groupBy {
			t.Errorf("%q: group by %q, want %q", c.q, got, c.groupBy)
		}
		if got := chooseIntent(sd, groupBy, pp); got != c.intent {
			t.Errorf("%q: intent %s, want %s", c.q, got, c.intent)
		}
	}
}

func TestPeriodStages(t *testing.T) {
	fd, sd := readThrough(t, "cyber monday revenue vs last year")
	settleYears(fd, sd, stageToday)
	pp := pairPeriods(fd, sd)
	if pp.main == nil || pp.cmp == nil || !pp.vs {
		t.Fatalf("pair %+v: want a main period and a comparison joined by vs", pp)
	}
	if pp.main.holiday != "cyber_monday" {
		t.Errorf("main period %q, want Cyber Monday", pp.main.Label)
	}

	fd, sd = readThrough(t, "campaigns with cpa above $40 last week")
	if th := readThreshold(fd, sd); th.dir != "high" || fd.toks[th.at].num != 40 {
		t.Errorf("threshold %+v, want above 40", th)
	}
}
