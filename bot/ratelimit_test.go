package bot

import (
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	cases := []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"10/min", Rate{10, time.Minute}, true},
		{"2/sec", Rate{2, time.Second}, true},
		{" 100 / hour ", Rate{100, time.Hour}, true},
		{"5/30s", Rate{5, 30 * time.Second}, true},
		{"10", Rate{}, false},
		{"0/min", Rate{}, false},
		{"ten/min", Rate{}, false},
		{"10/fortnight", Rate{}, false},
		{"10/-1s", Rate{}, false},
	}
	for _, tc := range cases {
		got, err := ParseRate(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
	if s := (Rate{10, time.Minute}).String(); s != "10/min" {
		t.Errorf("String = %q", s)
	}
}

func TestUserLimiterWarnsOnce(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	l := NewUserLimiter(Rate{N: 2, Per: time.Minute})
	l.now = func() time.Time { return now }
	want := []Verdict{Allowed, Allowed, Warn, Drop, Drop}
	for i, w := range want {
		if got := l.Take("slack:U0LOOP"); got != w {
			t.Errorf("message %d: %v, want %v", i+1, got, w)
		}
	}
	if got := l.Take("slack:U0CALM"); got != Allowed {
		t.Errorf("another user: %v, want Allowed", got)
	}
	now = now.Add(31 * time.Second) // one message's worth refilled
	if got := l.Take("slack:U0LOOP"); got != Allowed {
		t.Errorf("after the refill: %v, want Allowed", got)
	}
	if got := l.Take("slack:U0LOOP"); got != Warn {
		t.Errorf("over again: %v, want a fresh warning", got)
	}
}
