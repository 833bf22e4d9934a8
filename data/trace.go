package data

import (
	"context"
	"log/slog"
	"time"
)

// WithQueryLog logs, at debug level, each statement an answer runs with its
// arguments and how long it took: what to run in the database's own shell
// to compare. Off (the logger not at debug level), it costs one check per
// statement.
func WithQueryLog(l *slog.Logger) Option { return func(s *Store) { s.queryLog = l } }

// traceQuery logs a statement run since start, as the database runs it
// (its placeholders bound the database's way), when query logging is on.
func (s *Store) traceQuery(ctx context.Context, start time.Time, query string, args []any) {
	if s.queryLog == nil || !s.queryLog.Enabled(ctx, slog.LevelDebug) {
		return
	}
	s.queryLog.LogAttrs(ctx, slog.LevelDebug, "query", slog.String("sql", s.db.Rebind(query)), slog.Any("args", args), slog.Duration("took", time.Since(start)))
}
