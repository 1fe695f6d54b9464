package scopix

import (
	"context"
	"errors"
	"math"
	mathrand "math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
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

// newRetryClient wires retryablehttp: our policy, backoff and error handling,
// no logger of its own, and the attempt transport underneath. Each call
// runs its own copy of it (see startRetries).
func (c *Client) newRetryClient(proxy *url.URL) *retryablehttp.Client {
	var api, storage http.RoundTripper
	hc := &http.Client{}
	if c.cfg.httpClient != nil {
		*hc = *c.cfg.httpClient
		api = hc.Transport
		if api == nil {
			api = http.DefaultTransport
		}
		storage = api
	} else {
		apiT, storageT := newTransport(proxy), newTransport(proxy)
		c.transports = append(c.transports, apiT, storageT)
		api, storage = apiT, storageT
	}
	hc.Transport = &attemptTransport{client: c, api: api, storage: storage}
	hc.CheckRedirect = c.checkRedirect
	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil,
		RetryMax:     c.cfg.maxRetries,
		RetryWaitMin: c.cfg.retryDelay,
		RetryWaitMax: maxBackoff,
		CheckRetry:   c.checkRetry,
		Backoff:      backoff,
		PrepareRetry: c.prepareRetry,
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) {
			// Hand the last response to our decoder instead of retryablehttp's
			// "giving up" error, unless the response is a refused redirect.
			if resp != nil && !errors.Is(err, ErrInsecureRedirect) {
				return resp, nil
			}
			if resp != nil {
				resp.Body.Close()
			}
			return nil, err
		},
	}
}

// checkRetry is retryablehttp's CheckRetry: it decides whether to retry and
// how long to wait first (kept in callInfo for backoff).
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	ci := callFrom(ctx)
	if err := ci.Context.Err(); err != nil {
		return false, err
	}
	if err != nil {
		if localError(err) {
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

// localError reports whether err arose on this side of the wire, without
// the server having a say: an open circuit breaker, the pacer refusing a
// pause past the caller's deadline, a middleware's own error, a request
// body's local source failing, a redirect refused as insecure. Sending the
// request again would fail the same way, so checkRetry does not, and the
// endpoint is not to blame, so attempt keeps it from the breaker's count
// (of these, only middleware and source errors arise inside the breaker).
// transportError maps each to its typed error.
func localError(err error) bool {
	var open *breakerOpenError
	var paced *pacedOutError
	var own *middlewareError
	var src *sourceError
	return errors.As(err, &open) || errors.As(err, &paced) || errors.As(err, &own) ||
		errors.As(err, &src) || errors.Is(err, ErrInsecureRedirect)
}

// scheduleRetry picks the wait before the next attempt: the server's
// Retry-After when present, else backoffDelay.
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
	// The wait taken is the one checked against the deadline: backoff
	// hands it to retryablehttp.
	ci.retry.RetryWaitMin = wait
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

// backoff is retryablehttp's Backoff: the wait scheduleRetry chose, which
// it leaves as the call's RetryWaitMin. After a transport error or an
// attempt timeout retryablehttp passes no response, so nothing else here
// could find the call.
func backoff(wait, _ time.Duration, _ int, _ *http.Response) time.Duration { return wait }

// startRetries gives the call its own copy of the client's retry loop, so
// the wait scheduleRetry chooses reaches backoff whether or not the
// attempt had a response. The copy lives in the call: it costs no
// allocation.
func (ci *callInfo) startRetries(rc *retryablehttp.Client) *retryablehttp.Client {
	ci.retry = retryablehttp.Client{
		HTTPClient:   rc.HTTPClient,
		RetryMax:     rc.RetryMax,
		RetryWaitMin: rc.RetryWaitMin,
		RetryWaitMax: rc.RetryWaitMax,
		CheckRetry:   rc.CheckRetry,
		Backoff:      rc.Backoff,
		PrepareRetry: rc.PrepareRetry,
		ErrorHandler: rc.ErrorHandler,
	}
	return &ci.retry
}

// prepareRetry marks later attempts as retries, so replayable bodies switch
// to their retry form (uploads add skip_duplicates=true).
func (c *Client) prepareRetry(req *http.Request) error {
	ci := callFrom(req.Context())
	ci.retrying = true
	if ci.req.body != nil {
		req.ContentLength = ci.req.body.size(true)
	}
	return nil
}
