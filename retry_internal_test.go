package scopix

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A call's copy of the retry loop carries every setting of the client's:
// a field added to one and not copied would silently not apply.
func TestStartRetriesCopiesEverySetting(t *testing.T) {
	t.Parallel()
	c, err := New("k", WithMaxRetries(7))
	require.NoError(t, err)
	defer c.Close()
	var ci callInfo
	got := reflect.ValueOf(ci.startRetries(c.http)).Elem()
	want := reflect.ValueOf(c.http).Elem()
	for i := range want.NumField() {
		f := want.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		w, g := want.Field(i), got.Field(i)
		if f.Type.Kind() == reflect.Func {
			assert.Equal(t, w.Pointer(), g.Pointer(), f.Name)
			continue
		}
		assert.Equal(t, w.Interface(), g.Interface(), f.Name)
	}
}

// localError names every error of the SDK's own side, however wrapped,
// and nothing a server or the network caused.
func TestLocalError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"breaker open", &breakerOpenError{endpoint: "files"}, true},
		{"paced out", &pacedOutError{}, true},
		{"middleware", &middlewareError{errors.New("no")}, true},
		{"local source", &sourceError{op: "cannot read", path: "a.jpg", err: io.ErrUnexpectedEOF}, true},
		{"insecure redirect", &url.Error{Op: "Get", URL: "http://x", Err: ErrInsecureRedirect}, true},
		{"wrapped source", fmt.Errorf("send: %w", &sourceError{op: "cannot open", path: "b", err: io.EOF}), true},
		{"connection reset", &url.Error{Op: "Get", URL: "http://x", Err: syscall.ECONNRESET}, false},
		{"attempt timeout", fmt.Errorf("%w: %w", errAttemptTimeout, context.DeadlineExceeded), false},
		{"caller cancelled", context.Canceled, false},
		{"EOF", io.EOF, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, localError(tt.err), tt.name)
	}
}
