package ingest

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// number is one parsed numeric cell.
type number struct {
	v      float64
	empty  bool   // blank, "--", "N/A": nothing reported
	pct    bool   // written as a percentage; v is already divided by 100
	symbol string // the currency symbol or code written in the cell, if any
}

var errNotNumber = errors.New("not a number")

// parseNumber reads a number as ad platforms print it: plain ("1234.5"),
// with thousands separators and a currency ("$1,234.50", "€12", "12.00 USD"),
// negative in parentheses ("(12.00)"), as a percentage ("2.5%") or empty
// ("", "--", "N/A"). A comma is only accepted as a thousands separator in
// groups of three, so a decimal comma ("12,30") is refused, never misread.
func parseNumber(s string) (number, error) {
	if isPlainNumber(s) {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && !math.IsInf(v, 0) {
			return number{v: v}, nil
		}
	}
	return parseMessyNumber(s)
}

// isPlainNumber reports whether s holds only what strconv.ParseFloat reads as
// a finite decimal, so the common case skips the slow path.
func isPlainNumber(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '.') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// currencySymbols maps a symbol written in a cell to the currencies it may
// stand for.
var currencySymbols = map[string][]string{
	"$":   {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"},
	"US$": {"USD"},
	"€":   {"EUR"},
	"£":   {"GBP"},
	"¥":   {"JPY", "CNY"},
	"₹":   {"INR"},
}

func parseMessyNumber(s string) (number, error) {
	var n number
	s = trimSpace(s)
	switch strings.ToLower(s) {
	case "", "-", "--", "—", "–", "n/a", "na", "null", "none":
		n.empty = true
		return n, nil
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, trimSpace(s[1:len(s)-1])
	}
	s, neg = stripSign(s, neg)
	s, n.symbol = stripCurrency(s)
	s, neg = stripSign(s, neg)
	if strings.HasSuffix(s, "%") {
		n.pct, s = true, trimSpace(s[:len(s)-1])
	}
	var buf [64]byte
	digits, ok := cleanDigits(buf[:0], s)
	if !ok {
		return n, errNotNumber
	}
	v, err := strconv.ParseFloat(string(digits), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return n, errNotNumber
	}
	if neg {
		v = -v
	}
	if n.pct {
		v /= 100
	}
	n.v = v
	return n, nil
}

func stripSign(s string, neg bool) (string, bool) {
	switch {
	case strings.HasPrefix(s, "-"):
		return trimSpace(s[1:]), !neg
	case strings.HasPrefix(s, "−"): // U+2212 minus sign
		return trimSpace(s[len("−"):]), !neg
	case strings.HasPrefix(s, "+"):
		return trimSpace(s[1:]), neg
	}
	return s, neg
}

// stripCurrency removes a currency symbol or a three-letter code written
// before or after the amount.
func stripCurrency(s string) (rest, symbol string) {
	for _, sym := range []string{"US$", "$", "€", "£", "¥", "₹"} {
		if strings.HasPrefix(s, sym) {
			return trimSpace(s[len(sym):]), sym
		}
		if strings.HasSuffix(s, sym) {
			return trimSpace(s[:len(s)-len(sym)]), sym
		}
	}
	if len(s) > 4 && isUpperCode(s[:3]) && s[3] == ' ' {
		return trimSpace(s[4:]), s[:3]
	}
	if len(s) > 4 && isUpperCode(s[len(s)-3:]) && s[len(s)-4] == ' ' {
		return trimSpace(s[:len(s)-4]), s[len(s)-3:]
	}
	return s, ""
}

func isUpperCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// cleanDigits appends s to dst without its thousands separators, checking
// that they group the integer part in threes.
func cleanDigits(dst []byte, s string) ([]byte, bool) {
	if s == "" || len(s) > cap(dst) {
		return dst, false
	}
	intEnd := strings.IndexAny(s, ".eE")
	if intEnd < 0 {
		intEnd = len(s)
	}
	group, sawComma, digits := 0, false, 0
	for i := 0; i < intEnd; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			dst = append(dst, c)
			group++
			digits++
		case c == ',':
			if group == 0 || (sawComma && group != 3) || (!sawComma && group > 3) {
				return dst, false
			}
			sawComma, group = true, 0
		default:
			return dst, false
		}
	}
	if sawComma && group != 3 {
		return dst, false
	}
	rest := s[intEnd:]
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return dst, false
		}
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if digits == 0 {
		return dst, false
	}
	return append(dst, rest...), true
}

// trimSpace trims ASCII white space and the no-break spaces spreadsheets
// put around numbers.
func trimSpace(s string) string {
	for len(s) > 0 {
		c := s[0]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			s = s[1:]
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s)
			if r == '\u00a0' || r == '\u202f' || r == '\ufeff' || r == '\u200b' {
				s = s[size:]
				continue
			}
		}
		break
	}
	for len(s) > 0 {
		c := s[len(s)-1]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			s = s[:len(s)-1]
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeLastRuneInString(s)
			if r == '\u00a0' || r == '\u202f' || r == '\ufeff' || r == '\u200b' {
				s = s[:len(s)-size]
				continue
			}
		}
		break
	}
	return s
}

