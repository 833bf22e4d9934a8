package intents

import (
	"os"
	"testing"
	_ "time/tzdata" // zone data for the tests, whatever the machine has

	_ "github.com/mattn/go-sqlite3"
)

var tempDirs []string

func osMkdirTemp() (string, error) {
	d, err := os.MkdirTemp("", "sowhat-intents-")
	if err == nil {
		tempDirs = append(tempDirs, d)
	}
	return d, err
}

func TestMain(m *testing.M) {
	stop := traceJudgement()
	code := m.Run()
	stop()
	if code == 0 {
		code = checkJudgementCoverage()
	}
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
