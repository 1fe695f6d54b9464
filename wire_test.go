package scopix_test

import (
	"bytes"
	"cmp"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// The wire helper: one loopback API for unit tests that check what the SDK
// sends and how it reads an answer, in the manner of go-github's setup().
// A test registers handlers for the documented paths on w.Mux and asserts
// on w.Requests(); scopixtest stays the one full fake of the API. In a
// synctest bubble, newBubbleWire serves the same wire on an in-memory
// network.
//
//	w := newWire(t, scopix.WithTenantID("t1"))
//	w.Mux.HandleFunc("GET /files/{id}", func(rw http.ResponseWriter, r *http.Request) { … })
//	_, err := w.Client.Files.Get(ctx, "f1")
//	assert.Equal(t, "/api/v2/files/f1", w.Last().Path)

// wireAPIBase is where the Mux is mounted: a path the SDK builds without
// its base URL cannot reach a handler and fails loudly with a 404.
const wireAPIBase = "/api/v2"

// wireRequest is one request as a wire host received it.
type wireRequest struct {
	Method   string
	Path     string // escaped, as received ("/api/v2/files/a%2Fb")
	RawQuery string
	Query    url.Values
	Header   http.Header
	// Body holds the bytes the handler read, recorded when it reads to the
	// end or returns. It is not read ahead of the handler, so a handler may
	// answer before the client has finished sending; script reads it all.
	Body []byte
}

// wireHost is one HTTP host of a wire (on loopback, or in memory in a
// bubble): a mux and the record of every request it received, in order of
// arrival. Its methods are safe for concurrent handlers.
type wireHost struct {
	Mux *http.ServeMux
	URL string // scheme and host, no trailing slash

	t    testing.TB
	root http.Handler // Mux, or the mux it is mounted on
	mu   sync.Mutex
	reqs []wireRequest
}

// wire is an API host whose Mux serves the paths under /api/v2 (register
// "GET /files/{id}", not "/api/v2/files/{id}") and a Client pointed at it.
type wire struct {
	*wireHost
	Client *scopix.Client

	reach       []scopix.Option // how every client of the wire reaches it
	storageOnce sync.Once
	storage     *wireHost
}

// newWire starts an API host and a client for it with testKey, instant
// retries (1ms backoff) and opts, which come last and so win. The server
// and the client are closed when the test ends.
func newWire(t testing.TB, opts ...scopix.Option) *wire {
	t.Helper()
	return connectWire(t, newWireHost(t, wireAPIBase), nil, opts...)
}

// connectWire makes host the API host of a wire whose clients reach it
// with the reach options (a transport, say) and get opts.
func connectWire(t testing.TB, host *wireHost, reach []scopix.Option, opts ...scopix.Option) *wire {
	t.Helper()
	w := &wire{wireHost: host, reach: reach}
	w.Client = w.NewClient(opts...)
	return w
}

// NewClient returns another client of the wire, made as newWire makes
// w.Client, with opts; it is closed when the test ends.
func (w *wire) NewClient(opts ...scopix.Option) *scopix.Client {
	w.t.Helper()
	base := []scopix.Option{scopix.WithBaseURL(w.URL + wireAPIBase), scopix.WithRetryDelay(time.Millisecond)}
	c, err := scopix.New(testKey, slices.Concat(base, w.reach, opts)...)
	require.NoError(w.t, err)
	w.t.Cleanup(func() { c.Close() })
	return c
}

// newWireHost starts a recorded host on a loopback httptest server. It is
// closed when the test ends.
func newWireHost(t testing.TB, base string) *wireHost {
	h := recordingHost(t, base)
	srv := httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

// recordingHost is a host not yet served: its Mux serves the paths under
// base ("" for the root) and anything else is a 404.
func recordingHost(t testing.TB, base string) *wireHost {
	h := &wireHost{Mux: http.NewServeMux(), t: t}
	h.root = h.Mux
	if base != "" {
		root := http.NewServeMux()
		root.Handle(base+"/", http.StripPrefix(base, h.Mux))
		h.root = root
	}
	return h
}

// Storage returns the storage host that presigned URLs point at, started
// on first use. Its URL names "localhost" rather than the API's 127.0.0.1,
// so the client sees another host, as with real object storage.
func (w *wire) Storage() *wireHost {
	w.storageOnce.Do(func() {
		if w.storage != nil { // a bubble wire's, served on its network
			return
		}
		w.storage = newWireHost(w.t, "")
		w.storage.URL = strings.Replace(w.storage.URL, "127.0.0.1", "localhost", 1)
	})
	return w.storage
}

func (h *wireHost) serve(rw http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	i := len(h.reqs)
	h.reqs = append(h.reqs, wireRequest{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		Query: r.URL.Query(), Header: r.Header.Clone()})
	h.mu.Unlock()
	body := &recordedBody{ReadCloser: r.Body, done: func(b []byte) {
		h.mu.Lock()
		h.reqs[i].Body = b
		h.mu.Unlock()
	}}
	r.Body = body
	// Deferred: a handler may end the response with panic(http.ErrAbortHandler).
	defer body.record()
	h.root.ServeHTTP(rw, r)
}

// recordedBody keeps what the handler reads of a request body and hands it
// to done at the end of the body, before the handler can answer.
type recordedBody struct {
	io.ReadCloser
	buf  bytes.Buffer
	done func([]byte)
}

func (b *recordedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.buf.Write(p[:n])
	if err == io.EOF {
		b.record()
	}
	return n, err
}

func (b *recordedBody) record() { b.done(bytes.Clone(b.buf.Bytes())) }

// Requests returns a copy of every request received so far.
func (h *wireHost) Requests() []wireRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]wireRequest(nil), h.reqs...)
}

