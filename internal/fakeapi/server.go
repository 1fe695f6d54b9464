// Package fakeapi is an in-process fake of the Scopix API for tests,
// examples and benchmarks. Each resource lives in its own file, and
// Server.routes lists them all on one mux (no init registries); the state
// sits behind one lock; faults (fail the
// next N requests, latency, dropped connections and streams) are middleware
// around every route, so a new resource never re-implements them.
//
// API routes live under /api/v2 and require "Authorization: Bearer <key>".
// Presigned storage URLs live under /storage and must carry no Authorization.
package fakeapi

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// APIPrefix is the path of the API root on the fake.
const APIPrefix = "/api/v2"

// DefaultAPIKey is the key the fake accepts unless Options.APIKey says otherwise.
const DefaultAPIKey = "scopix_testkey0_fakesecretfakesecret"

// Options configure a fake server. Zero values take sensible defaults.
type Options struct {
	APIKey string
	// DescriptionDelay is how long after upload a file's description completes.
	DescriptionDelay time.Duration
	// FailDescriptions makes every new file's description fail.
	FailDescriptions bool
	// UploadQuota is how many files may be uploaded (0: Plan.MonthlyUploads).
	UploadQuota int
	// Plan is the subscription plan's upload limits (zero fields: 100 files
	// per batch, 30 concurrent uploads, unlimited uploads).
	Plan Plan
	// DirectUploadPartSize is the part size of direct uploads (default 8 MiB).
	DirectUploadPartSize int64
	// JobStepDelay is how long a job (video analysis, cloud, S3) takes per step.
	JobStepDelay time.Duration
	// VideoChunkSize is the chunk size of video uploads (default 8 MiB).
	VideoChunkSize int64
	// LeanStorage makes the presigned storage (direct upload parts, video
	// chunks) checksum each body with CRC-32C instead of SHA-256, so that
	// throughput benchmarks are not decided by the fake's hashing.
	LeanStorage bool
	// StreamPingEvery adds a ping event after every n chat stream events (0: none).
	StreamPingEvery int
	// RateLimit, when Requests > 0, enforces a fixed window: the API
	// answers 429 once Requests requests came within one Window.
	RateLimit RateLimit
}

// RateLimit is a fixed window of Requests API requests per Window (whole
// seconds; 0 means a minute, the documented unit of the plans' limits).
type RateLimit struct {
	Requests int
	Window   time.Duration
}

// Server is the fake API.
type Server struct {
	HTTP *httptest.Server
	opts Options
	mux  *http.ServeMux
	// storageBuffers lends the buffers presigned storage reads bodies into.
	storageBuffers *bodyBuffers

	mu  sync.Mutex // guards every resource's state and the request log
	log []Request
	// the rate-limit window reported on API responses
	rateWindow time.Time
	rateUsed   int
	faults     []*fault
	state      resources

	latency         atomic.Int64 // nanoseconds added to every request
	dropStreamAfter atomic.Int64 // chat streams close after this many events (0: never)
	requests        atomic.Int64
	faultsInjected  atomic.Int64
	rateLimited     atomic.Int64 // 429s of the enforced rate limit
	authViolations  atomic.Int64 // storage requests that carried Authorization
	nextID          atomic.Uint64
}

// Request is one request the fake saw.
type Request struct {
	Method  string
	Path    string // unescaped path, e.g. /api/v2/files/abc
	RawPath string // escaped path as sent
	Query   string
	Header  http.Header
	Time    time.Time
}

// route is one handler of a resource and the pattern it serves.
type route struct {
	pattern string // "GET /files/{id}" (API) or "PUT /storage/{key}" (storage)
	handler http.HandlerFunc
}

