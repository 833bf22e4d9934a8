package intents

import (
	"testing"

	"github.com/sowhat-ai/sowhat/internal/lazyre"
)

// TestPatternsCompile compiles the package's patterns, which are compiled
// on first use rather than at start-up.
func TestPatternsCompile(t *testing.T) {
	if bad := lazyre.MustCompileAll(); bad != "" {
		t.Fatal(bad)
	}
}
