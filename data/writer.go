package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/sowhat-ai/sowhat/model/period"
)

func nowUTC() string { return time.Now().UTC().Format(time.RFC3339) }

// importStamp is the recorded time of an import run at t (zero: now).
func importStamp(t time.Time) string {
	if t.IsZero() {
		return nowUTC()
	}
	return t.UTC().Format(time.RFC3339)
}

// IngestStats says what one ingest wrote.
type IngestStats struct {
	ImportID int64
	Rows     int
	MinDate  time.Time // zero when the batch had no dated rows
	MaxDate  time.Time
}

// Writer streams records into one import's transaction. Rows are upserted on
// their natural key: a key already stored by an earlier import is replaced
// (re-importing a file or an overlapping export never double counts), while a
// key repeated within the same import is summed (segmented exports, such as
// one row per device, add up to the day's total).
//
// Rows are written on the caller's goroutine, 256 to a prepared multi-row
// upsert; in SQLite the ad facts, a million rows an import, go straight to
// the driver's statements (see execRaw), the rest through database/sql.
// What is left of an import's cost is mostly SQLite's own work and
// binding: 13 values a row, each bound by a cgo call. In PostgreSQL the ad
// facts are COPYed instead (see writer_pg.go).
type Writer struct {
	ctx      context.Context
	tx       *sqlx.Tx
	importID int64
	stats    IngestStats

	ads      batch[AdRow]
	business batch[BusinessRow]
	budgets  batch[BudgetRow]
	lifts    batch[BrandLiftRow]
	tests    batch[Experiment]
	mmm      batch[MMMResult]
	curves   map[mmmKey]bool // MMM results whose earlier curve this import has cleared
	stmts    map[stmtKey]*sql.Stmt
	args     []any // the ad-fact batch's values, reused

	dims *dims  // platform and campaign ids, loaded on the first ad row
	roll rollup // keeps the daily platform sums right

	pg      bool       // PostgreSQL: ad facts are COPYed, not upserted
	stage   stager     // the ad facts on their way
	copying chan error // the COPY under way, if any (see sendCopy)

	conn *sqlx.Conn              // the connection tx runs on
	raw  map[stmtKey]driver.Stmt // ad-fact upserts prepared on the driver
	nv   []driver.NamedValue     // their arguments, reused

	// err is the import's first write error. Once it is set nothing more
	// is written: SQLite may have rolled the whole transaction back (it
	// does on a full disk or an I/O error), and a statement run after that
	// would be committed on its own.
	err error
}

// errTxGone: the database ended the import's transaction by itself.
var errTxGone = errors.New("the database rolled the import back")

// fail makes err the writer's error, unless it has one already, and
// returns the writer's error.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// autoCommits reports whether a driver connection is outside any
// transaction, where a statement would be committed on its own.
func autoCommits(dc any) bool {
	if ac, ok := pgAutoCommits(dc); ok {
		return ac
	}
	ac, ok := dc.(interface{ AutoCommit() bool })
	return ok && ac.AutoCommit()
}

// live refuses to write once the writer has failed or the import's
// transaction is gone; every statement of an import runs after it.
func (w *Writer) live() error {
	if err := w.copied(); err != nil {
		return w.fail(err)
	}
	if w.err != nil {
		return w.err
	}
	err := w.conn.Raw(func(dc any) error {
		if autoCommits(dc) {
			return errTxGone
		}
		return nil
	})
	if err != nil {
		return w.fail(err)
	}
	return nil
}

