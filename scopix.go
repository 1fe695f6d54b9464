// Package scopix is the Go client for the Scopix API: upload images,
// documents and videos, get AI descriptions, tags and scene analysis, chat
// with agents over your files with streamed answers, and import from cloud
// drives and S3.
//
// # Quick start
//
//	c, err := scopix.New("scopix_...")
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer c.Close()
//	res, err := c.Files.Upload(ctx, "photo.jpg", nil)
//
// NewFromEnv reads the SCOPIX_* variables instead; options given to it win.
//
// # Configuration
//
// Options (WithTimeout, WithMaxRetries, WithRetryDelay, WithLogger, ...) set
// the per-attempt timeout (300s), retries (3), backoff (1s doubling, full
// jitter, capped at 30s), polling of the Wait methods (every 2s, for at most
// 360s), a tenant header, a proxy, extra headers and the circuit breaker.
//
// # Errors
//
// Every error a method returns is, or wraps, a *Error with a stable Code.
// Typed errors (*RateLimitError, *AuthenticationError, *ResourceNotFoundError,
// *ValidationError, *UploadError, ...) add the fields that matter for them:
//
//	var rl *scopix.RateLimitError
//	if errors.As(err, &rl) {
//		time.Sleep(rl.RetryAfter)
//	}
//
// Bad arguments are reported as a *ValidationError naming the field before
// any request is sent. An operation error (an *UploadError, say) keeps the
// HTTP error that caused it, so errors.As finds both. A cancelled context
// gives an error for which errors.Is(err, context.Canceled) holds; an expired
// deadline a *TimeoutError for which errors.Is(err, context.DeadlineExceeded) holds.
// A *ResourceNotFoundError names the resource the call asked for when the
// server's body does not, and a top-level "suggestion" of an error body is
// kept in Details["suggestion"].
//
// # Retries and the circuit breaker
//
// Connection failures, attempt timeouts and HTTP 408, 429 (not a quota), 500,
// 502, 503 and 504 are retried with exponential backoff; a Retry-After header
// wins. A retry never does a thing twice: a POST that creates something (a
// chat message, a session, a job) is retried only when the server cannot have
// acted on it (the request never reached it, 429 or 503), and uploads are
// retried with skip_duplicates=true so the first attempt's file is reported
// instead of a copy. Every logical call carries one X-Request-ID across its
// attempts.
//
// Each endpoint family (files, chat, video-uploads, ...) has its own circuit
// breaker, and presigned storage hosts have theirs: five consecutive
// failures (5xx, connection errors, timeouts) open it, calls then fail at
// once with *CircuitBreakerError, a trial request goes through after 30s, and
// two successes close it.
//
// # Decoding answers
//
// Answers are decoded tolerantly and never lose data silently. Unknown
// fields are ignored, so a newer server does not break an older client.
// Every timestamp is a Time, which reads RFC 3339 with or without a zone
// (FastAPI's default "2025-01-15T10:40:00.123456" is read as UTC) and with
// 0 to 9 fractional digits; null and "" are the zero Time. A list page
// (FileList, ChatSessionList, ConnectionList, S3JobList, VideoSceneList,
// SessionResultsPage, ChatImageList) reads its items under the key its
// endpoint documents ("files", "sessions", ...) or under "items". A value the SDK cannot read — a
// malformed timestamp, a string where a number is due — fails the call with
// a *Error of Code BAD_RESPONSE whose message names the field.
//
// # Logging
//
// WithLogger logs one Debug line per attempt (method, path, status, attempt,
// duration, request id). The API key, the Authorization header and presigned
// URL query strings never appear in logs, error strings or %v output.
//
// # Middleware
//
// WithMiddleware wraps every attempt to the API (retries included, each its
// own call; never presigned storage URLs) with your functions, for tracing,
// metrics or extra headers. See Middleware for how its errors are treated.
package scopix

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/go-retryablehttp"
)

// Version is the SDK version, sent in the User-Agent.
const Version = "0.1.0"

