package scopix_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

const testKey = "scopix_abcd1234_supersecretvalue"

var ok200 = reply{status: 200, body: `{"ok":true}`}

func TestDo_SendsHeadersAndDecodes(t *testing.T) {
	t.Parallel()
	srv := newWire(t, scopix.WithTenantID("tenant-7"), scopix.WithUserAgent("myapp/2"), scopix.WithHeader("X-Extra", "yes"))
	srv.Mux.Handle("/", script(reply{status: 200, body: `{"total":3}`}))
	c := srv.Client
	var out struct{ Total int }
	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/usage/check?x=1", map[string]int{"items": 2}, &out))

	assert.Equal(t, 3, out.Total)
	got := srv.Requests()[0]
	assert.Equal(t, "/api/v2/usage/check", got.Path)
	assert.Equal(t, "Bearer "+testKey, got.Header.Get("Authorization"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "tenant-7", got.Header.Get("X-Tenant-ID"))
	assert.Equal(t, "yes", got.Header.Get("X-Extra"))
	assert.Equal(t, "scopix-go/"+scopix.Version+" myapp/2", got.Header.Get("User-Agent"))
	assert.Len(t, got.Header.Get("X-Request-ID"), 32)
	assert.JSONEq(t, `{"items":2}`, string(got.Body))
}

func TestRetry_StatusesPerMethod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method    string
		status    int
		wantCalls int // with WithMaxRetries(2): 3 when retried, 1 when not
	}{
		{http.MethodGet, 408, 3}, {http.MethodGet, 429, 3}, {http.MethodGet, 500, 3}, {http.MethodGet, 502, 3},
		{http.MethodGet, 503, 3}, {http.MethodGet, 504, 3},
		{http.MethodGet, 400, 1}, {http.MethodGet, 401, 1}, {http.MethodGet, 403, 1}, {http.MethodGet, 404, 1},
		{http.MethodGet, 409, 1}, {http.MethodGet, 422, 1}, {http.MethodGet, 501, 1}, {http.MethodGet, 507, 1},
		{http.MethodPut, 500, 3}, {http.MethodPatch, 502, 3}, {http.MethodDelete, 504, 3},
		// A POST that creates something is retried only when the server cannot have acted.
		{http.MethodPost, 429, 3}, {http.MethodPost, 503, 3},
		{http.MethodPost, 500, 1}, {http.MethodPost, 502, 1}, {http.MethodPost, 504, 1}, {http.MethodPost, 408, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", tt.method, tt.status), func(t *testing.T) {
			t.Parallel()
			srv := newWire(t, scopix.WithMaxRetries(2), scopix.WithoutCircuitBreaker())
			srv.Mux.Handle("/", script(reply{status: tt.status, body: `{"error":{"code":"X","message":"nope"}}`}))
			c := srv.Client
			err := c.Do(context.Background(), tt.method, "/things", nil, nil)

			var base *scopix.Error
			require.True(t, errors.As(err, &base), "got %v", err)
			assert.Equal(t, tt.status, base.StatusCode, "the last response's typed error")
			assert.NotContains(t, err.Error(), "giving up")
			assert.Len(t, srv.Requests(), tt.wantCalls)
		})
	}
}

func TestRetry_MaxRetriesControlsAttempts(t *testing.T) {
	t.Parallel()
	for _, retries := range []int{0, 1, 3, 5} {
		t.Run(fmt.Sprint(retries), func(t *testing.T) {
			t.Parallel()
			srv := newWire(t, scopix.WithMaxRetries(retries), scopix.WithoutCircuitBreaker())
			srv.Mux.Handle("/", script(reply{status: 503}))
			c := srv.Client
			err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil)
			assert.True(t, isType[*scopix.ServerError](err))
			assert.Len(t, srv.Requests(), retries+1)
		})
	}
}

func TestRetry_SucceedsAfterTransientFailures(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: 502}, reply{drop: true}, reply{status: 200, body: `{"n":1}`}))
	c := srv.Client
	var out struct{ N int }
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/x", nil, &out))
	assert.Equal(t, 1, out.N)
	assert.Len(t, srv.Requests(), 3)
}

func TestRetry_OneRequestIDAndIdenticalBodyAcrossAttempts(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: 503}, reply{status: 500}, ok200))
	c := srv.Client
	body := map[string]any{"title": "hello", "tags": []string{"a", "b"}}
	require.NoError(t, c.Do(context.Background(), http.MethodPatch, "/files/abc", body, nil))

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs[1:] {
		assert.Equal(t, reqs[0].Header.Get("X-Request-ID"), r.Header.Get("X-Request-ID"))
		assert.Equal(t, reqs[0].Body, r.Body)
	}
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/files/abc", nil, nil))
	assert.NotEqual(t, reqs[0].Header.Get("X-Request-ID"), srv.Requests()[3].Header.Get("X-Request-ID"),
		"a new call gets a new id")
}

