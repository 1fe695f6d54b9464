package scopix

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults of the options below.
const (
	DefaultBaseURL         = "https://api.scopix.ai/api/v2"
	DefaultTimeout         = 300 * time.Second
	DefaultMaxRetries      = 3
	DefaultRetryDelay      = time.Second
	DefaultMaxRetryWait    = 60 * time.Second
	DefaultPollingInterval = 2 * time.Second
	DefaultPollingTimeout  = 360 * time.Second
	// DefaultMaxResponseBytes caps a decoded JSON answer (64 MiB): far above
	// any documented answer (a 1,000-item page is a few MiB), far below
	// what would hurt a process.
	DefaultMaxResponseBytes = 64 << 20
)

// CircuitBreakerSettings tunes the per-endpoint circuit breakers. Zero fields
// take the defaults: open after 5 consecutive failures, let a trial request
// through after 30s, close after 2 successes.
type CircuitBreakerSettings struct {
	FailureThreshold int           // consecutive failures that open the breaker
	SuccessThreshold int           // successes while half-open that close it
	OpenTimeout      time.Duration // how long it stays open before a trial request
}

func (s CircuitBreakerSettings) withDefaults() CircuitBreakerSettings {
	if s.FailureThreshold == 0 {
		s.FailureThreshold = 5
	}
	if s.SuccessThreshold == 0 {
		s.SuccessThreshold = 2
	}
	if s.OpenTimeout == 0 {
		s.OpenTimeout = 30 * time.Second
	}
	return s
}

// config is what the options set.
type config struct {
	baseURL          string
	httpClient       *http.Client
	timeout          time.Duration
	maxRetries       int
	retryDelay       time.Duration
	maxRetryWait     time.Duration
	pollingInterval  time.Duration
	pollingTimeout   time.Duration
	maxResponseBytes int64
	tenantID         string
	proxyURL         string
	logger           *slog.Logger
	userAgent        string
	headers          http.Header
	breaker          CircuitBreakerSettings
	breakerOff       bool
	middleware       []Middleware
	problems         []error
}

func defaultConfig() config {
	return config{
		baseURL:          DefaultBaseURL,
		timeout:          DefaultTimeout,
		maxRetries:       DefaultMaxRetries,
		retryDelay:       DefaultRetryDelay,
		maxRetryWait:     DefaultMaxRetryWait,
		pollingInterval:  DefaultPollingInterval,
		pollingTimeout:   DefaultPollingTimeout,
		maxResponseBytes: DefaultMaxResponseBytes,
		headers:          http.Header{},
	}
}

// Option configures a Client.
type Option func(*config)

// checkDuration refuses a negative timeout or interval as a
// *ValidationError naming field; zero means the default, which the caller
// fills in. Every Timeout and Interval option and parameter is checked here.
func checkDuration(field string, d time.Duration) error {
	if d < 0 {
		return validationError(field, "must not be negative (0 means the default)")
	}
	return nil
}

// checkRetryWait refuses a negative retry wait as a *ValidationError naming
// field. Zero is not the default here but a wait of zero.
func checkRetryWait(field string, d time.Duration) error {
	if d < 0 {
		return validationError(field, "must not be negative")
	}
	return nil
}

// accepted notes err as a problem New reports and tells whether there was none.
func (c *config) accepted(err error) bool {
	if err != nil {
		c.problems = append(c.problems, err)
		return false
	}
	return true
}

// WithBaseURL sets the API root, e.g. "https://api.scopix.ai/api/v2". It must
// be HTTPS unless the host is localhost, 127.0.0.1 or [::1].
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithHTTPClient sets the http.Client whose Transport carries every request.
// The SDK wraps its Transport and redirect policy; the client itself is not modified.
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithTimeout bounds each attempt of a request, body included (default
// 300s; 0 means the default). It does not apply to an open chat stream,
// which has its own idle timeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if c.accepted(checkDuration("timeout", d)) {
			c.timeout = d
		}
	}
}

// WithMaxRetries sets how often a failed request is retried (default 3; 0 disables).
func WithMaxRetries(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.problems = append(c.problems, validationError("max_retries", "must not be negative"))
			return
		}
		c.maxRetries = n
	}
}

// WithRetryDelay sets the first backoff (default 1s); it doubles per retry,
// with full jitter, up to 30s. 0 retries without waiting, unless the
// server asks for a wait (Retry-After).
func WithRetryDelay(d time.Duration) Option {
	return func(c *config) {
		if c.accepted(checkRetryWait("retry_delay", d)) {
			c.retryDelay = d
		}
	}
}

