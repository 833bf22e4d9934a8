package chart

import (
	"cmp"
	"encoding/binary"
	"image"
	"image/color"
	"slices"
)

// quantize turns an opaque image into one of at most 256 colours: the most
// used ones, every other colour drawn as its nearest among them. A chart is
// flat colour plus anti-aliased edges, so the change is invisible, and a
// paletted PNG is a third of the size and several times faster to encode.
// Ties are broken by colour value, so the result is deterministic.
func quantize(img *image.RGBA, sc *scratch) *image.Paletted {
	sc.runs = pixelRuns(img.Pix, sc.runs[:0])
	runs := sc.runs
	counts := map[uint32]int{}
	for _, r := range runs {
		counts[r.c] += r.n
	}
	colors := make([]uint32, 0, len(counts))
	for c := range counts {
		colors = append(colors, c)
	}
	slices.SortFunc(colors, func(a, b uint32) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return cmp.Compare(a, b)
	})
	kept := colors[:min(len(colors), 256)]
	pal := make(color.Palette, len(kept))
	index := make(map[uint32]uint8, len(colors))
	for i, c := range kept {
		pal[i] = color.RGBA{uint8(c), uint8(c >> 8), uint8(c >> 16), 0xff}
		index[c] = uint8(i)
	}
	for _, c := range colors[len(kept):] {
		index[c] = nearest(kept, c)
	}
	sc.paletted = grow(sc.paletted, len(img.Pix)/4)
	out := &image.Paletted{Pix: sc.paletted, Stride: img.Rect.Dx(), Rect: img.Rect, Palette: pal}
	// The most used colour, the background, is index 0: clear to it and
	// write only the other runs.
	clear(out.Pix)
	i := 0
	for _, r := range runs {
		if idx := index[r.c]; idx != 0 {
			fill(out.Pix[i:i+r.n], idx)
		}
		i += r.n
	}
	return out
}

// run is a stretch of n pixels of colour c (RGBA bytes, little end first).
type run struct {
	c uint32
	n int
}

// pixelRuns appends to runs the runs of one colour of RGBA pixels. Runs may span rows:
// the image has no padding between them.
func pixelRuns(pix []uint8, runs []run) []run {
	if len(pix) == 0 {
		return runs
	}
	cur, n := binary.LittleEndian.Uint32(pix), 0
	for i := 0; i+4 <= len(pix); i += 4 {
		// Most pixels continue a long run: skip them two at a time.
		for pair := uint64(cur) | uint64(cur)<<32; i+8 <= len(pix) && binary.LittleEndian.Uint64(pix[i:]) == pair; i += 8 {
			n += 2
		}
		if i+4 > len(pix) {
			break
		}
		if c := binary.LittleEndian.Uint32(pix[i:]); c != cur {
			runs = append(runs, run{cur, n})
			cur, n = c, 0
		}
		n++
	}
	return append(runs, run{cur, n})
}

// fill sets every byte of b to v, doubling the filled part each step.
func fill(b []uint8, v uint8) {
	if len(b) == 0 {
		return
	}
	b[0] = v
	for k := 1; k < len(b); k *= 2 {
		copy(b[k:], b[:k])
	}
}

// nearest returns the index of the palette colour closest to c.
func nearest(pal []uint32, c uint32) uint8 {
	best, bestD := 0, -1
	for i, p := range pal {
		dr := int(p&0xff) - int(c&0xff)
		dg := int(p>>8&0xff) - int(c>>8&0xff)
		db := int(p>>16&0xff) - int(c>>16&0xff)
		if d := dr*dr + dg*dg + db*db; bestD < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	return uint8(best)
}
