package ingest

import (
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

// skipRow reports whether a row is not data: blank, a total or a footer. It
// refuses a row whose cells do not line up with the header.
func (p *parser) skipRow(row []string, line int) (bool, error) {
	first := "" // the first cell with something in it
	for _, c := range row {
		if c = trimSpace(c); c != "" && c != "--" {
			first = c
			break
		}
	}
	if first == "" || isTotal(first) || isFooter(first) {
		return true, nil
	}
	if len(row) < len(p.header) {
		return false, p.fail(line, "", because(ErrBadValue, "the row has %d fields but the header on line %d has %d", len(row), p.format.Header, len(p.header)))
	}
	for i := len(p.header); i < len(row); i++ {
		if trimSpace(row[i]) != "" {
			return false, p.fail(line, "", because(ErrBadValue, "the row has %d fields but the header on line %d has %d", len(row), p.format.Header, len(p.header)))
		}
	}
	return false, nil
}

// isTotal recognises the summary rows exports add after their data (Google
// Ads' "Total: Account", "Total: Campaigns"), which must not be counted.
func isTotal(s string) bool {
	if len(s) < 5 || !strings.EqualFold(s[:5], "total") {
		return false
	}
	l := strings.ToLower(s)
	return l == "total" || l == "totals" || strings.HasPrefix(l, "total:") || strings.HasPrefix(l, "total ---")
}

// isFooter recognises copyright lines under the data (Microsoft Advertising).
func isFooter(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "©") || strings.HasPrefix(l, "(c)") || strings.HasPrefix(l, "copyright")
}

func blank(row []string) bool {
	for _, c := range row {
		if trimSpace(c) != "" {
			return false
		}
	}
	return true
}

// convert fills rec from a data row; keep is false for a row that is the
// export's own summary.
func (p *parser) convert(row []string, line int, rec *Record) (keep bool, err error) {
	switch rec.Kind {
	case data.KindAds:
		return p.ad(row, line, &rec.Ad)
	case data.KindBusiness:
		return true, p.business(row, line, &rec.Business)
	case data.KindBudgets:
		return true, p.budget(row, line, &rec.Budget)
	case data.KindBrandLift:
		return true, p.brandLift(row, line, &rec.BrandLift)
	case data.KindExperiments:
		return true, p.experiment(row, line, &rec.Test)
	case data.KindMMM:
		return true, p.mmm(row, line, &rec.MMM)
	}
	return false, fmt.Errorf("kind %q has no reader", rec.Kind)
}

