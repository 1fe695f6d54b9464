package scopix

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/sony/gobreaker/v2"
)

// maxBackoff caps the exponential backoff between retries (API.md §3).
const maxBackoff = 30 * time.Second

// retryPolicy says when a request may be sent again.
type retryPolicy uint8

const (
	// retryAlways: the request is idempotent (GET, PUT, PATCH, DELETE, uploads
	// with skip_duplicates on retry).
	retryAlways retryPolicy = iota
	// retryIfNotActed: the request creates something; it is sent again only
	// when the server cannot have acted on it.
	retryIfNotActed
)

// replayBody is a request body that can be produced again for each attempt
// without buffering it: a file section, a multipart assembly, bytes.
type replayBody struct {
	contentType string
	// size and open take retry=true for attempts after the first, so an
	// upload can switch to its skip_duplicates form.
	size func(retry bool) int64
	open func(retry bool) (io.Reader, error)
	// replayable, when set, reports whether open can still produce the
	// body again (a plain io.Reader cannot once bytes were read from it).
	replayable func() bool
}

// trackedBody is one attempt's request body. The transport closes it when
// it is done with it, which can be after the attempt's response arrived (a
// server may answer 503 before reading the body); the next attempt waits
// for that Close before it rewinds or seeks the shared source, so the two
// never read it at once.
type trackedBody struct {
	io.Reader
	once   sync.Once
	closed chan struct{}
}

func (b *trackedBody) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// waitBodyClosed waits until the transport released the previous attempt's
// body, or the call's context ends.
func (ci *callInfo) waitBodyClosed() error {
	if ci.body == nil {
		return nil
	}
	select {
	case <-ci.body.closed:
		return nil
	case <-ci.Done():
		return ci.Err()
	}
}

// errReplayLimit explains why an upload was not retried.
const errReplayLimit = "not retried: the request body cannot be replayed (give an io.ReaderAt or io.Seeker)"

// request is one logical API call, built by a service and sent by the engine.
type request struct {
	method       string
	path         string // relative to the base URL, IDs already escaped
	query        url.Values
	json         []byte
	body         *replayBody
	header       http.Header
	policy       retryPolicy
	stream       bool // the attempt timeout stops once headers arrive
	idle         bool // with stream: the attempt timeout restarts on every read instead
	keepRedirect bool // return a 3xx instead of following it
	storageURL   string
	breakerKey   string
	// call is the state of the first send of this request, allocated with
	// it; a request sent again gets a fresh one.
	call      callInfo
	callTaken atomic.Bool
}

// newRequest builds a request for path (relative to the base URL, e.g.
// "files/"+seg, seg from idSegment). A non-nil body is sent as JSON. POSTs
// default to retryIfNotActed; mark them idempotent() where a repeat is harmless.
func (c *Client) newRequest(method, path string, body any) (*request, error) {
	r := &request{method: method, path: strings.TrimPrefix(path, "/")}
	if method == http.MethodPost {
		r.policy = retryIfNotActed
	}
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, &ValidationError{Err: newError(CodeValidation, "request body cannot be encoded as JSON", err),
				Fields: []FieldError{{Loc: []string{"body"}, Msg: err.Error(), Type: "type_error"}}}
		}
		r.json = data
	}
	if i := strings.IndexByte(r.path, '/'); i >= 0 {
		r.breakerKey = r.path[:i]
	} else {
		r.breakerKey, _, _ = strings.Cut(r.path, "?")
	}
	return r, nil
}

// idempotent marks a POST that may be repeated safely.
func (r *request) idempotent() *request { r.policy = retryAlways; return r }

// setHeader adds an extra header to this request.
func (r *request) setHeader(k, v string) {
	if r.header == nil {
		r.header = http.Header{}
	}
	r.header.Set(k, v)
}

// storageRequest builds a request to a presigned storage URL. It carries no
// API key, tenant or SDK headers; its breaker is per storage host.
func storageRequest(method, rawURL string, body *replayBody) *request {
	r := &request{method: method, storageURL: rawURL, body: body}
	if u, err := url.Parse(rawURL); err == nil {
		r.breakerKey = "storage:" + u.Host
	}
	return r
}

// callInfo travels with one logical call through retryablehttp's hooks. It
// is the call's context itself (the caller's, plus itself as a value), which
// spares an allocation per call on the hot path.
type callInfo struct {
	context.Context
	client    *Client
	req       *request
	requestID string
	attempt   int
	retrying  bool
	wrote     atomic.Bool // headers of the current attempt reached the wire
	nextWait  time.Duration
	trace     *httptrace.ClientTrace
	body      *trackedBody // the latest attempt's request body
	// replayLimited: a retry was due but the body could not be replayed.
	replayLimited bool
	// The rest is per-call state kept here so that a call costs one
	// allocation instead of one per piece.
	idHeader [1]string // the X-Request-Id header value
	// live is the call's cancelable context (a context.Context) once an
	// attempt needed one; the attempts share it, and it is replaced when
	// an attempt timeout ended it and a retry follows. Done, Err and Value
	// answer from it, so net/http and every hook see the current one.
	live   atomic.Value
	cancel context.CancelCauseFunc
	timer  *attemptTimer // the attempt timeout, from the first attempt to the end of the call
	// keepLive: the response being closed is not the call's last (a retry
	// or a redirect follows), so closing it must not end the context.
	keepLive      bool
	sender        attemptSender
	firstBody     cancelOnClose
	firstBodyUsed bool
}

