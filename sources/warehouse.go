package sources

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// Report is what one run of a source did.
type Report struct {
	Source   string
	Rows     int           // rows imported
	Window   period.Period // the days read; zero when the source had none
	ImportID int64
	Pages    int
	// Refused are the files a folder source refused in this run.
	Refused []Refusal
}

// Refusal is a file a source refused, and why.
type Refusal struct {
	Path, Err, MovedTo string
}

// Runner runs one pass of a source: what it delivered since the last one
// is imported, all or nothing.
type Runner interface {
	Run(ctx context.Context) (Report, error)
}

// Warehouse is a source that reads an ad table or query of a warehouse.
type Warehouse struct {
	src   Source
	store *data.Store
	db    *sql.DB
	d     Dialect
	now   func() time.Time
	log   *slog.Logger
}

// WarehouseOption configures a Warehouse.
type WarehouseOption func(*Warehouse)

// WithNow sets the clock the sync is recorded by.
func WithNow(now func() time.Time) WarehouseOption { return func(w *Warehouse) { w.now = now } }

// WithLog sets the logger.
func WithLog(l *slog.Logger) WarehouseOption { return func(w *Warehouse) { w.log = l } }

// NewWarehouse returns the warehouse source src, importing into store. The
// connection is made on the first run.
func NewWarehouse(src Source, store *data.Store, opts ...WarehouseOption) (*Warehouse, error) {
	if !src.Warehouse() {
		return nil, fmt.Errorf("source %s: kind %s is not a warehouse", src.Name, src.Kind)
	}
	db, d, err := open(src)
	if err != nil {
		return nil, err
	}
	w := &Warehouse{src: src, store: store, db: db, d: d, now: time.Now, log: slog.Default()}
	for _, o := range opts {
		o(w)
	}
	return w, nil
}

// Close closes the connection to the warehouse.
func (w *Warehouse) Close() error { return w.db.Close() }

