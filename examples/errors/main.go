// Command errors shows how to handle the SDK's typed errors with errors.As.
//
// Without SCOPIX_API_KEY it runs against the built-in fake API (no network,
// no key); with it, against the real API (the injected rate limit is then
// skipped, since only the fake can inject one).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/examples/internal/exampleenv"
	"github.com/scopix/scopix-go/scopixtest"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	env, err := exampleenv.Open(nil)
	if err != nil {
		return err
	}
	defer env.Close()
	client, fake := env.Client, env.Fake

	// 1. Rate limits: the SDK retries 429s by itself; once its retries are
	// spent it returns *RateLimitError with the server's Retry-After.
	if fake != nil {
		fake.FailNext(4, http.StatusTooManyRequests, map[string]string{"Retry-After": "0.01", "X-RateLimit-Limit": "30"})
		err := client.Do(ctx, http.MethodGet, "/files", nil, nil)
		var rl *scopix.RateLimitError
		if errors.As(err, &rl) {
			fmt.Printf("rate limited: retry after %s (limit %d/min) — %v\n", rl.RetryAfter, rl.Limit, err)
		}
	} else {
		fmt.Println("rate limit: skipped (only the fake can inject one)")
	}

	if err := wrongKey(ctx, fake); err != nil {
		return err
	}
	notFoundAndBase(ctx, client)

	// 5. Bad input never reaches the network: *ValidationError names the field.
	_, err = scopix.New("scopix_abc", scopix.WithTimeout(-time.Second))
	var invalid *scopix.ValidationError
	if errors.As(err, &invalid) {
		fmt.Printf("invalid option %q — %v\n", invalid.Fields[0].Loc[0], err)
	}
	return nil
}

// wrongKey shows 2. A wrong key: *AuthenticationError, never retried.
func wrongKey(ctx context.Context, fake *scopixtest.Server) error {
	opts := []scopix.Option{}
	if fake != nil {
		opts = append(opts, scopix.WithBaseURL(fake.URL()))
	} else if base := os.Getenv("SCOPIX_BASE_URL"); base != "" {
		opts = append(opts, scopix.WithBaseURL(base))
	}
	wrong, err := scopix.New("scopix_notavalidkey_000000", opts...)
	if err != nil {
		return err
	}
	defer wrong.Close()
	err = wrong.Do(ctx, http.MethodGet, "/files", nil, nil)
	var auth *scopix.AuthenticationError
	if errors.As(err, &auth) {
		fmt.Printf("authentication failed (server code %v) — %v\n", auth.Err.Details["server_code"], err)
	}
	return nil
}

// notFoundAndBase shows 3. a missing resource, *ResourceNotFoundError, and
// 4. the *scopix.Error underneath every error.
func notFoundAndBase(ctx context.Context, client *scopix.Client) {
	err := client.Do(ctx, http.MethodGet, "/files/00000000-0000-0000-0000-000000000000", nil, nil)
	var notFound *scopix.ResourceNotFoundError
	if errors.As(err, &notFound) {
		fmt.Printf("not found — %v\n", err)
	}

	// 4. Every error is a *scopix.Error underneath: one branch for all.
	var base *scopix.Error
	if errors.As(err, &base) {
		fmt.Printf("base error: code=%s status=%d request_id=%s retryable=%t\n",
			base.Code, base.StatusCode, base.RequestID, scopix.IsRetryable(err))
	}
}