type callKey struct{}

// current is the call's live context, or the caller's while it has none.
func (ci *callInfo) current() context.Context {
	if v := ci.live.Load(); v != nil {
		return v.(context.Context)
	}
	return ci.Context
}

// Value answers callKey with the call itself and defers everything else.
func (ci *callInfo) Value(key any) any {
	if key == (callKey{}) {
		return ci
	}
	return ci.current().Value(key)
}

// Done is the current context's.
func (ci *callInfo) Done() <-chan struct{} { return ci.current().Done() }

// Err is the current context's.
func (ci *callInfo) Err() error { return ci.current().Err() }

// renew gives the call a live cancelable context unless it has one that
// is still alive, or the caller's context is over.
func (ci *callInfo) renew() {
	if v := ci.live.Load(); v != nil && v.(context.Context).Err() == nil || ci.Context.Err() != nil {
		return
	}
	ctx, cancel := context.WithCancelCause(ci.Context)
	ci.live.Store(ctx)
	ci.cancel = cancel
}

func callFrom(ctx context.Context) *callInfo {
	ci, _ := ctx.Value(callKey{}).(*callInfo)
	return ci
}

// do sends req and decodes a JSON response into out (nil discards it). An
// answer larger than the WithMaxResponseBytes cap is a BAD_RESPONSE error,
// whatever it holds.
func (c *Client) do(ctx context.Context, req *request, out any) error {
	_, err := c.doStatus(ctx, req, out)
	return err
}

