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
		key  string
		code int
		want error
	}{
		{"answers", "test-key", http.StatusOK, nil},
		{"no such model", "test-key", http.StatusNotFound, ErrNoModel},
		{"key refused", "wrong-key", http.StatusOK, ErrRefused},
		{"server error", "test-key", http.StatusInternalServerError, ErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := fakeOpenAI(t, func(map[string]any) (int, string) { return tt.code, "ok" })
			err := New(tt.key, WithBaseURL(srv.URL+"/v1"), WithModel("small")).Check(context.Background())
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
			if tt.key == "test-key" && (len(*seen) != 1 || (*seen)[0]["model"] != "small") {
				t.Errorf("requests %v, want one completion from model small", *seen)
			}
		})
	}
}