// Client talks to the Scopix API. It is safe for concurrent use; make one
// and share it.
type Client struct {
	common service

	// Files uploads, lists, describes and downloads files.
	Files *FilesService
	// Video uploads videos in resumable parallel chunks and lists their scenes.
	Video *VideoService
	// VideoAnalysis queues and follows video analysis jobs.
	VideoAnalysis *VideoAnalysisService
	// Chat runs agentic chat sessions over your files, with streamed answers.
	Chat *ChatService
	// CloudStorage imports from and exports to connected cloud drives.
	CloudStorage *CloudStorageService
	// S3Connector manages bring-your-own-bucket settings and S3 import jobs.
	S3Connector *S3ConnectorService
	// Folders organises files into a folder tree.
	Folders *FoldersService
	// Colors reads images' dominant colours and finds images by colour.
	Colors *ColorsService
	// Usage reports API usage, credits and tokens.
	Usage *UsageService
	// Links saves website links and follows their crawl.
	Links *LinksService
	// Tenant administers the workspace: settings, limits and members.
	Tenant *TenantService
	// Audit reads the tenant's audit log.
	Audit *AuditService
	// Batch runs asynchronous describe and verify jobs over many images.
	Batch *BatchService

	// Agents runs standalone AI agents: searches, reports, document
	// analysis, file organisation and pipelines.
	Agents *AgentsService
	// Documents searches the text of your documents by meaning.
	Documents *DocumentsService

	cfg     *config // behind a pointer: a dump of the Client shows no proxy credentials or headers
	baseURL string  // without trailing slash
	// joinBase is baseURL parsed, when a plain path can be joined to it
	// without parsing the whole URL again (see joinURL); else nil.
	joinBase     *url.URL
	apiHost      string
	apiPath      string     // path of the base URL with a trailing slash
	auth         credential // a func: a dump of the Client shows an address
	userAgent    string
	fixedHeaders fixedHeaders
	http         *retryablehttp.Client
	breakers     *breakerSet
	logger       *slog.Logger
	transports   []*http.Transport // the ones the SDK made and must close
	idPrefix     uint64
	idCounter    atomic.Uint64
	requestIDs   atomic.Pointer[requestIDs]
	closed       atomic.Bool
	background   *backgroundTasks
}

// service is embedded by every service so it reaches the engine.
type service struct{ client *Client }

// New returns a client for apiKey. It makes no network call; it returns a
// *ValidationError for an empty key, a malformed or non-HTTPS base URL (HTTP
// is allowed for localhost, 127.0.0.1 and [::1]), or a negative option.
func New(apiKey string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	return newClient(strings.TrimSpace(apiKey), cfg)
}

// NewFromEnv returns a client configured from SCOPIX_API_KEY (required),
// SCOPIX_BASE_URL, SCOPIX_TIMEOUT, SCOPIX_MAX_RETRIES, SCOPIX_RETRY_DELAY,
// SCOPIX_POLLING_INTERVAL, SCOPIX_POLLING_TIMEOUT (durations in seconds,
// decimals allowed), SCOPIX_TENANT_ID and SCOPIX_PROXY_URL. opts are applied
// after the environment and win. A value that cannot be parsed is a
// *ValidationError naming the variable.
func NewFromEnv(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	if err := cfg.fromEnv(os.LookupEnv); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	return newClient(strings.TrimSpace(os.Getenv("SCOPIX_API_KEY")), cfg)
}

func newClient(apiKey string, cfg config) (*Client, error) {
	checked, err := cfg.check(apiKey)
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:        &cfg,
		baseURL:    strings.TrimRight(checked.base.String(), "/"),
		apiHost:    checked.base.Host,
		apiPath:    strings.TrimSuffix(checked.base.Path, "/") + "/",
		auth:       newCredential(apiKey),
		userAgent:  strings.TrimSpace("scopix-go/" + Version + " " + cfg.userAgent),
		logger:     cfg.logger,
		idPrefix:   randomUint64(),
		background: newBackgroundTasks(),
	}
	c.joinBase = joinableBase(c.baseURL)
	c.breakers = newBreakerSet(cfg.breaker, cfg.logger)
	if cfg.breakerOff {
		c.breakers = disabledBreakerSet()
	}
	c.fixedHeaders = fixedHeaders{userAgent: []string{c.userAgent}}
	if cfg.tenantID != "" {
		c.fixedHeaders.tenant = []string{cfg.tenantID}
	}
	c.http = c.newRetryClient(checked.proxy)
	c.attachServices()
	return c, nil
}

