package chart

import (
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// tickSet is one way of labelling a time axis: the points that get a label,
// and their labels.
type tickSet struct {
	at     []int
	labels []string
}

// labelGap is the least space between two axis labels, in logical pixels.
const labelGap = 14

// labelSteps are the spacings, in points, tried for an axis of plain
// labels: round counts of days, weeks and months.
var labelSteps = []int{1, 2, 3, 4, 6, 7, 12, 14, 26, 28, 52, 56, 91, 182, 364}

// stepTicks labels every k-th point, for each k of labelSteps.
func stepTicks(labels []string) []tickSet {
	var sets []tickSet
	for _, k := range labelSteps {
		var s tickSet
		for i := 0; i < len(labels); i += k {
			s.at, s.labels = append(s.at, i), append(s.labels, labels[i])
		}
		sets = append(sets, s)
		if k >= len(labels) {
			break
		}
	}
	return sets
}

// dateTicks labels dated periods on calendar boundaries, finest first:
// every day, week or month, then the first period of every month, two
// months, quarter, half year and year.
func dateTicks(dates []time.Time, grain string) []tickSet {
	dayLayout := "Jan 2"
	if dates[0].Year() != dates[len(dates)-1].Year() {
		dayLayout = "Jan 2 '06"
	}
	var sets []tickSet
	add := func(keep func(i int, t time.Time) bool, layout string) {
		var s tickSet
		for i, t := range dates {
			if keep(i, t) {
				s.at, s.labels = append(s.at, i), append(s.labels, t.Format(layout))
			}
		}
		if len(s.at) > 0 {
			sets = append(sets, s)
		}
	}
	var steps []int
	switch grain {
	case model.DimDay:
		steps = []int{1, 2, 3, 7, 14}
	case model.DimWeek:
		steps = []int{1, 2}
	}
	for _, k := range steps {
		add(func(i int, _ time.Time) bool { return i%k == 0 }, dayLayout)
	}
	// A period opens a month when it is the first to start in it.
	opens := func(i int, t time.Time) bool {
		if i == 0 {
			return t.Day() == 1 || grain == model.DimWeek && t.Day() <= 7
		}
		return t.Month() != dates[i-1].Month()
	}
	for _, k := range []int{1, 2, 3, 6, 12} {
		add(func(i int, t time.Time) bool { return opens(i, t) && (int(t.Month())-1)%k == 0 }, "Jan 2006")
	}
	return sets
}

// pickTicks returns the finest tick set whose labels do not overlap with
// points spacing pixels apart, thinning the coarsest when none fits.
func (c *canvas) pickTicks(sets []tickSet, spacing float64) tickSet {
	for _, s := range sets {
		if c.ticksFit(s, spacing) {
			return s
		}
	}
	last := sets[len(sets)-1]
	for k := 2; k < len(last.at); k++ {
		var s tickSet
		for i := 0; i < len(last.at); i += k {
			s.at, s.labels = append(s.at, last.at[i]), append(s.labels, last.labels[i])
		}
		if c.ticksFit(s, spacing) {
			return s
		}
	}
	return tickSet{at: last.at[:1], labels: last.labels[:1]}
}

func (c *canvas) ticksFit(s tickSet, spacing float64) bool {
	for i := 1; i < len(s.at); i++ {
		need := (c.measure(c.label, s.labels[i-1])+c.measure(c.label, s.labels[i]))/2 + labelGap
		if float64(s.at[i]-s.at[i-1])*spacing < need {
			return false
		}
	}
	return true
}

// shiftTicks keeps the ticks at or after point from, renumbered from it.
func shiftTicks(sets []tickSet, from int) []tickSet {
	out := make([]tickSet, 0, len(sets))
	for _, s := range sets {
		var t tickSet
		for i, at := range s.at {
			if at >= from {
				t.at, t.labels = append(t.at, at-from), append(t.labels, s.labels[i])
			}
		}
		if len(t.at) > 0 {
			out = append(out, t)
		}
	}
	return out
}
