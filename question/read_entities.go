package question

import "sort"

// found is what the second stage finds in the words: every phrase matched,
// longest first — metric, platform and vocabulary names, periods, grammar
// keywords — and the campaigns named by part of their name.
type found struct {
	words
	hits      []hit
	owner     []int // the hit covering each token, or -1
	ambiguous []ambiguity
	lx        *lexicon // the vocabulary's names
	vocab     Vocabulary
}

// findEntities matches the words against the base lexicon (metrics,
// platforms, grammar), the vocabulary's lexicon vlx and the period
// grammar ps.
func findEntities(w words, ps *periodScan, vocab Vocabulary, base, vlx *lexicon) found {
	fd := found{words: w, lx: vlx, vocab: vocab}
	fd.hits, fd.ambiguous = matchPhrases(w.toks, ps, []*lexicon{base, vlx})
	fd.indexHits()
	fd.findPartialCampaigns()
	return fd
}

// hitAt returns the hit that covers token i.
func (fd *found) hitAt(i int) (hit, bool) {
	if i < 0 || i >= len(fd.owner) || fd.owner[i] < 0 {
		return hit{}, false
	}
	return fd.hits[fd.owner[i]], true
}

// indexHits records which hit covers each token, for hitAt.
func (fd *found) indexHits() {
	if len(fd.owner) != len(fd.toks) {
		fd.owner = make([]int, len(fd.toks))
	}
	for i := range fd.owner {
		fd.owner[i] = -1
	}
	for k, h := range fd.hits {
		for i := h.i; i < h.i+h.n; i++ {
			if fd.owner[i] < 0 {
				fd.owner[i] = k
			}
		}
	}
}

// findPartialCampaigns reads part of a campaign name as that campaign: "the
// holiday shopping campaign" is "Holiday Shopping 2026" when no other
// campaign has those words. A run of words counts when one of them is
// found only in campaign names ("holiday", "dpa", "advantage"), or when
// "campaign" follows it ("the meta retargeting campaign"). Several matches
// for a plural ("brand campaigns") keep them all; for a singular they are
// ambiguous.
func (fd *found) findPartialCampaigns() {
	if !fd.lx.hasCampaigns() {
		return
	}
	for i := 0; i < len(fd.toks); {
		j, distinctive, sub := fd.campaignRun(i)
		if j == i {
			i++
			continue
		}
		fd.resolveRun(i, j, distinctive, sub)
		i = j
	}
}

// otherPlatform reports a platform named outside tokens [i, j).
func (fd *found) otherPlatform(i, j int) bool {
	for _, h := range fd.hits {
		if h.kind == ekPlatform && (h.i < i || h.i >= j) {
			return true
		}
	}
	return false
}

// subChannels are a platform's words for a part of it ("youtube" is
// Google Ads, "pmax" its Performance Max): where campaigns are named with
// one, it means those campaigns, all of them, not the whole platform.
var subChannels = map[string]bool{"youtube": true, "pmax": true}

// isNameLink reports a word that joins "campaigns" to the words of their
// names: "campaigns with holiday in the name", "campaigns named brand".
func isNameLink(w string) bool {
	switch w {
	case "with", "named", "called", "containing", "contain", "contains", "like", "matching", "that", "have",
		"has", "the", "word", "words":
		return true
	}
	return false
}

// pluralCampaignsBefore reports "campaigns with ... " just before token i.
func (fd *found) pluralCampaignsBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		if h, ok := fd.hitAt(k); ok {
			return h.is(kwDim) && h.e.arg == "campaign" && h.e.extra == "pl" && k < i-1
		}
		if !isNameLink(fd.toks[k].text) {
			return false
		}
	}
	return false
}

// campaignRun returns the end of the run of campaign-name words from i,
// whether one of them is only a campaign word, and whether one is a
// platform's word for a part of it that campaigns are named with (sub).
func (fd *found) campaignRun(i int) (int, bool, bool) {
	distinctive, sub := false, false
	j := i
	for j < len(fd.toks) {
		if h, ok := fd.hitAt(j); ok {
			if h.i != j || !fd.isNamePart(h) && !fd.isNameYear(h, i, j) {
				break
			}
			if h.kind == ekPlatform && h.n == 1 && subChannels[fd.toks[j].text] {
				distinctive, sub = true, true
			}
			j += h.n
			continue
		}
		if !fd.isCampaignWord(fd.toks[j]) {
			break
		}
		// "Ads" in "TikTok Spark Ads" names no campaign alone: "spend on
		// ads" is about all of them.
		distinctive = distinctive || !adWords[fd.toks[j].text]
		j++
	}
	return j, distinctive, sub
}

