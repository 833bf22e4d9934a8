package teams

import (
	"context"
	"testing"

	"github.com/sowhat-ai/sowhat/bot"
)

// BenchmarkAckPath is BenchmarkLoadBurst with the answers held until every
// activity is acknowledged: the acknowledgement path alone (verify,
// decode, record, queue), without the answers' work on the same cores.
func BenchmarkAckPath(b *testing.B) {
	f := newFakeTeams(b)
	hold := make(chan struct{})
	released := false
	release := func() {
		if !released {
			released = true
			close(hold)
		}
	}
	wait := bot.WithMiddleware(func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, t *bot.Turn) error {
			<-hold
			return next(ctx, t)
		}
	})
	h := newHarness(b, f, harnessConfig{botOpts: []bot.Option{bot.WithUserRate(bot.Rate{}), bot.WithQueueSize(20 * loadEvents), wait}})
	b.Cleanup(release)
	_ = burstAcks(b, h, 0) // the chats' references stored, the keys and a token fetched
	var p99s []float64
	for i := range b.N {
		acks := burstAcks(b, h, i+1)
		p99s = append(p99s, float64(p(acks, 0.99).Microseconds())/1000)
	}
	release()
	b.ReportMetric(p99s[len(p99s)/2], "held-ack-p99-ms")
}
