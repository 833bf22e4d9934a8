package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
)

// Options for one file.
type Options struct {
	Kind     data.Kind // force a kind; "" = recognise from the header
	Platform string    // force/declare platform id (for canonical ads files without a platform column, or native exports); "" = infer
	Currency string    // reporting currency, default "USD"
	Progress io.Writer // where to draw a progress bar; nil = quiet. The CLI passes os.Stderr only when it is a terminal.
}

// Result says what File imported.
type Result struct {
	File     string
	Format   string // "canonical" or a native export: google_ads, meta, amazon_sp ...
	Kind     data.Kind
	Platform string // the platform of a native export, or of every row of a canonical one; "" when mixed
	Stats    data.IngestStats
}

// Format says what a file was recognised as.
type Format struct {
	Name     string // "canonical" or a native export: google_ads, meta, amazon_sp ...
	Title    string // for people: "Meta Ads Manager export"
	Kind     data.Kind
	Platform string // a native export's platform, or the one Options.Platform declared
	Header   int    // the line the header row is on
}

// Record is one row read from a file: Kind says which of the rows is set.
type Record struct {
	Kind      data.Kind
	Line      int // where in the file the row starts
	Ad        data.AdRow
	Business  data.BusinessRow
	Budget    data.BudgetRow
	BrandLift data.BrandLiftRow
	Test      data.Experiment
	MMM       data.MMMResult // Curve holds the row's one point, if it has one
}

// write hands the record to a store writer.
func (r *Record) write(w *data.Writer) error {
	switch r.Kind {
	case data.KindAds:
		return w.Ad(r.Ad)
	case data.KindBusiness:
		return w.Business(r.Business)
	case data.KindBudgets:
		return w.Budget(r.Budget)
	case data.KindBrandLift:
		return w.BrandLift(r.BrandLift)
	case data.KindExperiments:
		return w.Experiment(r.Test)
	case data.KindMMM:
		return w.MMM(r.MMM)
	}
	return fmt.Errorf("record of unknown kind %q", r.Kind)
}

// File imports one file into the store, all or nothing: a file with any bad
// value is refused whole and the error names its line and column.
func File(ctx context.Context, st *data.Store, path string, opts Options) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, fmt.Errorf("ingest %s: %w", path, err)
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	p, err := newParser(path, f, size, opts)
	if err != nil {
		return Result{}, err
	}
	res := Result{File: path, Format: p.format.Name, Kind: p.format.Kind, Platform: p.format.Platform}
	src := data.Source{File: path, Kind: p.format.Kind, Platform: p.format.Platform, Format: p.format.Name}
	stats, err := st.Ingest(ctx, src, func(w *data.Writer) error {
		return pipe(ctx, p, func(rec *Record) error { return rec.write(w) })
	})
	if err != nil {
		var perr *Error
		if errors.As(err, &perr) {
			return res, perr // it names the file already
		}
		return res, err
	}
	res.Platform = p.rowsPlatform()
	res.Stats = stats
	return res, nil
}

// Parse reads one file's content and calls emit for every record, without
// touching a database. name is used in errors. It stops at the first error,
// from the file or from emit.
func Parse(ctx context.Context, name string, r io.Reader, opts Options, emit func(Record) error) (Format, error) {
	var size int64
	switch s := r.(type) {
	case interface{ Size() int64 }:
		size = s.Size()
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := s.Stat(); err == nil {
			size = fi.Size()
		}
	}
	p, err := newParser(name, r, size, opts)
	if err != nil {
		return Format{}, err
	}
	return p.format, p.run(ctx, emit)
}

// Errors a caller may tell apart with errors.Is.
var (
	ErrUnrecognized = errors.New("unrecognised file")    // no header row of a known format
	ErrBadValue     = errors.New("bad value")            // a cell that is not what its column holds
	ErrMultiDay     = errors.New("row covers many days") // no daily breakdown
	ErrCurrency     = errors.New("foreign currency")     // amounts not in the reporting currency
	ErrPlatform     = errors.New("wrong platform")       // not the platform Options.Platform declared
)

// Error is a problem with a file, and where in it.
type Error struct {
	File   string
	Line   int    // 0 when the problem is not on one line
	Column string // the column's header as written; "" when not about one column
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("ingest ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, " column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// reason is an error message that errors.Is matches to a sentinel without
// repeating the sentinel's text.
type reason struct {
	msg  string
	kind error
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.kind }

func because(kind error, format string, args ...any) error {
	return &reason{fmt.Sprintf(format, args...), kind}
}