// routes is every route the fake serves, resource by resource: the one
// place to see what it implements. A new resource file adds its method here.
func (s *Server) routes() [][]route {
	return [][]route{
		s.filesRoutes(),
		s.uploadsRoutes(),
		s.videoRoutes(),
		s.chatRoutes(),
		s.chatImagesRoutes(),
		s.chatPlansRoutes(),
		s.cloudRoutes(),
		s.s3Routes(),
		s.foldersRoutes(),
		s.linksRoutes(),
		s.documentsRoutes(),
		s.colorsRoutes(),
		s.agentsRoutes(),
		s.usageRoutes(),
		s.tenantRoutes(),
		s.batchRoutes(),
	}
}

// New starts a fake server on loopback.
func New(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.UploadQuota == 0 {
		opts.UploadQuota = opts.Plan.MonthlyUploads
	}
	if opts.DirectUploadPartSize <= 0 {
		opts.DirectUploadPartSize = 8 << 20
	}
	if opts.VideoChunkSize <= 0 {
		opts.VideoChunkSize = 8 << 20
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), storageBuffers: newBodyBuffers(storageBufferSize(opts))}
	s.state.init()
	for _, resource := range s.routes() {
		for _, r := range resource {
			s.route(r)
		}
	}
	notFound := func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "no route for "+r.Method+" "+r.URL.Path)
	}
	s.mux.HandleFunc(APIPrefix+"/", s.authenticated(notFound))
	s.mux.HandleFunc("/", notFound)
	s.HTTP = httptest.NewServer(s.middleware(s.mux))
	return s
}

func (s *Server) route(r route) {
	method, path, ok := strings.Cut(r.pattern, " ")
	if !ok {
		panic("fakeapi: route pattern without method: " + r.pattern)
	}
	if strings.HasPrefix(path, "/storage/") {
		s.mux.HandleFunc(method+" "+path, s.storageOnly(r.handler))
		return
	}
	s.mux.HandleFunc(method+" "+APIPrefix+path, s.authenticated(r.handler))
}

// URL is the API base URL, e.g. http://127.0.0.1:1234/api/v2.
func (s *Server) URL() string { return s.HTTP.URL + APIPrefix }

// APIKey is the key the fake accepts.
func (s *Server) APIKey() string { return s.opts.APIKey }

// Close shuts the server down and ends every open connection.
func (s *Server) Close() {
	s.HTTP.CloseClientConnections()
	s.HTTP.Close()
}

// NewID returns a fresh id with a prefix, unique within this server.
func (s *Server) NewID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s_%d%s", prefix, s.nextID.Add(1), hex.EncodeToString(b[:]))
}

// StorageURL returns a presigned-looking URL on this server for key.
func (s *Server) StorageURL(key string) string {
	return s.HTTP.URL + "/storage/" + key + "?X-Amz-Signature=" + hex.EncodeToString([]byte(key))[:8] + "secretsig"
}

// ---- faults ----

// fault makes matching requests fail.
type fault struct {
	method, pathPrefix string
	remaining          int
	status             int // 0: drop the connection without a response
	headers            map[string]string
}

// FailNext makes the next n requests (API or storage) answer status with an
// error body and headers. A status of 0 drops the connection instead.
func (s *Server) FailNext(n, status int, headers map[string]string) {
	s.FailNextOn("", "", n, status, headers)
}

// FailNextOn is FailNext for requests whose method (empty: any) and path
// below the API root or /storage (empty: any) match; pathPrefix is matched
// against the path with /api/v2 removed, e.g. "/files/upload".
func (s *Server) FailNextOn(method, pathPrefix string, n, status int, headers map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, pathPrefix: pathPrefix, remaining: n, status: status, headers: headers})
}

// SetLatency delays every request by d before it is handled.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// DropStreamAfter makes chat streams close their connection after n events
// (0 turns it off).
func (s *Server) DropStreamAfter(n int) { s.dropStreamAfter.Store(int64(n)) }

// StreamDropAfter reports the current DropStreamAfter setting.
func (s *Server) StreamDropAfter() int { return int(s.dropStreamAfter.Load()) }

