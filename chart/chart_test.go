package chart

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/model/period"
)

var update = flag.Bool("update", false, "rewrite golden PNGs in testdata")

func day(s string) time.Time {
	t, err := time.Parse(period.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func span(start, end string) period.Period {
	return period.Period{Start: day(start), End: day(end)}
}

// dailySpend is spend by day over October with a weekly rhythm; the day
// nilDay (an index, or -1) has no value.
func dailySpend(nilDay int) model.Answer {
	a := model.Answer{Metrics: []model.MetricID{model.Spend}, Period: span("2026-10-01", "2026-10-31"), GroupBy: []string{model.DimDay}}
	for i := range 31 {
		d := day("2026-10-01").AddDate(0, 0, i)
		var v *float64
		if i != nilDay {
			v = model.Float(math.Round(42000 + 9000*math.Sin(float64(i)*2*math.Pi/7) + 350*float64(i)))
		}
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimDay: d.Format(period.DateLayout)}, Values: model.Values{model.Spend: v}})
	}
	return a
}

// platformROAS is ROAS by platform against September, ranked; Pinterest
// has no value this period.
func platformROAS() model.Answer {
	sep := span("2026-09-01", "2026-09-30")
	a := model.Answer{Metrics: []model.MetricID{model.ROAS, model.Spend}, Period: span("2026-10-01", "2026-10-31"), ComparePeriod: &sep, GroupBy: []string{model.DimPlatform}}
	rows := []struct {
		id       string
		cur, old *float64
	}{
		{"amazon_ads", model.Float(5.84), model.Float(5.1)},
		{"google_ads", model.Float(4.62), model.Float(4.9)},
		{"meta", model.Float(3.95), model.Float(3.4)},
		{"criteo", model.Float(3.1), model.Float(3.3)},
		{"microsoft_ads", model.Float(2.71), model.Float(2.2)},
		{"the_trade_desk", model.Float(1.93), model.Float(2.4)},
		{"tiktok", model.Float(1.42), nil},
		{"pinterest", nil, model.Float(1.1)},
	}
	for _, r := range rows {
		a.Rows = append(a.Rows, model.Row{
			Key:           map[string]string{model.DimPlatform: r.id},
			Values:        model.Values{model.ROAS: r.cur, model.Spend: model.Float(1000)},
			CompareValues: model.Values{model.ROAS: r.old},
		})
	}
	return a
}

// campaignCPA is CPA by campaign for 40 campaigns, some with long names.
func campaignCPA() model.Answer {
	a := model.Answer{Metrics: []model.MetricID{model.CPA}, Period: span("2026-11-16", "2026-11-22"), GroupBy: []string{model.DimCampaign},
		Filters: map[string][]string{model.DimPlatform: {"google_ads"}}}
	for i := range 40 {
		name := fmt.Sprintf("Campaign %02d", i+1)
		if i%4 == 1 {
			name = fmt.Sprintf("Holiday 2026 | Performance Max | Electronics & Home Appliances | US %02d", i+1)
		}
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimCampaign: name}, Values: model.Values{model.CPA: model.Float(18.5 + 2.75*float64(i))}})
	}
	return a
}

// weeklyByPlatform is spend by week and platform over a quarter.
func weeklyByPlatform() model.Answer {
	a := model.Answer{Metrics: []model.MetricID{model.Spend}, Period: span("2026-07-06", "2026-09-27"), GroupBy: []string{model.DimWeek, model.DimPlatform}}
	for w := range 12 {
		d := day("2026-07-06").AddDate(0, 0, 7*w).Format(period.DateLayout)
		for p, id := range []string{"google_ads", "meta", "amazon_ads", "tiktok"} {
			v := (120000 - 25000*float64(p)) * (1 + 0.04*float64(w)*float64(2-p)/2)
			a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimWeek: d, model.DimPlatform: id}, Values: model.Values{model.Spend: model.Float(math.Round(v))}})
		}
	}
	return a
}