// isNamePart reports whether a platform, type, category or region hit is
// also made of campaign-name words ("meta", "retargeting").
func (fd *found) isNamePart(h hit) bool {
	switch h.kind {
	case ekPlatform, ekCampaignType, ekCategory, ekRegion:
	default:
		return false
	}
	for k := h.i; k < h.i+h.n; k++ {
		if !fd.inCampaignNames(fd.toks[k]) {
			return false
		}
	}
	return true
}

// isNameYear reports a bare year that is part of a campaign name next to
// other words of it: "the 2026 holiday campaign".
func (fd *found) isNameYear(h hit, i, j int) bool {
	if h.kind != ekPeriod || h.n != 1 || !fd.toks[j].isNum || !fd.inCampaignNames(fd.toks[j]) {
		return false
	}
	if j > i {
		return true
	}
	return j+1 < len(fd.toks) && fd.isCampaignWord(fd.toks[j+1])
}

// isCampaignWord reports whether an unclaimed token is a campaign-name word
// that means nothing else.
func (fd *found) isCampaignWord(t token) bool {
	return !t.isNum && len(t.text) >= 2 && !isStopWord(t.text) && fd.inCampaignNames(t)
}

func (fd *found) inCampaignNames(t token) bool {
	for _, w := range wordForms(t) {
		if fd.lx.inCampaignNames(w) {
			return true
		}
	}
	return false
}

// resolveRun replaces the hits of tokens [i, j) by the campaigns they name;
// a part of a platform (sub) names all the campaigns named with it.
func (fd *found) resolveRun(i, j int, distinctive, sub bool) {
	next, hasNext := fd.hitAt(j)
	before := hasNext && next.is(kwDim) && next.e.arg == "campaign"
	if sub && fd.otherPlatform(i, j) {
		return // "youtube vs tiktok": platforms set side by side
	}
	plural := before && next.e.extra == "pl" || fd.pluralCampaignsBefore(i) || sub
	if !distinctive && !(before && !plural) {
		return
	}
	names := fd.campaignsWithAll(i, j, false)
	if len(names) == 0 && distinctive {
		names = fd.campaignsWithAll(i, j, true)
	}
	switch {
	case len(names) == 0:
		return
	case len(names) > 1 && !plural && !distinctive:
		return
	case len(names) > 1 && !plural:
		fd.ambiguous = append(fd.ambiguous, ambiguity{dim: "campaign", names: names})
		fd.replaceHits(i, j, nil)
		return
	}
	fd.replaceHits(i, j, names)
	if before && !plural {
		fd.replaceHits(next.i, next.i+next.n, nil)
	}
}

// campaignsWithAll lists the campaigns whose names have every word of
// tokens [i, j) (only the campaign-only words when onlyDistinct).
func (fd *found) campaignsWithAll(i, j int, onlyDistinct bool) []string {
	var names []string
	first := true
	for k := i; k < j; k++ {
		t := fd.toks[k]
		if _, claimed := fd.hitAt(k); onlyDistinct && claimed {
			continue
		}
		if isStopWord(t.text) {
			continue
		}
		has := fd.campaignsWith(t)
		if first {
			names, first = has, false
			continue
		}
		names = intersect(names, has)
	}
	sort.Strings(names)
	return names
}

func (fd *found) campaignsWith(t token) []string {
	var out []string
	for _, w := range wordForms(t) {
		for _, n := range fd.lx.campaignsNamed(w) {
			out = appendNew(out, n)
		}
	}
	return out
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// replaceHits drops the hits inside tokens [i, j) and adds a campaign hit
// for each name.
func (fd *found) replaceHits(i, j int, names []string) {
	kept := fd.hits[:0:0]
	for _, h := range fd.hits {
		if h.i >= i && h.i < j {
			continue
		}
		kept = append(kept, h)
	}
	for _, n := range names {
		kept = append(kept, hit{i: i, n: j - i, kind: ekCampaign, e: &lexEntry{kind: ekCampaign, value: n}})
	}
	sort.SliceStable(kept, func(a, b int) bool { return kept[a].i < kept[b].i })
	fd.hits = kept
	fd.indexHits()
}

// groupTriggers are keywords that make the next dimension noun a grouping.
var groupTriggers = map[kw]bool{kwBy: true, kwWhich: true, kwTop: true, kwCompare: true, kwBreakdown: true, kwMix: true}

// passThrough are keywords a grouping keyword reaches over: "by category
// and platform", "most efficient platform", "fastest growing platform".
var passThrough = map[kw]bool{kwImplied: true, kwJoin: true, kwDim: true, kwUp: true, kwDown: true, kwChange: true}
