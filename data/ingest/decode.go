package ingest

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

const (
	maxBufSize = 256 << 10
	sampleSize = 64 << 10
)

// decode turns a file's bytes into UTF-8 text without a byte-order mark:
// UTF-8 with or without BOM as it is, UTF-16 (Google Ads' Excel download) and,
// when the text is not valid UTF-8, Windows-1252 (what Excel saves as "CSV").
// It returns the text and the field delimiter sniffed from its start. size,
// when known, keeps the buffers of small files small.
func decode(r io.Reader, size int64) (*bufio.Reader, rune) {
	bufSize := maxBufSize
	if size > 0 && size < maxBufSize/4 {
		bufSize = max(int(size)*4+64, 4096) // UTF-16 may double, Windows-1252 triple
	}
	br := bufio.NewReaderSize(r, bufSize)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), bufSize)
	case len(head) == 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0:
		dec := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), bufSize)
	}
	sample, _ := br.Peek(sampleSize)
	if !validUTF8Prefix(sample) {
		br = bufio.NewReaderSize(transform.NewReader(br, charmap.Windows1252.NewDecoder()), bufSize)
		sample, _ = br.Peek(sampleSize)
	}
	return br, sniffDelimiter(sample)
}

// validUTF8Prefix is utf8.Valid, forgiving a rune cut off at the end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		r, _ := utf8.DecodeLastRune(b)
		if r != utf8.RuneError {
			return false
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// sniffDelimiter picks comma, tab or semicolon: the one that splits the
// most lines of the sample into the same number of fields, counting only
// delimiters outside quotes. Title lines above the header and thousands
// separators inside quoted numbers do not sway it.
func sniffDelimiter(sample []byte) rune {
	delims := [3]byte{',', '\t', ';'}
	var counts [3]map[int]int // delimiters on a line → lines
	for i := range counts {
		counts[i] = map[int]int{}
	}
	for len(sample) > 0 {
		line := sample
		if i := bytes.IndexByte(sample, '\n'); i >= 0 {
			line, sample = sample[:i], sample[i+1:]
		} else {
			sample = nil
		}
		for i, d := range delims {
			if n := countUnquoted(line, d); n > 0 {
				counts[i][n]++
			}
		}
	}
	best, bestScore := 0, 0
	for i := range delims {
		mode, lines := 0, 0
		for n, l := range counts[i] {
			if l > lines || (l == lines && n > mode) {
				mode, lines = n, l
			}
		}
		if score := mode * lines; score > bestScore {
			best, bestScore = i, score
		}
	}
	return rune(delims[best])
}

// countUnquoted counts d in line outside double-quoted fields.
func countUnquoted(line []byte, d byte) int {
	n, quoted := 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d && !quoted:
			n++
		}
	}
	return n
}
