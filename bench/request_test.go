package bench

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

// requestKey is a well-formed API key; the loopback server does not check it.
const requestKey = "scopix_bench000_notarealsecretvalue"

type smallObject struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Tags   []string `json:"tags"`
	Count  int      `json:"count"`
	Active bool     `json:"active"`
}

const smallJSON = `{"id":"img_123","title":"Harbour at dusk","tags":["harbour","dusk","boats"],"count":3,"active":true}`

// requestServer answers every request with smallJSON.
func requestServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, smallJSON)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func sdkClient(b *testing.B, srv *httptest.Server) *scopix.Client {
	c, err := scopix.New(requestKey, scopix.WithBaseURL(srv.URL+"/api/v2"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

func plainClient(b *testing.B) *http.Client {
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.Cleanup(hc.CloseIdleConnections)
	return hc
}

// plainGet is what a caller writes by hand: net/http plus encoding/json,
// with the two headers the endpoint needs.
func plainGet(hc *http.Client, url string, out any) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+requestKey)
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

// BenchmarkRequest is a GET of a small JSON object through Client.Do
// (request id, retries, breaker, attempt timeout, typed errors) and through
// plain net/http + encoding/json, as separate sub-benchmarks.
func BenchmarkRequest(b *testing.B) {
	b.Run("scopix", func(b *testing.B) {
		c := sdkClient(b, requestServer(b))
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			var out smallObject
			if err := c.Do(ctx, http.MethodGet, "/files/img_123", nil, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		hc := plainClient(b)
		url := requestServer(b).URL + "/api/v2/files/img_123"
		b.ReportAllocs()
		for b.Loop() {
			var out smallObject
			if err := plainGet(hc, url, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRequestInterleaved alternates both contenders inside one loop
// against one server, so drift in machine load hits both alike: each
// iteration is a block of requestBlock requests by one contender then a
// block by the other (the order alternates). It reports each one's ns and
// allocations per request and the SDK's time relative to plain net/http
// (ns-ratio). Blocks keep the cost of reading the allocation counter, which
// stops the world, away from single requests.
func BenchmarkRequestInterleaved(b *testing.B) {
	const requestBlock = 16
	srv := requestServer(b)
	c := sdkClient(b, srv)
	hc := plainClient(b)
	url := srv.URL + "/api/v2/files/img_123"
	ctx := context.Background()
	var sdkTime, rawTime time.Duration
	var sdkAllocs, rawAllocs uint64
	var ms runtime.MemStats
	measure := func(f func() error, total *time.Duration, allocs *uint64) {
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		start := time.Now()
		for range requestBlock {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
		*total += time.Since(start)
		runtime.ReadMemStats(&ms)
		*allocs += ms.Mallocs - before
	}
	sdk := func() error { var o smallObject; return c.Do(ctx, http.MethodGet, "/files/img_123", nil, &o) }
	raw := func() error { var o smallObject; return plainGet(hc, url, &o) }
	n := 0
	for b.Loop() {
		// Alternate who goes first so neither always runs on a warmer cache.
		if n%2 == 0 {
			measure(raw, &rawTime, &rawAllocs)
			measure(sdk, &sdkTime, &sdkAllocs)
		} else {
			measure(sdk, &sdkTime, &sdkAllocs)
			measure(raw, &rawTime, &rawAllocs)
		}
		n++
	}
	reqs := float64(n * requestBlock)
	b.ReportMetric(float64(sdkTime.Nanoseconds())/reqs, "scopix-ns/req")
	b.ReportMetric(float64(rawTime.Nanoseconds())/reqs, "nethttp-ns/req")
	b.ReportMetric(float64(sdkTime)/float64(rawTime), "ns-ratio")
	b.ReportMetric(float64(sdkAllocs)/reqs, "scopix-allocs/req")
	b.ReportMetric(float64(rawAllocs)/reqs, "nethttp-allocs/req")
}
