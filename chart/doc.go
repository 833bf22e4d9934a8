// Package chart draws answers as PNG charts for Slack and Teams, in pure Go:
// a line (or column) chart when an answer is grouped by day, week or month,
// a horizontal bar chart when it is grouped by anything else.
//
// Charts are sized for a chat window (800×450 logical pixels, drawn at 2× for
// high-density screens), on white, with round-number axes and numbers written
// the way prompts writes them in text ($150K, 3.2x, 2.4%). Rendering is
// deterministic: the same answer always gives the same bytes, so charts can
// be checked against golden files and cached by content.
package chart