func (p *parser) ad(row []string, line int, r *data.AdRow) (bool, error) {
	*r = data.AdRow{}
	r.Campaign = p.text(row, fCampaign)
	if r.Campaign == "" {
		if p.spec.blankIsTotal {
			return false, nil // Meta's first row sums the campaigns below it
		}
		return false, p.empty(line, fCampaign)
	}
	var err error
	if r.Date, err = p.day(row, line); err != nil {
		return false, err
	}
	if r.Platform, err = p.platform(row, line); err != nil {
		return false, err
	}
	if err := p.currency(row, line); err != nil {
		return false, err
	}
	r.Account = p.text(row, fAccount)
	if r.CampaignType = p.label(row, fCampaignType); r.CampaignType == "" {
		r.CampaignType = p.spec.campaignType
	}
	r.Category = p.text(row, fCategory)
	r.Region = p.text(row, fRegion)
	for _, m := range [...]struct {
		f   field
		dst *float64
	}{{fSpend, &r.Spend}, {fImpressions, &r.Impressions}, {fClicks, &r.Clicks}, {fConversions, &r.Conversions}, {fRevenue, &r.Revenue}} {
		if *m.dst, _, err = p.amount(row, line, m.f); err != nil {
			return false, err
		}
	}
	for _, m := range [...]struct {
		f   field
		dst *sql.NullFloat64
	}{{fStoreVisits, &r.StoreVisits}, {fEngagements, &r.Engagements}, {fVideoViews, &r.VideoViews}, {fNewCustomers, &r.NewCustomers}} {
		if m.dst.Float64, m.dst.Valid, err = p.amount(row, line, m.f); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (p *parser) business(row []string, line int, r *data.BusinessRow) error {
	*r = data.BusinessRow{}
	var err error
	if r.Date, err = p.date(row, line, fDate); err != nil {
		return err
	}
	if r.Channel = p.label(row, fChannel); r.Channel == "" {
		return p.empty(line, fChannel)
	}
	if err := p.currency(row, line); err != nil {
		return err
	}
	if r.Orders, _, err = p.amount(row, line, fOrders); err != nil {
		return err
	}
	if r.Revenue, _, err = p.amount(row, line, fRevenue); err != nil {
		return err
	}
	if r.NewCustomers, _, err = p.amount(row, line, fNewCustomers); err != nil {
		return err
	}
	r.GrossProfit.Float64, r.GrossProfit.Valid, err = p.amount(row, line, fGrossProfit)
	return err
}

func (p *parser) budget(row []string, line int, r *data.BudgetRow) error {
	*r = data.BudgetRow{}
	s := p.text(row, fMonth)
	if s == "" {
		return p.empty(line, fMonth)
	}
	m, err := parseMonth(s)
	if err != nil {
		return p.bad(line, fMonth, ErrBadValue, "%q is not a month (write 2026-11)", s)
	}
	r.Month = m
	if r.Platform, err = p.platform(row, line); err != nil {
		return err
	}
	if err := p.currency(row, line); err != nil {
		return err
	}
	r.Campaign = p.text(row, fCampaign)
	r.Budget, _, err = p.amount(row, line, fBudget)
	return err
}

func (p *parser) brandLift(row []string, line int, r *data.BrandLiftRow) error {
	*r = data.BrandLiftRow{}
	var err error
	if r.Study, r.Platform, r.StartDate, r.EndDate, err = p.dated(row, line, fStudy, "study"); err != nil {
		return err
	}
	if r.Metric = p.label(row, fMetric); r.Metric == "" {
		return p.empty(line, fMetric)
	}
	if r.Lift, err = p.lift(row, line); err != nil {
		return err
	}
	r.Significant, err = p.significant(row, line)
	return err
}

// significant reads the optional significance flag: NULL when empty.
func (p *parser) significant(row []string, line int) (sql.NullBool, error) {
	s := p.text(row, fSignificant)
	if s == "" {
		return sql.NullBool{}, nil
	}
	v, ok := parseBool(s)
	if !ok {
		return sql.NullBool{}, p.bad(line, fSignificant, ErrBadValue, "%q is not true/false, yes/no or 1/0", s)
	}
	return sql.NullBool{Bool: v, Valid: true}, nil
}

// lift reads a relative lift: a fraction (0.074) or a percentage (7.4%).
func (p *parser) lift(row []string, line int) (float64, error) {
	s := p.text(row, fLift)
	n, err := parseNumber(s)
	switch {
	case err != nil:
		return 0, p.bad(line, fLift, ErrBadValue, "%q is not a number", s)
	case n.empty:
		return 0, p.empty(line, fLift)
	case !n.pct && (n.v > 1 || n.v < -1):
		// 7.4 for 7.4% would be read as a 740% lift: ask rather than guess.
		return 0, p.bad(line, fLift, ErrBadValue, "%q is a lift of more than 100%%; write a fraction (0.074) or a percentage (7.4%%)", s)
	}
	return n.v, nil
}

// text returns a trimmed cell; "" when the column is absent or the cell
// holds "--".
func (p *parser) text(row []string, f field) string {
	i := p.idx[f]
	if i < 0 || i >= len(row) {
		return ""
	}
	s := trimSpace(row[i])
	if s == "--" {
		return ""
	}
	return s
}

// label returns a categorical cell in lower snake case ("Performance Max"
// becomes performance_max, "Search & content" search_content), so labels
// from every platform group together.
func (p *parser) label(row []string, f field) string {
	s := p.text(row, f)
	if s == "" {
		return ""
	}
	if l, ok := p.labels[s]; ok {
		return l
	}
	l := strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), "_")
	if len(p.labels) < 1<<14 {
		p.labels[s] = l
	}
	return l
}

// day returns the single day a row of ad data covers, refusing rows that
// cover a period (Meta's "Reporting starts" before "Reporting ends").
func (p *parser) day(row []string, line int) (time.Time, error) {
	if p.idx[fDate] >= 0 || p.idx[fStart] < 0 {
		return p.date(row, line, fDate)
	}
	start, err := p.date(row, line, fStart)
	if err != nil {
		return start, err
	}
	end, err := p.date(row, line, fEnd)
	if err != nil {
		return end, err
	}
	if !start.Equal(end) {
		return start, p.bad(line, fStart, ErrMultiDay, "the row covers %s to %s, not one day; export it with a daily breakdown: %s",
			start.Format(period.DateLayout), end.Format(period.DateLayout), p.spec.dailyHint)
	}
	return start, nil
}

func (p *parser) date(row []string, line int, f field) (time.Time, error) {
	i := p.idx[f]
	s := row[i]
	if d, ok := p.dates[s]; ok {
		return d, nil
	}
	t := trimSpace(s)
	if t == "" || t == "--" {
		return time.Time{}, p.empty(line, f)
	}
	d, err := parseDate(t)
	if err != nil {
		return d, p.bad(line, f, ErrBadValue, "%q is not a date (write 2026-11-01, 11/1/2026 or Nov 1, 2026)", t)
	}
	if len(p.dates) >= 1<<14 {
		clear(p.dates)
	}
	p.dates[s] = d
	return d, nil
}

