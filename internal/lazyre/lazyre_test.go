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

// TestNeeding: a pattern Needing bytes is not compiled, nor searched, for
// text without them, and finds what it would find otherwise in text with
// them.
func TestNeeding(t *testing.T) {
	r := Needing(`\b(\d{4})-(\d{1,2})\b`, "-")
	if m := r.FindStringSubmatch("top 5 in 2025"); m != nil || r.re != nil {
		t.Fatalf("searched text without a dash: %q, compiled %v", m, r.re != nil)
	}
	if r.ReplaceAllString("2025 05", "x") != "2025 05" || r.FindAllStringSubmatch("2025 05", -1) != nil || r.MatchString("2025 05") {
		t.Fatal("matched text without a dash")
	}
	if m := r.FindStringSubmatch("since 2025-05"); len(m) != 3 || m[1] != "2025" || m[2] != "05" {
		t.Fatalf("FindStringSubmatch = %q", m)
	}
}

// TestSoundNeeds checks which bytes a pattern's every match holds.
func TestSoundNeeds(t *testing.T) {
	for _, tt := range []struct {
		src, needs string
		want       bool
	}{
		{`\d-\d`, "-", true},
		{`(-\s*\d+|0+)`, "-0", true},
		{`(?i)(\d+(?:\.\d+)?e[+-]?\d+)\b`, "eE", true},
		{`(?i)x{2,}`, "xX", true},
		{`[/:]`, "/:", true},
		{`a|b`, "a", false},
		{`-?\d`, "-", false},
		{`x{0,3}`, "x", false},
		{`(?i)e`, "e", false},  // E too
		{`(?i)s`, "sS", false}, // and ſ
		{`(?i)k`, "kK", false}, // and the Kelvin sign
		{`[0-9]`, "012345678", false},
	} {
		if got := (&Regexp{src: tt.src, needs: tt.needs}).soundNeeds(); got != tt.want {
			t.Errorf("soundNeeds(%q, %q) = %v, want %v", tt.src, tt.needs, got, tt.want)
		}
	}
}
