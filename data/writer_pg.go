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

// In PostgreSQL the ad facts of an import are COPYed (binary). A row whose
// key no earlier import can hold (its platform had no row that day) and
// that this import has not written yet goes straight into ad_facts; the
// others (a re-import, an overlapping export, a segment of a row already
// sent) are copied into a temporary staging table and merged at the end by
// one INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE, which sums what
// this import wrote and replaces what an earlier one did, as the SQLite
// writer's upserts do. BenchmarkIngestCanonical, 1M fresh rows, on a
// 2-core machine shared with other work (load 8-12), PostgreSQL 15 on the
// same machine: everything through staging and its merge, 69k-103k rows/s
// (the merge alone 6.6-8.9 s); COPY straight into ad_facts, 103k; each
// COPY sent while the next chunk is read, 146k-303k (303k at load 8),
// where SQLite's writer made 195k-278k in the same runs. Three quarters of
// the time is the server's COPY, competing for the same two cores.

// copyEvery is how many rows one COPY sends.
const copyEvery = 32768

// factColumns are ad_facts' columns in COPY order: four integers, the five
// measures every row has, the four optional ones, and the import.
var factColumns = strings.Join(append(append([]string(nil), adUpsert.cols...), "import_id"), ", ")

// stageColumns are ad_stage's: ad_facts' but the import.
var stageColumns = strings.Join(adUpsert.cols, ", ")

// copyBuf buffers rows of one table as a COPY BINARY stream. While one
// buffer is being sent the rows go into the other.
type copyBuf struct {
	table, cols string
	buf, spare  []byte
	rows        int
}

// stager holds an import's ad facts on their way to PostgreSQL.
type stager struct {
	direct, staged copyBuf
	seen           keySet // keys sent straight to ad_facts
	created        bool   // ad_stage exists in the transaction
	pending        bool   // rows were staged since the last merge
}

// keySet is a set of ad facts' keys: for each day, a bit for each
// campaign id below denseIDs, and a map for any id past it (an engine that
// hands out sparse ids). A map of every key of a 1M-row import was a tenth
// of the import's time, most of it waiting on memory.
type keySet struct {
	days   map[int64][]uint64
	sparse map[adKey]struct{}
}

// denseIDs bounds the campaign ids a day's bits cover: 128 KiB a day at most.
const denseIDs = 1 << 20

// add adds k and reports whether it was new.
func (s *keySet) add(k adKey) bool {
	if k.cid < 0 || k.cid >= denseIDs {
		if s.sparse == nil {
			s.sparse = map[adKey]struct{}{}
		}
		if _, ok := s.sparse[k]; ok {
			return false
		}
		s.sparse[k] = struct{}{}
		return true
	}
	if s.days == nil {
		s.days = map[int64][]uint64{}
	}
	bits := s.days[k.day]
	w, b := k.cid/64, uint64(1)<<(k.cid%64)
	if int(w) >= len(bits) {
		bits = append(bits, make([]uint64, int(w)+1-len(bits))...)
		s.days[k.day] = bits
	}
	if bits[w]&b != 0 {
		return false
	}
	bits[w] |= b
	return true
}

// copyHeader starts a COPY BINARY stream: the signature, no flags, no
// header extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// stageAd adds one resolved ad row: straight to ad_facts when fresh (no
// earlier import has its platform-day) and its key is new to the import,
// else to ad_stage.
func (w *Writer) stageAd(r *AdRow, day, pid, cid int64, fresh bool) error {
	st := &w.stage
	if st.direct.table == "" {
		st.direct = copyBuf{table: "ad_facts", cols: factColumns}
		st.staged = copyBuf{table: "ad_stage", cols: stageColumns}
	}
	cb := &st.staged
	if fresh && st.seen.add(adKey{day, cid}) {
		cb = &st.direct
	}
	cb.add(r, day, pid, cid, w.importID, cb == &st.direct)
	if cb.rows >= copyEvery {
		return w.sendCopy(cb)
	}
	return nil
}

// add appends one row; withImport adds the import id as the last column.
func (c *copyBuf) add(r *AdRow, day, pid, cid, importID int64, withImport bool) {
	if c.rows == 0 {
		c.buf = append(c.buf[:0], copyHeader...)
	}
	n := uint16(13)
	if withImport {
		n = 14
	}
	b := binary.BigEndian.AppendUint16(c.buf, n)
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
	if withImport {
		b = appendInt8(b, importID)
	}
	c.buf = b
	c.rows++
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

// sendCopy starts copying the rows buffered in c into its table, creating
// ad_stage (for this transaction only) on first use. The COPY runs while
// the caller goes on reading and buffering rows; the next statement on the
// import's connection waits for it first (see live), and its error is the
// writer's.
func (w *Writer) sendCopy(c *copyBuf) error {
	if c.rows == 0 {
		return w.err
	}
	if err := w.live(); err != nil {
		return err
	}
	if c.table == "ad_stage" && !w.stage.created {
		_, err := w.tx.ExecContext(w.ctx, `CREATE TEMPORARY TABLE ad_stage (
    day INTEGER, campaign_id BIGINT, platform_id BIGINT, month INTEGER,
    spend DOUBLE PRECISION, impressions DOUBLE PRECISION, clicks DOUBLE PRECISION, conversions DOUBLE PRECISION, revenue DOUBLE PRECISION,
    store_visits DOUBLE PRECISION, engagements DOUBLE PRECISION, video_views DOUBLE PRECISION, new_customers DOUBLE PRECISION
) ON COMMIT DROP`)
		if err != nil {
			return w.fail(fmt.Errorf("create ad_stage: %w", err))
		}
		w.stage.created = true
	}
	c.buf = binary.BigEndian.AppendUint16(c.buf, math.MaxUint16) // the trailer: -1
	data, sql := c.buf, "COPY "+c.table+" ("+c.cols+") FROM STDIN (FORMAT binary)"
	c.buf, c.spare, c.rows = c.spare, data, 0
	if c.table == "ad_stage" {
		w.stage.pending = true
	}
	done := make(chan error, 1)
	w.copying = done
	go func() {
		done <- w.conn.Raw(func(dc any) error {
			pc, ok := dc.(*stdlib.Conn)
			if !ok {
				return errors.New("the database driver cannot COPY")
			}
			_, err := pc.Conn().PgConn().CopyFrom(w.ctx, &byteReader{b: data}, sql)
			return err
		})
	}()
	return nil
}

// copied waits for the COPY under way, if any, and returns its error
// labelled.
func (w *Writer) copied() error {
	if w.copying == nil {
		return nil
	}
	err := <-w.copying
	w.copying = nil
	if err != nil {
		return fmt.Errorf("copy ad facts: %w", err)
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
	if w.stage.direct.table == "" {
		return w.err // no ad rows
	}
	for _, c := range []*copyBuf{&w.stage.direct, &w.stage.staged} {
		if err := w.sendCopy(c); err != nil {
			return err
		}
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
