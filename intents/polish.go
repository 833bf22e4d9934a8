package intents

import (
	"context"
	"log/slog"
	"regexp"

	"github.com/sowhat-ai/sowhat/model"
)

var numberRE = regexp.MustCompile(`[-+]?\$?\d[\d,]*(?:\.\d+)?(?:%|x| pts)?`)

// applyPolish lets the polisher reword the summary and so-what, and keeps its
// wording only if it carries exactly the same numbers: a model may make the
// sentences read better, never change a figure.
func (e *Engine) applyPolish(ctx context.Context, a *model.Answer) {
	sum, sw, err := e.polish.Polish(ctx, *a)
	if err != nil {
		e.log.Warn("polish answer", slog.Any("error", err))
		return
	}
	if sum == "" || !sameNumbers(a.Summary, sum) || !sameNumbers(a.SoWhat, sw) {
		e.log.Info("polished wording dropped: numbers changed")
		return
	}
	a.Summary, a.SoWhat = sum, sw
}

// sameNumbers reports whether two texts contain the same multiset of numbers.
func sameNumbers(a, b string) bool {
	count := map[string]int{}
	for _, n := range numberRE.FindAllString(a, -1) {
		count[n]++
	}
	for _, n := range numberRE.FindAllString(b, -1) {
		count[n]--
	}
	for _, c := range count {
		if c != 0 {
			return false
		}
	}
	return true
}