// attachServices points every service at the client's engine.
func (c *Client) attachServices() {
	c.common.client = c
	c.Files = (*FilesService)(&c.common)
	c.Video = (*VideoService)(&c.common)
	c.VideoAnalysis = (*VideoAnalysisService)(&c.common)
	c.Chat = (*ChatService)(&c.common)
	c.CloudStorage = (*CloudStorageService)(&c.common)
	c.S3Connector = (*S3ConnectorService)(&c.common)
	c.Folders = (*FoldersService)(&c.common)
	c.Colors = (*ColorsService)(&c.common)
	c.Usage = (*UsageService)(&c.common)
	c.Links = (*LinksService)(&c.common)
	c.Agents = (*AgentsService)(&c.common)
	c.Tenant = (*TenantService)(&c.common)
	c.Audit = (*AuditService)(&c.common)
	c.Documents = (*DocumentsService)(&c.common)
	c.Batch = (*BatchService)(&c.common)
}

// Close releases idle connections. Calls made afterwards fail. Cleanups
// still running in the background (the abort of an upload whose context
// ended, bounded by 30s) are waited for first, so they are done and nothing
// outlives the client. It is safe to call more than once.
func (c *Client) Close() error {
	if c == nil {
		return nil
	}
	c.background.close()
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	for _, t := range c.transports {
		t.CloseIdleConnections()
	}
	if c.cfg.httpClient != nil {
		c.cfg.httpClient.CloseIdleConnections()
	}
	return nil
}

// Format prints the client without its API key, for every verb.
func (c *Client) Format(f fmt.State, verb rune) {
	if c == nil {
		io.WriteString(f, "scopix.Client(nil)")
		return
	}
	fmt.Fprintf(f, "scopix.Client{BaseURL: %s, APIKey: [REDACTED], Timeout: %s, MaxRetries: %d}",
		c.baseURL, c.cfg.timeout, c.cfg.maxRetries)
}

// String prints the client without its API key.
func (c *Client) String() string { return fmt.Sprint(c) }

// GoString prints the client without its API key, for %#v.
func (c *Client) GoString() string { return fmt.Sprint(c) }

// LogValue logs the client without its API key.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("scopix.Client(nil)")
	}
	return slog.GroupValue(slog.String("base_url", c.baseURL), slog.String("api_key", redacted),
		slog.Duration("timeout", c.cfg.timeout), slog.Int("max_retries", c.cfg.maxRetries))
}

// Ptr returns a pointer to v, for optional parameters: scopix.Ptr(false).
func Ptr[T any](v T) *T { return &v }

// Do calls an endpoint the SDK does not wrap yet, with the same headers,
// retries, circuit breaker and errors as every service method. path is
// relative to the base URL ("/usage/summary", query allowed); body is sent
// as JSON (nil for none); out receives the decoded JSON (nil discards it).
// A POST is retried only when the server cannot have acted on it.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	if method == "" {
		return validationError("method", "must not be empty")
	}
	rel, query, _ := strings.Cut(strings.TrimPrefix(path, "/"), "?")
	if rel == "" {
		return validationError("path", "must not be empty")
	}
	for seg := range strings.SplitSeq(rel, "/") {
		if seg == "." || seg == ".." {
			// Servers and proxies would normalise it into another route.
			return validationError("path", "must not contain a dot segment")
		}
	}
	req, err := c.newRequest(strings.ToUpper(method), rel, body)
	if err != nil {
		return err
	}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return validationError("path", "query cannot be parsed")
		}
		req.query = q
	}
	return c.do(ctx, req, out)
}