func (s *Server) takeFault(r *http.Request) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	rel := strings.TrimPrefix(r.URL.Path, APIPrefix)
	for i, f := range s.faults {
		if f.method != "" && f.method != r.Method {
			continue
		}
		if f.pathPrefix != "" && !strings.HasPrefix(rel, f.pathPrefix) {
			continue
		}
		f.remaining--
		if f.remaining <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f
	}
	return nil
}

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(),
			Query: r.URL.RawQuery, Header: r.Header.Clone(), Time: time.Now()})
		s.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, APIPrefix+"/") && !s.writeRateLimit(w, r) {
			s.rateLimited.Add(1)
			_, _ = io.Copy(io.Discard, r.Body)
			WriteError(w, http.StatusTooManyRequests, "RATE_LIMIT_ERROR", "Rate limit exceeded")
			return
		}
		if d := time.Duration(s.latency.Load()); d > 0 {
			if !Sleep(r.Context(), d) {
				return
			}
		}
		if f := s.takeFault(r); f != nil {
			s.faultsInjected.Add(1)
			if f.status == 0 {
				dropConnection(w)
				return
			}
			for k, v := range f.headers {
				w.Header().Set(k, v)
			}
			_, _ = io.Copy(io.Discard, r.Body)
			WriteError(w, f.status, faultCode(f.status), "injected fault")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RateLimitPerMinute is the window the fake reports on every API response
// when Options.RateLimit is unset (documented (Scopix rate-limits page):
// every response carries X-RateLimit-Limit, -Remaining and -Reset as a unix
// time). It is set above any test's traffic so that only an enforced
// RateLimit slows a client down; FailNext injects single 429s.
const RateLimitPerMinute = 100000

// writeRateLimit sets the rate-limit headers of the current fixed window
// and echoes the request id, as the API does. It reports false when the
// enforced limit is spent: the headers then carry Retry-After (whole
// seconds, documented) and the caller answers 429.
func (s *Server) writeRateLimit(w http.ResponseWriter, r *http.Request) bool {
	limit, window := RateLimitPerMinute, time.Minute
	if s.opts.RateLimit.Requests > 0 {
		limit, window = s.opts.RateLimit.Requests, cmp.Or(s.opts.RateLimit.Window, time.Minute)
	}
	now := time.Now()
	start := now.Truncate(window)
	s.mu.Lock()
	if !start.Equal(s.rateWindow) {
		s.rateWindow, s.rateUsed = start, 0
	}
	s.rateUsed++
	used := s.rateUsed
	s.mu.Unlock()
	reset := start.Add(window)
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-used, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if id := r.Header.Get("X-Request-ID"); id != "" {
		h.Set("X-Request-ID", id)
	}
	if s.opts.RateLimit.Requests <= 0 || used <= limit {
		return true
	}
	wait := reset.Sub(now)
	h.Set("Retry-After", strconv.FormatInt(int64((wait+time.Second-1)/time.Second), 10))
	return false
}

func faultCode(status int) string {
	switch {
	case status == 429:
		return "RATE_LIMIT_ERROR"
	case status >= 500:
		return "INTERNAL_ERROR"
	}
	return "INJECTED"
}

// dropConnection closes the connection without writing a response.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// Sleep waits d or until ctx ends; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) authenticated(h http.HandlerFunc) http.HandlerFunc {
	want := "Bearer " + s.opts.APIKey
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != want {
			WriteJSON(w, http.StatusUnauthorized, map[string]any{
				"error":      map[string]any{"code": "INVALID_API_KEY", "message": "Invalid or missing API key", "details": map[string]any{}},
				"request_id": r.Header.Get("X-Request-ID"),
			})
			return
		}
		h(w, r)
	}
}

