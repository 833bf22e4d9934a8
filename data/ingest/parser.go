package ingest

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
)

// maxPreamble is how many lines above the header a file may have.
const maxPreamble = 40

// parser reads one file: its header first, then its rows.
type parser struct {
	name     string
	opts     Options
	csv      *csv.Reader
	progress *progress
	format   Format
	spec     *spec
	idx      [numFields]int
	header   []headerCell
	required [numFields]bool
	preamble []string // the lines above the header, for hints

	dates     map[string]time.Time
	platforms map[string]string
	labels    map[string]string
	seen      string // the platform of the rows read so far
	mixed     bool   // rows from more than one platform
}

func newParser(name string, r io.Reader, size int64, opts Options) (*parser, error) {
	p := &parser{name: name, opts: opts}
	if err := p.checkOptions(); err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		p.progress = newProgress(r, opts.Progress, filepath.Base(name), size)
		r = p.progress
	}
	text, delim := decode(r, size)
	p.csv = csv.NewReader(text)
	p.csv.Comma = delim
	p.csv.FieldsPerRecord = -1
	p.csv.LazyQuotes = true
	p.csv.ReuseRecord = true
	if err := p.readHeader(); err != nil {
		p.progress.finish()
		return nil, err
	}
	if err := p.checkHeaderCurrency(); err != nil {
		p.progress.finish()
		return nil, err
	}
	p.dates = make(map[string]time.Time)
	p.platforms = make(map[string]string)
	p.labels = make(map[string]string)
	return p, nil
}

func (p *parser) checkOptions() error {
	o := &p.opts
	cur := strings.TrimSpace(o.Currency)
	if o.Currency = strings.ToUpper(cur); o.Currency == "" {
		o.Currency = "USD"
	}
	if !isUpperCode(o.Currency) {
		return p.fail(0, "", fmt.Errorf("currency %q is not a three-letter code such as USD", cur))
	}
	if o.Platform != "" {
		id, ok := model.NormalizePlatform(o.Platform)
		if !ok {
			return p.fail(0, "", fmt.Errorf("platform %q is not one sowhat knows (%s)", o.Platform, platformIDs()))
		}
		o.Platform = id
	}
	switch o.Kind {
	case "", data.KindAds, data.KindBusiness, data.KindBudgets, data.KindBrandLift, data.KindExperiments, data.KindMMM:
		return nil
	}
	return p.fail(0, "", fmt.Errorf("kind %q is not ads, business, budgets, brand_lift, experiments or mmm", o.Kind))
}

func platformIDs() string {
	ids := make([]string, len(model.Platforms))
	for i, pl := range model.Platforms {
		ids[i] = pl.ID
	}
	return strings.Join(ids, ", ")
}

// fail makes an error about the file at a line and, when col is given, a
// column.
func (p *parser) fail(line int, col string, err error) *Error {
	return &Error{File: p.name, Line: line, Column: col, Err: err}
}

// readHeader reads up to the header row and recognises the format from it.
func (p *parser) readHeader() error {
	var near match
	nearLine := 0
	line := 1
	for n := 0; n < maxPreamble; n++ {
		rec, err := p.csv.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.csvError(err)
		}
		line, _ = p.csv.FieldPos(0)
		if blank(rec) {
			continue
		}
		header := headerCells(rec)
		best, ok, err := p.recognise(header, line)
		if err != nil {
			return err
		}
		if ok {
			p.accept(best, header, line)
			return nil
		}
		if best.spec != nil && (near.spec == nil || best.found > near.found) {
			near, nearLine = best, line
		}
		p.preamble = append(p.preamble, strings.TrimSpace(strings.Join(rec, " ")))
	}
	if near.spec != nil && len(near.missing) < len(near.spec.required) && near.found >= 3 {
		return p.fail(nearLine, "", because(ErrUnrecognized, "looks like a %s but it has %s", near.spec.title, p.missingText(near)))
	}
	return p.fail(line, "", because(ErrUnrecognized,
		"no header row of a known format in the first %d lines; a canonical ads file starts with date, platform, campaign, spend, impressions, clicks, conversions, revenue, "+
			"and exports from Google Ads, Meta, Amazon Ads, The Trade Desk, Criteo, Pinterest, Microsoft Advertising and TikTok are recognised as downloaded", maxPreamble))
}