// doStatus is do for endpoints whose success status means something (200
// done, 202 accepted and still running): it also returns the status. An
// empty body is accepted on 202 and 204, leaving out as it was.
func (c *Client) doStatus(ctx context.Context, req *request, out any) (int, error) {
	resp, err := c.send(ctx, req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body := capResponse(resp.Body, c.cfg.maxResponseBytes)
	if out == nil {
		_, _ = io.Copy(io.Discard, body)
		return resp.StatusCode, nil
	}
	if err := json.NewDecoder(body).Decode(out); err != nil {
		if errors.Is(err, io.EOF) && (resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusAccepted) {
			return resp.StatusCode, nil
		}
		if body.exceeded {
			e := newError(CodeResponseUnreadable, fmt.Sprintf("response body larger than %d bytes (WithMaxResponseBytes)", c.cfg.maxResponseBytes), nil)
			e.StatusCode = resp.StatusCode
			e.RequestID = firstNonEmpty(resp.Header.Get("X-Request-ID"), resp.Request.Header.Get("X-Request-ID"))
			return resp.StatusCode, e
		}
		return resp.StatusCode, c.readError(ctx, err, resp)
	}
	return resp.StatusCode, nil
}

// cappedReader reads at most left bytes and then reports exceeded, so a
// huge answer fails with a clear error instead of filling memory.
type cappedReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

// capResponse limits body to limit bytes, inside the attempt's body
// wrapper when it has one.
func capResponse(body io.ReadCloser, limit int64) *cappedReader {
	if b, ok := body.(*cancelOnClose); ok {
		b.capped = cappedReader{r: b, left: limit}
		return &b.capped
	}
	return &cappedReader{r: body, left: limit}
}

var errResponseTooLarge = errors.New("response body over the size limit")

func (r *cappedReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		// One byte past the cap tells a body that ends exactly there from a larger one.
		var probe [1]byte
		if n, _ := r.r.Read(probe[:]); n > 0 {
			r.exceeded = true
			return 0, errResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	return n, err
}

// stream sends req and hands its body to the caller, who reads and closes
// it. The attempt timeout becomes an idle timeout on the body: it restarts
// with every read that returns bytes, and a body silent for longer ends the
// read with a *TimeoutError (the SSE reader keeps its own idle rule). A req
// marked keepRedirect that is answered with a redirect is followed to the
// presigned storage URL, without the API key.
func (c *Client) stream(ctx context.Context, req *request) (io.ReadCloser, error) {
	req.stream, req.idle = true, true
	resp, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	if req.keepRedirect && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		loc := resp.Header.Get("Location")
		target, perr := resp.Request.URL.Parse(loc)
		resp.Body.Close()
		if loc == "" || perr != nil {
			return nil, newError(CodeResponseUnreadable, "redirect has no usable Location", perr)
		}
		return c.stream(ctx, storageRequest(http.MethodGet, target.String(), nil))
	}
	return &streamBody{ReadCloser: resp.Body, ctx: ctx, requestID: resp.Request.Header.Get("X-Request-ID"), idle: c.cfg.timeout}, nil
}

// streamBody turns the errors of reading a streamed body into typed errors.
type streamBody struct {
	io.ReadCloser
	ctx       context.Context
	requestID string
	idle      time.Duration
}

func (b *streamBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == nil || err == io.EOF {
		return n, err
	}
	switch {
	case b.ctx.Err() != nil:
		return n, contextError(b.ctx, err, b.requestID, b.idle)
	case isAttemptTimeout(err):
		e := newError(CodeTimeout, fmt.Sprintf("no data for %s while reading the response body", b.idle),
			fmt.Errorf("%w: %w", errAttemptTimeout, context.DeadlineExceeded))
		e.RequestID = b.requestID
		return n, &TimeoutError{Err: e}
	}
	e := newError(CodeConnection, "reading the response body failed: "+redactURLText(err.Error()), err)
	e.RequestID = b.requestID
	return n, &ConnectionError{Err: e}
}

// readError maps a failure while reading a 2xx body.
func (c *Client) readError(ctx context.Context, err error, resp *http.Response) error {
	if ctx.Err() != nil || isAttemptTimeout(err) {
		return contextError(ctx, err, resp.Request.Header.Get("X-Request-ID"), c.cfg.timeout)
	}
	// The decoder's text names the struct field that failed (a malformed
	// timestamp, a string where a number was due), which is what a caller
	// needs to report the server's answer.
	e := newError(CodeResponseUnreadable, "response body is not the JSON expected: "+err.Error(), err)
	e.StatusCode = resp.StatusCode
	e.RequestID = firstNonEmpty(resp.Header.Get("X-Request-ID"), resp.Request.Header.Get("X-Request-ID"))
	return e
}

// send performs req with retries and the breaker, and returns the response
// of a successful attempt with its body open, or the typed error.
func (c *Client) send(ctx context.Context, req *request) (*http.Response, error) {
	if ctx == nil {
		return nil, validationError("ctx", "must not be nil")
	}
	if c.closed.Load() {
		return nil, newError(CodeConnection, "client is closed", net.ErrClosed)
	}
	ci := &req.call
	if !req.callTaken.CompareAndSwap(false, true) {
		ci = &callInfo{}
	}
	*ci = callInfo{Context: ctx, client: c, req: req, requestID: c.newRequestID()}
	rreq, err := c.buildRequest(ci, req, ci)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(rreq)
	if err != nil {
		ci.endAttempts()
		return nil, noteReplayLimit(ci, c.transportError(ctx, err, ci.requestID))
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 || req.keepRedirect && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		c.recordResponse(ci, resp)
		return resp, nil
	}
	apiErr := CheckResponse(resp)
	resp.Body.Close()
	ci.endAttempts()
	var base *Error
	if errors.As(apiErr, &base) && base.RequestID == "" {
		base.RequestID = ci.requestID
	}
	var notFound *ResourceNotFoundError
	if errors.As(apiErr, &notFound) {
		fillNotFound(notFound, req)
	}
	return nil, noteReplayLimit(ci, apiErr)
}

// noteReplayLimit adds to err that a retry was due but the body could not
// be sent again, so the caller knows why the SDK gave up early.
func noteReplayLimit(ci *callInfo, err error) error {
	var base *Error
	if ci.replayLimited && errors.As(err, &base) {
		base.Message += " (" + errReplayLimit + ")"
		base.Details["replay_limit"] = true
	}
	return err
}

// resourceRoutes say what a 404 on a route is about, for answers whose
// body does not say it (the reference documents no such body fields).
// The first match wins; "{id}" is the id segment, idField a JSON body
// field that carries the id instead. An empty resource marks a route
// whose next segment is not an id. All of it is inferred from the routes.
var resourceRoutes = []struct {
	pattern, resource, idField string
}{
	{"files/upload", "", ""},
	{"files/batch-delete", "", ""},
	{"files/direct-uploads/{id}", "direct_upload", ""},
	{"files/direct-uploads", "", ""},
	{"files/{id}", "file", ""},
	{"chat/sessions/{id}", "chat_session", ""},
	{"video-uploads/progress/{id}", "video_upload", ""},
	{"video-uploads", "video_upload", "media_id"},
	{"video-analysis/jobs/{id}", "video_analysis_job", ""},
	{"video-analysis/status/{id}", "video", ""},
	{"video-analysis/queue", "video", "media_id"},
	{"videos/{id}", "video", ""},
	{"video-scenes/{id}", "video_scene", ""},
	{"cloud-storage/connections/{id}", "cloud_connection", ""},
	{"cloud-storage/jobs/{id}", "cloud_storage_job", ""},
	{"cloud-storage", "cloud_connection", "connection_id"},
	{"s3-connector/jobs/{id}", "s3_job", ""},
	{"uploads/sessions/{id}", "upload_session", ""},
}

// fillNotFound completes a 404 from what the request asked for, where the
// server's body did not name the resource itself.
func fillNotFound(e *ResourceNotFoundError, req *request) {
	typ, id := requestedResource(req)
	if e.ResourceType == "" && typ != "" {
		e.ResourceType = typ
	}
	if e.ResourceID == "" && id != "" {
		e.ResourceID = id
	}
	if e.Err == nil {
		return
	}
	for k, v := range map[string]string{"resource_type": e.ResourceType, "resource_id": e.ResourceID} {
		if _, set := e.Err.Details[k]; !set && v != "" {
			e.Err.Details[k] = v
		}
	}
}

// requestedResource names the resource req is about, from its route.
func requestedResource(req *request) (resource, id string) {
	path := strings.Split(strings.Trim(req.path, "/"), "/")
	for _, r := range resourceRoutes {
		pattern := strings.Split(r.pattern, "/")
		if len(path) < len(pattern) || !routeMatches(pattern, path) {
			continue
		}
		if r.resource == "" {
			return "", ""
		}
		if r.idField != "" {
			var body map[string]any
			_ = json.Unmarshal(req.json, &body)
			id, _ = body[r.idField].(string)
			return r.resource, id
		}
		id, err := url.PathUnescape(path[len(pattern)-1])
		if err != nil {
			id = path[len(pattern)-1]
		}
		return r.resource, id
	}
	return "", ""
}

func routeMatches(pattern, path []string) bool {
	for i, seg := range pattern {
		if seg != "{id}" && seg != path[i] {
			return false
		}
	}
	return true
}

func (c *Client) buildRequest(ctx context.Context, req *request, ci *callInfo) (*retryablehttp.Request, error) {
	target := req.storageURL
	if target == "" {
		target = c.baseURL + "/" + req.path
		if len(req.query) > 0 {
			target += "?" + req.query.Encode()
		}
	}
	var raw any
	switch {
	case req.body != nil:
		b := req.body
		raw = retryablehttp.ReaderFunc(func() (io.Reader, error) {
			if err := ci.waitBodyClosed(); err != nil {
				return nil, err
			}
			r, err := b.open(ci.retrying)
			if err != nil {
				return nil, err
			}
			ci.body = &trackedBody{Reader: r, closed: make(chan struct{})}
			return ci.body, nil
		})
	case req.json != nil:
		raw = req.json
	}
	rreq, err := retryablehttp.NewRequestWithContext(ctx, req.method, target, raw)
	if err != nil {
		return nil, &ValidationError{Err: newError(CodeValidation, "invalid request: "+redactURLText(err.Error()), nil),
			Fields: []FieldError{{Loc: []string{"url"}, Msg: "invalid", Type: "value_error"}}}
	}
	h := rreq.Header
	switch {
	case req.body != nil:
		rreq.ContentLength = req.body.size(false)
		if req.body.contentType != "" {
			h.Set("Content-Type", req.body.contentType)
		}
	case req.json != nil:
		h.Set("Content-Type", "application/json")
	}
	if req.storageURL == "" {
		for k, v := range c.cfg.headers {
			h[k] = v
		}
		// The constant headers share read-only slices made once per client.
		h["Authorization"] = c.auth()
		h["User-Agent"] = c.fixedHeaders.userAgent
		h["Accept"] = acceptJSON
		ci.idHeader[0] = ci.requestID
		h["X-Request-Id"] = ci.idHeader[:]
		if c.fixedHeaders.tenant != nil {
			h["X-Tenant-Id"] = c.fixedHeaders.tenant
		}
		correlation, err := correlationHeader(ctx)
		if err != nil {
			return nil, err
		}
		if correlation != nil {
			h["X-Correlation-Id"] = correlation
		}
	}
	for k, v := range req.header {
		h[k] = v
	}
	return rreq, nil
}

var acceptJSON = []string{"application/json"}

// fixedHeaders are the header values every API request of a client carries.
type fixedHeaders struct {
	userAgent, tenant []string
}

// newRequestID returns an id unique to this process: a random prefix chosen
// when the client was made and a counter, in hex. The ids are made
// requestIDBatch at a time in one string and handed out as slices of it,
// which spares an allocation per request.
func (c *Client) newRequestID() string {
	n := c.idCounter.Add(1)
	first := n &^ (requestIDBatch - 1)
	b := c.requestIDs.Load()
	if b == nil || b.first != first {
		// Goroutines racing here build the same batch; any of them may keep it.
		b = newRequestIDs(c.idPrefix, first)
		c.requestIDs.Store(b)
	}
	i := int(n-first) * requestIDLen
	return b.ids[i : i+requestIDLen]
}

const (
	requestIDBatch = 32 // a power of two
	requestIDLen   = 32 // hex digits of prefix and counter
)

// requestIDs are the ids for the counter values first … first+requestIDBatch-1.
type requestIDs struct {
	first uint64
	ids   string
}

func newRequestIDs(prefix, first uint64) *requestIDs {
	buf := make([]byte, 0, requestIDBatch*requestIDLen)
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], prefix)
	for i := range uint64(requestIDBatch) {
		binary.BigEndian.PutUint64(raw[8:], first+i)
		buf = hex.AppendEncode(buf, raw[:])
	}
	return &requestIDs{first: first, ids: string(buf)}
}

