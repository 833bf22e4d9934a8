package chart

import (
	"errors"
	"fmt"
	"math"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// Bars draws a horizontal bar chart: one bar per label, top to bottom in the
// order given (rank the rows first). When compare is not nil each row gets a
// second, lighter bar under the first, for a prior period. A NaN value is
// missing: it gets no bar and reads "n/a", never a zero.
//
// The first line of title is the heading; further lines make the grey
// subtitle (the period, filters). Past 25 bars only the first 25 are drawn,
// and the subtitle says so.
func Bars(title string, labels []string, values, compare []float64, unit model.Unit) ([]byte, error) {
	return barChart{title: title, labels: labels, values: values, compare: compare, unit: unit, names: defaultNames}.draw()
}

// defaultNames label the two periods of a compared bar chart when the
// caller has no dates to name them by.
var defaultNames = [2]string{"This period", "Prior period"}

// barChart is a bar chart before it is drawn.
type barChart struct {
	title           string
	labels          []string
	values, compare []float64 // NaN is missing; compare may be nil
	unit            model.Unit
	names           [2]string // legend names of values and compare
	vertical        bool      // columns rather than horizontal bars
}

// errNoData is returned when there is nothing to draw.
var errNoData = errors.New("chart: no data")

func (b barChart) check() (barChart, error) {
	if len(b.labels) == 0 {
		return b, errNoData
	}
	if len(b.values) != len(b.labels) {
		return b, fmt.Errorf("chart: %d values for %d labels", len(b.values), len(b.labels))
	}
	if b.compare != nil && len(b.compare) != len(b.labels) {
		return b, fmt.Errorf("chart: %d compare values for %d labels", len(b.compare), len(b.labels))
	}
	if !anyFinite(b.compare) {
		b.compare = nil
	}
	if n := len(b.labels); n > maxBars {
		b.title = withNote(b.title, fmt.Sprintf("top %d of %d", maxBars, n))
		b.labels, b.values = b.labels[:maxBars], b.values[:maxBars]
		if b.compare != nil {
			b.compare = b.compare[:maxBars]
		}
	}
	return b, nil
}

func (b barChart) draw() ([]byte, error) {
	b, err := b.check()
	if err != nil {
		return nil, err
	}
	c, err := newCanvas()
	if err != nil {
		return nil, err
	}
	var legend []legendItem
	if b.compare != nil {
		legend = []legendItem{{name: b.names[0], col: seriesColor(0)}, {name: b.names[1], col: lighter(seriesColor(0), 0.6)}}
	}
	h := c.layoutHeader(b.title, legend)
	if b.vertical {
		c.columns(b, h)
	} else {
		c.bars(b, h)
	}
	return c.encode()
}

// valueLabel writes a bar's value, or "n/a" for a missing one.
func valueLabel(unit model.Unit, v float64) string {
	if !finite(v) {
		return "n/a"
	}
	return wording.Compact(unit, &v)
}

// extent returns the range of the finite values of all slices, stretched to
// include zero: bars start at zero.
func extent(sets ...[]float64) (lo, hi float64) {
	for _, s := range sets {
		for _, v := range s {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// scaleFn maps values in [d0, d1] linearly onto [p0, p1].
func scaleFn(d0, d1, p0, p1 float64) func(float64) float64 {
	return func(v float64) float64 { return p0 + (v-d0)/(d1-d0)*(p1-p0) }
}

// bars draws horizontal bars under the header h. The chart grows taller
// when the rows would be too thin to read.
func (c *canvas) bars(b barChart, h header) {
	n := float64(len(b.labels))
	minRow := 20.0
	if b.compare != nil {
		minRow = 26
	}
	c.start(math.Max(chartHeight, h.top+n*minRow+axisBelow+bottomMargin))
	c.drawHeader(h)
	top, bottom := h.top, c.h-axisBelow-bottomMargin
	rowH := (bottom - top) / n

	labels, labelW := c.fitLabels(b.labels, maxLabelW)
	vals := make([]string, len(b.values))
	for i, v := range b.values {
		vals[i] = valueLabel(b.unit, v)
	}
	ticks, x := c.barScale(b, vals, marginX+labelW+12, c.w-marginX)
	for i, t := range tickLabels(b.unit, ticks) {
		c.vline(x(ticks[i]), top, bottom, colGrid)
		c.text(c.label, x(ticks[i]), bottom+16, t, colMuted, alignCenter)
	}
	for i := range b.labels {
		yc := top + (float64(i)+0.5)*rowH
		c.text(c.label, marginX+labelW, yc, labels[i], colText, alignRight)
		valueY := c.barPair(b, i, x, yc, rowH)
		c.barValue(b.values[i], vals[i], x, valueY)
	}
	c.vline(x(0), top, bottom, colAxis)
}

// fitLabels shortens labels to at most max pixels and returns the widest.
func (c *canvas) fitLabels(labels []string, max float64) ([]string, float64) {
	out := make([]string, len(labels))
	widest := 0.0
	for i, l := range labels {
		out[i] = c.fit(c.label, l, max)
		widest = math.Max(widest, c.measure(c.label, out[i]))
	}
	return out, widest
}

// barValue writes a bar's value past its end, or "n/a" by the zero line.
func (c *canvas) barValue(v float64, label string, x func(float64) float64, y float64) {
	switch {
	case !finite(v):
		c.text(c.label, x(0)+6, y, label, colFaint, alignLeft)
	case v < 0:
		c.text(c.label, x(v)-6, y, label, colText, alignRight)
	default:
		c.text(c.label, x(v)+6, y, label, colText, alignLeft)
	}
}

// barScale fits the value axis between x0 and x1, narrowed just enough
// that the labels beyond the bar ends stay inside: a bar that stops short
// of the last tick needs no room past it.
func (c *canvas) barScale(b barChart, vals []string, x0, x1 float64) ([]float64, func(float64) float64) {
	lo, hi := extent(b.values, b.compare)
	ticks := niceTicks(lo, hi, int(math.Max(2, (x1-x0)/95)))
	left, right := x0, x1
	x := scaleFn(ticks[0], ticks[len(ticks)-1], left, right)
	for range 4 {
		under, over := 0.0, 0.0 // how far labels stick out left and right
		for i, v := range b.values {
			w := c.measure(c.label, vals[i]) + 6
			switch {
			case !finite(v):
			case v < 0:
				under = math.Max(under, x0-(x(v)-w))
			default:
				over = math.Max(over, x(v)+w-x1)
			}
		}
		if under < 0.5 && over < 0.5 {
			break
		}
		left, right = left+math.Max(under, 0), right-math.Max(over, 0)
		x = scaleFn(ticks[0], ticks[len(ticks)-1], left, right)
	}
	return ticks, x
}

// barPair draws row i's bar and, when compared, the lighter bar under it.
// It returns the middle of the main bar, where its value is written.
func (c *canvas) barPair(b barChart, i int, x func(float64) float64, yc, rowH float64) float64 {
	col := seriesColor(0)
	if b.compare == nil {
		bh := math.Min(rowH*0.62, 26)
		if v := b.values[i]; finite(v) {
			c.rect(x(0), yc-bh/2, x(v), yc+bh/2, col)
		}
		return yc
	}
	bh := math.Min(rowH*0.36, 15)
	if v := b.values[i]; finite(v) {
		c.rect(x(0), yc-bh-1, x(v), yc-1, col)
	}
	if v := b.compare[i]; finite(v) {
		c.rect(x(0), yc+1, x(v), yc+1+bh, lighter(col, 0.6))
	}
	return yc - 1 - bh/2
}

// columns draws vertical bars under the header h.
func (c *canvas) columns(b barChart, h header) {
	c.start(chartHeight)
	c.drawHeader(h)
	lo, hi := extent(b.values, b.compare)
	top, bottom := h.top+16, c.h-axisBelow-bottomMargin
	if lo < 0 {
		bottom -= 16
	}
	ticks := niceTicks(lo, hi, 5)
	tl := tickLabels(b.unit, ticks)
	tickW := 0.0
	for _, t := range tl {
		tickW = math.Max(tickW, c.measure(c.label, t))
	}
	x0, x1 := marginX+tickW+10, c.w-marginX
	y := scaleFn(ticks[0], ticks[len(ticks)-1], bottom, top)
	for i, t := range tl {
		c.hline(x0, x1, y(ticks[i]), colGrid)
		c.text(c.label, x0-8, y(ticks[i]), t, colMuted, alignRight)
	}
	slot := (x1 - x0) / float64(len(b.labels))
	for i, l := range b.labels {
		xc := x0 + (float64(i)+0.5)*slot
		c.text(c.label, xc, c.h-axisBelow-bottomMargin+16, c.fit(c.label, l, slot-6), colMuted, alignCenter)
		c.columnPair(b, i, xc, slot, y)
	}
	c.hline(x0, x1, y(0), colAxis)
}

// columnPair draws period i's column, with the lighter compared column to
// its left, and writes its value above (or, when negative, below) it.
func (c *canvas) columnPair(b barChart, i int, xc, slot float64, y func(float64) float64) {
	col := seriesColor(0)
	v := b.values[i]
	cw := math.Min(slot*0.56, 72)
	mid := xc
	if b.compare != nil {
		cw = math.Min(slot*0.34, 48)
		mid = xc + cw/2 + 1.5
		if cv := b.compare[i]; finite(cv) {
			c.rect(xc-cw-1.5, y(0), xc-1.5, y(cv), lighter(col, 0.6))
		}
	}
	label := valueLabel(b.unit, v)
	switch {
	case !finite(v):
		c.text(c.label, mid, y(0)-10, label, colFaint, alignCenter)
	case v < 0:
		c.rect(mid-cw/2, y(0), mid+cw/2, y(v), col)
		c.text(c.label, mid, y(v)+10, label, colText, alignCenter)
	default:
		c.rect(mid-cw/2, y(0), mid+cw/2, y(v), col)
		c.text(c.label, mid, y(v)-10, label, colText, alignCenter)
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func anyFinite(vs []float64) bool {
	for _, v := range vs {
		if finite(v) {
			return true
		}
	}
	return false
}
