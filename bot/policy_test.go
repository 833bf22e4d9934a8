package bot

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sowhat-ai/sowhat/model"
)

func TestPolicyAllow(t *testing.T) {
	p, err := NewPolicy(PolicyConfig{AllowedChannels: []string{"C0MKT"}, AllowedUsers: []string{"U0CMO", "U0CFO"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		m    Message
		want string
	}{
		{"allowed user in allowed channel", Message{User: "U0CMO", Channel: "C0MKT"}, ""},
		{"allowed user elsewhere", Message{User: "U0CMO", Channel: "C0RANDOM"}, refuseChannel},
		{"allowed user in a DM", Message{User: "U0CFO", Channel: "D0CFO", Direct: true}, ""},
		{"stranger in allowed channel", Message{User: "U0STRANGER", Channel: "C0MKT"}, refuseUser},
		{"stranger in a DM", Message{User: "U0STRANGER", Channel: "D0X", Direct: true}, refuseUser},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.Allow(tc.m); got != tc.want {
				t.Errorf("Allow = %q, want %q", got, tc.want)
			}
		})
	}
	var open *Policy
	if got := open.Allow(Message{User: "anyone", Channel: "anywhere"}); got != "" {
		t.Errorf("nil policy refused: %q", got)
	}
}

func TestPolicySensitiveMetrics(t *testing.T) {
	p, err := NewPolicy(PolicyConfig{SensitiveMetrics: DefaultSensitiveMetrics, SensitiveChannels: []string{"C0FINANCE"}, SensitiveUsers: []string{"U0CFO"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		m       Message
		metrics []model.MetricID
		refused bool
	}{
		{"roas anywhere", Message{User: "U0CMO", Channel: "C0MKT"}, []model.MetricID{model.ROAS}, false},
		{"cac in marketing", Message{User: "U0CMO", Channel: "C0MKT"}, []model.MetricID{model.CAC}, true},
		{"cac among others", Message{User: "U0CFO", Channel: "C0MKT"}, []model.MetricID{model.Spend, model.CAC, model.MER}, true},
		{"cac in finance", Message{User: "U0CMO", Channel: "C0FINANCE"}, []model.MetricID{model.CAC}, false},
		{"payback in the cfo's DM", Message{User: "U0CFO", Channel: "D0CFO", Direct: true}, []model.MetricID{model.PaybackMonths}, false},
		{"mer in the cmo's DM", Message{User: "U0CMO", Channel: "D0CMO", Direct: true}, []model.MetricID{model.MER}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := p.CheckMetrics(tc.m, tc.metrics)
			if (got != "") != tc.refused {
				t.Fatalf("CheckMetrics = %q, refused want %v", got, tc.refused)
			}
			if strings.ContainsAny(got, "$0123456789") {
				t.Errorf("refusal carries a number: %q", got)
			}
		})
	}
	if got := p.CheckMetrics(Message{Channel: "C0MKT"}, []model.MetricID{model.CAC, model.MER, model.CAC}); !strings.HasPrefix(got, "CAC and MER are shared only") {
		t.Errorf("refusal names %q", got)
	}
}

func TestPolicyAudience(t *testing.T) {
	p, err := NewPolicy(PolicyConfig{Audiences: map[string]string{"C0FINANCE": "cfo", "U0CMO": "cmo"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		m    Message
		want string
	}{
		{Message{User: "U0CMO", Channel: "C0FINANCE"}, "cfo"}, // the channel reads the answer
		{Message{User: "U0CMO", Channel: "C0MKT"}, "cmo"},
		{Message{User: "U0CMO", Channel: "D0CMO", Direct: true}, "cmo"},
		{Message{User: "U0OTHER", Channel: "C0MKT"}, ""},
	}
	for _, tc := range cases {
		if got := p.Audience(tc.m); got != tc.want {
			t.Errorf("Audience(%+v) = %q, want %q", tc.m, got, tc.want)
		}
	}
}

func TestNewPolicyRejectsTypos(t *testing.T) {
	if _, err := NewPolicy(PolicyConfig{SensitiveMetrics: []string{"cac", "payback"}}); err == nil || !strings.Contains(err.Error(), `"payback"`) {
		t.Errorf("unknown metric: %v", err)
	}
	if _, err := NewPolicy(PolicyConfig{Audiences: map[string]string{"U1": "cfoo"}}); err == nil || !strings.Contains(err.Error(), "cfo, cmo") {
		t.Errorf("unknown audience: %v", err)
	}
}

func TestParseAssignments(t *testing.T) {
	got, err := ParseAssignments(" C0FINANCE=cfo, U123ABC=CMO ,")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"C0FINANCE": "cfo", "U123ABC": "cmo"}, got); diff != "" {
		t.Error(diff)
	}
	for _, bad := range []string{"C0FINANCE", "=cfo", "C0FINANCE="} {
		if _, err := ParseAssignments(bad); err == nil {
			t.Errorf("ParseAssignments(%q) accepted", bad)
		}
	}
	if diff := cmp.Diff([]string{"a", "b"}, ParseList(" a,, b ,")); diff != "" {
		t.Error(diff)
	}
}

func TestPolicyHidden(t *testing.T) {
	p, err := NewPolicy(PolicyConfig{SensitiveMetrics: []string{"cac", "mer"}, SensitiveChannels: []string{"C0FINANCE"}, SensitiveUsers: []string{"U0CFO"}})
	if err != nil {
		t.Fatal(err)
	}
	hidden := []model.MetricID{model.CAC, model.PaybackMonths, model.MER} // payback would reveal CAC
	cases := []struct {
		name string
		m    Message
		want []model.MetricID
	}{
		{"marketing channel", Message{User: "U0CFO", Channel: "C0MKT"}, hidden},
		{"finance channel", Message{User: "U0CMO", Channel: "C0FINANCE"}, nil},
		{"the cfo's DM", Message{User: "U0CFO", Channel: "D0CFO", Direct: true}, nil},
		{"the cmo's DM", Message{User: "U0CMO", Channel: "D0CMO", Direct: true}, hidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, p.Hidden(tc.m)); diff != "" {
				t.Errorf("Hidden (-want +got):\n%s", diff)
			}
		})
	}
	if got := p.HiddenInChannel("C0FINANCE"); got != nil {
		t.Errorf("HiddenInChannel(finance) = %v", got)
	}
	var open *Policy
	if got := open.Hidden(Message{Channel: "C0MKT"}); got != nil {
		t.Errorf("nil policy hides %v", got)
	}
}