// Ingest records one import of src and streams its rows through fn in a
// single transaction: when fn returns an error nothing from it is written.
// The transaction is not retried after a serialization failure (the rows
// can't be streamed again): the import fails, saying why, and may be run
// again; imports take turns, so only a competing writer of the same rows
// outside imports can cause one.
func (s *Store) Ingest(ctx context.Context, src Source, fn func(w *Writer) error) (IngestStats, error) {
	var stats IngestStats
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return IngestStats{}, fmt.Errorf("ingest %s: %w", src.File, err)
	}
	defer conn.Close()
	if s.onImportConn != nil {
		if err := s.onImportConn(ctx, conn); err != nil {
			return IngestStats{}, fmt.Errorf("ingest %s: %w", src.File, err)
		}
	}
	err = transactOnce(ctx, importTurn{conn: conn, s: s, file: src.File}, func(tx *sqlx.Tx) error {
		id, err := s.insertImport(ctx, tx, src)
		if err != nil {
			return err
		}
		w := &Writer{ctx: ctx, tx: tx, conn: conn, importID: id, stats: IngestStats{ImportID: id}, stmts: map[stmtKey]*sql.Stmt{}, raw: map[stmtKey]driver.Stmt{}, pg: s.dialect == postgres}
		w.ads.write, w.business.write, w.budgets.write, w.lifts.write = w.writeAds, w.writeBusiness, w.writeBudgets, w.writeLifts
		w.tests.write, w.mmm.write = w.writeExperiments, w.writeMMM
		defer w.closeStmts()
		if err := fn(w); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if err := w.finishRollup(); err != nil {
			return w.fail(err)
		}
		if err := w.finishMonthly(); err != nil {
			return w.fail(err)
		}
		if err := w.live(); err != nil {
			return err // fn went on past a write error
		}
		stats = w.stats
		var minD, maxD any
		if !stats.MinDate.IsZero() {
			minD, maxD = stats.MinDate.Format(period.DateLayout), stats.MaxDate.Format(period.DateLayout)
		}
		_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE imports SET rows = ?, min_date = ?, max_date = ? WHERE id = ?`), stats.Rows, minD, maxD, id)
		if err == nil {
			err = w.live() // nothing ended the transaction before its commit
		}
		return err
	})
	discardIfInTx(conn)
	s.importedHere()
	if err != nil {
		return IngestStats{}, fmt.Errorf("ingest %s: %w", src.File, err)
	}
	return stats, nil
}

// importTurn begins an import's transaction once no other import is
// writing: it waits its turn as long as ctx allows, telling the store's
// import-wait callback (once) that it is waiting, where SQLite's busy
// timeout alone would fail it after ten seconds. In PostgreSQL the turn
// is a row lock (see beginPostgres).
type importTurn struct {
	conn *sqlx.Conn
	s    *Store
	file string
}

// importPoll is how long one try for the write lock waits.
const importPoll = 2000 // ms

func (t importTurn) BeginTxx(ctx context.Context, opts *sql.TxOptions) (*sqlx.Tx, error) {
	if t.s.dialect == postgres {
		return t.beginPostgres(ctx, opts)
	}
	if _, err := t.conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", importPoll)); err != nil {
		return nil, err
	}
	told := false
	for {
		tx, err := t.conn.BeginTxx(ctx, opts)
		if err == nil || !isBusy(err) || ctx.Err() != nil {
			if err == nil {
				_, err = tx.ExecContext(ctx, "PRAGMA busy_timeout = 10000")
				if err != nil {
					tx.Rollback()
					return nil, err
				}
			}
			return tx, err
		}
		if !told && t.s.importWait != nil {
			t.s.importWait(t.file)
			told = true
		}
	}
}

// ErrAlreadyImported: the store has an import of the same content hash
// (Source.Hash) already.
var ErrAlreadyImported = errors.New("already imported")

// insertImport records the import. A hash an earlier import holds inserts
// nothing (the unique index on imports.hash): that one committed first, even
// in another process, and this import is refused with ErrAlreadyImported.
func (s *Store) insertImport(ctx context.Context, tx *sqlx.Tx, src Source) (int64, error) {
	var id int64
	var hash any
	if src.Hash != "" {
		hash = src.Hash
	}
	err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO imports (file, kind, platform, format, source, imported_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING RETURNING id`),
		src.File, string(src.Kind), src.Platform, src.Format, src.Sync, importStamp(src.At), hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("content %s: %w", src.Hash, ErrAlreadyImported)
	}
	if err != nil {
		return 0, fmt.Errorf("record import: %w", err)
	}
	return id, nil
}

const flushEvery = 256

// batch buffers rows of one kind and writes them flushEvery at a time, in
// one multi-row statement.
type batch[T any] struct {
	rows  []T
	write func(rows []T) error
}

func (b *batch[T]) add(r T) error {
	b.rows = append(b.rows, r)
	if len(b.rows) >= flushEvery {
		return b.flush()
	}
	return nil
}

