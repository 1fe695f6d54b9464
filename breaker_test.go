package scopix_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// blockUntilCanceled makes fakeTransport hang until the request's context ends.
const blockUntilCanceled = -1

// fakeTransport answers in memory (no sockets), so breaker tests run inside
// a synctest bubble where the 30s open timeout passes instantly.
type fakeTransport struct {
	mu     sync.Mutex
	status map[string]int // by path prefix below /api/v2; default 200
	hits   map[string]int
}

func newFakeTransport() *fakeTransport {
	return &fakeTransport{status: map[string]int{}, hits: map[string]int{}}
}

func (f *fakeTransport) set(prefix string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status[prefix] = status
}

func (f *fakeTransport) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[prefix]
}

func (f *fakeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	prefix := "/" + strings.SplitN(strings.TrimPrefix(r.URL.Path, "/api/v2/"), "/", 2)[0]
	f.hits[prefix]++
	status := f.status[prefix]
	f.mu.Unlock()
	if status == blockUntilCanceled {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	if status == 0 {
		status = 200
	}
	return &http.Response{StatusCode: status, Header: http.Header{}, Request: r,
		Body: io.NopCloser(strings.NewReader(`{}`))}, nil
}

func breakerClient(t *testing.T, ft *fakeTransport, opts ...scopix.Option) *scopix.Client {
	base := []scopix.Option{scopix.WithBaseURL("https://api.example.test/api/v2"), scopix.WithMaxRetries(0),
		scopix.WithHTTPClient(&http.Client{Transport: ft})}
	c, err := scopix.New(testKey, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func get(c *scopix.Client, path string) error {
	return c.Do(context.Background(), http.MethodGet, path, nil, nil)
}

func TestBreaker_OpensHalfOpensAndCloses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ft := newFakeTransport()
		c := breakerClient(t, ft)
		defer c.Close()
		ft.set("/files", 503)
		for range 5 {
			assert.True(t, isType[*scopix.ServerError](get(c, "/files/x")))
		}

		err := get(c, "/files/x")
		var open *scopix.CircuitBreakerError
		require.True(t, errors.As(err, &open), "the 6th call fails fast, got %v", err)
		assert.Equal(t, "files", open.Endpoint)
		assert.Equal(t, 30*time.Second, open.RetryAfter)
		assert.Equal(t, 5, ft.count("/files"), "no request reached the server")
		assert.False(t, scopix.IsRetryable(err))

		assert.NoError(t, get(c, "/chat/sessions"), "other endpoints have their own breaker")

		time.Sleep(10 * time.Second)
		require.True(t, errors.As(get(c, "/files/x"), &open))
		assert.Equal(t, 20*time.Second, open.RetryAfter, "RetryAfter counts down")

		time.Sleep(20*time.Second + time.Millisecond) // now half-open: trial requests go through
		ft.set("/files", 200)
		assert.NoError(t, get(c, "/files/x"))
		assert.NoError(t, get(c, "/files/x"))
		ft.set("/files", 503)
		for range 4 {
			assert.True(t, isType[*scopix.ServerError](get(c, "/files/x")), "closed again: failures reach the server")
		}
		assert.Equal(t, 11, ft.count("/files"))
	})
}

func TestBreaker_HalfOpenFailureReopens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ft := newFakeTransport()
		c := breakerClient(t, ft)
		defer c.Close()
		ft.set("/files", 500)
		for range 5 {
			_ = get(c, "/files/x")
		}
		time.Sleep(30*time.Second + time.Millisecond)
		assert.True(t, isType[*scopix.ServerError](get(c, "/files/x")), "the trial request is sent")
		assert.True(t, isType[*scopix.CircuitBreakerError](get(c, "/files/x")), "and its failure reopens the breaker")
		assert.Equal(t, 6, ft.count("/files"))
	})
}

func TestBreaker_ClientErrorsAndCancellationNeverCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ft := newFakeTransport()
		c := breakerClient(t, ft)
		defer c.Close()
		ft.set("/files", 404)
		for range 10 {
			assert.True(t, isType[*scopix.ResourceNotFoundError](get(c, "/files/x")))
		}
		ft.set("/files", blockUntilCanceled)
		for range 10 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := c.Do(ctx, http.MethodGet, "/files/x", nil, nil)
			cancel()
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}
		ft.set("/files", 200)
		assert.NoError(t, get(c, "/files/x"), "still closed after 10 4xx and 10 caller timeouts")
		assert.Equal(t, 21, ft.count("/files"))
	})
}

func TestBreaker_SettingsAndOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ft := newFakeTransport()
		c := breakerClient(t, ft, scopix.WithCircuitBreaker(scopix.CircuitBreakerSettings{FailureThreshold: 2, OpenTimeout: time.Minute}))
		defer c.Close()
		ft.set("/files", 502)
		_, _ = get(c, "/files/x"), get(c, "/files/x")
		var open *scopix.CircuitBreakerError
		require.True(t, errors.As(get(c, "/files/x"), &open))
		assert.Equal(t, time.Minute, open.RetryAfter)

		off := breakerClient(t, ft, scopix.WithoutCircuitBreaker())
		defer off.Close()
		for range 20 {
			assert.True(t, isType[*scopix.ServerError](get(off, "/files/x")))
		}
		assert.Equal(t, 22, ft.count("/files"))
	})
}
