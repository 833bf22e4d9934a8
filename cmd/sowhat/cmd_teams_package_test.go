package main

import (
	"archive/zip"
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestTeamsPackageCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "app.zip")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"teams-package", "--out", out, "--endpoint", "https://sowhat.example.com/api/messages"},
		strings.NewReader(""), &stdout, &stderr, envOf(map[string]string{"SOWHAT_ENV_FILE": "", "MICROSOFT_APP_ID": testTeamsApp, "DATABASE_URL": "x.db"}))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "manifest.json,color.png,outline.png" || !strings.Contains(stdout.String(), "Upload new app") {
		t.Errorf("zip holds %v; said %q", names, stdout.String())
	}

	stderr.Reset()
	code = run(context.Background(), []string{"teams-package", "--out", out, "--endpoint", "http://sowhat.example.com/api/messages"},
		strings.NewReader(""), &stdout, &stderr, envOf(map[string]string{"SOWHAT_ENV_FILE": "", "MICROSOFT_APP_ID": testTeamsApp, "DATABASE_URL": "x.db"}))
	if code == 0 || !strings.Contains(stderr.String(), "https://YOUR-HOST/api/messages") {
		t.Errorf("an http endpoint: exit %d, %s", code, stderr.String())
	}
}
