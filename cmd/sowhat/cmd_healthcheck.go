package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sowhat-ai/sowhat/model"
)

// defaultHealthURL is serve's liveness endpoint on its default --addr.
const defaultHealthURL = "http://127.0.0.1:8080/healthz"

// cmdHealthcheck GETs a URL and succeeds only on 200: a container's
// health check, for images that have no curl or wget.
func cmdHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags("healthcheck", e)
	u := fs.String("url", defaultHealthURL, "the URL to GET")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *u, nil)
	if err != nil {
		return fmt.Errorf("%w: --url %q: %v", errUsage, *u, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return model.Tell(fmt.Sprintf("%s did not answer: %v", *u, err), err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("healthcheck %s: HTTP %d", *u, resp.StatusCode)
		return model.Tell(fmt.Sprintf("%s answered HTTP %d: %s", *u, resp.StatusCode, strings.TrimSpace(string(body))), err)
	}
	fmt.Fprintf(e.stdout, "%s", body)
	return nil
}