// WithMaxRetryWait caps a server-directed wait (Retry-After). A longer wait
// is not taken: the typed error is returned at once (default 60s; 0 takes
// no server-directed wait at all).
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) {
		if c.accepted(checkRetryWait("max_retry_wait", d)) {
			c.maxRetryWait = d
		}
	}
}

// WithPollingInterval sets the default interval of the Wait methods
// (default 2s; 0 means the default).
func WithPollingInterval(d time.Duration) Option {
	return func(c *config) {
		if c.accepted(checkDuration("polling_interval", d)) {
			c.pollingInterval = d
		}
	}
}

// WithMaxResponseBytes caps the size of a JSON answer the SDK decodes
// (default DefaultMaxResponseBytes, 64 MiB; 0 means the default). A larger
// answer fails with a BAD_RESPONSE *Error instead of filling memory.
// Streamed bodies (Download, Export, SceneThumbnail) are not capped.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) {
		switch {
		case n < 0:
			c.problems = append(c.problems, validationError("max_response_bytes", "must not be negative"))
		case n == 0:
			c.maxResponseBytes = DefaultMaxResponseBytes
		default:
			c.maxResponseBytes = n
		}
	}
}

// WithPollingTimeout sets the default timeout of the Wait methods
// (default 360s; 0 means the default).
func WithPollingTimeout(d time.Duration) Option {
	return func(c *config) {
		if c.accepted(checkDuration("polling_timeout", d)) {
			c.pollingTimeout = d
		}
	}
}

// WithTenantID sends X-Tenant-ID on every API request.
func WithTenantID(id string) Option { return func(c *config) { c.tenantID = id } }

// WithProxyURL routes requests through an http or https proxy. It cannot
// be combined with WithHTTPClient (set the proxy on that client's
// transport): New reports the combination as a *ValidationError rather
// than ignore the proxy. Without either, the SDK's transport honours
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
func WithProxyURL(u string) Option { return func(c *config) { c.proxyURL = u } }

// WithLogger logs each attempt at Debug level: method, path, status, attempt,
// duration and request id. Keys, headers and query strings are never logged.
// The default discards everything.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithUserAgent appends to the User-Agent "scopix-go/<Version>".
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithHeader adds a header to every API request (not to presigned storage URLs).
func WithHeader(key, value string) Option { return func(c *config) { c.headers.Add(key, value) } }

// WithCircuitBreaker tunes the circuit breakers (on by default).
func WithCircuitBreaker(s CircuitBreakerSettings) Option {
	return func(c *config) {
		if s.FailureThreshold < 0 || s.SuccessThreshold < 0 || s.OpenTimeout < 0 {
			c.problems = append(c.problems, validationError("circuit_breaker", "settings must not be negative"))
			return
		}
		c.breaker = s
		c.breakerOff = false
	}
}

// WithoutCircuitBreaker turns the circuit breakers off.
func WithoutCircuitBreaker() Option { return func(c *config) { c.breakerOff = true } }

// fromEnv applies the SCOPIX_* variables to cfg.
func (cfg *config) fromEnv(lookup func(string) (string, bool)) error {
	if v, ok := lookup("SCOPIX_BASE_URL"); ok && v != "" {
		cfg.baseURL = v
	}
	if v, ok := lookup("SCOPIX_TENANT_ID"); ok {
		cfg.tenantID = v
	}
	if v, ok := lookup("SCOPIX_PROXY_URL"); ok {
		cfg.proxyURL = v
	}
	if v, ok := lookup("SCOPIX_MAX_RETRIES"); ok && v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return validationError("SCOPIX_MAX_RETRIES", "want a non-negative integer")
		}
		cfg.maxRetries = n
	}
	durations := []struct {
		name string
		dst  *time.Duration
	}{
		{"SCOPIX_TIMEOUT", &cfg.timeout},
		{"SCOPIX_RETRY_DELAY", &cfg.retryDelay},
		{"SCOPIX_POLLING_INTERVAL", &cfg.pollingInterval},
		{"SCOPIX_POLLING_TIMEOUT", &cfg.pollingTimeout},
	}
	for _, d := range durations {
		v, ok := lookup(d.name)
		if !ok || v == "" {
			continue
		}
		parsed, err := parseSeconds(v)
		if err != nil {
			return validationError(d.name, err.Error())
		}
		*d.dst = parsed
	}
	return nil
}