func TestRetry_QuotaIsNotRetried(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: 429, body: `{"error":{"code":"USAGE_LIMIT_EXCEEDED","message":"monthly limit"}}`}))
	c := srv.Client
	err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil)
	assert.True(t, isType[*scopix.QuotaExceededError](err))
	assert.Len(t, srv.Requests(), 1)
}

// The retry waits run on a synctest clock: the server's 200ms is taken in
// fake time, not slept.
func TestRetry_HonoursRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := newBubbleWire(t, scopix.WithRetryDelay(time.Nanosecond))
		srv.Mux.Handle("/", script(reply{status: 429, header: map[string]string{"Retry-After": "0.2"}}, ok200))
		c := srv.Client
		start := time.Now()
		require.NoError(t, c.Do(context.Background(), http.MethodGet, "/x", nil, nil))
		reqs := srv.Requests()
		require.Len(t, reqs, 2)
		assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond, "the server's wait is taken, not the 1ns backoff")
	})
}

func TestRetry_ServerWaitBeyondLimitsReturnsAtOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []scopix.Option
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"beyond max retry wait", []scopix.Option{scopix.WithMaxRetryWait(time.Second)},
			func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }},
		{"beyond ctx deadline", nil,
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 5*time.Second)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := newBubbleWire(t, tt.opts...)
				srv.Mux.Handle("/", script(reply{status: 429, header: map[string]string{"Retry-After": "30"}}, ok200))
				c := srv.Client
				ctx, cancel := tt.ctx()
				defer cancel()
				start := time.Now()
				err := c.Do(ctx, http.MethodGet, "/x", nil, nil)
				var rl *scopix.RateLimitError
				require.True(t, errors.As(err, &rl), "got %v", err)
				assert.Equal(t, 30*time.Second, rl.RetryAfter)
				assert.Len(t, srv.Requests(), 1)
				assert.Less(t, time.Since(start), 5*time.Second, "no wait was taken")
			})
		})
	}
}

func TestRetry_ConnectionFailuresBecomeConnectionError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := scopix.New(testKey, scopix.WithBaseURL("http://"+addr+"/api/v2"), scopix.WithRetryDelay(time.Millisecond),
		scopix.WithMaxRetries(2))
	require.NoError(t, err)
	defer c.Close()
	err = c.Do(context.Background(), http.MethodPost, "/chat/sessions", map[string]string{}, nil)
	var ce *scopix.ConnectionError
	require.True(t, errors.As(err, &ce), "got %T %v", err, err)
	assert.True(t, scopix.IsRetryable(err))
	assert.NotContains(t, err.Error(), testKey)
}

func TestRetry_CreatingPostNotResentAfterItWasWritten(t *testing.T) {
	t.Parallel()
	srv := newWire(t, scopix.WithoutCircuitBreaker())
	srv.Mux.Handle("/", script(reply{drop: true}, ok200))
	c := srv.Client
	err := c.Do(context.Background(), http.MethodPost, "/chat/sessions", map[string]string{"title": "t"}, nil)
	assert.True(t, isType[*scopix.ConnectionError](err), "got %v", err)
	assert.Len(t, srv.Requests(), 1, "the server may have acted: no second POST")

	srv2 := newWire(t, scopix.WithoutCircuitBreaker())
	srv2.Mux.Handle("/", script(reply{drop: true}, ok200))
	c2 := srv2.Client
	require.NoError(t, c2.Do(context.Background(), http.MethodGet, "/chat/sessions", nil, nil))
	assert.Len(t, srv2.Requests(), 2, "a GET is retried after a dropped connection")
}

func TestContext_CancelAndDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		srv := newBubbleWire(t)
		srv.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-block:
			case <-r.Context().Done():
			}
		})
		t.Cleanup(func() { close(block) })
		c := srv.Client

		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		err := c.Do(ctx, http.MethodGet, "/slow", nil, nil)
		assert.ErrorIs(t, err, context.Canceled)
		assert.True(t, isType[*scopix.Error](err))
		assert.False(t, scopix.IsRetryable(err))

		ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		err = c.Do(ctx, http.MethodGet, "/slow", nil, nil)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.True(t, isType[*scopix.TimeoutError](err), "got %T", err)
	})
}

func TestTimeout_AttemptTimeoutIsRetriedThenTyped(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Attempts are counted on the client side, where the timeout runs.
		var attempts atomic.Int32
		count := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
			attempts.Add(1)
			return next(req)
		}
		srv := newBubbleWire(t, scopix.WithTimeout(30*time.Millisecond), scopix.WithMaxRetries(1), scopix.WithMiddleware(count))
		srv.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		err := srv.Client.Do(context.Background(), http.MethodGet, "/slow", nil, nil)
		var te *scopix.TimeoutError
		require.True(t, errors.As(err, &te), "got %T %v", err, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotErrorIs(t, err, context.Canceled)
		assert.EqualValues(t, 2, attempts.Load(), "the timed-out attempt was retried once")
	})
}

func TestNilContextIsValidationError(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	//lint:ignore SA1012 the point is a nil context
	err := c.Do(nil, http.MethodGet, "/x", nil, nil) //nolint:staticcheck
	var v *scopix.ValidationError
	require.True(t, errors.As(err, &v))
	assert.Equal(t, []string{"ctx"}, v.Fields[0].Loc)
	assert.Empty(t, srv.Requests())
}

