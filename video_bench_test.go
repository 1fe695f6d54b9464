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

// BenchmarkVideoUpload sends a 1 GiB sparse video through the fake on
// loopback, with 5 ms of storage latency per chunk, at concurrency 1, 4 and
// 8, with the fake's default 8 MiB chunks and with 1 MiB chunks (where the
// per-chunk latency weighs more than the CPU work of copying and hashing).
// It reports MB/s, bytes allocated (whole process, fake included) per byte
// uploaded, and the speed-up over concurrency 1.
//
//	go test -run '^$' -bench BenchmarkVideoUpload -benchtime 1x
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
	// Read the file once so the first run does not pay for a cold cache.
	if _, err := io.Copy(io.Discard, f); err != nil {
		b.Fatal(err)
	}
	f.Close()

	for _, chunk := range []int64{8 << 20, 1 << 20} {
		srv := scopixtest.NewServer(b, scopixtest.WithVideoChunkSize(chunk))
		srv.SetVideoChunkLatency(5 * time.Millisecond)
		client := srv.Client()
		var baseline float64 // MB/s at concurrency 1
		for _, concurrency := range []int{1, 4, 8} {
			b.Run(fmt.Sprintf("chunk=%dMiB/concurrency=%d", chunk>>20, concurrency), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				params := &scopix.VideoUploadParams{Concurrency: concurrency, AutoAnalyze: scopix.Ptr(false)}
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				for b.Loop() {
					if _, err := client.Video.Upload(context.Background(), path, params); err != nil {
						b.Fatal(err)
					}
				}
				elapsed := time.Since(start)
				runtime.ReadMemStats(&after)
				uploaded := float64(size) * float64(b.N)
				mbps := uploaded / 1e6 / elapsed.Seconds()
				b.ReportMetric(mbps, "MB/s")
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/uploaded, "alloc-B/B")
				if concurrency == 1 {
					baseline = mbps
				} else if baseline > 0 {
					b.ReportMetric(mbps/baseline, "x-vs-c1")
				}
			})
		}
	}
}
