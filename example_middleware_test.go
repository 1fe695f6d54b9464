package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Middleware sees every attempt to the API: here one adds a header and
// another records each attempt's status and duration, as a metrics hook
// would. The retried 503 shows up as its own attempt.
func ExampleWithMiddleware() {
	srv := scopixtest.Start()
	defer srv.Close()

	addTeam := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		req.Header.Set("X-Team", "inspections")
		return next(req)
	}
	record := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		start := time.Now()
		resp, err := next(req)
		if err == nil {
			_ = time.Since(start) // e.g. a histogram observation
			fmt.Println(req.Method, req.URL.Path, resp.StatusCode)
		}
		return resp, err
	}
	client := srv.Client(scopix.WithMiddleware(addTeam, record))
	defer client.Close()

	srv.FailNext(1, http.StatusServiceUnavailable, nil)
	if _, err := client.Files.List(context.Background(), nil); err != nil {
		fmt.Println(err)
	}
	fmt.Println("server saw X-Team:", srv.Requests()[0].Header.Get("X-Team"))
	// Output:
	// GET /api/v2/files 503
	// GET /api/v2/files 200
	// server saw X-Team: inspections
}

// A middleware can refuse a request without sending it, for example a
// client-side budget. The caller gets a *ConnectionError wrapping the
// middleware's own error; it is not retried.
func ExampleMiddleware_refuse() {
	srv := scopixtest.Start()
	defer srv.Close()

	errBudget := errors.New("monthly budget spent")
	budget := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		if req.Method == http.MethodPost {
			return nil, errBudget
		}
		return next(req)
	}
	client := srv.Client(scopix.WithMiddleware(budget))
	defer client.Close()

	err := client.Do(context.Background(), http.MethodPost, "/usage/check", map[string]int{"item_count": 1}, nil)
	var ce *scopix.ConnectionError
	fmt.Println(errors.As(err, &ce), errors.Is(err, errBudget), scopix.IsRetryable(err))
	fmt.Println("requests sent:", srv.Stats().Requests)
	// Output:
	// true true false
	// requests sent: 0
}
