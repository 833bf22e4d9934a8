package ingest

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a one-line bar of the bytes read so far.
type progress struct {
	r     io.Reader
	w     io.Writer
	label string
	total int64 // 0 when unknown
	read  int64
	last  time.Time
	done  bool
}

const progressEvery = 100 * time.Millisecond

func newProgress(r io.Reader, w io.Writer, label string, total int64) *progress {
	return &progress{r: r, w: w, label: label, total: total}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if now := time.Now(); now.Sub(p.last) >= progressEvery {
		p.last = now
		p.draw()
	}
	return n, err
}

func (p *progress) draw() {
	const width = 30
	if p.total <= 0 {
		fmt.Fprintf(p.w, "\r%s %s", p.label, byteSize(p.read))
		return
	}
	read := min(p.read, p.total)
	filled := int(read * width / p.total)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %s/%s", p.label, strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
		read*100/p.total, byteSize(read), byteSize(p.total))
}

// finish draws the last state and ends the line, once; nil is quiet.
func (p *progress) finish() {
	if p == nil || p.done {
		return
	}
	p.done = true
	p.draw()
	fmt.Fprintln(p.w)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
