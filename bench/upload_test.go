package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

const (
	uploadSize        = 1 << 30 // 1 GiB
	uploadWarmSize    = 128 << 20
	uploadPartSize    = 8 << 20 // the fake's default part size, set explicitly
	uploadConcurrency = 4
	uploadLatency     = 5 * time.Millisecond
)

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// plainStorage is the loopback server of the plain side: after the same
// 5 ms as the fake, it hashes each PUT body with SHA-256 (as the fake's
// storage does) and answers with an ETag.
func plainStorage(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(uploadLatency):
		case <-r.Context().Done():
			return
		}
		h := sha256.New()
		buf := copyBuffers.Get().(*[]byte)
		n, err := io.CopyBuffer(h, r.Body, *buf)
		copyBuffers.Put(buf)
		if err != nil || n != r.ContentLength {
			http.Error(w, "short body", http.StatusBadRequest)
			return
		}
		w.Header().Set("ETag", `"`+hex.EncodeToString(h.Sum(nil)[:16])+`"`)
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// plainUpload PUTs the file's parts one after another with a plain
// http.Client, as a caller without the SDK would.
func plainUpload(ctx context.Context, hc *http.Client, base, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	for off, n := int64(0), 1; off < fi.Size(); off, n = off+uploadPartSize, n+1 {
		size := min(uploadPartSize, fi.Size()-off)
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, fmt.Sprintf("%s/part/%d", base, n), io.NewSectionReader(f, off, size))
		if err != nil {
			return err
		}
		req.ContentLength = size
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
			return fmt.Errorf("part %d: status %d", n, resp.StatusCode)
		}
	}
	return nil
}

// BenchmarkUpload1GiB uploads one sparse 1 GiB file per iteration with
// each contender in turn (the order alternates):
//
//   - scopix: Files.Upload (above 100 MB it takes the direct path:
//     initiate, 128 presigned 8 MiB part PUTs, 4 at a time, complete)
//     against scopixtest's fake with 5 ms added to every request;
//   - nethttp: the same 128 parts PUT one after another with a plain
//     http.Client to a loopback server that adds 5 ms to every request.
//
// Allocation figures are the bytes the whole process allocated (client and
// in-process server) per uploaded byte. x-throughput is the SDK's MB/s over
// the plain client's. Before timing, the file is read once (page cache)
// and both sides warm up on a 128 MiB file.
func BenchmarkUpload1GiB(b *testing.B) {
	ctx := context.Background()
	path := sparseFile(b, b.TempDir(), "large.bin", uploadSize)

	fake := scopixtest.Start(scopixtest.WithDirectUploadPartSize(uploadPartSize))
	b.Cleanup(fake.Close)
	fake.SetLatency(uploadLatency)
	c := fake.Client()
	b.Cleanup(func() { c.Close() })
	params := &scopix.UploadParams{Concurrency: uploadConcurrency}

	base := plainStorage(b).URL
	hc := plainClient(b)

	var sdkTime, rawTime time.Duration
	var sdkAlloc, rawAlloc uint64
	var ms runtime.MemStats
	measure := func(f func() error, total *time.Duration, alloc *uint64) {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		*total += time.Since(start)
		runtime.ReadMemStats(&ms)
		*alloc += ms.TotalAlloc - before
	}
	sdk := func() error {
		res, err := c.Files.Upload(ctx, path, params)
		if err == nil && !strings.EqualFold(res.UploadMethod, "direct") {
			err = fmt.Errorf("upload went %q, want direct", res.UploadMethod)
		}
		return err
	}
	raw := func() error { return plainUpload(ctx, hc, base, path) }

	// Read the file once untimed: the first read of a sparse file fills
	// the page cache with zero pages and is several times slower than
	// later ones, which would penalise whichever contender runs first.
	if err := readAll(path); err != nil {
		b.Fatal(err)
	}
	// Warm both sides up untimed on a smaller file (still above 100 MB, so
	// direct): connections, TCP windows, goroutine stacks and heap size then
	// favour neither the contender that runs first nor the one after.
	warm := sparseFile(b, b.TempDir(), "warm.bin", uploadWarmSize)
	if _, err := c.Files.Upload(ctx, warm, params); err != nil {
		b.Fatal(err)
	}
	if err := plainUpload(ctx, hc, base, warm); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		if n%2 == 0 {
			measure(sdk, &sdkTime, &sdkAlloc)
			measure(raw, &rawTime, &rawAlloc)
		} else {
			measure(raw, &rawTime, &rawAlloc)
			measure(sdk, &sdkTime, &sdkAlloc)
		}
		n++
	}
	total := int64(uploadSize) * int64(n)
	sdkMBs, rawMBs := mbPerSec(total, sdkTime.Seconds()), mbPerSec(total, rawTime.Seconds())
	b.ReportMetric(sdkMBs, "scopix-MB/s")
	b.ReportMetric(rawMBs, "nethttp-MB/s")
	b.ReportMetric(sdkMBs/rawMBs, "x-throughput")
	b.ReportMetric(float64(sdkAlloc)/float64(total), "scopix-alloc-B/B")
	b.ReportMetric(float64(rawAlloc)/float64(total), "nethttp-alloc-B/B")
}

// readAll reads the file at path to the end and drops the bytes.
func readAll(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}
