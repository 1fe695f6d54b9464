package scopix_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// BenchmarkUploadBatch uploads 10,000 small files against the fake with
// 20 ms latency per request, in chunks of 100, 4 chunks at a time. Each
// chunk takes two requests one after the other, as documented: the upload
// (its answer carries no ids over 5 files) and the session's results page;
// the quota check adds one. The ideal is requests × latency / concurrency;
// ratio-to-ideal says how close the client gets (goal: ≤ 1.3). BENCH_NO_LATENCY=1 drops the latency to show the CPU cost
// of client and fake alone.
func BenchmarkUploadBatch(b *testing.B) {
	const (
		files       = 10000
		batchSize   = 100
		concurrency = 4
		latency     = 20 * time.Millisecond
	)
	srv := scopixtest.NewServer(b)
	c := srv.Client()
	paths := smallImages(b, files)
	if os.Getenv("BENCH_NO_LATENCY") == "" {
		srv.SetLatency(latency)
	}
	params := &scopix.UploadParams{BatchSize: batchSize, Concurrency: concurrency}
	chunks := (files + batchSize - 1) / batchSize
	ideal := (1 + time.Duration(2*chunks)/concurrency) * latency
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		res, err := c.Files.UploadBatch(context.Background(), paths, params)
		require.NoError(b, err)
		require.Len(b, res.Results, files)
	}
	perOp := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(files)/perOp.Seconds(), "files/s")
	b.ReportMetric(float64(perOp)/float64(ideal), "ratio-to-ideal")
}

// BenchmarkUploadDirect uploads a 256 MiB file through the direct path and
// reports the bytes the whole process (client and in-process fake)
// allocates per uploaded byte (goal: ≤ 0.01).
func BenchmarkUploadDirect(b *testing.B) {
	const size = 256 << 20
	srv := scopixtest.NewServer(b)
	c := srv.Client()
	path := sparseFile(b, size)
	ctx := context.Background()
	_, err := c.Files.Upload(ctx, writeFile(b, filepath.Dir(path), "w.png", []byte("\x89PNGw")), &scopix.UploadParams{ForceDirect: true})
	require.NoError(b, err)
	b.SetBytes(size)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		_, err := c.Files.Upload(ctx, path, nil)
		require.NoError(b, err)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/size, "alloc-bytes/uploaded-byte")
}

// BenchmarkUploadBatchWait uploads 10,000 small files with
// WaitForDescriptions against the fake (descriptions take 300 ms, polling
// every 100 ms) and counts the requests the wait makes, by route, on the
// client side: session reads (GET /uploads/sessions/…), per-file reads
// (GET /files/{id}) and all requests. The goal is at most one session read
// per poll interval per session, plus per-file reads only for what a
// session cannot settle.
func BenchmarkUploadBatchWait(b *testing.B) {
	const (
		files    = 10000
		interval = 100 * time.Millisecond
	)
	var sessionReads, fileReads, total atomic.Int64
	count := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		total.Add(1)
		p := req.URL.Path
		switch {
		case req.Method == http.MethodGet && strings.Contains(p, "/uploads/sessions/"):
			sessionReads.Add(1)
		case req.Method == http.MethodGet && strings.Contains(p, "/files/"):
			fileReads.Add(1)
		}
		return next(req)
	}
	srv := scopixtest.NewServer(b, scopixtest.WithDescriptionDelay(300*time.Millisecond))
	c := srv.Client(scopix.WithMiddleware(count), scopix.WithPollingInterval(interval))
	paths := smallImages(b, files)
	params := &scopix.UploadParams{BatchSize: 100, Concurrency: 4, WaitForDescriptions: true}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		res, err := c.Files.UploadBatch(context.Background(), paths, params)
		require.NoError(b, err)
		require.Len(b, res.Results, files)
	}
	elapsed := time.Since(start) / time.Duration(b.N)
	n := float64(b.N)
	sessions := float64(files / 100)
	b.ReportMetric(float64(sessionReads.Load())/n, "session-reads/op")
	b.ReportMetric(float64(fileReads.Load())/n, "file-reads/op")
	b.ReportMetric(float64(total.Load())/n, "requests/op")
	b.ReportMetric(sessions*float64(elapsed/interval+1), "bound-session-reads/op")
}

// smallImages writes n small, distinct JPEG-headed files.
func smallImages(b *testing.B, n int) []string {
	dir := b.TempDir()
	paths := make([]string, n)
	for i := range paths {
		paths[i] = writeFile(b, dir, fmt.Sprintf("f%05d.jpg", i), []byte(fmt.Sprintf("\xff\xd8\xff-%d", i)))
	}
	return paths
}
