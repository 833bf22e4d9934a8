package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ImportTotal is what the imports of one kind added up to.
type ImportTotal struct {
	Kind        string
	Imports     int64
	Rows        int64
	Last        time.Time
	Failures    int64
	LastFailure time.Time
}

// ImportsFunc reads the import totals from the database.
type ImportsFunc func(ctx context.Context) ([]ImportTotal, error)

// importsCollector reads the imports from the database at each scrape: the
// imports are done by `sowhat ingest`, another process, so only the
// database knows them.
type importsCollector struct {
	read    ImportsFunc
	timeout time.Duration

	imports, rows, last, up *prometheus.Desc
	failures, lastFailure   *prometheus.Desc
}

// NewImportsCollector returns a collector of sowhat_imports,
// sowhat_imported_rows, sowhat_last_import_timestamp_seconds,
// sowhat_import_failures and sowhat_last_import_failure_timestamp_seconds
// per kind, read with read at each scrape, and sowhat_imports_readable (0
// when the read failed).
func NewImportsCollector(read ImportsFunc) prometheus.Collector {
	return &importsCollector{read: read, timeout: 2 * time.Second,
		imports:     prometheus.NewDesc("sowhat_imports", "Imports recorded in the database, by kind (failed imports leave none).", []string{"kind"}, nil),
		rows:        prometheus.NewDesc("sowhat_imported_rows", "Rows imported into the database, by kind.", []string{"kind"}, nil),
		last:        prometheus.NewDesc("sowhat_last_import_timestamp_seconds", "When the last import of the kind was recorded, in Unix seconds.", []string{"kind"}, nil),
		up:          prometheus.NewDesc("sowhat_imports_readable", "1 when the import totals were read from the database at this scrape, 0 when not.", nil, nil),
		failures:    prometheus.NewDesc("sowhat_import_failures", "Imports refused or failed, by kind (\"unknown\" when the file was not recognised); none of their rows were written.", []string{"kind"}, nil),
		lastFailure: prometheus.NewDesc("sowhat_last_import_failure_timestamp_seconds", "When the last import of the kind failed, in Unix seconds.", []string{"kind"}, nil),
	}
}

func (c *importsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.imports
	ch <- c.rows
	ch <- c.last
	ch <- c.up
	ch <- c.failures
	ch <- c.lastFailure
}

func (c *importsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	totals, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, t := range totals {
		kind := t.Kind
		if kind == "" {
			kind = "unknown"
		}
		if kind != "unknown" {
			ch <- prometheus.MustNewConstMetric(c.imports, prometheus.GaugeValue, float64(t.Imports), kind)
			ch <- prometheus.MustNewConstMetric(c.rows, prometheus.GaugeValue, float64(t.Rows), kind)
		}
		if !t.Last.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.last, prometheus.GaugeValue, float64(t.Last.Unix()), kind)
		}
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.GaugeValue, float64(t.Failures), kind)
		if !t.LastFailure.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.lastFailure, prometheus.GaugeValue, float64(t.LastFailure.Unix()), kind)
		}
	}
}
