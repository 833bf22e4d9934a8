package main

import (
	"os"
	"testing"

	"github.com/sowhat-ai/sowhat/data/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, os.Getenv(pgtest.EnvServer))) }
