package curves

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// Week is one Monday week of a platform's history.
type Week struct {
	Start   time.Time // the Monday
	Spend   float64
	Outcome float64 // revenue (or conversions) the platform reports
}

// Day is one day of a platform's history, for Weekly.
type Day struct {
	Date           time.Time
	Spend, Outcome float64
}

// Weekly sums days into the Monday weeks lying wholly within from..to (both
// included); a day with no row counts as nothing spent.
func Weekly(days []Day, from, to time.Time) []Week {
	first := monday(from)
	if !first.Equal(from) {
		first = first.AddDate(0, 0, 7)
	}
	n := 0
	for w := first; !w.AddDate(0, 0, 6).After(to); w = w.AddDate(0, 0, 7) {
		n++
	}
	out := make([]Week, n)
	for i := range out {
		out[i].Start = first.AddDate(0, 0, 7*i)
	}
	for _, d := range days {
		i := int(d.Date.Sub(first).Hours()/24) / 7
		if d.Date.Before(first) || i >= n {
			continue
		}
		out[i].Spend += d.Spend
		out[i].Outcome += d.Outcome
	}
	return out
}

func monday(d time.Time) time.Time {
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// Anchor is a significant experiment's measure of a platform's incremental
// return: incremental outcome per dollar over the test window, and the
// interval around it.
type Anchor struct {
	Test          string
	Start, End    time.Time
	IROAS         float64
	CILow, CIHigh float64
}

// Options set how curves are fitted; DefaultOptions is what answers use.
type Options struct {
	// MinWeeks is the fewest weeks of history a curve is fitted on.
	MinWeeks int
	// Folds and Horizon are the rolling-origin cross-validation: Folds
	// origins, Horizon weeks apart, each scored on the Horizon weeks after it.
	Folds, Horizon int
	// MaxError is the largest cross-validated error (weighted absolute
	// percentage error of held-out weeks) a curve may have and still be
	// used for moves.
	MaxError float64
	// MinVariation is how much weekly spend must have varied (highest over
	// lowest of the weeks that spent) for the data to show a curve.
	MinVariation float64
	// Draws and Seed are the bootstrap: resamples of four-week blocks of
	// residuals, from a fixed seed so the same data gives the same range.
	Draws int
	Seed  uint64
	// Baseline fits an outcome that some of comes without spend (base ≥ 0).
	// Platform-reported outcome has none — no ads, nothing to attribute —
	// so answers fit curves through the origin, which pins the curve's
	// level and leaves only its shape to the data.
	Baseline bool
}

// DefaultOptions are the settings answers and reports use.
func DefaultOptions() Options {
	return Options{MinWeeks: 26, Folds: 19, Horizon: 4, MaxError: 0.25, MinVariation: 1.15, Draws: 200, Seed: 16}
}

// The grid the curve's shape is chosen from.
var (
	gridDecay = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}
	gridShape = []float64{0.7, 1, 1.5, 2, 3}
	// gridHalf is the half-saturation point as a multiple of mean weekly
	// spend, in steps of √2: 0.25 is saturated well below it, 8 almost a
	// straight line.
	gridHalf = []float64{0.25, 0.35, 0.5, 0.71, 1, 1.41, 2, 2.83, 4, 5.66, 8}
)

// currentWeeks is how many of the latest weeks "current spend" averages.
const currentWeeks = 4

// Curve is one platform's fitted response.
type Curve struct {
	Platform string
	// Decay, Half and Shape are the adstock decay, the Hill half-saturation
	// point (weekly spend) and its shape.
	Decay, Half, Shape float64
	// Base and Beta are the fitted baseline and scale of the weekly outcome.
	Base, Beta float64
	// Scale turns the attributed response into the incremental one: the
	// anchor's incremental ROAS over the curve's return in the test
	// window; 1 without an anchor.
	Scale  float64
	Anchor *Anchor
	// AnchorNote says why an experiment given was not used, if it was not.
	AnchorNote string
	Weeks      int
	// Error is the cross-validated error of held-out weeks (0.08 is 8%);
	// R2 the share of weekly variation the fit explains in sample.
	Error, R2 float64
	// Current is the mean weekly spend of the latest four weeks, Previous
	// that of the four before; Min and Max the lowest and highest weekly
	// spend of the weeks that spent.
	Current, Previous, Min, Max float64
	// Reason, when set, says why the curve is not fit to plan on.
	Reason string

	// shapes are the grid points cross-validation could not tell apart
	// from the best (the best first); each bootstrap draw refits them all
	// and keeps the one that fits its resample best.
	shapes []gridPoint
	draws  []draw
}

