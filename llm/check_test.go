package llm

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// TestCheckWithoutModelList: an endpoint that serves no model list is
// checked with a one-token completion.
func TestCheckWithoutModelList(t *testing.T) {
	tests := []struct {
		name string
		code int
		want error
	}{
		{"answers", http.StatusOK, nil},
		{"no such model", http.StatusNotFound, ErrNoModel},
		{"key refused", http.StatusUnauthorized, ErrRefused},
		{"server error", http.StatusInternalServerError, ErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, func(map[string]any) reply { return reply{status: tt.code, content: "ok"} })
			err := New("test-key", WithBaseURL(srv.URL+"/v1"), WithModel("small")).Check(context.Background())
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
			completions := 0
			srv.mu.Lock()
			for _, r := range srv.reqs {
				if r["model"] == "small" {
					completions++
				}
			}
			srv.mu.Unlock()
			if completions < 1 {
				t.Errorf("requests %v, want a completion from model small", srv.reqs)
			}
		})
	}
}
