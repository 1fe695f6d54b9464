package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

const (
	videoSize    = 1 << 30 // 1 GiB
	videoLatency = 5 * time.Millisecond
)

// BenchmarkVideoUpload sends a 1 GiB sparse video with Video.Upload at
// concurrency 1 and 4, interleaved in one loop (the order alternates),
// through the fake with lean storage (CRC-32C instead of SHA-256 and 1 MiB
// reads, so the fake's work does not decide the result) and 5 ms of storage latency
// per chunk PUT. Chunks are the documented 10 MiB (the initiate example's
// chunk_size_bytes) and the fake's default 8 MiB.
//
// x-c4-vs-c1 is the median time at concurrency 1 over the median at 4
// (goal ≥ 2.5). cpu-ms/chunk is the CPU time (user and system) the whole
// process, client and fake, spent per chunk at concurrency 1: with L of
// latency per chunk and 2 cores, concurrency 1 needs at least L + cpu/2
// per chunk and concurrency 4 at least cpu/2, which bounds the ratio on
// this machine however idle it is. alloc-B/B is what the process
// allocated per uploaded byte at concurrency 4.
//
//	go test -run '^$' -bench '^BenchmarkVideoUpload$' -benchtime=5x -count=3 .
func BenchmarkVideoUpload(b *testing.B) {
	path := sparseFile(b, b.TempDir(), "big.mp4", videoSize)
	// The first read of a sparse file fills the page cache with zero
	// pages and is several times slower than later ones: read it untimed.
	if err := readAll(path); err != nil {
		b.Fatal(err)
	}
	for _, chunk := range []int64{10 << 20, 8 << 20} {
		b.Run(fmt.Sprintf("chunk=%dMiB", chunk>>20), func(b *testing.B) {
			srv := scopixtest.NewServer(b, scopixtest.WithLeanStorage(), scopixtest.WithVideoChunkSize(chunk))
			srv.SetVideoChunkLatency(videoLatency)
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
			chunks := float64((videoSize+chunk-1)/chunk) * float64(len(c1.times))
			b.ReportMetric(mbPerSec(videoSize, t1.Seconds()), "c1-MB/s")
			b.ReportMetric(mbPerSec(videoSize, t4.Seconds()), "c4-MB/s")
			b.ReportMetric(float64(t1)/float64(t4), "x-c4-vs-c1")
			b.ReportMetric(float64(c1.cpu.Milliseconds())/chunks, "cpu-ms/chunk")
			b.ReportMetric(float64(c4.alloc)/(float64(videoSize)*float64(len(c4.times))), "alloc-B/B")
		})
	}
}
