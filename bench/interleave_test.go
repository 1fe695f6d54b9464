package bench

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// contender is one side of an interleaved benchmark: its run, the time of
// each run, and the bytes the process allocated and the CPU time it used
// during its runs (the in-process servers' share included).
type contender struct {
	run   func() error
	times []time.Duration
	alloc uint64
	cpu   time.Duration
}

// measure runs c once after a GC, so that neither contender pays for the
// other's garbage, and records its time, allocation and CPU time.
func (c *contender) measure(b *testing.B) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before, cpu := ms.TotalAlloc, processCPU()
	start := time.Now()
	if err := c.run(); err != nil {
		b.Fatal(err)
	}
	c.times = append(c.times, time.Since(start))
	c.cpu += processCPU() - cpu
	runtime.ReadMemStats(&ms)
	c.alloc += ms.TotalAlloc - before
}

// interleave runs a and b once per iteration, alternating which goes
// first, so that a burst of load from other work hits both and moves
// neither median.
func interleave(tb *testing.B, a, b *contender) {
	for i := 0; tb.Loop(); i++ {
		if i%2 == 0 {
			a.measure(tb)
			b.measure(tb)
		} else {
			b.measure(tb)
			a.measure(tb)
		}
	}
}

// median is the middle of d (the upper middle of an even count).
func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
