package question

import "time"

// periodPair is the period asked about and the one to compare with, as
// said in the question (either may be missing).
type periodPair struct {
	main, cmp *spanInfo
	vs        bool // joined by vs, compared to, than
}

// copies returns copies of the two periods, so they can be changed.
func (pp periodPair) copies() (main, cmp *spanInfo) {
	if pp.main != nil {
		m := *pp.main
		main = &m
	}
	if pp.cmp != nil {
		c := *pp.cmp
		cmp = &c
	}
	return main, cmp
}

// pairPeriods reads which period is the main one and which the
// comparison: "X vs Y", "Y ... than X", "in October or September".
func pairPeriods(fd *found, sd *said) periodPair {
	var pp periodPair
	if v := periodVsAt(fd, sd); v >= 0 {
		pp.vs = true
		for k := range sd.periods {
			h := &sd.periods[k]
			if h.i < v {
				pp.main = &h.span
			} else if pp.cmp == nil {
				pp.cmp = &h.span
			}
		}
		return pp
	}
	if len(sd.periods) > 0 {
		pp.main = &sd.periods[0].span
	}
	for k := 1; k < len(sd.periods); k++ {
		// "meta spend last week, google spend last week": one period.
		if s := &sd.periods[k].span; !sameDays(*s, *pp.main) {
			pp.cmp = s
			break
		}
	}
	return pp
}

func sameDays(a, b spanInfo) bool { return a.Start.Equal(b.Start) && a.End.Equal(b.End) }

// periodVsAt returns the token of a "vs" (or a "from" after a change word)
// that is followed by a period, or -1: "vs" between platforms is not one.
func periodVsAt(fd *found, sd *said) int {
	marks := append([]int(nil), sd.vsAt...)
	if sd.change {
		marks = append(marks, sd.fromAt...)
	}
	for _, v := range marks {
		for _, h := range fd.hits {
			if h.i <= v {
				continue
			}
			if h.kind == ekPeriod || h.is(kwPrev) || h.is(kwShift) {
				return v
			}
			break
		}
	}
	return -1
}

// settleYears reads a year said apart from a month, quarter or holiday
// as that one's year: "how did cyber monday do last year" is Cyber Monday
// 2025, not Cyber Monday compared with all of 2025. The year is then
// taken from sd's periods.
func settleYears(fd *found, sd *said, today time.Time) {
	if len(sd.periods) < 2 {
		return
	}
	for yi := 0; yi < len(sd.periods); yi++ {
		y := sd.periods[yi]
		if !fd.isYearWord(y) {
			continue
		}
		merged := false
		for bi := range sd.periods {
			b := &sd.periods[bi]
			if bi == yi || b.span.inYear == nil || sd.vsBetween(b.i, y.i) || gap(b, y) > 3 {
				continue
			}
			b.span = finishSpan(today, b.span.inYear(y.span.Start.Year()))
			merged = true
		}
		if merged {
			sd.periods = append(sd.periods[:yi], sd.periods[yi+1:]...)
			return
		}
	}
}

// vsBetween reports a "vs" between tokens a and b.
func (sd *said) vsBetween(a, b int) bool {
	if a > b {
		a, b = b, a
	}
	for _, v := range sd.vsAt {
		if v > a && v < b {
			return true
		}
	}
	return false
}

// dropVsAt forgets the "vs" at token k: the "than" of "more than 40".
func (sd *said) dropVsAt(k int) {
	kept := sd.vsAt[:0]
	for _, v := range sd.vsAt {
		if v != k {
			kept = append(kept, v)
		}
	}
	sd.vsAt = kept
}
