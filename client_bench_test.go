package scopix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
)

type smallObject struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Tags   []string `json:"tags"`
	Count  int      `json:"count"`
	Active bool     `json:"active"`
}

const smallJSON = `{"id":"img_123","title":"Harbour at dusk","tags":["harbour","dusk","boats"],"count":3,"active":true}`

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, smallJSON)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, srv *httptest.Server) *scopix.Client {
	c, err := scopix.New(testKey, scopix.WithBaseURL(srv.URL+"/api/v2"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// rawGet is what a caller would write by hand: net/http plus encoding/json,
// with the same headers the SDK sends.
func rawGet(hc *http.Client, url string, out any) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// BenchmarkClientDo is a GET of a small JSON object through Client.Do:
// retries, breaker, request id, attempt timeout and decoding included.
func BenchmarkClientDo(b *testing.B) {
	c := benchClient(b, benchServer(b))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var out smallObject
		if err := c.Do(ctx, http.MethodGet, "/files/img_123", nil, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawHTTP is the same request with plain net/http + encoding/json.
func BenchmarkRawHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.Cleanup(hc.CloseIdleConnections)
	url := srv.URL + "/api/v2/files/img_123"
	b.ReportAllocs()
	for b.Loop() {
		var out smallObject
		if err := rawGet(hc, url, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientDoVsRaw interleaves both against one server in one run and
// reports the SDK's cost relative to raw: ns-ratio and extra-allocs/op.
func BenchmarkClientDoVsRaw(b *testing.B) {
	srv := benchServer(b)
	c := benchClient(b, srv)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.Cleanup(hc.CloseIdleConnections)
	url := srv.URL + "/api/v2/files/img_123"
	ctx := context.Background()
	var sdkTime, rawTime time.Duration
	var sdkAllocs, rawAllocs uint64
	var ms runtime.MemStats
	measure := func(f func() error, total *time.Duration, allocs *uint64) {
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		*total += time.Since(start)
		runtime.ReadMemStats(&ms)
		*allocs += ms.Mallocs - before
	}
	n := 0
	for b.Loop() {
		measure(func() error { var o smallObject; return rawGet(hc, url, &o) }, &rawTime, &rawAllocs)
		measure(func() error { var o smallObject; return c.Do(ctx, http.MethodGet, "/files/img_123", nil, &o) }, &sdkTime, &sdkAllocs)
		n++
	}
	b.ReportMetric(float64(sdkTime)/float64(rawTime), "ns-ratio")
	b.ReportMetric(float64(sdkAllocs)/float64(n)-float64(rawAllocs)/float64(n), "extra-allocs/op")
}
