package main

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The README's run command must keep working: the whole flow on the fake,
// with no key, well within its 30-second promise.
func TestQuickstartRunsOnTheFake(t *testing.T) {
	t.Setenv("SCOPIX_API_KEY", "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx); err != nil {
		t.Fatalf("quickstart failed: %v", err)
	}
}