// flush writes what is buffered; the rows are gone from the buffer
// whether or not the write succeeded (a failed write fails the import).
func (b *batch[T]) flush() error {
	if len(b.rows) == 0 {
		return nil
	}
	err := b.write(b.rows)
	b.rows = b.rows[:0]
	return err
}

func (w *Writer) seen(d time.Time) {
	w.stats.Rows++
	if w.stats.MinDate.IsZero() || d.Before(w.stats.MinDate) {
		w.stats.MinDate = d
	}
	if d.After(w.stats.MaxDate) {
		w.stats.MaxDate = d
	}
}

// added records the outcome of adding a row: after an error every later
// call returns that same error and writes nothing.
func (w *Writer) added(err error) error {
	if err != nil {
		return w.fail(err)
	}
	return w.err
}

// Ad adds one ad performance row.
func (w *Writer) Ad(r AdRow) error {
	if w.err != nil {
		return w.err
	}
	w.seen(r.Date)
	return w.added(w.ads.add(r))
}

// Business adds one business results row.
func (w *Writer) Business(r BusinessRow) error {
	if w.err != nil {
		return w.err
	}
	w.seen(r.Date)
	return w.added(w.business.add(r))
}

// Budget adds one budget row.
func (w *Writer) Budget(r BudgetRow) error {
	if w.err != nil {
		return w.err
	}
	w.seen(r.Month)
	return w.added(w.budgets.add(r))
}

// BrandLift adds one brand-lift result.
func (w *Writer) BrandLift(r BrandLiftRow) error {
	if w.err != nil {
		return w.err
	}
	w.seen(r.EndDate)
	return w.added(w.lifts.add(r))
}

// Experiment adds one test result.
func (w *Writer) Experiment(r Experiment) error {
	if w.err != nil {
		return w.err
	}
	w.seen(r.End)
	return w.added(w.tests.add(r))
}

// MMM adds one channel's MMM result with the curve points r carries. The
// same result given again in one import adds its points to the curve; a
// later import's replaces the curve.
func (w *Writer) MMM(r MMMResult) error {
	if w.err != nil {
		return w.err
	}
	w.seen(r.End)
	return w.added(w.mmm.add(r))
}

// Flush writes whatever is buffered.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	steps := []func() error{w.ads.flush, w.business.flush, w.budgets.flush, w.lifts.flush, w.tests.flush, w.mmm.flush}
	if w.pg {
		steps = append(steps, w.mergeStaged)
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return w.fail(err)
		}
	}
	return nil
}

func (w *Writer) closeStmts() {
	w.copied() //nolint:errcheck // the import has failed or checked it already
	for _, st := range w.stmts {
		st.Close()
	}
	w.closeRaw()
}

// upsert describes one table's multi-row upsert.
type upsert struct {
	table   string
	cols    []string
	key     []string
	replace []string // columns replaced by a newer import
	sum     []string // columns summed within one import (nullable ones sum their non-nulls)
}

// sql writes the upsert of rows rows binding cols; the import id, the
// writer's own integer, is written in as a literal so rows bind one value
// fewer. Columns left out take their default (NULL).
func (u upsert) sql(rows int, cols []string, importID int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s, import_id) VALUES ", u.table, strings.Join(cols, ", "))
	ph := "(" + strings.Repeat("?, ", len(cols)) + strconv.FormatInt(importID, 10) + ")"
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ph)
	}
	b.WriteString(u.onConflict())
	return b.String()
}

// onConflict is the upsert's conflict clause: a key stored by an earlier
// import is replaced, one already written by this import summed.
func (u upsert) onConflict() string {
	var b strings.Builder
	fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET ", strings.Join(u.key, ", "))
	var sets []string
	same := fmt.Sprintf("%s.import_id = excluded.import_id", u.table)
	for _, c := range u.replace {
		sets = append(sets, fmt.Sprintf("%s = excluded.%s", c, c))
	}
	for _, c := range u.sum {
		sets = append(sets, fmt.Sprintf(
			"%[1]s = CASE WHEN %[2]s THEN (CASE WHEN %[3]s.%[1]s IS NULL AND excluded.%[1]s IS NULL THEN NULL ELSE COALESCE(%[3]s.%[1]s, 0) + COALESCE(excluded.%[1]s, 0) END) ELSE excluded.%[1]s END",
			c, same, u.table))
	}
	sets = append(sets, "import_id = excluded.import_id")
	b.WriteString(strings.Join(sets, ", "))
	return b.String()
}