// redact takes the warehouse URL's password out of err's text, should a
// driver ever quote it.
func (w *Warehouse) redact(err error) error {
	if err == nil {
		return nil
	}
	u, perr := url.Parse(w.src.URL.Reveal())
	if perr != nil {
		return err
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" || !strings.Contains(err.Error(), pw) {
		return err
	}
	return redactedError{msg: strings.ReplaceAll(err.Error(), pw, "[redacted]"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// from is the first day a run reads: the source's look-back window before
// the newest day it delivered, zero (everything) on its first run.
func (w *Warehouse) from(ctx context.Context) (time.Time, error) {
	rec, ok, err := w.store.LastSync(ctx, w.src.Name)
	if err != nil || !ok || rec.LastDay.IsZero() {
		return time.Time{}, err
	}
	return rec.LastDay.AddDate(0, 0, -(w.src.LookbackDays - 1)), nil
}

// Run reads the days that can have changed and imports them in one store
// transaction, from one read-only snapshot of the warehouse: a failed run
// writes nothing.
func (w *Warehouse) Run(ctx context.Context) (Report, error) {
	rep := Report{Source: w.src.Name}
	from, err := w.from(ctx)
	if err != nil {
		return rep, fmt.Errorf("source %s: %w", w.src.Name, err)
	}
	tx, err := w.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: w.d.Isolation})
	if err != nil {
		return rep, fmt.Errorf("source %s: connect: %w", w.src.Name, w.redact(err))
	}
	defer tx.Rollback() //nolint:errcheck // read only: nothing to keep
	r := &reader{w: w, q: tx}
	window, err := r.span(ctx, from)
	if err != nil {
		return rep, fmt.Errorf("source %s: %w", w.src.Name, w.redact(err))
	}
	src := data.Source{File: "sync:" + w.src.Name, Kind: data.KindAds, Format: string(w.src.Kind), Sync: w.src.Name, At: w.now()}
	stats, err := w.store.Ingest(ctx, src, func(wr *data.Writer) error {
		// The days read replace what this source said of them before,
		// rows it no longer has included.
		if !from.IsZero() {
			if err := wr.ReplaceSynced(w.src.Name, from); err != nil {
				return err
			}
			if w.src.Business != nil {
				if err := wr.ReplaceSyncedBusiness(w.src.Name, from); err != nil {
					return err
				}
			}
		}
		if !window.Start.IsZero() {
			if err := r.ads(ctx, window, wr); err != nil {
				return err
			}
		}
		if w.src.Business != nil {
			return r.business(ctx, from, wr)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("source %s: %w", w.src.Name, w.redact(err))
	}
	rep.Rows, rep.ImportID, rep.Window, rep.Pages = stats.Rows, stats.ImportID, window, r.pages
	return rep, nil
}

// reader reads one run's rows from the warehouse.
type reader struct {
	w     *Warehouse
	q     querier
	pages int
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// relation is what the source reads from, as a FROM item.
func (w *Warehouse) relation() string {
	if w.src.Table != "" {
		return w.src.Table
	}
	return "(" + strings.TrimSuffix(strings.TrimSpace(w.src.Query), ";") + ") q"
}

// what names the relation in errors.
func (w *Warehouse) what() string {
	if w.src.Table != "" {
		return w.src.Table
	}
	return "the query"
}

// span returns the days from from (zero: the first) to the newest the
// source has; zero when it has none.
func (r *reader) span(ctx context.Context, from time.Time) (period.Period, error) {
	c := r.w.src.Columns
	q := fmt.Sprintf("SELECT MIN(%s), MAX(%s) FROM %s", c.Date, c.Date, r.w.relation())
	var args []any
	if !from.IsZero() {
		q += fmt.Sprintf(" WHERE %s >= %s", c.Date, r.w.d.Placeholder(1))
		args = append(args, r.w.d.date(from))
	}
	var lo, hi sql.NullTime
	if err := r.q.QueryRowContext(ctx, q, args...).Scan(&lo, &hi); err != nil {
		return period.Period{}, fmt.Errorf("read the days of %s: %w", r.w.what(), err)
	}
	if !lo.Valid {
		return period.Period{}, nil
	}
	return period.Period{Start: day(lo.Time), End: day(hi.Time)}, nil
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// adColumns are what an ad page selects, in order, with the kind each
// must be.
func (w *Warehouse) adColumns() []column {
	c := w.src.Columns
	cols := []column{{c.Date, "date", classDate}, {c.Platform, "platform", classText}, {c.Campaign, "campaign", classLabel},
		{c.Spend, "spend", classNumber}, {c.Impressions, "impressions", classNumber}, {c.Clicks, "clicks", classNumber}, {c.Conversions, "conversions", classNumber}}
	for _, o := range []column{{c.Account, "account", classLabel}, {c.Revenue, "revenue", classNumber}, {c.Category, "category", classLabel},
		{c.Region, "region", classLabel}, {c.CampaignType, "campaign_type", classLabel}} {
		if o.name != "" {
			cols = append(cols, o)
		}
	}
	return cols
}

// pageQuery selects the ad rows of the days [lo, hi).
// Numbers are read as doubles, cast by the warehouse: a NUMERIC comes
// through database/sql as text to parse, a double as its eight bytes.
func (w *Warehouse) pageQuery(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		if c.class == classNumber {
			names[i] = w.d.Float(c.name)
		}
	}
	d := w.src.Columns.Date
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s >= %s AND %s < %s", strings.Join(names, ", "), w.relation(), d, w.d.Placeholder(1), d, w.d.Placeholder(2))
}

// ads reads the window's ad rows, a page of whole days at a time keyed by
// the date (WHERE date >= lo AND date < hi, on the date column's index),
// each page about page_size rows, and writes them to wr as they come.
// (Reading in a goroutine of its own, beside the writes, saved 5-15% of
// BenchmarkFirstSync on a 2-core machine, where the warehouse's server,
// the read and the store's writes share the cores: not worth the
// goroutine while a first sync is within 2x of sowhat ingest.)
func (r *reader) ads(ctx context.Context, window period.Period, wr *data.Writer) error {
	cols := r.w.adColumns()
	q := r.w.pageQuery(cols)
	if err := r.checkColumns(ctx, cols); err != nil {
		return err
	}
	sc := newScanner(cols)
	days := 1
	for lo := window.Start; !lo.After(window.End); {
		hi := lo.AddDate(0, 0, days)
		n, err := r.page(ctx, q, sc, lo, hi, wr.Ad)
		if err != nil {
			return err
		}
		r.pages++
		// The next page spans as many days as make about page_size rows
		// at this page's rate.
		switch {
		case n == 0:
			days = min(days*2, 366)
		default:
			days = max(1, min(366, r.w.src.PageSize*days/n))
		}
		lo = hi
	}
	return nil
}

// checkColumns refuses the source when a mapped column is of the wrong
// type, naming it: the columns as the source has them, before any cast.
func (r *reader) checkColumns(ctx context.Context, cols []column) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	rows, err := r.q.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE 1 = 0", strings.Join(names, ", "), r.w.relation()))
	if err != nil {
		return fmt.Errorf("read %s: %w", r.w.what(), err)
	}
	defer rows.Close()
	return checkTypes(rows, cols, r.w.what())
}

// page reads one page, handing each row to add, and returns how many it
// read.
func (r *reader) page(ctx context.Context, q string, sc *scanner, lo, hi time.Time, add func(data.AdRow) error) (int, error) {
	rows, err := r.q.QueryContext(ctx, q, r.w.d.date(lo), r.w.d.date(hi))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", r.w.what(), err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if err := rows.Scan(sc.dest...); err != nil {
			return n, fmt.Errorf("read %s: %w", r.w.what(), err)
		}
		row, err := sc.ad(r.w.src.Kind, r.w.what())
		if err != nil {
			return n, err
		}
		if err := add(row); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", r.w.what(), err)
	}
	return n, nil
}

// business reads the business-results query from day from (zero: all).
func (r *reader) business(ctx context.Context, from time.Time, wr *data.Writer) error {
	b := r.w.src.Business
	cols := []column{{b.Date, "date", classDate}, {b.Orders, "orders", classNumber}, {b.Revenue, "revenue", classNumber}, {b.NewCustomers, "new_customers", classNumber}}
	if b.Channel != "" {
		cols = append(cols, column{b.Channel, "channel", classLabel})
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	q := fmt.Sprintf("SELECT %s FROM (%s) b", strings.Join(names, ", "), strings.TrimSuffix(strings.TrimSpace(b.Query), ";"))
	var args []any
	if !from.IsZero() {
		q += fmt.Sprintf(" WHERE %s >= %s", b.Date, r.w.d.Placeholder(1))
		args = append(args, r.w.d.date(from))
	}
	rows, err := r.q.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read the business query: %w", err)
	}
	defer rows.Close()
	if err := checkTypes(rows, cols, "the business query"); err != nil {
		return err
	}
	var (
		d                  sql.NullTime
		orders, rev, custs sql.NullFloat64
		channel            sql.NullString
	)
	dest := []any{&d, &orders, &rev, &custs}
	if b.Channel != "" {
		dest = append(dest, &channel)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read the business query: %w", err)
		}
		if !d.Valid {
			return fmt.Errorf("the business query: column %s (date) is empty in a row: every row needs its day", b.Date)
		}
		row := data.BusinessRow{Date: day(d.Time), Channel: "online", Orders: orders.Float64, Revenue: rev.Float64, NewCustomers: custs.Float64}
		if channel.Valid && strings.TrimSpace(channel.String) != "" {
			row.Channel = strings.ToLower(strings.TrimSpace(channel.String))
		}
		if err := wr.Business(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the business query: %w", err)
	}
	return nil
}

// dbtPlatforms maps dbt_ad_reporting's platform values onto sowhat's
// platform ids. Any other value (linkedin_ads, snapchat_ads, reddit_ads,
// twitter_ads, apple_search_ads …) is imported under its own id.
var dbtPlatforms = map[string]string{
	"facebook_ads":  "meta",
	"google_ads":    "google_ads",
	"microsoft_ads": "microsoft_ads",
	"tiktok_ads":    "tiktok",
	"pinterest_ads": "pinterest",
	"amazon_ads":    "amazon_ads",
}

// platformID maps a source's platform value onto a platform id: a known
// platform by its everyday names too, any other under its own id (lower
// case, words joined by _), never dropped.
func platformID(kind Kind, v string) string {
	v = strings.TrimSpace(v)
	if kind == KindDBT {
		if id, ok := dbtPlatforms[strings.ToLower(v)]; ok {
			return id
		}
	}
	if id, ok := model.NormalizePlatform(v); ok {
		return id
	}
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(v, "-", " "))), "_")
}
