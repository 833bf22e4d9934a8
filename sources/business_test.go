package sources_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/sources"
)

// ordersTable is a first-party orders mart, a row per day and channel.
const ordersTable = `CREATE SCHEMA marts;
CREATE TABLE marts.orders_daily (
    order_date   DATE,
    channel      TEXT,
    orders       BIGINT,
    net_revenue  NUMERIC(18, 2),
    first_orders BIGINT
);`

const businessConfig = `    business:
      query: SELECT order_date, channel, orders, net_revenue, first_orders FROM marts.orders_daily
      date: order_date
      channel: channel
      revenue: net_revenue
      new_customers: first_orders
`

// storedBusiness is the store's business rows, "date/channel" → revenue.
func storedBusiness(t *testing.T, st *data.Store) map[string]float64 {
	t.Helper()
	rows, err := st.DB().Query(`SELECT date, channel, revenue FROM business_daily`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var d, ch string
		var rev float64
		if err := rows.Scan(&d, &ch, &rev); err != nil {
			t.Fatal(err)
		}
		out[d+"/"+ch] = rev
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBusinessDaysReplacedEachSync: a sync's business rows in its window
// are what the business query says now. A day restated is replaced, not
// added to; a channel the query no longer returns for a day in the window
// goes; days before the window, and business rows imported by hand, stay.
func TestBusinessDaysReplacedEachSync(t *testing.T) {
	for _, target := range []string{"sqlite", "postgres"} {
		t.Run(target, func(t *testing.T) {
			ctx := context.Background()
			wh := newWarehouse(t)
			wh.exec(ordersTable)
			wh.insert(genRows(day0, 20, []string{"google_ads"}, 2))
			want := map[string]float64{}
			for d := range 20 {
				for i, ch := range []string{"online", "store"} {
					day := day0.AddDate(0, 0, d)
					rev := float64(1000 + d*10 + i)
					wh.exec(`INSERT INTO marts.orders_daily VALUES ($1, $2, $3, $4, $5)`, day, ch, 10+d, rev, 2)
					want[day.Format("2006-01-02")+"/"+ch] = rev
				}
			}
			st := sqliteStore(t)
			if target == "postgres" {
				st = pgStore(t)
			}
			last := day0.AddDate(0, 0, 19)
			// Wholesale orders imported by hand, on a day the next sync reads.
			if _, err := st.Ingest(ctx, data.Source{File: "wholesale.csv", Kind: data.KindBusiness}, func(w *data.Writer) error {
				return w.Business(data.BusinessRow{Date: last, Channel: "wholesale", Orders: 3, Revenue: 555})
			}); err != nil {
				t.Fatal(err)
			}
			want[last.Format("2006-01-02")+"/wholesale"] = 555
			clk := &fakeClock{now: time.Date(2026, 10, 21, 6, 0, 0, 0, time.UTC)}
			s, err := sources.NewSyncer(configOf(wh.config(t, businessConfig)), st, nil, sources.WithClock(clk))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.RunOnce(ctx, "warehouse"); err != nil {
				t.Fatal(err)
			}
			sameBusiness(t, "first sync", storedBusiness(t, st), want)

			// The mart restates a day in the window, stops reporting the
			// store channel on the last day, and drops a day long past.
			restated := day0.AddDate(0, 0, 18)
			wh.exec(`UPDATE marts.orders_daily SET net_revenue = 4321 WHERE order_date = $1 AND channel = 'online'`, restated)
			wh.exec(`DELETE FROM marts.orders_daily WHERE order_date = $1 AND channel = 'store'`, last)
			wh.exec(`DELETE FROM marts.orders_daily WHERE order_date = $1`, day0.AddDate(0, 0, 5))
			want[restated.Format("2006-01-02")+"/online"] = 4321
			delete(want, last.Format("2006-01-02")+"/store")
			clk.now = clk.now.Add(time.Hour)
			if _, err := s.RunOnce(ctx, "warehouse"); err != nil {
				t.Fatal(err)
			}
			// Day 5 is before the window (3 days back from the newest
			// synced): the sync does not read it, so it stays as it was.
			sameBusiness(t, "second sync", storedBusiness(t, st), want)
		})
	}
}

func sameBusiness(t *testing.T, when string, got, want map[string]float64) {
	t.Helper()
	for k, w := range want {
		if g, ok := got[k]; !ok {
			t.Errorf("%s: %s missing from the store", when, k)
		} else if g != w {
			t.Errorf("%s: %s revenue = %v, want %v", when, k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %s (revenue %v) is in the store, and should not be", when, k, g)
		}
	}
	if t.Failed() {
		t.Log(fmt.Sprint(len(got), " rows stored, ", len(want), " wanted"))
	}
}