// monthlyRevenue is business revenue for three months against the year
// before.
func monthlyRevenue() model.Answer {
	ly := span("2025-08-01", "2025-10-31")
	a := model.Answer{Metrics: []model.MetricID{model.BusinessRevenue}, Period: span("2026-08-01", "2026-10-31"), ComparePeriod: &ly, GroupBy: []string{model.DimMonth}}
	for i, v := range [][2]float64{{4.21e6, 3.86e6}, {4.48e6, 4.02e6}, {4.93e6, 4.71e6}} {
		m := day("2026-08-01").AddDate(0, i, 0).Format(period.DateLayout)
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimMonth: m}, Values: model.Values{model.BusinessRevenue: model.Float(v[0])}, CompareValues: model.Values{model.BusinessRevenue: model.Float(v[1])}})
	}
	return a
}

// dailyCTR is a narrow-range percentage over 90 days.
func dailyCTR() model.Answer {
	a := model.Answer{Metrics: []model.MetricID{model.CTR}, Period: span("2026-08-03", "2026-10-31"), GroupBy: []string{model.DimDay}}
	for i := range 90 {
		d := day("2026-08-03").AddDate(0, 0, i).Format(period.DateLayout)
		v := 0.0215 + 0.0012*math.Sin(float64(i)/5) + 0.00003*float64(i)
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimDay: d}, Values: model.Values{model.CTR: model.Float(v)}})
	}
	return a
}

// weeklyVsPrior is weekly CPA over a quarter against the quarter before.
func weeklyVsPrior() model.Answer {
	prior := span("2026-04-06", "2026-07-05")
	a := model.Answer{Metrics: []model.MetricID{model.CPA}, Period: span("2026-07-06", "2026-10-04"), ComparePeriod: &prior, GroupBy: []string{model.DimWeek}}
	for w := range 13 {
		d := day("2026-07-06").AddDate(0, 0, 7*w).Format(period.DateLayout)
		cur, old := 31-0.6*float64(w)+1.5*math.Sin(float64(w)), 34+0.2*float64(w)+math.Cos(float64(w))
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimWeek: d}, Values: model.Values{model.CPA: model.Float(cur)}, CompareValues: model.Values{model.CPA: model.Float(old)}})
	}
	return a
}

// monthlyByCampaign has more campaigns, with long names, than a chart has
// lines.
func monthlyByCampaign() model.Answer {
	a := model.Answer{Metrics: []model.MetricID{model.Revenue}, Period: span("2026-01-01", "2026-10-31"), GroupBy: []string{model.DimMonth, model.DimCampaign}}
	names := []string{"Brand Search - US", "Holiday 2026 | Performance Max | Electronics", "Retargeting - Cart Abandoners 30d", "Prospecting Lookalike 1%", "Spring Sale", "Back to School Video", "CTV Awareness Q3", "Shopping - All Products", "Catalog Sales"}
	for m := range 10 {
		d := day("2026-01-01").AddDate(0, m, 0).Format(period.DateLayout)
		for i, n := range names {
			v := (9 - float64(i)) * 21000 * (1 + 0.05*float64(m*(i%3)))
			if i == 4 && m > 4 { // the spring sale ended
				continue
			}
			a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimMonth: d, model.DimCampaign: n}, Values: model.Values{model.Revenue: model.Float(v)}})
		}
	}
	return a
}

// dailyTwoYears is two years of daily ROAS with gaps, one of them leaving
// a single day alone.
func dailyTwoYears() model.Answer {
	a := model.Answer{Metrics: []model.MetricID{model.ROAS}, Period: span("2025-01-01", "2026-12-31"), GroupBy: []string{model.DimDay}}
	for i := range 730 {
		if (i >= 500 && i < 520) || (i >= 521 && i < 530) {
			continue // missing days: no rows at all
		}
		d := day("2025-01-01").AddDate(0, 0, i).Format(period.DateLayout)
		v := 3.2 + 0.8*math.Sin(float64(i)/58) + 0.25*math.Sin(float64(i)*1.7)
		a.Rows = append(a.Rows, model.Row{Key: map[string]string{model.DimDay: d}, Values: model.Values{model.ROAS: model.Float(v)}})
	}
	return a
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	return img
}

