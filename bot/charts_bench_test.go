package bot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"math"
	"runtime/metrics"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/chart"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// burstCharts is how many distinct charts a burst asks for at once.
const burstCharts = 50

// variedAnswers are n daily trends, each of its own length and level, so
// that no two draw the same chart.
func variedAnswers(n int) []model.Answer {
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	out := make([]model.Answer, n)
	for i := range out {
		days := 28 + i%60
		a := model.Answer{Intent: "trend", Metrics: []model.MetricID{model.Spend}, GroupBy: []string{model.DimDay},
			Period: period.Period{Start: start, End: start.AddDate(0, 0, days-1)}, Summary: fmt.Sprint("spend trend ", i)}
		for d := range days {
			v := math.Round(40000 + float64(i)*500 + 9000*math.Sin(float64(d)*2*math.Pi/7))
			a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimDay: start.AddDate(0, 0, d).Format(period.DateLayout)}, Values: model.Values{model.Spend: model.Float(v)}})
		}
		out[i] = a
	}
	return out
}

// BenchmarkChartBurst asks for 50 distinct charts at once, as a burst of
// varied questions does, with one chart worker, two, or as many as there
// are charts (every chart drawn at once). Beside it a probe does an
// acknowledgement's work (an HMAC over a request body) every millisecond;
// it reports the probe's p99 delay, the peak of live heap, how many charts
// a second are drawn, and how many are dropped, and the process's peak RSS
// (of every case run so far, so one case alone for its own):
//
//	go test ./bot -run '^$' -bench ChartBurst -benchtime 10x
//	go test ./bot -run '^$' -bench 'ChartBurst/workers=1$' -benchtime 10x
func BenchmarkChartBurst(b *testing.B) {
	answers := variedAnswers(burstCharts)
	for _, workers := range []int{1, 2, burstCharts} {
		b.Run(fmt.Sprint("workers=", workers), func(b *testing.B) {
			var probes []time.Duration
			var peak uint64
			dropped, drawn := 0, 0
			var elapsed time.Duration
			for b.Loop() {
				bot := New(nil, nil, WithLogger(quiet), WithCharter(chart.Render), WithChartWorkers(workers))
				stop := make(chan struct{})
				probed := make(chan []time.Duration)
				go func() { probed <- probe(stop, &peak) }()
				start := time.Now()
				pngs := make([][]byte, len(answers))
				var wg sync.WaitGroup
				for i, a := range answers {
					wg.Go(func() { pngs[i] = bot.chartFor(a)(context.Background()) })
				}
				wg.Wait()
				elapsed += time.Since(start)
				close(stop)
				probes = append(probes, <-probed...)
				for _, p := range pngs {
					if p == nil {
						dropped++
					} else {
						drawn++
					}
				}
			}
			slices.Sort(probes)
			b.ReportMetric(float64(probes[len(probes)*99/100])/float64(time.Millisecond), "probe-p99-ms")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(drawn)/elapsed.Seconds(), "charts/s")
			b.ReportMetric(float64(dropped)/float64(b.N), "dropped/op")
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "max-rss-MiB") // the process's so far: run one case alone to read it
			}
		})
	}
}

// probe does an acknowledgement's work every millisecond until stop, and
// returns how late each one finished; it raises peak to the live heap it
// saw.
func probe(stop <-chan struct{}, peak *uint64) []time.Duration {
	body := make([]byte, 2048)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var late []time.Duration
	next := time.Now()
	for {
		select {
		case <-stop:
			return late
		default:
		}
		next = next.Add(time.Millisecond)
		time.Sleep(time.Until(next))
		mac := hmac.New(sha256.New, []byte("secret"))
		mac.Write(body)
		mac.Sum(nil)
		late = append(late, max(0, time.Since(next)))
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > *peak {
			*peak = v
		}
	}
}
