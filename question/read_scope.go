package question

// readGroupBy decides which dimension nouns are groupings: plurals ("by
// campaigns"), nouns after by/per/each/across/which/top ("which
// platform"), and nouns before mix/split/level ("category level"). Time
// nouns set the grain, returned with the groupings. Several values of one
// dimension ("google and meta") group by it too.
func readGroupBy(fd *found, sd *said) (groupBy []string, grain string) {
	grain = sd.grain
	for _, d := range sd.dims {
		named := fd.afterName(d.i)
		if !fd.triggered(d.i) && (named || !d.plural && !fd.followedByGroupWord(d.i) && !fd.leadsMetric(d.i)) {
			continue
		}
		switch d.dim {
		case "day", "week", "month":
			if grain == "" {
				grain = d.dim
			}
		default:
			groupBy = appendNew(groupBy, d.dim)
		}
	}
	if sd.who && len(groupBy) == 0 && (len(sd.sups) > 0 || sd.isPacing() || sd.breakdown || sd.comparative != "") {
		groupBy = append(groupBy, "platform")
	}
	for _, d := range sd.filterOrder {
		if len(sd.filters[d]) > 1 {
			groupBy = appendNew(groupBy, d)
		}
	}
	return groupBy, grain
}

// triggered reports whether a grouping keyword comes shortly before token
// i, with only small words, numbers, names and metrics between.
func (fd *found) triggered(i int) bool {
	for j, steps := i-1, 0; j >= 0 && steps < 5; steps++ {
		h, ok := fd.hitAt(j)
		switch {
		case !ok && (isStopWord(fd.toks[j].text) || fd.toks[j].isNum):
			j--
		case !ok:
			return false
		case h.kind == ekKeyword && groupTriggers[h.e.key]:
			return true
		case h.kind == ekKeyword && !passThrough[h.e.key]:
			return false
		default:
			j = h.i - 1
		}
	}
	return false
}

// afterName reports a dimension noun that follows a name: "meta
// campaigns" are Meta's campaigns together, not a list, unless a grouping
// word comes first ("top meta campaigns").
func (fd *found) afterName(i int) bool {
	h, ok := fd.hitAt(i - 1)
	return ok && isEntity(h.kind)
}

// followedByGroupWord reports "category mix", "campaign level",
// "platform breakdown", "category performance".
func (fd *found) followedByGroupWord(i int) bool {
	for j := i + 1; j < len(fd.toks) && j <= i+2; j++ {
		h, ok := fd.hitAt(j)
		if !ok {
			continue
		}
		if h.kind != ekKeyword {
			return false
		}
		switch h.e.key {
		case kwMix, kwBreakdown, kwLevel, kwPerf:
			return true
		}
		return false
	}
	return false
}

// leadsMetric reports a dimension noun that opens a phrase and is followed
// by a metric: "category revenue q3 vs q2", "campaign cpa last week" (but
// not "blended roas vs platform roas").
func (fd *found) leadsMetric(i int) bool {
	h, ok := fd.hitAt(i + 1)
	if !ok || h.kind != ekMetric || h.i != i+1 {
		return false
	}
	if i == 0 {
		return true
	}
	if p, ok := fd.hitAt(i - 1); ok {
		return p.kind == ekPeriod
	}
	return isStopWord(fd.toks[i-1].text) && !fd.toks[i-1].isNum
}
