package scopix_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
)

// bubble is a fake API for a test that runs in a synctest bubble. Its
// clients reach the fake over an in-memory network started in the bubble,
// so the fake's delays and stalls, the SDK's timeouts, backoffs and polls
// all run on the bubble's clock: a test waits no real time, and a loaded
// machine cannot make a wait run out early or late.
type bubble struct {
	*fakeapi.Server
	t *testing.T
}

// inBubble runs fn in a synctest bubble with a fake started with opts.
// The fake starts outside the bubble: its loopback listener is real I/O,
// and a bubble never advances its clock while a goroutine of its own waits
// on real I/O.
func inBubble(t *testing.T, opts fakeapi.Options, fn func(t *testing.T, b *bubble)) {
	t.Helper()
	fake := fakeapi.New(opts)
	t.Cleanup(fake.Close)
	synctest.Test(t, func(t *testing.T) { fn(t, &bubble{Server: fake, t: t}) })
}

// Client returns a client for the fake with scopixtest's defaults (short
// retry delays and polling intervals); opts win. It is closed when the
// bubble's test ends.
func (b *bubble) Client(opts ...scopix.Option) *scopix.Client {
	b.t.Helper()
	base := []scopix.Option{
		scopix.WithBaseURL(b.URL()),
		scopix.WithHTTPClient(&http.Client{Transport: pipeTransport(b.t, b.HTTP.Config.Handler)}),
		scopix.WithRetryDelay(5 * time.Millisecond),
		scopix.WithPollingInterval(10 * time.Millisecond),
	}
	c, err := scopix.New(b.APIKey(), append(base, opts...)...)
	require.NoError(b.t, err)
	b.t.Cleanup(func() { c.Close() })
	return c
}

// newBubbleWire is newWire for a test in a synctest bubble: its hosts are
// served over an in-memory network started in the bubble, so the client's
// timeouts and backoffs run on the bubble's clock. One network carries
// both the API (http://127.0.0.1) and Storage (http://localhost): the Host
// header tells them apart.
func newBubbleWire(t *testing.T, opts ...scopix.Option) *wire {
	t.Helper()
	api, storage := recordingHost(t, wireAPIBase), recordingHost(t, "")
	api.URL, storage.URL = "http://127.0.0.1", "http://localhost"
	tr := pipeTransport(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Host == "localhost" {
			storage.serve(rw, r)
			return
		}
		api.serve(rw, r)
	}))
	w := connectWire(t, api, []scopix.Option{scopix.WithHTTPClient(&http.Client{Transport: tr})}, opts...)
	w.storage = storage
	return w
}

// inMemory carries requests straight to a handler in the calling
// goroutine, with no connection in between: a bubble's fake clock drives
// both the SDK and the handler, and the handler has run to its end when
// RoundTrip returns. It cannot stream a body.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil {
		req.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, req)
	// As every RoundTripper must: the client waits for it before a retry.
	req.Body.Close()
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
