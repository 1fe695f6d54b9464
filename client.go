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
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
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
// never read it at once. Close also closes the body's reader when it holds
// files open.
type trackedBody struct {
	io.Reader
	once   sync.Once
	closed chan struct{}
}

func (b *trackedBody) Close() error {
	var err error
	b.once.Do(func() {
		if c, ok := b.Reader.(io.Closer); ok {
			err = c.Close()
		}
		close(b.closed)
	})
	return err
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

// putPart PUTs one part of an upload to its presigned URL and returns the
// ETag storage answered with; the part's number names it in errors. The
// transport retries the PUT like any request. A success without an ETag
// cannot be completed later, so it is a BAD_RESPONSE carrying the status.
func (c *Client) putPart(ctx context.Context, rawURL string, number int, body *replayBody) (string, error) {
	resp, err := c.send(ctx, storageRequest(http.MethodPut, rawURL, body))
	if err != nil {
		return "", err
	}
	etag := resp.Header.Get("ETag")
	// Drained (within reason) so the connection goes back to the pool.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	if etag == "" {
		e := newError(CodeResponseUnreadable, fmt.Sprintf("storage answered part %d without an ETag", number), nil)
		e.StatusCode = resp.StatusCode
		return "", e
	}
	return etag, nil
}

// location sends req without following a redirect and returns the
// redirect's target, resolved against the request's URL. An answer that is
// not a redirect is decoded into out as JSON and location returns "", so
// the caller can take the target from the body instead.
func (c *Client) location(ctx context.Context, req *request, out any) (string, error) {
	req.keepRedirect = true
	resp, err := c.send(ctx, req)
	if err != nil {
		return "", err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		defer resp.Body.Close()
		return redirectTarget(resp)
	}
	return "", c.decode(ctx, resp, out)
}

// redirectTarget is the Location of a redirect, resolved against the URL
// that was redirected.
func redirectTarget(resp *http.Response) (string, error) {
	loc := resp.Header.Get("Location")
	target, err := resp.Request.URL.Parse(loc)
	if loc == "" || err != nil {
		return "", newError(CodeResponseUnreadable, "redirect has no usable Location", err)
	}
	return target.String(), nil
}

// callInfo travels with one logical call through retryablehttp's hooks. It
// is the call's context itself, which spares an allocation per call on the
// hot path: Value answers callKey with the call, and Done, Err and Value
// answer from the call's live context (see live), else the caller's.
// Deadline is the caller's: the live context adds none.
type callInfo struct {
	context.Context
	req       *request
	requestID string
	attempt   int
	retrying  bool
	wrote     atomic.Bool // headers of the current attempt reached the wire
	// retry is the call's copy of the client's retry loop; its
	// RetryWaitMin is the wait before the next attempt (see backoff).
	retry retryablehttp.Client
	trace *httptrace.ClientTrace
	body  *trackedBody // the latest attempt's request body
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

// callFrom returns the call a request's context belongs to. Every request
// the engine sends carries its call (net/http keeps the context across
// redirects), so the transport and retryablehttp's hooks always find it.
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
	return resp.StatusCode, c.decode(ctx, resp, out)
}

// decode reads the JSON body of a successful answer into out (a nil out
// discards it) and closes it. An empty 202 or 204 body leaves out as it
// is; a body over WithMaxResponseBytes or not the JSON expected is a
// BAD_RESPONSE.
func (c *Client) decode(ctx context.Context, resp *http.Response, out any) error {
	defer resp.Body.Close()
	body := capResponse(resp.Body, c.cfg.maxResponseBytes)
	if out == nil {
		_, _ = io.Copy(io.Discard, body)
		return nil
	}
	if err := json.NewDecoder(body).Decode(out); err != nil {
		if errors.Is(err, io.EOF) && (resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusAccepted) {
			return nil
		}
		if body.exceeded {
			e := newError(CodeResponseUnreadable, fmt.Sprintf("response body larger than %d bytes (WithMaxResponseBytes)", c.cfg.maxResponseBytes), nil)
			e.StatusCode = resp.StatusCode
			e.RequestID = firstNonEmpty(resp.Header.Get("X-Request-ID"), resp.Request.Header.Get("X-Request-ID"))
			return e
		}
		return c.readError(ctx, err, resp)
	}
	return nil
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
		target, err := redirectTarget(resp)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		return c.stream(ctx, storageRequest(http.MethodGet, target, nil))
	}
	return &streamBody{ReadCloser: resp.Body, ctx: ctx, requestID: resp.Request.Header.Get("X-Request-ID"), idle: c.cfg.timeout}, nil
}

