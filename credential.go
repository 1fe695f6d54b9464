package scopix

import (
	"fmt"
	"io"
	"log/slog"
)

// redacted is what every formatting of a credential prints.
const redacted = "[REDACTED]"

// credential yields the Authorization header value. The value lives only
// in a closure: fmt, spew and the like print a func as an address at any
// depth and through any verb (even fmt's %!s(...) fallback, which prints
// pointed-to structs), and every method a dumper or logger might call on
// the credential itself prints [REDACTED].
type credential func() []string

func newCredential(apiKey string) credential {
	// Shared read-only by every request, which spares an allocation per attempt.
	header := []string{"Bearer " + apiKey}
	return func() []string { return header }
}

// String redacts.
func (credential) String() string { return redacted }

// GoString redacts.
func (credential) GoString() string { return redacted }

// Format redacts, for every verb and flag.
func (credential) Format(f fmt.State, _ rune) { io.WriteString(f, redacted) }

// LogValue redacts.
func (credential) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText redacts, for encoders that prefer it (slog's text handler, json).
func (credential) MarshalText() ([]byte, error) { return []byte(redacted), nil }
