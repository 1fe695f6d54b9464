// Package bench holds the peer benchmarks of the Scopix Go SDK: each
// benchmark measures the SDK side by side with what a caller would use
// without it (plain net/http, other server-sent event libraries), in one
// run, against loopback servers in the same process (the batch server in a
// subprocess, so the process's CPU time is the client's).
//
// It is its own module, with a replace directive pointing at the SDK, so
// the peers it compares against never become dependencies of the SDK. Run
// it with run.sh; BENCHMARKS.md at the repository root records the figures.
package bench
