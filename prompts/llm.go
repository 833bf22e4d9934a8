package prompts

import _ "embed"

// RephrasePrompt is the system prompt that turns a question the parser could
// not place into its vocabulary.
//
//go:embed llm/rephrase.txt
var RephrasePrompt string

// PolishPrompt is the system prompt that rewords an answer, keeping every
// number.
//
//go:embed llm/polish.txt
var PolishPrompt string
