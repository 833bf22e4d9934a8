package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sowhat-ai/sowhat/data"
	"github.com/sowhat-ai/sowhat/data/demo"
	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/model/period"
	"github.com/sowhat-ai/sowhat/question"
)

// evalQuestions is the question set shipped with sowhat: several hundred
// questions with the request each should be read as.
//
//go:embed evalset/questions.yaml
var evalQuestions []byte

// evalSet is a question set: questions with their expected requests, read
// as of one day over the demo data.
type evalSet struct {
	AsOf      string         `yaml:"as_of"`
	Questions []evalQuestion `yaml:"questions"`
}

// evalQuestion is one question and what it should be read as. Source says
// where the expectation came from: "parser" (a phrasing the parser read
// right when the set was made), "paraphrase" (written by hand, the way
// executives talk), or "refuse" (not a marketing question: it should be
// asked back or refused, never answered).
type evalQuestion struct {
	Q      string      `yaml:"q"`
	Source string      `yaml:"source"`
	Want   evalRequest `yaml:"want"`
}

// evalRequest is an expected request in the answer shape's field names.
type evalRequest struct {
	Intent        string              `yaml:"intent"`
	Metrics       []string            `yaml:"metrics,omitempty"`
	Period        *evalPeriod         `yaml:"period,omitempty"`
	ComparePeriod *evalPeriod         `yaml:"compare_period,omitempty"`
	Filters       map[string][]string `yaml:"filters,omitempty"`
	GroupBy       []string            `yaml:"group_by,omitempty"`
	Order         string              `yaml:"order,omitempty"`
	Limit         int                 `yaml:"limit,omitempty"`
}

type evalPeriod struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// evalPath is one way of reading questions: the parser alone, or with
// the model.
type evalPath struct {
	name  string
	eng   *intents.Engine
	right map[int]bool
	took  []time.Duration
}

func cmdEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags("eval", e)
	withLLM := fs.Bool("llm", false, "also read every question with the configured model (OPENAI_*) and compare")
	setFile := fs.String("set", "", "a question set (YAML, as evalset/questions.yaml); default the one shipped")
	db := fs.String("db", "", "the database whose names questions are read with (default: the demo data, built as of the set's date)")
	verbose := fs.Bool("v", false, "list every question a path gets wrong")
	budget := fs.Duration("budget", intents.DefaultModelBudget, "how long the model may take per question before the parser's reading is kept, as when answering")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	set, err := loadEvalSet(*setFile)
	if err != nil {
		return err
	}
	asOf, err := time.Parse(period.DateLayout, set.AsOf)
	if err != nil {
		return fmt.Errorf("question set: as_of %q: want YYYY-MM-DD", set.AsOf)
	}
	if *withLLM && !e.cfg.LLM.Enabled() {
		return fmt.Errorf("%w: eval --llm needs a model: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)", errUsage)
	}
	st, cleanup, err := e.evalStore(ctx, *db, asOf)
	if err != nil {
		return err
	}
	defer cleanup()
	base := []intents.Option{intents.WithLogger(e.log), intents.WithFiscalCalendar(e.cfg.Fiscal)}
	paths := []*evalPath{{name: "parser", eng: intents.New(st, base...)}}
	client := e.llmClient()
	if *withLLM {
		paths = append(paths, &evalPath{name: "parser+model", eng: intents.New(st, append(base, intents.WithUnderstander(client), intents.WithModelBudget(*budget))...)})
	}
	for _, p := range paths {
		if err := p.run(ctx, set, asOf); err != nil {
			return err
		}
	}
	printEval(e.stdout, set, paths, *verbose)
	if *withLLM {
		prompt, completion, calls := client.Tokens()
		fmt.Fprintf(e.stdout, "\nModel: %s, %d calls, %d prompt and %d completion tokens.\n", e.cfg.LLM.Model, calls, prompt, completion)
	} else {
		fmt.Fprintln(e.stdout, "\nSet OPENAI_API_KEY (or OPENAI_BASE_URL) and run sowhat eval --llm to see what the model adds.")
	}
	return nil
}

// loadEvalSet reads the question set from file, or the shipped one.
func loadEvalSet(file string) (evalSet, error) {
	b := evalQuestions
	if file != "" {
		var err error
		if b, err = os.ReadFile(file); err != nil {
			return evalSet{}, fmt.Errorf("question set: %w", err)
		}
	}
	var set evalSet
	if err := yaml.Unmarshal(b, &set); err != nil {
		return evalSet{}, fmt.Errorf("question set %s: %w", defaultString(file, "(shipped)"), err)
	}
	if len(set.Questions) == 0 {
		return evalSet{}, errors.New("question set: no questions")
	}
	return set, nil
}

// evalStore is the database given, or the demo data built as of the set's
// day in a temporary directory, removed afterwards.
func (e *env) evalStore(ctx context.Context, db string, asOf time.Time) (*data.Store, func(), error) {
	if db != "" {
		st, err := e.openStore(ctx, db, reads)
		if err != nil {
			return nil, nil, err
		}
		return st, func() { closeQuietly(st) }, nil
	}
	dir, err := os.MkdirTemp("", "sowhat-eval-")
	if err != nil {
		return nil, nil, fmt.Errorf("eval: %w", err)
	}
	st, err := e.open(ctx, filepath.Join(dir, "demo.db"))
	if err == nil {
		_, err = demo.Generate(ctx, st, asOf)
	}
	cleanup := func() {
		if st != nil {
			closeQuietly(st)
		}
		_ = os.RemoveAll(dir)
	}
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("eval: build the demo data: %w", err)
	}
	return st, cleanup, nil
}