// Last returns the latest request; the test fails if there was none.
func (h *wireHost) Last() wireRequest {
	h.t.Helper()
	reqs := h.Requests()
	require.NotEmpty(h.t, reqs, "no request reached %s", h.URL)
	return reqs[len(reqs)-1]
}

// reply is one scripted answer: a status (0 means 200) with headers and a
// JSON body, or a dropped connection.
type reply struct {
	status int
	header map[string]string
	body   string
	drop   bool // close the connection without answering
}

// script answers each request with the next of replies, the last one
// repeating, after reading the request's whole body.
func script(replies ...reply) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		rep := replies[min(int(n.Add(1))-1, len(replies)-1)]
		if rep.drop {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(cmp.Or(rep.status, http.StatusOK))
		_, _ = io.WriteString(w, rep.body)
	}
}

// answers is a script of bodies all sent with status.
func answers(status int, bodies ...string) http.HandlerFunc {
	replies := make([]reply, len(bodies))
	for i, b := range bodies {
		replies[i] = reply{status: status, body: b}
	}
	return script(replies...)
}

// newAnswering is a wire without retries whose every path answers with
// status and bodies in turn (the last one repeating), polling every 1ms.
func newAnswering(t testing.TB, status int, bodies ...string) (*wire, *scopix.Client) {
	t.Helper()
	w := newWire(t, scopix.WithMaxRetries(0), scopix.WithPollingInterval(time.Millisecond))
	w.Mux.Handle("/", answers(status, bodies...))
	return w, w.Client
}

func TestWire_ServesOnlyUnderTheAPIBase(t *testing.T) {
	t.Parallel()
	w := newWire(t)
	w.Mux.Handle("/", answers(http.StatusOK, `{"ok":true}`))
	require.NoError(t, w.Client.Do(t.Context(), http.MethodGet, "/files?limit=1", nil, nil))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, w.URL+"/files", nil)
	require.NoError(t, err)
	req.Close = true // no idle connection left behind for goleak
	outside, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	outside.Body.Close()

	reqs := w.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/api/v2/files", reqs[0].Path)
	assert.Equal(t, "1", reqs[0].Query.Get("limit"))
	assert.Equal(t, "/files", reqs[1].Path)
	assert.Equal(t, http.StatusNotFound, outside.StatusCode, "a path outside /api/v2 reaches no handler")
}
