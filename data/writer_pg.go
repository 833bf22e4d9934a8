package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
)

// In PostgreSQL the ad facts of an import are copied (COPY, binary) into a
// temporary staging table, then merged into ad_facts by one INSERT …
// SELECT … ON CONFLICT DO UPDATE: the rows of one import sharing a key are
// summed by its GROUP BY, and a key stored by an earlier import is
// replaced, as the SQLite writer's upserts do. A multi-row upsert per 256
// rows, as SQLite takes them, is several times slower here: each is a
// round trip, and its planning and its argument binding cost more than the
// rows themselves.

// stageEvery is how many staged rows one COPY sends.
const stageEvery = 32768

// stageColumns are ad_stage's columns in COPY order: four integers, then
// the five measures every row has, then the four optional ones.
const stageColumns = "day, campaign_id, platform_id, month, spend, impressions, clicks, conversions, revenue, store_visits, engagements, video_views, new_customers"

// stager buffers an import's ad facts as COPY BINARY rows.
type stager struct {
	created bool   // ad_stage exists in the import's transaction
	buf     []byte // COPY rows since the last send
	rows    int    // rows in buf
	pending bool   // rows were copied since the last merge
}

// copyHeader starts a COPY BINARY stream: the signature, no flags, no
// header extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// stageAd appends one resolved ad row to the COPY buffer, sending it when
// full.
func (w *Writer) stageAd(r *AdRow, day, pid, cid int64) error {
	st := &w.stage
	if st.rows == 0 {
		st.buf = append(st.buf[:0], copyHeader...)
	}
	b := binary.BigEndian.AppendUint16(st.buf, 13)
	b = appendInt4(b, day)
	b = appendInt8(b, cid)
	b = appendInt8(b, pid)
	b = appendInt4(b, monthNumber(r.Date))
	for _, v := range [5]float64{r.Spend, r.Impressions, r.Clicks, r.Conversions, r.Revenue} {
		b = appendFloat8(b, v)
	}
	for _, n := range [4]sql.NullFloat64{r.StoreVisits, r.Engagements, r.VideoViews, r.NewCustomers} {
		if !n.Valid {
			b = binary.BigEndian.AppendUint32(b, math.MaxUint32) // -1: NULL
			continue
		}
		b = appendFloat8(b, n.Float64)
	}
	st.buf = b
	if st.rows++; st.rows >= stageEvery {
		return w.sendStaged()
	}
	return nil
}

func appendInt4(b []byte, v int64) []byte {
	b = binary.BigEndian.AppendUint32(b, 4)
	return binary.BigEndian.AppendUint32(b, uint32(int32(v)))
}

func appendInt8(b []byte, v int64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64(v))
}

func appendFloat8(b []byte, v float64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, math.Float64bits(v))
}

// sendStaged copies the buffered rows into ad_stage, creating it (for this
// transaction only) on first use.
func (w *Writer) sendStaged() error {
	st := &w.stage
	if st.rows == 0 {
		return w.err
	}
	if err := w.live(); err != nil {
		return err
	}
	if !st.created {
		_, err := w.tx.ExecContext(w.ctx, `CREATE TEMPORARY TABLE ad_stage (
    day INTEGER, campaign_id BIGINT, platform_id BIGINT, month INTEGER,
    spend DOUBLE PRECISION, impressions DOUBLE PRECISION, clicks DOUBLE PRECISION, conversions DOUBLE PRECISION, revenue DOUBLE PRECISION,
    store_visits DOUBLE PRECISION, engagements DOUBLE PRECISION, video_views DOUBLE PRECISION, new_customers DOUBLE PRECISION
) ON COMMIT DROP`)
		if err != nil {
			return w.fail(fmt.Errorf("create ad_stage: %w", err))
		}
		st.created = true
	}
	st.buf = binary.BigEndian.AppendUint16(st.buf, math.MaxUint16) // the trailer: -1
	err := w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("the database driver cannot COPY")
		}
		_, err := c.Conn().PgConn().CopyFrom(w.ctx, &byteReader{b: st.buf}, "COPY ad_stage ("+stageColumns+") FROM STDIN (FORMAT binary)")
		return err
	})
	st.rows, st.pending = 0, true
	if err != nil {
		return w.fail(fmt.Errorf("copy ad facts: %w", err))
	}
	return nil
}

// byteReader reads a byte slice, as bytes.Reader does, without copying it.
type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// mergeStaged sends what is buffered and merges ad_stage into ad_facts.
func (w *Writer) mergeStaged() error {
	if err := w.sendStaged(); err != nil {
		return err
	}
	if !w.stage.pending {
		return nil
	}
	if err := w.live(); err != nil {
		return err
	}
	cols := adUpsert.cols
	sel := []string{"day", "campaign_id", "MIN(platform_id)", "MIN(month)"}
	for _, c := range cols[4:] {
		sel = append(sel, "SUM("+c+")")
	}
	q := fmt.Sprintf("INSERT INTO ad_facts (%s, import_id) SELECT %s, %d FROM ad_stage GROUP BY day, campaign_id%s",
		strings.Join(cols, ", "), strings.Join(sel, ", "), w.importID, adUpsert.onConflict())
	if _, err := w.tx.ExecContext(w.ctx, q); err != nil {
		return w.fail(fmt.Errorf("write ad_facts: %w", err))
	}
	if _, err := w.tx.ExecContext(w.ctx, `TRUNCATE ad_stage`); err != nil {
		return w.fail(fmt.Errorf("empty ad_stage: %w", err))
	}
	w.stage.pending = false
	return nil
}

// beginPostgres begins an import's transaction in PostgreSQL and locks the
// import_lock row for it, so imports into one database take turns. When
// another import holds the row (FOR UPDATE NOWAIT fails), the store's
// import-wait callback hears it once and the lock is waited for, as long
// as ctx allows. A row lock, not an advisory lock: distributed engines
// (CockroachDB) support SELECT … FOR UPDATE [NOWAIT].
func (t importTurn) beginPostgres(ctx context.Context, opts *sql.TxOptions) (*sqlx.Tx, error) {
	lock := func(wait string) (*sqlx.Tx, error) {
		tx, err := t.conn.BeginTxx(ctx, opts)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `SELECT id FROM import_lock WHERE id = 1 FOR UPDATE`+wait); err != nil {
			tx.Rollback()
			return nil, err
		}
		return tx, nil
	}
	tx, err := lock(" NOWAIT")
	if err == nil || pgCode(err) != sqlStateLockNotAvail {
		return tx, err
	}
	if t.s.importWait != nil {
		t.s.importWait(t.file)
	}
	return lock("")
}

// pgAutoCommits reports whether a driver connection is PostgreSQL's (ok)
// and, if so, whether it is outside any transaction.
func pgAutoCommits(dc any) (autoCommit, ok bool) {
	c, ok := dc.(*stdlib.Conn)
	if !ok {
		return false, false
	}
	return c.Conn().PgConn().TxStatus() == 'I', true
}
