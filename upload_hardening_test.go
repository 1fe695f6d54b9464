package scopix_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// Guards issue item 6: video.go split the file by the server's
// chunk_size_bytes before checking the chunk count (chunk_size_bytes: 1 on
// a 4 GiB video allocated ~96 GiB). Every server-supplied size and count is
// checked against the file first: a BAD_RESPONSE naming the field.
func TestServerSizes_CheckedBeforeAllocating(t *testing.T) {
	const size = 16 << 20 // old code: 16 Mi parts of 24 bytes, 384 MiB
	tests := []struct {
		name, answer, field string
		call                func(c *scopix.Client, path string) error
	}{
		{"video initiate chunk_size_bytes 1", `{"media_id":"m1","upload_id":"u1","total_chunks":1,"chunk_size_bytes":1,
			"chunks":[{"chunk_number":1,"upload_url":"http://127.0.0.1:9/x"}]}`, "chunk_size_bytes",
			func(c *scopix.Client, path string) error {
				_, err := c.Video.Upload(context.Background(), path, &scopix.VideoUploadParams{KeepOnFailure: true})
				return err
			}},
		{"video resume total_chunks", fmt.Sprintf(`{"media_id":"m1","upload_id":"u1","status":"uploading","total_chunks":%d,
			"chunk_size_bytes":1,"chunks_completed":0,"bytes_uploaded":0,"total_bytes":%d}`, size, size), "total_chunks",
			func(c *scopix.Client, path string) error {
				_, err := c.Video.Resume(context.Background(), path, "m1", "u1", &scopix.VideoUploadParams{KeepOnFailure: true})
				return err
			}},
		{"direct upload parts", `{"upload_id":"u1","part_size_bytes":1,"parts":[` + repeatJSON(`{"part_number":1,"url":"http://127.0.0.1:9/p","size_bytes":1}`, 10001) + `]}`,
			"parts", func(c *scopix.Client, path string) error {
				f, err := os.Open(path)
				require.NoError(t, err)
				defer f.Close()
				_, err = c.Files.UploadReader(context.Background(), "big.jpg", f, size, &scopix.UploadParams{ForceDirect: true})
				return err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWire(t)
			srv.Mux.Handle("/", script(reply{status: 200, body: tt.answer}))
			c := srv.Client
			path := sparseFile(t, size) + ".mp4"
			require.NoError(t, os.Rename(strings.TrimSuffix(path, ".mp4"), path))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := tt.call(c, path)
			runtime.ReadMemStats(&after)

			var base *scopix.Error
			require.True(t, errors.As(err, &base), "got %v", err)
			var bad *scopix.Error
			for e := error(err); e != nil; e = errors.Unwrap(e) {
				if b, ok := e.(*scopix.Error); ok && b.Code == scopix.CodeResponseUnreadable {
					bad = b
				}
			}
			require.NotNil(t, bad, "a BAD_RESPONSE is in the chain: %v", err)
			assert.Equal(t, tt.field, bad.Details["field"])
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "nothing sized by the server was allocated")
		})
	}
}

func repeatJSON(item string, n int) string {
	var b bytes.Buffer
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item)
	}
	return b.String()
}

// abortServer is an API in a synctest bubble whose upload never finishes:
// the part PUT waits for the client to give up, and the abort takes
// abortTakes of the bubble's clock to answer.
type abortServer struct {
	*wire
	partArrived   chan struct{}
	abortArrived  atomic.Bool
	abortAnswered atomic.Bool
}

const abortTakes = 20 * time.Second

func newAbortServer(t *testing.T, size int) *abortServer {
	a := &abortServer{wire: newBubbleWire(t), partArrived: make(chan struct{}, 1)}
	storage := a.Storage()
	a.Mux.HandleFunc("POST /video-uploads/initiate", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"media_id":"m1","upload_id":"u1","total_chunks":1,"chunk_size_bytes":%d,
			"chunks":[{"chunk_number":1,"size_bytes":%d,"upload_url":"%s/p1"}]}`, size, size, storage.URL)
	})
	a.Mux.HandleFunc("POST /files/direct-uploads", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"upload_id":"u1","object_key":"k","parts":[{"part_number":1,"size_bytes":%d,"url":"%s/p1"}]}`, size, storage.URL)
	})
	storage.Mux.HandleFunc("PUT /p1", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		a.partArrived <- struct{}{}
		<-r.Context().Done()
	})
	abort := func(w http.ResponseWriter, r *http.Request) {
		a.abortArrived.Store(true)
		time.Sleep(abortTakes)
		a.abortAnswered.Store(true)
		io.WriteString(w, `{"status":"aborted","cleaned_up":true}`)
	}
	a.Mux.HandleFunc("POST /video-uploads/abort", abort)
	a.Mux.HandleFunc("DELETE /files/direct-uploads/u1", abort)
	return a
}

// Guards issue item 11: cancelling a direct or video upload waited for the
// best-effort abort (up to 30s) before returning. The call now returns as
// soon as ctx ends; the abort finishes in the background and Client.Close
// waits for it. On the bubble's clock a call that waits for the abort
// returns abortTakes late, and one that never returns fails the test at
// once (every goroutine of the bubble blocked).
func TestCancelledUpload_ReturnsAtOnceAndCloseWaitsForTheAbort(t *testing.T) {
	t.Parallel()
	const size = 4096
	data := bytes.Repeat([]byte{7}, size)
	tests := []struct {
		name   string
		upload func(ctx context.Context, c *scopix.Client, path string) error
	}{
		{"video", func(ctx context.Context, c *scopix.Client, path string) error {
			_, err := c.Video.Upload(ctx, path, nil)
			return err
		}},
		{"direct", func(ctx context.Context, c *scopix.Client, _ string) error {
			_, err := c.Files.UploadReader(ctx, "a.jpg", bytes.NewReader(data), size, &scopix.UploadParams{ForceDirect: true})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "clip.mp4")
			require.NoError(t, os.WriteFile(path, data, 0o600))
			synctest.Test(t, func(t *testing.T) {
				a := newAbortServer(t, size)
				c := a.Client
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- tt.upload(ctx, c, path) }()
				<-a.partArrived
				cancel()
				cancelled := time.Now()

				err := <-done
				assert.ErrorIs(t, err, context.Canceled)
				assert.Less(t, time.Since(cancelled), abortTakes, "returned without waiting for the abort")
				synctest.Wait()
				assert.True(t, a.abortArrived.Load(), "the abort was sent")
				assert.False(t, a.abortAnswered.Load(), "the abort was still running when the call returned")

				require.NoError(t, c.Close())
				assert.True(t, a.abortAnswered.Load(), "Close waited for the abort")
			})
		})
	}
}
