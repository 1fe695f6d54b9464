package scopix

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const key = "scopix_abcd1234_secret"

func TestConfig_Defaults(t *testing.T) {
	t.Parallel()
	c, err := New(key)
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "https://api.scopix.ai/api/v2", c.baseURL)
	assert.Equal(t, 300*time.Second, c.cfg.timeout)
	assert.Equal(t, 3, c.cfg.maxRetries)
	assert.Equal(t, time.Second, c.cfg.retryDelay)
	assert.Equal(t, 60*time.Second, c.cfg.maxRetryWait)
	assert.Equal(t, 2*time.Second, c.cfg.pollingInterval)
	assert.Equal(t, 360*time.Second, c.cfg.pollingTimeout)
	assert.Equal(t, "scopix-go/"+Version, c.userAgent)
	assert.Equal(t, CircuitBreakerSettings{FailureThreshold: 5, SuccessThreshold: 2, OpenTimeout: 30 * time.Second}, c.breakers.settings)
	assert.False(t, c.breakers.off)
	for _, svc := range []any{c.Files, c.Video, c.VideoAnalysis, c.Chat, c.CloudStorage, c.S3Connector} {
		assert.NotNil(t, svc)
	}
}

func TestConfig_EveryOption(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.DiscardHandler)
	hc := &http.Client{}
	c, err := New(key,
		WithBaseURL("https://eu.scopix.example/api/v2/"),
		WithHTTPClient(hc),
		WithTimeout(10*time.Second),
		WithMaxRetries(7),
		WithRetryDelay(250*time.Millisecond),
		WithMaxRetryWait(5*time.Second),
		WithPollingInterval(time.Second),
		WithPollingTimeout(time.Minute),
		WithTenantID("tenant-1"),
		WithLogger(logger),
		WithUserAgent("app/1.0"),
		WithHeader("X-Trace", "abc"),
		WithCircuitBreaker(CircuitBreakerSettings{FailureThreshold: 9}),
	)
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "https://eu.scopix.example/api/v2", c.baseURL)
	assert.Same(t, hc, c.cfg.httpClient)
	assert.Nil(t, hc.Transport, "the caller's client is not modified")
	assert.Equal(t, 10*time.Second, c.cfg.timeout)
	assert.Equal(t, 7, c.http.RetryMax)
	assert.Equal(t, 250*time.Millisecond, c.cfg.retryDelay)
	assert.Equal(t, 5*time.Second, c.cfg.maxRetryWait)
	assert.Equal(t, time.Second, c.cfg.pollingInterval)
	assert.Equal(t, time.Minute, c.cfg.pollingTimeout)
	assert.Equal(t, "tenant-1", c.cfg.tenantID)
	assert.Same(t, logger, c.logger)
	assert.Equal(t, "scopix-go/"+Version+" app/1.0", c.userAgent)
	assert.Equal(t, "abc", c.cfg.headers.Get("X-Trace"))
	assert.Equal(t, 9, c.breakers.settings.FailureThreshold)
	assert.Equal(t, 2, c.breakers.settings.SuccessThreshold, "unset fields keep their defaults")

	off, err := New(key, WithoutCircuitBreaker())
	require.NoError(t, err)
	assert.True(t, off.breakers.off)

	proxied, err := New(key, WithProxyURL("http://proxy.internal:3128"))
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodGet, "https://api.scopix.ai/api/v2/files", nil)
	proxy, err := proxied.transports[0].Proxy(req)
	require.NoError(t, err)
	assert.Equal(t, "proxy.internal:3128", proxy.Host)
}

func TestConfig_InvalidInputIsValidationError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		key   string
		opts  []Option
		field string
	}{
		{"empty key", "", nil, "api_key"},
		{"blank key", "   ", nil, "api_key"},
		{"plain http to a remote host", key, []Option{WithBaseURL("http://api.scopix.ai/api/v2")}, "base_url"},
		{"malformed base url", key, []Option{WithBaseURL("://nope")}, "base_url"},
		{"relative base url", key, []Option{WithBaseURL("/api/v2")}, "base_url"},
		{"base url with credentials", key, []Option{WithBaseURL("https://u:p@api.scopix.ai")}, "base_url"},
		{"ftp base url", key, []Option{WithBaseURL("ftp://api.scopix.ai")}, "base_url"},
		{"negative timeout", key, []Option{WithTimeout(-time.Second)}, "timeout"},
		{"negative retries", key, []Option{WithMaxRetries(-1)}, "max_retries"},
		{"negative retry delay", key, []Option{WithRetryDelay(-1)}, "retry_delay"},
		{"negative max retry wait", key, []Option{WithMaxRetryWait(-1)}, "max_retry_wait"},
		{"negative polling interval", key, []Option{WithPollingInterval(-1)}, "polling_interval"},
		{"negative polling timeout", key, []Option{WithPollingTimeout(-1)}, "polling_timeout"},
		{"negative breaker", key, []Option{WithCircuitBreaker(CircuitBreakerSettings{FailureThreshold: -1})}, "circuit_breaker"},
		{"bad proxy", key, []Option{WithProxyURL("socks://x")}, "proxy_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.key, tt.opts...)
			assert.Nil(t, c)
			var v *ValidationError
			require.True(t, errors.As(err, &v), "got %v", err)
			assert.Equal(t, tt.field, v.Fields[0].Loc[0])
			assert.Equal(t, CodeValidation, v.Err.Code)
			assert.NotContains(t, err.Error(), key)
		})
	}
}

