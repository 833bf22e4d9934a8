package intents

import (
	"context"
	"sort"
	"testing"
	"time"
)

// benchQuestions are what executives ask on a normal morning.
var benchQuestions = []string{
	"How did Meta CPA change last week?",
	"compare google and meta roas last month",
	"What was our blended CAC last month?",
	"why did meta cpa go up last week",
	"are we on budget",
	"top 3 campaigns by revenue last month",
	"weekly spend trend for meta over the last 8 weeks",
	"roas by category last 30 days",
	"what did we spend yesterday",
	"mer last month",
	"store visits by platform last month",
	"brand lift",
	"spend by platform mtd",
	"ctr by campaign type last week",
	"worst category by roas last 30 days",
	"business revenue this month vs last year",
	"cac payback last quarter",
	"daily spend for amazon last 14 days",
	"which campaign had the highest cpa last week",
	"how did electronics do last month",
}

// BenchmarkAsk parses and answers questions on the demo database and
// reports the p50 and p99 of one question's latency; repeated questions are
// answered from the cache, as in chat.
func BenchmarkAsk(b *testing.B) {
	e, _ := demoDB(b)
	benchAsk(b, e)
}

// BenchmarkAskUncached computes every answer from the database.
func BenchmarkAskUncached(b *testing.B) {
	e, _ := demoDB(b)
	e.cache.off, e.uncached = true, true
	benchAsk(b, e)
}

func benchAsk(b *testing.B, e *Engine) {
	ctx := context.Background()
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := benchQuestions[i%len(benchQuestions)]
		start := time.Now()
		if _, _, err := e.Ask(ctx, q, asOf, ""); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
