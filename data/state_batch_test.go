package data

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkAcceptBurst records 200 events arriving at once, as a burst of
// chat messages does before each is acknowledged, batched and one by one,
// and reports the slowest's latency (p99). The batch's doc comment holds
// a run's figures.
func BenchmarkAcceptBurst(b *testing.B) {
	for _, oneByOne := range []bool{false, true} {
		name := "batched"
		if oneByOne {
			name = "one-by-one"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			st, err := OpenState(ctx, b.TempDir()+"/s-state.db")
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			st.writes.oneByOne = oneByOne
			var p99s []time.Duration
			round := 0
			for b.Loop() {
				took := make([]time.Duration, 200)
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i := range took {
					wg.Go(func() {
						<-start
						t0 := time.Now()
						if _, _, err := st.AcceptEvent(ctx, "slack", fmt.Sprintf("Ev%d-%d", round, i), []byte(`{"text":"spend last week"}`)); err != nil {
							b.Error(err)
						}
						took[i] = time.Since(t0)
					})
				}
				close(start)
				wg.Wait()
				round++
				p99s = append(p99s, quantileOf(took, 0.99))
			}
			b.ReportMetric(float64(quantileOf(p99s, 0.5).Microseconds())/1000, "p99-ms")
		})
	}
}

func quantileOf(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*q))]
}
