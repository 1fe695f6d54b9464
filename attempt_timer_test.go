package scopix_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// A call whose context is already cancelled sends nothing and reports the
// cancellation, even when the attempt timeout is shorter than the time it
// takes to fail: the attempt timer must never be armed without a context
// to end (it panicked in a timer goroutine, taking the process down).
func TestAttemptTimeout_CancelledContextWithTinyTimeout(t *testing.T) {
	t.Parallel()
	srv := newWire(t, scopix.WithTimeout(time.Nanosecond))
	srv.Mux.Handle("/", script(ok200))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 2000 {
		err := srv.Client.Do(ctx, http.MethodGet, "/x", nil, nil)
		var e *scopix.Error
		require.True(t, errors.As(err, &e), "call %d: got %T %v", i, err, err)
		require.Equal(t, scopix.CodeCanceled, e.Code, "call %d: %v", i, err)
		require.ErrorIs(t, err, context.Canceled)
	}
	// Let any timer that was armed fire before the test ends.
	time.Sleep(10 * time.Millisecond)
	assert.Empty(t, srv.Requests(), "a cancelled call sends nothing")
}
