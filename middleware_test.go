package scopix_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

// attemptLog is a middleware that records every attempt it sees.
type attemptLog struct {
	mu       sync.Mutex
	attempts []seenAttempt
}

type seenAttempt struct {
	method, path, requestID string
	status                  int
	took                    time.Duration
	err                     error
}

func (l *attemptLog) middleware(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
	start := time.Now()
	resp, err := next(req)
	a := seenAttempt{method: req.Method, path: req.URL.Path, requestID: req.Header.Get("X-Request-ID"),
		took: time.Since(start), err: err}
	if resp != nil {
		a.status = resp.StatusCode
	}
	l.mu.Lock()
	l.attempts = append(l.attempts, a)
	l.mu.Unlock()
	return resp, err
}

func (l *attemptLog) all() []seenAttempt {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]seenAttempt(nil), l.attempts...)
}

func TestMiddleware_InjectsHeadersTheServerSees(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMiddleware(func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		req.Header.Set("X-Team", "vision")
		return next(req)
	}))
	_, err := c.Files.List(context.Background(), nil)
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "vision", reqs[0].Header.Get("X-Team"))
	assert.NotEmpty(t, reqs[0].Header.Get("Authorization"), "the SDK's headers are there before middleware runs")
}

func TestMiddleware_SeesStatusAndTimeOfEachAttempt(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{}, func(t *testing.T, srv *bubble) {
		var log attemptLog
		c := srv.Client(scopix.WithMiddleware(log.middleware))
		srv.SetLatency(20 * time.Millisecond)
		_, err := c.Files.List(context.Background(), nil)
		require.NoError(t, err)

		got := log.all()
		require.Len(t, got, 1)
		assert.Equal(t, http.MethodGet, got[0].method)
		assert.Equal(t, "/api/v2/files", got[0].path)
		assert.Equal(t, http.StatusOK, got[0].status)
		assert.GreaterOrEqual(t, got[0].took, 20*time.Millisecond, "the time includes the server's latency")
	})
}

func TestMiddleware_RetriesAreSeparateCallsWithFreshRequests(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	var log attemptLog
	var n atomic.Int32
	stamp := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		req.Header.Add("X-Attempt", strconv.Itoa(int(n.Add(1))))
		return next(req)
	}
	c := srv.Client(scopix.WithMiddleware(log.middleware, stamp), scopix.WithMaxRetries(3))
	srv.FailNext(2, http.StatusServiceUnavailable, nil)
	_, err := c.Files.List(context.Background(), nil)
	require.NoError(t, err)

	got := log.all()
	require.Len(t, got, 3, "one middleware call per attempt")
	assert.Equal(t, []int{503, 503, 200}, []int{got[0].status, got[1].status, got[2].status})
	assert.Equal(t, got[0].requestID, got[2].requestID, "one X-Request-ID across the attempts")
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, []string{strconv.Itoa(i + 1)}, r.Header.Values("X-Attempt"),
			"attempt %d starts from the SDK's headers, not the previous attempt's", i+1)
	}
}

func TestMiddleware_RunsInTheOrderGiven(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	var mu sync.Mutex
	var trail []string
	named := func(name string) scopix.Middleware {
		return func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
			mu.Lock()
			trail = append(trail, name+">")
			mu.Unlock()
			resp, err := next(req)
			mu.Lock()
			trail = append(trail, "<"+name)
			mu.Unlock()
			return resp, err
		}
	}
	c := srv.Client(scopix.WithMiddleware(named("a"), nil, named("b")), scopix.WithMiddleware(named("c")))
	_, err := c.Files.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"a>", "b>", "c>", "<c", "<b", "<a"}, trail, "first given is outermost; a second option appends")
}

