package intents

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sowhat-ai/sowhat/wording"
)

// Template coverage of the judgement suite: every so-what and next-step
// template ("sowhat_…", "next_…") must be rendered by at least one
// judgement scenario. Scenarios ask through story(), which marks the time
// it spends answering; TestMain records the templates wording.Say renders
// in that time and, once every test in the package has run (scenario files
// added by anyone included), fails naming each template never reached.

var (
	inStory  atomic.Int32
	reachedM sync.Mutex
	reached  = map[string]bool{}
)

// judging marks a scenario's question being answered; call the result when
// it is.
func judging() func() {
	inStory.Add(1)
	return func() { inStory.Add(-1) }
}

// traceJudgement starts recording; the result stops it.
func traceJudgement() func() {
	wording.TraceSay(func(name string) {
		if inStory.Load() > 0 {
			reachedM.Lock()
			reached[name] = true
			reachedM.Unlock()
		}
	})
	return func() { wording.TraceSay(nil) }
}

// soWhatTemplate reports whether a template words a so-what or its next step.
func soWhatTemplate(name string) bool {
	return strings.HasPrefix(name, "sowhat_") || strings.HasPrefix(name, "next_")
}

// unreachedSoWhat lists the so-what templates no scenario rendered.
func unreachedSoWhat() []string {
	reachedM.Lock()
	defer reachedM.Unlock()
	var out []string
	for _, n := range wording.TemplateNames() {
		if soWhatTemplate(n) && !reached[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// checkJudgementCoverage fails (exit code 1) when a so-what template was
// never reached. A run of some tests only (-run, -skip, -short) checks
// nothing: the whole suite is needed to judge coverage.
func checkJudgementCoverage() int {
	for _, f := range []string{"test.run", "test.skip"} {
		if fl := flag.Lookup(f); fl != nil && fl.Value.String() != "" {
			return 0
		}
	}
	if fl := flag.Lookup("test.short"); fl != nil && fl.Value.String() == "true" {
		return 0
	}
	if miss := unreachedSoWhat(); len(miss) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: judgement scenarios never reach these so-what templates: %s\n(add a scenario in intents/judgement_*_test.go whose answer renders each)\n", strings.Join(miss, ", "))
		return 1
	}
	return 0
}