// draw is one bootstrap resample's curve: its shape (an index into
// shapes), base, scale and anchoring.
type draw struct {
	shape             int
	base, beta, scale float64
}

// Usable reports whether moves may rest on the curve.
func (c Curve) Usable() bool { return c.Reason == "" }

// Response is the steady weekly outcome the curve expects from spending x a
// week, beyond the baseline: incremental when anchored.
func (c Curve) Response(x float64) float64 { return c.Scale * c.Beta * hill(x, c.Half, c.Shape) }

// Marginal is the return of the next dollar a week at weekly spend x.
func (c Curve) Marginal(x float64) float64 {
	return c.Scale * c.Beta * hillSlope(x, c.Half, c.Shape)
}

func (c Curve) responseDraw(d draw, x float64) float64 {
	g := c.shapes[d.shape]
	return d.scale * d.beta * hill(x, g.half, g.shape)
}

func hill(x, k, s float64) float64 {
	if x <= 0 {
		return 0
	}
	xs := pow(x/k, s)
	return xs / (1 + xs)
}

// pow is math.Pow with the grid's whole and half shapes done directly.
func pow(r, s float64) float64 {
	switch s {
	case 1:
		return r
	case 1.5:
		return r * math.Sqrt(r)
	case 2:
		return r * r
	case 3:
		return r * r * r
	}
	return math.Pow(r, s)
}

func hillSlope(x, k, s float64) float64 {
	if x <= 0 {
		if s == 1 {
			return 1 / k
		}
		return 0
	}
	xs := math.Pow(x/k, s)
	return s * xs / x / ((1 + xs) * (1 + xs))
}

// adstock carries spend over weeks: a_t = (1-d)·x_t + d·a_{t-1}, starting
// as if the first week's spend had always been spent, so a steady spend x
// has adstock x.
func adstock(dst, spend []float64, d float64) {
	prev := 0.0
	for t, x := range spend {
		if t == 0 {
			prev = x
		}
		prev = (1-d)*x + d*prev
		dst[t] = prev
	}
}

// sums are the running sums a two-variable regression needs.
type sums struct{ n, z, zz, y, zy, yy float64 }

func (s *sums) add(z, y float64) {
	s.n++
	s.z += z
	s.zz += z * z
	s.y += y
	s.zy += z * y
	s.yy += y * y
}

func (s sums) sse(b0, b1 float64) float64 {
	return s.yy - 2*b0*s.y - 2*b1*s.zy + s.n*b0*b0 + 2*b0*b1*s.z + b1*b1*s.zz
}

// nnls fits y ≈ b0 + b1·z with b0, b1 ≥ 0 exactly (b0 = 0 unless base):
// the optimum is the unconstrained one when both are non-negative, else
// lies on a face.
func (s sums) nnls(base bool) (b0, b1 float64) {
	if !base {
		if s.zz > 0 {
			return 0, math.Max(0, s.zy/s.zz)
		}
		return 0, 0
	}
	best := math.Inf(1)
	try := func(a, b float64) {
		if e := s.sse(a, b); e < best {
			best, b0, b1 = e, a, b
		}
	}
	if den := s.n*s.zz - s.z*s.z; den > 1e-12*s.n*s.zz && s.n > 0 {
		b := (s.n*s.zy - s.z*s.y) / den
		a := (s.y - b*s.z) / s.n
		if a >= 0 && b >= 0 {
			try(a, b)
		}
	}
	if s.zz > 0 {
		try(0, math.Max(0, s.zy/s.zz))
	}
	if s.n > 0 {
		try(math.Max(0, s.y/s.n), 0)
	}
	return b0, b1
}

