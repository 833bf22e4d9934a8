package curves

import (
	"fmt"
	"math"
)

// Cap is how far a plan may move a platform's spend: within ±30% of its
// current spend, and never outside the weekly spend it has had.
const Cap = 0.30

// steps is how many fixed steps a reallocation of a given amount takes.
const steps = 20

// Move is one platform's part in a plan, over the planning period.
type Move struct {
	Platform string
	// Spend is the current spend over the period (the latest weeks' pace);
	// Move the change planned.
	Spend, Move float64
	// MROAS is the return of the next dollar at current spend.
	MROAS float64
	// Change is the expected change in outcome from the move; Low and High
	// bound it (the bootstrap's 5th and 95th percentiles).
	Change, Low, High float64
}

// Left is a platform left out of a plan, and why.
type Left struct{ Platform, Reason string }

// Plan is a set of moves and what they are expected to change.
type Plan struct {
	Weeks float64 // the planning period, in weeks
	Moves []Move
	Left  []Left
	// Change, Low and High are the expected change in outcome over the
	// period, all moves together.
	Change, Low, High float64
	// Limited names the platforms stopped by a cap or by their spend range.
	Limited []string
	// Held names the platforms kept at their spend because their curve is
	// on another basis than the ones the plan weighs (holdApart).
	Held []string
}

// Moved is the money the plan moves: the sum of its increases.
func (p Plan) Moved() float64 {
	t := 0.0
	for _, m := range p.Moves {
		if m.Move > 0 {
			t += m.Move
		}
	}
	return t
}

// bounds is the weekly spend a plan may take c to.
func (c Curve) bounds() (lo, hi float64) {
	return math.Max((1-Cap)*c.Current, c.Min), math.Min((1+Cap)*c.Current, c.Max)
}

// Reallocate moves up to amount (over a planning period of weeks weeks;
// 0 moves as much as raises the outcome) between the usable curves, in
// fixed steps: each step takes from the platform whose last dollars return
// least and gives to the one whose next dollars return most, while that
// raises the outcome. The moves sum to zero.
func Reallocate(cs []Curve, amount, weeks float64) Plan { return greedy(cs, amount, weeks, false) }

// Add places amount of new money (over a planning period of weeks weeks) in
// fixed steps, each where the next dollars return most, within the same
// caps; what the caps leave unplaced is not placed.
func Add(cs []Curve, amount, weeks float64) Plan { return greedy(cs, amount, weeks, true) }

func greedy(cs []Curve, amount, weeks float64, add bool) Plan {
	p := Plan{Weeks: weeks}
	var use []Curve
	total := 0.0
	for _, c := range cs {
		if !c.Usable() {
			p.Left = append(p.Left, Left{c.Platform, c.Reason})
			continue
		}
		use = append(use, c)
		total += c.Current
	}
	x := make([]float64, len(use))
	for i, c := range use {
		x[i] = c.Current
	}
	held := holdApart(use, add)
	free := 0
	for i := range use {
		if !held[i] {
			free++
		}
	}
	// Steps of a twentieth of the amount, but no bigger than a hundredth of
	// the weekly spend, so a large amount still moves in steps the caps
	// can take.
	step, limit := amount/weeks/steps, steps
	switch {
	case amount <= 0 && !add:
		step, limit = total/100, math.MaxInt
	case step > total/100 && total > 0:
		step = total / 100
		limit = int(math.Ceil(amount / weeks / step))
		step = amount / weeks / float64(limit)
	}
	limited := map[string]bool{}
	for n := 0; n < limit && step > 0 && (add && free > 0 || free > 1); n++ {
		give, take, ok := -1, -1, false
		best := 0.0
		// Money moves between curves of one basis only: each basis finds
		// its best pair, and the step goes to the pair whose gain is the
		// largest multiple of its loss (a ratio, the same on either basis).
		for _, incremental := range []bool{false, true} {
			g, tk, gain, loss := bestPair(use, x, held, incremental, step, add, limited)
			if g < 0 || !add && (tk < 0 || g == tk || gain <= loss*1.01) {
				continue
			}
			r := gain
			if !add {
				r = math.Inf(1)
				if loss > 0 {
					r = gain / loss
				}
			}
			if !ok || r > best {
				give, take, best, ok = g, tk, r, true
			}
		}
		if !ok {
			break
		}
		x[give] += step
		if !add {
			x[take] -= step
		}
	}
	for i, c := range use {
		m := Move{Platform: c.Platform, Spend: c.Current * weeks, Move: (x[i] - c.Current) * weeks, MROAS: c.Marginal(c.Current)}
		if math.Abs(m.Move) < 1e-6*c.Current*weeks {
			m.Move = 0
		}
		p.Moves = append(p.Moves, m)
		if held[i] {
			p.Held = append(p.Held, c.Platform)
		} else if limited[c.Platform] {
			p.Limited = append(p.Limited, c.Platform)
		}
	}
	p.expect(use, x)
	return p
}