// openEvents sends req for an event stream and hands back its body as it
// comes, with the request id it was sent with: the reader of the stream
// applies its own idle rule and resumes under the same id.
func (c *Client) openEvents(ctx context.Context, req *request) (io.ReadCloser, string, error) {
	req.stream = true
	resp, err := c.send(ctx, req)
	if err != nil {
		return nil, "", err
	}
	return resp.Body, resp.Request.Header.Get("X-Request-ID"), nil
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
	*ci = callInfo{Context: ctx, req: req, requestID: c.newRequestID()}
	rreq, err := c.buildRequest(ci)
	if err != nil {
		return nil, err
	}
	resp, err := ci.startRetries(c.http).Do(rreq)
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

// buildRequest turns the call's request into its retryablehttp request,
// which carries the call as its context: target URL, a body each attempt
// can open again, and the headers.
func (c *Client) buildRequest(ci *callInfo) (*retryablehttp.Request, error) {
	req := ci.req
	join := c.joinable(req)
	target := ""
	if !join {
		target = c.target(req)
	}
	rreq, err := retryablehttp.NewRequestWithContext(ci, req.method, target, ci.bodySource())
	if err == nil && join {
		c.joinURL(rreq.URL, req)
		rreq.Host = rreq.URL.Host
	}
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
		if err := c.setAPIHeaders(h, ci); err != nil {
			return nil, err
		}
	}
	for k, v := range req.header {
		h[k] = v
	}
	return rreq, nil
}

// joinableBase parses base for joinURL, or returns nil when it holds what
// joinURL does not handle (an escaped path, a query, a fragment, a port
// left empty).
func joinableBase(base string) *url.URL {
	u, err := url.Parse(base)
	if err != nil || u.Opaque != "" || u.RawPath != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(u.Host, ":") {
		return nil
	}
	return u
}

// joinable reports whether req's URL can be joined by joinURL: an API
// request whose path holds only bytes that net/url keeps as they are in a
// path (letters, digits, "-._~$&+,/:;=@").
func (c *Client) joinable(req *request) bool {
	if c.joinBase == nil || req.storageURL != "" {
		return false
	}
	for i := 0; i < len(req.path); i++ {
		switch b := req.path[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("-._~$&+,/:;=@", b) >= 0:
		default:
			return false
		}
	}
	return true
}

// joinURL sets u to the URL of req, as parsing target(req) would: the base
// URL with the path and query set. Parsing the whole URL again was the
// largest cost of building a request (a fuzz test holds the two equal).
func (c *Client) joinURL(u *url.URL, req *request) {
	*u = *c.joinBase
	u.Path = c.joinBase.Path + "/" + req.path
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
}

// target is the URL req is sent to.
func (c *Client) target(req *request) string {
	if req.storageURL != "" {
		return req.storageURL
	}
	target := c.baseURL + "/" + req.path
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	return target
}

// bodySource is the request body in the form retryablehttp takes: JSON
// bytes, or a function that opens a replayable body afresh for each attempt
// once the previous attempt released it. nil means no body.
func (ci *callInfo) bodySource() any {
	switch req := ci.req; {
	case req.body != nil:
		b := req.body
		return retryablehttp.ReaderFunc(func() (io.Reader, error) {
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
		return req.json
	}
	return nil
}

// setAPIHeaders sets the headers every API request carries (never sent to
// presigned storage URLs): the configured ones, then the SDK's own, which win.
func (c *Client) setAPIHeaders(h http.Header, ci *callInfo) error {
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
	correlation, err := correlationHeader(ci)
	if err != nil {
		return err
	}
	if correlation != nil {
		h["X-Correlation-Id"] = correlation
	}
	return nil
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

func randomUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:])
}
