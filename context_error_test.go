package scopix_test

import (
	"context"
	"errors"
	"net/http"
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
	wire := newWire(t, scopix.WithMaxRetries(0))
	wire.Mux.HandleFunc("GET /files/{id}", func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})

	errShutdown := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-arrived
		cancel(errShutdown)
	}()
	_, err := wire.Client.Files.Get(ctx, "file-1")

	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, errShutdown, "the cause given to the context is kept")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var base *scopix.Error
	require.ErrorAs(t, err, &base)
	assert.Equal(t, scopix.CodeCanceled, base.Code)
	assert.NotContains(t, err.Error(), testKey)
}
