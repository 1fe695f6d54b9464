package scopixtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func listSessions(c *scopix.Client) error {
	return c.Do(context.Background(), http.MethodGet, "/chat/sessions", nil, nil)
}

func TestServer_RejectsWrongKeyWithRealErrorBody(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	wrong, err := scopix.New("scopix_wrongkey_0000000000", scopix.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	defer wrong.Close()
	err = listSessions(wrong)
	var auth *scopix.AuthenticationError
	require.True(t, errors.As(err, &auth), "got %v", err)
	assert.Equal(t, "INVALID_API_KEY", auth.Err.Details["server_code"])
	assert.NoError(t, listSessions(srv.Client()), "the server's own client is accepted")

	custom := scopixtest.NewServer(t, scopixtest.WithAPIKey("scopix_custom_key_1234567890"))
	assert.NoError(t, listSessions(custom.Client()), "WithAPIKey changes the accepted key")
}

func TestServer_FailNextInjectsStatusAndHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		check  func(t *testing.T, err error)
	}{
		{"rate limit with Retry-After", 429, func(t *testing.T, err error) {
			var rl *scopix.RateLimitError
			require.True(t, errors.As(err, &rl))
			assert.Equal(t, 2*time.Second, rl.RetryAfter)
		}},
		{"server error", 503, func(t *testing.T, err error) {
			assert.True(t, errors.As(err, new(*scopix.ServerError)))
		}},
		{"dropped connection", 0, func(t *testing.T, err error) {
			assert.True(t, errors.As(err, new(*scopix.ConnectionError)), "got %v", err)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)
			c := srv.Client(scopix.WithMaxRetries(0), scopix.WithoutCircuitBreaker())
			srv.FailNext(1, tt.status, map[string]string{"Retry-After": "2"})
			tt.check(t, listSessions(c))
			assert.NoError(t, listSessions(c), "only the next request fails")
			assert.EqualValues(t, 1, srv.Stats().FaultsInjected)
			assert.EqualValues(t, 2, srv.Stats().Requests)
		})
	}
}

func TestServer_FailNextIsHealedByClientRetries(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	srv.FailNext(2, http.StatusBadGateway, nil)
	require.NoError(t, listSessions(c))
	assert.Equal(t, 3, srv.RequestCount(http.MethodGet, "/chat/sessions"))
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, reqs[0].Header.Get("X-Request-ID"), reqs[2].Header.Get("X-Request-ID"), "one call, one request id")
}

func TestServer_FailNextOnMatchesMethodAndPath(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMaxRetries(0))
	srv.FailNextOn(http.MethodPost, "/chat/sessions", 1, http.StatusInternalServerError, nil)
	assert.NoError(t, listSessions(c), "a GET does not match")
	err := c.Do(context.Background(), http.MethodPost, "/chat/sessions", map[string]any{"title": "x"}, nil)
	assert.True(t, errors.As(err, new(*scopix.ServerError)))
	assert.NoError(t, c.Do(context.Background(), http.MethodPost, "/chat/sessions", map[string]any{"title": "x"}, nil))
}

func TestServer_LatencyDelaysEveryRequest(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMaxRetries(0))
	srv.SetLatency(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := c.Do(ctx, http.MethodGet, "/chat/sessions", nil, nil)
	assert.True(t, errors.As(err, new(*scopix.TimeoutError)), "the request is still waiting when the deadline passes")
	srv.SetLatency(0)
	assert.NoError(t, listSessions(c))
}

func TestServer_StartWithoutATest(t *testing.T) {
	t.Parallel()
	srv := scopixtest.Start()
	c := srv.Client()
	assert.NoError(t, listSessions(c))
	c.Close()
	srv.Close()
	assert.Error(t, listSessions(c), "a closed client refuses calls")
}