func TestConfig_LoopbackMayUseHTTP(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://localhost:8080/api/v2", "http://127.0.0.1:9/api/v2", "http://[::1]:9/api/v2"} {
		c, err := New(key, WithBaseURL(u))
		require.NoError(t, err, u)
		c.Close()
	}
}

func TestConfig_Environment(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"SCOPIX_BASE_URL":         "https://env.example/api/v2",
		"SCOPIX_TIMEOUT":          "12.5",
		"SCOPIX_MAX_RETRIES":      "6",
		"SCOPIX_RETRY_DELAY":      "0.25",
		"SCOPIX_POLLING_INTERVAL": "3",
		"SCOPIX_POLLING_TIMEOUT":  "90",
		"SCOPIX_TENANT_ID":        "t-env",
		"SCOPIX_PROXY_URL":        "https://proxy.env:443",
	}
	cfg := defaultConfig()
	require.NoError(t, cfg.fromEnv(lookupIn(env)))
	assert.Equal(t, "https://env.example/api/v2", cfg.baseURL)
	assert.Equal(t, 12500*time.Millisecond, cfg.timeout)
	assert.Equal(t, 6, cfg.maxRetries)
	assert.Equal(t, 250*time.Millisecond, cfg.retryDelay)
	assert.Equal(t, 3*time.Second, cfg.pollingInterval)
	assert.Equal(t, 90*time.Second, cfg.pollingTimeout)
	assert.Equal(t, "t-env", cfg.tenantID)
	assert.Equal(t, "https://proxy.env:443", cfg.proxyURL)

	empty := defaultConfig()
	require.NoError(t, empty.fromEnv(lookupIn(nil)))
	assert.Equal(t, defaultConfig().timeout, empty.timeout, "unset variables keep the defaults")
}

func TestConfig_UnparsableEnvironmentNamesTheVariable(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"SCOPIX_TIMEOUT", "SCOPIX_MAX_RETRIES", "SCOPIX_RETRY_DELAY", "SCOPIX_POLLING_INTERVAL", "SCOPIX_POLLING_TIMEOUT"} {
		for _, bad := range []string{"abc", "-1", "NaN", "1e400"} {
			cfg := defaultConfig()
			err := cfg.fromEnv(lookupIn(map[string]string{name: bad}))
			var v *ValidationError
			require.True(t, errors.As(err, &v), "%s=%s", name, bad)
			assert.Equal(t, name, v.Fields[0].Loc[0])
			assert.Contains(t, err.Error(), name)
		}
	}
}

func TestNewFromEnv_OptionsWinAndKeyRequired(t *testing.T) {
	t.Setenv("SCOPIX_API_KEY", "")
	_, err := NewFromEnv()
	var v *ValidationError
	require.True(t, errors.As(err, &v))
	assert.Equal(t, "api_key", v.Fields[0].Loc[0])

	t.Setenv("SCOPIX_API_KEY", key)
	t.Setenv("SCOPIX_MAX_RETRIES", "9")
	t.Setenv("SCOPIX_TIMEOUT", "5")
	c, err := NewFromEnv(WithMaxRetries(1))
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, 1, c.cfg.maxRetries, "an option beats the environment")
	assert.Equal(t, 5*time.Second, c.cfg.timeout)
	assert.Equal(t, []string{"Bearer " + key}, c.auth())

	t.Setenv("SCOPIX_POLLING_TIMEOUT", "soon")
	_, err = NewFromEnv()
	require.True(t, errors.As(err, &v))
	assert.Equal(t, "SCOPIX_POLLING_TIMEOUT", v.Fields[0].Loc[0])
}

func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

func TestBackoff_GrowsWithJitterAndCaps(t *testing.T) {
	t.Parallel()
	c, err := New(key, WithRetryDelay(time.Second))
	require.NoError(t, err)
	for attempt := 1; attempt <= 8; attempt++ {
		ceiling := min(time.Second<<(attempt-1), 30*time.Second)
		for range 50 {
			d := c.backoffDelay(attempt)
			assert.GreaterOrEqual(t, d, time.Duration(0))
			assert.LessOrEqual(t, d, ceiling, "attempt %d", attempt)
		}
	}
}

func TestRedactURLText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`Put "https://s3/x?X-Amz-Signature=abc": EOF`, `Put "https://s3/x?[REDACTED]": EOF`},
		{"https://a/b?sig=1 and https://c/d?sig=2", "https://a/b?[REDACTED] and https://c/d?[REDACTED]"},
		{"no query here", "no query here"},
		{"https://a/b?sig=1", "https://a/b?[REDACTED]"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, redactURLText(tt.in))
	}
}
