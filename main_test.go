package scopix_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind
// (connections, streams, uploads, polls).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
