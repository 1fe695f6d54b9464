package scopix_test

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// A negative duration option is refused with a message that says what 0
// means for that option: the default for the timeouts and the polling
// interval, but a wait of zero for the retry waits.
func TestOptions_NegativeDurationMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opt  scopix.Option
		want string
	}{
		{scopix.WithTimeout(-1), "timeout: must not be negative (0 means the default)"},
		{scopix.WithPollingInterval(-1), "polling_interval: must not be negative (0 means the default)"},
		{scopix.WithPollingTimeout(-1), "polling_timeout: must not be negative (0 means the default)"},
		{scopix.WithRetryDelay(-1), "retry_delay: must not be negative"},
		{scopix.WithMaxRetryWait(-1), "max_retry_wait: must not be negative"},
	}
	for _, tt := range tests {
		_, err := scopix.New("key", tt.opt)
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v, tt.want)
		assert.Equal(t, tt.want, v.Err.Message)
	}
}

// Zero means what each option's documentation says: the default timeout,
// retries without a wait, and no server-directed wait taken. The waits run
// on the bubble's clock.
func TestOptions_ZeroDurations(t *testing.T) {
	t.Parallel()
	retryAfter := reply{status: 429, header: map[string]string{"Retry-After": "1"}}
	tests := []struct {
		name     string
		opt      scopix.Option
		handler  http.HandlerFunc
		wantErr  bool
		wantReqs int
		elapsed  time.Duration
	}{
		{"WithTimeout(0) is the default timeout", scopix.WithTimeout(0), func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(scopix.DefaultTimeout - time.Second)
			_, _ = w.Write([]byte(`{}`))
		}, false, 1, scopix.DefaultTimeout - time.Second},
		{"WithRetryDelay(0) retries at once", scopix.WithRetryDelay(0),
			script(reply{status: 503}, reply{status: 503}, ok200), false, 3, 0},
		{"WithMaxRetryWait(0) takes no server wait", scopix.WithMaxRetryWait(0),
			script(retryAfter, ok200), true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := newBubbleWire(t, tt.opt)
				srv.Mux.Handle("/", tt.handler)
				start := time.Now()
				err := srv.Client.Do(context.Background(), http.MethodGet, "/x", nil, nil)
				if tt.wantErr {
					assert.Error(t, err)
				} else {
					assert.NoError(t, err)
				}
				assert.Len(t, srv.Requests(), tt.wantReqs)
				assert.Equal(t, tt.elapsed, time.Since(start), "fake clock")
			})
		})
	}
}
