package scopix

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type dialFailure struct{ addr string }

func (e *dialFailure) Error() string { return "dial " + e.addr + ": refused" }

// contextError keeps the error it is given as the cause, and says what
// happened through the sentinels: an attempt timeout never reads as the
// caller's cancellation, even though ending the attempt cancelled a context.
func TestContextError_KeepsTheCause(t *testing.T) {
	t.Parallel()
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancelExpired := context.WithDeadline(context.Background(), time.Unix(0, 0))
	t.Cleanup(cancelExpired)
	cause := &dialFailure{addr: "api.example:443"}
	attemptErr := fmt.Errorf("%w: %w", errAttemptTimeout,
		&url.Error{Op: "Get", URL: "https://api.example/files", Err: fmt.Errorf("%w: %w", context.Canceled, cause)})

	tests := []struct {
		name        string
		ctx         context.Context
		err         error
		code        string
		isTimeout   bool
		is, isNot   []error
		wantURLFail bool
	}{
		{"caller cancelled", canceled, fmt.Errorf("sending: %w", cause), CodeCanceled, false,
			[]error{context.Canceled}, []error{context.DeadlineExceeded, errAttemptTimeout}, false},
		{"caller's deadline", expired, cause, CodeTimeout, true,
			[]error{context.DeadlineExceeded}, []error{context.Canceled, errAttemptTimeout}, false},
		{"attempt timeout", context.Background(), attemptErr, CodeTimeout, true,
			[]error{context.DeadlineExceeded, errAttemptTimeout}, []error{context.Canceled}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := contextError(tc.ctx, tc.err, "req-1", time.Second)

			var base *Error
			require.ErrorAs(t, err, &base)
			assert.Equal(t, tc.code, base.Code)
			assert.Equal(t, "req-1", base.RequestID)
			var timeout *TimeoutError
			assert.Equal(t, tc.isTimeout, errors.As(err, &timeout))
			var got *dialFailure
			require.ErrorAs(t, err, &got, "the cause is reachable")
			assert.Same(t, cause, got)
			var urlErr *url.Error
			assert.Equal(t, tc.wantURLFail, errors.As(err, &urlErr))
			for _, target := range tc.is {
				assert.ErrorIs(t, err, target)
			}
			for _, target := range tc.isNot {
				assert.NotErrorIs(t, err, target)
			}
		})
	}
}

// A cause given to the context (WithCancelCause) is kept beside the error.
func TestContextError_KeepsTheContextCause(t *testing.T) {
	t.Parallel()
	errShutdown := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errShutdown)

	err := contextError(ctx, ctx.Err(), "", 0)

	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, errShutdown)
	assert.Equal(t, "scopix: CANCELED: request canceled", err.Error())
}
