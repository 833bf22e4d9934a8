// Package model is the vocabulary every layer of sowhat shares: the answer
// shape (Answer, Row, Values, Freshness), the metric registry (read-only:
// lookups return copies), platforms, audiences, dimensions and thresholds.
//
// It also says what a reader kept from some metrics may not be shown:
// Concealed widens a hidden set to the metrics that would reveal one, and
// Answer.Withhold is the last check on a finished answer. It imports no
// database, so the parser and the chart renderer build without SQL drivers.
package model
