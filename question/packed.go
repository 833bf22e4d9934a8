package question

import "strings"

// PackSep joins the strings of a Packed list; no string in one holds it.
const PackSep = "\x1f"

// Packed is a list of strings joined by PackSep, as a store keeps it: read
// in place, it is split only when its strings are needed one by one. The
// empty Packed is the empty list (so a list of one empty string packs to
// it too).
type Packed string

// Pack joins list into a Packed list, or reports false when a string in
// it holds PackSep.
func Pack(list []string) (Packed, bool) {
	for _, s := range list {
		if strings.Contains(s, PackSep) {
			return "", false
		}
	}
	return Packed(strings.Join(list, PackSep)), true
}

// Len returns the number of strings in p.
func (p Packed) Len() int {
	if p == "" {
		return 0
	}
	return strings.Count(string(p), PackSep) + 1
}

// List returns the strings of p.
func (p Packed) List() []string {
	if p == "" {
		return nil
	}
	return strings.Split(string(p), PackSep)
}

// searchSorted reports whether w is one of the strings of p, whose strings
// are in ascending order: a binary search over its bytes, which splits
// nothing.
func (p Packed) searchSorted(w string) bool {
	s := string(p)
	if w == "" {
		return strings.HasPrefix(s, PackSep) // sorted first
	}
	// s[lo:hi] holds whole strings, joined by the separator.
	lo, hi := 0, len(s)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(s[lo:mid], PackSep[0]) + 1
		end := strings.IndexByte(s[mid:hi], PackSep[0])
		if end < 0 {
			end = hi
		} else {
			end += mid
		}
		switch e := s[start:end]; {
		case e == w:
			return true
		case e < w:
			lo = end + 1
		default:
			hi = start - 1
		}
	}
	return false
}
