package reports

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sowhat-ai/sowhat/metrics"
)

func TestSchedulerCountsWhatItPosts(t *testing.T) {
	tests := []struct {
		name   string
		metric string
		run    func(t *testing.T, m *metrics.Metrics) int // returns how many series it should count
	}{
		{"a digest run posted to two channels", "sowhat_digests_posted_total", func(t *testing.T, m *metrics.Metrics) int {
			st, _ := demoStore(t)
			clock := &fakeClock{now: mondayEight}
			s := NewScheduler(openState(st, "m", clock), engine(st), &fakePublisher{}, weeklyConfig(t, "6h"), WithClock(clock), WithLogger(quietLog()),
				WithCharts(fakeChart), WithMetrics(m))
			tick(t, s, mondayEight.Add(time.Minute))
			tick(t, s, mondayEight.Add(2*time.Minute))
			return 1
		}},
		{"alerts opened", "sowhat_alerts_posted_total", func(t *testing.T, m *metrics.Metrics) int {
			st, _ := demoStore(t)
			s := NewScheduler(openState(st, "m", nil), engine(st), &fakePublisher{}, DefaultConfig(london, "slack:C0123ALERTS"), WithLogger(quietLog()), WithMetrics(m))
			alerts, err := s.CheckAlerts(context.Background(), alertNow)
			if err != nil || len(alerts) == 0 {
				t.Fatalf("%d alerts (%v)", len(alerts), err)
			}
			rules := map[string]bool{}
			for _, a := range alerts {
				rules[a.Rule+a.Status] = true
			}
			return len(rules)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			want := tt.run(t, m)
			n, err := testutil.GatherAndCount(m.Gatherer(), tt.metric)
			if err != nil || n != want {
				t.Errorf("%s: %d series (%v), want %d", tt.metric, n, err, want)
			}
		})
	}
}
