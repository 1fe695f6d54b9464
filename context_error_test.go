package scopix_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// A caller who cancels with a cause finds both the cancellation and the
// cause in the error, so it can tell its own reasons apart.
func TestCancel_KeepsTheCallersCause(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c, err := scopix.New("key", scopix.WithBaseURL(srv.URL), scopix.WithMaxRetries(0))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })

	errShutdown := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-arrived
		cancel(errShutdown)
	}()
	_, err = c.Files.Get(ctx, "file-1")

	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, errShutdown, "the cause given to the context is kept")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var base *scopix.Error
	require.ErrorAs(t, err, &base)
	assert.Equal(t, scopix.CodeCanceled, base.Code)
	assert.NotContains(t, err.Error(), "key")
}