// checkRetry is retryablehttp's CheckRetry: it decides whether to retry and
// how long to wait first (kept in callInfo for backoff).
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	ci := callFrom(ctx)
	if ci == nil {
		return false, err
	}
	if err := ci.Context.Err(); err != nil {
		return false, err
	}
	if err != nil {
		var open *breakerOpenError
		var own *middlewareError
		var paced *pacedOutError
		if errors.As(err, &open) || errors.As(err, &own) || errors.As(err, &paced) || errors.Is(err, ErrInsecureRedirect) {
			return false, nil
		}
		if retry, _ := retryablehttp.ErrorPropagatedRetryPolicy(ci.Context, nil, err); !retry {
			return false, nil
		}
		if ci.req.policy == retryIfNotActed && ci.wrote.Load() {
			return false, nil
		}
		return c.scheduleRetry(ctx, ci, nil)
	}
	if !retryableStatus(resp.StatusCode) {
		return false, nil
	}
	if ci.req.policy == retryIfNotActed && resp.StatusCode != 429 && resp.StatusCode != 503 {
		return false, nil
	}
	if resp.StatusCode == 429 {
		var quota *QuotaExceededError
		if errors.As(CheckResponse(resp), &quota) {
			return false, nil
		}
	}
	return c.scheduleRetry(ctx, ci, resp)
}

