// Package period is sowhat's calendar: the one Period type (a range of whole
// days with an optional label) and its arithmetic — days, weeks starting on
// Monday, months, quarters, the period before and the same period a year
// earlier. It does no I/O and knows nothing of metrics or the store.
package period
