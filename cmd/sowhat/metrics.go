package main

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/metrics"
)

// serveMetrics are serve's collectors: what the bot, the Slack outbox, the
// scheduler and the model count, the two databases' connection pools, and
// the imports recorded in the analytics database, read at each scrape
// (imports are done by `sowhat ingest`, another process).
func serveMetrics(st *data.Store, state *data.State) (*metrics.Metrics, error) {
	m := metrics.New()
	err := m.Register(
		collectors.NewDBStatsCollector(st.DB(), "analytics"),
		collectors.NewDBStatsCollector(state.DB(), "state"),
		metrics.NewImportsCollector(importTotals(st)),
	)
	if err != nil {
		return nil, fmt.Errorf("register metrics: %w", err)
	}
	return m, nil
}

// importTotals reads st's import totals for the metrics.
func importTotals(st *data.Store) metrics.ImportsFunc {
	return func(ctx context.Context) ([]metrics.ImportTotal, error) {
		ts, err := st.ImportTotals(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]metrics.ImportTotal, len(ts))
		for i, t := range ts {
			out[i] = metrics.ImportTotal{Kind: t.Kind, Imports: t.Imports, Rows: t.Rows, Last: t.Last, Failures: t.Failures, LastFailure: t.LastFailure}
		}
		return out, nil
	}
}
