package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// PolicyConfig is who may ask, where, and who sees what. Empty allowlists
// allow everyone.
type PolicyConfig struct {
	// AllowedChannels are the channels the bot answers in; direct messages
	// are governed by AllowedUsers alone.
	AllowedChannels []string
	AllowedUsers    []string
	// SensitiveMetrics (registry ids) are answered only in SensitiveChannels
	// or in direct messages with SensitiveUsers.
	SensitiveMetrics  []string
	SensitiveChannels []string
	SensitiveUsers    []string
	// Audiences map a channel or user id to an audience (cfo, cmo, ...).
	Audiences map[string]string
}

// DefaultSensitiveMetrics are the metrics kept to finance unless configured
// otherwise.
var DefaultSensitiveMetrics = []string{"cac", "payback_months", "mer"}

// Policy decides who may ask, where, and who sees what. A nil Policy
// allows everything and knows no audiences.
type Policy struct {
	allowedChannels, allowedUsers     set
	sensitive                         []model.MetricID
	sensitiveChannels, sensitiveUsers set
	audiences                         map[string]string
}

type set map[string]bool

// has reports whether the set names m's user, by either of their ids.
func (s set) has(m Message) bool {
	return s[m.User] || m.UserAlias != "" && s[m.UserAlias]
}

func newSet(xs []string) set {
	s := set{}
	for _, x := range xs {
		s[x] = true
	}
	return s
}

// NewPolicy checks c against the metric registry and the known audiences.
func NewPolicy(c PolicyConfig) (*Policy, error) {
	var sensitive []model.MetricID
	for _, m := range c.SensitiveMetrics {
		if _, ok := model.LookupMetric(model.MetricID(m)); !ok {
			return nil, fmt.Errorf("sensitive metric %q: not a metric id (see sowhat metrics)", m)
		}
		sensitive = append(sensitive, model.MetricID(m))
	}
	for id, a := range c.Audiences {
		if !slices.Contains(model.Audiences, model.Audience(a)) {
			return nil, fmt.Errorf("audience %q for %s: want one of %s", a, id, audienceList())
		}
	}
	return &Policy{
		allowedChannels: newSet(c.AllowedChannels), allowedUsers: newSet(c.AllowedUsers),
		sensitive:         sensitive,
		sensitiveChannels: newSet(c.SensitiveChannels), sensitiveUsers: newSet(c.SensitiveUsers),
		audiences: c.Audiences,
	}, nil
}

func audienceList() string {
	var as []string
	for _, a := range model.Audiences {
		as = append(as, string(a))
	}
	return strings.Join(as, ", ")
}

// The reasons given when a message is refused. They never contain data.
const (
	refuseUser    = "Sorry — you're not on the list of people I answer yet. Ask whoever runs sowhat here to add you."
	refuseChannel = "I don't answer in this channel yet. Ask me in a direct message, or ask whoever runs sowhat here to add this channel."
)

// Allow returns why m may not be answered at all, or "" when it may.
func (p *Policy) Allow(m Message) string {
	if p == nil {
		return ""
	}
	if len(p.allowedUsers) > 0 && !p.allowedUsers.has(m) {
		return refuseUser
	}
	if !m.Direct && len(p.allowedChannels) > 0 && !p.allowedChannels[m.Channel] {
		return refuseChannel
	}
	return ""
}

// Audience returns the reader's role for m: in a channel, the channel's
// audience first (everyone there reads the answer), then the asker's; in a
// direct message, the asker's.
func (p *Policy) Audience(m Message) string {
	if p == nil {
		return ""
	}
	if !m.Direct {
		if a := p.audiences[m.Channel]; a != "" {
			return a
		}
	}
	if a := p.audiences[m.User]; a != "" || m.UserAlias == "" {
		return a
	}
	return p.audiences[m.UserAlias]
}

// CheckMetrics returns why the metrics may not be shown where m was asked,
// or "" when they may. Call it on the parsed request, before querying.
func (p *Policy) CheckMetrics(m Message, metrics []model.MetricID) string {
	if p == nil {
		return ""
	}
	var held []model.MetricID
	for _, id := range metrics {
		if slices.Contains(p.sensitive, id) && !slices.Contains(held, id) {
			held = append(held, id)
		}
	}
	if len(held) == 0 || p.cleared(m) {
		return ""
	}
	names := make([]string, len(held))
	for i, id := range held {
		names[i] = wording.MetricName(id)
	}
	verb := "is"
	if len(names) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("%s %s shared only in the channels cleared for it, or in a direct message with me for people cleared to see it, so I haven't looked it up here. Ask me there — or ask about ROAS or CPA here.",
		wording.JoinAnd(names), verb)
}

// Hidden returns the metrics the readers of m's answer may not see: the
// sensitive metrics, and every metric that would reveal one, unless m was
// asked where they are cleared. The engine leaves them out of the answer
// without a word; only a question that asks for one is refused
// (CheckMetrics).
func (p *Policy) Hidden(m Message) []model.MetricID {
	if p == nil || len(p.sensitive) == 0 || p.cleared(m) {
		return nil
	}
	return model.Concealed(p.sensitive)
}

// HiddenInChannel returns the metrics a post to channel (its id, "C0FIN")
// may not show, as Hidden does for an answer in it. It makes the policy a
// reports.Clearance.
func (p *Policy) HiddenInChannel(channel string) []model.MetricID {
	return p.Hidden(Message{Channel: channel})
}

// SensitiveMetrics returns the metrics kept to the cleared channels and
// people.
func (p *Policy) SensitiveMetrics() []model.MetricID {
	if p == nil {
		return nil
	}
	return slices.Clone(p.sensitive)
}

func (p *Policy) cleared(m Message) bool {
	if m.Direct {
		return p.sensitiveUsers.has(m)
	}
	return p.sensitiveChannels[m.Channel]
}

// ParseList splits a comma-separated list, dropping blanks.
func ParseList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseAssignments reads "K=V,K=V" ("C0FINANCE=cfo,U123ABC=cmo").
func ParseAssignments(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range ParseList(s) {
		k, v, ok := strings.Cut(p, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%q: want ID=audience, e.g. C0FINANCE=cfo", p)
		}
		out[k] = strings.ToLower(v)
	}
	return out, nil
}
