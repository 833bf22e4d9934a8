package question

import (
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// FuzzParse checks that no text makes Parse panic, return a period that
// ends before it starts, or name a metric the registry does not have.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.q, int64(0))
	}
	for _, s := range []string{"", "?", "nov 31 - feb 30", "last 999999 days", "q9 2025", "2/29/2023", "since tomorrow",
		"from 2100-01-01 to 1990-01-01", "'; --", "top 0 campaigns", "bottom 1000 by roas", "’25 ’", "l0d", "H3",
		"between and", "vs vs vs", "\x00\xff\xfe", "week of", "last", "black friday 1800", "cyber"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, q string, days int64) {
		asOf := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days%4000))
		r := Parse(q, asOf, testVocab)
		if r.Period.End.Before(r.Period.Start) {
			t.Errorf("Parse(%q): period %v ends before it starts", q, r.Period)
		}
		if r.Compare != nil && r.Compare.End.Before(r.Compare.Start) {
			t.Errorf("Parse(%q): compare %v ends before it starts", q, *r.Compare)
		}
		for _, m := range r.Metrics {
			if _, ok := model.LookupMetric(m); !ok {
				t.Errorf("Parse(%q): metric %q not in the registry", q, m)
			}
		}
		if r.Limit < 0 || r.Limit > 100 {
			t.Errorf("Parse(%q): limit %d", q, r.Limit)
		}
		if r.Question != q {
			t.Errorf("Parse(%q): question changed to %q", q, r.Question)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	asOf := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	qs := make([]string, len(parseCases))
	for i, c := range parseCases {
		qs[i] = c.q
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(qs[i%len(qs)], asOf, testVocab)
	}
}
