package sources

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// CheckResult is one check of a source for sowhat doctor: a problem has a
// Fix. No field holds a secret.
type CheckResult struct {
	Source string
	Check  string // connection, permissions, mapping, …
	OK     bool
	Detail string
	Fix    string
}

// Checker is a runner that can say what stops it, check by check.
type Checker interface {
	Checks(ctx context.Context) []CheckResult
}

// Check checks every source: a runner that is a Checker says check by
// check; one with only a Check method (a drop folder) says ok or why not.
func (s *Syncer) Check(ctx context.Context) []CheckResult {
	var out []CheckResult
	for _, src := range s.cfg.Sources {
		switch r := s.runners[src.Name].(type) {
		case Checker:
			out = append(out, r.Checks(ctx)...)
		case interface{ Check(context.Context) error }:
			res := CheckResult{Source: src.Name, Check: string(src.Kind), OK: true, Detail: src.Path}
			if err := r.Check(ctx); err != nil {
				res.OK, res.Detail, res.Fix = false, err.Error(), "see the error; the source is not synced until it is fixed"
			}
			out = append(out, res)
		default:
			out = append(out, CheckResult{Source: src.Name, Check: string(src.Kind), OK: true, Detail: "configured (this kind has no checks of its own)"})
		}
	}
	return out
}

// Checks checks the warehouse: that it can be reached, that the source's
// table (or query) may be read, and that its columns are there with the
// right types.
func (w *Warehouse) Checks(ctx context.Context) []CheckResult {
	res := func(check string, err error, ok, fix string) CheckResult {
		r := CheckResult{Source: w.src.Name, Check: check, OK: err == nil, Detail: ok}
		if err != nil {
			r.Detail, r.Fix = w.redact(err).Error(), fix
		}
		return r
	}
	where := "the URL in " + w.src.URLEnv
	if w.src.URLEnv == "" {
		where = "url"
	}
	if err := w.db.PingContext(ctx); err != nil {
		return []CheckResult{res("connection", err, "", "check "+where+": host, port, database, user and password, and that this machine can reach the warehouse")}
	}
	out := []CheckResult{res("connection", nil, fmt.Sprintf("%s reached", w.d.Name), "")}
	tx, err := w.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: w.d.Isolation})
	if err != nil {
		return append(out, res("permissions", err, "", "the user cannot open a read-only transaction: check its rights"))
	}
	defer tx.Rollback() //nolint:errcheck // read only
	rows, err := tx.QueryContext(ctx, "SELECT * FROM "+w.relation()+" WHERE 1 = 0")
	if err != nil {
		fix := "check that " + w.what() + " exists and that this user may read it"
		switch sqlState(err) {
		case "42501":
			fix = fmt.Sprintf("grant the user the right to read it: GRANT USAGE ON SCHEMA <schema> TO <user>; GRANT SELECT ON %s TO <user>", w.what())
		case "42P01":
			fix = fmt.Sprintf("%s does not exist: check table in %s (schema.table), or that the dbt models have been built", w.what(), "SOURCES_CONFIG")
		}
		return append(out, res("permissions", err, "", fix))
	}
	out = append(out, res("permissions", nil, "may SELECT from "+w.what(), ""))
	types, err := rows.ColumnTypes()
	rows.Close()
	if err != nil {
		return append(out, res("mapping", err, "", "check the source's columns"))
	}
	have := map[string]*sql.ColumnType{}
	for _, t := range types {
		have[strings.ToLower(t.Name())] = t
	}
	cols := w.adColumns()
	var probs []string
	for _, c := range cols {
		t, ok := have[strings.ToLower(c.name)]
		if !ok {
			probs = append(probs, fmt.Sprintf("column %s (%s) is missing", c.name, c.field))
			continue
		}
		if got, ok := typeClass(t.DatabaseTypeName()); !ok || !fits(got, c.class) {
			probs = append(probs, fmt.Sprintf("column %s (%s) is %s: want %s", c.name, c.field, strings.ToLower(t.DatabaseTypeName()), c.class))
		}
	}
	if len(probs) > 0 {
		fix := "map the fields onto columns that exist, with those types (columns: in SOURCES_CONFIG), or cast them in a query"
		if w.src.Kind == KindDBT {
			fix = "the table is not ad_reporting__campaign_report as dbt_ad_reporting builds it: point table at it, or use kind sql with a column mapping"
		}
		return append(out, CheckResult{Source: w.src.Name, Check: "mapping", Detail: strings.Join(probs, "; "), Fix: fix})
	}
	return append(out, res("mapping", nil, fmt.Sprintf("%d columns present, with the right types", len(cols)), ""))
}

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
