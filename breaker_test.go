package scopix_test

import (
	"cmp"
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

// blockUntilCanceled makes a breakerWire endpoint hang until the request's
// context ends.
const blockUntilCanceled = -1

// breakerWire is a bubble wire (so the 30s open timeout passes instantly)
// whose endpoints answer {} with the status set for their first path
// segment below /api/v2, 200 by default; its clients do not retry.
type breakerWire struct {
	*wire
	mu     sync.Mutex
	status map[string]int
}

func newBreakerWire(t *testing.T, opts ...scopix.Option) *breakerWire {
	b := &breakerWire{wire: newBubbleWire(t, append([]scopix.Option{scopix.WithMaxRetries(0)}, opts...)...),
		status: map[string]int{}}
	b.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		status := b.status[endpointOf(r.URL.Path)]
		b.mu.Unlock()
		if status == blockUntilCanceled {
			<-r.Context().Done()
			return
		}
		w.WriteHeader(cmp.Or(status, http.StatusOK))
		_, _ = io.WriteString(w, `{}`)
	})
	return b
}

// endpointOf is the first segment of a path below the API base, "/files"
// for "/files/x".
func endpointOf(path string) string {
	return "/" + strings.SplitN(strings.TrimPrefix(strings.TrimPrefix(path, wireAPIBase), "/"), "/", 2)[0]
}

func (b *breakerWire) set(prefix string, status int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status[prefix] = status
}

// count is how many requests for the endpoint prefix reached the server.
func (b *breakerWire) count(prefix string) int {
	n := 0
	for _, r := range b.Requests() {
		if endpointOf(r.Path) == prefix {
			n++
		}
	}
	return n
}

func get(c *scopix.Client, path string) error {
	return c.Do(context.Background(), http.MethodGet, path, nil, nil)
}

func TestBreaker_OpensHalfOpensAndCloses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newBreakerWire(t)
		c := srv.Client
		srv.set("/files", 503)
		for range 5 {
			assert.True(t, isType[*scopix.ServerError](get(c, "/files/x")))
		}

		err := get(c, "/files/x")
		var open *scopix.CircuitBreakerError
		require.True(t, errors.As(err, &open), "the 6th call fails fast, got %v", err)
		assert.Equal(t, "files", open.Endpoint)
		assert.Equal(t, 30*time.Second, open.RetryAfter)
		assert.Equal(t, 5, srv.count("/files"), "no request reached the server")
		assert.False(t, scopix.IsRetryable(err))

		assert.NoError(t, get(c, "/chat/sessions"), "other endpoints have their own breaker")

		time.Sleep(10 * time.Second)
		require.True(t, errors.As(get(c, "/files/x"), &open))
		assert.Equal(t, 20*time.Second, open.RetryAfter, "RetryAfter counts down")

		time.Sleep(20*time.Second + time.Millisecond) // now half-open: trial requests go through
		srv.set("/files", 200)
		assert.NoError(t, get(c, "/files/x"))
		assert.NoError(t, get(c, "/files/x"))
		srv.set("/files", 503)
		for range 4 {
			assert.True(t, isType[*scopix.ServerError](get(c, "/files/x")), "closed again: failures reach the server")
		}
		assert.Equal(t, 11, srv.count("/files"))
	})
}

func TestBreaker_HalfOpenFailureReopens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newBreakerWire(t)
		c := srv.Client
		srv.set("/files", 500)
		for range 5 {
			_ = get(c, "/files/x")
		}
		time.Sleep(30*time.Second + time.Millisecond)
		assert.True(t, isType[*scopix.ServerError](get(c, "/files/x")), "the trial request is sent")
		assert.True(t, isType[*scopix.CircuitBreakerError](get(c, "/files/x")), "and its failure reopens the breaker")
		assert.Equal(t, 6, srv.count("/files"))
	})
}

func TestBreaker_ClientErrorsAndCancellationNeverCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newBreakerWire(t)
		c := srv.Client
		srv.set("/files", 404)
		for range 10 {
			assert.True(t, isType[*scopix.ResourceNotFoundError](get(c, "/files/x")))
		}
		srv.set("/files", blockUntilCanceled)
		for range 10 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := c.Do(ctx, http.MethodGet, "/files/x", nil, nil)
			cancel()
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}
		srv.set("/files", 200)
		assert.NoError(t, get(c, "/files/x"), "still closed after 10 4xx and 10 caller timeouts")
		assert.Equal(t, 21, srv.count("/files"))
	})
}

func TestBreaker_SettingsAndOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newBreakerWire(t, scopix.WithCircuitBreaker(scopix.CircuitBreakerSettings{FailureThreshold: 2, OpenTimeout: time.Minute}))
		c := srv.Client
		srv.set("/files", 502)
		_, _ = get(c, "/files/x"), get(c, "/files/x")
		var open *scopix.CircuitBreakerError
		require.True(t, errors.As(get(c, "/files/x"), &open))
		assert.Equal(t, time.Minute, open.RetryAfter)

		off := srv.NewClient(scopix.WithMaxRetries(0), scopix.WithoutCircuitBreaker())
		for range 20 {
			assert.True(t, isType[*scopix.ServerError](get(off, "/files/x")))
		}
		assert.Equal(t, 22, srv.count("/files"))
	})
}