func TestMiddleware_ShortCircuitWithASyntheticResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		resp *http.Response
		want string
	}{
		{"json body", &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"total":7}`))}, `{"total":7}`},
		{"no body, no header", &http.Response{StatusCode: 204}, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)
			c := srv.Client(scopix.WithMiddleware(func(*http.Request, scopix.MiddlewareNext) (*http.Response, error) {
				return tt.resp, nil
			}))
			var out map[string]any
			var target any
			if tt.want != "" {
				target = &out
			}
			require.NoError(t, c.Do(context.Background(), http.MethodGet, "/usage/summary", nil, target))
			if tt.want != "" {
				assert.Equal(t, 7.0, out["total"])
			}
			assert.Zero(t, srv.Stats().Requests, "nothing reached the server")
		})
	}
}

func TestMiddleware_SyntheticErrorStatusIsDecodedAndRetried(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	var calls atomic.Int32
	c := srv.Client(scopix.WithMaxRetries(2), scopix.WithMiddleware(func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		calls.Add(1)
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"0"}},
			Body: io.NopCloser(strings.NewReader(`{"error":{"code":"BUSY","message":"try later"}}`))}, nil
	}))
	_, err := c.Files.List(context.Background(), nil)

	var se *scopix.ServerError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, http.StatusServiceUnavailable, se.Err.StatusCode)
	assert.Equal(t, "try later", se.Err.Message)
	assert.Equal(t, int32(3), calls.Load(), "a synthetic 503 is retried like a real one")
}

var errDenied = errors.New("denied by policy")

func TestMiddleware_OwnErrorIsATypedErrorNotRetried(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	var calls atomic.Int32
	var deny atomic.Bool
	deny.Store(true)
	c := srv.Client(scopix.WithMaxRetries(3), scopix.WithMiddleware(func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		calls.Add(1)
		if deny.Load() {
			return nil, errDenied
		}
		return next(req)
	}))
	// More refusals than the breaker's threshold: they must not open it.
	for range 6 {
		_, err := c.Files.List(context.Background(), nil)
		var ce *scopix.ConnectionError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, err, errDenied, "the middleware's error is the cause")
		assert.Equal(t, true, ce.Err.Details["middleware"])
		assert.Contains(t, err.Error(), "denied by policy")
		assert.NotEmpty(t, ce.Err.RequestID)
		assert.False(t, scopix.IsRetryable(err))
	}
	assert.Equal(t, int32(6), calls.Load(), "never retried")
	assert.Zero(t, srv.Stats().Requests)

	deny.Store(false)
	_, err := c.Files.List(context.Background(), nil)
	assert.NoError(t, err, "the breaker stayed closed")
}

func TestMiddleware_NeitherResponseNorErrorIsAnError(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMiddleware(func(*http.Request, scopix.MiddlewareNext) (*http.Response, error) {
		return nil, nil
	}))
	_, err := c.Files.List(context.Background(), nil)
	var ce *scopix.ConnectionError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, err.Error(), "neither a response nor an error")
}

func TestMiddleware_ErrorFromNextPassedOnIsRetried(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	var log attemptLog
	wrap := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		resp, err := next(req)
		if err != nil {
			return nil, fmt.Errorf("traced: %w", err)
		}
		return resp, nil
	}
	c := srv.Client(scopix.WithMiddleware(log.middleware, wrap))
	srv.FailNext(1, 0, nil) // the connection drops without a response
	_, err := c.Files.List(context.Background(), nil)
	require.NoError(t, err, "a network error the middleware passes on is retried as usual")

	got := log.all()
	require.Len(t, got, 2)
	assert.Error(t, got[0].err)
	assert.Equal(t, http.StatusOK, got[1].status)
}

func TestMiddleware_CallerCancellationStaysACancellation(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	c := srv.Client(scopix.WithMiddleware(func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		cancel()
		return nil, req.Context().Err()
	}))
	_, err := c.Files.List(ctx, nil)
	assert.ErrorIs(t, err, context.Canceled)
	var ce *scopix.ConnectionError
	assert.False(t, errors.As(err, &ce), "a cancellation is not a middleware failure")
}

func TestMiddleware_NeverRunsForStorageURLs(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithDirectUploadPartSize(1<<20), scopixtest.WithVideoChunkSize(1<<20))
	var log attemptLog
	c := srv.Client(scopix.WithMiddleware(log.middleware))
	ctx := context.Background()
	dir := t.TempDir()

	doc := writeFile(t, dir, "doc.pdf", bytes.Repeat([]byte("%PDF"), 1<<19)) // 2 MiB: two direct-upload parts
	up, err := c.Files.Upload(ctx, doc, &scopix.UploadParams{ForceDirect: true})
	require.NoError(t, err)
	video := writeFile(t, dir, "clip.mp4", scopixtest.MP4(3<<20, 0)) // three chunks
	_, err = c.Video.Upload(ctx, video, nil)
	require.NoError(t, err)
	body, err := c.Files.Download(ctx, up.ImageID) // redirected to storage
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, body)
	require.NoError(t, body.Close())

	storage := 0
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/storage/") {
			storage++
		}
	}
	require.GreaterOrEqual(t, storage, 6, "the fake saw the part, chunk and download requests")
	got := log.all()
	require.Len(t, got, len(srv.Requests())-storage, "middleware saw every API request and nothing else")
	for _, a := range got {
		assert.True(t, strings.HasPrefix(a.path, "/api/v2/"), "middleware saw %s", a.path)
	}
}