func TestPathsAreEscapedByServicesAndKeptByDo(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/files/..%2Fadmin", nil, nil))
	assert.Equal(t, "/api/v2/files/..%2Fadmin", srv.Requests()[0].Path)
}

func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	t.Parallel()
	srv := newWire(t, scopix.WithTenantID("t1"))
	storage := srv.Storage()
	storage.Mux.Handle("/", script(reply{body: `{"stored":true}`}))
	srv.Mux.Handle("/", script(reply{status: 302, header: map[string]string{"Location": storage.URL + "/obj?X-Amz-Signature=s3cr3t"}}))
	var out struct{ Stored bool }
	require.NoError(t, srv.Client.Do(context.Background(), http.MethodGet, "/files/f1/download", nil, &out))
	assert.True(t, out.Stored)
	assert.Empty(t, storage.Last().Header.Get("Authorization"))
	assert.Empty(t, storage.Last().Header.Get("X-Tenant-ID"))
}

func TestSecrets_NeverInLogsErrorsOrFormatting(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := newWire(t, scopix.WithLogger(logger), scopix.WithMaxRetries(1))
	srv.Mux.Handle("/", script(reply{status: 500, body: `{"error":{"code":"X","message":"bad"}}`}, ok200,
		reply{status: 401, body: `{"error":{"code":"INVALID_API_KEY","message":"Invalid API key"}}`},
		reply{status: 302, header: map[string]string{"Location": "/api/v2/elsewhere?X-Amz-Signature=presignedsecret"}},
		reply{drop: true}))
	c := srv.Client
	ctx := context.Background()
	var errs []error
	errs = append(errs, c.Do(ctx, http.MethodGet, "/a", nil, nil))
	errs = append(errs, c.Do(ctx, http.MethodGet, "/b?token=querysecret", nil, nil))
	errs = append(errs, c.Do(ctx, http.MethodGet, "/c", nil, nil))
	errs = append(errs, c.Do(ctx, http.MethodGet, "/d", nil, nil))

	mu.Lock()
	logText := logs.String()
	mu.Unlock()
	assert.Contains(t, logText, "scopix request", "debug logging is on")
	assert.Contains(t, logText, "status=500")
	var texts []string
	for _, err := range errs {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	require.NotEmpty(t, texts)
	everything := strings.Join(append(texts, logText, fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprint(c), c.String()), "\n")
	for _, secret := range []string{testKey, "supersecretvalue", "Bearer", "presignedsecret", "querysecret"} {
		assert.NotContains(t, everything, secret)
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestClose_IsIdempotentAndStopsCalls(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/x", nil, nil))
	assert.NoError(t, c.Close())
	assert.NoError(t, c.Close())
	err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil)
	assert.True(t, isType[*scopix.ConnectionError](err) || isType[*scopix.Error](err))
	assert.Len(t, srv.Requests(), 1)
}

func TestDo_RejectsBadArgumentsBeforeSending(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	tests := []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"empty method", "", "/x", nil, "method"},
		{"empty path", "GET", "/", nil, "path"},
		{"unencodable body", "POST", "/x", map[string]any{"f": func() {}}, "body"},
	}
	for _, tt := range tests {
		err := c.Do(context.Background(), tt.method, tt.path, tt.body, nil)
		var v *scopix.ValidationError
		require.True(t, errors.As(err, &v), tt.name)
		assert.Equal(t, tt.field, v.Fields[0].Loc[0], tt.name)
	}
	assert.Empty(t, srv.Requests())
}

func TestDo_UnreadableSuccessBody(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: 200, body: `<html>`}))
	c := srv.Client
	var out map[string]any
	err := c.Do(context.Background(), http.MethodGet, "/x", nil, &out)
	var base *scopix.Error
	require.True(t, errors.As(err, &base))
	assert.Equal(t, scopix.CodeResponseUnreadable, base.Code)
	assert.Equal(t, 200, base.StatusCode)
}

// The attempts of a call share one context and one timer: after an attempt
// timed out, the retry gets a fresh context and a full timeout of its own.
func TestTimeout_RetryAfterAttemptTimeoutSucceeds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		srv := newBubbleWire(t, scopix.WithTimeout(30*time.Second), scopix.WithMaxRetries(2))
		srv.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1)%2 == 1 {
				<-r.Context().Done()
				return
			}
			time.Sleep(20 * time.Second) // most of a timeout, on the second attempt
			io.WriteString(w, `{"id":"a"}`)
		})
		c := srv.Client
		for range 3 {
			start := time.Now()
			var out struct{ ID string }
			require.NoError(t, c.Do(context.Background(), http.MethodGet, "/slow", nil, &out))
			assert.Equal(t, "a", out.ID)
			assert.Less(t, time.Since(start), 51*time.Second, "fake clock: one timeout, a short backoff, then the answer")
		}
		assert.EqualValues(t, 6, calls.Load())
	})
}
