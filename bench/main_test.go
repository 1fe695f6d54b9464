package bench

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if os.Getenv(batchWireEnv) == "1" {
		serveBatchWire() // a subprocess started by the batch benchmarks
		return
	}
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		removeFileCache()
		os.Exit(code)
	}))
}

// sparseFile makes a file of size bytes that takes no disk space; reading
// it costs no disk either, so upload benchmarks measure the network path.
func sparseFile(tb testing.TB, dir, name string, size int64) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// mbPerSec is throughput in the unit go test prints as MB/s (10^6 bytes).
func mbPerSec(bytes int64, seconds float64) float64 {
	if seconds <= 0 {
		return 0
	}
	return float64(bytes) / 1e6 / seconds
}

// plainClient is an http.Client on its own copy of the default transport,
// what a caller writing raw HTTP would use.
func plainClient(b *testing.B) *http.Client {
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.Cleanup(hc.CloseIdleConnections)
	return hc
}
