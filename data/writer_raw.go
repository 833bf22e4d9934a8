package data

import (
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// execRaw runs an ad-fact upsert on the SQLite driver itself, inside the
// import's transaction (the same connection), skipping database/sql's
// conversion and check of every argument: 13 values a row, a million rows
// an import. It is the one fast path of the writer, and it earns its place:
// BenchmarkIngestCanonical at 1M rows on a quiet 2-core machine, four runs
// in turns with BenchmarkImportSQLiteShell (the sqlite3 shell's .import of
// the same file, 556k-571k rows/s): 404k-415k rows/s with it, 1.37-1.39x
// the shell's time; 348k-416k through database/sql, 1.34-1.61x. With the
// check that the transaction is still open before each statement,
// 395k-403k rows/s, 1.40-1.44x.
func (w *Writer) execRaw(u upsert, cols []string, rows int, args []any) error {
	k := stmtKey{u.table, rows, len(cols)}
	if w.err != nil {
		return w.err
	}
	err := w.conn.Raw(func(dc any) error {
		if autoCommits(dc) {
			return errTxGone
		}
		st, ok := w.raw[k]
		if !ok {
			pc, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return errors.New("the database driver cannot prepare statements")
			}
			var err error
			if st, err = pc.PrepareContext(w.ctx, u.sql(rows, cols, w.importID)); err != nil {
				return fmt.Errorf("prepare %s upsert: %w", u.table, err)
			}
			w.raw[k] = st
		}
		ex, ok := st.(driver.StmtExecContext)
		if !ok {
			return errors.New("the database driver cannot run statements with a context")
		}
		nv := w.nv[:0]
		for i, a := range args {
			nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: a})
		}
		w.nv = nv
		_, err := ex.ExecContext(w.ctx, nv)
		return err
	})
	if err != nil {
		return w.fail(fmt.Errorf("write %s: %w", u.table, err))
	}
	return nil
}

// discardIfInTx closes an import's connection instead of handing it back to
// the pool when a transaction is still open on it (its rollback failed):
// nothing else may write into what the import left.
func discardIfInTx(conn *sqlx.Conn) {
	conn.Raw(func(dc any) error {
		if autoCommits(dc) {
			return nil
		}
		return driver.ErrBadConn
	})
}

// closeRaw finalizes the driver statements before the connection goes
// back to the pool.
func (w *Writer) closeRaw() {
	if len(w.raw) == 0 {
		return
	}
	w.conn.Raw(func(any) error {
		for _, st := range w.raw {
			st.Close()
		}
		return nil
	})
}