// parseSeconds reads a duration given in seconds, decimals allowed.
func parseSeconds(v string) (time.Duration, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || f > 1e9 {
		return 0, errors.New("want a non-negative number of seconds")
	}
	return time.Duration(f * float64(time.Second)), nil
}

// checkedConfig is what check derives from a valid config: the parsed
// base URL and proxy.
type checkedConfig struct {
	base  *url.URL
	proxy *url.URL // nil: the environment's proxy settings apply
}

// check validates cfg for a client with apiKey and fills in the defaults a
// zero value stands for. The first problem found is returned as a
// *ValidationError naming the option.
func (cfg *config) check(apiKey string) (checkedConfig, error) {
	if apiKey == "" {
		return checkedConfig{}, validationError("api_key", "must not be empty")
	}
	if len(cfg.problems) > 0 {
		return checkedConfig{}, cfg.problems[0]
	}
	if err := cfg.checkHeaders(apiKey); err != nil {
		return checkedConfig{}, err
	}
	base, err := checkBaseURL(cfg.baseURL)
	if err != nil {
		return checkedConfig{}, err
	}
	proxy, err := cfg.checkProxy()
	if err != nil {
		return checkedConfig{}, err
	}
	cfg.fillDefaults()
	return checkedConfig{base: base, proxy: proxy}, nil
}

// checkProxy parses the proxy option. From here on the transport holds the
// proxy; the config keeps only the redacted form, so a dump of the Client
// never shows its password.
func (cfg *config) checkProxy() (*url.URL, error) {
	if cfg.proxyURL == "" {
		return nil, nil
	}
	proxy, err := url.Parse(cfg.proxyURL)
	if err != nil || (proxy.Scheme != "http" && proxy.Scheme != "https") || proxy.Host == "" {
		return nil, validationError("proxy_url", "want an http or https URL")
	}
	if cfg.httpClient != nil {
		// The proxy would be silently dropped: the caller's transport is used as it is.
		return nil, validationError("proxy_url", "cannot be combined with WithHTTPClient; set the proxy on that client's transport")
	}
	cfg.proxyURL = proxy.Redacted()
	return proxy, nil
}

// fillDefaults replaces the zero values that mean "the default": a zero
// polling interval would otherwise poll without pause.
func (cfg *config) fillDefaults() {
	if cfg.timeout == 0 {
		cfg.timeout = DefaultTimeout
	}
	if cfg.pollingInterval == 0 {
		cfg.pollingInterval = DefaultPollingInterval
	}
	if cfg.pollingTimeout == 0 {
		cfg.pollingTimeout = DefaultPollingTimeout
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
}

func checkBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.User != nil {
		return nil, validationError("base_url", "want an absolute http(s) URL without query or credentials")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, validationError("base_url", "must use https (http is allowed only for localhost)")
	}
	return u, nil
}

// checkHeaderValue refuses a header value that net/http would reject on
// every request (CR, LF, NUL and other control bytes): caught at New, it is
// a *ValidationError naming the option instead of a retryable connection
// error on every call that trips the breaker. The value itself is never
// quoted, since it may be the API key.
func checkHeaderValue(field, v string) error {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return validationError(field, "must not contain control characters (CR, LF, NUL, ...)")
		}
	}
	return nil
}

// checkHeaderName refuses a header name that is not an RFC 9110 token.
func checkHeaderName(field, name string) error {
	if name == "" {
		return validationError(field, "header name must not be empty")
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		isAlnum := b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
		if !isAlnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(b)) {
			return validationError(field, "header name must be a token (letters, digits, !#$%&'*+-.^_`|~)")
		}
	}
	return nil
}

// checkHeaders validates every header value a client will send on each
// request, naming the option that set it.
func (cfg *config) checkHeaders(apiKey string) error {
	if err := checkHeaderValue("api_key", apiKey); err != nil {
		return err
	}
	if err := checkHeaderValue("tenant_id", cfg.tenantID); err != nil {
		return err
	}
	if err := checkHeaderValue("user_agent", cfg.userAgent); err != nil {
		return err
	}
	for name, values := range cfg.headers {
		if err := checkHeaderName("header", name); err != nil {
			return err
		}
		for _, v := range values {
			if err := checkHeaderValue("header", v); err != nil {
				return err
			}
		}
	}
	return nil
}
