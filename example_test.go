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

// Every error is a *scopix.Error underneath; typed errors add what matters
// for them. Check the specific ones first, then the base for the rest.
func Example_errorHandling() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client(scopix.WithMaxRetries(0))
	defer client.Close()
	ctx := context.Background()

	_, err := client.Files.Get(ctx, "00000000-0000-0000-0000-000000000000")
	var notFound *scopix.ResourceNotFoundError
	fmt.Println("not found:", errors.As(err, &notFound))

	srv.FailNext(1, http.StatusTooManyRequests, map[string]string{"Retry-After": "3"})
	_, err = client.Files.List(ctx, nil)
	var rl *scopix.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println("rate limited, retry after", rl.RetryAfter)
	}

	var base *scopix.Error
	if errors.As(err, &base) {
		fmt.Println("code:", base.Code, "status:", base.StatusCode, "retryable:", scopix.IsRetryable(err))
	}

	_, err = client.Files.Get(ctx, "")
	var invalid *scopix.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("invalid argument:", invalid.Fields[0].Loc[0])
	}
	// Output:
	// not found: true
	// rate limited, retry after 3s
	// code: RATE_LIMIT status: 429 retryable: true
	// invalid argument: id
}

// A cancelled context and an expired deadline are told apart with errors.Is.
func Example_contexts() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	srv.SetLatency(time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := client.Files.List(ctx, nil)
	var timeout *scopix.TimeoutError
	fmt.Println(errors.As(err, &timeout), errors.Is(err, context.DeadlineExceeded))

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = client.Files.List(ctx, nil)
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// true true
	// true
}

func ExampleNew() {
	client, err := scopix.New("scopix_abcd1234_secret",
		scopix.WithTimeout(60*time.Second),
		scopix.WithMaxRetries(5),
		scopix.WithTenantID("acme"),
	)
	if err != nil {
		panic(err)
	}
	defer client.Close()
	fmt.Printf("%v\n", client) // the key never shows
	// Output: scopix.Client{BaseURL: https://api.scopix.ai/api/v2, APIKey: [REDACTED], Timeout: 1m0s, MaxRetries: 5}
}

func ExampleNew_validation() {
	_, err := scopix.New("scopix_abcd1234_secret", scopix.WithBaseURL("http://api.example.com"))
	var invalid *scopix.ValidationError
	fmt.Println(errors.As(err, &invalid), invalid.Fields[0].Loc[0])
	// Output: true base_url
}

// Client.Do reaches endpoints the SDK does not wrap yet, with the same
// headers, retries, breaker and typed errors.
func ExampleClient_Do() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()

	var page struct {
		TotalCount int  `json:"total_count"`
		HasMore    bool `json:"has_more"`
	}
	err := client.Do(context.Background(), http.MethodGet, "/files?limit=1", nil, &page)
	fmt.Println(err, page.TotalCount, page.HasMore)
	// Output: <nil> 0 false
}
