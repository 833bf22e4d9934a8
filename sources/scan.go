package sources

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/data"
)

// class is the kind of value a mapped column must hold.
type class int

const (
	classDate   class = iota // a date or timestamp
	classText                // text
	classLabel               // text, or a number read as text (an id)
	classNumber              // a number
)

func (c class) String() string {
	switch c {
	case classDate:
		return "a date (date or timestamp)"
	case classText:
		return "text"
	case classLabel:
		return "text or a number"
	}
	return "a number (numeric, integer or float)"
}

// column is one selected column: its name in the source, the store field
// it fills, and the kind it must be.
type column struct {
	name  string
	field string
	class class
}

// typeClass sorts a driver's column type name. Unknown names sort as
// nothing, and are refused where a kind is required.
func typeClass(dbType string) (class, bool) {
	t := strings.ToUpper(dbType)
	switch {
	case t == "DATE" || strings.HasPrefix(t, "TIMESTAMP"):
		return classDate, true
	case t == "TEXT" || t == "VARCHAR" || t == "BPCHAR" || t == "CHAR" || t == "NAME" || strings.HasPrefix(t, "CHARACTER") || t == "STRING":
		return classText, true
	case strings.HasPrefix(t, "INT") || t == "NUMERIC" || t == "DECIMAL" || strings.HasPrefix(t, "FLOAT") || t == "REAL" || t == "DOUBLE" || t == "NUMBER" || t == "BIGINT" || t == "SMALLINT":
		return classNumber, true
	}
	return 0, false
}

// fits reports whether a column of type class got fits want.
func fits(got, want class) bool {
	return got == want || want == classLabel && (got == classText || got == classNumber)
}

// checkTypes refuses a result whose mapped columns are of the wrong type,
// naming the column.
func checkTypes(rows *sql.Rows, cols []column, what string) error {
	types, err := rows.ColumnTypes()
	if err != nil {
		return fmt.Errorf("read the columns of %s: %w", what, err)
	}
	for i, ct := range types {
		if i >= len(cols) {
			break
		}
		got, ok := typeClass(ct.DatabaseTypeName())
		if !ok || !fits(got, cols[i].class) {
			return &ColumnError{What: what, Column: cols[i].name, Field: cols[i].field, Type: strings.ToLower(ct.DatabaseTypeName()), Want: cols[i].class.String()}
		}
	}
	return nil
}

// ColumnError is a mapped column of the wrong type.
type ColumnError struct {
	What, Column, Field, Type, Want string
}

func (e *ColumnError) Error() string {
	return fmt.Sprintf("%s: column %s (%s) is %s: want %s", e.What, e.Column, e.Field, e.Type, e.Want)
}

// scanner holds one ad row's values as scanned.
type scanner struct {
	cols []column
	dest []any
	d    sql.NullTime
	txt  []sql.NullString  // platform, campaign, then the optional labels
	num  []sql.NullFloat64 // spend … conversions, then revenue
	// where each optional column was scanned
	account, category, region, ctype, revenue int
}

func newScanner(cols []column) *scanner {
	s := &scanner{cols: cols, account: -1, category: -1, region: -1, ctype: -1, revenue: -1}
	s.dest = append(s.dest, &s.d)
	s.txt = make([]sql.NullString, 0, len(cols))
	s.num = make([]sql.NullFloat64, 0, len(cols))
	var ti, ni []int // indices into txt and num, by column
	for _, c := range cols[1:] {
		if c.class == classNumber {
			ni = append(ni, len(s.num))
			s.num = append(s.num, sql.NullFloat64{})
			ti = append(ti, -1)
		} else {
			ti = append(ti, len(s.txt))
			s.txt = append(s.txt, sql.NullString{})
			ni = append(ni, -1)
		}
	}
	for i, c := range cols[1:] {
		if ti[i] >= 0 {
			s.dest = append(s.dest, &s.txt[ti[i]])
		} else {
			s.dest = append(s.dest, &s.num[ni[i]])
		}
		switch c.field {
		case "account":
			s.account = ti[i]
		case "category":
			s.category = ti[i]
		case "region":
			s.region = ti[i]
		case "campaign_type":
			s.ctype = ti[i]
		case "revenue":
			s.revenue = ni[i]
		}
	}
	return s
}

func (s *scanner) label(i int) string {
	if i < 0 || !s.txt[i].Valid {
		return ""
	}
	return strings.TrimSpace(s.txt[i].String)
}

// ad turns the scanned values into a row; an empty date, platform or
// campaign refuses the run, naming the column and the day.
func (s *scanner) ad(kind Kind, what string) (data.AdRow, error) {
	if !s.d.Valid {
		return data.AdRow{}, fmt.Errorf("%s: column %s (date) is empty in a row: every row needs its day", what, s.cols[0].name)
	}
	r := data.AdRow{Date: day(s.d.Time), Spend: s.num[0].Float64, Impressions: s.num[1].Float64, Clicks: s.num[2].Float64, Conversions: s.num[3].Float64}
	p, c := s.label(0), s.label(1)
	if p == "" {
		return r, fmt.Errorf("%s: column %s (platform) is empty in a row of %s", what, s.cols[1].name, r.Date.Format("2006-01-02"))
	}
	if c == "" {
		return r, fmt.Errorf("%s: column %s (campaign) is empty in a row of %s", what, s.cols[2].name, r.Date.Format("2006-01-02"))
	}
	r.Platform, r.Campaign = platformID(kind, p), c
	r.Account, r.Category, r.Region = s.label(s.account), s.label(s.category), s.label(s.region)
	r.CampaignType = strings.ToLower(s.label(s.ctype))
	if s.revenue >= 0 {
		r.Revenue = s.num[s.revenue].Float64
	}
	return r, nil
}
