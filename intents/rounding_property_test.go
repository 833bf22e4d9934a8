package intents

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// figureRE finds the figures of a text with their units: $1,204.50, 12.4%,
// 3.21x, 0.50 pts, 1.5 months.
var figureRE = regexp.MustCompile(`(\$)?(\d[\d,]*(?:\.\d+)?)(%|x\b| pts| months)?`)

// figure is one figure of a text: its unit, its value and its decimals.
type figure struct {
	text, unit string
	v          float64
	decimals   int
}

func figures(text string) []figure {
	var out []figure
	for _, m := range figureRE.FindAllStringSubmatch(text, -1) {
		unit := m[1] + m[3]
		if unit == "" {
			continue // plain counts and dates: too many coincide by chance
		}
		num := strings.ReplaceAll(m[2], ",", "")
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		d := 0
		if _, frac, ok := strings.Cut(num, "."); ok {
			d = len(frac)
		}
		out = append(out, figure{text: m[0], unit: unit, v: v, decimals: d})
	}
	return out
}

// twoRoundings returns a pair of figures in text that are one value
// written with two precisions ("5.12%" and "5.1%", "$56,603" and
// "$56,602.50"), or false.
func twoRoundings(text string) (figure, figure, bool) {
	fs := figures(text)
	for i, a := range fs {
		for _, b := range fs[i+1:] {
			if a.unit != b.unit || a.decimals == b.decimals {
				continue
			}
			coarse := a
			if b.decimals < a.decimals {
				coarse = b
			}
			half := math.Pow(10, -float64(coarse.decimals)) / 2
			if math.Abs(a.v-b.v) <= half+1e-9 {
				return a, b, true
			}
		}
	}
	return figure{}, figure{}, false
}

func TestTwoRoundingsFound(t *testing.T) {
	for text, want := range map[string]bool{
		"CPA is up 5.12%; that is +5.1% on last week.": true,
		"Plan $56,603; spent $56,602.50.":              true,
		"Meta 13.0% under, Google 13.6% under.":        false,
		"+30.3% and later +30.3%.":                     false,
		"$99.50 and $120":                              false,
	} {
		if _, _, got := twoRoundings(text); got != want {
			t.Errorf("twoRoundings(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestNoFigureWithTwoRoundings: over a grid of questions and days on the
// demo data, no answer's text writes one figure with two roundings.
func TestNoFigureWithTwoRoundings(t *testing.T) {
	eng, _ := demoDB(t)
	days := []time.Time{asOf, asOf.AddDate(0, 0, -6), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 16, 0, 0, 0, 0, time.UTC)}
	qs := []string{
		"are we on budget this month?", "how much did we spend yesterday", "spend mtd yoy", "spend last week vs the week before",
		"pacing by campaign this month", "how did Meta CPA change last week?", "why did CPA go up last week?", "ROAS by platform last month",
		"top 5 campaigns by revenue last week", "weekly spend trend over the last 8 weeks", "CAC last month vs the month before",
		"compare google and meta roas last month", "MER last week", "revenue yesterday", "how did electronics do last month vs the month before",
	}
	for _, day := range days {
		for _, q := range qs {
			for _, aud := range []string{"cfo", "cmo", "team"} {
				a, _, err := eng.Ask(context.Background(), q, day, aud)
				if err != nil {
					t.Fatalf("%s %q: %v", day.Format("2006-01-02"), q, err)
				}
				text := strings.Join(append([]string{a.Summary, a.SoWhat}, a.Notes...), "\n")
				if x, y, bad := twoRoundings(text); bad {
					t.Errorf("as of %s, %q (%s) writes one figure as %q and %q:\n%s", day.Format("2006-01-02"), q, aud, x.text, y.text, text)
				}
			}
		}
	}
}
