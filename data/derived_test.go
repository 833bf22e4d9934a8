package data

import (
	"context"
	"path/filepath"
	"testing"
)

func TestDerivedKeptPerGeneration(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SaveDerived(ctx, "names", 1, "first"); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDerived(ctx, "names", 2, "second"); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDerived(ctx, "other", 1, "kept"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		gen    int64
		want   string
		wantOK bool
	}{
		{"names", 2, "second", true},
		{"names", 1, "", false}, // replaced by the later generation's
		{"names", 3, "", false},
		{"other", 1, "kept", true},
		{"missing", 1, "", false},
	} {
		got, ok, err := st.Derived(ctx, tt.name, tt.gen)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Derived(%q, %d) = %q, %v; want %q, %v", tt.name, tt.gen, got, ok, tt.want, tt.wantOK)
		}
	}
}
