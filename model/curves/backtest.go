package curves

import (
	"math"
	"time"
)

// Score is how well a curve fitted up to a cut-off predicted the weeks
// after it, at the spend they actually had.
type Score struct {
	Platform string
	// Cut is the index of the first week predicted, Start its Monday;
	// Weeks is how many were predicted.
	Cut, Weeks int
	Start      time.Time
	// Predicted and Actual are the outcome summed over those weeks.
	Predicted, Actual float64
	// Error is the weekly error: absolute errors summed over the actual
	// outcome (0.08 is 8%). TotalError compares the sums.
	Error, TotalError float64
	// Reason says why nothing could be scored.
	Reason string
}

// Backtest fits on weeks[:cut] and predicts weeks[cut:cut+horizon] from
// their actual spend. The curve is the attributed one (no anchor): it is
// scored against what the platform reported.
func Backtest(platform string, weeks []Week, cut, horizon int, opt Options) Score {
	s := Score{Platform: platform, Cut: cut}
	if cut <= 0 || cut >= len(weeks) {
		s.Reason = "no weeks after the cut-off"
		return s
	}
	end := min(cut+horizon, len(weeks))
	s.Start = weeks[cut].Start
	c := Fit(platform, weeks[:cut], nil, opt)
	if c.Beta <= 0 && c.Base <= 0 {
		s.Reason = c.Reason
		if s.Reason == "" {
			s.Reason = "no curve could be fitted"
		}
		return s
	}
	hist := make([]float64, cut)
	for i, w := range weeks[:cut] {
		hist[i] = w.Spend
	}
	next := make([]float64, end-cut)
	for i, w := range weeks[cut:end] {
		next[i] = w.Spend
	}
	pred := c.predict(hist, next)
	var abs float64
	for i, w := range weeks[cut:end] {
		s.Predicted += pred[i]
		s.Actual += w.Outcome
		abs += math.Abs(pred[i] - w.Outcome)
	}
	s.Weeks = end - cut
	if s.Actual > 0 {
		s.Error = abs / s.Actual
		s.TotalError = math.Abs(s.Predicted-s.Actual) / s.Actual
	}
	s.Reason = c.Reason
	return s
}