// scheduleRetry picks the wait before the next attempt: the server's
// Retry-After when present, else RetryDelay·2^n with full jitter, capped.
// A wait the caller cannot afford is not taken.
func (c *Client) scheduleRetry(ctx context.Context, ci *callInfo, resp *http.Response) (bool, error) {
	if ci.cancel != nil {
		// An attempt timeout, or reading the answer's error, ended the
		// call's context; the wait before a retry, and the retry, need a
		// live one.
		ci.renew()
	}
	if ci.req.body != nil {
		if err := ci.waitBodyClosed(); err != nil {
			return false, err
		}
		if ci.req.body.replayable != nil && !ci.req.body.replayable() {
			ci.replayLimited = true
			return false, nil
		}
	}
	var wait time.Duration
	serverDirected := false
	if resp != nil {
		wait, serverDirected = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	if serverDirected {
		if wait > c.cfg.maxRetryWait {
			return false, nil
		}
	} else {
		wait = c.backoffDelay(ci.attempt)
	}
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
		return false, nil
	}
	ci.nextWait = wait
	ci.keepLive = true
	return true, nil
}

// backoffDelay is RetryDelay·2^(attempt-1) with full jitter, capped at 30s.
func (c *Client) backoffDelay(attempt int) time.Duration {
	ceiling := float64(c.cfg.retryDelay) * math.Pow(2, float64(max(attempt-1, 0)))
	ceiling = min(ceiling, float64(maxBackoff))
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(mathrand.Int64N(int64(ceiling) + 1))
}

// backoff is retryablehttp's Backoff: the wait checkRetry chose.
func (c *Client) backoff(_, _ time.Duration, _ int, resp *http.Response) time.Duration {
	if resp != nil {
		if ci := callFrom(resp.Request.Context()); ci != nil {
			return ci.nextWait
		}
	}
	return c.cfg.retryDelay
}

// prepareRetry marks later attempts as retries, so replayable bodies switch
// to their retry form (uploads add skip_duplicates=true).
func (c *Client) prepareRetry(req *http.Request) error {
	ci := callFrom(req.Context())
	if ci == nil {
		return nil
	}
	ci.retrying = true
	if ci.req.body != nil {
		req.ContentLength = ci.req.body.size(true)
	}
	return nil
}

// transportError maps an error without a usable response to a typed error.
func (c *Client) transportError(ctx context.Context, err error, requestID string) error {
	var open *breakerOpenError
	if errors.As(err, &open) {
		e := newError(CodeCircuitOpen, "circuit breaker open for "+open.endpoint+"; no request sent", gobreaker.ErrOpenState)
		e.RequestID = requestID
		e.Details["endpoint"] = open.endpoint
		e.Details["retry_after"] = open.retryAfter.Seconds()
		return &CircuitBreakerError{Err: e, Endpoint: open.endpoint, RetryAfter: open.retryAfter}
	}
	redactURLError(err)
	if ctx.Err() != nil || isAttemptTimeout(err) {
		return contextError(ctx, err, requestID, c.cfg.timeout)
	}
	var validation *ValidationError
	if errors.As(err, &validation) {
		return err
	}
	var paced *pacedOutError
	if errors.As(err, &paced) {
		e := newError(CodeRateLimit, paced.Error()+"; no request sent", nil)
		e.RequestID = requestID
		return &RateLimitError{Err: e, RetryAfter: max(time.Until(paced.until), 0), Reset: paced.until}
	}
	var own *middlewareError
	if errors.As(err, &own) {
		e := newError(CodeConnection, own.Error(), own.err)
		e.RequestID = requestID
		e.Details["middleware"] = true
		return &ConnectionError{Err: e}
	}
	e := newError(CodeConnection, "connection failed: "+err.Error(), err)
	e.RequestID = requestID
	return &ConnectionError{Err: e}
}

// contextError maps the caller's cancellation, the caller's deadline and an
// attempt timeout.
func contextError(ctx context.Context, err error, requestID string, attemptTimeout time.Duration) error {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e := newError(CodeCanceled, "request canceled", context.Canceled)
		e.RequestID = requestID
		return e
	case ctx.Err() != nil:
		e := newError(CodeTimeout, "deadline exceeded", context.DeadlineExceeded)
		e.RequestID = requestID
		return &TimeoutError{Err: e}
	}
	e := newError(CodeTimeout, fmt.Sprintf("attempt timed out after %s", attemptTimeout),
		fmt.Errorf("%w: %w", errAttemptTimeout, context.DeadlineExceeded))
	e.RequestID = requestID
	return &TimeoutError{Err: e}
}

var errAttemptTimeout = errors.New("scopix: attempt timeout")

func isAttemptTimeout(err error) bool { return errors.Is(err, errAttemptTimeout) }

// redactURLError strips query strings (presigned signatures) from URLs
// inside err before it is shown to anyone.
func redactURLError(err error) {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURLText(ue.URL)
	}
}

// redactURLText removes the query string of every URL in s.
func redactURLText(s string) string {
	i := strings.IndexByte(s, '?')
	for i >= 0 {
		end := strings.IndexAny(s[i:], " \"'\n")
		if end < 0 {
			return s[:i] + "?[REDACTED]"
		}
		s = s[:i] + "?[REDACTED]" + s[i+end:]
		next := strings.IndexByte(s[i+len("?[REDACTED]"):], '?')
		if next < 0 {
			break
		}
		i += len("?[REDACTED]") + next
	}
	return s
}

