package reports

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// longFloat matches numbers written with many decimals: sums over the same
// rows in another order differ in their last bits.
var longFloat = regexp.MustCompile(`-?\d+\.\d{8,}(e[-+]?\d+)?`)

// roundFloats writes every long number to 10 significant digits.
func roundFloats(js []byte) []byte {
	return longFloat.ReplaceAllFunc(js, func(b []byte) []byte {
		v, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return b
		}
		return []byte(strconv.FormatFloat(v, 'g', 10, 64))
	})
}

// importedAt matches the import times in answers' freshness, which are the
// wall-clock time the demo was built.
var importedAt = regexp.MustCompile(`"imported_at": "[^"]*"`)

func TestDigestGolden(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, _ := demo(t)
		b := NewBuilder(engine(st), fakeChart, quietLog())
		for _, aud := range model.Audiences {
			t.Run(string(aud), func(t *testing.T) {
				d, err := b.Build(context.Background(), PreviewConfig(aud), demoAsOf)
				if err != nil {
					t.Fatal(err)
				}
				if len(d.Highlights) != 3 {
					t.Errorf("%d highlights, want 3: %+v", len(d.Highlights), d.Highlights)
				}
				if len(d.Charts) == 0 {
					t.Errorf("no chart")
				}
				golden(t, string(aud)+".txt.golden", []byte(Text(d)))
				js, err := json.MarshalIndent(d, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				js = importedAt.ReplaceAll(js, []byte(`"imported_at": "(import time)"`))
				js = roundFloats(js)
				golden(t, string(aud)+".json.golden", append(js, '\n'))
			})
		}
	})
}

// TestTableCellsCarryTheirNumbers: every derived table's printed cell has
// its raw number at the same place, and the number prints as the cell does
// (currency in cents, changes as fractions), so a script reading the JSON
// never parses "$1,204".
func TestTableCellsCarryTheirNumbers(t *testing.T) {
	forEachDialect(t, func(t *testing.T, demo func(*testing.T) (*data.Store, string)) {
		st, _ := demo(t)
		b := NewBuilder(engine(st), fakeChart, quietLog())
		tables := 0
		for _, aud := range model.Audiences {
			d, err := b.Build(context.Background(), PreviewConfig(aud), demoAsOf)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range d.Sections {
				tb := s.Table
				if tb == nil {
					continue
				}
				tables++
				if len(tb.Values) != len(tb.Rows) {
					t.Fatalf("%s %q: %d rows of values for %d printed rows", aud, tb.Title, len(tb.Values), len(tb.Rows))
				}
				for i, row := range tb.Rows {
					for j, cell := range row {
						v := tb.Values[i][j]
						if v == nil || j == 0 {
							continue
						}
						if j <= 2 && wording.Value(model.UnitCurrency, v) != cell {
							t.Errorf("%s %q row %d: value %v prints as %s, cell says %s", aud, tb.Title, i, *v, wording.Value(model.UnitCurrency, v), cell)
						}
						if j <= 2 && math.Round(*v*100)/100 != *v {
							t.Errorf("%s %q row %d: %v is not in cents", aud, tb.Title, i, *v)
						}
					}
				}
			}
		}
		if tables == 0 {
			t.Fatal("no digest has a derived table to check")
		}
	})
}