// Fit fits the platform's curve to its weekly history (oldest first),
// scaled by anchor when one is given and its window is in the history.
func Fit(platform string, weeks []Week, anchor *Anchor, opt Options) Curve {
	c := Curve{Platform: platform, Scale: 1, Weeks: len(weeks)}
	spend := make([]float64, len(weeks))
	y := make([]float64, len(weeks))
	mean := 0.0
	for i, w := range weeks {
		spend[i], y[i] = w.Spend, w.Outcome
		mean += w.Spend
	}
	c.Min, c.Max = spendRange(spend)
	if len(weeks) > 0 {
		mean /= float64(len(weeks))
		c.Current = meanLast(spend, currentWeeks)
		if len(spend) >= 2*currentWeeks {
			c.Previous = meanLast(spend[:len(spend)-currentWeeks], currentWeeks)
		}
	}
	switch {
	case len(weeks) < opt.MinWeeks:
		c.Reason = fmt.Sprintf("it has %d weeks of history; a curve needs at least %d", len(weeks), opt.MinWeeks)
		return c
	case c.Current <= 0:
		c.Reason = "it spent nothing in the last four weeks"
		return c
	case c.Max < opt.MinVariation*c.Min:
		c.Reason = fmt.Sprintf("its weekly spend never varied by more than %.0f%%, so the data cannot show how its return changes with spend", (opt.MinVariation-1)*100)
		return c
	}
	c.shapes = chooseShapes(spend, y, mean, opt)
	g := c.shapes[0]
	c.Decay, c.Half, c.Shape, c.Error = g.decay, g.half, g.shape, g.err
	zs := make([][]float64, len(c.shapes))
	for i, g := range c.shapes {
		zs[i] = features(spend, g.decay, g.half, g.shape)
	}
	var s sums
	for t, z := range zs[0] {
		s.add(z, y[t])
	}
	c.Base, c.Beta = s.nnls(opt.Baseline)
	c.R2 = rSquared(s, c.Base, c.Beta)
	c.draws = bootstrap(zs, y, c.Base, c.Beta, opt)
	if anchor != nil {
		c.anchor(*anchor, weeks, zs, opt)
	}
	switch {
	case c.Beta <= 0:
		c.Reason = "its reported outcome does not rise with its spend in the data"
	case c.Error > opt.MaxError:
		c.Reason = fmt.Sprintf("the curve misses held-out weeks by %.0f%% on average (moves need %.0f%% or less)", c.Error*100, opt.MaxError*100)
	}
	return c
}

func spendRange(spend []float64) (lo, hi float64) {
	lo = math.Inf(1)
	for _, x := range spend {
		if x > 0 {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if hi == 0 {
		lo = 0
	}
	return lo, hi
}

func meanLast(xs []float64, n int) float64 {
	n = min(n, len(xs))
	t := 0.0
	for _, x := range xs[len(xs)-n:] {
		t += x
	}
	return t / float64(n)
}

func rSquared(s sums, b0, b1 float64) float64 {
	tot := s.yy - s.y*s.y/s.n
	if tot <= 0 {
		return 0
	}
	return 1 - s.sse(b0, b1)/tot
}

// features is hill(adstock(spend)) for one point of the grid.
func features(spend []float64, decay, half, shape float64) []float64 {
	z := make([]float64, len(spend))
	adstock(z, spend, decay)
	for t, a := range z {
		z[t] = hill(a, half, shape)
	}
	return z
}

type gridPoint struct{ decay, half, shape, err float64 }

// Shape uncertainty: the grid points whose cross-validated error is within
// tieError of the best (at most maxShapes) are kept for the bootstrap.
const (
	tieError  = 0.10
	maxShapes = 8
)

// chooseShapes scores every point of the grid by rolling-origin
// cross-validation and returns the best first, then those the validation
// cannot tell from it; ties go to the earlier point, so the choice is
// deterministic.
func chooseShapes(spend, y []float64, mean float64, opt Options) []gridPoint {
	n := len(spend)
	var origins []int
	for f := opt.Folds; f >= 1; f-- {
		if o := n - f*opt.Horizon; o >= opt.MinWeeks/2 {
			origins = append(origins, o)
		}
	}
	var all []gridPoint
	a := make([]float64, n)
	z := make([]float64, n)
	prefix := make([]sums, n+1)
	for _, d := range gridDecay {
		adstock(a, spend, d)
		for _, s := range gridShape {
			for _, hm := range gridHalf {
				k := hm * mean
				for t := range a {
					z[t] = hill(a[t], k, s)
					prefix[t+1] = prefix[t]
					prefix[t+1].add(z[t], y[t])
				}
				all = append(all, gridPoint{decay: d, half: k, shape: s, err: holdoutError(z, y, prefix, origins, opt.Horizon, opt.Baseline)})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].err < all[j].err })
	out := all[:1]
	for _, g := range all[1:] {
		if len(out) == maxShapes || g.err > all[0].err*(1+tieError) {
			break
		}
		out = append(out, g)
	}
	return slices.Clone(out)
}

// holdoutError fits on the weeks before each origin and sums the absolute
// error of the horizon after it, over the outcome there.
func holdoutError(z, y []float64, prefix []sums, origins []int, h int, base bool) float64 {
	var abs, tot float64
	for _, o := range origins {
		b0, b1 := prefix[o].nnls(base)
		for t := o; t < o+h && t < len(y); t++ {
			abs += math.Abs(y[t] - b0 - b1*z[t])
			tot += math.Abs(y[t])
		}
	}
	if tot == 0 {
		return math.Inf(1)
	}
	return abs / tot
}

// bootstrap resamples four-week blocks of the best fit's residuals onto
// its fitted values; each resample refits base and β for every shape kept
// and takes the one that fits it best, so the range carries the
// uncertainty of the shape as well as of the scale.
func bootstrap(zs [][]float64, y []float64, b0, b1 float64, opt Options) []draw {
	n := len(y)
	fitted := make([]float64, n)
	res := make([]float64, n)
	for t := range y {
		fitted[t] = b0 + b1*zs[0][t]
		res[t] = y[t] - fitted[t]
	}
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(n)))
	const block = 4
	ystar := make([]float64, n)
	out := make([]draw, opt.Draws)
	for i := range out {
		for t := 0; t < n; {
			start := rng.IntN(max(1, n-block+1))
			for j := 0; j < block && t < n; j++ {
				ystar[t] = fitted[t] + res[min(start+j, n-1)]
				t++
			}
		}
		best := math.Inf(1)
		for k, z := range zs {
			var s sums
			for t := range z {
				s.add(z[t], ystar[t])
			}
			a, b := s.nnls(opt.Baseline)
			if e := s.sse(a, b); e < best {
				best, out[i] = e, draw{shape: k, base: a, beta: b, scale: 1}
			}
		}
	}
	return out
}

