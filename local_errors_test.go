package scopix_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// A refused insecure redirect is the SDK's own decision, not the endpoint
// failing: however often it happens, the circuit breaker stays closed and
// every call reaches the server and reports the refusal.
func TestRedirect_InsecureRefusalNeverOpensTheBreaker(t *testing.T) {
	t.Parallel()
	c, hits := tlsRedirector(t, http.StatusFound, "http://api.scopix.invalid/api/v2/files/f1")
	const calls = 12 // over twice the default failure threshold
	for range calls {
		err := c.Do(context.Background(), http.MethodGet, "/files/f1", nil, nil)
		require.ErrorIs(t, err, scopix.ErrInsecureRedirect)
		assert.False(t, isType[*scopix.CircuitBreakerError](err))
	}
	assert.Equal(t, int32(calls), hits.Load())
}
