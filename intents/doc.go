// Package intents answers a question: it reads the text with the question
// package into a Request, and the Engine's handler for its intent queries
// the store and words the result — headline, comparison, table and a short
// "so what". Every number comes from the data package's query layer; when a
// question is ambiguous the answer is a clarifying question, never a guess.
package intents
