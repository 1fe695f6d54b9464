package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// BenchmarkUploadBatch uploads 10,000 small image files per iteration with
// Files.UploadBatch (100 files per POST /files/upload/batch, 4 requests at
// a time) against scopixtest's fake.
//
//   - latency-20ms: 20 ms added to every request. Each chunk takes two
//     requests one after the other, as documented (the upload, whose answer
//     carries no ids over 5 files, then the session's results), after one
//     quota check. The ideal is (1 + 2 × 100 / 4) × 20 ms = 1,020 ms;
//     ratio-to-ideal is the measured time over it.
//   - no-latency: the same upload with no added latency, which is the CPU
//     floor: the client and the in-process fake (multipart parsing,
//     hashing, JSON) sharing the machine's cores.
func BenchmarkUploadBatch(b *testing.B) {
	const (
		files       = 10_000
		batchSize   = 100
		concurrency = 4
		latency     = 20 * time.Millisecond
	)
	dir := b.TempDir()
	paths := make([]string, files)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("f%05d.jpg", i))
		if err := os.WriteFile(paths[i], fmt.Appendf(nil, "\xff\xd8\xff-bench-%d", i), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	params := &scopix.UploadParams{BatchSize: batchSize, Concurrency: concurrency}
	requests := (files + batchSize - 1) / batchSize
	for _, bc := range []struct {
		name    string
		latency time.Duration
	}{{"latency-20ms", latency}, {"no-latency", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			elapsed, n := time.Duration(0), 0
			for b.Loop() {
				elapsed += uploadBatchOnce(b, paths, params, bc.latency, requests)
				n++
			}
			perOp := elapsed / time.Duration(n)
			b.ReportMetric(float64(files)/perOp.Seconds(), "files/s")
			if bc.latency > 0 {
				ideal := (1 + time.Duration(2*requests)/concurrency) * bc.latency
				b.ReportMetric(float64(ideal.Milliseconds()), "ideal-ms")
				b.ReportMetric(float64(perOp)/float64(ideal), "ratio-to-ideal")
			}
		})
	}
}

// uploadBatchOnce runs one UploadBatch on a fresh fake, so no iteration
// meets the files of the one before as duplicates, and returns how long
// UploadBatch took; starting and stopping the fake is not timed.
func uploadBatchOnce(b *testing.B, paths []string, params *scopix.UploadParams, latency time.Duration, requests int) time.Duration {
	b.StopTimer()
	fake := scopixtest.Start()
	defer fake.Close()
	fake.SetLatency(latency)
	c := fake.Client()
	defer c.Close()
	b.StartTimer()
	start := time.Now()
	res, err := c.Files.UploadBatch(context.Background(), paths, params)
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Results) != len(paths) || len(res.Rejections) != 0 {
		b.Fatalf("%d results, %d rejections; want %d, 0", len(res.Results), len(res.Rejections), len(paths))
	}
	if got := fake.RequestCount("POST", "/files/upload/batch"); got != requests {
		b.Fatalf("%d batch requests, want %d", got, requests)
	}
	b.StartTimer()
	return elapsed
}
