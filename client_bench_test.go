package scopix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
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

// benchServer is a bare httptest server rather than a wire: the wire's
// recorder would copy every request and add its cost to the measurement.
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
// reports the SDK's cost relative to raw. ns-ratio is the median SDK call
// over the median raw call, timed in pairs whose order alternates, so a
// burst of load on a shared machine hits both sides alike and an outlier
// moves neither median. extra-allocs/op comes from testing.AllocsPerRun
// (process-wide: the in-process server's allocations are counted on both
// sides, and the server parses the SDK's one extra header).
func BenchmarkClientDoVsRaw(b *testing.B) {
	srv := benchServer(b)
	c := benchClient(b, srv)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.Cleanup(hc.CloseIdleConnections)
	url := srv.URL + "/api/v2/files/img_123"
	ctx := context.Background()
	raw := func() error { var o smallObject; return rawGet(hc, url, &o) }
	sdk := func() error { var o smallObject; return c.Do(ctx, http.MethodGet, "/files/img_123", nil, &o) }
	allocs := func(f func() error) float64 {
		return testing.AllocsPerRun(500, func() {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		})
	}
	extra := allocs(sdk) - allocs(raw)
	var sdkTimes, rawTimes []time.Duration
	timed := func(f func() error, into *[]time.Duration) {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		*into = append(*into, time.Since(start))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			timed(raw, &rawTimes)
			timed(sdk, &sdkTimes)
		} else {
			timed(sdk, &sdkTimes)
			timed(raw, &rawTimes)
		}
	}
	b.ReportMetric(float64(median(sdkTimes))/float64(median(rawTimes)), "ns-ratio")
	b.ReportMetric(extra, "extra-allocs/op")
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
