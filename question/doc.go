// Package question reads a marketing question into a structured Request:
// the intent, the metrics, the period and the comparison, the filters and
// the grouping, or the question to ask back when the text is ambiguous. It
// reads no data and does no I/O; the names it can match beyond the metric
// registry and the platforms come in a Vocabulary.
package question
