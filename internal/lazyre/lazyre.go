// Package lazyre holds regular expressions compiled on first use rather
// than when a program starts.
//
// Every sowhat command starts the whole binary, and the parser's patterns
// compiled at start-up were a tenth of a `sowhat ask` that needs few of
// them: most questions hold no number, and every date and amount pattern
// needs one.
package lazyre

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Regexp is a regular expression compiled the first time it is used.
type Regexp struct {
	src   string
	needs string // every match holds one of these bytes (Needing); "" for no such bound
	once  sync.Once
	re    *regexp.Regexp
}

// all holds every Regexp made, for MustCompileAll.
var all struct {
	sync.Mutex
	res []*Regexp
}

// New returns src compiled on first use; like regexp.MustCompile, that use
// panics if src does not compile (MustCompileAll finds it in a test).
func New(src string) *Regexp {
	r := &Regexp{src: src}
	all.Lock()
	all.res = append(all.res, r)
	all.Unlock()
	return r
}

// Needing is New for a pattern every match of which holds one of the
// ASCII bytes anyOf: text with none of them is not searched, and the
// pattern is not compiled for it. MustCompileAll checks that the pattern
// cannot match without them.
func Needing(src, anyOf string) *Regexp {
	r := New(src)
	r.needs = anyOf
	return r
}

// cannot reports whether s holds none of the bytes every match needs.
func (r *Regexp) cannot(s string) bool {
	return r.needs != "" && !strings.ContainsAny(s, r.needs)
}

// Re returns the compiled expression.
func (r *Regexp) Re() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.src) })
	return r.re
}

// String returns the source text.
func (r *Regexp) String() string { return r.src }

// MatchString reports whether s holds a match.
func (r *Regexp) MatchString(s string) bool { return !r.cannot(s) && r.Re().MatchString(s) }

// FindString returns the leftmost match in s, "" for none.
func (r *Regexp) FindString(s string) string {
	if r.cannot(s) {
		return ""
	}
	return r.Re().FindString(s)
}

// FindStringSubmatch returns the leftmost match and its groups, nil for none.
func (r *Regexp) FindStringSubmatch(s string) []string {
	if r.cannot(s) {
		return nil
	}
	return r.Re().FindStringSubmatch(s)
}

// FindAllString returns up to n matches (every one for n < 0).
func (r *Regexp) FindAllString(s string, n int) []string {
	if r.cannot(s) {
		return nil
	}
	return r.Re().FindAllString(s, n)
}

// FindAllStringSubmatch returns up to n matches with their groups.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	if r.cannot(s) {
		return nil
	}
	return r.Re().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex returns the positions of up to n matches and
// their groups.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if r.cannot(s) {
		return nil
	}
	return r.Re().FindAllStringSubmatchIndex(s, n)
}

// FindAllStringIndex returns the positions of up to n matches.
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	if r.cannot(s) {
		return nil
	}
	return r.Re().FindAllStringIndex(s, n)
}

// ReplaceAllString replaces every match of r in s.
func (r *Regexp) ReplaceAllString(s, repl string) string {
	if r.cannot(s) {
		return s
	}
	return r.Re().ReplaceAllString(s, repl)
}

// ReplaceAllStringFunc replaces every match of r in s with f's result.
func (r *Regexp) ReplaceAllStringFunc(s string, f func(string) string) string {
	if r.cannot(s) {
		return s
	}
	return r.Re().ReplaceAllStringFunc(s, f)
}

// CompileAll compiles every Regexp made so far, for a server to do once as
// it starts rather than on its first questions. Like regexp.MustCompile it
// panics on one that does not compile.
func CompileAll() {
	all.Lock()
	res := append([]*Regexp(nil), all.res...)
	all.Unlock()
	for _, r := range res {
		r.Re()
	}
}

// MustCompileAll compiles every Regexp made so far and returns the source
// of the first that does not compile, or that could match text without
// the bytes it is Needing, "" when all are sound: for a test in each
// package that makes them.
func MustCompileAll() (bad string) {
	all.Lock()
	res := append([]*Regexp(nil), all.res...)
	all.Unlock()
	for _, r := range res {
		if _, err := regexp.Compile(r.src); err != nil {
			return r.src + ": " + err.Error()
		}
		if !r.soundNeeds() {
			return r.src + ": can match without any of " + strconv.Quote(r.needs)
		}
	}
	return ""
}

// soundNeeds reports whether every match of r holds one of the bytes it is
// Needing, or it needs none.
func (r *Regexp) soundNeeds() bool {
	if r.needs == "" {
		return true
	}
	re, err := syntax.Parse(r.src, syntax.Perl)
	return err == nil && needsOneOf(re, r.needs)
}

// needsOneOf reports whether every match of re holds one of the runes of
// anyOf: the conservative answer, false, for any construct it does not
// follow.
func needsOneOf(re *syntax.Regexp, anyOf string) bool {
	all := func(r rune) bool { // r and every rune it matches as, case folded
		if !strings.ContainsRune(anyOf, r) {
			return false
		}
		if re.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				if !strings.ContainsRune(anyOf, f) {
					return false
				}
			}
		}
		return true
	}
	switch re.Op {
	case syntax.OpLiteral:
		return slices.ContainsFunc(re.Rune, all)
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return false
		}
		for i := 0; i < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 255 {
				return false
			}
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				if !strings.ContainsRune(anyOf, c) {
					return false
				}
			}
		}
		return true
	case syntax.OpCapture, syntax.OpPlus:
		return needsOneOf(re.Sub[0], anyOf)
	case syntax.OpRepeat:
		return re.Min >= 1 && needsOneOf(re.Sub[0], anyOf)
	case syntax.OpConcat:
		return slices.ContainsFunc(re.Sub, func(s *syntax.Regexp) bool { return needsOneOf(s, anyOf) })
	case syntax.OpAlternate:
		return len(re.Sub) > 0 && !slices.ContainsFunc(re.Sub, func(s *syntax.Regexp) bool { return !needsOneOf(s, anyOf) })
	}
	return false
}
