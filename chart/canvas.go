package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts, parsed on the first chart (a process that draws none
// does not parse them). A parsed font is safe for concurrent use; the
// faces drawn with are not, so each canvas makes its own.
var (
	regularFont = sync.OnceValue(func() *opentype.Font { return mustParse(goregular.TTF) })
	boldFont    = sync.OnceValue(func() *opentype.Font { return mustParse(gobold.TTF) })
)

func mustParse(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(fmt.Sprintf("chart: parse embedded font: %v", err))
	}
	return f
}

// pt is a point in logical pixels.
type pt struct{ X, Y float64 }

// align says where a text's x position is.
type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// canvas is an image being drawn, addressed in logical pixels.
type canvas struct {
	sc                *scratch
	img               *image.RGBA
	w, h              float64
	title, sub, label font.Face
}

// newCanvas makes the faces a chart is measured and drawn with; start
// allocates the image once the layout knows its height.
func newCanvas() (*canvas, error) {
	c := &canvas{w: chartWidth}
	var err error
	if c.title, err = newFace(boldFont(), titleSize); err != nil {
		return nil, err
	}
	if c.sub, err = newFace(regularFont(), subSize); err != nil {
		return nil, err
	}
	if c.label, err = newFace(regularFont(), labelSize); err != nil {
		return nil, err
	}
	return c, nil
}

// start makes a white image h logical pixels high, in buffers from the
// pool that encode gives back.
func (c *canvas) start(h float64) {
	c.h = h
	c.sc = getScratch()
	r := image.Rect(0, 0, int(c.w*scale), int(h*scale))
	c.sc.pix = grow(c.sc.pix, 4*r.Dx()*r.Dy())
	c.img = &image.RGBA{Pix: c.sc.pix, Stride: 4 * r.Dx(), Rect: r}
	draw.Draw(c.img, r, image.White, image.Point{}, draw.Src)
}

func newFace(f *opentype.Font, size float64) (font.Face, error) {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size * scale, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("chart: font face: %w", err)
	}
	return face, nil
}

// encode writes the image as a paletted PNG and hands the canvas's buffers
// back for the next chart; the canvas is done with. Fast compression keeps
// a chart well under the time budget; flat colour compresses well anyway.
func (c *canvas) encode() ([]byte, error) {
	defer c.release()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: c.sc}
	if err := enc.Encode(&buf, quantize(c.img, c.sc)); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// release returns the canvas's buffers to the pool.
func (c *canvas) release() {
	if c.sc != nil {
		putScratch(c.sc)
		c.sc, c.img = nil, nil
	}
}

// px turns a logical coordinate into a device pixel edge.
func px(v float64) int { return int(math.Round(v * scale)) }

// rect fills the rectangle between two corners, in either order.
func (c *canvas) rect(x0, y0, x1, y1 float64, col color.RGBA) {
	r := image.Rect(px(x0), px(y0), px(x1), px(y1))
	draw.Draw(c.img, r, &image.Uniform{col}, image.Point{}, draw.Src)
}

// hline draws a one-logical-pixel horizontal line centred on y.
func (c *canvas) hline(x0, x1, y float64, col color.RGBA) {
	c.rect(x0, y-0.5, x1, y+0.5, col)
}

// vline draws a one-logical-pixel vertical line centred on x.
func (c *canvas) vline(x, y0, y1 float64, col color.RGBA) {
	c.rect(x-0.5, y0, x+0.5, y1, col)
}

// measure returns a text's width in logical pixels.
func (c *canvas) measure(f font.Face, s string) float64 {
	return float64(font.MeasureString(f, s)) / 64 / scale
}

// text draws s with its cap height centred on y and its x position aligned
// as asked.
func (c *canvas) text(f font.Face, x, y float64, s string, col color.RGBA, a align) {
	switch a {
	case alignCenter:
		x -= c.measure(f, s) / 2
	case alignRight:
		x -= c.measure(f, s)
	}
	capH := float64(f.Metrics().CapHeight) / 64
	d := font.Drawer{
		Dst:  c.img,
		Src:  &image.Uniform{col},
		Face: f,
		Dot:  fixed.P(int(math.Round(x*scale)), int(math.Round(y*scale+capH/2))),
	}
	d.DrawString(s)
}

// fit shortens s with an ellipsis until it is at most max pixels wide.
func (c *canvas) fit(f font.Face, s string, max float64) string {
	if c.measure(f, s) <= max {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest prefix that fits is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if c.measure(f, ellipsis(r[:mid])) <= max {
			lo = mid
		} else {
			hi = mid
		}
	}
	return ellipsis(r[:lo])
}

