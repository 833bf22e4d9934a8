package chart

import (
	"image/color"
	"strings"
)

// legendItem names one series: a swatch of its colour, then its name.
type legendItem struct {
	name string
	col  color.RGBA
	line bool // a short line for line charts, a square for bars
}

// Sizes of a legend entry, in logical pixels.
const (
	swatchW     = 11
	lineSwatchW = 16
	swatchGap   = 6
	itemGap     = 18
	maxLegendW  = 170
)

// placed is one piece of the header's second line: the subtitle or a legend
// entry, at its position.
type placed struct {
	x, y   float64
	text   string
	legend *legendItem
}

// header is the laid-out top of a chart: the title, then a line holding the
// subtitle and the legend, wrapped onto more lines when it is long.
type header struct {
	title string
	parts []placed
	top   float64 // where the plot area begins
}

// splitTitle cuts a chart title into its bold first line and the rest, the
// subtitle, whose lines are joined with " · ".
func splitTitle(title string) (head, sub string) {
	lines := strings.Split(title, "\n")
	var rest []string
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" {
			rest = append(rest, l)
		}
	}
	return strings.TrimSpace(lines[0]), strings.Join(rest, " · ")
}

// withNote adds a line to a title's subtitle.
func withNote(title, note string) string { return title + "\n" + note }

// layoutHeader places the title, subtitle and legend.
func (c *canvas) layoutHeader(title string, legend []legendItem) header {
	head, sub := splitTitle(title)
	right := c.w - marginX
	h := header{title: c.fit(c.title, head, right-marginX)}
	x, y := float64(marginX), float64(subtitleY)
	if sub != "" {
		sub = c.fit(c.sub, sub, right-marginX)
		h.parts = append(h.parts, placed{x: x, y: y, text: sub})
		x += c.measure(c.sub, sub) + itemGap + 6
	}
	for i := range legend {
		it := legend[i]
		it.name = c.fit(c.label, it.name, maxLegendW)
		w := c.legendWidth(it)
		if x > marginX && x+w > right {
			x, y = marginX, y+legendGap
		}
		h.parts = append(h.parts, placed{x: x, y: y, legend: &it})
		x += w + itemGap
	}
	h.top = plotTop + (y - subtitleY)
	if len(h.parts) == 0 {
		h.top = plotTop - legendGap
	}
	return h
}

func (c *canvas) legendWidth(it legendItem) float64 {
	w := float64(swatchW)
	if it.line {
		w = lineSwatchW
	}
	return w + swatchGap + c.measure(c.label, it.name)
}

// drawHeader draws a laid-out header.
func (c *canvas) drawHeader(h header) {
	c.text(c.title, marginX, titleY, h.title, colText, alignLeft)
	for _, p := range h.parts {
		if p.legend == nil {
			c.text(c.sub, p.x, p.y, p.text, colMuted, alignLeft)
			continue
		}
		it := p.legend
		x := p.x
		if it.line {
			c.rect(x, p.y-1.25, x+lineSwatchW, p.y+1.25, it.col)
			x += lineSwatchW
		} else {
			c.rect(x, p.y-swatchW/2, x+swatchW, p.y+swatchW/2, it.col)
			x += swatchW
		}
		c.text(c.label, x+swatchGap, p.y, it.name, colMuted, alignLeft)
	}
}
