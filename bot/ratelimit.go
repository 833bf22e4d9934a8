package bot

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a number of messages per period.
type Rate struct {
	N   int
	Per time.Duration
}

// String writes the rate as ParseRate reads it: "10/min".
func (r Rate) String() string {
	unit := r.Per.String()
	switch r.Per {
	case time.Second:
		unit = "sec"
	case time.Minute:
		unit = "min"
	case time.Hour:
		unit = "hour"
	}
	return fmt.Sprintf("%d/%s", r.N, unit)
}

// ParseRate reads "10/min", "2/sec", "100/hour" or "5/30s".
func ParseRate(s string) (Rate, error) {
	n, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || count < 1 {
		return Rate{}, fmt.Errorf("%q: want a count per period such as 10/min", s)
	}
	var d time.Duration
	switch strings.ToLower(strings.TrimSpace(per)) {
	case "s", "sec", "second":
		d = time.Second
	case "m", "min", "minute":
		d = time.Minute
	case "h", "hour":
		d = time.Hour
	default:
		if d, err = time.ParseDuration(per); err != nil || d <= 0 {
			return Rate{}, fmt.Errorf("%q: the period must be sec, min, hour or a duration such as 30s", s)
		}
	}
	return Rate{N: count, Per: d}, nil
}

// Verdict is what a rate limiter says about one message.
type Verdict int

// Verdicts.
const (
	Allowed Verdict = iota // within the rate
	Warn                   // over it, and the user has not been told yet
	Drop                   // over it, and already told
)

// UserLimiter holds each key (a user) to a rate with a burst of the whole
// rate, so one person's loop can't starve everyone else.
type UserLimiter struct {
	rate Rate
	now  func() time.Time

	mu    sync.Mutex
	users map[string]*userState
}

type userState struct {
	lim    *rate.Limiter
	warned bool
	last   time.Time
}

// NewUserLimiter returns a limiter allowing r per user.
func NewUserLimiter(r Rate) *UserLimiter {
	return &UserLimiter{rate: r, now: time.Now, users: map[string]*userState{}}
}

// Take spends one message of key's allowance.
func (l *UserLimiter) Take(key string) Verdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	u := l.users[key]
	if u == nil {
		l.prune(now)
		u = &userState{lim: rate.NewLimiter(rate.Every(l.rate.Per/time.Duration(l.rate.N)), l.rate.N)}
		l.users[key] = u
	}
	u.last = now
	if u.lim.AllowN(now, 1) {
		u.warned = false
		return Allowed
	}
	if u.warned {
		return Drop
	}
	u.warned = true
	return Warn
}

// prune forgets users idle long enough that their allowance is full again.
func (l *UserLimiter) prune(now time.Time) {
	if len(l.users) < 1024 {
		return
	}
	for k, u := range l.users {
		if now.Sub(u.last) > l.rate.Per {
			delete(l.users, k)
		}
	}
}
