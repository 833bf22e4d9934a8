package lazyre

import (
	"strings"
	"testing"
)

func TestLazy(t *testing.T) {
	r := New(`\b(\d+)-(\d+)\b`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	if m := r.FindStringSubmatch("from 3-14 on"); len(m) != 3 || m[1] != "3" || m[2] != "14" {
		t.Fatalf("FindStringSubmatch = %q", m)
	}
	if r.re == nil {
		t.Fatal("not kept after first use")
	}
	if r.MatchString("no digits") {
		t.Fatal("matched text without the pattern")
	}
}

func TestCompileAll(t *testing.T) {
	r := New(`x+`)
	CompileAll()
	if r.re == nil {
		t.Fatal("CompileAll left a pattern uncompiled")
	}
}

func TestMustCompileAllNamesTheBadPattern(t *testing.T) {
	if bad := MustCompileAll(); bad != "" {
		t.Fatalf("a good set: %s", bad)
	}
	New(`(unclosed`)
	bad := MustCompileAll()
	if !strings.HasPrefix(bad, "(unclosed: ") {
		t.Fatalf("MustCompileAll = %q, want the bad source first", bad)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a bad pattern did not panic on first use")
		}
	}()
	New(`[bad`).MatchString("x")
}
