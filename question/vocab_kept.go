package question

import (
	"iter"
	"strings"
	"unicode"
)

// keptCampaigns are a vocabulary's campaigns and the words of their names
// as two Packed lists in the same order, read in place: tokens holds each
// campaign's words separated by single spaces (plainWords). A question's
// lexicon searches them rather than splitting them: finding the campaigns
// named with "campaign" among 5,000 costs no allocation.
type keptCampaigns struct{ names, tokens string }

// plainWords reports whether the words of each string of the Packed list
// s are separated by single spaces and hold no other white space, as
// CampaignTokens writes them: split at its spaces, each reads as
// strings.Fields reads it.
func plainWords(s string) bool {
	if strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") ||
		strings.Contains(s, " "+PackSep) || strings.Contains(s, PackSep+" ") {
		return false
	}
	for _, c := range "\t\n\v\f\r" {
		if strings.IndexByte(s, byte(c)) >= 0 {
			return false
		}
	}
	// Other white space is not ASCII, and begins with one of these bytes.
	if strings.IndexByte(s, 0xc2) < 0 && strings.IndexByte(s, 0xe1) < 0 && strings.IndexByte(s, 0xe2) < 0 && strings.IndexByte(s, 0xe3) < 0 {
		return true
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) })
}

// has reports whether a campaign's name has the word w.
func (k keptCampaigns) has(w string) bool {
	for range k.at(w, false) {
		return true
	}
	return false
}

// with yields, in order, each campaign whose name has the word w (as its
// first word, when first is set) with its words.
func (k keptCampaigns) with(w string, first bool) iter.Seq2[string, string] {
	return func(yield func(name, words string) bool) {
		c := campaignCursor{k: k}
		last := -1
		for pos := range k.at(w, first) {
			c.seek(pos)
			if c.start == last {
				continue // a word named twice finds the campaign once
			}
			last = c.start
			if !yield(c.current()) {
				return
			}
		}
	}
}

// at yields the offsets in k.tokens where the word w stands whole (first
// of its campaign's words, when first is set).
func (k keptCampaigns) at(w string, first bool) iter.Seq[int] {
	return func(yield func(int) bool) {
		if w == "" || strings.Contains(w, " ") || strings.Contains(w, PackSep) {
			return
		}
		s := k.tokens
		for pos := 0; ; {
			i := strings.Index(s[pos:], w)
			if i < 0 {
				return
			}
			at, end := pos+i, pos+i+len(w)
			pos = at + 1
			if !wordEnd(s, end) || !wordStart(s, at, first) {
				continue
			}
			if !yield(at) {
				return
			}
			pos = end
		}
	}
}

// wordStart reports whether a word of the packed words s begins at i: after
// a space, unless first, or the separator of campaigns.
func wordStart(s string, i int, first bool) bool {
	return i == 0 || s[i-1] == PackSep[0] || !first && s[i-1] == ' '
}

// wordEnd reports whether a word of the packed words s ends at i.
func wordEnd(s string, i int) bool {
	return i == len(s) || s[i] == ' ' || s[i] == PackSep[0]
}

// words yields every word of every campaign, in order.
func (k keptCampaigns) words() iter.Seq[string] {
	return func(yield func(string) bool) {
		for c := range strings.SplitSeq(k.tokens, PackSep) {
			if c == "" {
				continue
			}
			for w := range strings.SplitSeq(c, " ") {
				if !yield(w) {
					return
				}
			}
		}
	}
}

// campaignCursor walks k's campaigns forward, keeping the offsets of the
// current one in both lists.
type campaignCursor struct {
	k            keptCampaigns
	start, named int // where the current campaign's words and name begin
}

// seek moves to the campaign whose words hold offset pos, at or after the
// current one.
func (c *campaignCursor) seek(pos int) {
	skip := strings.Count(c.k.tokens[c.start:pos], PackSep)
	if skip == 0 {
		return
	}
	c.start += strings.LastIndexByte(c.k.tokens[c.start:pos], PackSep[0]) + 1
	for range skip {
		c.named += strings.IndexByte(c.k.names[c.named:], PackSep[0]) + 1
	}
}

// current returns the name and words of the current campaign.
func (c *campaignCursor) current() (name, words string) {
	return upToSep(c.k.names[c.named:]), upToSep(c.k.tokens[c.start:])
}

// upToSep returns s up to the first separator of a Packed list.
func upToSep(s string) string {
	if i := strings.IndexByte(s, PackSep[0]); i >= 0 {
		return s[:i]
	}
	return s
}
