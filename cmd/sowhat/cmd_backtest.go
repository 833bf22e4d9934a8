package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// cmdBacktest fits each platform's response curve on its history up to a
// cut-off and prints how far the curve's prediction of the weeks after it,
// at the spend they had, was from what the platform reported.
func cmdBacktest(ctx context.Context, e *env, args []string) error {
	fs := newFlags("backtest", e)
	db := fs.String("db", "", "database path or URL (default DATABASE_URL, else the demo database)")
	weeks := fs.Int("weeks", 8, "predict this many of the latest whole weeks, fitted on the weeks before them")
	asJSON := fs.Bool("json", false, "print the scores as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *weeks <= 0 || *weeks > 52 {
		return fmt.Errorf("%w: --weeks %d: want 1 to 52", errUsage, *weeks)
	}
	st, err := e.openStore(ctx, *db, asks)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	scores, err := intents.New(st, e.engineOptions()...).Backtest(ctx, *weeks)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(scores)
	}
	if len(scores) == 0 {
		fmt.Fprintln(e.stdout, "No spend history to backtest: import daily spend and revenue per platform first.")
		return nil
	}
	first := scores[0]
	for _, s := range scores {
		if s.Weeks > 0 {
			first = s
			break
		}
	}
	if !first.Start.IsZero() {
		fmt.Fprintf(e.stdout, "Each platform's curve fitted on its weeks before %s, predicting the %d weeks from then at the spend they had:\n\n",
			first.Start.Format("Jan 2, 2006"), *weeks)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Platform\tWeeks\tPredicted\tReported\tWeekly error\tTotal error\t")
	for _, s := range scores {
		name := model.PlatformName(s.Platform)
		if s.Weeks == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\tnot scored: %s\n", name, s.Reason)
			continue
		}
		note := ""
		if s.Reason != "" {
			note = "left out of moves: " + s.Reason
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", name, s.Weeks, money(s.Predicted), money(s.Actual),
			wording.Value(model.UnitPercent, &s.Error), wording.Value(model.UnitPercent, &s.TotalError), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\nWeekly error: the weeks' absolute misses over the revenue reported. The curves here are fitted to platform-reported revenue and scored against it; a budget answer also anchors them to experiments.")
	return nil
}

func money(v float64) string { return wording.Value(model.UnitCurrency, &v) }
