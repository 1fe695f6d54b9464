package scopix_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

func TestResponseInfo_StatusRequestIDAndRateLimitOfASuccess(t *testing.T) {
	t.Parallel()
	srv := newWire(t, scopix.WithMaxRetries(2))
	srv.Mux.Handle("/", script(
		reply{status: 503, body: `{"error":"busy"}`},
		reply{status: 200, body: `{"ok":true}`, header: map[string]string{
			"X-Request-ID": "srv-req-1", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "41",
			"X-RateLimit-Reset": "1767225600", "X-Process-Time": "12ms",
		}}))
	c := srv.Client
	var info scopix.ResponseInfo
	require.NoError(t, c.Do(scopix.WithResponseInfo(context.Background(), &info), http.MethodGet, "/usage/summary", nil, nil))

	assert.Equal(t, http.StatusOK, info.StatusCode)
	assert.Equal(t, "srv-req-1", info.RequestID)
	assert.Equal(t, scopix.RateLimit{Limit: 100, Remaining: 41, Reset: time.Unix(1767225600, 0)}, info.RateLimit)
	assert.Equal(t, 2, info.Attempts, "the 503 was retried once")
	assert.Equal(t, "12ms", info.Header.Get("X-Process-Time"))
}

func TestResponseInfo_RequestIDFallsBackToTheOneSent(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	var info scopix.ResponseInfo
	require.NoError(t, c.Do(scopix.WithResponseInfo(context.Background(), &info), http.MethodGet, "/x", nil, nil))
	assert.Equal(t, srv.Requests()[0].Header.Get("X-Request-ID"), info.RequestID)
	assert.Zero(t, info.RateLimit, "no rate-limit headers: all zero")
}

func TestResponseInfo_AFailureLeavesItUntouched(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: 404, body: `{"detail":"nope"}`}))
	c := srv.Client
	info := scopix.ResponseInfo{StatusCode: -1}
	err := c.Do(scopix.WithResponseInfo(context.Background(), &info), http.MethodGet, "/x", nil, nil)
	require.Error(t, err)
	assert.Equal(t, -1, info.StatusCode)
}

func TestResponseInfo_FakeReportsItsWindow(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithRateLimit(100, time.Minute))
	c := srv.Client()
	var info scopix.ResponseInfo
	ctx := scopix.WithResponseInfo(context.Background(), &info)
	_, err := c.Files.List(ctx, nil)
	require.NoError(t, err)
	_, err = c.Files.List(ctx, nil)
	require.NoError(t, err)

	assert.Equal(t, 100, info.RateLimit.Limit)
	assert.Equal(t, 98, info.RateLimit.Remaining, "two requests in this window")
	assert.True(t, info.RateLimit.Reset.After(time.Now().Add(-time.Second)))
	assert.Equal(t, srv.Requests()[1].Header.Get("X-Request-ID"), info.RequestID)
}

func TestResponseInfo_ConcurrentRequestsOfOneOperationAndNoStorage(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	c := srv.Client()
	var info scopix.ResponseInfo
	ctx := scopix.WithResponseInfo(context.Background(), &info)
	path := writeVideo(t, "clip.mp4", randomBytes(6*testChunkSize, 5))
	_, err := c.Video.Upload(ctx, path, &scopix.VideoUploadParams{Concurrency: 4})
	require.NoError(t, err)

	assert.Equal(t, http.StatusOK, info.StatusCode)
	last := srv.Requests()[len(srv.Requests())-1]
	require.True(t, strings.HasPrefix(last.Path, "/api/v2/"), "the last request was an API call (%s)", last.Path)
	assert.Equal(t, last.Header.Get("X-Request-ID"), info.RequestID, "the last API response, never a storage one")
}

func TestResponseInfo_NilArgumentsAreHarmless(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	assert.Equal(t, ctx, scopix.WithResponseInfo(ctx, nil))
	//lint:ignore SA1012 the point is a nil context
	assert.Nil(t, scopix.WithResponseInfo(nil, &scopix.ResponseInfo{})) //nolint:staticcheck
	//lint:ignore SA1012 the point is a nil context
	assert.Nil(t, scopix.WithCorrelationID(nil, "x")) //nolint:staticcheck
	//lint:ignore SA1012 the point is a nil context
	assert.Empty(t, scopix.CorrelationID(nil)) //nolint:staticcheck
}

// apiAndStorage splits the fake's log into API and storage requests.
func apiAndStorage(reqs []scopixtest.Request) (api, storage []scopixtest.Request) {
	for _, r := range reqs {
		if strings.HasPrefix(r.Path, "/storage/") {
			storage = append(storage, r)
		} else {
			api = append(api, r)
		}
	}
	return api, storage
}

func TestCorrelationID_EveryRequestOfAVideoUpload(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	c := srv.Client()
	ctx := scopix.WithCorrelationID(context.Background(), "import-2026-12-01")
	path := writeVideo(t, "clip.mp4", randomBytes(5*testChunkSize, 9))
	srv.FailVideoChunk(2, 1, http.StatusInternalServerError) // a chunk retry asks for a fresh URL
	_, err := c.Video.Upload(ctx, path, &scopix.VideoUploadParams{Concurrency: 2})
	require.NoError(t, err)

	api, storage := apiAndStorage(srv.Requests())
	require.GreaterOrEqual(t, len(api), 7, "initiate, five confirms, complete, at least")
	require.NotEmpty(t, storage)
	for _, r := range api {
		assert.Equal(t, "import-2026-12-01", r.Header.Get("X-Correlation-ID"), "%s %s", r.Method, r.Path)
	}
	for _, r := range storage {
		assert.Empty(t, r.Header.Get("X-Correlation-ID"), "storage URLs get no SDK headers")
	}
}

func TestCorrelationID_EveryRequestOfABatchAndItsWaits(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{DescriptionDelay: 20 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		c := srv.Client()
		_, paths := batchDir(t, 12)
		ctx := scopix.WithCorrelationID(context.Background(), "batch-7")
		res, err := c.Files.UploadBatch(ctx, paths, &scopix.UploadParams{BatchSize: 5, Concurrency: 2})
		require.NoError(t, err)
		_, err = c.Files.WaitForDescription(ctx, res.Results[0].ImageID, nil)
		require.NoError(t, err)

		reqs := srv.Requests()
		require.GreaterOrEqual(t, len(reqs), 4)
		for _, r := range reqs {
			assert.Equal(t, "batch-7", r.Header.Get("X-Correlation-ID"), "%s %s", r.Method, r.Path)
		}
		_, err = c.Files.List(context.Background(), nil)
		require.NoError(t, err)
		assert.Empty(t, srv.Requests()[len(reqs)].Header.Get("X-Correlation-ID"), "only calls with that context carry it")
	})
}

func TestCorrelationID_ControlCharactersAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	_, err := c.Files.List(scopix.WithCorrelationID(context.Background(), "a\r\nX-Evil: 1"), nil)
	var ve *scopix.ValidationError
	require.True(t, errors.As(err, &ve), "got %v", err)
	assert.Equal(t, []string{"correlation_id"}, ve.Fields[0].Loc)
	assert.Zero(t, srv.Stats().Requests)
}

func TestCorrelationID_MiddlewareCanReadIt(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	var seen string
	c := srv.Client(scopix.WithMiddleware(func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		seen = scopix.CorrelationID(req.Context())
		return next(req)
	}))
	_, err := c.Files.List(scopix.WithCorrelationID(context.Background(), "c-1"), nil)
	require.NoError(t, err)
	assert.Equal(t, "c-1", seen)
}
