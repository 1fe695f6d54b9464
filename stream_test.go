package scopix_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// pipeNet is an in-memory network for tests inside a synctest bubble: the
// transport dials net.Pipe connections that an http.Server accepts, so
// fake time advances whenever both ends wait.
type pipeNet struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeNet() *pipeNet { return &pipeNet{conns: make(chan net.Conn), done: make(chan struct{})} }

func (p *pipeNet) Accept() (net.Conn, error) {
	select {
	case c := <-p.conns:
		return c, nil
	case <-p.done:
		return nil, net.ErrClosed
	}
}

func (p *pipeNet) Close() error   { p.once.Do(func() { close(p.done) }); return nil }
func (p *pipeNet) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

func (p *pipeNet) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case p.conns <- server:
		return client, nil
	case <-p.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// pipeTransport serves h on an in-memory network and returns a transport
// that reaches it whatever the address; both shut down when the test ends.
func pipeTransport(t *testing.T, h http.Handler) *http.Transport {
	pn := newPipeNet()
	srv := &http.Server{Handler: h}
	go srv.Serve(pn)
	tr := &http.Transport{DialContext: pn.dial}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return tr
}

// streamedBodies are the three methods that hand a body to the caller.
var streamedBodies = []struct {
	name string
	open func(ctx context.Context, c *scopix.Client) (io.ReadCloser, error)
}{
	{"Files.Download", func(ctx context.Context, c *scopix.Client) (io.ReadCloser, error) { return c.Files.Download(ctx, "f1") }},
	{"Chat.Export", func(ctx context.Context, c *scopix.Client) (io.ReadCloser, error) {
		return c.Chat.Export(ctx, "s1", "")
	}},
	{"Video.SceneThumbnail", func(ctx context.Context, c *scopix.Client) (io.ReadCloser, error) {
		return c.Video.SceneThumbnail(ctx, "sc1")
	}},
}

// bodyWire is a bubble wire (no retries) that answers the three streamed
// endpoints (the download by a redirect to storage) with body, which writes
// whatever it likes.
func bodyWire(t *testing.T, body http.HandlerFunc, opts ...scopix.Option) *scopix.Client {
	w := newBubbleWire(t, append([]scopix.Option{scopix.WithMaxRetries(0)}, opts...)...)
	storage := w.Storage()
	w.Mux.HandleFunc("GET /files/f1/download", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, storage.URL+"/f1?sig=x", http.StatusFound)
	})
	storage.Mux.HandleFunc("GET /f1", body)
	w.Mux.HandleFunc("GET /chat/sessions/s1/export", body)
	w.Mux.HandleFunc("GET /video-scenes/sc1/thumbnail", body)
	return w.Client
}

// Guards issue item 3: once headers arrived nothing bounded a streamed
// body, so a stalled storage host hung the caller forever.
func TestStream_SilentBodyEndsWithTimeoutError(t *testing.T) {
	for _, m := range streamedBodies {
		t.Run(m.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := bodyWire(t, func(w http.ResponseWriter, r *http.Request) {
					io.WriteString(w, "abc")
					w.(http.Flusher).Flush()
					<-r.Context().Done() // stalls until the client gives up
				}, scopix.WithTimeout(10*time.Second))
				body, err := m.open(context.Background(), c)
				require.NoError(t, err)
				defer body.Close()
				start := time.Now()
				data, err := io.ReadAll(body)
				assert.Equal(t, "abc", string(data), "bytes before the stall are delivered")
				var te *scopix.TimeoutError
				require.ErrorAs(t, err, &te)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, 10*time.Second, time.Since(start), "fake clock: the idle timeout, no more")
			})
		})
	}
}

// Guards issue item 3: the idle timeout restarts with every read that
// returns bytes, so a slow but living body is read to its end.
func TestStream_SlowBodyThatKeepsSendingIsNotCut(t *testing.T) {
	for _, m := range streamedBodies {
		t.Run(m.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := bodyWire(t, func(w http.ResponseWriter, r *http.Request) {
					for range 10 {
						time.Sleep(6 * time.Second)
						io.WriteString(w, "x")
						w.(http.Flusher).Flush()
					}
				}, scopix.WithTimeout(10*time.Second))
				body, err := m.open(context.Background(), c)
				require.NoError(t, err)
				defer body.Close()
				data, err := io.ReadAll(body)
				require.NoError(t, err, "60s in all, never 10s silent")
				assert.Equal(t, "xxxxxxxxxx", string(data))
			})
		})
	}
}

// The caller's cancellation still ends a streamed read, as context.Canceled.
func TestStream_CancelEndsTheRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := bodyWire(t, func(w http.ResponseWriter, r *http.Request) {
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		ctx, cancel := context.WithCancel(context.Background())
		body, err := c.Chat.Export(ctx, "s1", "")
		require.NoError(t, err)
		defer body.Close()
		time.AfterFunc(time.Second, cancel)
		_, err = io.ReadAll(body)
		assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
	})
}