// platform returns the row's platform id: the export's own, or the canonical
// file's platform column, or Options.Platform.
func (p *parser) platform(row []string, line int) (string, error) {
	if p.spec.native {
		return p.spec.platform, nil
	}
	s := p.text(row, fPlatform)
	if s == "" {
		if p.opts.Platform == "" {
			return "", p.empty(line, fPlatform)
		}
		s = p.opts.Platform
	}
	id, ok := p.platforms[s]
	if !ok {
		if id, ok = model.NormalizePlatform(s); !ok {
			return "", p.bad(line, fPlatform, ErrBadValue, "%q is not a platform sowhat knows (%s)", s, platformIDs())
		}
		if len(p.platforms) < 1<<10 {
			p.platforms[s] = id
		}
	}
	if p.opts.Platform != "" && id != p.opts.Platform {
		return "", p.bad(line, fPlatform, ErrPlatform, "%q is not %s, the platform this import was declared for", s, p.opts.Platform)
	}
	if p.seen == "" {
		p.seen = id
	} else if id != p.seen {
		p.mixed = true
	}
	return id, nil
}

// rowsPlatform is the platform every row came from, "" when they were mixed.
func (p *parser) rowsPlatform() string {
	if p.spec.native || p.mixed {
		return p.format.Platform
	}
	if p.seen != "" {
		return p.seen
	}
	return p.format.Platform
}

// currency refuses a row whose currency column names another currency than
// the reporting one: amounts are never converted, nor mixed.
func (p *parser) currency(row []string, line int) error {
	s := p.text(row, fCurrency)
	if s == "" || strings.EqualFold(s, p.opts.Currency) {
		return nil
	}
	return p.bad(line, fCurrency, ErrCurrency, "amounts are in %s but the reporting currency is %s; export the report in %s or import it with currency %s",
		s, p.opts.Currency, p.opts.Currency, strings.ToUpper(s))
}

// amount reads a numeric cell. ok is false when the cell is empty and the
// column optional (NULL in the store). An empty required cell is zero in a
// platform's export, where "--" or blank means none, and an error in a
// canonical file, where it more likely means a forgotten value.
func (p *parser) amount(row []string, line int, f field) (v float64, ok bool, err error) {
	i := p.idx[f]
	if i < 0 {
		return 0, false, nil
	}
	s := row[i]
	if isPlainNumber(s) && s[0] != '-' {
		if v, err := parseFloat(s); err == nil {
			return v, true, nil
		}
	}
	return p.messyAmount(s, line, f)
}

// nonNegative lists the counts that cannot go below zero; amounts of money
// and conversions can, with refunds and adjustments.
var nonNegative = [numFields]bool{fImpressions: true, fClicks: true, fOrders: true, fStoreVisits: true,
	fEngagements: true, fVideoViews: true, fNewCustomers: true, fBudget: true, fTestSpend: true, fCurveSpend: true, fPValue: true}

func (p *parser) messyAmount(s string, line int, f field) (float64, bool, error) {
	n, err := parseNumber(s)
	s = trimSpace(s)
	switch {
	case err != nil:
		return 0, false, p.bad(line, f, ErrBadValue, "%q is not a number", s)
	case n.empty && !p.required[f]:
		return 0, false, nil
	case n.empty && p.spec.native:
		return 0, true, nil
	case n.empty:
		return 0, false, p.bad(line, f, ErrBadValue, "the cell is empty; write 0 for none")
	case n.pct:
		return 0, false, p.bad(line, f, ErrBadValue, "%q is a percentage, not an amount", s)
	case n.v < 0 && nonNegative[f]:
		return 0, false, p.bad(line, f, ErrBadValue, "%q is negative", s)
	case n.symbol != "" && !symbolIs(n.symbol, p.opts.Currency):
		return 0, false, p.bad(line, f, ErrCurrency, "%q is not in %s, the reporting currency", s, p.opts.Currency)
	}
	return n.v, true, nil
}

// symbolIs reports whether a symbol or code written in a cell can be the
// currency cur.
func symbolIs(sym, cur string) bool {
	if isUpperCode(sym) {
		return sym == cur
	}
	for _, c := range currencySymbols[sym] {
		if c == cur {
			return true
		}
	}
	return false
}

func (p *parser) columnText(f field) string {
	if i := p.idx[f]; i >= 0 && i < len(p.header) {
		return p.header[i].text
	}
	return p.spec.columnName(f)
}

func (p *parser) bad(line int, f field, kind error, format string, args ...any) error {
	return p.fail(line, p.columnText(f), because(kind, format, args...))
}

func (p *parser) empty(line int, f field) error {
	return p.bad(line, f, ErrBadValue, "the cell is empty")
}
