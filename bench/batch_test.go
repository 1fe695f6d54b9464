package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
)

const (
	batchSize        = 100
	batchConcurrency = 4
	batchLatency     = 20 * time.Millisecond
	benchKey         = "scopix_benchkey_secret"
)

// fileCache holds the small files of the batch benchmarks, made once per
// test binary and removed by TestMain: 100,000 files take a while to write.
var fileCache struct {
	sync.Mutex
	dir  string
	sets map[string][]string
}

// batchFiles returns n files of size bytes (0: a few bytes of a JPEG
// header and a number, every file different), in a cached directory.
func batchFiles(tb testing.TB, n int, size int64) []string {
	fileCache.Lock()
	defer fileCache.Unlock()
	key := fmt.Sprintf("%d-%d", n, size)
	if paths, ok := fileCache.sets[key]; ok {
		return paths
	}
	if fileCache.dir == "" {
		dir, err := os.MkdirTemp("", "scopix-bench-batch-")
		if err != nil {
			tb.Fatal(err)
		}
		fileCache.dir, fileCache.sets = dir, map[string][]string{}
	}
	dir := filepath.Join(fileCache.dir, key)
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	paths := make([]string, n)
	for i := range paths {
		name := fmt.Sprintf("f%06d.jpg", i)
		if size > 0 {
			paths[i] = sparseFile(tb, dir, name, size)
			continue
		}
		paths[i] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[i], fmt.Appendf(nil, "\xff\xd8\xff-bench-%d", i), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	fileCache.sets[key] = paths
	return paths
}

func removeFileCache() {
	fileCache.Lock()
	defer fileCache.Unlock()
	if fileCache.dir != "" {
		_ = os.RemoveAll(fileCache.dir)
	}
}

func totalSize(tb testing.TB, paths []string) int64 {
	var n int64
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			tb.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}

func sdkClient(tb testing.TB, srv *wireServer) *scopix.Client {
	c, err := scopix.New(benchKey, scopix.WithBaseURL(srv.url))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// batchContender is one way to upload the files: it returns its results
// and how many of them carry an id.
type batchContender struct {
	name string
	run  func(ctx context.Context, paths []string) (any, int, error)
}

func batchContenders(tb testing.TB, srv *wireServer) []batchContender {
	c := sdkClient(tb, srv)
	peer := newPeerUploader(srv.url, benchKey, batchSize, batchConcurrency)
	tb.Cleanup(peer.close)
	params := &scopix.UploadParams{BatchSize: batchSize, Concurrency: batchConcurrency}
	return []batchContender{
		{"sdk", func(ctx context.Context, paths []string) (any, int, error) {
			res, err := c.Files.UploadBatch(ctx, paths, params)
			if err != nil {
				return nil, 0, err
			}
			return res, countIDs(res.Results, func(r scopix.UploadResult) string { return r.ImageID }), nil
		}},
		{"peer", func(ctx context.Context, paths []string) (any, int, error) {
			res, err := peer.upload(ctx, paths)
			return res, countIDs(res, func(r peerResult) string { return r.ImageID }), err
		}},
	}
}

func countIDs[T any](rs []T, id func(T) string) int {
	n := 0
	for _, r := range rs {
		if id(r) != "" {
			n++
		}
	}
	return n
}

// batchRequests is what one upload of n files costs on the documented
// wire: the quota check, then per chunk the upload and, over 5 files, one
// page of the session's results.
func batchRequests(n int) int64 {
	chunks, last := n/batchSize, n%batchSize
	reqs := 1 + 2*chunks
	if last > 0 {
		reqs++
		if last > 5 {
			reqs++
		}
	}
	return int64(reqs)
}

// batchRun is one measured upload: wall and CPU time, allocations, the
// highest heap seen during it above the heap before (sampled every 5 ms),
// and the heap its results keep after a collection.
type batchRun struct {
	wall, cpu       time.Duration
	allocs, alloced uint64
	peak, kept      uint64
}

// measureBatch runs one contender on a reset server and checks that every
// file reached it once and has an id.
func measureBatch(tb testing.TB, srv *wireServer, c batchContender, paths []string, bytes int64) batchRun {
	srv.reset(tb)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	base := heapObjects()
	stop := samplePeakHeap()
	cpu0, start := processCPU(), time.Now()
	res, ids, err := c.run(context.Background(), paths)
	wall, cpu := time.Since(start), processCPU()-cpu0
	peak := stop()
	runtime.ReadMemStats(&m1)
	runtime.GC()
	kept := heapObjects()
	runtime.KeepAlive(res)
	if err != nil {
		tb.Fatalf("%s: %v", c.name, err)
	}
	st := srv.stats(tb)
	if ids != len(paths) || st.Files != int64(len(paths)) || st.Bytes != bytes || st.Requests != batchRequests(len(paths)) {
		tb.Fatalf("%s: %d ids for %d files; server saw %d files, %d bytes (want %d), %d requests (want %d)",
			c.name, ids, len(paths), st.Files, st.Bytes, bytes, st.Requests, batchRequests(len(paths)))
	}
	return batchRun{wall: wall, cpu: cpu, allocs: m1.Mallocs - m0.Mallocs, alloced: m1.TotalAlloc - m0.TotalAlloc,
		peak: peak - min(base, peak), kept: kept - min(base, kept)}
}

// BenchmarkUploadBatchVsPeer uploads the same 10,000 small files with
// Files.UploadBatch and with peerUploader, a hand-written net/http +
// mime/multipart streaming uploader: chunks of 100, 4 at a time, against
// the lean batch wire (batchWire) in a subprocess with 20 ms per request.
// Each iteration runs both, the order alternating.
//
// wall-ratio is the SDK's median wall time over the peer's (goal ≤ 1.05);
// cpu-ratio is the SDK's median CPU time over the peer's (goal ≤ 1.10),
// where CPU time is this process's user + system time (getrusage): the
// server runs in its own process, so it is the client's alone, garbage
// collection included. Both sides make the same 201 requests and send the
// same files (checked every run).
func BenchmarkUploadBatchVsPeer(b *testing.B) {
	const files = 10_000
	paths := batchFiles(b, files, 0)
	bytes := totalSize(b, paths)
	srv := startBatchWire(b)
	srv.setLatency(b, batchLatency)
	contenders := batchContenders(b, srv)
	for _, c := range contenders { // warm connections, heap and page cache
		measureBatch(b, srv, c, paths, bytes)
	}
	var runs [2][]batchRun
	i := 0
	for b.Loop() {
		for k := range contenders {
			j := (i + k) % len(contenders)
			runs[j] = append(runs[j], measureBatch(b, srv, contenders[j], paths, bytes))
		}
		i++
	}
	sdk, peer := runs[0], runs[1]
	wall := func(r batchRun) time.Duration { return r.wall }
	cpu := func(r batchRun) time.Duration { return r.cpu }
	perFile := func(d time.Duration) float64 { return float64(d.Microseconds()) / files }
	b.ReportMetric(float64(medianOf(sdk, wall))/float64(medianOf(peer, wall)), "wall-ratio")
	b.ReportMetric(float64(medianOf(sdk, cpu))/float64(medianOf(peer, cpu)), "cpu-ratio")
	b.ReportMetric(float64(medianOf(sdk, wall).Milliseconds()), "sdk-ms")
	b.ReportMetric(float64(medianOf(peer, wall).Milliseconds()), "peer-ms")
	b.ReportMetric(perFile(medianOf(sdk, cpu)), "sdk-cpu-us/file")
	b.ReportMetric(perFile(medianOf(peer, cpu)), "peer-cpu-us/file")
	b.ReportMetric(float64(sumOf(sdk, func(r batchRun) uint64 { return r.allocs }))/float64(len(sdk)*files), "sdk-allocs/file")
	b.ReportMetric(float64(sumOf(peer, func(r batchRun) uint64 { return r.allocs }))/float64(len(peer)*files), "peer-allocs/file")
}

func medianOf(runs []batchRun, f func(batchRun) time.Duration) time.Duration {
	d := make([]time.Duration, len(runs))
	for i, r := range runs {
		d[i] = f(r)
	}
	slices.Sort(d)
	return d[len(d)/2]
}

func sumOf(runs []batchRun, f func(batchRun) uint64) uint64 {
	var n uint64
	for _, r := range runs {
		n += f(r)
	}
	return n
}

// BenchmarkUploadBatchScale reports the cost per file of UploadBatch (sdk)
// and of the hand-written peer (peer) at 1,000, 10,000 and 100,000 small
// files, and at 10,000 files of 64 KiB (sparse), against the batch wire in
// a subprocess with no added latency (with latency, waiting would hide the
// per-file cost). Per file: wall time
// (ns/file), this process's CPU time (cpu-ns/file), allocations
// (allocs/file, alloc-B/file), the highest heap seen during the upload
// above the heap before it (peak-heap-B/file, sampled every 5 ms) and the
// heap the results keep after a collection (kept-B/file).
func BenchmarkUploadBatchScale(b *testing.B) {
	srv := startBatchWire(b)
	contenders := batchContenders(b, srv)
	for _, c := range contenders {
		for _, sc := range []struct {
			files int
			size  int64
		}{{1_000, 0}, {10_000, 0}, {100_000, 0}, {10_000, 64 << 10}} {
			name := fmt.Sprintf("%s/files=%d", c.name, sc.files)
			if sc.size > 0 {
				name += fmt.Sprintf("x%dKiB", sc.size>>10)
			}
			b.Run(name, func(b *testing.B) { benchmarkBatchScale(b, srv, c, batchFiles(b, sc.files, sc.size)) })
		}
	}
}

func benchmarkBatchScale(b *testing.B, srv *wireServer, c batchContender, paths []string) {
	bytes := totalSize(b, paths)
	var sum batchRun
	n := 0
	for b.Loop() {
		r := measureBatch(b, srv, c, paths, bytes)
		sum.wall, sum.cpu = sum.wall+r.wall, sum.cpu+r.cpu
		sum.allocs, sum.alloced = sum.allocs+r.allocs, sum.alloced+r.alloced
		sum.peak, sum.kept = sum.peak+r.peak, sum.kept+r.kept
		n++
	}
	per := float64(n * len(paths))
	b.ReportMetric(float64(sum.wall)/per, "ns/file")
	b.ReportMetric(float64(sum.cpu)/per, "cpu-ns/file")
	b.ReportMetric(float64(sum.allocs)/per, "allocs/file")
	b.ReportMetric(float64(sum.alloced)/per, "alloc-B/file")
	b.ReportMetric(float64(sum.peak)/per, "peak-heap-B/file")
	b.ReportMetric(float64(sum.kept)/per, "kept-B/file")
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

// heapObjects is the heap's object bytes now, garbage not yet swept
// included.
func heapObjects() uint64 {
	s := slices.Clone(heapSample)
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// samplePeakHeap samples heapObjects every 5 ms until the returned func is
// called, which returns the highest sample.
func samplePeakHeap() func() uint64 {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		peak := heapObjects()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				peak = max(peak, heapObjects())
			case <-done:
				result <- max(peak, heapObjects())
				return
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}

// TestBatchPeerAgreesWithSDK checks that the two batch contenders do the
// same work on the batch wire: every file reaches the server once with its
// bytes, both make the same requests (a last chunk of 37 files reads its
// session; one of 3 files is answered at once), and every file gets a
// result with its own name and a distinct id, in the order of the files.
func TestBatchPeerAgreesWithSDK(t *testing.T) {
	t.Parallel()
	for _, n := range []int{237, 203} {
		srv := startBatchWireHere(t)
		paths := batchFiles(t, n, 0)
		bytes := totalSize(t, paths)
		for _, c := range batchContenders(t, srv) {
			measureBatch(t, srv, c, paths, bytes)
		}
	}
	srv := startBatchWireHere(t)
	c := sdkClient(t, srv)
	peer := newPeerUploader(srv.url, benchKey, batchSize, batchConcurrency)
	defer peer.close()
	paths := batchFiles(t, 150, 0)
	res, err := c.Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{BatchSize: batchSize, Concurrency: batchConcurrency})
	if err != nil {
		t.Fatal(err)
	}
	peerRes, err := peer.upload(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for i, path := range paths {
		name, sdk, peer := filepath.Base(path), res.Results[i], peerRes[i]
		if sdk.Filename != name || peer.Filename != name || ids[sdk.ImageID] || ids[peer.ImageID] || sdk.ImageID == peer.ImageID {
			t.Fatalf("file %d (%s): sdk %q %q, peer %q %q", i, name, sdk.Filename, sdk.ImageID, peer.Filename, peer.ImageID)
		}
		ids[sdk.ImageID], ids[peer.ImageID] = true, true
	}
}