// attemptTransport wraps every attempt: the per-attempt timeout, the circuit
// breaker of its endpoint and the debug log line.
type attemptTransport struct {
	client  *Client
	api     http.RoundTripper
	storage http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.client
	callerCtx := req.Context()
	ci := callFrom(callerCtx)
	if ci == nil {
		// Every request the SDK sends carries its call; one that lacks it
		// still gets the attempt timeout and the breaker.
		ci = &callInfo{Context: callerCtx, client: c, req: &request{}}
	}
	base, key, pace := t.route(req, ci)
	if pace != nil {
		// Before the attempt's own timeout starts: waiting for the
		// operation's turn is not the server being slow.
		if err := pace.wait(callerCtx); err != nil {
			return nil, err
		}
	}
	stop := c.attemptContext(ci, ci.req.stream)
	ci.attempt++
	ci.wrote.Store(false)
	ctx := stop.ctx
	if ci.req.policy == retryIfNotActed {
		ctx = httptrace.WithClientTrace(ctx, ci.writeTrace())
	}
	attemptReq := req
	if ctx != callerCtx {
		attemptReq = req.WithContext(ctx)
	}
	start := time.Now()
	ci.sender = attemptSender{base: base}
	resp, err := c.breakers.execute(key, func() (*http.Response, error) {
		return t.attempt(attemptReq, ci, ci.Context, stop.ctx)
	})
	// A RoundTripper must close the body; the transport does when it got
	// the request, so only a request the breaker or a middleware held back
	// is closed here (the next attempt waits for it).
	if !ci.sender.sent && req.Body != nil {
		req.Body.Close()
	}
	c.logAttempt(req, ci, resp, err, time.Since(start))
	if err != nil {
		err = unexcluded(err)
	}
	if err != nil {
		// The next attempt may reuse the context; send ends it when none follows.
		stop.stopTimer()
		return nil, err
	}
	if pace != nil {
		pace.observe(resp, time.Now())
	}
	resp.Body = ci.wrapBody(resp.Body, stop, c.cfg.timeout)
	return resp, nil
}

// route picks the transport, the breaker key and the pacer of an attempt.
func (t *attemptTransport) route(req *http.Request, ci *callInfo) (http.RoundTripper, string, *pacer) {
	c := t.client
	if req.URL.Host != c.apiHost {
		// Storage answers say nothing of the API's rate limit.
		return t.storage, "storage:" + req.URL.Host, nil
	}
	key := "api"
	if ci.req.breakerKey != "" {
		key = ci.req.breakerKey
	}
	if ci.req.storageURL != "" {
		return t.api, key, nil // a storage URL on the API's host
	}
	return t.api, key, pacerFrom(req.Context())
}

// attempt runs inside the breaker: a caller's cancellation and the
// middleware's own errors do not count against the endpoint, a 5xx does.
func (t *attemptTransport) attempt(req *http.Request, ci *callInfo, callerCtx, ctx context.Context) (*http.Response, error) {
	resp, err := t.roundTrip(&ci.sender, req, ci)
	switch {
	case err != nil && (callerCtx.Err() != nil || isMiddlewareError(err)):
		return nil, excludedError{err}
	case err != nil:
		if context.Cause(ctx) == errAttemptTimeout {
			err = fmt.Errorf("%w: %w", errAttemptTimeout, err)
		}
		return nil, err
	case resp.StatusCode >= 500:
		return resp, errServerStatus
	}
	return resp, nil
}

func isMiddlewareError(err error) bool {
	var own *middlewareError
	return errors.As(err, &own)
}

// unexcluded undoes the breaker's markers: a 5xx is a response, not an error.
func unexcluded(err error) error {
	if errors.Is(err, errServerStatus) {
		return nil
	}
	var excluded excludedError
	if errors.As(err, &excluded) {
		return excluded.err
	}
	return err
}

// wrapBody wraps an attempt's response body. The first attempt's wrapper
// lives in the call, sparing an allocation; a later attempt's (after a
// retry or a redirect, once the earlier body was closed) gets its own.
func (ci *callInfo) wrapBody(rc io.ReadCloser, stop attemptStop, timeout time.Duration) *cancelOnClose {
	body := &ci.firstBody
	if ci.firstBodyUsed {
		body = &cancelOnClose{}
	}
	ci.firstBodyUsed = true
	*body = cancelOnClose{ReadCloser: rc, stop: stop}
	switch {
	case ci.req.idle && stop.timed:
		body.idle = timeout
		ci.rearm(timeout)
	case ci.req.stream:
		body.stop.stopTimer()
	}
	return body
}

// roundTrip sends one attempt, through the caller's middleware when it
// goes to the API (never for presigned storage URLs or redirects to them).
func (t *attemptTransport) roundTrip(base http.RoundTripper, req *http.Request, ci *callInfo) (*http.Response, error) {
	mws := t.client.cfg.middleware
	if len(mws) == 0 || ci == nil || ci.req.storageURL != "" || !t.client.isAPIURL(req.URL) {
		return base.RoundTrip(req)
	}
	return throughMiddleware(mws, req, base.RoundTrip)
}

// attemptStop ends an attempt: its timer, and the call's context unless
// the next attempt is to use it.
type attemptStop struct {
	ctx   context.Context // the call
	call  *callInfo
	timed bool // the attempt timer runs (not when the caller's deadline comes first)
}

