package llm

import _ "embed"

// rephrasePrompt is the system prompt that turns a question the parser could
// not place into its vocabulary.
//
//go:embed prompts/rephrase.txt
var rephrasePrompt string

// polishPrompt is the system prompt that rewords an answer, keeping every
// number.
//
//go:embed prompts/polish.txt
var polishPrompt string