// stmtKey names a prepared upsert: its table, row count and bound columns.
type stmtKey struct {
	table string
	rows  int
	cols  int
}

func (w *Writer) exec(u upsert, cols []string, rows int, args []any) error {
	if err := w.live(); err != nil {
		return err
	}
	k := stmtKey{u.table, rows, len(cols)}
	st, ok := w.stmts[k]
	if !ok {
		var err error
		st, err = w.tx.PrepareContext(w.ctx, w.tx.Rebind(u.sql(rows, cols, w.importID)))
		if err != nil {
			return fmt.Errorf("prepare %s upsert: %w", u.table, err)
		}
		w.stmts[k] = st
	}
	if _, err := st.ExecContext(w.ctx, args...); err != nil {
		return fmt.Errorf("write %s: %w", u.table, err)
	}
	return nil
}

var adUpsert = upsert{
	table:   "ad_facts",
	cols:    []string{"day", "campaign_id", "platform_id", "month", "spend", "impressions", "clicks", "conversions", "revenue", "store_visits", "engagements", "video_views", "new_customers"},
	key:     []string{"day", "campaign_id"},
	replace: []string{"platform_id", "month"},
	sum:     []string{"spend", "impressions", "clicks", "conversions", "revenue", "store_visits", "engagements", "video_views", "new_customers"},
}

func nullable(n sql.NullFloat64) any {
	if n.Valid {
		return n.Float64
	}
	return nil
}

// adKey is an ad row's natural key once its campaign is resolved.
type adKey struct{ day, cid int64 }

func (w *Writer) writeAds(ads []AdRow) error {
	if err := w.spillMonths(); err != nil {
		return err
	}
	if err := w.addCampaigns(ads); err != nil {
		return err
	}
	type resolved struct {
		r             *AdRow
		day, pid, cid int64
		fresh         bool // no earlier import has its platform-day
	}
	rows := make([]resolved, 0, len(ads))
	idx := make(map[adKey]int, len(ads))
	for i := range ads {
		r := &ads[i]
		pid, cid, err := w.resolve(r)
		if err != nil {
			return err
		}
		day := epochDay(r.Date)
		had, err := w.track(r, day, pid, cid)
		if err != nil {
			return err
		}
		// Rows of one batch sharing a key are summed here, so a single
		// statement never touches a row twice (PostgreSQL refuses that).
		k := adKey{day, cid}
		if j, ok := idx[k]; ok {
			addAd(rows[j].r, r)
			continue
		}
		idx[k] = len(rows)
		rows = append(rows, resolved{r, day, pid, cid, !had})
	}
	if w.pg {
		for _, x := range rows {
			if err := w.stageAd(x.r, x.day, x.pid, x.cid, x.fresh); err != nil {
				return err
			}
		}
		return nil
	}
	// A batch that reports no optional metric binds none: they stay NULL.
	optional := false
	for _, x := range rows {
		r := x.r
		optional = optional || r.StoreVisits.Valid || r.Engagements.Valid || r.VideoViews.Valid || r.NewCustomers.Valid
	}
	cols := adUpsert.cols
	if !optional {
		cols = cols[:len(cols)-4]
	}
	args := w.args[:0]
	for _, x := range rows {
		r := x.r
		args = append(args, x.day, x.cid, x.pid, monthNumber(r.Date), r.Spend, r.Impressions, r.Clicks, r.Conversions, r.Revenue)
		if optional {
			args = append(args, nullable(r.StoreVisits), nullable(r.Engagements), nullable(r.VideoViews), nullable(r.NewCustomers))
		}
	}
	w.args = args
	return w.execRaw(adUpsert, cols, len(rows), args)
}

// addAd adds r's measures into o.
func addAd(o, r *AdRow) {
	o.Spend += r.Spend
	o.Impressions += r.Impressions
	o.Clicks += r.Clicks
	o.Conversions += r.Conversions
	o.Revenue += r.Revenue
	o.StoreVisits = addNull(o.StoreVisits, r.StoreVisits)
	o.Engagements = addNull(o.Engagements, r.Engagements)
	o.VideoViews = addNull(o.VideoViews, r.VideoViews)
	o.NewCustomers = addNull(o.NewCustomers, r.NewCustomers)
}