func (p *evalPath) run(ctx context.Context, set evalSet, asOf time.Time) error {
	p.right = map[int]bool{}
	for i, q := range set.Questions {
		start := time.Now()
		req, err := p.eng.Understand(ctx, q.Q, asOf, question.Reader{}, nil)
		p.took = append(p.took, time.Since(start))
		if err != nil {
			return fmt.Errorf("eval %q: %w", q.Q, err)
		}
		p.right[i] = q.Want.matches(req)
	}
	return nil
}

// matches reports whether a request is the one expected: the same intent,
// metrics, periods, filters and grouping, and for a ranked list its order
// and length. A "refuse" question is right when it is asked back or
// refused.
func (w evalRequest) matches(req question.Request) bool {
	if w.Intent == string(question.IntentUnknown) {
		return req.Intent == question.IntentUnknown || req.Intent == question.IntentHelp || req.Clarify != ""
	}
	if req.Clarify != "" {
		return false
	}
	got := question.DraftOf(req)
	switch {
	case got.Intent != w.Intent:
		return false
	case len(w.Metrics) > 0 && !slices.Equal(got.Metrics, w.Metrics):
		return false
	case w.Period != nil && (got.Period == nil || got.Period.Start != w.Period.Start || got.Period.End != w.Period.End):
		return false
	case (w.ComparePeriod == nil) != (got.ComparePeriod == nil):
		return false
	case w.ComparePeriod != nil && (got.ComparePeriod.Start != w.ComparePeriod.Start || got.ComparePeriod.End != w.ComparePeriod.End):
		return false
	case !sameFilters(got.Filters, w.Filters) || !slices.Equal(got.GroupBy, w.GroupBy):
		return false
	}
	if w.Intent == string(question.IntentTop) {
		return defaultString(got.Order, "desc") == defaultString(w.Order, "desc") && got.Limit == w.Limit
	}
	return true
}

func sameFilters(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		x, y := slices.Clone(v), slices.Clone(b[k])
		slices.Sort(x)
		slices.Sort(y)
		if !slices.Equal(x, y) {
			return false
		}
	}
	return true
}

// printEval writes the accuracy per intent of each path, the questions one
// gets right that the other misses, and the latency per path.
func printEval(w io.Writer, set evalSet, paths []*evalPath, verbose bool) {
	sources := map[string]int{}
	byIntent := map[string][]int{}
	for i, q := range set.Questions {
		sources[q.Source]++
		byIntent[q.Want.Intent] = append(byIntent[q.Want.Intent], i)
	}
	fmt.Fprintf(w, "Question set: %d questions as of %s (%d the parser read when the set was made, %d paraphrases, %d to refuse).\n\n",
		len(set.Questions), set.AsOf, sources["parser"], sources["paraphrase"], sources["refuse"])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "intent\tquestions\t"
	for _, p := range paths {
		head += p.name + "\t"
	}
	fmt.Fprintln(tw, head)
	intentsSeen := make([]string, 0, len(byIntent))
	for k := range byIntent {
		intentsSeen = append(intentsSeen, k)
	}
	sort.Strings(intentsSeen)
	all := make([]int, len(set.Questions))
	for i := range all {
		all[i] = i
	}
	row := func(name string, idx []int) {
		line := fmt.Sprintf("%s\t%d\t", name, len(idx))
		for _, p := range paths {
			line += fmt.Sprintf("%.1f%%\t", p.accuracy(idx))
		}
		fmt.Fprintln(tw, line)
	}
	for _, k := range intentsSeen {
		row(k, byIntent[k])
	}
	row("all", all)
	for _, src := range []string{"parser", "paraphrase", "refuse"} {
		var idx []int
		for i, q := range set.Questions {
			if q.Source == src {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 {
			row("source "+src, idx)
		}
	}
	_ = tw.Flush()
	fmt.Fprintln(w)
	for _, p := range paths {
		p50, p95, mx := quantiles(p.took)
		fmt.Fprintf(w, "Latency, %s: p50 %s, p95 %s, max %s per question.\n", p.name, p50, p95, mx)
	}
	if len(paths) == 2 {
		diff(w, set, paths[1], paths[0])
		diff(w, set, paths[0], paths[1])
	}
	if verbose {
		for _, p := range paths {
			var wrong []string
			for i, q := range set.Questions {
				if !p.right[i] {
					wrong = append(wrong, q.Q)
				}
			}
			list(w, fmt.Sprintf("Wrong with %s", p.name), wrong)
		}
	}
}

// diff lists the questions a gets right that b misses.
func diff(w io.Writer, set evalSet, a, b *evalPath) {
	var qs []string
	for i, q := range set.Questions {
		if a.right[i] && !b.right[i] {
			qs = append(qs, q.Q)
		}
	}
	list(w, fmt.Sprintf("Right with %s, missed by %s", a.name, b.name), qs)
}

func list(w io.Writer, title string, qs []string) {
	fmt.Fprintf(w, "\n%s (%d):\n", title, len(qs))
	for _, q := range qs {
		fmt.Fprintf(w, "  - %s\n", q)
	}
}

func (p *evalPath) accuracy(idx []int) float64 {
	if len(idx) == 0 {
		return 0
	}
	n := 0
	for _, i := range idx {
		if p.right[i] {
			n++
		}
	}
	return 100 * float64(n) / float64(len(idx))
}

// quantiles are the median, 95th percentile and longest of durations,
// rounded for reading.
func quantiles(d []time.Duration) (p50, p95, mx time.Duration) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	r := func(x time.Duration) time.Duration { return x.Round(10 * time.Microsecond) }
	return r(s[len(s)/2]), r(s[len(s)*95/100]), r(s[len(s)-1])
}
