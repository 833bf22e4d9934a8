// Package prompts holds sowhat's wording: how numbers are written for people,
// the templates answers and digests are phrased with, and the LLM prompts,
// all embedded so the binary carries them.
package prompts
