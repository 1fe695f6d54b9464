package scopix

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ResponseInfo describes the last successful API response of a call made
// with a context from WithResponseInfo. For an operation made of several
// requests (a batch upload, a video upload, a Wait method) it holds the last
// one to succeed. Responses of presigned storage URLs, and downloads
// redirected to them, are not recorded; a failed call leaves it as it was
// (its error carries the status and request id instead).
type ResponseInfo struct {
	StatusCode int
	// RequestID is the server's X-Request-ID, else the one the SDK sent.
	RequestID string
	// RateLimit holds the X-RateLimit-* headers of the response.
	RateLimit RateLimit
	// Attempts is how many attempts the request took (1 when not retried).
	Attempts int
	// Header is a copy of every response header.
	Header http.Header
}

// RateLimit is the rate-limit window a response reported
// (X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset). Every
// field is zero when the server sent no such header; check Limit > 0.
type RateLimit struct {
	Limit     int       // requests allowed in the window
	Remaining int       // requests left in it
	Reset     time.Time // when the window resets
}

// parseRateLimit reads the X-RateLimit-* headers (Reset is a unix time,
// documented (Scopix rate-limits page)).
func parseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	rl.Limit, _ = strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	rl.Remaining, _ = strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	if reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil {
		rl.Reset = time.Unix(reset, 0)
	}
	return rl
}

type responseInfoKey struct{}

// responseSink guards the caller's ResponseInfo: an operation may run
// several requests at once with the same context.
type responseSink struct {
	mu   sync.Mutex
	info *ResponseInfo
}

// WithResponseInfo returns a context that makes every SDK call made with it
// fill *info from its successful API response: status, request id,
// rate-limit window, attempts and headers. Read info after the call returns.
// A nil info or ctx is returned unchanged.
//
//	var info scopix.ResponseInfo
//	files, err := client.Files.List(scopix.WithResponseInfo(ctx, &info), nil)
//	fmt.Println(info.RequestID, info.RateLimit.Remaining)
func WithResponseInfo(ctx context.Context, info *ResponseInfo) context.Context {
	if ctx == nil || info == nil {
		return ctx
	}
	return context.WithValue(ctx, responseInfoKey{}, &responseSink{info: info})
}

// recordResponse fills the caller's ResponseInfo, if any, from a successful
// API response.
func (c *Client) recordResponse(ci *callInfo, resp *http.Response) {
	sink, _ := ci.Context.Value(responseInfoKey{}).(*responseSink)
	if sink == nil || resp.Request == nil || !c.isAPIURL(resp.Request.URL) {
		return
	}
	info := ResponseInfo{
		StatusCode: resp.StatusCode,
		RequestID:  firstNonEmpty(resp.Header.Get("X-Request-ID"), ci.requestID),
		RateLimit:  parseRateLimit(resp.Header),
		Attempts:   ci.attempt,
		Header:     resp.Header.Clone(),
	}
	sink.mu.Lock()
	*sink.info = info
	sink.mu.Unlock()
}

// isAPIURL reports whether u is below the base URL, as opposed to a
// presigned storage URL or a redirect target elsewhere.
func (c *Client) isAPIURL(u *url.URL) bool {
	return u.Host == c.apiHost && strings.HasPrefix(u.Path, c.apiPath)
}

type correlationKey struct{}

// WithCorrelationID returns a context that makes every API request made
// with it carry the header X-Correlation-ID: id, so that the server's logs
// of one logical operation (a batch upload, a video upload and its chunks'
// confirmations, a wait) can be joined with yours. Presigned storage URLs
// never get it. An id with control characters is a *ValidationError from
// the call, before any request. An empty id removes the header.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	if ctx == nil {
		return ctx
	}
	return context.WithValue(ctx, correlationKey{}, id)
}

// CorrelationID returns the correlation id WithCorrelationID put in ctx, or "".
// Middleware can read it from the request's context.
func CorrelationID(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	id, _ := ctx.Value(correlationKey{}).(string)
	return id
}

// correlationHeader returns the X-Correlation-ID value for ctx (documented
// (Scopix config: the Python SDK sends it)), or a *ValidationError.
func correlationHeader(ctx context.Context) ([]string, error) {
	id := CorrelationID(ctx)
	if id == "" {
		return nil, nil
	}
	for i := 0; i < len(id); i++ {
		if b := id[i]; b < 0x20 || b == 0x7f {
			return nil, validationError("correlation_id", "must not contain control characters")
		}
	}
	return []string{id}, nil
}
