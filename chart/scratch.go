package chart

import (
	"image/png"
	"sync"

	"golang.org/x/image/vector"
)

// scratch holds the large buffers a render needs: the image, the line
// masks, the paletted copy and the encoder's. Reusing them across renders
// keeps the garbage collector, not the drawing, from being most of the cost.
type scratch struct {
	pix, mask, paletted []uint8
	runs                []run
	z                   vector.Rasterizer
	enc                 *png.EncoderBuffer
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Get and Put make a scratch the PNG encoder's buffer pool.
func (s *scratch) Get() *png.EncoderBuffer  { return s.enc }
func (s *scratch) Put(b *png.EncoderBuffer) { s.enc = b }
func grow(b []uint8, n int) []uint8 {
	if cap(b) < n {
		return make([]uint8, n)
	}
	return b[:n]
}