func ellipsis(r []rune) string { return strings.TrimRight(string(r), " ·-–,") + "…" }

// path collects filled shapes that are drawn at once, anti-aliased.
type path struct {
	polys [][]pt
}

// segment adds a line from a to b of width w.
func (p *path) segment(a, b pt, w float64) {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	p.polys = append(p.polys, []pt{{a.X + nx, a.Y + ny}, {b.X + nx, b.Y + ny}, {b.X - nx, b.Y - ny}, {a.X - nx, a.Y - ny}})
}

// dot adds a disc of radius r at c.
func (p *path) dot(c pt, r float64) {
	const n = 20
	poly := make([]pt, n)
	for i := range poly {
		t := 2 * math.Pi * float64(i) / n
		poly[i] = pt{c.X + r*math.Cos(t), c.Y + r*math.Sin(t)}
	}
	p.polys = append(p.polys, poly)
}

// polyline adds a line through pts, with round joins.
func (p *path) polyline(pts []pt, w float64) {
	for i := 1; i < len(pts); i++ {
		p.segment(pts[i-1], pts[i], w)
	}
	for i := 1; i+1 < len(pts); i++ {
		p.dot(pts[i], w/2)
	}
}

// fill draws the collected shapes in col. Overlapping shapes merge rather
// than cancel: every polygon is added with the same winding.
func (c *canvas) fill(p *path, col color.RGBA) {
	if len(p.polys) == 0 {
		return
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, poly := range p.polys {
		for _, q := range poly {
			minX, minY = math.Min(minX, q.X), math.Min(minY, q.Y)
			maxX, maxY = math.Max(maxX, q.X), math.Max(maxY, q.Y)
		}
	}
	r := image.Rect(int(math.Floor(minX*scale))-1, int(math.Floor(minY*scale))-1, int(math.Ceil(maxX*scale))+1, int(math.Ceil(maxY*scale))+1).Intersect(c.img.Bounds())
	if r.Empty() {
		return
	}
	z := &c.sc.z
	z.Reset(r.Dx(), r.Dy())
	for _, poly := range p.polys {
		if area(poly) < 0 {
			poly = reversed(poly)
		}
		at := func(q pt) (float32, float32) {
			return float32(q.X*scale - float64(r.Min.X)), float32(q.Y*scale - float64(r.Min.Y))
		}
		z.MoveTo(at(poly[0]))
		for _, q := range poly[1:] {
			z.LineTo(at(q))
		}
		z.ClosePath()
	}
	c.sc.mask = grow(c.sc.mask, r.Dx()*r.Dy())
	mask := &image.Alpha{Pix: c.sc.mask, Stride: r.Dx(), Rect: image.Rect(0, 0, r.Dx(), r.Dy())}
	z.DrawOp = draw.Src // every mask pixel is written: no need to clear it
	z.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	c.blend(mask, r.Min, col)
}

// blend paints col through mask onto the image at off. Lines cover little
// of their bounding box, so skipping empty mask pixels is most of the work
// saved over draw.DrawMask.
func (c *canvas) blend(mask *image.Alpha, off image.Point, col color.RGBA) {
	w, h := mask.Rect.Dx(), mask.Rect.Dy()
	for y := range h {
		row := mask.Pix[y*mask.Stride : y*mask.Stride+w]
		dst := c.img.Pix[c.img.PixOffset(off.X, off.Y+y):]
		for x, a := range row {
			if a == 0 {
				continue
			}
			d := dst[4*x : 4*x+4 : 4*x+4]
			if a == 0xff {
				d[0], d[1], d[2], d[3] = col.R, col.G, col.B, 0xff
				continue
			}
			d[0], d[1], d[2] = mix(d[0], col.R, a), mix(d[1], col.G, a), mix(d[2], col.B, a)
		}
	}
}

// mix is dst covered a/255 by src, rounded.
func mix(dst, src, a uint8) uint8 {
	m := uint32(a)
	return uint8((uint32(dst)*(255-m) + uint32(src)*m + 127) / 255)
}

// area is a polygon's signed area (twice it, which is all the sign needs).
func area(poly []pt) float64 {
	var a float64
	for i, q := range poly {
		n := poly[(i+1)%len(poly)]
		a += q.X*n.Y - n.X*q.Y
	}
	return a
}

func reversed(poly []pt) []pt {
	out := make([]pt, len(poly))
	for i, q := range poly {
		out[len(poly)-1-i] = q
	}
	return out
}
