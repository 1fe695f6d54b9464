package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
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

// WithResponseInfo hands back the status, request id and rate-limit window
// of a successful call, to log or to pace your own requests.
func ExampleWithResponseInfo() {
	srv := scopixtest.Start(scopixtest.WithRateLimit(100, time.Minute))
	defer srv.Close()
	client := srv.Client()
	defer client.Close()

	var info scopix.ResponseInfo
	ctx := scopix.WithResponseInfo(context.Background(), &info)
	if _, err := client.Files.List(ctx, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", info.StatusCode, "request id set:", info.RequestID != "")
	fmt.Printf("rate limit: %d of %d left, resets later: %v\n",
		info.RateLimit.Remaining, info.RateLimit.Limit, info.RateLimit.Reset.After(time.Now().Add(-time.Minute)))
	// Output:
	// status: 200 request id set: true
	// rate limit: 99 of 100 left, resets later: true
}

// WithCorrelationID tags every API request of one logical operation, here
// an upload and the wait for its description, so server logs can be joined.
func ExampleWithCorrelationID() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()

	ctx := scopix.WithCorrelationID(context.Background(), "order-4711")
	res, err := client.Files.UploadReader(ctx, "label.png", strings.NewReader("\x89PNG\r\n\x1a\n"), 8, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Files.WaitForDescription(ctx, res.ImageID, nil); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range srv.Requests() {
		path := strings.Replace(r.Path, res.ImageID, "{id}", 1)
		fmt.Println(r.Method, strings.TrimPrefix(path, "/api/v2"), r.Header.Get("X-Correlation-ID"))
	}
	// Output:
	// POST /files/upload order-4711
	// GET /files/{id} order-4711
}
