package scopix_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// After a failure without a response (a dropped connection, an attempt
// timeout) the wait before the next attempt is the documented exponential
// backoff with full jitter: RetryDelay·2^(n-1) at most, growing with n,
// not RetryDelay every time. The waits run on the bubble's clock.
func TestRetry_BackoffGrowsAfterFailuresWithoutResponse(t *testing.T) {
	t.Parallel()
	const (
		base     = 100 * time.Millisecond
		failures = 8
		timeout  = time.Second
	)
	tests := []struct {
		name string
		fail func(w http.ResponseWriter, r *http.Request)
		held time.Duration // how long a failed attempt lasts before the wait
	}{
		{"dropped connection", func(w http.ResponseWriter, r *http.Request) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}, 0},
		{"attempt timeout", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, timeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := newBubbleWire(t, scopix.WithRetryDelay(base), scopix.WithMaxRetries(failures),
					scopix.WithTimeout(timeout), scopix.WithoutCircuitBreaker())
				var mu sync.Mutex
				var arrivals []time.Time
				srv.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					arrivals = append(arrivals, time.Now())
					n := len(arrivals)
					mu.Unlock()
					if n <= failures {
						tt.fail(w, r)
						return
					}
					_, _ = w.Write([]byte(`{}`))
				})
				require.NoError(t, srv.Client.Do(context.Background(), http.MethodGet, "/x", nil, nil))
				require.Len(t, arrivals, failures+1)

				longest := time.Duration(0)
				for n := 1; n <= failures; n++ {
					wait := arrivals[n].Sub(arrivals[n-1]) - tt.held
					ceiling := base << (n - 1)
					assert.GreaterOrEqual(t, wait, time.Duration(0), "wait %d", n)
					assert.LessOrEqual(t, wait, ceiling, "wait %d is within RetryDelay·2^%d", n, n-1)
					longest = max(longest, wait)
				}
				// Every wait at most base has odds 2^-28 under the doubling
				// ceilings; a fixed RetryDelay gives exactly base each time.
				assert.Greater(t, longest, base, "the waits grow past RetryDelay")
			})
		})
	}
}
