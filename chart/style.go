package chart

import "image/color"

// Size of a chart in logical pixels; the image is drawn at scale× that.
const (
	chartWidth  = 800
	chartHeight = 450
	scale       = 2
)

// Margins and rows of the layout, in logical pixels.
const (
	marginX      = 28
	titleY       = 30  // middle of the title line
	subtitleY    = 52  // middle of the subtitle line
	legendGap    = 22  // extra height of a legend row under the subtitle
	plotTop      = 78  // top of the plot when there is no legend row
	axisBelow    = 34  // room under the plot for the category or time axis
	bottomMargin = 16  // room under the axis labels
	maxLabelW    = 190 // widest category label of a bar chart
)

// Limits on what one chart shows.
const (
	maxBars   = 25
	maxPoints = 400
	maxSeries = 6
)

// Font sizes in logical pixels.
const (
	titleSize = 17
	subSize   = 12.5
	labelSize = 11.5
)

var (
	colText  = color.RGBA{0x1f, 0x29, 0x37, 0xff}
	colMuted = color.RGBA{0x6b, 0x72, 0x80, 0xff}
	colFaint = color.RGBA{0xa8, 0xae, 0xb8, 0xff}
	colGrid  = color.RGBA{0xe9, 0xeb, 0xef, 0xff}
	colAxis  = color.RGBA{0xb4, 0xb9, 0xc2, 0xff}
)

// palette colors series in order; the first is the colour of every
// single-series chart.
var palette = []color.RGBA{
	{0x2f, 0x6b, 0xde, 0xff}, // blue
	{0xf0, 0x8c, 0x2e, 0xff}, // orange
	{0x2f, 0xa3, 0x7a, 0xff}, // green
	{0xd9, 0x48, 0x5f, 0xff}, // red
	{0x8a, 0x5c, 0xd1, 0xff}, // purple
	{0x1f, 0xa2, 0xb8, 0xff}, // teal
	{0xc9, 0xa2, 0x27, 0xff}, // mustard
	{0x7a, 0x86, 0x99, 0xff}, // slate
}

// seriesColor is the colour of the i-th series.
func seriesColor(i int) color.RGBA { return palette[i%len(palette)] }

// lighter mixes c with white; the compared period is drawn in the lighter
// shade of the current one.
func lighter(c color.RGBA, amount float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*amount + 0.5) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}
