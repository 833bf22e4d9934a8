package main

import (
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"
)

// newLogger logs to w at the configured level: as text for a person
// reading a terminal, as JSON (one object a line) for a log collector,
// unless LOG_FORMAT says which.
func newLogger(w io.Writer, cfg Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if logJSON(w, cfg.LogFormat) {
		opts.ReplaceAttr = durationText
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logJSON reports whether logs to w are written as JSON.
func logJSON(w io.Writer, format string) bool {
	switch format {
	case "json":
		return true
	case "text":
		return false
	}
	f, ok := w.(*os.File)
	return !ok || !term.IsTerminal(int(f.Fd()))
}

// durationText writes a duration as text ("1.5s"), as the text handler
// does, rather than as the JSON handler's nanoseconds.
func durationText(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}
