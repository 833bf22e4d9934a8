package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
)

func TestWriterProbe(t *testing.T) {
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := 1000000
	camps := make([]string, 100)
	for i := range camps {
		camps[i] = fmt.Sprintf("Campaign %d", i)
	}
	d0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	_, err = st.Ingest(ctx, data.Source{File: "x", Kind: data.KindAds}, func(w *data.Writer) error {
		for i := 0; i < n; i++ {
			r := data.AdRow{Date: d0.AddDate(0, 0, i/100), Platform: "google_ads", Campaign: camps[i%100], Spend: 12.5, Impressions: 1000, Clicks: 10, Conversions: 1, Revenue: 50}
			if err := w.Ad(r); err != nil {
				return err
			}
		}
		return nil
	})
	el := time.Since(start)
	t.Logf("%d rows in %v: %.0f rows/s err=%v", n, el, float64(n)/el.Seconds(), err)
}
