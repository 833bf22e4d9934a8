package chaos

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkQuestionsDuringImport measures, whole-process, how long a
// question waits for its answer while a large import runs against the same
// database, next to the same questions asked with no import, in one run:
// a serve in HTTP mode on the demo database, a `sowhat ingest` of a
// canonical file of -import-rows rows (2M by default, distinct days ×
// campaigns) beside it, and a question every 250 ms, each in a channel of
// its own so Slack's per-channel pace does not count, each question
// different so the answer cache does not count either. The latency is from
// sending the event to Slack taking the answer.
//
//	go test ./chaos -run '^$' -bench QuestionsDuringImport -benchtime 1x
func BenchmarkQuestionsDuringImport(b *testing.B) {
	rows := 2_000_000
	if v := os.Getenv("SOWHAT_BENCH_IMPORT_ROWS"); v != "" {
		fmt.Sscanf(v, "%d", &rows)
	}
	for range b.N {
		db := demoDB(b)
		file := writeAds(b, rows)
		slack := newFakeSlack(b)
		srv := serve(b, "serve", db, serveEnv(slack, "xoxb-bench", nil))
		client := &http.Client{Timeout: 10 * time.Second}
		seq := 0
		ask := func(until func() bool, max int) (lat []time.Duration, failed int) {
			sent := map[string]time.Time{}
			for len(sent) < max && !until() {
				e := event{id: fmt.Sprintf("EvB%06d", seq), channel: fmt.Sprintf("CB%06d", seq), user: "U0BENCH",
					ts: fmt.Sprintf("1790000000.%06d", seq), text: varied[seq%len(varied)]}
				seq++
				sent[e.id] = time.Now()
				if !deliver(client, srv.addr, e, 0) {
					failed++
				}
				time.Sleep(250 * time.Millisecond)
			}
			waitUntil(b, "every question answered", 2*time.Minute, func() bool {
				n := 0
				for _, p := range slack.Posts() {
					if _, ok := sent[p.EventID]; ok {
						n++
					}
				}
				return n >= len(sent)-failed
			})
			for _, p := range slack.Posts() {
				if at, ok := sent[p.EventID]; ok {
					lat = append(lat, p.At.Sub(at))
					if strings.Contains(p.Text, "went wrong") {
						failed++
					}
				}
			}
			return lat, failed
		}
		idle, idleFailed := ask(func() bool { return false }, 40)
		imp := start(b, "ingest", nil, "ingest", "--db", db, file)
		began := time.Now()
		busy, busyFailed := ask(func() bool {
			select {
			case <-imp.done:
				return true
			default:
				return false
			}
		}, 1<<30)
		if err := imp.wait(10 * time.Minute); err != nil {
			b.Fatalf("ingest: %v\n%s", err, imp.out.String())
		}
		took := time.Since(began)
		srv.kill()
		p50, p99, worst := percentiles(idle)
		b.Logf("no import:     %d questions, %d failed: p50 %v, p99 %v, max %v", len(idle), idleFailed, p50, p99, worst)
		p50, p99, worst = percentiles(busy)
		b.Logf("during import: %d questions, %d failed: p50 %v, p99 %v, max %v (import of %d rows took %v)", len(busy), busyFailed, p50, p99, worst, rows, took.Round(time.Millisecond))
		b.ReportMetric(float64(p99.Milliseconds()), "p99_ms_during_import")
		b.ReportMetric(float64(rows)/took.Seconds(), "import_rows/s")
	}
}

// varied are distinct questions, so that answers are computed rather than
// served from the answer cache.
var varied = func() []string {
	var qs []string
	for _, period := range []string{"last week", "last month", "yesterday", "this month", "last 30 days", "last quarter", "in October", "in September"} {
		for _, metric := range []string{"ROAS", "spend", "revenue", "CPA", "conversions", "CTR", "clicks", "CPC"} {
			for _, shape := range []string{"%s %s", "%s by platform %s", "top 5 campaigns by %s %s"} {
				qs = append(qs, fmt.Sprintf(shape, metric, period))
			}
		}
	}
	return qs
}()

// percentiles returns the p50, p99 and largest of ds.
func percentiles(ds []time.Duration) (p50, p99, worst time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return at(0.50).Round(time.Millisecond), at(0.99).Round(time.Millisecond), s[len(s)-1].Round(time.Millisecond)
}