// holdApart marks the curves a plan keeps at their spend because of their
// basis. A curve anchored to an experiment is in incremental revenue, one
// without in what the platform reports, which can be several times more:
// weighing one against the other would move money to whichever platform
// overstates most. So a reallocation moves money only between curves of
// one basis (one with no other curve of its basis stays), and new money
// goes only where an experiment measured the return, when any did.
func holdApart(use []Curve, add bool) []bool {
	held := make([]bool, len(use))
	inc := 0
	for _, c := range use {
		if c.Anchor != nil {
			inc++
		}
	}
	if inc == 0 || inc == len(use) {
		return held
	}
	for i, c := range use {
		anchored := c.Anchor != nil
		switch {
		case add:
			held[i] = !anchored
		case anchored:
			held[i] = inc < 2
		default:
			held[i] = len(use)-inc < 2
		}
	}
	return held
}

// bestPair is, among the curves of one basis not held, the one whose next
// step of spend returns most (give) and, unless adding, the one whose last
// step returns least (take), with what each returns.
func bestPair(use []Curve, x []float64, held []bool, incremental bool, step float64, add bool, limited map[string]bool) (give, take int, gain, loss float64) {
	give, take = -1, -1
	for i, c := range use {
		if held[i] || (c.Anchor != nil) != incremental {
			continue
		}
		lo, hi := c.bounds()
		if x[i]+step <= hi+1e-9 {
			if g := c.Response(x[i]+step) - c.Response(x[i]); give < 0 || g > gain {
				give, gain = i, g
			}
		} else {
			limited[c.Platform] = true
		}
		if add {
			continue
		}
		if x[i]-step >= lo-1e-9 {
			if l := c.Response(x[i]) - c.Response(x[i]-step); take < 0 || l < loss {
				take, loss = i, l
			}
		} else {
			limited[c.Platform] = true
		}
	}
	return give, take, gain, loss
}

// ErrOutOfRange is returned by Scenario for a spend the platform has never
// had: the curve cannot say what it would return.
type ErrOutOfRange struct {
	Platform      string
	Weekly        float64 // the weekly spend asked about
	Min, Max      float64 // the weekly spend it has had
	Below, Beyond bool
}

func (e *ErrOutOfRange) Error() string {
	return fmt.Sprintf("%s: weekly spend %.0f is outside the %.0f to %.0f it has had", e.Platform, e.Weekly, e.Min, e.Max)
}

// Scenario changes one platform's spend by factor (0.8 cuts it by 20%) over
// a planning period of weeks weeks. The other platforms keep theirs, so the
// moves do not sum to zero. A spend outside what the platform has had is an
// *ErrOutOfRange; an unusable curve is in Left.
func Scenario(cs []Curve, platform string, factor, weeks float64) (Plan, error) {
	p := Plan{Weeks: weeks}
	for _, c := range cs {
		if c.Platform != platform {
			continue
		}
		if !c.Usable() {
			p.Left = append(p.Left, Left{c.Platform, c.Reason})
			return p, nil
		}
		to := c.Current * factor
		if to < c.Min*(1-1e-9) || to > c.Max*(1+1e-9) {
			return p, &ErrOutOfRange{Platform: platform, Weekly: to, Min: c.Min, Max: c.Max, Below: to < c.Min, Beyond: to > c.Max}
		}
		p.Moves = []Move{{Platform: platform, Spend: c.Current * weeks, Move: (to - c.Current) * weeks, MROAS: c.Marginal(c.Current)}}
		p.expect([]Curve{c}, []float64{to})
		return p, nil
	}
	return p, fmt.Errorf("scenario: no curve for %s", platform)
}

// expect fills in the expected change of each move and of the plan, with
// ranges from the bootstrap draws (the same draw for every platform at once).
func (p *Plan) expect(use []Curve, x []float64) {
	nd := 0
	for _, c := range use {
		nd = max(nd, len(c.draws))
	}
	totals := make([]float64, nd)
	for i, c := range use {
		m := &p.Moves[i]
		m.Change = (c.Response(x[i]) - c.Response(c.Current)) * p.Weeks
		p.Change += m.Change
		each := make([]float64, len(c.draws))
		for j, d := range c.draws {
			each[j] = (c.responseDraw(d, x[i]) - c.responseDraw(d, c.Current)) * p.Weeks
			totals[j] += each[j]
		}
		m.Low, m.High = interval(each, m.Change)
	}
	p.Low, p.High = interval(totals, p.Change)
}

// interval is the 5th to 95th percentile of draws, widened to hold the
// point estimate.
func interval(draws []float64, point float64) (lo, hi float64) {
	if len(draws) == 0 {
		return point, point
	}
	lo, hi = percentile(draws, 0.05), percentile(draws, 0.95)
	return math.Min(lo, point), math.Max(hi, point)
}
