package chart

import (
	"image/png"
	"runtime"

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

// idleScratches keeps the scratches of finished renders for the next ones,
// as many as renders usually run at once (bot draws on half the cores).
// A sync.Pool kept one on each core and another through each collection:
// four of 9-10 MB each on two cores, a fifth of a server's memory under a
// steady 50 questions a second with charts.
var idleScratches = make(chan *scratch, max(1, runtime.GOMAXPROCS(0)/2))

// getScratch returns an idle scratch, or a new one.
func getScratch() *scratch {
	select {
	case s := <-idleScratches:
		return s
	default:
		return new(scratch)
	}
}

// putScratch keeps s for a later render, or lets it go when enough are idle.
func putScratch(s *scratch) {
	select {
	case idleScratches <- s:
	default:
	}
}

// Get and Put make a scratch the PNG encoder's buffer pool.
func (s *scratch) Get() *png.EncoderBuffer  { return s.enc }
func (s *scratch) Put(b *png.EncoderBuffer) { s.enc = b }
func grow(b []uint8, n int) []uint8 {
	if cap(b) < n {
		return make([]uint8, n)
	}
	return b[:n]
}
