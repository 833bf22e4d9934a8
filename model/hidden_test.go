package model

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConcealed(t *testing.T) {
	cases := []struct {
		hidden, want []MetricID
	}{
		{nil, nil},
		{[]MetricID{MER}, []MetricID{MER}},
		{[]MetricID{CAC}, []MetricID{CAC, PaybackMonths}},
		{[]MetricID{CAC, PaybackMonths, MER}, []MetricID{CAC, PaybackMonths, MER}},
		{[]MetricID{PaybackMonths}, []MetricID{PaybackMonths}},
	}
	for _, tc := range cases {
		if got := Concealed(tc.hidden); !slices.Equal(got, tc.want) {
			t.Errorf("Concealed(%v) = %v, want %v", tc.hidden, got, tc.want)
		}
	}
}

func TestMentions(t *testing.T) {
	hidden := []MetricID{CAC, PaybackMonths, MER}
	cases := []struct {
		text string
		want bool
	}{
		{"ROAS was 3.21x last week.", false},
		{"Blended MER is 54.28x.", true},
		{"marketing efficiency ratio fell", true},
		{"blended roas held steady", true},
		{"Customer acquisition cost rose", true},
		{"CAC payback lengthened", true},
		{"payback_months is 4.2", true},
		{"Summer sale merchandising", false}, // "mer" only as a word
		{"Cost per acquisition (CPA) rose", false},
	}
	for _, tc := range cases {
		if got := Mentions(tc.text, hidden); got != tc.want {
			t.Errorf("Mentions(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestSentences(t *testing.T) {
	got := Sentences("ROAS is 3.21x, down 4.0%. Platforms claim $1,204.50; blended MER is 54.28x. Next: look at Meta.")
	want := []string{"ROAS is 3.21x, down 4.0%.", "Platforms claim $1,204.50; blended MER is 54.28x.", "Next: look at Meta."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sentences (-want +got):\n%s", diff)
	}
}

// TestWithholdCatchesPlantedLeak plants a hidden metric in every part of
// an answer; Withhold takes out exactly those parts and says where they
// were, leaving every other sentence and value.
func TestWithholdCatchesPlantedLeak(t *testing.T) {
	a := Answer{
		Metrics:     []MetricID{ROAS, MER},
		Rows:        []Row{{Key: map[string]string{"platform": "meta"}, Values: Values{ROAS: Float(3.2), MER: Float(54.28)}}},
		Total:       Row{Values: Values{ROAS: Float(3.1), MER: Float(54.28)}, CompareValues: Values{MER: Float(50)}},
		Summary:     "ROAS was 3.10x last week.",
		SoWhat:      "ROAS is down 4.0% vs the week before. Platforms claim $120,400; blended MER is 54.28x. Next: look at Meta's largest campaigns.",
		Notes:       []string{"Data for Meta ends Nov 21.", "MER uses business revenue."},
		Suggestions: []string{"ROAS by platform last week", "MER last week"},
	}
	leaks := a.Withhold([]MetricID{CAC, PaybackMonths, MER})
	want := Answer{
		Metrics:     []MetricID{ROAS},
		Rows:        []Row{{Key: map[string]string{"platform": "meta"}, Values: Values{ROAS: Float(3.2)}}},
		Total:       Row{Values: Values{ROAS: Float(3.1)}, CompareValues: Values{}},
		Summary:     "ROAS was 3.10x last week.",
		SoWhat:      "ROAS is down 4.0% vs the week before. Next: look at Meta's largest campaigns.",
		Notes:       []string{"Data for Meta ends Nov 21."},
		Suggestions: []string{"ROAS by platform last week"},
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("withheld answer (-want +got):\n%s", diff)
	}
	if wantLeaks := []string{"metrics", "rows", "total", "so_what", "notes", "suggestions"}; !slices.Equal(leaks, wantLeaks) {
		t.Errorf("leaks %v, want %v", leaks, wantLeaks)
	}
	if again := a.Withhold([]MetricID{MER}); again != nil {
		t.Errorf("a clean answer reported leaks %v", again)
	}
}
