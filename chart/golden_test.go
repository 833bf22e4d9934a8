package chart

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A golden chart matches when it has the same size and its pixels are the
// same but for small differences: anti-aliased edges and text may round
// differently on another machine or Go version, a changed chart does not
// stay within these bounds.
const (
	// channelTolerance is how far (of 255) one channel of a pixel may be
	// off before the pixel counts as differing.
	channelTolerance = 8
	// maxDifferingShare is the share of pixels that may differ.
	maxDifferingShare = 0.001
)

// pixelDiff is how two images of one size differ.
type pixelDiff struct {
	pixels    int         // in each image
	differing int         // pixels with a channel off by more than channelTolerance
	maxDelta  int         // the largest difference of one channel anywhere (0-255)
	first     image.Point // the first differing pixel, in reading order
	got, want color.NRGBA // its colours
}

// within reports whether the images match.
func (d pixelDiff) within() bool {
	return float64(d.differing) <= maxDifferingShare*float64(d.pixels)
}

func (d pixelDiff) String() string {
	s := fmt.Sprintf("%d of %d pixels (%.3f%%, at most %.3f%% allowed) differ by more than %d in a channel; largest channel difference %d",
		d.differing, d.pixels, 100*float64(d.differing)/float64(d.pixels), 100*maxDifferingShare, channelTolerance, d.maxDelta)
	if d.differing > 0 {
		s += fmt.Sprintf("; first at (%d,%d): got %s, want %s", d.first.X, d.first.Y, hex(d.got), hex(d.want))
	}
	return s
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, c.A) }

// comparePixels compares got with want pixel by pixel; images of different
// sizes are an error.
func comparePixels(got, want image.Image) (pixelDiff, error) {
	gb, wb := got.Bounds(), want.Bounds()
	if gb.Size() != wb.Size() {
		return pixelDiff{}, fmt.Errorf("size %dx%d, want %dx%d", gb.Dx(), gb.Dy(), wb.Dx(), wb.Dy())
	}
	g, w := toNRGBA(got), toNRGBA(want)
	d := pixelDiff{pixels: gb.Dx() * gb.Dy()}
	for i := 0; i < len(g.Pix); i += 4 {
		gp, wp := g.Pix[i:i+4:i+4], w.Pix[i:i+4:i+4]
		delta := max(absDiff(gp[0], wp[0]), absDiff(gp[1], wp[1]), absDiff(gp[2], wp[2]), absDiff(gp[3], wp[3]))
		d.maxDelta = max(d.maxDelta, delta)
		if delta > channelTolerance {
			if d.differing == 0 {
				n := i / 4
				d.first = image.Pt(n%gb.Dx(), n/gb.Dx())
				d.got = color.NRGBA{gp[0], gp[1], gp[2], gp[3]}
				d.want = color.NRGBA{wp[0], wp[1], wp[2], wp[3]}
			}
			d.differing++
		}
	}
	return d, nil
}

// toNRGBA returns a copy of img's pixels as non-premultiplied RGBA, row
// after row with no gaps, its origin at (0,0). Decoded charts are
// paletted: their palette is converted once.
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if p, ok := img.(*image.Paletted); ok {
		pal := make([][4]uint8, len(p.Palette))
		for i, c := range p.Palette {
			n := color.NRGBAModel.Convert(c).(color.NRGBA)
			pal[i] = [4]uint8{n.R, n.G, n.B, n.A}
		}
		i := 0
		for y := 0; y < b.Dy(); y++ {
			for _, idx := range p.Pix[y*p.Stride : y*p.Stride+b.Dx()] {
				copy(out.Pix[i:i+4], pal[idx][:])
				i += 4
			}
		}
		return out
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestGolden draws each chart of goldens and compares its pixels with
// testdata/<name>.png; `go test ./chart -update` rewrites the files (look
// at them before committing).
func TestGolden(t *testing.T) {
	for name, draw := range goldens {
		t.Run(name, func(t *testing.T) {
			got, err := draw()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".png")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			d, err := comparePixels(decode(t, got), decode(t, want))
			if err != nil {
				t.Fatalf("%s: %v; run with -update and look at it", path, err)
			}
			if !d.within() {
				t.Errorf("%s differs: %s; run with -update and look at it", path, d)
			}
		})
	}
}

// TestComparePixels: the comparison lets small differences through and
// catches a changed picture, a few badly wrong pixels too many, and
// another size.
func TestComparePixels(t *testing.T) {
	golden := func(name string) image.Image {
		b, err := os.ReadFile(filepath.Join("testdata", name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, b)
	}
	spend := golden("daily_spend")
	bnd := spend.Bounds()
	allowed := int(maxDifferingShare * float64(bnd.Dx()*bnd.Dy()))
	// edit copies spend, changing the first n pixels (in reading order)
	// with f.
	edit := func(n int, f func(c color.NRGBA) color.NRGBA) image.Image {
		img := toNRGBA(spend)
		for i := range n {
			p := img.Pix[4*i : 4*i+4]
			c := f(color.NRGBA{p[0], p[1], p[2], p[3]})
			p[0], p[1], p[2], p[3] = c.R, c.G, c.B, c.A
		}
		return img
	}
	nudge := func(c color.NRGBA) color.NRGBA { // off by the tolerance, whichever way fits
		if c.R >= channelTolerance {
			c.R -= channelTolerance
		} else {
			c.R += channelTolerance
		}
		return c
	}
	spoil := func(c color.NRGBA) color.NRGBA { c.R ^= 0x80; return c } // off by 128
	tests := []struct {
		name      string
		got       image.Image
		match     bool
		differing int    // when it is known
		says      string // in the failure message
	}{
		{"the same picture", spend, true, 0, ""},
		{"every pixel off by the tolerance", edit(bnd.Dx()*bnd.Dy(), nudge), true, 0, ""},
		{"as many wrong pixels as allowed", edit(allowed, spoil), true, allowed, ""},
		{"one wrong pixel too many", edit(allowed+1, spoil), false, allowed + 1, "largest channel difference 128"},
		{"another chart", golden("platform_roas"), false, -1, "first at ("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := comparePixels(tt.got, spend)
			if err != nil {
				t.Fatal(err)
			}
			if d.within() != tt.match {
				t.Errorf("match = %v, want %v: %s", d.within(), tt.match, d)
			}
			if tt.differing >= 0 && d.differing != tt.differing {
				t.Errorf("%d differing pixels, want %d: %s", d.differing, tt.differing, d)
			}
			if !strings.Contains(d.String(), tt.says) || !strings.Contains(d.String(), fmt.Sprintf("%d of %d pixels", d.differing, d.pixels)) {
				t.Errorf("message %q does not say how many pixels differ, or %q", d, tt.says)
			}
		})
	}
	if _, err := comparePixels(image.NewNRGBA(image.Rect(0, 0, bnd.Dx(), bnd.Dy()-1)), spend); err == nil || !strings.Contains(err.Error(), "want 1600x900") {
		t.Errorf("a picture a row short: error %v, want one naming both sizes", err)
	}
}