var errNotDate = errors.New("not a date")

// parseDate reads the dates platforms export: ISO "2026-11-01" (a time of day
// after it is ignored), "2026/11/01", US-ordered "11/1/2026", and month names
// "Nov 01, 2026", "November 1, 2026", "1 Nov 2026", "01-Nov-2026", with or
// without a weekday in front.
func parseDate(s string) (time.Time, error) {
	s = trimSpace(s)
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
		y, ok1 := atoi(s[0:4])
		m, ok2 := atoi(s[5:7])
		d, ok3 := atoi(s[8:10])
		if ok1 && ok2 && ok3 {
			return makeDate(y, m, d)
		}
		return time.Time{}, errNotDate
	}
	if i := strings.IndexByte(s, ' '); i > 0 && strings.Count(s[:i], "/") == 2 {
		s = s[:i] // "11/1/2026 12:00:00 AM"
	}
	if parts := strings.Split(s, "/"); len(parts) == 3 {
		a, ok1 := atoi(parts[0])
		b, ok2 := atoi(parts[1])
		c, ok3 := atoi(parts[2])
		if !(ok1 && ok2 && ok3) {
			return time.Time{}, errNotDate
		}
		if len(parts[0]) == 4 {
			return makeDate(a, b, c) // 2026/11/01
		}
		if len(parts[2]) == 2 {
			c += 2000
		}
		if len(parts[2]) != 4 && len(parts[2]) != 2 {
			return time.Time{}, errNotDate
		}
		return makeDate(c, a, b) // US order: month/day/year
	}
	return parseNamedDate(s)
}

// parseNamedDate reads dates that spell the month out.
func parseNamedDate(s string) (time.Time, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' || r == '.' })
	y, m, d := 0, 0, 0
	for _, f := range fields {
		if n, ok := atoi(f); ok {
			switch {
			case len(f) == 4 && y == 0:
				y = n
			case len(f) <= 2 && d == 0:
				d = n
			default:
				return time.Time{}, errNotDate
			}
			continue
		}
		if mm := monthNumber(f); mm > 0 && m == 0 {
			m = mm
			continue
		}
		if isWeekday(f) {
			continue
		}
		return time.Time{}, errNotDate
	}
	if y == 0 || m == 0 || d == 0 {
		return time.Time{}, errNotDate
	}
	return makeDate(y, m, d)
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

func monthNumber(s string) int {
	if len(s) < 3 {
		return 0
	}
	l := strings.ToLower(s)
	for i, name := range monthNames {
		if l == name || l == name[:3] || (l == "sept" && i == 8) {
			return i + 1
		}
	}
	return 0
}

func isWeekday(s string) bool {
	l := strings.ToLower(s)
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		if l == d || l == d[:3] {
			return true
		}
	}
	return false
}

func makeDate(y, m, d int) (time.Time, error) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, errNotDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, errNotDate // 2026-02-30
	}
	return t, nil
}

// atoi reads a short run of ASCII digits.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseMonth reads a budget month: "2026-11", "2026/11", "11/2026",
// "Nov 2026", "November 2026", or the first day of it as a date.
func parseMonth(s string) (time.Time, error) {
	s = trimSpace(s)
	if len(s) == 7 && (s[4] == '-' || s[4] == '/') {
		y, ok1 := atoi(s[:4])
		m, ok2 := atoi(s[5:])
		if ok1 && ok2 {
			return makeDate(y, m, 1)
		}
	}
	if i := strings.IndexByte(s, '/'); i > 0 && strings.Count(s, "/") == 1 {
		m, ok1 := atoi(s[:i])
		y, ok2 := atoi(s[i+1:])
		if ok1 && ok2 && len(s[i+1:]) == 4 {
			return makeDate(y, m, 1)
		}
	}
	if f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' }); len(f) == 2 {
		if m := monthNumber(f[0]); m > 0 {
			if y, ok := atoi(f[1]); ok && len(f[1]) == 4 {
				return makeDate(y, m, 1)
			}
		}
	}
	t, err := parseDate(s)
	if err != nil || t.Day() != 1 {
		return time.Time{}, errNotDate
	}
	return t, nil
}

// parseBool reads a yes/no cell; ok is false for anything else.
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(trimSpace(s)) {
	case "true", "yes", "y", "1", "t":
		return true, true
	case "false", "no", "n", "0", "f":
		return false, true
	}
	return false, false
}

// parseFloat is strconv.ParseFloat refusing infinities.
func parseFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && math.IsInf(v, 0) {
		return 0, errNotNumber
	}
	return v, err
}
