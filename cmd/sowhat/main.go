// Command sowhat answers marketing executives' questions from one store of
// ad-platform data: in Slack, in Teams and on the command line.
//
//	sowhat ask "How did Meta ROAS change last week?"
//	sowhat query --metric spend,roas --from 2026-10-01 --to 2026-10-31 --by platform
//	sowhat ingest google_ads_export.csv
//	sowhat demo
//	sowhat serve
//
// Run `sowhat help` for every command and its flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // REPORTING_TZ works on machines without zone files
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
