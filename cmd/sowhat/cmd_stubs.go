package main

import (
	"context"
	"errors"
)

func cmdAsk(ctx context.Context, e *env, args []string) error    { return errors.New("not built yet") }
func cmdIngest(ctx context.Context, e *env, args []string) error { return errors.New("not built yet") }
