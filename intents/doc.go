// Package intents answers a question: it reads the text with the question
// package into a Request, and the Engine's handler for its intent queries
// the store and words the result — headline, comparison, table and a short
// "so what". Every number comes from the data package's query layer; when a
// question is ambiguous the answer is a clarifying question, never a guess.
//
// A request names the metrics its readers may not see (Request.Hidden, the
// finance metrics outside the channels cleared for them): the answer shows
// none of them — no figure, column, chart series, sentence, note or
// suggestion — and does not say it left them out.
package intents