func render(t *testing.T, a model.Answer) image.Image {
	t.Helper()
	b, ok, err := Render(a)
	if err != nil || !ok {
		t.Fatalf("Render: ok=%v err=%v", ok, err)
	}
	return decode(t, b)
}

func same(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	return uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B
}

// columnsWith returns, for each x, whether the column holds a pixel of col.
func columnsWith(img image.Image, col color.RGBA) []bool {
	bnd := img.Bounds()
	out := make([]bool, bnd.Dx())
	for x := bnd.Min.X; x < bnd.Max.X; x++ {
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			if same(img.At(x, y), col) {
				out[x-bnd.Min.X] = true
				break
			}
		}
	}
	return out
}

// widestGap is the longest run of columns without col between the first
// and the last column with it.
func widestGap(has []bool) int {
	first, last := -1, -1
	for x, h := range has {
		if h {
			if first < 0 {
				first = x
			}
			last = x
		}
	}
	gap, run := 0, 0
	for x := first; x >= 0 && x <= last; x++ {
		if has[x] {
			run = 0
			continue
		}
		run++
		gap = max(gap, run)
	}
	return gap
}

func checkPicture(t *testing.T, img image.Image) {
	t.Helper()
	if got, want := img.Bounds().Size(), image.Pt(chartWidth*scale, chartHeight*scale); got != want {
		t.Errorf("size = %v, want %v", got, want)
	}
	nonWhite := 0
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			if !same(img.At(x, y), color.RGBA{0xff, 0xff, 0xff, 0xff}) {
				nonWhite++
			}
		}
	}
	if total := img.Bounds().Dx() * img.Bounds().Dy(); nonWhite < total/100 {
		t.Errorf("only %d of %d pixels are drawn", nonWhite, total)
	}
}

func TestRenderTimeSeries(t *testing.T) {
	img := render(t, dailySpend(-1))
	checkPicture(t, img)
	has := columnsWith(img, seriesColor(0))
	n := 0
	for x, h := range has {
		if h && x > chartWidth*scale/4 && x < chartWidth*scale*3/4 {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no pixel of the series colour in the middle of the plot")
	}
	if gap := widestGap(has); gap > 0 {
		t.Errorf("a complete series has a gap %d px wide", gap)
	}

	gapped := render(t, dailySpend(15))
	// The nil day and its two segments are missing: about two point
	// spacings (≈ 48 px each at 2x) less the dots' radius.
	if gap := widestGap(columnsWith(gapped, seriesColor(0))); gap < 60 {
		t.Errorf("nil day leaves a gap of %d px, want a gap of about two points", gap)
	}
}

func TestRenderBarsWithCompare(t *testing.T) {
	img := render(t, platformROAS())
	checkPicture(t, img)
	cur, old := seriesColor(0), lighter(seriesColor(0), 0.6)
	// Every bar starts at the zero line: count the bars crossing a column
	// just right of it.
	zero := -1
	for x, h := range columnsWith(img, old) {
		if h {
			zero = x
			break
		}
	}
	if zero < 0 {
		t.Fatal("no compare bars")
	}
	x := zero + 4
	runs := func(col color.RGBA) int {
		n, in := 0, false
		for y := range img.Bounds().Dy() {
			h := same(img.At(x, y), col)
			if h && !in {
				n++
			}
			in = h
		}
		return n
	}
	// 8 platforms; Pinterest has no current value, TikTok no prior one.
	// The legend swatches sit left of the plot, outside this column.
	if got := runs(cur); got != 7 {
		t.Errorf("%d current bars, want 7 (no bar for the nil value)", got)
	}
	if got := runs(old); got != 7 {
		t.Errorf("%d compare bars, want 7", got)
	}
}

func TestRenderNotWorthCharting(t *testing.T) {
	one := dailySpend(-1)
	one.Rows = one.Rows[:1]
	mostlyNil := platformROAS()
	for _, r := range mostlyNil.Rows[1:] {
		r.Values[model.ROAS] = nil
	}
	ungrouped := dailySpend(-1)
	ungrouped.GroupBy = nil
	noMetric := platformROAS()
	noMetric.Metrics = nil
	clarify := platformROAS()
	clarify.Clarify = "Which ROAS do you mean?"
	for name, a := range map[string]model.Answer{
		"no group_by": ungrouped, "one row": one, "one value": mostlyNil, "no metric": noMetric, "clarifying": clarify,
		"empty": {},
	} {
		t.Run(name, func(t *testing.T) {
			b, ok, err := Render(a)
			if ok || err != nil || b != nil {
				t.Errorf("Render = %d bytes, ok=%v, err=%v; want nothing", len(b), ok, err)
			}
		})
	}
}

func TestRenderDeterministic(t *testing.T) {
	for _, a := range []model.Answer{dailySpend(3), platformROAS(), weeklyByPlatform()} {
		b1, _, err1 := Render(a)
		b2, _, err2 := Render(a)
		if err1 != nil || err2 != nil || !bytes.Equal(b1, b2) {
			t.Errorf("two renders differ (err %v, %v)", err1, err2)
		}
	}
}

func TestRenderConcurrent(t *testing.T) {
	answers := []model.Answer{dailySpend(3), platformROAS(), campaignCPA(), weeklyByPlatform()}
	want := make([][]byte, len(answers))
	for i, a := range answers {
		want[i], _, _ = Render(a)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 4 {
				i := (g + k) % len(answers)
				if got, _, err := Render(answers[i]); err != nil || !bytes.Equal(got, want[i]) {
					t.Errorf("concurrent render %d differs (err %v)", i, err)
				}
			}
		})
	}
	wg.Wait()
}

