package chart

import (
	"fmt"
	"image/color"
	"math"

	"github.com/sowhat-ai/sowhat/model"
)

// Series is one line of a line chart.
type Series struct {
	Name   string
	Values []float64 // one per label; NaN is missing and leaves a gap
}

// Lines draws a line chart: labels along the x axis (periods, oldest
// first), one line per series, in the palette's order, with a legend when
// there is more than one. A missing value (NaN) breaks the line; a point
// with no neighbour is drawn as a dot. Past 400 points only the last 400
// are drawn, and the subtitle says so.
//
// The first line of title is the heading; further lines make the grey
// subtitle.
func Lines(title string, labels []string, series []Series, unit model.Unit) ([]byte, error) {
	lc := lineChart{title: title, labels: labels, unit: unit}
	for i, s := range series {
		lc.series = append(lc.series, lineSeries{Series: s, col: seriesColor(i)})
	}
	return lc.draw()
}

// lineChart is a line chart before it is drawn.
type lineChart struct {
	title  string
	labels []string
	series []lineSeries // the first is drawn on top
	unit   model.Unit
	// ticks are the ways to label the x axis, finest first; nil labels
	// every k-th point.
	ticks []tickSet
}

type lineSeries struct {
	Series
	col color.RGBA
}

// Line sizes, in logical pixels.
const (
	lineWidth = 2.25
	// thinWidth is the width of lines of over denseFrom points, whose
	// wiggles a thick line would blur.
	thinWidth = 1.5
	denseFrom = 120
	dotRadius = 3
	// dotsUpTo is the most points a line marks each of with a dot.
	dotsUpTo = 31
)

func (lc lineChart) check() (lineChart, error) {
	if len(lc.labels) == 0 || len(lc.series) == 0 {
		return lc, errNoData
	}
	for _, s := range lc.series {
		if len(s.Values) != len(lc.labels) {
			return lc, fmt.Errorf("chart: series %q has %d values for %d labels", s.Name, len(s.Values), len(lc.labels))
		}
	}
	if lc.ticks == nil {
		lc.ticks = stepTicks(lc.labels)
	}
	if n := len(lc.labels); n > maxPoints {
		lc.title = withNote(lc.title, fmt.Sprintf("last %d of %d points", maxPoints, n))
		lc.labels = lc.labels[n-maxPoints:]
		if lc.ticks = shiftTicks(lc.ticks, n-maxPoints); len(lc.ticks) == 0 {
			lc.ticks = stepTicks(lc.labels)
		}
		series := make([]lineSeries, len(lc.series))
		for i, s := range lc.series {
			s.Values = s.Values[n-maxPoints:]
			series[i] = s
		}
		lc.series = series
	}
	return lc, nil
}

func (lc lineChart) draw() ([]byte, error) {
	lc, err := lc.check()
	if err != nil {
		return nil, err
	}
	c, err := newCanvas()
	if err != nil {
		return nil, err
	}
	var legend []legendItem
	if len(lc.series) > 1 {
		for _, s := range lc.series {
			legend = append(legend, legendItem{name: s.Name, col: s.col, line: true})
		}
	}
	h := c.layoutHeader(lc.title, legend)
	c.start(chartHeight)
	c.drawHeader(h)
	c.lines(lc, h.top)
	return c.encode()
}

// lineExtent is the range of a line chart's y axis: the data's, stretched
// to zero unless the data vary too little for a zero baseline to show
// anything (under a sixth of their size, as spreadsheets do).
func lineExtent(series []lineSeries) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s.Values {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	switch {
	case lo > hi:
		return 0, 1
	case lo > 0 && (hi-lo)/hi >= 1.0/6:
		lo = 0
	case hi < 0 && (hi-lo)/-lo >= 1.0/6:
		hi = 0
	}
	return lo, hi
}

// lines draws the axes and series of lc below top.
func (c *canvas) lines(lc lineChart, top float64) {
	top += 6
	bottom := c.h - axisBelow - bottomMargin
	lo, hi := lineExtent(lc.series)
	ticks := niceTicks(lo, hi, 5)
	tl := tickLabels(lc.unit, ticks)
	tickW := 0.0
	for _, t := range tl {
		tickW = math.Max(tickW, c.measure(c.label, t))
	}
	x0, x1 := marginX+tickW+10, c.w-marginX
	y := scaleFn(ticks[0], ticks[len(ticks)-1], bottom, top)
	for i, t := range tl {
		col := colGrid
		if ticks[i] == 0 || i == 0 {
			col = colAxis
		}
		c.hline(x0, x1, y(ticks[i]), col)
		c.text(c.label, x0-8, y(ticks[i]), t, colMuted, alignRight)
	}
	n := len(lc.labels)
	const inset = 10
	x := func(i int) float64 {
		if n == 1 {
			return (x0 + x1) / 2
		}
		return x0 + inset + float64(i)*(x1-x0-2*inset)/float64(n-1)
	}
	c.timeAxis(lc.ticks, n, x, bottom)
	for i := len(lc.series) - 1; i >= 0; i-- {
		c.fill(seriesPath(lc.series[i].Values, x, y), lc.series[i].col)
	}
}

// timeAxis labels the x axis with the finest ticks that fit, with a
// small mark above each.
func (c *canvas) timeAxis(sets []tickSet, n int, x func(int) float64, bottom float64) {
	spacing := 0.0
	if n > 1 {
		spacing = x(1) - x(0)
	}
	ticks := c.pickTicks(sets, spacing)
	for k, i := range ticks.at {
		w := c.measure(c.label, ticks.labels[k])
		xc := math.Max(marginX/2+w/2, math.Min(c.w-marginX/2-w/2, x(i)))
		c.vline(x(i), bottom, bottom+4, colAxis)
		c.text(c.label, xc, bottom+16, ticks.labels[k], colMuted, alignCenter)
	}
}

// seriesPath is the shape of one series: a line through each run of
// present values, and a dot at each point when there are few of them or
// the point stands alone between gaps.
func seriesPath(vals []float64, x func(int) float64, y func(float64) float64) *path {
	p := &path{}
	width := lineWidth
	if len(vals) > denseFrom {
		width = thinWidth
	}
	var run []pt
	flush := func() {
		if len(run) == 1 {
			p.dot(run[0], dotRadius)
		}
		p.polyline(run, width)
		run = run[:0]
	}
	for i, v := range vals {
		if !finite(v) {
			flush()
			continue
		}
		q := pt{x(i), y(v)}
		run = append(run, q)
		if len(vals) <= dotsUpTo {
			p.dot(q, dotRadius)
		}
	}
	flush()
	return p
}