func addNull(a, b sql.NullFloat64) sql.NullFloat64 {
	if !a.Valid && !b.Valid {
		return a
	}
	return sql.NullFloat64{Float64: a.Float64 + b.Float64, Valid: true}
}

var businessUpsert = upsert{
	table:   "business_daily",
	cols:    []string{"date", "channel", "week", "month", "orders", "revenue", "new_customers", "gross_profit"},
	key:     []string{"date", "channel"},
	replace: []string{"week", "month"},
	sum:     []string{"orders", "revenue", "new_customers", "gross_profit"},
}

func (w *Writer) writeBusiness(business []BusinessRow) error {
	type key struct {
		d time.Time
		c string
	}
	idx := map[key]int{}
	var rows []BusinessRow
	for _, r := range business {
		k := key{r.Date, r.Channel}
		if i, ok := idx[k]; ok {
			o := &rows[i]
			o.Orders += r.Orders
			o.Revenue += r.Revenue
			o.NewCustomers += r.NewCustomers
			o.GrossProfit = addNull(o.GrossProfit, r.GrossProfit)
			continue
		}
		idx[k] = len(rows)
		rows = append(rows, r)
	}
	args := make([]any, 0, len(rows)*len(businessUpsert.cols))
	for _, r := range rows {
		args = append(args, r.Date.Format(period.DateLayout), r.Channel, period.WeekStart(r.Date).Format(period.DateLayout), period.MonthStart(r.Date).Format(period.DateLayout),
			r.Orders, r.Revenue, r.NewCustomers, nullable(r.GrossProfit))
	}
	return w.exec(businessUpsert, businessUpsert.cols, len(rows), args)
}

var budgetUpsert = upsert{
	table:   "budgets",
	cols:    []string{"month", "platform", "campaign", "budget"},
	key:     []string{"month", "platform", "campaign"},
	replace: []string{"budget"},
}

// lastByKey keeps one row per key, in first-seen order: a row restated
// later in the file wins.
func lastByKey[T any, K comparable](in []T, key func(T) K) []T {
	idx := map[K]int{}
	var rows []T
	for _, r := range in {
		k := key(r)
		if i, ok := idx[k]; ok {
			rows[i] = r
			continue
		}
		idx[k] = len(rows)
		rows = append(rows, r)
	}
	return rows
}

// nullBool is a flag's value to bind: NULL when not given.
func nullBool(b sql.NullBool) any {
	if b.Valid {
		return b.Bool
	}
	return nil
}

func (w *Writer) writeBudgets(budgets []BudgetRow) error {
	type key struct {
		m    time.Time
		p, c string
	}
	rows := lastByKey(budgets, func(r BudgetRow) key { return key{r.Month, r.Platform, r.Campaign} })
	args := make([]any, 0, len(rows)*len(budgetUpsert.cols))
	for _, r := range rows {
		args = append(args, period.MonthStart(r.Month).Format(period.DateLayout), r.Platform, r.Campaign, r.Budget)
	}
	return w.exec(budgetUpsert, budgetUpsert.cols, len(rows), args)
}

var liftUpsert = upsert{
	table:   "brand_lift",
	cols:    []string{"study", "platform", "start_date", "end_date", "metric", "lift", "significant"},
	key:     []string{"study", "platform", "metric"},
	replace: []string{"start_date", "end_date", "lift", "significant"},
}

func (w *Writer) writeLifts(lifts []BrandLiftRow) error {
	type key struct{ s, p, m string }
	rows := lastByKey(lifts, func(r BrandLiftRow) key { return key{r.Study, r.Platform, r.Metric} })
	args := make([]any, 0, len(rows)*len(liftUpsert.cols))
	for _, r := range rows {
		args = append(args, r.Study, r.Platform, r.StartDate.Format(period.DateLayout), r.EndDate.Format(period.DateLayout), r.Metric, r.Lift, nullBool(r.Significant))
	}
	return w.exec(liftUpsert, liftUpsert.cols, len(rows), args)
}