// goldens are the charts TestGolden checks against testdata/<name>.png.
var goldens = map[string]func() ([]byte, error){
	"daily_spend":         renderAnswer(dailySpend(15)),
	"platform_roas":       renderAnswer(platformROAS()),
	"campaign_cpa":        renderAnswer(campaignCPA()),
	"weekly_by_platform":  renderAnswer(weeklyByPlatform()),
	"monthly_revenue":     renderAnswer(monthlyRevenue()),
	"daily_ctr":           renderAnswer(dailyCTR()),
	"weekly_vs_prior":     renderAnswer(weeklyVsPrior()),
	"monthly_by_campaign": renderAnswer(monthlyByCampaign()),
	"daily_two_years":     renderAnswer(dailyTwoYears()),
	"bars_negative": func() ([]byte, error) {
		return Bars("Change in conversions by region\nNov 16–22, 2026 vs the week before",
			[]string{"West", "Northeast", "Midwest", "South", "Mountain", "Pacific Northwest"},
			[]float64{412, 168, 35, -96, -240, math.NaN()}, nil, model.UnitCount)
	},
}

func renderAnswer(a model.Answer) func() ([]byte, error) {
	return func() ([]byte, error) {
		b, ok, err := Render(a)
		if err == nil && !ok {
			err = fmt.Errorf("not charted")
		}
		return b, err
	}
}

func TestHelpersReject(t *testing.T) {
	if _, err := Bars("x", []string{"a", "b"}, []float64{1}, nil, model.UnitCount); err == nil {
		t.Error("Bars with fewer values than labels: no error")
	}
	if _, err := Bars("x", nil, nil, nil, model.UnitCount); err == nil {
		t.Error("Bars with no labels: no error")
	}
	if _, err := Lines("x", []string{"a", "b"}, []Series{{Name: "s", Values: []float64{1, 2, 3}}}, model.UnitCount); err == nil {
		t.Error("Lines with a series of the wrong length: no error")
	}
}

func TestFontCoversPunctuation(t *testing.T) {
	for _, r := range "…–·×'$%" {
		if i, err := regularFont().GlyphIndex(nil, r); err != nil || i == 0 {
			t.Errorf("the font has no glyph for %q", r)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	for name, a := range map[string]model.Answer{"line": dailyCTR(), "bars": platformROAS(), "bars25": campaignCPA()} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Render(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
