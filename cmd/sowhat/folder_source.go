package main

import (
	"context"
	"log/slog"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/ingest"
	"github.com/sowhat-ai/sowhat/sources"
	"github.com/sowhat-ai/sowhat/sources/folder"
)

// folderFactory makes the Runner of a drop-folder source: one watcher
// per source for the life of the Syncer, so that a file being written
// settles between runs.
func (e *env) folderFactory(log *slog.Logger) sources.Factory {
	return func(src sources.Source, st *data.Store) (sources.Runner, error) {
		w := folder.New(src.Name, st, folder.Options{Dir: src.Path, Settle: src.Settle, Now: e.now, Log: log.With(slog.String("source", src.Name)),
			Ingest: ingest.Options{Currency: e.cfg.Currency}})
		return folderRunner{name: src.Name, w: w}, nil
	}
}

// folderRunner is a folder.Watcher as a source's Runner.
type folderRunner struct {
	name string
	w    *folder.Watcher
}

// Run imports what settled in the folder since the last run. The files it
// refused for the first time are in the report, to be said once.
func (f folderRunner) Run(ctx context.Context) (sources.Report, error) {
	rep, err := f.w.Run(ctx)
	out := sources.Report{Source: f.name}
	for _, r := range rep.Imported {
		out.Rows += r.Rows
	}
	for _, r := range rep.Refused {
		msg := ""
		if r.Err != nil {
			msg = r.Err.Error()
		}
		out.Refused = append(out.Refused, sources.Refusal{Path: r.Path, Err: msg, MovedTo: r.MovedTo})
	}
	return out, err
}

// Check is doctor's check of the folder.
func (f folderRunner) Check(ctx context.Context) error { return f.w.Check(ctx) }