// TestPolicyUserAlias: a person may be named by either of their ids (in
// Teams, the Teams user id or the Entra object id).
func TestPolicyUserAlias(t *testing.T) {
	p, err := NewPolicy(PolicyConfig{AllowedUsers: []string{"entra-1"}, SensitiveUsers: []string{"entra-1"}, SensitiveMetrics: []string{"cac"},
		Audiences: map[string]string{"entra-1": "cfo"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name         string
		m            Message
		allowed      bool
		cleared      bool
		wantAudience string
	}{
		{"by alias", Message{User: "29:1", UserAlias: "entra-1", Direct: true}, true, true, "cfo"},
		{"by id", Message{User: "entra-1", Direct: true}, true, true, "cfo"},
		{"neither", Message{User: "29:2", UserAlias: "entra-2", Direct: true}, false, false, ""},
		{"no alias", Message{User: "29:2", Direct: true}, false, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := p.Allow(c.m) == ""; got != c.allowed {
				t.Errorf("allowed %v, want %v", got, c.allowed)
			}
			if got := p.CheckMetrics(c.m, []model.MetricID{"cac"}) == ""; got != c.cleared {
				t.Errorf("cleared %v, want %v", got, c.cleared)
			}
			if got := p.Audience(c.m); got != c.wantAudience {
				t.Errorf("audience %q, want %q", got, c.wantAudience)
			}
		})
	}
}
