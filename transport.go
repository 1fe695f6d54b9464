package scopix

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
)

// transportError maps an error without a usable response to a typed error;
// each kind of our own side's errors (localError) has its own.
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
	var src *sourceError
	if errors.As(err, &src) {
		e := newError(CodeUpload, src.Error(), src)
		e.RequestID = requestID
		return e
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
// attempt timeout. The error the operation failed with (err) and the
// cause the caller gave the context (context.WithCancelCause) stay the
// cause: errors.Is and errors.As reach both.
func contextError(ctx context.Context, err error, requestID string, attemptTimeout time.Duration) error {
	var e *Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e = newError(CodeCanceled, "request canceled", newContextCause(ctx, err, context.Canceled))
		e.RequestID = requestID
		return e
	case ctx.Err() != nil:
		e = newError(CodeTimeout, "deadline exceeded", newContextCause(ctx, err, context.DeadlineExceeded))
	default:
		e = newError(CodeTimeout, fmt.Sprintf("attempt timed out after %s", attemptTimeout),
			newContextCause(ctx, err, errAttemptTimeout, context.DeadlineExceeded))
	}
	e.RequestID = requestID
	return &TimeoutError{Err: e}
}

// contextCause is the cause of a context error: what happened (the
// sentinels: context.Canceled, context.DeadlineExceeded, errAttemptTimeout)
// over the errors that led to it. Ending an attempt cancels its context,
// so one of those three found in the errors is not reported unless it is
// a sentinel: only the caller's own cancellation reads as context.Canceled.
type contextCause struct {
	sentinels []error
	errs      []error
}

func newContextCause(ctx context.Context, err error, sentinels ...error) *contextCause {
	c := &contextCause{sentinels: sentinels}
	if err != nil {
		c.errs = append(c.errs, err)
	}
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() && cause != err {
		c.errs = append(c.errs, cause)
	}
	return c
}

func (c *contextCause) Error() string {
	s := c.sentinels[0].Error()
	for _, err := range c.errs {
		if err != c.sentinels[0] {
			s += ": " + err.Error()
		}
	}
	return s
}

func (c *contextCause) Is(target error) bool {
	if slices.Contains(c.sentinels, target) {
		return true
	}
	if target == context.Canceled || target == context.DeadlineExceeded || target == errAttemptTimeout {
		return false
	}
	for _, err := range c.errs {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func (c *contextCause) As(target any) bool {
	for _, err := range c.errs {
		if errors.As(err, target) {
			return true
		}
	}
	return false
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
	base, key, pace := t.route(req, ci)
	if pace != nil {
		// Before the attempt's own timeout starts: waiting for the
		// operation's turn is not the server being slow.
		if err := pace.wait(callerCtx); err != nil {
			return nil, err
		}
		defer pace.done()
	}
	stop := c.attemptContext(ci)
	ci.attempt++
	ci.wrote.Store(false)
	var ctx context.Context = ci
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
		return t.attempt(attemptReq, ci)
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

// attempt runs inside the breaker: a caller's cancellation and our own
// side's errors (localError) do not count against the endpoint, a 5xx does.
func (t *attemptTransport) attempt(req *http.Request, ci *callInfo) (*http.Response, error) {
	resp, err := t.roundTrip(&ci.sender, req, ci)
	switch {
	case err != nil && (ci.Context.Err() != nil || localError(err)):
		return nil, excludedError{err}
	case err != nil:
		if context.Cause(ci) == errAttemptTimeout {
			err = fmt.Errorf("%w: %w", errAttemptTimeout, err)
		}
		return nil, err
	case resp.StatusCode >= 500:
		return resp, errServerStatus
	}
	return resp, nil
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
	if len(mws) == 0 || ci.req.storageURL != "" || !t.client.isAPIURL(req.URL) {
		return base.RoundTrip(req)
	}
	return throughMiddleware(mws, req, base.RoundTrip)
}

// attemptStop ends an attempt: its timer, and the call's context unless
// the next attempt is to use it.
type attemptStop struct {
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
func (c *Client) attemptContext(ci *callInfo) attemptStop {
	ci.keepLive = false
	if !ci.req.stream && ci.cancel == nil {
		if dl, ok := ci.Context.Deadline(); ok && time.Until(dl) <= c.cfg.timeout {
			return attemptStop{call: ci}
		}
	}
	ci.renew()
	if !ci.arm(c.cfg.timeout) {
		// The caller's context is over: the attempt fails at once, and
		// there is no context of the call's own for a timer to end.
		return attemptStop{call: ci}
	}
	return attemptStop{call: ci, timed: true}
}

// arm starts the attempt timer, unless the call has no cancelable context
// for it to end (renew makes none once the caller's context is over): a
// timer armed without one would call a nil function when it fires.
func (ci *callInfo) arm(d time.Duration) bool {
	if ci.cancel == nil || ci.Context.Err() != nil {
		return false
	}
	switch {
	case ci.timer != nil:
	case ci.req.stream:
		// A reader re-arms it after the call returned: the idle timeout.
		ci.timer = keptAttemptTimer()
	default:
		ci.timer = pooledAttemptTimer()
	}
	at := ci.timer
	at.mu.Lock()
	at.armed, at.cancel = true, ci.cancel
	at.mu.Unlock()
	at.t.Reset(d)
	return true
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

// pooledAttemptTimer returns a timer from the pool, or a new one.
func pooledAttemptTimer() *attemptTimer {
	// Inside a testing/synctest bubble time.Now carries no monotonic
	// reading; a timer made there runs on the bubble's clock and must not
	// reach another bubble or the world outside through the pool.
	if now := time.Now(); now == now.Round(0) {
		return keptAttemptTimer()
	}
	if at, ok := attemptTimers.Get().(*attemptTimer); ok {
		return at
	}
	return newAttemptTimer()
}

// keptAttemptTimer returns a new timer that is never pooled.
func keptAttemptTimer() *attemptTimer {
	at := newAttemptTimer()
	at.keep = true
	return at
}

func newAttemptTimer() *attemptTimer {
	at := &attemptTimer{}
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
	if n > 0 && b.idle > 0 && context.Cause(b.stop.call) == nil {
		b.stop.call.rearm(b.idle)
	}
	if err != nil && err != io.EOF && context.Cause(b.stop.call) == errAttemptTimeout {
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
	attrs = append(attrs, slog.Int("attempt", ci.attempt), slog.String("request_id", ci.requestID))
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

// newTransport is the transport the SDK uses when the caller gives none.
func newTransport(proxy *url.URL) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	if proxy != nil {
		t.Proxy = http.ProxyURL(proxy)
	}
	return t
}

// maxRedirects is how many redirects a request follows, as net/http's
// default policy.
const maxRedirects = 10

// checkRedirect follows a redirect only when it keeps the connection as
// safe as the request it came from, drops credentials whenever the scheme
// or host changes, and hands back a 3xx when the request asked to see it.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	ci := callFrom(req.Context())
	if ci.req.keepRedirect {
		return http.ErrUseLastResponse
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	keep, err := redirectPolicy(via[0].URL, via[len(via)-1].URL, req.URL)
	if err != nil {
		return err
	}
	ci.keepLive = true
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
