package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/data/pgtest"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model"
	"github.com/sowhat-ai/sowhat/wording"
)

// postgresDemo returns the URL of a PostgreSQL copy of the demo data
// built for asOf: generated once per test binary, copied for each test.
func postgresDemo(t *testing.T, asOf time.Time) string {
	t.Helper()
	return pgtest.Copy(t, "demo "+asOf.Format(time.DateOnly), func(url string) error {
		ctx := context.Background()
		st, err := data.Open(ctx, url)
		if err != nil {
			return err
		}
		if _, err := demo.Generate(ctx, st, asOf); err != nil {
			st.Close()
			return err
		}
		return st.Close()
	})
}

// TestAnswersSameOnBothDatabases asks the property grid (every question on
// every day, and each audience's help examples) of the demo data in SQLite
// and in PostgreSQL: every answer, as JSON, is the same, numbers within
// 1e-9 of each other (sums may add in another order), and its text, which
// rounds them, word for word. Only when each was imported differs.
func TestAnswersSameOnBothDatabases(t *testing.T) {
	if testing.Short() {
		t.Skip("the grid asks hundreds of questions of two databases")
	}
	lite := propertyEngine(t)
	pg := engine(openStore(t, postgresDemo(t, propertyDemoAsOf)))
	questions := append([]struct{ q, audience string }(nil), propertyQuestions...)
	for _, aud := range model.Audiences {
		for _, q := range intents.Examples(string(aud)) {
			questions = append(questions, struct{ q, audience string }{q, string(aud)})
		}
	}
	ctx := context.Background()
	asked := 0
	for _, day := range propertyDays {
		asOf, _ := time.Parse(time.DateOnly, day)
		for _, pq := range questions {
			want, _, werr := lite.Ask(ctx, pq.q, asOf, pq.audience)
			got, _, gerr := pg.Ask(ctx, pq.q, asOf, pq.audience)
			asked++
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Errorf("%q as of %s: SQLite error %v, PostgreSQL error %v", pq.q, day, werr, gerr)
				continue
			}
			if diff := answerDiff(t, want, got); diff != "" {
				t.Errorf("%q as of %s (%s): answers differ: %s", pq.q, day, pq.audience, diff)
			}
			if w, g := wording.Text(want), wording.Text(got); w != g {
				t.Errorf("%q as of %s (%s): text differs:\nSQLite:     %s\nPostgreSQL: %s", pq.q, day, pq.audience, w, g)
			}
		}
	}
	t.Logf("%d answers compared", asked)
}

// answerDiff compares two answers as JSON, numbers within 1e-9 relative.
func answerDiff(t *testing.T, a, b model.Answer) string {
	t.Helper()
	decode := func(a model.Answer) any {
		raw, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	return jsonDiff("", decode(a), decode(b))
}

func jsonDiff(path string, a, b any) string {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok || math.Abs(x-y) > 1e-9*math.Max(1, math.Max(math.Abs(x), math.Abs(y))) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		for k, v := range x {
			if k == "imported_at" {
				continue // when each database was built: a second apart
			}
			if d := jsonDiff(path+"."+k, v, y[k]); d != "" {
				return d
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		for i := range x {
			if d := jsonDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
	default:
		if a != b {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
	}
	return ""
}

// forEachDialect runs f as two subtests, sqlite and postgres; demo gives
// each test its own copy of the demo data (built for demoAsOf) in that
// database, and the path or URL a second replica opens it by.
func forEachDialect(t *testing.T, f func(t *testing.T, demo func(*testing.T) (*data.Store, string))) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, demoStore) })
	t.Run("postgres", func(t *testing.T) {
		f(t, func(t *testing.T) (*data.Store, string) {
			url := postgresDemo(t, demoAsOf)
			return openStore(t, url), url
		})
	})
}
