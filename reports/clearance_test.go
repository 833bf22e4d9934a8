package reports

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/wording"
)

// clearedFor hides the finance metrics everywhere but its channels, as
// bot.Policy does with SENSITIVE_CHANNELS.
type clearedFor []string

func (c clearedFor) HiddenInChannel(channel string) []model.MetricID {
	if slices.Contains(c, channel) {
		return nil
	}
	return []model.MetricID{model.CAC, model.PaybackMonths, model.MER}
}

var finance = []model.MetricID{model.CAC, model.PaybackMonths, model.MER}

func TestCheckClearance(t *testing.T) {
	cases := []struct {
		name     string
		audience model.Audience
		channels []string
		want     []string // what the error names; nil: no error
	}{
		{"cfo digest in a cleared channel", model.AudienceCFO, []string{"slack:C0FIN"}, nil},
		{"cfo digest in marketing", model.AudienceCFO, []string{"slack:C0FIN", "slack:C0MKT"},
			[]string{"digest weekly (line 7)", "CAC, CAC payback and MER", "Blended CAC, CAC payback, MER", "slack:C0MKT"}},
		{"ceo digest in marketing", model.AudienceCEO, []string{"slack:C0MKT"}, []string{"posts MER (MER, Year over year) to slack:C0MKT"}},
		{"cmo digest in marketing", model.AudienceCMO, []string{"slack:C0MKT"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Digests: []DigestConfig{{Name: "weekly", Audience: tc.audience, Channels: tc.channels, Line: 7}}}
			err := CheckClearance(cfg, clearedFor{"C0FIN"})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("CheckClearance: %v, want none", err)
				}
				return
			}
			var ce *ClearanceError
			if !errors.As(err, &ce) || ce.Channel != "slack:C0MKT" {
				t.Fatalf("CheckClearance: %v, want a ClearanceError for slack:C0MKT", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "C0FIN,") || strings.Contains(err.Error(), "slack:C0FIN ") {
				t.Errorf("%q names the cleared channel", err)
			}
		})
	}
	if err := CheckClearance(Config{Digests: []DigestConfig{{Name: "w", Audience: model.AudienceCFO, Channels: []string{"slack:C0MKT"}}}}, nil); err != nil {
		t.Errorf("without a policy: %v", err)
	}
}

// TestDigestPostedByClearance posts the CFO digest to a finance channel
// and an executive channel not cleared for finance metrics: the finance
// channel gets it whole; the other gets it without the sections of CAC,
// payback and MER, with the note, and with none of their names or values
// (computed here from the query layer) anywhere in what is posted.
func TestDigestPostedByClearance(t *testing.T) {
	st, _ := demoStore(t)
	pub := &fakePublisher{}
	cfg := weeklyConfig(t, "6h")
	clock := &fakeClock{now: mondayEight}
	s := NewScheduler(openState(st, "t", clock), engine(st), pub, cfg, WithClock(clock), WithLogger(quietLog()),
		WithCharts(fakeChart), WithClearance(clearedFor{"C0123FIN"}))
	tick(t, s, mondayEight.Add(20*time.Second))
	posts := pub.all()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2", len(posts))
	}
	byChannel := map[string]*Digest{}
	for _, p := range posts {
		byChannel[p.Channel] = p.Msg.Digest
	}
	fin, exec := byChannel["slack:C0123FIN"], byChannel["slack:C0123EXEC"]
	if fin == nil || exec == nil {
		t.Fatalf("posted to %v", byChannel)
	}
	titles := func(d *Digest) []string {
		var ts []string
		for _, s := range d.Sections {
			ts = append(ts, s.Title)
		}
		return ts
	}
	for _, want := range []string{"Blended CAC", "CAC payback", "MER"} {
		if !slices.Contains(titles(fin), want) {
			t.Errorf("finance channel's sections %v lack %q", titles(fin), want)
		}
		if slices.Contains(titles(exec), want) {
			t.Errorf("executive channel's sections %v hold %q", titles(exec), want)
		}
	}
	if slices.Contains(fin.Notes, WithheldNote) || !slices.Contains(exec.Notes, WithheldNote) {
		t.Errorf("notes: finance %q, executive %q; want the withheld note only in the executive channel", fin.Notes, exec.Notes)
	}
	if !strings.Contains(Text(exec), WithheldNote) {
		t.Errorf("the executive digest's text does not say %q", WithheldNote)
	}
	values := financeValues(t, st, exec.Period, *exec.ComparePeriod)
	shown := func(d *Digest) string {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return Text(d) + "\n" + string(b)
	}
	execText, finText := shown(exec), shown(fin)
	if model.Mentions(execText, finance) {
		t.Errorf("the executive digest names a finance metric:\n%s", Text(exec))
	}
	for _, v := range values {
		if strings.Contains(execText, v) {
			t.Errorf("the executive digest shows %s", v)
		}
	}
	if !slices.ContainsFunc(values, func(v string) bool { return strings.Contains(finText, v) }) {
		t.Errorf("the finance digest shows none of %v", values)
	}
}

// financeValues are the finance metrics' totals over the periods, as
// answers print them.
func financeValues(t *testing.T, st *data.Store, ps ...period.Period) []string {
	t.Helper()
	var out []string
	for _, p := range ps {
		res, err := st.Run(context.Background(), data.Query{Metrics: finance, Period: period.Period{Start: p.Start, End: p.End}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range finance {
			if v := res.Total.Values[m]; v != nil {
				out = append(out, wording.Metric(m, v))
			}
		}
	}
	return out
}