func (s *attemptStop) stopTimer() {
	if s.timed {
		s.call.disarm()
	}
}

// release ends the attempt at once, and the call with it unless a retry
// or a redirect is to follow.
func (s *attemptStop) release() {
	if s.call.keepLive {
		s.stopTimer()
		return
	}
	s.call.endAttempts()
}

// attemptContext starts an attempt's timeout: one timer per call, re-armed
// for each attempt, cancels the call's context with errAttemptTimeout.
// That spares a context.WithTimeoutCause (a context, a timer and two
// closures) per attempt, and an ordinary attempt whose caller's deadline
// comes first needs no timer at all.
func (c *Client) attemptContext(ci *callInfo, stream bool) attemptStop {
	ci.keepLive = false
	if !stream && ci.cancel == nil {
		if dl, ok := ci.Context.Deadline(); ok && time.Until(dl) <= c.cfg.timeout {
			return attemptStop{ctx: ci, call: ci}
		}
	}
	ci.renew()
	ci.arm(c.cfg.timeout)
	return attemptStop{ctx: ci, call: ci, timed: true}
}

// arm starts the attempt timer.
func (ci *callInfo) arm(d time.Duration) {
	if ci.timer == nil {
		ci.timer = newAttemptTimer(ci.req.stream)
	}
	at := ci.timer
	at.mu.Lock()
	at.armed, at.cancel = true, ci.cancel
	at.mu.Unlock()
	at.t.Reset(d)
}

// rearm restarts a running attempt timer (a streamed body's idle timeout).
func (ci *callInfo) rearm(d time.Duration) {
	at := ci.timer
	at.mu.Lock()
	armed := at.armed
	at.mu.Unlock()
	if armed {
		at.t.Reset(d)
	}
}

// disarm stops the attempt timer; a firing that raced it does nothing.
func (ci *callInfo) disarm() {
	if at := ci.timer; at != nil {
		at.disarm()
	}
}

// endAttempts releases the call's context and its timer once no attempt follows.
func (ci *callInfo) endAttempts() {
	if at := ci.timer; at != nil {
		at.disarm()
		if !at.keep {
			ci.timer = nil
			attemptTimers.Put(at)
		}
	}
	if ci.cancel != nil {
		ci.cancel(nil)
	}
}

// attemptTimer cancels the context of the attempt it was armed for with
// errAttemptTimeout. Timers of finished calls are pooled: a call costs no
// timer and no closure of its own.
type attemptTimer struct {
	t      *time.Timer
	mu     sync.Mutex
	armed  bool
	cancel context.CancelCauseFunc
	// keep: never pooled, because a reader may still re-arm it (a stream),
	// a firing may still be on its way, or it belongs to a synctest bubble.
	keep bool
}

var attemptTimers sync.Pool

func newAttemptTimer(stream bool) *attemptTimer {
	// Inside a testing/synctest bubble time.Now carries no monotonic
	// reading; a timer made there runs on the bubble's clock and must not
	// reach another bubble or the world outside through the pool.
	now := time.Now()
	bubble := now == now.Round(0)
	if !bubble && !stream {
		if at, ok := attemptTimers.Get().(*attemptTimer); ok {
			return at
		}
	}
	at := &attemptTimer{keep: bubble || stream}
	at.t = time.AfterFunc(time.Hour, at.fire)
	at.t.Stop()
	return at
}

func (at *attemptTimer) fire() {
	at.mu.Lock()
	defer at.mu.Unlock()
	if at.armed {
		at.armed = false
		at.cancel(errAttemptTimeout)
	}
}

func (at *attemptTimer) disarm() {
	at.mu.Lock()
	armed := at.armed
	at.armed, at.cancel = false, nil
	at.mu.Unlock()
	if armed && !at.t.Stop() {
		// It fired and its callback has yet to take the lock.
		at.keep = true
	}
}

func (ci *callInfo) writeTrace() *httptrace.ClientTrace {
	if ci.trace == nil {
		ci.trace = &httptrace.ClientTrace{WroteHeaders: func() { ci.wrote.Store(true) }}
	}
	return ci.trace
}

// attemptSender hands the attempt to the transport and notes that it did,
// so a request the breaker or a middleware held back is closed instead.
type attemptSender struct {
	base http.RoundTripper
	sent bool
}

func (s *attemptSender) RoundTrip(r *http.Request) (*http.Response, error) {
	s.sent = true
	return s.base.RoundTrip(r)
}

// cancelOnClose ends the attempt's context when the body is closed, and
// turns a read cut by the attempt timeout into a recognisable error. With
// idle set, every read that returns bytes restarts the attempt's timer.
// capped is the size limit do reads through, kept here so it costs no
// allocation of its own.
type cancelOnClose struct {
	io.ReadCloser
	stop   attemptStop
	idle   time.Duration
	capped cappedReader
}

func (b *cancelOnClose) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 && b.idle > 0 && context.Cause(b.stop.ctx) == nil {
		b.stop.call.rearm(b.idle)
	}
	if err != nil && err != io.EOF && context.Cause(b.stop.ctx) == errAttemptTimeout {
		err = fmt.Errorf("%w: %w", errAttemptTimeout, err)
	}
	return n, err
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.stop.release()
	return err
}