// recognise finds the format a header row belongs to. ok is false when none
// has all it needs; best is then the closest, if any.
func (p *parser) recognise(header []headerCell, line int) (best match, ok bool, err error) {
	var other match // a full match for a platform other than the declared one
	for _, sp := range specs() {
		if p.opts.Kind != "" && sp.kind != p.opts.Kind {
			continue
		}
		m := matchHeader(sp, header, p.opts)
		if m.full() && sp.native && p.opts.Platform != "" && sp.platform != p.opts.Platform {
			if other.spec == nil || m.found > other.found {
				other = m
			}
			continue
		}
		if m.full() != best.full() {
			if m.full() {
				best = m
			}
			continue
		}
		if best.spec == nil || m.found > best.found {
			best = m
		}
	}
	if best.full() {
		return best, true, nil
	}
	if other.spec != nil {
		return best, false, p.fail(line, "", because(ErrPlatform, "this is a %s, not a %s export", other.spec.title, model.PlatformName(p.opts.Platform)))
	}
	if best.spec != nil && best.spec.native && best.marked && len(best.missing) == 1 && best.missing[0] == fDate {
		return best, false, p.fail(line, "", because(ErrMultiDay,
			"the %s has no %s column, so each row covers the whole report period%s, not one day; export it with a daily breakdown: %s",
			best.spec.title, best.spec.expected(fDate), p.periodText(), best.spec.dailyHint))
	}
	return best, false, nil
}

// accept sets the parser up for the format recognised on line.
func (p *parser) accept(m match, header []headerCell, line int) {
	p.spec, p.idx, p.header = m.spec, m.idx, header
	for _, f := range m.spec.required {
		p.required[f] = true
	}
	p.format = Format{Name: m.spec.name, Title: m.spec.title, Kind: m.spec.kind, Platform: m.spec.platform, Header: line}
	if p.format.Platform == "" {
		p.format.Platform = p.opts.Platform
	}
}

// checkHeaderCurrency refuses amounts whose header names another currency:
// Meta's "Amount spent (EUR)", The Trade Desk's "Advertiser Cost (GBP)".
func (p *parser) checkHeaderCurrency() error {
	for _, f := range []field{fSpend, fRevenue, fBudget, fGrossProfit, fTestSpend, fCurveSpend} {
		i := p.idx[f]
		if i < 0 || p.header[i].currency == "" || p.header[i].currency == p.opts.Currency {
			continue
		}
		return p.fail(p.format.Header, p.header[i].text, because(ErrCurrency,
			"amounts are in %s but the reporting currency is %s; export the report in %s or import it with currency %s",
			p.header[i].currency, p.opts.Currency, p.opts.Currency, p.header[i].currency))
	}
	return nil
}

// periodText quotes a date range found above the header, if any.
func (p *parser) periodText() string {
	for _, l := range p.preamble {
		l = strings.Trim(l, `" `)
		if _, v, ok := strings.Cut(l, ":"); ok && strings.Contains(strings.ToLower(l), "time") {
			l = strings.TrimSpace(v) // Microsoft: "Report Time: 11/1/2026 - 11/30/2026"
		}
		if a, b, ok := strings.Cut(l, " - "); ok {
			if _, err := parseDate(a); err == nil {
				if _, err := parseDate(b); err == nil {
					return " (" + l + ")"
				}
			}
		}
	}
	return ""
}

func (p *parser) missingText(m match) string {
	parts := make([]string, len(m.missing))
	for i, f := range m.missing {
		parts[i] = fmt.Sprintf("no %s column (%s)", fieldNames[f], m.spec.expected(f))
		if f == fClicks && m.spec.clicksMissing != "" {
			parts[i] += ": " + m.spec.clicksMissing
		}
	}
	if !m.marked {
		parts = append(parts, "none of the columns "+quoteList(m.spec.markers[0].names))
	}
	return strings.Join(parts, ", ")
}

// csvError turns a CSV syntax error into one that names the line.
func (p *parser) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return p.fail(pe.Line, "", because(ErrBadValue, "%v", pe.Err))
	}
	line, _ := p.csv.FieldPos(0)
	return p.fail(line, "", fmt.Errorf("read: %w", err))
}

// run reads every row after the header and hands each record to emit.
func (p *parser) run(ctx context.Context, emit func(Record) error) error {
	defer p.progress.finish()
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
}

// next returns the next data record, skipping blank, total and footer rows.
func (p *parser) next() (Record, error) {
	rec := Record{Kind: p.format.Kind}
	for {
		row, err := p.csv.Read()
		if err == io.EOF {
			return rec, err
		}
		if err != nil {
			return rec, p.csvError(err)
		}
		line, _ := p.csv.FieldPos(0)
		skip, err := p.skipRow(row, line)
		if err != nil {
			return rec, err
		}
		if skip {
			continue
		}
		rec.Line = line
		keep, err := p.convert(row, line, &rec)
		if err != nil {
			return rec, err
		}
		if keep {
			return rec, nil
		}
	}
}
