package scopixtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Test your own error handling: make the fake answer 429 more often than the
// client retries, and check what your code does with the *RateLimitError.
// In a test, use scopixtest.NewServer(t) instead of Start/Close.
func ExampleServer_FailNext() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client(scopix.WithMaxRetries(1))
	defer client.Close()

	srv.FailNext(2, http.StatusTooManyRequests, map[string]string{"Retry-After": "0.01"})
	_, err := client.Chat.ListSessions(context.Background(), nil)

	var rl *scopix.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println("rate limited; retry after", rl.RetryAfter)
	}
	fmt.Println("requests the server saw:", srv.RequestCount(http.MethodGet, "/chat/sessions"))
	// Output:
	// rate limited; retry after 10ms
	// requests the server saw: 2
}

// A dropped connection (status 0) is retried like any connection failure.
func ExampleServer_FailNext_droppedConnection() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()

	srv.FailNext(1, 0, nil)
	list, err := client.Chat.ListSessions(context.Background(), nil)
	fmt.Println(err, len(list.Items), srv.Stats().FaultsInjected)
	// Output: <nil> 0 1
}
