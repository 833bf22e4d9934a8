package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/ingest"
)

func cmdIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags("ingest", e)
	db := fs.String("db", "", "database path or URL (default DATABASE_URL)")
	kind := fs.String("kind", "", "force the kind: ads, business, budgets, brand_lift (default: recognised from the header)")
	platform := fs.String("platform", "", "the platform of a canonical ads file without a platform column")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: ingest needs at least one file", errUsage)
	}
	opts := ingest.Options{Kind: data.Kind(*kind), Currency: e.cfg.Currency, Progress: progressWriter(e.stderr)}
	switch opts.Kind {
	case "", data.KindAds, data.KindBusiness, data.KindBudgets, data.KindBrandLift:
	default:
		return fmt.Errorf("%w: --kind %q: want ads, business, budgets or brand_lift", errUsage, *kind)
	}
	if *platform != "" {
		id, ok := data.NormalizePlatform(*platform)
		if !ok {
			return fmt.Errorf("%w: --platform %q is not a platform I know", errUsage, *platform)
		}
		opts.Platform = id
	}
	st, err := e.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	failed := 0
	for _, f := range files {
		start := time.Now()
		res, err := ingest.File(ctx, st, f, opts)
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "refused %v\n", err)
			continue
		}
		span := ""
		if !res.Stats.MinDate.IsZero() {
			span = fmt.Sprintf(", %s to %s", res.Stats.MinDate.Format(data.DateLayout), res.Stats.MaxDate.Format(data.DateLayout))
		}
		fmt.Fprintf(e.stdout, "imported %s: %s %s, %d rows%s in %s\n", f, res.Format, res.Kind, res.Stats.Rows, span, time.Since(start).Round(time.Millisecond))
		e.log.Info("ingested", "file", f, "format", res.Format, "rows", res.Stats.Rows)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files refused; nothing from them was written", failed, len(files))
	}
	return nil
}

// progressWriter returns w when it is a terminal, so a progress bar is drawn
// only for people.
func progressWriter(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}
