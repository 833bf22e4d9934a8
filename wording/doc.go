// Package wording is how sowhat writes for people: numbers, money, changes,
// periods and lists formatted the house way, and the templates answers and
// digests are phrased with, embedded so the binary carries them. The LLM's
// prompts live with the LLM client, in package llm.
package wording
