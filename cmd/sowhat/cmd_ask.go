package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sowhat-ai/sowhat/intents"
	"github.com/sowhat-ai/sowhat/llm"
	"github.com/sowhat-ai/sowhat/wording"
)

func cmdAsk(ctx context.Context, e *env, args []string) error {
	fs := newFlags("ask", e)
	db := fs.String("db", "", "database path or URL (default DATABASE_URL, else the demo database)")
	asOfFlag := fs.String("as-of", "", "answer as if today were this date (YYYY-MM-DD)")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	audience := fs.String("as", "", "the asker's role: cfo, cmo, ceo, stores, merchandising, team")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(pos, " "))
	if question == "" {
		return fmt.Errorf("%w: ask needs a question, e.g. sowhat ask \"How did Meta ROAS change last week?\"", errUsage)
	}
	asOf, err := e.asOf(*asOfFlag)
	if err != nil {
		return err
	}
	st, err := e.openStore(ctx, *db, asks)
	if err != nil {
		return err
	}
	defer closeQuietly(st)
	eng := intents.New(st, append(e.engineOptions(), intents.WithoutAnswerCache())...)
	a, _, err := eng.Ask(ctx, question, asOf, *audience)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	}
	fmt.Fprint(e.stdout, wording.Text(a))
	return nil
}

// engineOptions wires the optional model into the engine: with one
// configured, it reads the questions the parser can't and rewrites the
// wording for the reader, each half unless turned off; numbers stay the
// query layer's.
func (e *env) engineOptions() []intents.Option {
	opts := []intents.Option{intents.WithLogger(e.log), intents.WithFiscalCalendar(e.cfg.Fiscal)}
	c := e.llmClient()
	if c == nil {
		return opts
	}
	if e.cfg.LLM.Understand {
		opts = append(opts, intents.WithUnderstander(c))
	}
	if e.cfg.LLM.Writing {
		opts = append(opts, intents.WithPolisher(c))
	}
	return opts
}

// llmClient is the configured model's client, or nil without one.
func (e *env) llmClient() *llm.Client {
	s := e.cfg.LLM
	if !s.Enabled() {
		return nil
	}
	opts := []llm.Option{llm.WithBaseURL(s.BaseURL), llm.WithModel(s.Model), llm.WithLogger(e.log), llm.WithMetrics(e.metrics)}
	if s.Azure {
		opts = append(opts, llm.WithAzure(s.APIVersion, s.Deployment))
	}
	return llm.New(s.Key, opts...)
}
