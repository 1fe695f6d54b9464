//go:build !unix

package bench

import (
	"runtime/metrics"
	"time"
)

// processCPU is the runtime's estimate of the CPU time spent running Go
// code and collecting garbage (no kernel time) where getrusage is missing.
func processCPU() time.Duration {
	s := []metrics.Sample{{Name: "/cpu/classes/user:cpu-seconds"}, {Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	return time.Duration((s[0].Value.Float64() + s[1].Value.Float64()) * float64(time.Second))
}
