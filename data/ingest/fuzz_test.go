package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/sowhat-ai/sowhat/data"
)

// FuzzParse feeds the reader arbitrary bytes: it must never panic, every
// error must name a line, and every record must be whole.
func FuzzParse(f *testing.F) {
	for _, path := range fixtures(f) {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"\xff\xfe",
		"\xef\xbb\xbf",
		"date,platform,campaign,spend,impressions,clicks,conversions,revenue\n2026-11-01,meta,\"A\",1,2,3,4,5\n",
		"Campaign name,Reporting starts,Reporting ends,Amount spent (USD),Impressions,Link clicks,Purchases,Purchases conversion value\n,2026-11-01,2026-11-30,1,1,1,1,1\nA,2026-11-01,2026-11-30,1,1,1,1,1\n",
		"study,platform,start_date,end_date,metric,lift_pct\nQ4,meta,2026-10-01,2026-10-28,ad recall,7.4%\n",
		"month,platform,budget\n2026-11,meta,\"$1,000\"\n",
		"test,platform,start_date,end_date,outcome,test_spend,incremental_outcome,lift_pct,iroas,ci_low,ci_high\nQ3,meta,2026-07-06,2026-08-02,revenue,1000,1500,5%,1.5,1,2\n",
		"model,channel,start_date,end_date,roi,mroi,contribution,curve_spend,curve_outcome\nM,tv,2026-01-01,2026-06-30,2.4,1.1,2400000,5,9\n",
		"Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n\"Nov 1, 2026\",\"A\"\"B\",\"1,2\",x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		_, err := Parse(context.Background(), "fuzz.csv", bytes.NewReader(content), Options{}, func(r Record) error {
			if r.Line < 1 {
				t.Fatalf("record without a line: %+v", r)
			}
			switch r.Kind {
			case data.KindAds:
				if r.Ad.Date.IsZero() || r.Ad.Platform == "" || r.Ad.Campaign == "" {
					t.Fatalf("incomplete ad row: %+v", r.Ad)
				}
			case data.KindBusiness:
				if r.Business.Date.IsZero() || r.Business.Channel == "" {
					t.Fatalf("incomplete business row: %+v", r.Business)
				}
			case data.KindBudgets:
				if r.Budget.Month.IsZero() || r.Budget.Platform == "" {
					t.Fatalf("incomplete budget row: %+v", r.Budget)
				}
			case data.KindBrandLift:
				if r.BrandLift.EndDate.Before(r.BrandLift.StartDate) || r.BrandLift.Metric == "" {
					t.Fatalf("bad brand-lift row: %+v", r.BrandLift)
				}
			case data.KindExperiments:
				e := r.Test
				if e.End.Before(e.Start) || e.Test == "" || e.Platform == "" || e.CILow > e.IROAS || e.CIHigh < e.IROAS ||
					(e.Outcome != data.OutcomeRevenue && e.Outcome != data.OutcomeConversions) {
					t.Fatalf("bad experiment row: %+v", e)
				}
			case data.KindMMM:
				if r.MMM.End.Before(r.MMM.Start) || r.MMM.Model == "" || r.MMM.Channel == "" || len(r.MMM.Curve) > 1 {
					t.Fatalf("bad MMM row: %+v", r.MMM)
				}
			default:
				t.Fatalf("record of kind %q", r.Kind)
			}
			return nil
		})
		if err == nil {
			return
		}
		var perr *Error
		if !errors.As(err, &perr) || perr.Line < 1 || !strings.Contains(err.Error(), " line ") {
			t.Fatalf("error does not name a line: %v", err)
		}
	})
}
