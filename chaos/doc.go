// Package chaos holds the fault suite: real sowhat processes, started from
// the built binary against real SQLite files and a Slack Web API faked over
// loopback, are killed (SIGKILL) mid-burst, mid-import and mid-digest, or
// run out of disk, and the tests count that nothing acknowledged is lost,
// nothing is posted twice and nothing refused is left behind.
//
// The package has no code of its own; `go test ./chaos` runs the suite
// (a minute or two: one test waits for a scheduled minute), and
// `go test -short` skips it.
package chaos