func (s *Server) storageOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			s.authViolations.Add(1)
			WriteJSON(w, http.StatusBadRequest, map[string]any{"error": "AuthorizationNotAllowed",
				"message": "presigned URLs must not carry Authorization"})
			return
		}
		if r.URL.Query().Get("X-Amz-Signature") == "" {
			WriteJSON(w, http.StatusForbidden, map[string]any{"error": "SignatureDoesNotMatch", "message": "missing signature"})
			return
		}
		h(w, r)
	}
}

// ---- counters and the request log ----

// Stats are the server's counters.
type Stats struct {
	Requests       int64
	FaultsInjected int64
	AuthViolations int64 // storage requests that carried an Authorization header
	RateLimited    int64 // 429s answered by the enforced rate limit (Options.RateLimit)
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	return Stats{Requests: s.requests.Load(), FaultsInjected: s.faultsInjected.Load(), AuthViolations: s.authViolations.Load(),
		RateLimited: s.rateLimited.Load()}
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// CountRequests counts logged requests with method (empty: any) whose path,
// without the API prefix, starts with pathPrefix.
func (s *Server) CountRequests(method, pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if (method == "" || r.Method == method) && strings.HasPrefix(strings.TrimPrefix(r.Path, APIPrefix), pathPrefix) {
			n++
		}
	}
	return n
}

// ---- helpers for resource files ----

// NaiveTime formats t as a FastAPI server does a datetime without a zone
// (Python's isoformat): UTC wall time, microseconds only when there are
// any. The reference's own examples carry such timestamps
// (predecessor api/documents.md "expires_at"), so the fake sends them on
// some fields to keep clients honest.
func NaiveTime(t time.Time) string {
	t = t.UTC()
	if us := t.Nanosecond() / 1000; us != 0 {
		return t.Format("2006-01-02T15:04:05") + fmt.Sprintf(".%06d", us)
	}
	return t.Format("2006-01-02T15:04:05")
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteError writes the envelope error shape {"error":{code,message,details}}.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	WriteErrorDetails(w, status, code, message, map[string]any{})
}

// WriteErrorDetails is WriteError with details.
func WriteErrorDetails(w http.ResponseWriter, status int, code, message string, details map[string]any) {
	WriteJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": message, "details": details}})
}

// writeDetail answers status with FastAPI's validation body (openapi
// HTTPValidationError, the shape of every documented 422): one entry at loc.
func writeDetail(w http.ResponseWriter, status int, loc []string, msg, typ string) {
	WriteJSON(w, status, map[string]any{"detail": []any{map[string]any{"loc": loc, "msg": msg, "type": typ}}})
}

// ReadJSON decodes the request body into v, answering 422 when it cannot.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, 16<<20)).Decode(v); err != nil {
		writeDetail(w, http.StatusUnprocessableEntity, []string{"body"}, err.Error(), "value_error.jsondecode")
		return false
	}
	return true
}

// pageParams reads ?limit=&offset= (limit 1–100), answering 422 when bad.
func pageParams(w http.ResponseWriter, r *http.Request, defLimit int) (limit, offset int, ok bool) {
	return pageParamsUpTo(w, r, defLimit, 100)
}

// pageParamsUpTo is pageParams for a limit of 1–maxLimit.
func pageParamsUpTo(w http.ResponseWriter, r *http.Request, defLimit, maxLimit int) (limit, offset int, ok bool) {
	limit = defLimit
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			queryError(w, "limit", fmt.Sprintf("limit must be 1-%d", maxLimit))
			return 0, 0, false
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			queryError(w, "offset", "offset must be >= 0")
			return 0, 0, false
		}
		offset = n
	}
	return limit, offset, true
}

// pageOf is the page of items at offset, never nil.
func pageOf[T any](items []T, offset, limit int) []T {
	return append([]T{}, items[min(offset, len(items)):min(offset+limit, len(items))]...)
}

// Lock takes the state lock; resource handlers hold it while they touch state.
func (s *Server) Lock() { s.mu.Lock() }

// Unlock releases the state lock.
func (s *Server) Unlock() { s.mu.Unlock() }
