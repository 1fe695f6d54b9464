package scopix_test

import (
	"net/http"
	"testing"

	"github.com/scopix/scopix-go"
)

// TestContract_Observability pins the names of API.md §11 "Middleware".
func TestContract_Observability(t *testing.T) {
	t.Parallel()
	var (
		_ func(...scopix.Middleware) scopix.Option                           = scopix.WithMiddleware
		_ func(*http.Request, scopix.MiddlewareNext) (*http.Response, error) = scopix.Middleware(nil)
		_ func(*http.Request) (*http.Response, error)                        = scopix.MiddlewareNext(nil)
	)
}
