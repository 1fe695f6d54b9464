package scopix

import (
	"context"
	"errors"
	"net/http"
)

// Middleware runs around one attempt of a request to the Scopix API: it
// may read or change the request, time it, record the response, or answer
// in place of the server by returning a response of its own without
// calling next. It must either call next or return a response or an error.
//
// Middleware sees every attempt: a call the client retries reaches it once
// per attempt, each time with a fresh copy of the SDK's request (headers a
// middleware added to one attempt are not carried into the next). The
// request carries the attempt's context, bounded by WithTimeout; a
// middleware that needs the caller's values (a trace span) finds them there.
//
// It never runs for presigned storage URLs (upload parts, video chunks,
// download redirects): those requests go straight to the storage host and
// carry no SDK headers.
//
// An error a middleware returns itself (rather than one it got from next)
// ends the call at once: it is not retried, does not count against the
// circuit breaker, and reaches the caller as a *ConnectionError whose Cause
// is the middleware's error and whose Details["middleware"] is true;
// IsRetryable reports false for it. An error from next that a middleware
// passes on, wrapped or not, is treated as if no middleware were there.
type Middleware func(req *http.Request, next MiddlewareNext) (*http.Response, error)

// MiddlewareNext sends the request on: to the next middleware, or, after
// the last one, to the network.
type MiddlewareNext func(*http.Request) (*http.Response, error)

// WithMiddleware adds middleware that runs around every attempt to the API,
// in the order given: the first is the outermost. Calling it again appends.
// It never runs on presigned storage URLs. See Middleware.
func WithMiddleware(m ...Middleware) Option {
	return func(c *config) {
		for _, mw := range m {
			if mw != nil {
				c.middleware = append(c.middleware, mw)
			}
		}
	}
}

// middlewareError marks an error a middleware returned without getting it
// from next: a decision of the caller's own code, which the transport
// neither retries nor counts against the breaker.
type middlewareError struct{ err error }

func (e *middlewareError) Error() string { return "middleware: " + e.err.Error() }
func (e *middlewareError) Unwrap() error { return e.err }

var errMiddlewareNothing = errors.New("returned neither a response nor an error")

// throughMiddleware runs one attempt through the configured middleware, with
// send (the network) after the last one. req is cloned so each attempt
// starts from the SDK's headers.
func throughMiddleware(mws []Middleware, req *http.Request, send MiddlewareNext) (*http.Response, error) {
	var fromNext error
	next := MiddlewareNext(func(r *http.Request) (*http.Response, error) {
		resp, err := send(r)
		fromNext = err
		return resp, err
	})
	for i := len(mws) - 1; i >= 0; i-- {
		mw, inner := mws[i], next
		next = func(r *http.Request) (*http.Response, error) { return mw(r, inner) }
	}
	attempt := req.Clone(req.Context())
	resp, err := next(attempt)
	switch {
	case err != nil:
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if fromNext != nil && errors.Is(err, fromNext) {
			return nil, err
		}
		return nil, ownMiddlewareError(req.Context(), err)
	case resp == nil:
		return nil, &middlewareError{errMiddlewareNothing}
	}
	// A synthetic response may leave out what the engine relies on.
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	if resp.Request == nil {
		resp.Request = req
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	return resp, nil
}

// ownMiddlewareError keeps the context's verdict when the middleware only
// reported that the attempt's context ended; anything else is the
// middleware's own decision.
func ownMiddlewareError(ctx context.Context, err error) error {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return err
	}
	return &middlewareError{err}
}
