package scopix_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
)

// TestContract_Observability pins the names of API.md §11 "Middleware" and
// of the response metadata and correlation id helpers.
func TestContract_Observability(t *testing.T) {
	t.Parallel()
	var (
		_ func(...scopix.Middleware) scopix.Option                           = scopix.WithMiddleware
		_ func(*http.Request, scopix.MiddlewareNext) (*http.Response, error) = scopix.Middleware(nil)
		_ func(*http.Request) (*http.Response, error)                        = scopix.MiddlewareNext(nil)
		_ func(context.Context, *scopix.ResponseInfo) context.Context        = scopix.WithResponseInfo
		_ func(context.Context, string) context.Context                      = scopix.WithCorrelationID
		_ func(context.Context) string                                       = scopix.CorrelationID
	)
	_ = scopix.ResponseInfo{StatusCode: 0, RequestID: "", Attempts: 0, Header: nil,
		RateLimit: scopix.RateLimit{Limit: 0, Remaining: 0, Reset: time.Time{}}}
}
