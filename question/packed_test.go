package question

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPackedSearchFindsAsBinarySearch: searching a sorted packed list finds
// what a binary search of the list finds, for every string in it, between
// and around them.
func TestPackedSearchFindsAsBinarySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	letters := "ab"
	word := func() string {
		b := make([]byte, r.IntN(4))
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	for range 2000 {
		list := make([]string, r.IntN(8))
		for i := range list {
			list[i] = word()
		}
		slices.Sort(list)
		list = slices.Compact(list)
		p, ok := Pack(list)
		if !ok {
			t.Fatalf("cannot pack %q", list)
		}
		if len(list) == 1 && list[0] == "" {
			continue // packs to the empty list
		}
		for _, w := range append(slices.Clone(list), "", "a", "b", "aa", "ab", "ba", "bb", "aaa", "bbb", "bbbb", "c") {
			_, want := slices.BinarySearch(list, w)
			if got := p.searchSorted(w); got != want {
				t.Fatalf("searchSorted(%q) in %q = %v, want %v", w, list, got, want)
			}
		}
		if got := p.List(); len(list) > 0 && !slices.Equal(got, list) || p.Len() != len(list) {
			t.Fatalf("List of %q = %q (Len %d)", list, got, p.Len())
		}
	}
}
