package scopix_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// contender is one side of an interleaved benchmark: its run, the time of
// each run and the bytes the process allocated during its runs.
type contender struct {
	run   func() error
	times []time.Duration
	alloc uint64
}

// measure runs c once after a GC, so that neither contender pays for the
// other's garbage, and records its time and allocation.
func (c *contender) measure(b *testing.B) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	start := time.Now()
	if err := c.run(); err != nil {
		b.Fatal(err)
	}
	c.times = append(c.times, time.Since(start))
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

// BenchmarkVideoUpload sends a 1 GiB sparse video through the fake with
// lean storage (CRC-32C, no SHA-256: the fake's CPU must not decide the
// result) and 5 ms of storage latency per chunk PUT, at concurrency 1 and
// 4, interleaved in one loop. Chunks are the documented 10 MiB (the
// initiate example's chunk_size_bytes) and the fake's default 8 MiB.
// x-c4-vs-c1 is the median time at concurrency 1 over the median at 4
// (goal ≥ 2.5); alloc-B/B is what the whole process (client and fake)
// allocated per uploaded byte at concurrency 4.
//
//	go test -run '^$' -bench '^BenchmarkVideoUpload$' -benchtime=5x -count=3 .
func BenchmarkVideoUpload(b *testing.B) {
	const size = 1 << 30
	path := filepath.Join(b.TempDir(), "big.mp4")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		b.Fatal(err)
	}
	// The first read of a sparse file fills the page cache and is several
	// times slower than later ones: read it once untimed.
	if _, err := io.Copy(io.Discard, f); err != nil {
		b.Fatal(err)
	}
	f.Close()

	for _, chunk := range []int64{10 << 20, 8 << 20} {
		b.Run(fmt.Sprintf("chunk=%dMiB", chunk>>20), func(b *testing.B) {
			srv := scopixtest.NewServer(b, scopixtest.WithLeanStorage(), scopixtest.WithVideoChunkSize(chunk))
			srv.SetVideoChunkLatency(5 * time.Millisecond)
			client := srv.Client()
			at := func(concurrency int) *contender {
				params := &scopix.VideoUploadParams{Concurrency: concurrency, AutoAnalyze: scopix.Ptr(false)}
				return &contender{run: func() error {
					_, err := client.Video.Upload(context.Background(), path, params)
					return err
				}}
			}
			c1, c4 := at(1), at(4)
			// Warm connections and the heap for both, untimed.
			for _, c := range []*contender{c4, c1} {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
			interleave(b, c1, c4)
			t1, t4 := median(c1.times), median(c4.times)
			b.ReportMetric(size/1e6/t1.Seconds(), "c1-MB/s")
			b.ReportMetric(size/1e6/t4.Seconds(), "c4-MB/s")
			b.ReportMetric(float64(t1)/float64(t4), "x-c4-vs-c1")
			b.ReportMetric(float64(c4.alloc)/float64(size*int64(len(c4.times))), "alloc-B/B")
		})
	}
}
