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
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // REPORTING_TZ works on machines without zone files
)

// oneShotMemoryLimit bounds the heap of a command that answers one
// question and exits, which runs with the collector off: the process frees
// its memory by exiting, and collecting on the way only costs it time
// (BenchmarkAskProcess-style runs side by side, 1M rows, "top 5 campaigns
// by ROAS last month": 28.4 ms at GOGC=200 against 25.9 ms off, peak RSS
// 43 against 44 MiB). Past the limit the collector runs as usual. GOGC or
// GOMEMLIMIT, when set, win.
const oneShotMemoryLimit = 256 << 20

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "ask" || os.Args[1] == "query") && os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(oneShotMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
