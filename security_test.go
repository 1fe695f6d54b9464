package scopix_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// tlsRedirector is an HTTPS API that answers every request with a redirect
// to target and counts what it saw. It is its own httptest server, not a
// wire: the redirect it tests starts from HTTPS, which a wire does not serve.
func tlsRedirector(t *testing.T, status int, target string) (*scopix.Client, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		http.Redirect(w, r, target, status)
	}))
	t.Cleanup(srv.Close)
	c, err := scopix.New(testKey, scopix.WithBaseURL(srv.URL+"/api/v2"), scopix.WithHTTPClient(srv.Client()),
		scopix.WithRetryDelay(time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, &hits
}

// Guards issue item 1: a redirect from HTTPS to plain HTTP used to be
// followed with the Authorization header (and, for 307/308, the body).
func TestRedirect_HTTPSToHTTPIsRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			c, hits := tlsRedirector(t, status, "http://api.scopix.invalid/api/v2/s3-connector/config")
			err := c.Do(context.Background(), http.MethodPut, "/s3-connector/config", map[string]string{"secret_access_key": "awssecret"}, nil)

			var ce *scopix.ConnectionError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, err, scopix.ErrInsecureRedirect)
			assert.False(t, scopix.IsRetryable(err), "a retry cannot make the redirect safe")
			assert.Equal(t, int32(1), hits.Load(), "refused at once, not retried")
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

// Guards issue item 1: a redirect that changes the scheme, even to a
// loopback host where plain HTTP is allowed, carries no credentials.
func TestRedirect_SchemeChangeToLoopbackDropsCredentials(t *testing.T) {
	t.Parallel()
	plain := newWireHost(t, "")
	plain.Mux.Handle("GET /elsewhere", answers(http.StatusOK, `{}`))
	c, _ := tlsRedirector(t, http.StatusFound, plain.URL+"/elsewhere")
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/files/f1", nil, nil))
	assert.Empty(t, plain.Last().Header.Get("Authorization"))
}

// dumpTargets are the shapes in which a client might end up in a log line.
func dumpTargets(c *scopix.Client) map[string]any {
	// reflect copies the Client value without tripping vet's copylocks: a
	// user's spew or %+v of *client does the same.
	return map[string]any{"pointer": c, "value": reflect.ValueOf(c).Elem().Interface()}
}

// Guards issue item 13: the key sat in plain string fields of Client, so
// fmt.Printf("%+v", *client) printed it.
func TestSecrets_ClientDumpsNeverShowTheKey(t *testing.T) {
	t.Parallel()
	c, err := scopix.New(testKey, scopix.WithBaseURL("http://127.0.0.1:9/api/v2"), scopix.WithTenantID("t1"),
		scopix.WithProxyURL("http://proxyuser:proxy-password-1@127.0.0.1:8"))
	require.NoError(t, err)
	defer c.Close()
	secrets := []string{testKey, "supersecretvalue", "Bearer", "proxy-password-1"}
	for name, v := range dumpTargets(c) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "%s of the client %s", verb, name)
			}
		}
		for _, h := range []func(io.Writer) slog.Handler{
			func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
			func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		} {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("client", "c", v)
			for _, s := range secrets {
				assert.NotContains(t, buf.String(), s, "slog of the client %s", name)
			}
		}
	}
}

// Guards issue item 14: a header value with CR, LF or NUL was accepted at
// New and then failed every call as a retryable connection error.
func TestNew_HeaderValuesAreValidated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		key   string
		opt   scopix.Option
		field string
	}{
		{"key with CRLF", "scopix_ab\r\nX-Evil: 1", nil, "api_key"},
		{"key with NUL", "scopix_ab\x00cd", nil, "api_key"},
		{"tenant with LF", testKey, scopix.WithTenantID("t1\nX-Evil: 1"), "tenant_id"},
		{"tenant with CR", testKey, scopix.WithTenantID("t1\r"), "tenant_id"},
		{"user agent with NUL", testKey, scopix.WithUserAgent("app\x00"), "user_agent"},
		{"header value with CRLF", testKey, scopix.WithHeader("X-Trace", "a\r\nb"), "header"},
		{"header name with space", testKey, scopix.WithHeader("X Trace", "a"), "header"},
		{"header name with colon", testKey, scopix.WithHeader("X-Trace:", "a"), "header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := scopix.New(tt.key, tt.opt)
			assert.Nil(t, c)
			var v *scopix.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tt.field, v.Fields[0].Loc[0])
			assert.NotContains(t, err.Error(), "scopix_ab")
		})
	}
	c, err := scopix.New(testKey, scopix.WithTenantID("t\t1"), scopix.WithHeader("X-Trace", "a b"))
	require.NoError(t, err, "tabs and spaces are legal header bytes")
	c.Close()
}

// Guards issue item 14 for the environment: SCOPIX_TENANT_ID is checked too.
func TestNewFromEnv_TenantHeaderIsValidated(t *testing.T) {
	t.Setenv("SCOPIX_API_KEY", testKey)
	t.Setenv("SCOPIX_TENANT_ID", "t1\r\nX-Evil: 1")
	_, err := scopix.NewFromEnv()
	var v *scopix.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "tenant_id", v.Fields[0].Loc[0])
	assert.False(t, strings.Contains(err.Error(), testKey))
}

// Guards issue item 7: a 2xx JSON answer was decoded with no limit (a
// 64 MiB answer allocated 322 MiB). Beyond the cap it is a BAD_RESPONSE.
func TestResponseCap_LargeAnswerIsBadResponse(t *testing.T) {
	t.Parallel()
	const limit = 1024
	atLimit := `{"v":"` + strings.Repeat("a", limit-8) + `"}`
	require.Len(t, atLimit, limit)
	over := `{"v":"` + strings.Repeat("a", 4*limit) + `"}`
	srv := newWire(t, scopix.WithMaxResponseBytes(limit))
	srv.Mux.Handle("/", script(reply{status: 200, body: atLimit}, reply{status: 200, body: over}, reply{status: 200, body: over}))
	c := srv.Client

	var out struct{ V string }
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/x", nil, &out), "an answer of exactly the cap is fine")
	assert.Len(t, out.V, limit-8)

	err := c.Do(context.Background(), http.MethodGet, "/x", nil, &out)
	var base *scopix.Error
	require.ErrorAs(t, err, &base)
	assert.Equal(t, scopix.CodeResponseUnreadable, base.Code)
	assert.Contains(t, base.Message, "larger than 1024 bytes")
	assert.False(t, scopix.IsRetryable(err))

	_, err = c.Files.Get(context.Background(), "f1")
	require.ErrorAs(t, err, &base, "service methods share the cap")
	assert.Equal(t, scopix.CodeResponseUnreadable, base.Code)
}

func TestResponseCap_OptionIsValidated(t *testing.T) {
	t.Parallel()
	_, err := scopix.New(testKey, scopix.WithMaxResponseBytes(-1))
	var v *scopix.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "max_response_bytes", v.Fields[0].Loc[0])
	assert.EqualValues(t, 64<<20, scopix.DefaultMaxResponseBytes)
}