func (c *Client) logAttempt(req *http.Request, ci *callInfo, resp *http.Response, err error, d time.Duration) {
	if !c.logger.Enabled(req.Context(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Host+req.URL.EscapedPath()),
		slog.Duration("duration", d),
	}
	if ci != nil {
		attrs = append(attrs, slog.Int("attempt", ci.attempt), slog.String("request_id", ci.requestID))
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if id := CorrelationID(req.Context()); id != "" {
		attrs = append(attrs, slog.String("correlation_id", id))
	}
	if err != nil && !errors.Is(err, errServerStatus) {
		attrs = append(attrs, slog.String("error", redactURLText(err.Error())))
	}
	c.logger.LogAttrs(req.Context(), slog.LevelDebug, "scopix request", attrs...)
}

var errServerStatus = errors.New("server error status")

// excludedError marks a failure caused by the caller's cancellation, which
// must not count against the breaker.
type excludedError struct{ err error }

func (e excludedError) Error() string { return e.err.Error() }
func (e excludedError) Unwrap() error { return e.err }

// breakerOpenError is returned by the transport when a breaker refuses.
type breakerOpenError struct {
	endpoint   string
	retryAfter time.Duration
}

func (e *breakerOpenError) Error() string { return "circuit breaker open for " + e.endpoint }

// breakerSet holds one breaker per endpoint key, made on first use.
type breakerSet struct {
	settings CircuitBreakerSettings
	off      bool
	logger   *slog.Logger
	mu       sync.Mutex
	breakers map[string]*trackedBreaker
}

type trackedBreaker struct {
	cb       *gobreaker.CircuitBreaker[*http.Response]
	openedAt atomic.Int64 // unix nanos of the last transition to open
}

func newBreakerSet(s CircuitBreakerSettings, off bool, logger *slog.Logger) *breakerSet {
	return &breakerSet{settings: s.withDefaults(), off: off, logger: logger, breakers: map[string]*trackedBreaker{}}
}

func (bs *breakerSet) get(key string) *trackedBreaker {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if tb, ok := bs.breakers[key]; ok {
		return tb
	}
	tb := &trackedBreaker{}
	s := bs.settings
	tb.cb = gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{
		Name:        key,
		MaxRequests: uint32(s.SuccessThreshold),
		Timeout:     s.OpenTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= uint32(s.FailureThreshold) },
		OnStateChange: func(name string, from, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				tb.openedAt.Store(time.Now().UnixNano())
			}
			bs.logger.Debug("scopix circuit breaker", slog.String("endpoint", name),
				slog.String("from", from.String()), slog.String("to", to.String()))
		},
		IsExcluded: func(err error) bool {
			_, excluded := err.(excludedError)
			return excluded
		},
	})
	bs.breakers[key] = tb
	return tb
}

func (bs *breakerSet) execute(key string, fn func() (*http.Response, error)) (*http.Response, error) {
	if bs.off {
		return fn()
	}
	tb := bs.get(key)
	resp, err := tb.cb.Execute(fn)
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		wait := bs.settings.OpenTimeout - time.Since(time.Unix(0, tb.openedAt.Load()))
		return nil, &breakerOpenError{endpoint: key, retryAfter: max(wait, 0)}
	}
	return resp, err
}

// newTransport is the transport the SDK uses when the caller gives none.
func newTransport(proxy *url.URL) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	if proxy != nil {
		t.Proxy = http.ProxyURL(proxy)
	}
	return t
}

// checkRedirect follows a redirect only when it keeps the connection as
// safe as the request it came from, drops credentials whenever the scheme
// or host changes, and hands back a 3xx when the request asked to see it.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if ci := callFrom(req.Context()); ci != nil && ci.req.keepRedirect {
		return http.ErrUseLastResponse
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	keep, err := redirectPolicy(via[0].URL, via[len(via)-1].URL, req.URL)
	if err != nil {
		return err
	}
	if ci := callFrom(req.Context()); ci != nil {
		ci.keepLive = true
	}
	if !keep {
		req.Header.Del("Authorization")
		req.Header.Del("X-Tenant-ID")
		for k := range c.cfg.headers {
			req.Header.Del(k)
		}
	}
	return nil
}

// ErrInsecureRedirect is the cause of the *ConnectionError returned when a
// server redirects an HTTPS request to plain HTTP (loopback hosts aside).
// Following it would send the key, and for a 307/308 the body, in clear; a
// retry cannot help, so IsRetryable reports false.
var ErrInsecureRedirect = errors.New("scopix: refused redirect from https to http")

// redirectPolicy decides a redirect to next in a chain that began at first
// and last went to prev: leaving https for plain http is refused unless the
// target is a loopback host; the credentials go along only to the scheme
// and host the chain began at.
func redirectPolicy(first, prev, next *url.URL) (keepCredentials bool, err error) {
	wasSecure := first.Scheme == "https" || prev.Scheme == "https"
	if wasSecure && next.Scheme != "https" && !isLoopback(next.Hostname()) {
		return false, ErrInsecureRedirect
	}
	return first.Scheme == next.Scheme && first.Host == next.Host, nil
}

// isLoopback lists the hosts that may be reached over plain HTTP.
func isLoopback(host string) bool {
	switch host {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

// parseSeconds reads a duration given in seconds, decimals allowed.
func parseSeconds(v string) (time.Duration, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || f > 1e9 {
		return 0, errors.New("want a non-negative number of seconds")
	}
	return time.Duration(f * float64(time.Second)), nil
}

func randomUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:])
}
