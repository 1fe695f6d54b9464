package scopix

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func answer(status int, h map[string]string) *http.Response {
	resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: http.NoBody}
	for k, v := range h {
		resp.Header.Set(k, v)
	}
	return resp
}

// What an answer says about the rate limit, from the documented headers.
func TestRateLimitSpent(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	reset := strconv.FormatInt(now.Add(40*time.Second).Unix(), 10)
	tests := []struct {
		name  string
		resp  *http.Response
		spent bool
		until time.Time
	}{
		{"429 with Retry-After", answer(429, map[string]string{"Retry-After": "7", "X-RateLimit-Reset": reset}), true, now.Add(7 * time.Second)},
		{"429 with only a reset", answer(429, map[string]string{"X-RateLimit-Reset": reset}), true, now.Add(40 * time.Second)},
		{"429 with nothing", answer(429, nil), true, now.Add(time.Second)},
		{"success with the budget spent", answer(200, map[string]string{"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}), true, now.Add(40 * time.Second)},
		{"success with budget left", answer(200, map[string]string{"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "3", "X-RateLimit-Reset": reset}), false, time.Time{}},
		{"success without headers", answer(200, nil), false, time.Time{}},
		{"spent but the reset passed", answer(200, map[string]string{"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}), false, time.Time{}},
		{"500", answer(500, map[string]string{"Retry-After": "3"}), false, time.Time{}},
	}
	for _, tt := range tests {
		until, spent := rateLimitSpent(tt.resp, now)
		assert.Equal(t, tt.spent, spent, tt.name)
		assert.True(t, tt.until.Equal(until), "%s: until %v", tt.name, until)
	}
}

// A pause holds every waiter until the reset; the first success after it
// releases them all at once.
func TestPacer_PauseThenResume(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := &pacer{}
		start := time.Now()
		p.observe(answer(429, map[string]string{"Retry-After": "5"}), start)
		var mu sync.Mutex
		var released []time.Duration
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				require.NoError(t, p.wait(context.Background()))
				mu.Lock()
				released = append(released, time.Since(start))
				first := len(released) == 1
				mu.Unlock()
				if first {
					p.observe(answer(200, nil), time.Now())
				}
			})
		}
		wg.Wait()
		assert.Equal(t, []time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second}, released,
			"one turn at the reset; its success lets the others go at once")
		assert.NoError(t, p.wait(context.Background()), "no pause left")
	})
}

// A pause beyond the caller's deadline is refused up front.
func TestPacer_PauseBeyondTheDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := &pacer{}
		p.observe(answer(429, map[string]string{"Retry-After": "60"}), time.Now())
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		err := p.wait(ctx)
		var out *pacedOutError
		require.ErrorAs(t, err, &out)
		assert.Zero(t, time.Since(start), "refused at once")
	})
}

// Between pauses the workers spend the budget the last answer reported,
// less the requests still in flight (the server may not have counted
// them yet); once it is spent they wait for the reset.
func TestPacer_SpendsTheReportedBudget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		inflight  int // requests sent before the answer, the answered one included
		remaining int
		wantGo    int // further requests let through before the reset
	}{
		{"nothing else in flight", 1, 3, 3},
		{"two others in flight", 3, 3, 1},
		{"more in flight than remaining", 5, 2, 0},
		{"budget spent", 1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				p := &pacer{}
				for range tt.inflight {
					require.NoError(t, p.wait(context.Background()))
				}
				start := time.Now()
				reset := strconv.FormatInt(start.Add(10*time.Second).Unix(), 10)
				p.observe(answer(200, map[string]string{"X-RateLimit-Limit": "30",
					"X-RateLimit-Remaining": strconv.Itoa(tt.remaining), "X-RateLimit-Reset": reset}), start)
				p.done()

				for range tt.wantGo {
					require.NoError(t, p.wait(context.Background()))
					p.done()
				}
				assert.Zero(t, time.Since(start), "the budget's requests go at once")
				require.NoError(t, p.wait(context.Background()))
				assert.GreaterOrEqual(t, time.Since(start), 9*time.Second, "the next one waits for the reset")
			})
		})
	}
}

func FuzzRateLimitSpent(f *testing.F) {
	f.Add(429, "7", "30", "0", "1700000040")
	f.Add(200, "", "30", "0", "1700000040")
	f.Add(429, "Wed, 21 Oct 2015 07:28:00 GMT", "", "", "")
	f.Add(200, "-1", "x", "-5", "99999999999999999999")
	f.Fuzz(func(t *testing.T, status int, retryAfter, limit, remaining, reset string) {
		now := time.Unix(1_700_000_000, 0)
		h := map[string]string{"Retry-After": retryAfter, "X-RateLimit-Limit": limit,
			"X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset}
		until, spent := rateLimitSpent(answer(status, h), now)
		if spent && until.Before(now) {
			t.Fatalf("a pause that ends before it starts: %v", until)
		}
		if !spent && status == http.StatusTooManyRequests {
			t.Fatal("a 429 that is not a quota always pauses")
		}
	})
}
