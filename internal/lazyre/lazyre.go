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
	"sync"
)

// Regexp is a regular expression compiled the first time it is used.
type Regexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
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

// Re returns the compiled expression.
func (r *Regexp) Re() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.src) })
	return r.re
}

// String returns the source text.
func (r *Regexp) String() string { return r.src }

// MatchString reports whether s holds a match.
func (r *Regexp) MatchString(s string) bool { return r.Re().MatchString(s) }

// FindString returns the leftmost match in s, "" for none.
func (r *Regexp) FindString(s string) string { return r.Re().FindString(s) }

// FindStringSubmatch returns the leftmost match and its groups, nil for none.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.Re().FindStringSubmatch(s) }

// FindAllString returns up to n matches (every one for n < 0).
func (r *Regexp) FindAllString(s string, n int) []string { return r.Re().FindAllString(s, n) }

// FindAllStringSubmatch returns up to n matches with their groups.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Re().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex returns the positions of up to n matches and
// their groups.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.Re().FindAllStringSubmatchIndex(s, n)
}

// FindAllStringIndex returns the positions of up to n matches.
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int { return r.Re().FindAllStringIndex(s, n) }

// ReplaceAllString replaces every match of r in s.
func (r *Regexp) ReplaceAllString(s, repl string) string { return r.Re().ReplaceAllString(s, repl) }

// ReplaceAllStringFunc replaces every match of r in s with f's result.
func (r *Regexp) ReplaceAllStringFunc(s string, f func(string) string) string {
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
// of the first that does not compile, "" when all do: for a test in each
// package that makes them.
func MustCompileAll() (bad string) {
	all.Lock()
	res := append([]*Regexp(nil), all.res...)
	all.Unlock()
	for _, r := range res {
		if _, err := regexp.Compile(r.src); err != nil {
			return r.src + ": " + err.Error()
		}
	}
	return ""
}