// anchor scales the curve (and each bootstrap draw) so its return over the
// test window equals the test's incremental ROAS; each draw takes an
// incremental ROAS from the test's interval, read as a 95% one.
func (c *Curve) anchor(an Anchor, weeks []Week, zs [][]float64, opt Options) {
	zw := make([]float64, len(zs)) // each shape's response summed over the window
	var xs float64
	for t, w := range weeks {
		if !w.Start.AddDate(0, 0, 6).Before(an.Start) && !w.Start.After(an.End) {
			for k := range zs {
				zw[k] += zs[k][t]
			}
			xs += w.Spend
		}
	}
	if xs <= 0 || zw[0] <= 0 || c.Beta <= 0 {
		c.AnchorNote = fmt.Sprintf("%s ran outside the history the curve was fitted on, so it could not anchor it", an.Test)
		return
	}
	window := func(k int, beta float64) float64 { return beta * zw[k] / xs }
	c.Scale = an.IROAS / window(0, c.Beta)
	c.Anchor = &an
	sd := (an.CIHigh - an.CILow) / (2 * 1.96)
	if sd < 0 || an.CIHigh == 0 {
		sd = 0
	}
	rng := rand.New(rand.NewPCG(opt.Seed^0x5eed, uint64(len(weeks))))
	for i := range c.draws {
		ir := math.Max(0, an.IROAS+sd*rng.NormFloat64())
		if w := window(c.draws[i].shape, c.draws[i].beta); w > 0 {
			c.draws[i].scale = ir / w
		} else {
			c.draws[i].scale = 0
		}
	}
}

// Predict is the attributed outcome the curve expects for each week of
// spend, continuing the adstock of the history it was fitted on.
func (c Curve) predict(history, next []float64) []float64 {
	all := append(append([]float64(nil), history...), next...)
	a := make([]float64, len(all))
	adstock(a, all, c.Decay)
	out := make([]float64, len(next))
	for i := range next {
		out[i] = c.Base + c.Beta*hill(a[len(history)+i], c.Half, c.Shape)
	}
	return out
}

// percentile is the p-th percentile (0..1) of xs, which it sorts.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	i := p * float64(len(xs)-1)
	lo := int(math.Floor(i))
	hi := min(lo+1, len(xs)-1)
	return xs[lo] + (i-float64(lo))*(xs[hi]-xs[lo])
}
